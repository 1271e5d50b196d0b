using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using SampleApp.Data;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/product-names")]
public sealed class ProductNamesController : ControllerBase
{
    private readonly BlogDbContext _db;
    private readonly IMemoryCache _cache;
    private readonly IDistributedCache _distributed;

    public ProductNamesController(BlogDbContext db, IMemoryCache cache, IDistributedCache distributed)
    {
        _db = db;
        _cache = cache;
        _distributed = distributed;
    }

    // Product name, cached in process per product id; remembers the last product viewed.
    [HttpGet("products/{id:int}/name")]
    public async Task<ActionResult<string>> ProductName(int id, CancellationToken cancellationToken)
    {
        var name = await _cache.GetOrCreateAsync("product-name:" + id, async entry => (await _db.Products.FindAsync(new object[] { id }, cancellationToken))?.Name ?? "unknown"); // PERF005
        var label = await _cache.GetOrCreateAsync("product-label:" + id, entry => { entry.SlidingExpiration = TimeSpan.FromMinutes(10); return Task.FromResult(name!.ToUpperInvariant()); }); // ok: the factory sets a sliding expiration
        await _distributed.SetStringAsync("last-viewed-product", id.ToString(), cancellationToken); // PERF005
        var stamp = new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromHours(1) };
        await _distributed.SetStringAsync("last-viewed-at", DateTime.UtcNow.ToString("O"), stamp, cancellationToken); // ok: the options set an absolute expiration
        return label ?? "unknown";
    }
}
