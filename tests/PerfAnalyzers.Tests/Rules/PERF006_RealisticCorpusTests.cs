using System.Threading;
using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.MissingIndexAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// Realistic EF Core application code for PERF006: look-alikes that must stay quiet (keys, foreign keys, leading index
/// columns, narrowed filters, owned/keyless types, raw SQL, in-memory LINQ, models configured out of sight) and the
/// everyday unindexed filter shapes that must report (repositories, queries built in steps, <c>Set&lt;T&gt;()</c>,
/// IN lists, prefixes, date ranges, bulk updates, scaffolded partial contexts).
/// </summary>
public class PERF006_RealisticCorpusTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Linq;
using System.Linq.Expressions;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

""";

    // An attribute-configured shop: Customer.Email is unique, Order has (TenantId, PlacedAt) and a unique Number,
    // Order.CustomerId is a conventional foreign key, OrderLine has a composite key (OrderId, LineNumber).
    private const string StoreModel = """
namespace Store
{
    public abstract class AuditableEntity
    {
        public DateTime CreatedAt { get; set; }
        public string CreatedBy { get; set; }
    }

    [Index(nameof(Email), IsUnique = true)]
    public class Customer : AuditableEntity
    {
        public int Id { get; set; }
        public string Email { get; set; }
        public string FullName { get; set; }
        public string Country { get; set; }
        public bool IsVip { get; set; }
        public List<Order> Orders { get; set; } = new();
    }

    public enum OrderStatus { Pending, Paid, Shipped, Cancelled }

    [Index(nameof(TenantId), nameof(PlacedAt))]
    [Index(nameof(Number), IsUnique = true)]
    public class Order : AuditableEntity
    {
        public int Id { get; set; }
        public int TenantId { get; set; }
        public string Number { get; set; }
        public OrderStatus Status { get; set; }
        public decimal Total { get; set; }
        public DateTime PlacedAt { get; set; }
        public DateTime? ShippedAt { get; set; }
        public string TrackingCode { get; set; }
        public int CustomerId { get; set; }
        public Customer Customer { get; set; }
        public Address ShippingAddress { get; set; }
        public List<OrderLine> Lines { get; set; } = new();
    }

    [Owned]
    public class Address
    {
        public string Street { get; set; }
        public string City { get; set; }
        public string PostalCode { get; set; }
    }

    [PrimaryKey(nameof(OrderId), nameof(LineNumber))]
    public class OrderLine
    {
        public int OrderId { get; set; }
        public int LineNumber { get; set; }
        public string Sku { get; set; }
        public int Quantity { get; set; }
        public Order Order { get; set; }
    }

    [Keyless]
    public class DailySales
    {
        public DateTime Day { get; set; }
        public decimal Amount { get; set; }
    }

    public class Country
    {
        public int Id { get; set; }
        public string IsoCode { get; set; }
        public string Name { get; set; }
    }

    public class StoreDbContext : DbContext
    {
        public StoreDbContext(DbContextOptions<StoreDbContext> options) : base(options) { }

        public DbSet<Customer> Customers => Set<Customer>();
        public DbSet<Order> Orders => Set<Order>();
        public DbSet<OrderLine> OrderLines => Set<OrderLine>();
        public DbSet<DailySales> DailySales => Set<DailySales>();
        public DbSet<Country> Countries => Set<Country>();
    }
}

""";

    // A fluently configured CRM: every entity has an IEntityTypeConfiguration<T>.
    private const string CrmEntities = """
namespace Crm
{
    public class Account
    {
        public Guid Id { get; set; }
        public string Name { get; set; }
        public string VatNumber { get; set; }
        public List<Lead> Leads { get; set; } = new();
    }

    public class Lead
    {
        public long Id { get; set; }
        public Guid OwnerId { get; set; }
        public string Stage { get; set; }
        public string ExternalRef { get; set; }
        public string Source { get; set; }
        public decimal Value { get; set; }
        public DateTime LastContactedAt { get; set; }
        public Guid AccountKey { get; set; }
        public Account Account { get; set; }
    }

    public class AccountConfiguration : IEntityTypeConfiguration<Account>
    {
        public void Configure(EntityTypeBuilder<Account> builder)
        {
            builder.ToTable("accounts");
            builder.HasKey(a => a.Id);
            builder.Property(a => a.Name).HasMaxLength(200).IsRequired();
            builder.HasIndex(a => a.VatNumber).IsUnique();
            builder.HasMany(a => a.Leads).WithOne(l => l.Account).HasForeignKey(l => l.AccountKey);
        }
    }

    public class LeadConfiguration : IEntityTypeConfiguration<Lead>
    {
        public void Configure(EntityTypeBuilder<Lead> builder)
        {
            builder.ToTable("leads");
            builder.HasIndex(l => new { l.OwnerId, l.Stage });
            builder.HasAlternateKey(l => l.ExternalRef);
            builder.Property(l => l.Value).HasPrecision(18, 2);
        }
    }
}

""";

    private const string CrmExplicitContext = """
namespace Crm
{
    public class CrmDbContext : DbContext
    {
        public DbSet<Account> Accounts => Set<Account>();
        public DbSet<Lead> Leads => Set<Lead>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.ApplyConfiguration(new AccountConfiguration());
            modelBuilder.ApplyConfiguration(new LeadConfiguration());
        }
    }
}

