using System.Collections.Generic;

namespace PerfAnalyzers.Benchmarks.Generation;

/// <summary>
/// The files of one generated module: an EF Core model, repositories (EF Core, Dapper, ADO.NET), services, an MVC
/// controller, minimal API endpoints and a background job. Shapes follow tests/SampleApp. Lines ending in
/// <c>// PERF00N [shape]</c> are real findings; lines ending in <c>// ok: reason</c> are look-alikes.
/// </summary>
internal static class ModuleTemplates
{
    public static string Namespace(int index) => "Contoso.Modules.M" + index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture);

    public static IEnumerable<GeneratedFile> Write(ModuleFlags f, List<PlantedFinding> findings, List<PlantedLookAlike> lookAlikes)
    {
        var ns = Namespace(f.Index);
        var dir = "Modules/M" + f.Index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "/";
        SourceWriter W(string name) => new(dir + name, findings, lookAlikes);

        yield return Entities(W("Data/Entities.cs"), ns).Build();
        yield return DbContext(W("Data/ShopDbContext.cs"), ns).Build();
        yield return Dtos(W("Models/Dtos.cs"), ns).Build();
        yield return OrderRepository(W("Repositories/OrderRepository.cs"), ns).Build();
        yield return ReportReader(W("Repositories/OrderReportReader.cs"), ns, f).Build();
        yield return OrderService(W("Services/OrderService.cs"), ns, f).Build();
        yield return Mapper(W("Services/OrderMapper.cs"), ns).Build();
        yield return Controller(W("Controllers/OrdersController.cs"), ns, f).Build();
        yield return Endpoints(W("Endpoints/CatalogEndpoints.cs"), ns, f).Build();
        yield return Job(W("Jobs/OrderArchiveJob.cs"), ns, f).Build();
    }

    public static string HotDocumentPath => "Modules/M000/Controllers/OrdersController.cs";

    private static SourceWriter Entities(SourceWriter w, string ns) => w.Add($$"""
using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using Microsoft.EntityFrameworkCore;

namespace {{ns}}.Data;

public class Customer
{
    public int Id { get; set; }
    public string Name { get; set; }
    public string Email { get; set; }
    public string Region { get; set; }
    public DateTime CreatedAt { get; set; }
    public List<Order> Orders { get; set; } = new List<Order>();
}

// Order -> Customer configured with HasOne/WithMany/HasForeignKey in ShopDbContext.OnModelCreating;
// (Status, PlacedAt) indexed there too.
[Index(nameof(PlacedAt))]
public class Order
{
    public int Id { get; set; }
    public int CustomerId { get; set; }
    public Customer Customer { get; set; }
    public DateTime PlacedAt { get; set; }
    public string Status { get; set; } = OrderStatus.Placed;
    public decimal Total { get; set; }
    public List<OrderLine> Lines { get; set; } = new List<OrderLine>();
    public List<Shipment> Shipments { get; set; } = new List<Shipment>();
}

public class OrderLine
{
    public int Id { get; set; }
    public int OrderId { get; set; }
    public Order Order { get; set; }
    public int ProductId { get; set; }
    public Product Product { get; set; }
    public int Quantity { get; set; }
    public decimal UnitPrice { get; set; }
}

public class Product
{
    public int Id { get; set; }
    public string Sku { get; set; }
    public string Name { get; set; }
    public decimal Price { get; set; }
    public int CategoryId { get; set; }
    public Category Category { get; set; }
    public bool Discontinued { get; set; }
    public int StockLevel { get; set; }
}

public class Category
{
    public int Id { get; set; }
    public string Name { get; set; }
    public string Slug { get; set; }
    public List<Product> Products { get; set; } = new List<Product>();
}

// Shipment -> Order through [ForeignKey].
[Index(nameof(Reference))]
public class Shipment
{
    public int Id { get; set; }
    public int ParentOrderId { get; set; }
    [ForeignKey(nameof(ParentOrderId))]
    public Order Order { get; set; }
    public string Carrier { get; set; }
    public string Reference { get; set; }
    public DateTime? ShippedAt { get; set; }
}

public class Setting
{
    [Key]
    public string Key { get; set; }
    public string Value { get; set; }
}

public class PriceRule
{
    public int Id { get; set; }
    public int CategoryId { get; set; }
    public decimal Percent { get; set; }
    public DateTime ValidFrom { get; set; }
    public DateTime ValidTo { get; set; }
}

public static class OrderStatus
{
    public const string Placed = "Placed";
    public const string Paid = "Paid";
    public const string Shipped = "Shipped";
    public const string Delivered = "Delivered";
    public const string Archived = "Archived";
    public const string Cancelled = "Cancelled";
}
""");

    private static SourceWriter DbContext(SourceWriter w, string ns) => w.Add($$"""
using Microsoft.EntityFrameworkCore;

namespace {{ns}}.Data;

public class ShopDbContext : DbContext
{
    public ShopDbContext(DbContextOptions<ShopDbContext> options)
        : base(options)
    {
    }

    public DbSet<Customer> Customers { get; set; }
    public DbSet<Order> Orders { get; set; }
    public DbSet<OrderLine> OrderLines { get; set; }
    public DbSet<Product> Products { get; set; }
    public DbSet<Category> Categories { get; set; }
    public DbSet<Shipment> Shipments { get; set; }
    public DbSet<Setting> Settings { get; set; }
    public DbSet<PriceRule> PriceRules { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Order>()
            .HasOne(o => o.Customer)
            .WithMany(c => c.Orders)
            .HasForeignKey(o => o.CustomerId);

        modelBuilder.Entity<Order>().HasIndex(o => new { o.Status, o.PlacedAt });
        modelBuilder.Entity<Customer>().HasIndex(c => c.Email).IsUnique();
        modelBuilder.Entity<Product>().HasIndex(p => p.Sku).IsUnique();
        modelBuilder.Entity<Category>().HasIndex(c => c.Slug).IsUnique();
        modelBuilder.Entity<Order>().Property(o => o.Total).HasPrecision(18, 2);
        modelBuilder.Entity<OrderLine>().Property(l => l.UnitPrice).HasPrecision(18, 2);
        modelBuilder.Entity<Product>().Property(p => p.Price).HasPrecision(18, 2);
        modelBuilder.Entity<PriceRule>().Property(r => r.Percent).HasPrecision(5, 2);
    }
}
""");

    private static SourceWriter Dtos(SourceWriter w, string ns) => w.Add($$"""
using System.Collections.Generic;

namespace {{ns}}.Models;

public sealed record OrderDto(int Id, int CustomerId, string Status, decimal Total, int LineCount);

public sealed record OrderLineDto(int ProductId, string ProductName, int Quantity, decimal UnitPrice);

public sealed record CustomerDto(int Id, string Name, string Email);

public sealed record CustomerStats(int CustomerId, int OpenOrders, decimal Spent, int Recheck);

public sealed record ProductDto(int Id, string Sku, string Name, decimal Price);

public sealed record CategoryDto(int Id, string Name, int ProductCount);

public sealed record QuoteLine(int ProductId, string Name, decimal Price);

public sealed record NewOrderItem(int ProductId, int Quantity);

public sealed record NewOrderRequest(int CustomerId, List<NewOrderItem> Items);

public sealed class OrderSummaryRow
{
    public int Id { get; set; }
    public decimal Total { get; set; }
    public string Status { get; set; }
}
""");

    private static SourceWriter OrderRepository(SourceWriter w, string ns) => w.Add($$"""
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using {{ns}}.Data;

namespace {{ns}}.Repositories;

public interface IOrderRepository
{
    Task<Order> GetByIdAsync(int id, CancellationToken cancellationToken);
    Task<List<Order>> GetRecentAsync(int customerId, int take, CancellationToken cancellationToken);
    IQueryable<Order> QueryOpen();
    Task<Customer> GetCustomerAsync(int id, CancellationToken cancellationToken);
    Task<Dictionary<int, Customer>> GetCustomersAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken);
    Task<Setting> GetSettingAsync(string key, CancellationToken cancellationToken);
    Task AddAsync(Order order, CancellationToken cancellationToken);
}

public sealed class EfOrderRepository : IOrderRepository
{
    private readonly ShopDbContext _db;

    public EfOrderRepository(ShopDbContext db)
    {
        _db = db;
    }

    public Task<Order> GetByIdAsync(int id, CancellationToken cancellationToken)
        => _db.Orders.Include(o => o.Lines).FirstOrDefaultAsync(o => o.Id == id, cancellationToken);

    public Task<List<Order>> GetRecentAsync(int customerId, int take, CancellationToken cancellationToken)
        => _db.Orders.AsNoTracking()
            .Where(o => o.CustomerId == customerId)
            .OrderByDescending(o => o.PlacedAt)
            .Take(take)
            .ToListAsync(cancellationToken);

    public IQueryable<Order> QueryOpen()
        => _db.Orders.Where(o => o.Status != OrderStatus.Archived && o.Status != OrderStatus.Cancelled);

    public async Task<Customer> GetCustomerAsync(int id, CancellationToken cancellationToken)
        => await _db.Customers.FindAsync(new object[] { id }, cancellationToken);

    public async Task<Dictionary<int, Customer>> GetCustomersAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken)
        => await _db.Customers.Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, cancellationToken);

    public Task<Setting> GetSettingAsync(string key, CancellationToken cancellationToken)
        => _db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == key, cancellationToken);

    public async Task AddAsync(Order order, CancellationToken cancellationToken)
    {
        _db.Orders.Add(order);
        await _db.SaveChangesAsync(cancellationToken);
    }
}

/// <summary>Settings read through a cache (cache-aside): no round trip per call in steady state.</summary>
public sealed class CachedSettings
{
    private static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(5);

    private readonly IMemoryCache _cache;
    private readonly IOrderRepository _orders;

    public CachedSettings(IMemoryCache cache, IOrderRepository orders)
    {
        _cache = cache;
        _orders = orders;
    }

    public async Task<string> GetAsync(string key, CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue(key, out string value))
        {
            return value;
        }

        var setting = await _orders.GetSettingAsync(key, cancellationToken);
        value = setting?.Value ?? "";
        _cache.Set(key, value, Lifetime);
        return value;
    }
}
""");

    private static SourceWriter ReportReader(SourceWriter w, string ns, ModuleFlags f)
    {
        w.Add($$"""
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Npgsql;
using {{ns}}.Models;

namespace {{ns}}.Repositories;

/// <summary>Reporting reads that bypass EF Core: Dapper and plain ADO.NET over Npgsql.</summary>
public sealed class OrderReportReader
{
    private readonly string _connectionString;

    public OrderReportReader(string connectionString)
    {
        _connectionString = connectionString;
    }

    public async Task<OrderSummaryRow> GetSummaryAsync(int orderId)
    {
        await using var conn = new NpgsqlConnection(_connectionString); // ok: fixed connection string, the provider pools
        await conn.OpenAsync();
        return await conn.QueryFirstOrDefaultAsync<OrderSummaryRow>("select id, total, status from orders where id = @orderId", new { orderId });
    }

    public async Task<List<OrderSummaryRow>> GetSummariesAsync(IReadOnlyList<int> orderIds)
    {
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync();
""");
        w.AddIf(f.N1DapperPerId, """
        var result = new List<OrderSummaryRow>();
        foreach (var id in orderIds)
        {
            var row = await conn.QueryFirstOrDefaultAsync<OrderSummaryRow>("select id, total, status from orders where id = @id", new { id }); // PERF001 [dapper-query-per-id]
            if (row != null)
            {
                result.Add(row);
            }
        }

        return result;
""", """
        var rows = await conn.QueryAsync<OrderSummaryRow>("select id, total, status from orders where id = any(@ids)", new { ids = orderIds.ToArray() }); // ok: one query for all ids
        return rows.ToList();
""");
        w.Add("""
    }

    public async Task<int> ExportAsync(Func<OrderSummaryRow, Task> sink, CancellationToken cancellationToken)
    {
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync(cancellationToken);
        var exported = 0;
        for (var page = 0; ; page++)
        {
            var rows = (await conn.QueryAsync<OrderSummaryRow>("select id, total, status from orders order by id limit 500 offset @offset", new { offset = page * 500 })).ToList(); // ok: paging loop, one query per page
            if (rows.Count == 0)
            {
                break;
            }

            foreach (var row in rows)
            {
                await sink(row);
                exported++;
            }
        }

        return exported;
    }

    public async Task<Dictionary<int, long>> CountLinesAsync(IEnumerable<int> orderIds, CancellationToken cancellationToken)
    {
        await using var conn = new NpgsqlConnection(_connectionString);
        await conn.OpenAsync(cancellationToken);
        var counts = new Dictionary<int, long>();
""");
        w.AddIf(f.N1AdoNetScalarPerId, """
        foreach (var orderId in orderIds)
        {
            await using var cmd = new NpgsqlCommand("select count(*) from order_lines where order_id = @id", conn);
            cmd.Parameters.AddWithValue("id", orderId);
            counts[orderId] = (long)(await cmd.ExecuteScalarAsync(cancellationToken) ?? 0L); // PERF001 [adonet-scalar-per-id]
        }
""", """
        await using var cmd = new NpgsqlCommand("select order_id, count(*) from order_lines where order_id = any(@ids) group by order_id", conn);
        cmd.Parameters.AddWithValue("ids", orderIds.ToArray());
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken)) // ok: reads the rows of one result set
        {
            counts[reader.GetInt32(0)] = reader.GetInt64(1);
        }
""");
        return w.Add("""

        return counts;
    }
}
""");
    }

    private static SourceWriter OrderService(SourceWriter w, string ns, ModuleFlags f)
    {
        w.Add($$"""
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Contoso.Shared.Integrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Logging;
using Npgsql;
using {{ns}}.Data;
using {{ns}}.Models;
using {{ns}}.Repositories;

namespace {{ns}}.Services;

public sealed class OrderService
{
    private readonly ShopDbContext _db;
    private readonly IOrderRepository _orders;
    private readonly CachedSettings _settings;
    private readonly IAuditLog _audit;
    private readonly IDistributedCache _cache;
    private readonly ILogger<OrderService> _logger;

    public OrderService(ShopDbContext db, IOrderRepository orders, CachedSettings settings, IAuditLog audit, IDistributedCache cache, ILogger<OrderService> logger)
    {
        _db = db;
        _orders = orders;
        _settings = settings;
        _audit = audit;
        _cache = cache;
        _logger = logger;
    }

    public async Task<List<OrderDto>> GetCustomerOrdersAsync(int customerId, CancellationToken cancellationToken)
    {
        var orders = await _orders.GetRecentAsync(customerId, 50, cancellationToken);
        return orders.Select(o => new OrderDto(o.Id, o.CustomerId, o.Status, o.Total, o.Lines.Count)).ToList();
    }

    public async Task RememberLastOrderAsync(int customerId, int orderId, CancellationToken cancellationToken)
    {
        var key = "last-order:" + customerId.ToString(CultureInfo.InvariantCulture);
        var value = orderId.ToString(CultureInfo.InvariantCulture);
""");
        w.AddIf(f.P5DistributedCacheWithoutOptions, """
        await _cache.SetStringAsync(key, value, cancellationToken); // PERF005 [distributed-cache-without-options]
""", """
        await _cache.SetStringAsync(key, value, new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromDays(7) }, cancellationToken); // ok: sliding expiration
""");
        w.Add("""
    }

    public Task CacheSummaryAsync(int orderId, string json, CancellationToken cancellationToken)
    {
        var options = new DistributedCacheEntryOptions();
        options.SetAbsoluteExpiration(TimeSpan.FromMinutes(15));
        return _cache.SetStringAsync("order-summary:" + orderId.ToString(CultureInfo.InvariantCulture), json, options, cancellationToken); // ok: the options local gets an absolute expiration
    }

    public async Task<List<Shipment>> ShipmentsAsync(string carrier, string reference, int orderId, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.P6UnindexedEqualityFilter, """
        var shipments = await _db.Shipments.AsNoTracking().Where(s => s.Carrier == carrier).ToListAsync(cancellationToken); // PERF006 [unindexed-equality-filter]
""", """
        var shipments = await _db.Shipments.AsNoTracking().Where(s => s.Reference == reference).ToListAsync(cancellationToken); // ok: Reference leads an [Index]
""");
        w.Add("""
        shipments.AddRange(await _db.Shipments.AsNoTracking().Where(s => s.ParentOrderId == orderId).ToListAsync(cancellationToken)); // ok: ParentOrderId is a foreign key
        return shipments;
    }

    public async Task<int> LowStockCountAsync(int categoryId, int threshold, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.P6UnindexedRangeCount, """
        return await _db.Products.CountAsync(p => p.StockLevel < threshold, cancellationToken); // PERF006 [unindexed-range-count]
""", """
        return await _db.Products.CountAsync(p => p.CategoryId == categoryId && p.StockLevel < threshold, cancellationToken); // ok: AND-ed with the CategoryId foreign key
""");
        w.Add("""
    }

    public async Task<int> DiscontinuedInCategoryAsync(int categoryId, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.P7CountAfterMaterializedLocal, """
        var products = await _db.Products.AsNoTracking().ToListAsync(cancellationToken); // PERF007 [count-after-materialized-local]
        return products.Count(p => p.CategoryId == categoryId && p.Discontinued);
""", """
        return await _db.Products.CountAsync(p => p.CategoryId == categoryId && p.Discontinued, cancellationToken); // ok: counted in the database
""");
        w.Add("""
    }

    public async Task<(int Total, int Paid)> PaidShareAsync(int customerId, CancellationToken cancellationToken)
    {
        var orders = await _db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).ToListAsync(cancellationToken); // ok: the rows are also counted in full, one query serves both
        return (orders.Count, orders.Count(o => o.Status == OrderStatus.Paid));
    }

    public async Task<Dictionary<string, decimal>> TotalsByRegionAsync(IReadOnlyList<Order> orders, CancellationToken cancellationToken)
    {
        var totals = new Dictionary<string, decimal>();
""");
        w.AddIf(f.N1ServiceRepositoryPerElement, """
        foreach (var order in orders)
        {
            var customer = await _orders.GetCustomerAsync(order.CustomerId, cancellationToken); // PERF001 [repository-call-per-element]
            var region = customer?.Region ?? "unknown";
            totals[region] = totals.GetValueOrDefault(region) + order.Total;
        }
""", """
        var customers = await _orders.GetCustomersAsync(orders.Select(o => o.CustomerId).Distinct().ToList(), cancellationToken);
        foreach (var order in orders)
        {
            var region = customers.TryGetValue(order.CustomerId, out var customer) ? customer.Region : "unknown"; // ok: dictionary lookup after one bulk query
            totals[region] = totals.GetValueOrDefault(region) + order.Total;
        }
""");
        w.Add("""

        return totals;
    }

    public async Task<List<CustomerDto>> LoadCustomersAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.N1WhenAllSelect, """
        var customers = await Task.WhenAll(ids.Select(async id => await _orders.GetCustomerAsync(id, cancellationToken))); // PERF001 [repository-call-per-element-in-select]
""", """
        var customers = (await _orders.GetCustomersAsync(ids, cancellationToken)).Values.ToArray(); // ok: one query for all ids
""");
        w.Add("""
        return customers.Where(c => c != null).Select(c => new CustomerDto(c.Id, c.Name, c.Email)).ToList();
    }

    public async Task<List<QuoteLine>> ApplyTaxAsync(List<QuoteLine> lines, CancellationToken cancellationToken)
    {
        var result = new List<QuoteLine>();
""");
        w.AddIf(f.P4InvariantQueryInLoop, """
        foreach (var line in lines)
        {
            var rate = await _db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == "tax-rate", cancellationToken); // PERF004 [invariant-query-in-loop]
            var factor = 1m + decimal.Parse(rate?.Value ?? "0", CultureInfo.InvariantCulture);
            result.Add(line with { Price = decimal.Round(line.Price * factor, 2) });
        }
""", """
        var rate = await _db.Settings.AsNoTracking().FirstOrDefaultAsync(s => s.Key == "tax-rate", cancellationToken);
        var factor = 1m + decimal.Parse(rate?.Value ?? "0", CultureInfo.InvariantCulture);
        foreach (var line in lines)
        {
            result.Add(line with { Price = decimal.Round(line.Price * factor, 2) }); // ok: the rate was read once before the loop
        }
""");
        w.Add("""

        return result;
    }

    public async Task<decimal> CurrencyAdjustedTotalAsync(List<Order> orders, CancellationToken cancellationToken)
    {
        var sum = 0m;
        foreach (var order in orders)
        {
""");
        w.AddIf(f.P4InvariantRepositoryCallInLoop, """
            var currency = await _orders.GetSettingAsync("currency", cancellationToken); // PERF004 [invariant-repository-call-in-loop]
            sum += currency?.Value == "EUR" ? order.Total * 1.1m : order.Total;
""", """
            var currency = await _settings.GetAsync("currency", cancellationToken); // ok: cache-aside lookup
            sum += currency == "EUR" ? order.Total * 1.1m : order.Total;
""");
        w.Add("""
        }

        return sum;
    }

    public async Task<CustomerStats> GetStatsAsync(int customerId, CancellationToken cancellationToken)
    {
        var open = await _db.Orders.CountAsync(o => o.CustomerId == customerId && o.Status == OrderStatus.Placed, cancellationToken);
        var spent = await _db.Orders.Where(o => o.CustomerId == customerId).SumAsync(o => o.Total, cancellationToken);
""");
        w.AddIf(f.P4RepeatWithinMethod, """
        var recheck = await _db.Orders.CountAsync(o => o.CustomerId == customerId && o.Status == OrderStatus.Placed, cancellationToken); // PERF004 [repeat-within-method]
""", """
        var recheck = open; // ok: reuses the earlier result
""");
        w.Add("""
        return new CustomerStats(customerId, open, spent, recheck);
    }

    public async Task<int> CountForAsync(int customerId, bool includeArchived, CancellationToken cancellationToken)
    {
        if (includeArchived)
        {
            return await _db.Orders.CountAsync(o => o.CustomerId == customerId, cancellationToken);
        }

        return await _db.Orders.CountAsync(o => o.CustomerId == customerId, cancellationToken); // ok: the first count returned already
    }

    public async Task<int> ConfirmAllAsync(int customerId, CancellationToken cancellationToken)
    {
        var pending = await _db.Orders.Where(o => o.CustomerId == customerId && o.Status == OrderStatus.Placed).ToListAsync(cancellationToken);
        foreach (var order in pending)
        {
            order.Status = OrderStatus.Paid;
        }

        await _db.SaveChangesAsync(cancellationToken); // ok: one SaveChanges after the loop
        var remaining = await _db.Orders.Where(o => o.CustomerId == customerId && o.Status == OrderStatus.Placed).ToListAsync(cancellationToken); // ok: re-read after SaveChanges
        return remaining.Count;
    }

    public async Task ConfirmAsync(int orderId, CancellationToken cancellationToken)
    {
        var order = await _db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order == null)
        {
            return;
        }

        order.Status = OrderStatus.Paid;
        await _db.SaveChangesAsync(cancellationToken);
""");
        w.AddIf(f.P2ServiceOnRequestPath, """
        await _audit.RecordAuditAsync("order.confirmed", orderId.ToString(CultureInfo.InvariantCulture), cancellationToken); // PERF002 [end-service-awaits-audit-on-request-path]
""", """
        _logger.LogInformation("Order {OrderId} confirmed", orderId); // ok: ILogger is in-process, not remote logging
""");
        w.Add("""
    }

    /// <summary>Called only from the archive job: not a request path.</summary>
    public async Task ArchiveAsync(int orderId, CancellationToken cancellationToken)
    {
        var order = await _db.Orders.FirstOrDefaultAsync(o => o.Id == orderId, cancellationToken);
        if (order == null)
        {
            return;
        }

        order.Status = OrderStatus.Archived;
        await _db.SaveChangesAsync(cancellationToken);
        await _audit.RecordAuditAsync("order.archived", orderId.ToString(CultureInfo.InvariantCulture), cancellationToken); // ok: reached only from a background job
    }
}

public sealed class ArchiveStatsService
{
    private readonly NpgsqlDataSource _dataSource;

    public ArchiveStatsService(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
    }

    public async Task<long> CountArchivedAsync(string connectionString, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.P3DataSourceOnRequestPath, """
        await using var dataSource = NpgsqlDataSource.Create(connectionString); // PERF003 [end-data-source-on-request-path]
        await using var command = dataSource.CreateCommand("select count(*) from archived_orders");
""", """
        await using var command = _dataSource.CreateCommand("select count(*) from archived_orders"); // ok: the data source is shared
""");
        return w.Add("""
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), CultureInfo.InvariantCulture);
    }
}
""");
    }

    private static SourceWriter Mapper(SourceWriter w, string ns) => w.Add($$"""
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using {{ns}}.Data;
using {{ns}}.Models;

