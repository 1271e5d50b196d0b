using System.Threading;
using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.MissingIndexAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF006_MissingIndexTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.ComponentModel.DataAnnotations;
using System.ComponentModel.DataAnnotations.Schema;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

""";

    // Attribute-configured model: Order has a composite index (UserId, CreatedAt), a unique Number, an FK to Customer.
    private const string AttributeModel = """
namespace Shop
{
    public class Customer
    {
        public int Id { get; set; }
        public string Email { get; set; }
        public List<Order> Orders { get; set; }
    }

    [Index(nameof(UserId), nameof(CreatedAt))]
    [Index(nameof(Number), IsUnique = true)]
    public class Order
    {
        public int Id { get; set; }
        public int UserId { get; set; }
        public string Number { get; set; }
        public string Status { get; set; }
        public decimal Total { get; set; }
        public DateTime CreatedAt { get; set; }
        public int? CustomerId { get; set; }
        public Customer Customer { get; set; }
        public int WarehouseRef { get; set; }
        [NotMapped] public string Note { get; set; }
        public string Display => Number + " " + Status;
    }

    public class Country
    {
        public int Id { get; set; }
        public string Code { get; set; }
    }

    public class ShopDbContext : DbContext
    {
        public DbSet<Customer> Customers => Set<Customer>();
        public DbSet<Order> Orders => Set<Order>();
        public DbSet<Country> Countries => Set<Country>();
    }
}

""";

    private static Task VerifyAsync(string model, string code)
        => VerifyCS.AnalyzerAsync(Usings + model + code, includeModel: false);

    [Fact]
    public async Task WhereOnUnindexedStatus_ToListAsync_Reports()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public Task<List<Shop.Order>> PendingAsync(Shop.ShopDbContext db)
        => db.Orders.Where(o => {|PERF006:o.Status|} == "pending").ToListAsync();
}
""");
    }

    [Fact]
    public async Task CountAsyncByRangeOnSecondColumnOfCompositeIndex_Reports()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public Task<int> RecentAsync(Shop.ShopDbContext db, DateTime since)
        => db.Orders.CountAsync(o => {|PERF006:o.CreatedAt|} > since);
}
""");
    }

    [Fact]
    public async Task FirstOrDefaultByEmail_MessageNamesEntityAndProperty()
    {
        await VerifyCS.AnalyzerAsync(Usings + AttributeModel + """