""";

    private static Task VerifyAsync(string model, string code)
        => VerifyCS.AnalyzerAsync(Usings + model + code, includeModel: false);

    private static Task VerifyFilesAsync(params (string Name, string Source)[] files)
    {
        var test = new VerifyCS.Test();
        foreach (var (name, source) in files)
        {
            test.TestState.Sources.Add((name, Usings + source));
        }

        return test.RunAsync(CancellationToken.None);
    }

    // ---------------------------------------------------------------- positives ----

    [Fact]
    public async Task RepositoryMethod_AsNoTrackingWhereStatusOrderByToListAsync_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Data
{
    public interface IOrderRepository { Task<List<Order>> GetByStatusAsync(OrderStatus status, CancellationToken ct); }

    public sealed class OrderRepository : IOrderRepository
    {
        private readonly StoreDbContext _db;
        public OrderRepository(StoreDbContext db) => _db = db;

        public async Task<List<Order>> GetByStatusAsync(OrderStatus status, CancellationToken ct)
            => await _db.Orders
                .AsNoTracking()
                .Where(o => {|PERF006:o.Status|} == status)
                .OrderByDescending(o => o.PlacedAt)
                .ToListAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task SearchQueryBuiltInSteps_OptionalStatusAndDateFilters_ReportsBoth()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed record OrderSearch(OrderStatus? Status, DateTime? From, int Page = 1);

    public sealed class OrderSearchService
    {
        private readonly StoreDbContext _db;
        public OrderSearchService(StoreDbContext db) => _db = db;

        public async Task<List<Order>> SearchAsync(OrderSearch search, CancellationToken ct)
        {
            var query = _db.Orders.AsQueryable();
            if (search.Status is not null)
            {
                query = query.Where(o => {|PERF006:o.Status|} == search.Status.Value);
            }

            if (search.From is not null)
            {
                query = query.Where(o => {|PERF006:o.PlacedAt|} >= search.From.Value);
            }

            return await query.OrderBy(o => o.Id).Skip((search.Page - 1) * 50).Take(50).ToListAsync(ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task QueryHeldInVariable_CountAsyncOnShippedSince_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Reports
{
    public sealed class ShippingReport
    {
        public async Task<(int Count, decimal Sum)> SinceAsync(StoreDbContext db, DateTime since)
        {
            var shipped = db.Orders.Where(o => {|PERF006:o.ShippedAt|} >= since);
            var count = await shipped.CountAsync();
            var sum = await shipped.SumAsync(o => o.Total);
            return (count, sum);
        }
    }
}
""");
    }

    [Fact]
    public async Task SetOfTInsteadOfDbSetProperty_FirstOrDefaultByFullName_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Services
{
    public sealed class CustomerLookup
    {
        private readonly StoreDbContext _db;
        public CustomerLookup(StoreDbContext db) => _db = db;

        public Task<Customer> ByNameAsync(string fullName, CancellationToken ct)
            => _db.Set<Customer>().FirstOrDefaultAsync(c => {|PERF006:c.FullName|} == fullName, ct);

        public Task<Customer> ByEmailAsync(string email, CancellationToken ct)
            => _db.Set<Customer>().SingleOrDefaultAsync(c => c.Email == email, ct);
    }
}
""");
    }

    [Fact]
    public async Task ContextWithoutDbSetProperties_EntityRegisteredInOnModelCreating_SetOfT_Reports()
    {
        await VerifyAsync("""
namespace Billing
{
    public class Invoice
    {
        public int Id { get; set; }
        public string Number { get; set; }
        public DateTime DueDate { get; set; }
        public decimal Amount { get; set; }
    }

    public class BillingDbContext : DbContext
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Invoice>(b =>
            {
                b.HasKey(i => i.Id);
                b.HasIndex(i => i.Number).IsUnique();
                b.Property(i => i.Amount).HasPrecision(18, 2);
            });
        }
    }
}

""", """
namespace Billing.Jobs
{
    public sealed class OverdueInvoices
    {
        public async Task<List<Invoice>> FindAsync(BillingDbContext db, DateTime today, string number)
        {
            var byNumber = await db.Set<Invoice>().FirstOrDefaultAsync(i => i.Number == number);
            return await db.Set<Invoice>().Where(i => {|PERF006:i.DueDate|} < today).ToListAsync();
        }
    }
}
""");
    }

    [Fact]
    public async Task ScaffoldedContext_IndexesInOnModelCreatingPartialInOtherFile_ReportsOnlyUnindexed()
    {
        await VerifyFilesAsync(
            ("Entities.cs", """
namespace Legacy
{
    public partial class Ticket
    {
        public int TicketId { get; set; }
        public string Subject { get; set; }
        public string Priority { get; set; }
        public int? AssigneeId { get; set; }
        public DateTime OpenedOn { get; set; }
    }
}
"""),
            ("LegacyContext.cs", """
namespace Legacy
{
    public partial class LegacyContext : DbContext
    {
        public LegacyContext(DbContextOptions<LegacyContext> options) : base(options) { }

        public virtual DbSet<Ticket> Tickets { get; set; }

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Ticket>(entity =>
            {
                entity.HasKey(e => e.TicketId).HasName("PK_Tickets");
                entity.HasIndex(e => e.AssigneeId, "IX_Tickets_AssigneeId");
                entity.Property(e => e.Subject).HasMaxLength(400);
            });

            OnModelCreatingPartial(modelBuilder);
        }

        partial void OnModelCreatingPartial(ModelBuilder modelBuilder);
    }
}
"""),
            ("LegacyContext.Custom.cs", """
namespace Legacy
{
    public partial class LegacyContext
    {
        partial void OnModelCreatingPartial(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Ticket>().HasIndex(e => e.OpenedOn);
        }
    }
}
"""),
            ("TicketQueries.cs", """
