using System.Threading;
using System.Threading.Tasks;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.MissingIndexAnalyzer, PerfAnalyzers.CodeFixes.MissingIndex.MissingIndexCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF006_CodeFixTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

""";

    [Fact]
    public async Task AttributeModel_AddsIndexAttributeBeforeExistingOnes()
    {
        await VerifyFix.CodeFixAsync(Usings + """
namespace Shop
{
    /// <summary>An order.</summary>
    [Index(nameof(UserId))]
    public class Order
    {
        public int Id { get; set; }
        public int UserId { get; set; }
        public string Status { get; set; }
    }

    public class ShopDbContext : DbContext
    {
        public DbSet<Order> Orders => Set<Order>();
    }

    class Orders
    {
        public Task<List<Order>> PendingAsync(ShopDbContext db) => db.Orders.Where(o => {|PERF006:o.Status|} == "pending").ToListAsync();
    }
}
""", Usings + """
namespace Shop
{
    /// <summary>An order.</summary>
    [Index(nameof(Status))]
    [Index(nameof(UserId))]
    public class Order
    {
        public int Id { get; set; }
        public int UserId { get; set; }
        public string Status { get; set; }
    }

    public class ShopDbContext : DbContext
    {
        public DbSet<Order> Orders => Set<Order>();
    }

    class Orders
    {
        public Task<List<Order>> PendingAsync(ShopDbContext db) => db.Orders.Where(o => o.Status == "pending").ToListAsync();
    }
}
""", includeModel: false);
    }

    private const string PlainModel = """
namespace Shop
{
    public class Order
    {
        public int Id { get; set; }
        public string Status { get; set; }
        public decimal Total { get; set; }
    }

    public class ShopDbContext : Microsoft.EntityFrameworkCore.DbContext
    {
        public Microsoft.EntityFrameworkCore.DbSet<Order> Orders => Set<Order>();
    }
}
""";

    [Fact]
    public async Task FixAll_EntityInOtherFile_AddsEachIndexOnce_AndTheUsing()
    {
        var test = new VerifyFix.Test
        {
            TestCode = Usings + """
class Orders
{
    public Task<List<Shop.Order>> PendingAsync(Shop.ShopDbContext db) => db.Orders.Where(o => {|PERF006:o.Status|} == "pending").ToListAsync();
    public Task<bool> AnyOpenAsync(Shop.ShopDbContext db) => db.Orders.AnyAsync(o => {|PERF006:o.Status|} == "open");
    public Task<int> BigAsync(Shop.ShopDbContext db) => db.Orders.CountAsync(o => {|PERF006:o.Total|} > 100m);
}
""",
            FixedCode = Usings + """
class Orders
{
    public Task<List<Shop.Order>> PendingAsync(Shop.ShopDbContext db) => db.Orders.Where(o => o.Status == "pending").ToListAsync();
    public Task<bool> AnyOpenAsync(Shop.ShopDbContext db) => db.Orders.AnyAsync(o => o.Status == "open");
    public Task<int> BigAsync(Shop.ShopDbContext db) => db.Orders.CountAsync(o => o.Total > 100m);
}
""",
        };
        test.TestState.Sources.Add(("Model.cs", PlainModel));
        test.FixedState.Sources.Add(("Model.cs", """
using Microsoft.EntityFrameworkCore;

namespace Shop
{
    [Index(nameof(Status))]
    [Index(nameof(Total))]
    public class Order
    {
        public int Id { get; set; }
        public string Status { get; set; }
        public decimal Total { get; set; }
    }

    public class ShopDbContext : Microsoft.EntityFrameworkCore.DbContext
    {
        public Microsoft.EntityFrameworkCore.DbSet<Order> Orders => Set<Order>();
    }
}
"""));
        test.CodeFixTestBehaviors = Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipFixAllInDocumentCheck;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task EntityTypeConfiguration_AddsHasIndexInConfigure()
    {
        await VerifyFix.CodeFixAsync(Usings + """
namespace Billing
{
    public class Invoice
    {
        public int Id { get; set; }
        public string Reference { get; set; }
        public string State { get; set; }
    }

    public class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
    {
        public void Configure(EntityTypeBuilder<Invoice> builder)
        {
            builder.HasIndex(i => i.Reference);
        }
    }

