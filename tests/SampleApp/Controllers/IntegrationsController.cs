using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;
using SampleApp.Integrations;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/integrations")]
public sealed class IntegrationsController : ControllerBase
{
    private readonly BlogDbContext _db;
    private readonly IAuditLog _audit;
    private readonly IHttpClientFactory _httpClients;
    private readonly ILogger<IntegrationsController> _logger;

    public IntegrationsController(BlogDbContext db, IAuditLog audit, IHttpClientFactory httpClients, ILogger<IntegrationsController> logger)
    {
        _db = db;
        _audit = audit;
        _httpClients = httpClients;
        _logger = logger;
    }

    // Shipping quote from the carrier's API.
    [HttpGet("shipping/{orderId:int}")]
    public async Task<ActionResult<string>> ShippingQuote(int orderId, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri("http://localhost:5055/") }; // PERF003
        var quote = await client.GetStringAsync($"quote/{orderId}", cancellationToken);
        await _audit.RecordAuditAsync("shipping.quoted", orderId.ToString(), cancellationToken); // PERF002
        _logger.LogInformation("Quoted shipping for {OrderId}", orderId); // ok: ILogger is in-process, not remote logging
        return quote;
    }

    // Carrier status through the named client: the factory pools handlers.
    [HttpGet("carrier/status")]
    public async Task<ActionResult<string>> CarrierStatus(CancellationToken cancellationToken)
    {
        var client = _httpClients.CreateClient("carrier"); // ok: IHttpClientFactory reuses pooled handlers
        return await client.GetStringAsync("status", cancellationToken);
    }

    // Flags order lines priced above the catalogue's most expensive product.
    [HttpGet("orders/{orderId:int}/suspicious-lines")]
    public async Task<ActionResult<List<int>>> SuspiciousLines(int orderId, CancellationToken cancellationToken)
    {
        var lines = await _db.OrderLines.Where(l => l.OrderId == orderId).ToListAsync(cancellationToken);
        var suspicious = new List<int>();
        foreach (var line in lines)
        {
            var maxPrice = await _db.Products.MaxAsync(p => p.Price, cancellationToken); // PERF004
            if (line.UnitPrice > maxPrice)
            {
                suspicious.Add(line.Id);
            }
        }

        return suspicious;
    }
}