namespace Legacy.Queries
{
    public sealed class TicketQueries
    {
        private readonly LegacyContext _context;
        public TicketQueries(LegacyContext context) => _context = context;

        public async Task<int> RunAsync(int assignee, DateTime since)
        {
            var mine = await _context.Tickets.Where(t => t.AssigneeId == assignee).ToListAsync();
            var recent = await _context.Tickets.CountAsync(t => t.OpenedOn >= since);
            var urgent = await _context.Tickets.Where(t => {|PERF006:t.Priority|} == "urgent").ToListAsync();
            return mine.Count + recent + urgent.Count;
        }
    }
}
"""));
    }

    [Fact]
    public async Task ContainsOverStatusList_InQuery_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class OpenOrders
    {
        private static readonly OrderStatus[] Open = { OrderStatus.Pending, OrderStatus.Paid };

        public Task<List<Order>> ListAsync(StoreDbContext db, List<string> trackingCodes)
            => db.Orders.Where(o => Open.Contains({|PERF006:o.Status|})).ToListAsync();

        public Task<List<Order>> ByTrackingAsync(StoreDbContext db, List<string> trackingCodes)
            => db.Orders.Where(o => trackingCodes.Contains({|PERF006:o.TrackingCode|})).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task StartsWithPrefixOnName_Autocomplete_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class CustomerAutocomplete
    {
        public Task<List<string>> SuggestAsync(StoreDbContext db, string prefix, CancellationToken ct)
            => db.Customers
                .Where(c => {|PERF006:c.FullName|}.StartsWith(prefix))
                .OrderBy(c => c.FullName)
                .Select(c => c.FullName)
                .Take(10)
                .ToListAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task DateRangeOnPlacedAtAlone_SumAsync_ReportsOnce()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Reports
{
    public sealed class Revenue
    {
        public Task<decimal> BetweenAsync(StoreDbContext db, DateTime from, DateTime to)
            => db.Orders.Where(o => {|PERF006:o.PlacedAt|} >= from && o.PlacedAt < to).SumAsync(o => o.Total);
    }
}
""");
    }

    [Fact]
    public async Task OrOfTwoStatuses_CountAsync_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Dashboard
{
    public sealed class Backlog
    {
        public Task<int> OpenCountAsync(StoreDbContext db)
            => db.Orders.CountAsync(o => {|PERF006:o.Status|} == OrderStatus.Pending || o.Status == OrderStatus.Paid);
    }
}
""");
    }

    [Fact]
    public async Task ExecuteDeleteAndExecuteUpdateWithWhereOnUnindexedColumns_Report()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Jobs
{
    public sealed class Housekeeping
    {
        public async Task RunAsync(StoreDbContext db, DateTime cutoff, string country, CancellationToken ct)
        {
            await db.Orders.Where(o => {|PERF006:o.Status|} == OrderStatus.Cancelled).ExecuteDeleteAsync(ct);
            await db.Customers.Where(c => {|PERF006:c.Country|} == country).ExecuteUpdateAsync(s => s.SetProperty(c => c.IsVip, true), ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task FluentConfiguration_SecondColumnOfCompositeIndexAndPlainColumn_Report()
    {
        await VerifyAsync(CrmEntities + CrmExplicitContext, """
namespace Crm.Pipeline
{
    public sealed class LeadQueries
    {
        private readonly CrmDbContext _db;
        public LeadQueries(CrmDbContext db) => _db = db;