    public class BillingDbContext : DbContext
    {
        public DbSet<Invoice> Invoices => Set<Invoice>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new InvoiceConfiguration());
    }

    class Invoices
    {
        public Task<bool> AnyDraftAsync(BillingDbContext db) => db.Invoices.AnyAsync(i => {|PERF006:i.State|} == "draft");
    }
}
""", Usings + """
namespace Billing
{
    public class Invoice
    {
        public int Id { get; set; }
        public string Reference { get; set; }
        public string State { get; set; }
    }

    public class InvoiceConfiguration : IEntityTypeConfiguration<Invoice>
    {
        public void Configure(EntityTypeBuilder<Invoice> builder)
        {
            builder.HasIndex(i => i.Reference);
            builder.HasIndex(i => i.State);
        }
    }

    public class BillingDbContext : DbContext
    {
        public DbSet<Invoice> Invoices => Set<Invoice>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.ApplyConfiguration(new InvoiceConfiguration());
    }

    class Invoices
    {
        public Task<bool> AnyDraftAsync(BillingDbContext db) => db.Invoices.AnyAsync(i => i.State == "draft");
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task OnModelCreatingWithHasIndex_AddsEntityHasIndexThere()
    {
        await VerifyFix.CodeFixAsync(Usings + """
namespace Tags
{
    public class Tag
    {
        public int Id { get; set; }
        public string Slug { get; set; }
        public string Label { get; set; }
    }

    public class TagDbContext : DbContext
    {
        public DbSet<Tag> Tags => Set<Tag>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Tag>().HasIndex(t => t.Slug).IsUnique();
        }
    }

    class TagLookup
    {
        public Task<Tag> ByLabelAsync(TagDbContext db, string label) => db.Tags.FirstAsync(t => {|PERF006:t.Label|} == label);
    }
}
""", Usings + """
namespace Tags
{
    public class Tag
    {
        public int Id { get; set; }
        public string Slug { get; set; }
        public string Label { get; set; }
    }

    public class TagDbContext : DbContext
    {
        public DbSet<Tag> Tags => Set<Tag>();

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Tag>().HasIndex(t => t.Slug).IsUnique();
            modelBuilder.Entity<Tag>().HasIndex(t => t.Label);
        }
    }

    class TagLookup
    {
        public Task<Tag> ByLabelAsync(TagDbContext db, string label) => db.Tags.FirstAsync(t => t.Label == label);
    }
}
""", includeModel: false);
    }
    [Fact]
    public async Task QueryBuiltInSteps_AttributeModel_AddsIndexAttribute()
    {
        await VerifyFix.CodeFixAsync(Usings + """
namespace Shop
{
    [Index(nameof(Number), IsUnique = true)]
    public class Order
    {
        public int Id { get; set; }
        public string Number { get; set; }
        public string Status { get; set; }
    }

    public class ShopDbContext : DbContext
    {
        public DbSet<Order> Orders => Set<Order>();
    }

    class OrderSearch
    {
        public async Task<List<Order>> SearchAsync(ShopDbContext db, string status)
        {
            var query = db.Orders.AsNoTracking().AsQueryable();
            if (status != null)
            {
                query = query.Where(o => {|PERF006:o.Status|} == status);
            }

            return await query.ToListAsync();
        }
    }
}
""", Usings + """
namespace Shop
{
    [Index(nameof(Status))]
    [Index(nameof(Number), IsUnique = true)]
    public class Order
    {
        public int Id { get; set; }
        public string Number { get; set; }
        public string Status { get; set; }
    }

    public class ShopDbContext : DbContext
    {
        public DbSet<Order> Orders => Set<Order>();
    }

    class OrderSearch
    {
        public async Task<List<Order>> SearchAsync(ShopDbContext db, string status)
        {
            var query = db.Orders.AsNoTracking().AsQueryable();
            if (status != null)
            {
                query = query.Where(o => o.Status == status);
            }

            return await query.ToListAsync();
        }
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task InListOverEntityConfiguredInConfigure_AddsHasIndexInConfigure()
    {
        await VerifyFix.CodeFixAsync(Usings + """
namespace Crm
{
    public class Lead
    {
        public long Id { get; set; }
        public string ExternalRef { get; set; }
        public string Source { get; set; }
    }

    public class LeadConfiguration : IEntityTypeConfiguration<Lead>
    {
        public void Configure(EntityTypeBuilder<Lead> builder)
        {
            builder.HasAlternateKey(l => l.ExternalRef);
        }
    }

    public class CrmDbContext : DbContext
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
    }

    class LeadQueries
    {
        public Task<List<Lead>> FromSourcesAsync(CrmDbContext db, List<string> sources)
            => db.Set<Lead>().Where(l => sources.Contains({|PERF006:l.Source|})).ToListAsync();
    }
}
""", Usings + """
namespace Crm
{
    public class Lead
    {
        public long Id { get; set; }
        public string ExternalRef { get; set; }
        public string Source { get; set; }
    }

    public class LeadConfiguration : IEntityTypeConfiguration<Lead>
    {
        public void Configure(EntityTypeBuilder<Lead> builder)
        {
            builder.HasAlternateKey(l => l.ExternalRef);
            builder.HasIndex(l => l.Source);
        }
    }

    public class CrmDbContext : DbContext
    {
        protected override void OnModelCreating(ModelBuilder modelBuilder)
            => modelBuilder.ApplyConfigurationsFromAssembly(typeof(CrmDbContext).Assembly);
    }

    class LeadQueries
    {
        public Task<List<Lead>> FromSourcesAsync(CrmDbContext db, List<string> sources)
            => db.Set<Lead>().Where(l => sources.Contains(l.Source)).ToListAsync();
    }
}
""", includeModel: false);
    }

    private const string ScaffoldedContext = """
namespace Legacy
{
    public partial class Ticket
    {
        public int TicketId { get; set; }
        public string Priority { get; set; }
        public int? AssigneeId { get; set; }
    }

    public partial class LegacyContext : DbContext
    {
        public virtual DbSet<Ticket> Tickets { get; set; }

        protected override void OnModelCreating(ModelBuilder modelBuilder)
        {
            modelBuilder.Entity<Ticket>(entity =>
            {
                entity.HasKey(e => e.TicketId);
                entity.HasIndex(e => e.AssigneeId, "IX_Tickets_AssigneeId");
            });

            OnModelCreatingPartial(modelBuilder);
        }

        partial void OnModelCreatingPartial(ModelBuilder modelBuilder);
    }
}

""";

    [Fact]
    public async Task ScaffoldedPartialContext_AddsEntityHasIndexAtEndOfOnModelCreating()
    {
        var test = new VerifyFix.Test
        {
            TestCode = Usings + """
class TicketQueries
{
    public Task<List<Legacy.Ticket>> UrgentAsync(Legacy.LegacyContext db)
        => db.Tickets.Where(t => {|PERF006:t.Priority|} == "urgent" || t.Priority == "high").ToListAsync();
}
""",
            FixedCode = Usings + """
class TicketQueries
{
    public Task<List<Legacy.Ticket>> UrgentAsync(Legacy.LegacyContext db)
        => db.Tickets.Where(t => t.Priority == "urgent" || t.Priority == "high").ToListAsync();
}
""",
        };
        test.TestState.Sources.Add(("LegacyContext.cs", Usings + ScaffoldedContext));
        test.TestState.Sources.Add(("LegacyContext.Custom.cs", Usings + """
namespace Legacy
{
    public partial class LegacyContext
    {
        partial void OnModelCreatingPartial(ModelBuilder modelBuilder)
        {
        }
    }
}
"""));
        test.FixedState.Sources.Add(("LegacyContext.cs", Usings + ScaffoldedContext.Replace("""
            OnModelCreatingPartial(modelBuilder);
""", """
            OnModelCreatingPartial(modelBuilder);
            modelBuilder.Entity<Ticket>().HasIndex(t => t.Priority);
""")));
        test.FixedState.Sources.Add(("LegacyContext.Custom.cs", Usings + """
namespace Legacy
{
    public partial class LegacyContext
    {
        partial void OnModelCreatingPartial(ModelBuilder modelBuilder)
        {
        }
    }
}
"""));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task ShadowPropertyFilter_NoPropertyToName_NotOffered()
    {
        var source = Usings + """
namespace Blogging
{
    public class Post { public int Id { get; set; } public string Title { get; set; } }

    public class BlogDbContext : DbContext
    {
        public DbSet<Post> Posts => Set<Post>();
        protected override void OnModelCreating(ModelBuilder modelBuilder) => modelBuilder.Entity<Post>().Property<DateTime>("LastUpdated");
    }

    class ChangeFeed
    {
        public Task<List<Post>> SinceAsync(BlogDbContext db, DateTime since)
            => db.Posts.Where(p => {|PERF006:EF.Property<DateTime>(p, "LastUpdated")|} > since).ToListAsync();
    }
}
""";
        await VerifyFix.CodeFixAsync(source, source, includeModel: false);
    }
}