namespace {{ns}}.Services;

/// <summary>Plain in-memory code: mapping, validation, pricing. No data access.</summary>
public static class OrderMapper
{
    public static OrderDto ToDto(Order order)
        => new OrderDto(order.Id, order.CustomerId, order.Status, order.Total, order.Lines.Count);

    public static List<OrderLineDto> ToLineDtos(Order order)
        => order.Lines.Select(l => new OrderLineDto(l.ProductId, l.Product?.Name ?? "?", l.Quantity, l.UnitPrice)).ToList();

    public static string Describe(Order order) => order.Status switch
    {
        OrderStatus.Placed => "Waiting for payment",
        OrderStatus.Paid => "Paid, preparing shipment",
        OrderStatus.Shipped => "On its way",
        OrderStatus.Delivered => "Delivered",
        OrderStatus.Archived => "Archived",
        OrderStatus.Cancelled => "Cancelled",
        _ => "Unknown",
    };

    public static IEnumerable<string> Validate(NewOrderRequest request)
    {
        if (request == null)
        {
            yield return "The request is empty.";
            yield break;
        }

        if (request.Items == null || request.Items.Count == 0)
        {
            yield return "An order needs at least one item.";
            yield break;
        }

        var seen = new HashSet<int>();
        for (var i = 0; i < request.Items.Count; i++)
        {
            var item = request.Items[i];
            if (item.Quantity <= 0)
            {
                yield return string.Format(CultureInfo.InvariantCulture, "Item {0}: quantity must be positive.", i);
            }

            if (!seen.Add(item.ProductId))
            {
                yield return string.Format(CultureInfo.InvariantCulture, "Item {0}: product {1} appears twice.", i, item.ProductId);
            }
        }
    }

