using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;
using SampleApp.Models;
using SampleApp.Repositories;
using SampleApp.Services;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/orders")]
public sealed class OrdersController : ControllerBase
{
    private readonly BlogDbContext _db;
    private readonly DapperOrderRepository _orders;
    private readonly ReportService _reports;

    public OrdersController(BlogDbContext db, DapperOrderRepository orders, ReportService reports)
    {
        _db = db;
        _orders = orders;
        _reports = reports;
    }

    [HttpGet("{id:int}")]
    public async Task<ActionResult<OrderDetails>> Get(int id)
    {
        var details = await _orders.GetOrderDetailsAsync(id);
        return details is null ? NotFound() : details;
    }

    [HttpPost("{id:int}/ship")]
    public async Task<IActionResult> Ship(int id)
    {
        var affected = await _orders.SetStatusAsync(id, OrderStatus.Shipped);
        return affected == 0 ? NotFound() : NoContent();
    }

    // Price quote for a basket of product ids.
    [HttpPost("quote")]
    public ActionResult<List<QuoteLine>> Quote([FromBody] List<int> ids)
    {
        var lines = new List<QuoteLine>();
        for (int i = 0; i < ids.Count; i++)
        {
            var product = _db.Products.Find(ids[i]); // PERF001
            if (product is not null)
            {
                lines.Add(new QuoteLine(product.Id, product.Name, product.Price));
            }
        }

        return lines;
    }

    [HttpPost]
    public async Task<IActionResult> Create([FromBody] NewOrderRequest request, CancellationToken cancellationToken)
    {
        var productIds = request.Items.Select(i => i.ProductId).Distinct().ToList();
        var products = await _db.Products.Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);

        var order = new Order { CustomerId = request.CustomerId, PlacedAt = DateTime.UtcNow };
        _db.Orders.Add(order);

        foreach (var item in request.Items)
        {
            if (!products.TryGetValue(item.ProductId, out var product)) // ok: dictionary lookup after one bulk Contains query
            {
                return BadRequest($"Unknown product {item.ProductId}");
            }

            _db.Add(new OrderLine { Order = order, ProductId = product.Id, Quantity = item.Quantity, UnitPrice = product.Price }); // ok: Add only tracks; one SaveChanges after the loop
        }

        await _db.SaveChangesAsync(cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = order.Id }, new { order.Id });
    }

    [HttpGet("revenue")]
    public async Task<ActionResult<object>> Revenue(CancellationToken cancellationToken) =>
        new { total = await _reports.ComputeRevenueAsync(cancellationToken), byCustomer = await _reports.GetCustomerTotalsAsync(cancellationToken) };

    [HttpPost("reprice")]
    public async Task<ActionResult<int>> Reprice([FromQuery] decimal factor, CancellationToken cancellationToken)
    {
        var ids = await _db.Products.Select(p => p.Id).ToListAsync(cancellationToken);
        return await _reports.RepriceAsync(ids, factor, cancellationToken);
    }

    [HttpGet("by-email")]
    public async Task<ActionResult<int>> CountByCustomerEmail([FromQuery] string email, CancellationToken cancellationToken)
    {
        var customer = await _db.Customers.FirstOrDefaultAsync(c => c.Email == email, cancellationToken); // PERF006
        return customer is null ? NotFound() : await _db.Orders.CountAsync(o => o.CustomerId == customer.Id, cancellationToken);
    }
}
