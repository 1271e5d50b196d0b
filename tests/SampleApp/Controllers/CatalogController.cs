using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/catalog")]
public sealed class CatalogController : ControllerBase
{
    private readonly BlogDbContext _db;

    public CatalogController(BlogDbContext db) => _db = db;

    // Products under a price, cheapest first.
    [HttpGet("under/{maxPrice:decimal}")]
    public async Task<ActionResult<List<Product>>> Under(decimal maxPrice, CancellationToken cancellationToken)
    {
        var products = await _db.Products.AsNoTracking().ToListAsync(cancellationToken); // PERF007
        return products.Where(p => p.Price <= maxPrice).OrderBy(p => p.Price).ToList();
    }

    // The whole catalogue with a count of premium items: the full list is the response, so loading it is the point.
    [HttpGet]
    public async Task<ActionResult<object>> All(CancellationToken cancellationToken)
    {
        var products = await _db.Products.AsNoTracking().ToListAsync(cancellationToken); // ok: the full list is returned too
        return new { Products = products, Premium = products.Count(p => p.Price > 100) };
    }
}