    public static Dictionary<string, List<OrderDto>> GroupByStatus(IEnumerable<Order> orders)
        => orders.GroupBy(o => o.Status).ToDictionary(g => g.Key, g => g.Select(ToDto).ToList());

    public static decimal LineTotal(IEnumerable<OrderLine> lines)
        => lines.Where(l => l.Quantity > 0).Sum(l => l.UnitPrice * l.Quantity);

    public static string FormatMoney(decimal amount, string currency)
        => currency switch
        {
            "EUR" => amount.ToString("0.00", CultureInfo.InvariantCulture) + " EUR",
            "GBP" => "GBP " + amount.ToString("0.00", CultureInfo.InvariantCulture),
            _ => "$" + amount.ToString("0.00", CultureInfo.InvariantCulture),
        };
}
""");

    private static SourceWriter Controller(SourceWriter w, string ns, ModuleFlags f)
    {
        var route = "api/m" + f.Index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "/orders";
        w.Add($$"""
using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Contoso.Shared.Integrations;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Npgsql;
using {{ns}}.Data;
using {{ns}}.Models;
using {{ns}}.Repositories;
using {{ns}}.Services;

namespace {{ns}}.Controllers;

[ApiController]
[Route("{{route}}")]
public sealed class OrdersController : ControllerBase
{
    private const string ArchiveConnectionString = "Host=archive;Database=shop_archive";
    private static readonly HttpClient SharedClient = new HttpClient { Timeout = TimeSpan.FromSeconds(10) }; // ok: one static client for the application