        public async Task<object> RunAsync(Guid owner, string stage, string source, string externalRef, string vat)
        {
            var mine = await _db.Leads.Where(l => l.OwnerId == owner && l.Stage == stage).ToListAsync();
            var byRef = await _db.Leads.SingleOrDefaultAsync(l => l.ExternalRef == externalRef);
            var account = await _db.Accounts.FirstOrDefaultAsync(a => a.VatNumber == vat);
            var inStage = await _db.Leads.Where(l => {|PERF006:l.Stage|} == stage).CountAsync();
            var bySource = await _db.Leads.AnyAsync(l => {|PERF006:l.Source|} == source);
            return (mine, byRef, account, inStage, bySource);
        }
    }
}
""");
    }

    [Fact]
    public async Task CompositePrimaryKey_SecondKeyColumnAndPlainColumn_Report()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Warehouse
{
    public sealed class Picking
    {
        public async Task<int> RunAsync(StoreDbContext db, int orderId, string sku)
        {
            var lines = await db.OrderLines.Where(l => l.OrderId == orderId).ToListAsync();
            var firstLines = await db.OrderLines.Where(l => {|PERF006:l.LineNumber|} == 1).ToListAsync();
            var anyOfSku = await db.OrderLines.AnyAsync(l => {|PERF006:l.Sku|} == sku);
            return lines.Count + firstLines.Count + (anyOfSku ? 1 : 0);
        }
    }
}
""");
    }

    [Fact]
    public async Task ApplyConfigurationsFromAssemblyOfThisCompilation_ModelVisible_Reports()
    {
        await VerifyAsync(CrmEntities + """
namespace Crm
{
    public class CrmDbContext : DbContext
    {
        public DbSet<Account> Accounts => Set<Account>();
        public DbSet<Lead> Leads => Set<Lead>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
    }
}

""", """
namespace Crm.Pipeline
{
    public sealed class StaleLeads
    {
        public Task<List<Lead>> ListAsync(CrmDbContext db, DateTime before, Guid owner)
            => db.Leads.Where(l => {|PERF006:l.LastContactedAt|} < before).ToListAsync();

        public Task<List<Lead>> MineAsync(CrmDbContext db, Guid owner)
            => db.Leads.Where(l => l.OwnerId == owner).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task FilterAfterIncludeAndAsNoTracking_FirstOrDefaultAsyncByTrackingCode_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class Tracking
    {
        public Task<Order> ByCodeAsync(StoreDbContext db, string code, CancellationToken ct)
            => db.Orders
                .Include(o => o.Lines)
                .Include(o => o.Customer)
                .AsNoTracking()
                .FirstOrDefaultAsync(o => {|PERF006:o.TrackingCode|} == code, ct);
    }
}
""");
    }

    [Fact]
    public async Task AuditColumnInheritedFromBaseClass_RangeFilter_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Admin
{
    public sealed class NewCustomers
    {
        public Task<List<Customer>> SinceAsync(StoreDbContext db, DateTime since)
            => db.Customers.Where(c => {|PERF006:c.CreatedAt|} > since).OrderBy(c => c.CreatedAt).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task ForeachAndAwaitForeachOverFilteredQuery_Report()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Jobs
{
    public sealed class Exporter
    {
        public async Task<int> ExportAsync(StoreDbContext db, string country, decimal min, CancellationToken ct)
        {
            var exported = 0;
            await foreach (var customer in db.Customers.Where(c => {|PERF006:c.Country|} == country).AsAsyncEnumerable())
            {
                exported++;
            }

            var big = db.Orders.AsNoTracking().Where(o => {|PERF006:o.Total|} >= min);
            foreach (var order in big)
            {
                exported++;
            }

            return exported;
        }
    }
}
""");
    }

    [Fact]
    public async Task QuerySyntaxWhereThenProjection_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Reports
{
    public sealed class Shipments
    {
        public async Task<object> RunAsync(StoreDbContext db, string code, OrderStatus status)
        {
            var query = from o in db.Orders
                        where {|PERF006:o.TrackingCode|} == code
                        select o;
            var found = await query.FirstOrDefaultAsync();
            var rows = await db.Orders.Where(o => {|PERF006:o.Status|} == status).Select(o => new { o.Id, o.Total }).ToListAsync();
            return (found, rows);
        }
    }
}
""");
    }

    [Fact]
    public async Task SoftDeleteQueryFilterOnly_DoesNotNarrow_Reports()
    {
        await VerifyAsync("""
namespace Docs
{
    public class Document
    {
        public int Id { get; set; }
        public string Title { get; set; }
        public bool IsDeleted { get; set; }
    }

    public class DocsDbContext : DbContext
    {
        public DbSet<Document> Documents => Set<Document>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.Entity<Document>().HasQueryFilter(d => !d.IsDeleted);
    }
}

""", """
namespace Docs.Api
{
    public sealed class Search
    {
        public Task<Document> ByTitleAsync(DocsDbContext db, string title) => db.Documents.FirstOrDefaultAsync(d => {|PERF006:d.Title|} == title);
    }
}
""");
    }

    [Fact]
    public async Task DeclaredShadowPropertyWithoutIndex_EfProperty_Reports()
    {
        await VerifyAsync("""
namespace Blogging
{
    public class Post { public int Id { get; set; } public string Title { get; set; } }

    public class PostConfiguration : IEntityTypeConfiguration<Post>
    {
        public void Configure(EntityTypeBuilder<Post> builder)
        {
            builder.Property<DateTime>("LastUpdated");
            builder.Property<string>("UpdatedBy").HasMaxLength(64);
        }
    }

    public class BlogDbContext : DbContext
    {
        public DbSet<Post> Posts => Set<Post>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new PostConfiguration());
    }
}

""", """
namespace Blogging.Sync
{
    public sealed class ChangeFeed
    {
        public Task<List<Post>> ChangedSinceAsync(BlogDbContext db, DateTime since)
            => db.Posts.Where(p => {|PERF006:EF.Property<DateTime>(p, "LastUpdated")|} > since).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task DashboardWhereThenGroupBy_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Dashboard
{
    public sealed class StatusBreakdown
    {
        public async Task<Dictionary<OrderStatus, int>> SinceAsync(StoreDbContext db, DateTime since)
        {
            var rows = await db.Orders
                .Where(o => {|PERF006:o.PlacedAt|} >= since)
                .GroupBy(o => o.Status)
                .Select(g => new { Status = g.Key, Count = g.Count() })
                .ToListAsync();
            return rows.ToDictionary(r => r.Status, r => r.Count);
        }
    }
}
""");
    }

    [Fact]
    public async Task OptionalFilterIdiom_NullOrEquals_Reports()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class OrderFilter
    {
        public Task<List<Order>> ListAsync(StoreDbContext db, OrderStatus? status, DateTime? from)
            => db.Orders
                .Where(o => (status == null || {|PERF006:o.Status|} == status) && (from == null || {|PERF006:o.PlacedAt|} >= from))
                .ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiEndpointLambdas_Report()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Endpoints
{
    using Microsoft.AspNetCore.Builder;
    using Microsoft.AspNetCore.Http;
    using Microsoft.AspNetCore.Routing;

    public static class OrderEndpoints
    {
        public static IEndpointRouteBuilder MapOrders(this IEndpointRouteBuilder app)
        {
            app.MapGet("/orders/by-tracking/{code}", async (string code, StoreDbContext db) =>
                await db.Orders.FirstOrDefaultAsync(o => {|PERF006:o.TrackingCode|} == code) is { } order ? Results.Ok(order) : Results.NotFound());
            app.MapGet("/orders/{id:int}", async (int id, StoreDbContext db) =>
                await db.Orders.FirstOrDefaultAsync(o => o.Id == id) is { } order ? Results.Ok(order) : Results.NotFound());
            app.MapGet("/customers/recent", (StoreDbContext db) =>
                db.Customers.Where(c => {|PERF006:c.CreatedAt|} >= DateTime.UtcNow.AddDays(-7)).ToListAsync());
            return app;
        }
    }
}
""");
    }

    [Fact]
    public async Task RecordEntityWithAttributeIndexes_UnindexedColumn_Reports()
    {
        await VerifyAsync("""
namespace Catalog
{
    [Index(nameof(Sku), IsUnique = true)]
    public record Product
    {
        public int Id { get; init; }
        public string Sku { get; init; }
        public string Brand { get; init; }
        public decimal Price { get; init; }
    }

    public class CatalogDbContext(DbContextOptions<CatalogDbContext> options) : DbContext(options)
    {
        public DbSet<Product> Products { get; set; } = null!;
    }
}

""", """
namespace Catalog.Api
{
    public sealed class ProductQueries(CatalogDbContext db)
    {
        public Task<Product> BySkuAsync(string sku) => db.Products.SingleOrDefaultAsync(p => p.Sku == sku);
        public Task<List<Product>> ByBrandAsync(string brand) => db.Products.Where(p => {|PERF006:p.Brand|} == brand.Trim()).ToListAsync();
    }
}
""");
    }

    // ---------------------------------------------------------------- quiet look-alikes ----

    [Fact]
    public async Task QueryLocalsFromParameterProjectionOrUndeclaredShadow_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class OrderRow { public int Id { get; set; } public string Status { get; set; } }

    public sealed class Filters
    {
        public async Task<object> RunAsync(StoreDbContext db, IQueryable<Order> source, string status, string code)
        {
            IQueryable<Order> fromCaller = source;
            fromCaller = fromCaller.Where(o => o.TrackingCode == code);
            var a = await fromCaller.ToListAsync();

            var rows = db.Orders.Select(o => new OrderRow { Id = o.Id, Status = o.Status.ToString() });
            rows = rows.Where(r => r.Status == status);
            var b = await rows.ToListAsync();

            var c = await db.Orders.Where(o => EF.Property<string>(o, "Channel") == code).ToListAsync();
            var d = await db.Customers.Where(x => x.Orders.Select(o => o.TrackingCode).Contains(code)).ToListAsync();
            var e = await db.Orders.Where(o => "ABCDEF".Contains(o.TrackingCode)).ToListAsync();
            return (a, b, c, d, e);
        }
    }
}
""");
    }


    [Fact]
    public async Task RepositoryByKeyForeignKeyUniqueNumberAndLeadingTenant_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Data
{
    public sealed class OrderReads
    {
        private readonly StoreDbContext _db;
        public OrderReads(StoreDbContext db) => _db = db;

        public Task<Order> ByIdAsync(int id) => _db.Orders.FirstOrDefaultAsync(o => o.Id == id);
        public Task<List<Order>> ForCustomerAsync(int customerId) => _db.Orders.Where(o => o.CustomerId == customerId).ToListAsync();
        public Task<Order> ByNumberAsync(string number) => _db.Orders.SingleOrDefaultAsync(o => o.Number == number);
        public Task<List<Order>> ForTenantAsync(int tenantId, DateTime since) => _db.Orders.Where(o => o.TenantId == tenantId && o.PlacedAt >= since).ToListAsync();
        public ValueTask<Order> FindAsync(int id) => _db.Orders.FindAsync(id);
    }
}
""");
    }

    [Fact]
    public async Task UnindexedFilterAndedWithTenantOrForeignKey_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class TenantOrders
    {
        public async Task<object> RunAsync(StoreDbContext db, int tenantId, int customerId, OrderStatus status)
        {
            var a = await db.Orders.Where(o => o.TenantId == tenantId && o.Status == status).ToListAsync();
            var b = await db.Orders.Where(o => o.CustomerId == customerId).Where(o => o.Total > 100m).CountAsync();
            var c = await db.Orders.AnyAsync(o => o.Status == status && o.CustomerId == customerId);
            return (a, b, c);
        }
    }
}
""");
    }

    [Fact]
    public async Task QueryBuiltInStepsStartingFromTenant_OptionalUnindexedFilters_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class TenantSearch
    {
        public async Task<List<Order>> SearchAsync(StoreDbContext db, int tenantId, OrderStatus? status, string tracking)
        {
            IQueryable<Order> query = db.Orders.Where(o => o.TenantId == tenantId);
            if (status.HasValue)
            {
                query = query.Where(o => o.Status == status.Value);
            }

            if (!string.IsNullOrEmpty(tracking))
            {
                query = query.Where(o => o.TrackingCode == tracking);
            }

            return await query.ToListAsync();
        }
    }
}
""");
    }

    [Fact]
    public async Task NavigationFilters_ThroughForeignKeyAndAcrossJoin_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class CustomerOrders
    {
        public async Task<object> RunAsync(StoreDbContext db, int customerId, string email, OrderStatus status)
        {
            var byNav = await db.Orders.Where(o => o.Customer.Id == customerId).ToListAsync();
            var byEmail = await db.Orders.Where(o => o.Customer.Email == email).ToListAsync();
            var withOrders = await db.Customers.Where(c => c.Orders.Any(o => o.Status == status)).ToListAsync();
            return (byNav, byEmail, withOrders);
        }
    }
}
""");
    }

    [Fact]
    public async Task UnindexedFilterAndedWithForeignKeyThroughNavigation_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class CustomerOrderHistory
    {
        public Task<List<Order>> ShippedAsync(StoreDbContext db, int customerId, DateTime since)
            => db.Orders.Where(o => o.Customer.Id == customerId && o.ShippedAt >= since).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task ConfigurationsFromExecutingAssemblyIndexStatus_OneToOneForeignKey_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Accounts
{
    public class User { public int Id { get; set; } public string Status { get; set; } public Profile Profile { get; set; } }
    public class Profile { public int Id { get; set; } public int OwnerRef { get; set; } public User Owner { get; set; } public string Bio { get; set; } }

    public class UserConfiguration : IEntityTypeConfiguration<User>
    {
        public void Configure(EntityTypeBuilder<User> builder)
        {
            builder.HasIndex(u => u.Status);
            builder.HasOne(u => u.Profile).WithOne(p => p.Owner).HasForeignKey<Profile>(p => p.OwnerRef);
        }
    }

    public class AccountsDbContext : DbContext
    {
        public DbSet<User> Users => Set<User>();
        public DbSet<Profile> Profiles => Set<Profile>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
            modelBuilder.ApplyConfigurationsFromAssembly(Assembly.GetExecutingAssembly());
        }
    }
}