class Customers
{
    public Task<Shop.Customer> ByEmailAsync(Shop.ShopDbContext db, string email)
        => db.Customers.FirstOrDefaultAsync(c => {|#0:c.Email|} == email);
}
""", includeModel: false, new Microsoft.CodeAnalysis.Testing.DiagnosticResult("PERF006", Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0).WithArguments("Customer", "Email").WithOptions(Microsoft.CodeAnalysis.Testing.DiagnosticOptions.IgnoreAdditionalLocations));
    }

    [Fact]
    public async Task SamePropertyFilteredTwiceInOneMethod_ReportsOnce()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task<int> TwiceAsync(Shop.ShopDbContext db, decimal min)
    {
        var a = await db.Orders.CountAsync(o => {|PERF006:o.Total|} >= min);
        var b = await db.Orders.AnyAsync(o => o.Total >= min * 2);
        return a + (b ? 1 : 0);
    }
}
""");
    }

    [Fact]
    public async Task WhereAfterOrderByAndInclude_ConstantOnLeft_Reports()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public List<Shop.Order> Big(Shop.ShopDbContext db)
        => db.Orders.Include(o => o.Customer).Where(o => 1000m < {|PERF006:o.Total|}).OrderBy(o => o.CreatedAt).ToList();
}
""");
    }

    [Fact]
    public async Task KeyForeignKeyAndLeadingIndexColumns_NoDiagnostic()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task Run(Shop.ShopDbContext db, int id, int userId, string number, int customerId)
    {
        await db.Orders.FirstAsync(o => o.Id == id);
        await db.Orders.Where(o => o.UserId == userId).ToListAsync();
        await db.Orders.SingleOrDefaultAsync(o => o.Number == number);
        await db.Orders.Where(o => o.CustomerId == customerId).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task AndedWithIndexedColumn_NoDiagnostic()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task Run(Shop.ShopDbContext db, int userId, DateTime since)
    {
        await db.Orders.Where(o => o.UserId == userId && o.CreatedAt > since).ToListAsync();
        await db.Orders.Where(o => o.UserId == userId).Where(o => o.Status == "open").CountAsync();
    }
}
""");
    }

    [Fact]
    public async Task StringContainsNotEqualsNullTestAndOrWithTextSearch_NoDiagnostic()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task Run(Shop.ShopDbContext db, string text)
    {
        await db.Orders.Where(o => o.Status.Contains(text)).ToListAsync();
        await db.Orders.Where(o => o.Status != "closed").ToListAsync();
        await db.Orders.Where(o => o.Status == null).ToListAsync();
        await db.Orders.Where(o => o.Status == "a" || o.Status.Contains(text)).ToListAsync();
        await db.Orders.Where(o => o.Note == text).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task OrOfComparisonsOnTwoUnindexedColumns_ReportsBoth()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public Task<List<Shop.Order>> Run(Shop.ShopDbContext db, int userId)
        => db.Orders.Where(o => {|PERF006:o.Status|} == "a" || {|PERF006:o.Total|} > 3).ToListAsync();
}
""");
    }

    [Fact]
    public async Task OrOfIndexedAndUnindexedColumn_ReportsUnindexed()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public Task<Shop.Order> Run(Shop.ShopDbContext db, string text)
        => db.Orders.FirstOrDefaultAsync(o => o.Number == text || {|PERF006:o.Status|} == text);
}
""");
    }

    [Fact]
    public async Task NotExecutedInMemoryOrFromSql_NoDiagnostic()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task Run(Shop.ShopDbContext db, List<Shop.Order> cached)
    {
        IQueryable<Shop.Order> deferred = db.Orders.Where(o => o.Status == "open");
        var inMemory = cached.Where(o => o.Status == "open").ToList();
        var raw = await db.Orders.FromSqlRaw("select * from orders").Where(o => o.Status == "open").ToListAsync();
        var projected = await db.Orders.Select(o => new { o.Status }).Where(x => x.Status == "open").ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task SmallTableListedInEditorconfig_NoDiagnostic()
    {
        var test = new VerifyCS.Test { TestCode = Usings + AttributeModel + """
class Countries
{
    public Task<Shop.Country> ByCodeAsync(Shop.ShopDbContext db, string code)
        => db.Countries.FirstAsync(c => c.Code == code);
    public Task<Shop.Order> ByStatusAsync(Shop.ShopDbContext db, string status)
        => db.Orders.FirstAsync(o => {|PERF006:o.Status|} == status);
}
""" };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nperf_analyzers.PERF006.small_tables = Shop.Country, Shop.Currency\n"));
        await test.RunAsync(CancellationToken.None);
    }

    private const string FluentModel = """
namespace Fluent
{
    public class Invoice
    {
        public int Id { get; set; }
        public string Reference { get; set; }
        public string State { get; set; }
        public int Year { get; set; }
        public int Month { get; set; }
        public string Code { get; set; }
    }

    public class Tag
    {
        public int Id { get; set; }
        public string Slug { get; set; }
        public string Label { get; set; }
    }

    public class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
    {
        public void Configure(EntityTypeBuilder<Invoice> builder)
        {
            builder.HasIndex(i => new { i.Year, i.Month });
            builder.HasAlternateKey(i => i.Reference);
            builder.HasIndex("Code");
        }
    }

    public class BillingDbContext : DbContext
    {
        public DbSet<Invoice> Invoices => Set<Invoice>();
        public DbSet<Tag> Tags => Set<Tag>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.ApplyConfiguration(new InvoiceConfiguration());
            modelBuilder.Entity<Tag>().HasIndex(t => t.Slug).IsUnique();
        }
    }
}

""";

    [Fact]
    public async Task FluentModel_UnindexedColumns_Report_IndexedOnesDoNot()
    {
        await VerifyAsync(FluentModel, """
class Billing
{
    public async Task Run(Fluent.BillingDbContext db, string reference, int year, int month, string code, string slug)
    {
        await db.Invoices.Where(i => i.Reference == reference).ToListAsync();
        await db.Invoices.Where(i => i.Year == year && i.Month == month).ToListAsync();
        await db.Invoices.Where(i => i.Code == code).ToListAsync();
        await db.Invoices.Where(i => {|PERF006:i.Month|} == month).ToListAsync();
        await db.Invoices.AnyAsync(i => {|PERF006:i.State|} == "draft");
        await db.Tags.FirstAsync(t => t.Slug == slug);
        await db.Tags.FirstAsync(t => {|PERF006:t.Label|} == slug);
    }
}
""");
    }

    [Fact]
    public async Task ApplyConfigurationsFromAnotherAssembly_ModelNotVisible_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Opaque
{
    public class Item { public int Id { get; set; } public string Sku { get; set; } }
    public class AppDbContext : DbContext
    {
        public DbSet<Item> Items => Set<Item>();
        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyConfigurationsFromAssembly(System.Reflection.Assembly.Load("Opaque.Configurations"));
    }
}

""", """
class Items
{
    public Task<Opaque.Item> BySkuAsync(Opaque.AppDbContext db, string sku) => db.Items.FirstAsync(i => i.Sku == sku);
}
""");
    }

    [Fact]
    public async Task HelperTakingModelBuilder_ModelNotVisible_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Opaque
{
    public class Item { public int Id { get; set; } public string Sku { get; set; } }
    public static class ModelConventions { public static void AddSkuIndexes(ModelBuilder builder) { } }
    public class AppDbContext : DbContext
    {
        public DbSet<Item> Items => Set<Item>();
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            ModelConventions.AddSkuIndexes(modelBuilder);
        }
    }
}

""", """
class Items
{
    public Task<Opaque.Item> BySkuAsync(Opaque.AppDbContext db, string sku) => db.Items.FirstAsync(i => i.Sku == sku);
}
""");
    }

    [Fact]
    public async Task KeylessAndOwnedAndHasNoKey_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Shapes
{
    [Keyless] public class SalesRow { public string Region { get; set; } public decimal Amount { get; set; } }
    [Owned] public class Address { public string City { get; set; } }
    public class ViewRow { public string Name { get; set; } }
    public class ReportDbContext : DbContext
    {
        public DbSet<SalesRow> Sales => Set<SalesRow>();
        public DbSet<Address> Addresses => Set<Address>();
        public DbSet<ViewRow> Rows => Set<ViewRow>();
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<ViewRow>().HasNoKey().ToView("rows");
        }
    }
}