    private readonly ShopDbContext _db;
    private readonly IOrderRepository _orders;
    private readonly OrderService _service;
    private readonly OrderReportReader _reports;
    private readonly ArchiveStatsService _archive;
    private readonly IAuditLog _audit;
    private readonly AuditQueue _auditQueue;
    private readonly IHttpClientFactory _httpClients;
    private readonly IMemoryCache _cache;
    private readonly ILogger<OrdersController> _logger;

    public OrdersController(
        ShopDbContext db,
        IOrderRepository orders,
        OrderService service,
        OrderReportReader reports,
        ArchiveStatsService archive,
        IAuditLog audit,
        AuditQueue auditQueue,
        IHttpClientFactory httpClients,
        IMemoryCache cache,
        ILogger<OrdersController> logger)
    {
        _db = db;
        _orders = orders;
        _service = service;
        _reports = reports;
        _archive = archive;
        _audit = audit;
        _auditQueue = auditQueue;
        _httpClients = httpClients;
        _cache = cache;
        _logger = logger;
    }

    [HttpGet("{id:int}")]
    public async Task<ActionResult<OrderDto>> Get(int id, CancellationToken cancellationToken)
    {
        var order = await _orders.GetByIdAsync(id, cancellationToken);
        if (order == null)
        {
            return NotFound();
        }

""");
        w.AddIf(f.P2ControllerAwaitsAudit, """
        await _audit.RecordAuditAsync("order.viewed", id.ToString(CultureInfo.InvariantCulture), cancellationToken); // PERF002 [handler-awaits-audit]
""", """
        await _auditQueue.EnqueueAsync(new AuditEntry("order.viewed", id.ToString(CultureInfo.InvariantCulture)), cancellationToken); // ok: in-memory queue drained in the background
""");
        w.Add("""
        await _service.RememberLastOrderAsync(order.CustomerId, id, cancellationToken);
        return OrderMapper.ToDto(order);
    }