""", """
namespace Accounts.Api
{
    public sealed class UserQueries
    {
        public async Task<object> RunAsync(AccountsDbContext db, string status, int userId)
        {
            var users = await db.Users.Where(u => u.Status == status).ToListAsync();
            var profile = await db.Profiles.SingleOrDefaultAsync(p => p.OwnerRef == userId);
            return (users, profile);
        }
    }
}
""");
    }

    [Fact]
    public async Task DapperSqlWithWhereOnUnindexedColumn_NotEfCore_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Reports
{
    using Dapper;

    public sealed class DapperReports
    {
        public async Task<int> CountAsync(StoreDbContext db, string code)
        {
            var connection = db.Database.GetDbConnection();
            var rows = await connection.QueryAsync<Order>("SELECT * FROM Orders WHERE TrackingCode = @code", new { code });
            return rows.Count();
        }
    }
}
""");
    }

    [Fact]
    public async Task FilterOverLoadedNavigationQuery_ScopedByForeignKey_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Services
{
    public sealed class OrderLinesLoader
    {
        public async Task<int> CountSkuAsync(StoreDbContext db, Order order, string sku)
        {
            var lines = await db.Entry(order).Collection(o => o.Lines).Query().Where(l => l.Sku == sku).ToListAsync();
            return lines.Count;
        }
    }
}
""");
    }

    [Fact]
    public async Task InListOverForeignKeyAndPrefixOnUniqueEmail_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class CustomerBulk
    {
        public async Task<object> RunAsync(StoreDbContext db, List<int> customerIds, string domainPrefix)
        {
            var orders = await db.Orders.Where(o => customerIds.Contains(o.CustomerId)).ToListAsync();
            var customers = await db.Customers.Where(c => c.Email.StartsWith(domainPrefix)).ToListAsync();
            return (orders, customers);
        }
    }
}
""");
    }

    [Fact]
    public async Task ContainsOverKeysAndUniqueNumbers_AndTextSearch_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class BulkLookup
    {
        public async Task<object> RunAsync(StoreDbContext db, int[] ids, List<string> numbers, string text)
        {
            var byIds = await db.Orders.Where(o => ids.Contains(o.Id)).ToListAsync();
            var byNumbers = await db.Orders.Where(o => numbers.Contains(o.Number)).ToListAsync();
            var search = await db.Customers.Where(c => c.FullName.Contains(text)).ToListAsync();
            var suffix = await db.Customers.Where(c => c.Email.EndsWith("@example.com")).ToListAsync();
            return (byIds, byNumbers, search, suffix);
        }
    }
}
""");
    }

    [Fact]
    public async Task FromSqlRoots_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Reports
{
    public sealed class RawReports
    {
        public async Task<object> RunAsync(StoreDbContext db, string status, decimal min)
        {
            var a = await db.Orders.FromSql($"SELECT * FROM Orders WHERE Status = {status}").Where(o => o.Total > min).ToListAsync();
            var b = await db.Orders.FromSqlRaw("SELECT * FROM Orders WITH (NOLOCK)").CountAsync(o => o.TrackingCode == status);
            return (a, b);
        }
    }
}
""");
    }

    [Fact]
    public async Task InMemoryLinqOverLoadedEntities_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Services
{
    public sealed class Basket
    {
        private readonly List<Order> _cached = new();

        public async Task<object> RunAsync(StoreDbContext db, int customerId, string code)
        {
            var orders = await db.Orders.Where(o => o.CustomerId == customerId).ToListAsync();
            var pending = orders.Where(o => o.Status == OrderStatus.Pending).ToList();
            var tracked = _cached.FirstOrDefault(o => o.TrackingCode == code);
            var count = orders.Count(o => o.Total > 100m);
            return (pending, tracked, count);
        }
    }
}
""");
    }

    [Fact]
    public async Task AsEnumerableThenFilter_ClientSideAfterIndexedQuery_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Services
{
    public sealed class ClientSide
    {
        public List<Order> Run(StoreDbContext db, int customerId, OrderStatus status)
            => db.Orders.Where(o => o.CustomerId == customerId).AsEnumerable().Where(o => o.Status == status).ToList();
    }
}
""");
    }

    [Fact]
    public async Task SmallLookupTableListedInEditorconfig_NoDiagnostic()
    {
        var test = new VerifyCS.Test { TestCode = Usings + StoreModel + """
namespace Store.Api
{
    public sealed class Countries
    {
        public Task<Country> ByIsoAsync(StoreDbContext db, string iso) => db.Countries.FirstOrDefaultAsync(c => c.IsoCode == iso);
        public Task<List<Country>> ByNameAsync(StoreDbContext db, string name) => db.Countries.Where(c => c.Name.StartsWith(name)).ToListAsync();
    }
}
""" };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nperf_analyzers.PERF006.small_tables = Store.Country\n"));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task KeylessReportRowsAndOwnedAddress_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Reports
{
    public sealed class Sales
    {
        public async Task<object> RunAsync(StoreDbContext db, DateTime day, string city)
        {
            var sales = await db.DailySales.Where(s => s.Day >= day).ToListAsync();
            var toCity = await db.Orders.Where(o => o.ShippingAddress.City == city).ToListAsync();
            return (sales, toCity);
        }
    }
}
""");
    }

    [Fact]
    public async Task HasNoKeyViewAndOwnsOneInOnModelCreating_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Hr
{
    public class Employee { public int Id { get; set; } public string Name { get; set; } public ContactInfo Contact { get; set; } }
    public class ContactInfo { public string Phone { get; set; } public string Email { get; set; } }
    public class HeadcountRow { public string Department { get; set; } public int Count { get; set; } }

    public class HrDbContext : DbContext
    {
        public DbSet<Employee> Employees => Set<Employee>();
        public DbSet<HeadcountRow> Headcount => Set<HeadcountRow>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Employee>().HasIndex(e => e.Name);
            modelBuilder.Entity<Employee>().OwnsOne(e => e.Contact);
            modelBuilder.Entity<HeadcountRow>().HasNoKey().ToView("v_headcount");
        }
    }
}

""", """
namespace Hr.Api
{
    public sealed class Directory
    {
        public async Task<object> RunAsync(HrDbContext db, string name, string dept, string phone)
        {
            var byName = await db.Employees.FirstOrDefaultAsync(e => e.Name == name);
            var byPhone = await db.Employees.Where(e => e.Contact.Phone == phone).ToListAsync();
            var rows = await db.Headcount.Where(h => h.Department == dept).ToListAsync();
            return (byName, byPhone, rows);
        }
    }
}
""");
    }

    [Fact]
    public async Task ApplyConfigurationsFromAnotherAssembly_ModelNotVisible_NoDiagnostic()
    {
        await VerifyAsync(CrmEntities + """
namespace Crm
{
    public class CrmDbContext : DbContext
    {
        public DbSet<Account> Accounts => Set<Account>();
        public DbSet<Lead> Leads => Set<Lead>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyConfigurationsFromAssembly(Assembly.Load("Crm.Persistence.Configurations"));
    }
}

""", """
namespace Crm.Pipeline
{
    public sealed class StaleLeads
    {
        public Task<List<Lead>> ListAsync(CrmDbContext db, DateTime before)
            => db.Leads.Where(l => l.LastContactedAt < before).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task FilterOnProjectionAfterSelect_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class OrderRow { public int Id { get; set; } public string Status { get; set; } public decimal Total { get; set; } }

    public sealed class Grid
    {
        public Task<List<OrderRow>> RowsAsync(StoreDbContext db, string status)
            => db.Orders
                .Select(o => new OrderRow { Id = o.Id, Status = o.Status.ToString(), Total = o.Total })
                .Where(r => r.Status == status)
                .ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task BoolFlagNullTestNotEqualsColumnToColumnAndFunctionOnColumn_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class Misc
    {
        public async Task<object> RunAsync(StoreDbContext db, DateTime today, string number)
        {
            var vips = await db.Customers.Where(c => c.IsVip).ToListAsync();
            var notVip = await db.Customers.CountAsync(c => c.IsVip == false);
            var unshipped = await db.Orders.Where(o => o.ShippedAt == null).ToListAsync();
            var live = await db.Orders.Where(o => o.Status != OrderStatus.Cancelled).CountAsync();
            var late = await db.Orders.Where(o => o.ShippedAt > o.PlacedAt).ToListAsync();
            var todays = await db.Orders.Where(o => o.PlacedAt.Date == today).ToListAsync();
            var upper = await db.Orders.Where(o => o.Number.ToUpper() == number).ToListAsync();
            return (vips, notVip, unshipped, live, late, todays, upper);
        }
    }
}
""");
    }

    [Fact]
    public async Task GlobalQueryFilterOnIndexedTenant_NarrowsEveryQuery_NoDiagnostic()
    {
        await VerifyAsync("""
namespace SaaS
{
    public interface ITenantProvider { int TenantId { get; } }

    [Index(nameof(TenantId))]
    public class Project
    {
        public int Id { get; set; }
        public int TenantId { get; set; }
        public string Name { get; set; }
        public bool IsDeleted { get; set; }
    }

    public class SaaSDbContext : DbContext
    {
        private readonly int _tenantId;
        public SaaSDbContext(DbContextOptions<SaaSDbContext> options, ITenantProvider tenant) : base(options) => _tenantId = tenant.TenantId;

        public DbSet<Project> Projects => Set<Project>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Project>().HasQueryFilter(p => p.TenantId == _tenantId && !p.IsDeleted);
        }
    }
}

""", """
namespace SaaS.Api
{
    public sealed class Projects
    {
        public Task<Project> ByNameAsync(SaaSDbContext db, string name) => db.Projects.FirstOrDefaultAsync(p => p.Name == name);
    }
}
""");
    }

    [Fact]
    public async Task RepositoryReturnsDeferredQuery_ExecutedElsewhere_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Data
{
    public sealed class OrderQueries
    {
        private readonly StoreDbContext _db;
        public OrderQueries(StoreDbContext db) => _db = db;

        public IQueryable<Order> Pending() => _db.Orders.Where(o => o.Status == OrderStatus.Pending);

        public IQueryable<Order> ForTracking(string code)
        {
            var query = _db.Orders.Where(o => o.TrackingCode == code);
            return query;
        }
    }
}
""");
    }

    [Fact]
    public async Task GenericRepositoryWithPredicateParameter_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Data
{
    public class Repository<T> where T : class
    {
        private readonly StoreDbContext _db;
        public Repository(StoreDbContext db) => _db = db;

        public Task<List<T>> ListAsync(Expression<Func<T, bool>> predicate) => _db.Set<T>().Where(predicate).ToListAsync();
        public Task<T> FirstAsync(Expression<Func<T, bool>> predicate) => _db.Set<T>().FirstOrDefaultAsync(predicate);
    }
}
""");
    }

    [Fact]
    public async Task ForeignKeysByAttributeAndFluentHasForeignKey_NoDiagnostic()
    {
        await VerifyAsync(CrmEntities + CrmExplicitContext + """
namespace Support
{
    public class Agent { public int Id { get; set; } public string Login { get; set; } }
    public class Case
    {
        public int Id { get; set; }
        [ForeignKey(nameof(AssignedAgent))] public int HandledBy { get; set; }
        public Agent AssignedAgent { get; set; }
        public int EscalatedToId { get; set; }
        [ForeignKey("EscalatedToId")] public Agent Escalation { get; set; }
        public string OpenedByLogin { get; set; }
    }
    public class SupportDbContext : DbContext
    {
        public DbSet<Agent> Agents => Set<Agent>();
        public DbSet<Case> Cases => Set<Case>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Case>().HasOne<Agent>().WithMany().HasForeignKey(c => c.OpenedByLogin).HasPrincipalKey(a => a.Login);
        }
    }
}

""", """
namespace Support.Api
{
    public sealed class Cases
    {
        public async Task<object> RunAsync(SupportDbContext support, Crm.CrmDbContext crm, int agentId, string login, Guid accountId)
        {
            var handled = await support.Cases.Where(c => c.HandledBy == agentId).ToListAsync();
            var escalated = await support.Cases.Where(c => c.EscalatedToId == agentId).ToListAsync();
            var opened = await support.Cases.Where(c => c.OpenedByLogin == login).ToListAsync();
            var agent = await support.Agents.FirstAsync(a => a.Login == login);
            var leads = await crm.Leads.Where(l => l.AccountKey == accountId).ToListAsync();
            return (handled, escalated, opened, agent, leads);
        }
    }
}
""");
    }

    [Fact]
    public async Task ShadowPropertiesIndexedOrForeignKey_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Blogging
{
    public class Blog { public int Id { get; set; } public List<Post> Posts { get; set; } = new(); }
    public class Post { public int Id { get; set; } public string Title { get; set; } }

    public class BlogDbContext : DbContext
    {
        public DbSet<Blog> Blogs => Set<Blog>();
        public DbSet<Post> Posts => Set<Post>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Post>().Property<DateTime>("LastUpdated");
            modelBuilder.Entity<Post>().HasIndex("LastUpdated");
        }
    }
}