""", """
class Reports
{
    public async Task Run(Shapes.ReportDbContext db)
    {
        await db.Sales.Where(s => s.Region == "EU").ToListAsync();
        await db.Addresses.Where(a => a.City == "Oslo").ToListAsync();
        await db.Rows.Where(r => r.Name == "x").ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task ConventionForeignKeys_ByNavigationAndByInverseCollection_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Blogging
{
    public class Blog { public int BlogId { get; set; } public List<Post> Posts { get; set; } }
    public class Person { public int Id { get; set; } }
    public class Post
    {
        public int PostId { get; set; }
        public int BlogId { get; set; }
        public int WriterId { get; set; }
        public Person Writer { get; set; }
        [ForeignKey(nameof(Editor))] public int EditedBy { get; set; }
        public Person Editor { get; set; }
    }
    public class BlogDbContext : DbContext
    {
        public DbSet<Blog> Blogs => Set<Blog>();
        public DbSet<Post> Posts => Set<Post>();
    }
}

""", """
class Posts
{
    public async Task Run(Blogging.BlogDbContext db, int id)
    {
        await db.Posts.Where(p => p.BlogId == id).ToListAsync();
        await db.Posts.Where(p => p.WriterId == id).ToListAsync();
        await db.Posts.Where(p => p.EditedBy == id).ToListAsync();
        await db.Posts.Where(p => p.PostId == id).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task EntityWithoutSourceDbContext_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Loose
{
    public class Thing { public int Id { get; set; } public string Name { get; set; } }
    public class LooseDbContext : DbContext { }
}

""", """
class Things
{
    public Task<Loose.Thing> ByNameAsync(Loose.LooseDbContext db, string name) => db.Set<Loose.Thing>().FirstAsync(t => t.Name == name);
}
""");
    }

    [Fact]
    public async Task CompositePrimaryKeyAttribute_LeadingServed_SecondReported()
    {
        await VerifyAsync("""
namespace Keys
{
    [PrimaryKey(nameof(TenantId), nameof(Number))]
    public class Ticket { public int TenantId { get; set; } public int Number { get; set; } public string Title { get; set; } }
    public class DeskDbContext : DbContext { public DbSet<Ticket> Tickets => Set<Ticket>(); }
}

""", """
class Tickets
{
    public async Task Run(Keys.DeskDbContext db, int tenant, int number)
    {
        await db.Tickets.Where(t => t.TenantId == tenant).ToListAsync();
        await db.Tickets.Where(t => {|PERF006:t.Number|} == number).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task FluentHasForeignKeyAndHasKeyInConfiguration_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Fk
{
    public class Buyer { public string Code { get; set; } public List<Purchase> Purchases { get; set; } }
    public class Purchase { public int Id { get; set; } public string BuyerCode { get; set; } public Buyer Owner { get; set; } }
    public class BuyerConfiguration : IEntityTypeConfiguration<Buyer>
    {
        public void Configure(EntityTypeBuilder<Buyer> builder)
        {
            builder.HasKey(b => b.Code);
            builder.HasMany(b => b.Purchases).WithOne(p => p.Owner).HasForeignKey(p => p.BuyerCode);
        }
    }
    public class TradeDbContext : DbContext
    {
        public DbSet<Buyer> Buyers => Set<Buyer>();
        public DbSet<Purchase> Purchases => Set<Purchase>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new BuyerConfiguration());
    }
}

""", """
class Trade
{
    public async Task Run(Fk.TradeDbContext db, string code)
    {
        await db.Buyers.SingleAsync(b => b.Code == code);
        await db.Purchases.Where(p => p.BuyerCode == code).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task HelperTakingEntityBuilderInConfigure_ModelNotVisible_NoDiagnostic()
    {
        await VerifyAsync("""
namespace Opaque
{
    public class Item { public int Id { get; set; } public string Sku { get; set; } }
    public static class Auditing { public static void Configure<T>(EntityTypeBuilder<T> builder) where T : class { } }
    public class ItemConfiguration : IEntityTypeConfiguration<Item>
    {
        public void Configure(EntityTypeBuilder<Item> builder) => Auditing.Configure(builder);
    }
    public class AppDbContext : DbContext
    {
        public DbSet<Item> Items => Set<Item>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new ItemConfiguration());
    }
}

""", """
class Items
{
    public Task<Opaque.Item> BySkuAsync(Opaque.AppDbContext db, string sku) => db.Items.FirstAsync(i => i.Sku == sku);
}
""");
    }

    [Fact]
    public async Task BoolColumnNavigationPathAndColumnToColumnQuiet_QueryHeldInLocalReports()
    {
        await VerifyAsync("""
namespace Misc
{
    public class Account { public int Id { get; set; } public bool IsActive { get; set; } public string Name { get; set; } public decimal Limit { get; set; } public decimal Balance { get; set; } }
    public class Entry { public int Id { get; set; } public int AccountId { get; set; } public Account Account { get; set; } }
    public class LedgerDbContext : DbContext
    {
        public DbSet<Account> Accounts => Set<Account>();
        public DbSet<Entry> Entries => Set<Entry>();
    }
}

""", """
class Ledger
{
    public async Task Run(Misc.LedgerDbContext db, string name)
    {
        await db.Accounts.Where(a => a.IsActive == true).ToListAsync();
        await db.Entries.Where(e => e.Account.Name == name).ToListAsync();
        await db.Accounts.Where(a => a.Balance > a.Limit).ToListAsync();
        var query = db.Accounts.Where(a => {|PERF006:a.Name|} == name);
        await query.ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task NullableAndEnumColumns_Report()
    {
        await VerifyAsync("""
namespace Jobs
{
    public enum JobState { Queued, Running, Done }
    public class Job { public int Id { get; set; } public JobState State { get; set; } public DateTime? DueAt { get; set; } }
    public class JobDbContext : DbContext { public DbSet<Job> Jobs => Set<Job>(); }
}

""", """
class Queue
{
    public async Task Run(Jobs.JobDbContext db, DateTime now)
    {
        await db.Jobs.FirstOrDefaultAsync(j => {|PERF006:j.State|} == Jobs.JobState.Queued);
        await db.Jobs.Where(j => {|PERF006:j.DueAt|} <= now).ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task BaseContextInSourceConfiguresIndex_DerivedCallsBase_ReadsBoth()
    {
        await VerifyAsync("""
namespace Layered
{
    public class Note { public int Id { get; set; } public string Key { get; set; } public string Text { get; set; } }
    public abstract class BaseDbContext : DbContext
    {
        public DbSet<Note> Notes => Set<Note>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Note>().HasIndex(n => n.Key);
    }
    public class AppDbContext : BaseDbContext
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            base.OnModelCreating(modelBuilder);
        }
    }
}

""", """
class Notes
{
    public async Task Run(Layered.AppDbContext db, string key)
    {
        await db.Notes.FirstAsync(n => n.Key == key);
        await db.Notes.FirstAsync(n => {|PERF006:n.Text|} == key);
    }
}
""");
    }
    [Fact]
    public async Task QueryRebuiltHundredsOfTimesInALocal_GivesUpQuietly()
    {
        var many = string.Concat(System.Linq.Enumerable.Repeat("        q = q.Where(o => o.Status == s).OrderBy(o => o.Id);\n", 300));
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task<int> Many(Shop.ShopDbContext db, string s)
    {
        var q = db.Orders.AsQueryable();

""" + many + """
        return await q.CountAsync();
    }
}
""");
    }

    [Fact]
    public async Task QueryRebuiltInALocalInTwoSteps_ReportsEachColumn()
    {
        await VerifyAsync(AttributeModel, """
class Orders
{
    public async Task<int> Few(Shop.ShopDbContext db, string s, decimal total)
    {
        var q = db.Orders.AsQueryable();
        q = q.Where(o => {|PERF006:o.Status|} == s);
        q = q.Where(o => {|PERF006:o.Total|} > total);
        return await q.CountAsync();
    }
}
""");
    }
}