    [HttpGet("by-customer/{customerId:int}")]
    public async Task<ActionResult<List<OrderDto>>> ByCustomer(int customerId, CancellationToken cancellationToken)
        => await _service.GetCustomerOrdersAsync(customerId, cancellationToken);

    [HttpGet("with-lines/{customerId:int}")]
    public async Task<ActionResult<List<OrderDto>>> WithLines(int customerId, CancellationToken cancellationToken)
    {
        var orders = await _db.Orders.Where(o => o.CustomerId == customerId).OrderByDescending(o => o.PlacedAt).Take(20).ToListAsync(cancellationToken);
""");
        w.AddIf(f.N1ControllerQueryPerElement, """
        foreach (var order in orders)
        {
            order.Lines = await _db.OrderLines.Where(l => l.OrderId == order.Id).ToListAsync(cancellationToken); // PERF001 [ef-query-per-element]
        }
""", """
        var ids = orders.Select(o => o.Id).ToList();
        var lines = await _db.OrderLines.Where(l => ids.Contains(l.OrderId)).ToListAsync(cancellationToken);
        foreach (var order in orders)
        {
            order.Lines = lines.Where(l => l.OrderId == order.Id).ToList(); // ok: in-memory LINQ over one bulk query
        }
""");
        w.Add("""

        return orders.Select(OrderMapper.ToDto).ToList();
    }

    [HttpPost("quote")]
    public ActionResult<List<QuoteLine>> Quote([FromBody] List<int> productIds)
    {
        var lines = new List<QuoteLine>();
""");
        w.AddIf(f.N1FindInForLoop, """
        for (var i = 0; i < productIds.Count; i++)
        {
            var product = _db.Products.Find(productIds[i]); // PERF001 [find-in-for-loop]
            if (product != null)
            {
                lines.Add(new QuoteLine(product.Id, product.Name, product.Price));
            }
        }
""", """
        var products = _db.Products.Where(p => productIds.Contains(p.Id)).ToDictionary(p => p.Id);
        foreach (var id in productIds)
        {
            if (products.TryGetValue(id, out var product)) // ok: dictionary lookup after one bulk query
            {
                lines.Add(new QuoteLine(product.Id, product.Name, product.Price));
            }
        }
""");
        w.Add("""

        return lines;
    }