""", """
namespace Blogging.Api
{
    public sealed class Posts
    {
        public async Task<object> RunAsync(BlogDbContext db, int blogId, DateTime since)
        {
            var ofBlog = await db.Posts.Where(p => EF.Property<int>(p, "BlogId") == blogId).ToListAsync();
            var changed = await db.Posts.Where(p => EF.Property<DateTime>(p, "LastUpdated") > since).ToListAsync();
            return (ofBlog, changed);
        }
    }
}
""");
    }

    [Fact]
    public async Task OrderingAndPagingWithoutFilter_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class Latest
    {
        public async Task<object> RunAsync(StoreDbContext db, int page)
        {
            var top = await db.Orders.OrderByDescending(o => o.Total).Take(10).ToListAsync();
            var paged = await db.Customers.OrderBy(c => c.FullName).Skip(page * 20).Take(20).ToListAsync();
            var count = await db.Orders.CountAsync();
            return (top, paged, count);
        }
    }
}
""");
    }

    [Fact]
    public async Task OrAcrossIndexedColumns_NoDiagnostic()
    {
        await VerifyAsync(StoreModel, """
namespace Store.Api
{
    public sealed class Lookup
    {
        public Task<Order> ByIdOrNumberAsync(StoreDbContext db, int id, string number)
            => db.Orders.FirstOrDefaultAsync(o => o.Id == id || o.Number == number);

        public Task<List<Order>> ForEitherCustomerAsync(StoreDbContext db, int a, int b)
            => db.Orders.Where(o => o.CustomerId == a || o.CustomerId == b).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task HelperExtensionConfiguresModelOutOfSight_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Catalog
{
    public class Product { public int Id { get; set; } public string Sku { get; set; } public string Brand { get; set; } }

    public static class ModelBuilderExtensions
    {
        public static ModelBuilder ApplyCatalogIndexes(this ModelBuilder builder) => builder;
    }

    public class CatalogDbContext : DbContext
    {
        public DbSet<Product> Products => Set<Product>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyCatalogIndexes();
    }
}

""", """
namespace Catalog.Api
{
    public sealed class Products
    {
        public Task<Product> BySkuAsync(CatalogDbContext db, string sku) => db.Products.FirstOrDefaultAsync(p => p.Sku == sku);
    }
}
""");
    }
}