    [HttpGet("carrier-quote/{orderId:int}")]
    public async Task<ActionResult<string>> CarrierQuote(int orderId, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.P3ControllerNewHttpClient, """
        using var client = new HttpClient { BaseAddress = new Uri("https://carrier.example/") }; // PERF003 [new-httpclient-in-action]
""", """
        var client = _httpClients.CreateClient("carrier"); // ok: IHttpClientFactory pools handlers
""");
        w.Add("""
        var quote = await client.GetStringAsync("quote/" + orderId.ToString(CultureInfo.InvariantCulture), cancellationToken);
        _logger.LogInformation("Carrier quote for {OrderId}", orderId); // ok: ILogger is in-process
        return quote;
    }

    [HttpGet("carrier-status")]
    public async Task<ActionResult<string>> CarrierStatus(CancellationToken cancellationToken)
        => await SharedClient.GetStringAsync("https://carrier.example/status", cancellationToken);

    [HttpGet("archived/count")]
    public async Task<ActionResult<long>> ArchivedCount(CancellationToken cancellationToken)
        => await _archive.CountArchivedAsync(ArchiveConnectionString, cancellationToken);

    [HttpPost("{id:int}/confirm")]
    public async Task<IActionResult> Confirm(int id, CancellationToken cancellationToken)
    {
        await _service.ConfirmAsync(id, cancellationToken);
        return NoContent();
    }

    [HttpPost]
    public async Task<IActionResult> Create([FromBody] NewOrderRequest request, CancellationToken cancellationToken)
    {
        var problems = OrderMapper.Validate(request).ToList();
        if (problems.Count > 0)
        {
            return BadRequest(problems);
        }

        var productIds = request.Items.Select(i => i.ProductId).Distinct().ToList();
        var products = await _db.Products.Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, cancellationToken);
        var order = new Order { CustomerId = request.CustomerId, PlacedAt = DateTime.UtcNow, Status = OrderStatus.Placed };
        _db.Orders.Add(order);
        foreach (var item in request.Items)
        {
            if (!products.TryGetValue(item.ProductId, out var product))
            {
                return BadRequest("Unknown product " + item.ProductId.ToString(CultureInfo.InvariantCulture));
            }

            _db.OrderLines.Add(new OrderLine { Order = order, ProductId = product.Id, Quantity = item.Quantity, UnitPrice = product.Price }); // ok: Add only tracks; one SaveChanges after the loop
            order.Total += product.Price * item.Quantity;
        }

        await _db.SaveChangesAsync(cancellationToken);
        return CreatedAtAction(nameof(Get), new { id = order.Id }, new { order.Id });
    }

    [HttpGet("export")]
    public async Task<ActionResult<int>> Export(CancellationToken cancellationToken)
    {
        var page = 0;
        var count = 0;
        while (true)
        {
            var batch = await _db.Orders.AsNoTracking().OrderBy(o => o.Id).Skip(page * 100).Take(100).ToListAsync(cancellationToken); // ok: paging loop, one query per page
            if (batch.Count == 0)
            {
                break;
            }

            count += batch.Count;
            page++;
        }

        return count;
    }

    [HttpGet("summaries")]
    public async Task<ActionResult<List<OrderSummaryRow>>> Summaries([FromQuery] int[] ids)
        => await _reports.GetSummariesAsync(ids);

    [HttpGet("line-counts")]
    public async Task<ActionResult<Dictionary<int, long>>> LineCounts([FromQuery] int[] ids, CancellationToken cancellationToken)
        => await _reports.CountLinesAsync(ids, cancellationToken);

    [HttpGet("stats/{customerId:int}")]
    public async Task<ActionResult<CustomerStats>> Stats(int customerId, CancellationToken cancellationToken)
        => await _service.GetStatsAsync(customerId, cancellationToken);

    [HttpPost("tax")]
    public async Task<ActionResult<List<QuoteLine>>> Tax([FromBody] List<QuoteLine> lines, CancellationToken cancellationToken)
        => await _service.ApplyTaxAsync(lines, cancellationToken);

    [HttpGet("regions")]
    public async Task<ActionResult<Dictionary<string, decimal>>> Regions(CancellationToken cancellationToken)
    {
        var since = DateTime.UtcNow.AddDays(-7);
        var orders = await _db.Orders.AsNoTracking().Where(o => o.PlacedAt >= since).ToListAsync(cancellationToken); // ok: PlacedAt leads an [Index]
        return await _service.TotalsByRegionAsync(orders, cancellationToken);
    }

    [HttpGet("customers")]
    public async Task<ActionResult<List<CustomerDto>>> Customers([FromQuery] int[] ids, CancellationToken cancellationToken)
        => await _service.LoadCustomersAsync(ids, cancellationToken);

    [HttpGet("currency-total/{customerId:int}")]
    public async Task<ActionResult<decimal>> CurrencyTotal(int customerId, CancellationToken cancellationToken)
    {
        var orders = await _orders.GetRecentAsync(customerId, 100, cancellationToken);
        return await _service.CurrencyAdjustedTotalAsync(orders, cancellationToken);
    }

    [HttpGet("paid/{customerId:int}")]
    public async Task<ActionResult<List<OrderDto>>> Paid(int customerId, CancellationToken cancellationToken)
    {
""");
        w.AddIf(f.P7FilterAfterToListAsync, """
        var orders = (await _db.Orders.AsNoTracking().ToListAsync(cancellationToken)).Where(o => o.CustomerId == customerId && o.Status == OrderStatus.Paid).ToList(); // PERF007 [filter-after-tolistasync]
""", """
        var orders = await _db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId && o.Status == OrderStatus.Paid).ToListAsync(cancellationToken); // ok: filtered in the database before ToListAsync
""");
        w.Add("""
        return orders.Select(OrderMapper.ToDto).ToList();
    }

    [HttpGet("categories")]
    public async Task<ActionResult<List<CategoryDto>>> Categories(CancellationToken cancellationToken)
    {
        if (_cache.TryGetValue("categories", out List<CategoryDto> cached))
        {
            return cached;
        }

        var categories = await _db.Categories.AsNoTracking().Select(c => new CategoryDto(c.Id, c.Name, c.Products.Count)).ToListAsync(cancellationToken);
""");
        w.AddIf(f.P5MemoryCacheSetInAction, """
        _cache.Set("categories", categories); // PERF005 [memory-cache-set-without-expiration-in-action]
""", """
        _cache.Set("categories", categories, TimeSpan.FromMinutes(10)); // ok: expires after ten minutes
""");
        w.Add("""
        return categories;
    }

    [HttpGet("tracking")]
    public async Task<ActionResult<List<string>>> Tracking([FromQuery] string[] references, CancellationToken cancellationToken)
    {
        var client = _httpClients.CreateClient("carrier");
""");
        w.AddIf(f.P8HttpFanOutPerReference, """
        var statuses = await Task.WhenAll(references.Select(reference => client.GetStringAsync("track/" + reference, cancellationToken))); // PERF008 [http-fan-out-per-reference]
""", """
        var statuses = await client.GetFromJsonAsync<string[]>("track?refs=" + string.Join(",", references), cancellationToken) ?? Array.Empty<string>(); // ok: one batch request for all references
""");
        w.Add("""
        return statuses.ToList();
    }
""");
        for (var k = 0; k < f.ExtraActions; k++)
        {
            ExtraAction(w, f, k);
        }

        return w.Add("}");
    }

    /// <summary>Extra actions: mostly look-alikes, one in five a real finding. Template chosen by (7i + k) mod 10.</summary>
    private static void ExtraAction(SourceWriter w, ModuleFlags f, int k)
    {
        var template = (7 * f.Index + k) % 10;
        var n = k.ToString(System.Globalization.CultureInfo.InvariantCulture);
        switch (template)
        {
            case 0:
                w.Add($$"""

    [HttpGet("extra/{{n}}/search")]
    public async Task<ActionResult<List<ProductDto>>> Search{{n}}([FromQuery] string q, CancellationToken cancellationToken)
    {
        IQueryable<Product> query = _db.Products.AsNoTracking().Where(p => !p.Discontinued);
        foreach (var term in (q ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            query = query.Where(p => p.Name.Contains(term) || p.Sku.StartsWith(term)); // ok: IQueryable composition, executed once after the loop
        }

        var hits = await query.OrderBy(p => p.Name).Take(50).ToListAsync(cancellationToken);
        return hits.Select(p => new ProductDto(p.Id, p.Sku, p.Name, p.Price)).ToList();
    }
""");
                break;
            case 1:
                w.Add($$"""

    [HttpGet("extra/{{n}}/lines-with-products/{orderId:int}")]
    public async Task<ActionResult<List<OrderLineDto>>> LinesWithProducts{{n}}(int orderId, CancellationToken cancellationToken)
    {
        var lines = await _db.OrderLines.Include(l => l.Product).Where(l => l.OrderId == orderId).ToListAsync(cancellationToken);
        var result = new List<OrderLineDto>();
        foreach (var line in lines)
        {
            result.Add(new OrderLineDto(line.ProductId, line.Product?.Name ?? "?", line.Quantity, line.UnitPrice)); // ok: Product loaded by Include
        }

        return result;
    }
""");
                break;
            case 2:
                w.Add($$"""

    [HttpPost("extra/{{n}}/discontinue")]
    public async Task<ActionResult<int>> Discontinue{{n}}([FromBody] List<int> productIds, CancellationToken cancellationToken)
    {
        var changed = 0;
        foreach (var chunk in productIds.Chunk(500))
        {
            var products = await _db.Products.Where(p => chunk.Contains(p.Id)).ToListAsync(cancellationToken); // ok: Chunk(500) batching with Contains
            foreach (var product in products)
            {
                product.Discontinued = true;
                changed++;
            }
        }

        await _db.SaveChangesAsync(cancellationToken);
        return changed;
    }
""");
                break;
            case 3:
                w.Add($$"""

    [HttpGet("extra/{{n}}/status-report")]
    public async Task<ActionResult<Dictionary<string, string>>> StatusReport{{n}}([FromQuery] string currency, CancellationToken cancellationToken)
    {
        var since = DateTime.UtcNow.AddDays(-30);
        var orders = await _db.Orders.AsNoTracking().Where(o => o.PlacedAt >= since).ToListAsync(cancellationToken); // ok: PlacedAt leads an [Index]
        var report = new Dictionary<string, string>();
        foreach (var group in OrderMapper.GroupByStatus(orders)) // ok: in-memory grouping of one query
        {
            var total = group.Value.Sum(o => o.Total);
            var label = group.Key switch
            {
                OrderStatus.Placed => "open",
                OrderStatus.Paid or OrderStatus.Shipped => "in progress",
                _ => "closed",
            };
            report[label + ":" + group.Key] = group.Value.Count.ToString(CultureInfo.InvariantCulture) + " / " + OrderMapper.FormatMoney(total, currency);
        }

        return report;
    }
""");
                break;
            case 4:
                w.Add($$"""

    [HttpGet("extra/{{n}}/open-count/{customerId:int}")]
    public async Task<ActionResult<int>> OpenCount{{n}}(int customerId, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _orders.QueryOpen().CountAsync(o => o.CustomerId == customerId, cancellationToken); // ok: retry loop, one round trip per attempt
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                await Task.Delay(50 * attempt, cancellationToken);
            }
        }
    }
""");
                break;
            case 5:
                w.Add($$"""

    [HttpGet("extra/{{n}}/skus")]
    public async Task<ActionResult<List<string>>> Skus{{n}}(CancellationToken cancellationToken)
    {
        var skus = new List<string>();
        await foreach (var product in _db.Products.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(cancellationToken)) // ok: one streaming query
        {
            if (!product.Discontinued)
            {
                skus.Add(product.Sku);
            }
        }

        return skus;
    }
""");
                break;
            case 6:
                w.Add($$"""

    [HttpPost("extra/{{n}}/reassign/{customerId:int}")]
    public async Task<ActionResult<int>> Reassign{{n}}(int customerId, [FromBody] List<int> orderIds, CancellationToken cancellationToken)
    {
        var orders = await _db.Orders.Where(o => orderIds.Contains(o.Id)).ToListAsync(cancellationToken);
        foreach (var order in orders)
        {
            var owner = await _db.Customers.FindAsync(new object[] { customerId }, cancellationToken); // ok: Find with the same key is answered by the change tracker
            order.Customer = owner;
        }

        return await _db.SaveChangesAsync(cancellationToken);
    }
""");
                break;
            case 7:
                w.Add($$"""

    [HttpGet("extra/{{n}}/shipments")]
    public async Task<ActionResult<Dictionary<int, string>>> Shipments{{n}}(int customerId, CancellationToken cancellationToken)
    {
        var orders = await _db.Orders.AsNoTracking().Where(o => o.CustomerId == customerId).ToListAsync(cancellationToken);
        var carriers = new Dictionary<int, string>();
        foreach (var order in orders)
        {
            var shipment = await _db.Shipments.AsNoTracking().FirstOrDefaultAsync(s => s.ParentOrderId == order.Id, cancellationToken); // PERF001 [ef-first-per-element]
            carriers[order.Id] = shipment?.Carrier ?? "none";
        }

        return carriers;
    }
""");
                break;
            case 8:
                w.Add($$"""

    [HttpGet("extra/{{n}}/suspicious-lines/{orderId:int}")]
    public async Task<ActionResult<List<int>>> SuspiciousLines{{n}}(int orderId, CancellationToken cancellationToken)
    {
        var lines = await _db.OrderLines.Where(l => l.OrderId == orderId).ToListAsync(cancellationToken);
        var suspicious = new List<int>();
        foreach (var line in lines)
        {
            var maxPrice = await _db.Products.MaxAsync(p => p.Price, cancellationToken); // PERF004 [invariant-max-in-loop]
            if (line.UnitPrice > maxPrice)
            {
                suspicious.Add(line.Id);
            }
        }

        return suspicious;
    }
""");
                break;
            default:
                w.Add($$"""

    [HttpGet("extra/{{n}}/big-orders")]
    public async Task<ActionResult<List<OrderSummaryRow>>> BigOrders{{n}}([FromQuery] decimal minimum)
    {
        await using var conn = new NpgsqlConnection("Host=db;Database=shop"); // ok: fixed connection string, the provider pools
        var rows = await conn.QueryAsync<OrderSummaryRow>("select id, total, status from orders where total >= @minimum order by total desc limit 100", new { minimum });
        var result = new List<OrderSummaryRow>();
        foreach (var row in rows)
        {
            if (row.Status != OrderStatus.Cancelled) // ok: filters rows of one query in memory
            {
                result.Add(row);
            }
        }

        return result;
    }
""");
                break;
        }
    }

    private static SourceWriter Endpoints(SourceWriter w, string ns, ModuleFlags f)
    {
        var route = "/api/m" + f.Index.ToString("D3", System.Globalization.CultureInfo.InvariantCulture) + "/catalog";
        w.Add($$"""
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Contoso.Shared.Integrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using {{ns}}.Data;
using {{ns}}.Models;

namespace {{ns}}.Endpoints;

public static class CatalogEndpoints
{
    public static IEndpointRouteBuilder MapCatalogEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("{{route}}");

        group.MapGet("/categories", async (ShopDbContext db, CancellationToken cancellationToken) =>
        {
            var categories = await db.Categories.AsNoTracking().OrderBy(c => c.Name).ToListAsync(cancellationToken);
            var result = new List<CategoryDto>();
""");
        w.AddIf(f.N1MinimalApiCountPerElement, """
            foreach (var category in categories)
            {
                var count = await db.Products.CountAsync(p => p.CategoryId == category.Id, cancellationToken); // PERF001 [ef-count-per-element-in-minimal-api]
                result.Add(new CategoryDto(category.Id, category.Name, count));
            }
""", """
            var counts = await db.Products.GroupBy(p => p.CategoryId).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(x => x.Key, x => x.Count, cancellationToken);
            foreach (var category in categories)
            {
                result.Add(new CategoryDto(category.Id, category.Name, counts.GetValueOrDefault(category.Id))); // ok: one grouped query before the loop
            }
""");
        w.Add("""

            return result;
        });

        group.MapGet("/search", async (string q, ShopDbContext db, TelemetryShipper telemetry, CancellationToken cancellationToken) =>
        {
            IQueryable<Product> query = db.Products.AsNoTracking();
            foreach (var term in (q ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                query = query.Where(p => p.Name.Contains(term)); // ok: IQueryable composition, executed once after the loop
            }

            var hits = await query.OrderBy(p => p.Name).Take(50).ToListAsync(cancellationToken);
""");
        w.AddIf(f.P2MinimalApiAwaitsTelemetry, """
            await telemetry.TrackEventAsync("catalog.search", q, cancellationToken); // PERF002 [minimal-api-awaits-telemetry]
""", """
            telemetry.Enqueue("catalog.search", q); // ok: buffered in memory, not awaited
""");
        w.Add("""
            return hits.Select(p => new ProductDto(p.Id, p.Sku, p.Name, p.Price)).ToList();
        });

        group.MapGet("/products/{id:int}/availability", async (int id, ShopDbContext db, IHttpClientFactory factory, CancellationToken cancellationToken) =>
        {
            var product = await db.Products.FindAsync(new object[] { id }, cancellationToken);
            if (product == null)
            {
                return Results.NotFound();
            }

""");
        w.AddIf(f.P3MinimalApiNewHttpClient, """
            using var http = new HttpClient(); // PERF003 [new-httpclient-in-minimal-api]
""", """
            var http = factory.CreateClient("inventory"); // ok: IHttpClientFactory pools handlers
""");
        w.Add("""
            var stock = await http.GetStringAsync("https://inventory.example/stock/" + product.Sku, cancellationToken);
            return Results.Ok(new { product.Id, stock });
        });

        group.MapGet("/stream", async (ShopDbContext db, HttpResponse response, CancellationToken cancellationToken) =>
        {
            await foreach (var product in db.Products.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(cancellationToken)) // ok: one streaming query
            {
                await response.WriteAsync(product.Sku + "\n", cancellationToken); // ok: writes to the response, not a database call
            }
        });

        group.MapGet("/by-ids", (int[] ids, ShopDbContext db) =>
        {
""");
        w.AddIf(f.N1MinimalApiSelectFind, """
            var products = ids.Select(id => db.Products.Find(id)).Where(p => p != null).ToList(); // PERF001 [find-per-element-in-select]
""", """
            var products = db.Products.Where(p => ids.Contains(p.Id)).ToList(); // ok: one query for all ids
""");
        w.Add("""
            return products.Select(p => new ProductDto(p.Id, p.Sku, p.Name, p.Price)).ToList();
        });

        group.MapPost("/prices", async (List<int> ids, IHttpClientFactory factory, CancellationToken cancellationToken) =>
        {
            var pricing = factory.CreateClient("pricing");
            var prices = new Dictionary<int, decimal>();
""");
        w.AddIf(f.P8HttpGetPerIdInMinimalApi, """
            foreach (var id in ids)
            {
                prices[id] = await pricing.GetFromJsonAsync<decimal>($"/prices/{id}", cancellationToken); // PERF008 [http-get-per-id-in-minimal-api]
            }
""", """
            var batch = await pricing.GetFromJsonAsync<Dictionary<int, decimal>>("/prices?ids=" + string.Join(",", ids), cancellationToken); // ok: one batch request for all ids
            foreach (var pair in batch ?? new Dictionary<int, decimal>())
            {
                prices[pair.Key] = pair.Value;
            }
""");
        return w.Add("""

            return prices;
        });

        group.MapGet("/supplier-feed", async (IHttpClientFactory factory, CancellationToken cancellationToken) =>
        {
            var supplier = factory.CreateClient("supplier");
            var items = new List<string>();
            for (var page = 1; page <= 5; page++)
            {
                items.AddRange(await supplier.GetFromJsonAsync<string[]>($"/feed?page={page}", cancellationToken) ?? Array.Empty<string>()); // ok: a small constant number of pages
            }

            return items;
        });

        return app;
    }
}
""");
    }

    private static SourceWriter Job(SourceWriter w, string ns, ModuleFlags f)
    {
        w.Add($$"""
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using {{ns}}.Data;
using {{ns}}.Services;

namespace {{ns}}.Jobs;

/// <summary>Periodically archives delivered orders and notifies webhooks.</summary>
public sealed class OrderArchiveJob : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);
    private static readonly string[] WebhookUrls = { "https://hooks.example/archive", "https://hooks.example/audit-mirror" };

    private readonly IServiceScopeFactory _scopes;
    private readonly ILogger<OrderArchiveJob> _logger;

    public OrderArchiveJob(IServiceScopeFactory scopes, ILogger<OrderArchiveJob> logger)
    {
        _scopes = scopes;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var webhookClient = new HttpClient(); // ok: created once per job run, not per request
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var scope = _scopes.CreateScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<ShopDbContext>();
                var service = scope.ServiceProvider.GetRequiredService<OrderService>();
                var cutoff = DateTime.UtcNow.AddDays(-30);
                var stale = await db.Orders.Where(o => o.Status == OrderStatus.Delivered && o.PlacedAt < cutoff).ToListAsync(stoppingToken); // ok: polling loop, one query per tick
""");
        w.AddIf(f.N1JobSaveChangesPerElement, """
                foreach (var order in stale)
                {
                    order.Status = OrderStatus.Archived;
                    await db.SaveChangesAsync(stoppingToken); // PERF001 [savechanges-per-element]
                }
""", """
                foreach (var order in stale)
                {
                    order.Status = OrderStatus.Archived;
                }

                await db.SaveChangesAsync(stoppingToken); // ok: one SaveChanges after the loop, once per tick
""");
        w.Add("""

                if (stale.Count > 0)
                {
                    await service.ArchiveAsync(stale[0].Id, stoppingToken); // ok: polling loop, once per tick
                }

""");
        w.AddIf(f.P3LoopNewHttpClient, """
                foreach (var hook in WebhookUrls)
                {
                    using var client = new HttpClient(); // PERF003 [new-httpclient-per-iteration]
                    await client.PostAsJsonAsync(hook, new { archived = stale.Count }, stoppingToken);
                }
""", """
                foreach (var hook in WebhookUrls)
                {
                    await webhookClient.PostAsJsonAsync(hook, new { archived = stale.Count }, stoppingToken); // ok: one client reused
                }
""");
        return w.Add("""

                var cache = scope.ServiceProvider.GetRequiredService<IMemoryCache>();
                cache.Set("archive:last-run", DateTime.UtcNow); // ok: a background job, not a request path
                _logger.LogInformation("Archived {Count} orders", stale.Count);
            }

            await Task.Delay(Interval, stoppingToken);
        }
    }

    public static async Task<int> RepriceAsync(ShopDbContext db, IReadOnlyCollection<int> productIds, decimal factor, CancellationToken cancellationToken)
    {
        foreach (var chunk in productIds.Chunk(500))
        {
            var products = await db.Products.Where(p => chunk.Contains(p.Id)).ToListAsync(cancellationToken); // ok: Chunk(500) batching with Contains
            foreach (var product in products)
            {
                product.Price = decimal.Round(product.Price * factor, 2);
            }
        }

        return await db.SaveChangesAsync(cancellationToken);
    }

    public static async Task<decimal> SumRevenueAsync(ShopDbContext db, CancellationToken cancellationToken)
    {
        var total = 0m;
        var lastId = 0;
        while (true)
        {
            var batch = await db.OrderLines.Where(l => l.Id > lastId).OrderBy(l => l.Id).Take(200).ToListAsync(cancellationToken); // ok: keyset batching, one query per 200 rows
            if (batch.Count == 0)
            {
                break;
            }

            total += batch.Sum(l => l.UnitPrice * l.Quantity);
            lastId = batch[batch.Count - 1].Id;
        }

        return total;
    }
}
""");
    }
}
