using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RepeatedLookupAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// A corpus of realistic backend shapes for PERF004 (repeated uncached lookup): loop-invariant lookups and
/// repeats within a method (reported), and the many shapes where re-reading is correct or not a round trip (quiet).
/// </summary>
public class PERF004_CorpusTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Logging;
using Npgsql;
using Blog;

""";

    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Repeat()
        => new Microsoft.CodeAnalysis.Testing.DiagnosticResult("PERF004", DiagnosticSeverity.Info).WithLocation(0).WithLocation(1);

    // ------------------------------------------------------------------------------------------------
    // Positives: loop-invariant lookups (EF Core)
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ForeachOverOrders_CurrencySettingFirstOrDefaultAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class InvoiceBuilder
{
    private readonly BlogDbContext _db;

    public InvoiceBuilder(BlogDbContext db) => _db = db;

    public async Task<List<string>> BuildLinesAsync(IReadOnlyList<Order> orders)
    {
        var lines = new List<string>();
        foreach (var order in orders)
        {
            var currency = await {|#0:_db.Settings.FirstOrDefaultAsync(s => s.Key == "currency")|};
            lines.Add($"#{order.Id}: {order.Total} {currency?.Value ?? "EUR"}");
        }

        return lines;
    }
}
""", VerifyCS.Diagnostic("PERF004").WithLocation(0).WithArguments("'DbSet<Setting>.FirstOrDefaultAsync'", "runs with the same arguments on every iteration of the foreach over 'orders'"));
    }

    [Fact]
    public async Task ControllerActionForeach_SingleAsyncConstantKey_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/cart")]
public class CartController : ControllerBase
{
    private readonly BlogDbContext _db;

    public CartController(BlogDbContext db) => _db = db;

    [HttpPost("total")]
    public async Task<decimal> Total([FromBody] List<OrderLine> lines, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var vat = await {|PERF004:_db.Settings.SingleAsync(s => s.Key == "vat-rate", ct)|};
            total += line.Quantity * (1 + decimal.Parse(vat.Value));
        }

        return total;
    }
}
""");
    }

    [Fact]
    public async Task ForLoopCondition_ProductsCount_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CatalogPrinter
{
    public List<string> Print(BlogDbContext db, List<Product> products)
    {
        var output = new List<string>();
        for (var i = 0; i < {|PERF004:db.Products.Count()|}; i++)
        {
            if (i < products.Count)
            {
                output.Add(products[i].Sku);
            }
        }

        return output;
    }
}
""");
    }

    [Fact]
    public async Task WhileTryDequeue_ConstantSettingLookup_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ReceiptPrinter
{
    public async Task<List<string>> DrainAsync(BlogDbContext db, Queue<Order> pending)
    {
        var receipts = new List<string>();
        while (pending.TryDequeue(out var order))
        {
            var footer = await {|PERF004:db.Settings.FirstAsync(s => s.Key == "receipt-footer")|};
            receipts.Add($"{order.Id} {order.Total}\n{footer.Value}");
        }

        return receipts;
    }
}
""");
    }

    [Fact]
    public async Task SelectProjectionLambda_SettingFirst_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record OrderDto(int Id, decimal Total, string Currency);

public sealed class OrderMapper
{
    private readonly BlogDbContext _db;

    public OrderMapper(BlogDbContext db) => _db = db;

    public List<OrderDto> Map(List<Order> orders)
        => orders.Select(o => new OrderDto(o.Id, o.Total, {|PERF004:_db.Settings.First(s => s.Key == "currency")|}.Value)).ToList();
}
""");
    }

    [Fact]
    public async Task ForeachMaintenanceFlagAnyAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ShipmentDispatcher
{
    public async Task<int> DispatchAsync(BlogDbContext db, List<Order> orders)
    {
        var dispatched = 0;
        foreach (var order in orders)
        {
            if (await {|PERF004:db.Settings.AnyAsync(s => s.Key == "maintenance" && s.Value == "on")|})
            {
                continue;
            }

            order.Shipped = true;
            dispatched++;
        }

        return dispatched;
    }
}
""");
    }

    [Fact]
    public async Task ForeachReferenceDataToListAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class LineValidator
{
    public async Task<List<string>> ValidateAsync(BlogDbContext db, List<OrderLine> lines)
    {
        var errors = new List<string>();
        foreach (var line in lines)
        {
            var products = await {|PERF004:db.Products.AsNoTracking().ToListAsync()|};
            if (!products.Any(p => p.Id == line.ProductId))
            {
                errors.Add($"unknown product {line.ProductId}");
            }
        }

        return errors;
    }
}
""");
    }

    [Fact]
    public async Task ConstantLookupNestedInIfInsideLoop_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class DiscountApplier
{
    public async Task ApplyAsync(BlogDbContext db, List<Order> orders)
    {
        foreach (var order in orders)
        {
            if (order.Total > 500)
            {
                var vip = await {|PERF004:db.Settings.FirstAsync(s => s.Key == "vip-discount")|};
                order.Total -= order.Total * decimal.Parse(vip.Value);
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task AwaitForeachOverChannel_ConstantLookup_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class FraudScreener
{
    public async Task ScreenAsync(BlogDbContext db, ChannelReader<Order> reader, CancellationToken ct)
    {
        await foreach (var order in reader.ReadAllAsync(ct))
        {
            var threshold = await {|PERF004:db.Settings.SingleAsync(s => s.Key == "fraud-threshold", ct)|};
            if (order.Total > decimal.Parse(threshold.Value))
            {
                Console.WriteLine($"review order {order.Id}");
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task ParameterFilteredProjectionInLoop_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ReviewAssigner
{
    public async Task AssignAsync(BlogDbContext db, List<Post> posts, string reviewerEmail)
    {
        foreach (var post in posts)
        {
            var reviewerId = await {|PERF004:db.Users.Where(u => u.Email == reviewerEmail).Select(u => u.Id).FirstAsync()|};
            post.EditorId = reviewerId;
        }
    }
}
""");
    }

    [Fact]
    public async Task NestedLoops_InnerConstantLookup_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class StatementRenderer
{
    public async Task<List<string>> RenderAsync(BlogDbContext db, Dictionary<int, List<Order>> ordersByCustomer)
    {
        var rows = new List<string>();
        foreach (var group in ordersByCustomer)
        {
            foreach (var order in group.Value)
            {
                var rounding = await {|PERF004:db.Settings.FirstAsync(s => s.Key == "rounding")|};
                rows.Add($"{group.Key};{order.Id};{Math.Round(order.Total, int.Parse(rounding.Value))}");
            }
        }

        return rows;
    }
}
""");
    }

    [Fact]
    public async Task QueryComposedBeforeLoopExecutedInside_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CommentModerator
{
    public async Task<List<Comment>> FlagAsync(BlogDbContext db, List<Comment> comments)
    {
        var bannedWords = db.Settings.AsNoTracking().Where(s => s.Key.StartsWith("banned:")).Select(s => s.Value);
        var flagged = new List<Comment>();
        foreach (var comment in comments)
        {
            var words = await {|PERF004:bannedWords.ToListAsync()|};
            if (words.Any(w => comment.Text.Contains(w)))
            {
                flagged.Add(comment);
            }
        }

        return flagged;
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: loop-invariant lookups (Dapper, ADO.NET)
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task DapperQueryFirstConstantSqlAndParams_InForeach_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class VatCalculator
{
    public decimal Total(IDbConnection connection, List<OrderLine> lines, List<Product> products)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var rate = {|PERF004:connection.QueryFirst<decimal>("select rate from vat_rates where country = @country", new { country = "DE" })|};
            var price = products.First(p => p.Id == line.ProductId).Price;
            total += line.Quantity * price * (1 + rate);
        }

        return total;
    }
}
""");
    }

    [Fact]
    public async Task DapperExecuteScalarCount_InForLoop_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class BatchPlanner
{
    public async Task<List<int>> PlanAsync(NpgsqlConnection connection, int batches)
    {
        var sizes = new List<int>();
        for (var i = 0; i < batches; i++)
        {
            var maxSize = await {|PERF004:connection.ExecuteScalarAsync<int>("select value::int from settings where key = 'max-batch-size'")|};
            sizes.Add(Math.Min(maxSize, 1000 - i));
        }

        return sizes;
    }
}
""");
    }

    [Fact]
    public async Task DapperQueryWholeTable_InForeach_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SkuResolver
{
    public async Task<Dictionary<string, int>> ResolveAsync(NpgsqlConnection connection, IEnumerable<string> skus)
    {
        var result = new Dictionary<string, int>();
        foreach (var sku in skus)
        {
            var products = await {|PERF004:connection.QueryAsync<Product>("select id, sku, price from products")|};
            result[sku] = products.FirstOrDefault(p => p.Sku == sku)?.Id ?? 0;
        }

        return result;
    }
}
""");
    }

    [Fact]
    public async Task AdoNetExecuteScalar_CommandPreparedOutsideLoop_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class LabelPrinter
{
    public async Task<List<string>> LabelsAsync(NpgsqlConnection connection, List<Order> orders)
    {
        var labels = new List<string>();
        await using var command = new NpgsqlCommand("select value from settings where key = 'warehouse-address'", connection);
        foreach (var order in orders)
        {
            var address = (string)await {|PERF004:command.ExecuteScalarAsync()|};
            labels.Add($"{order.Id}\n{address}");
        }

        return labels;
    }
}
""");
    }

    [Fact]
    public async Task AdoNetExecuteScalarWithCancellationToken_InLoop_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class LabelPrinter
{
    public async Task<List<string>> LabelsAsync(NpgsqlConnection connection, List<Order> orders, CancellationToken ct)
    {
        var labels = new List<string>();
        await using var command = new NpgsqlCommand("select value from settings where key = 'warehouse-address'", connection);
        foreach (var order in orders)
        {
            var address = (string)await {|PERF004:command.ExecuteScalarAsync(ct)|};
            labels.Add($"{order.Id}\n{address}");
        }

        return labels;
    }
}
""");
    }

    [Fact]
    public async Task AdoNetCommandWithConstantTextCreatedPerIteration_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CurrencyFormatter
{
    public List<string> Format(DbConnection connection, List<Order> orders)
    {
        var formatted = new List<string>();
        foreach (var order in orders)
        {
            using var command = connection.CreateCommand();
            command.CommandText = "select value from settings where key = 'currency-symbol'";
            var symbol = (string){|PERF004:command.ExecuteScalar()|};
            formatted.Add(symbol + order.Total);
        }

        return formatted;
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: interface-dispatched repositories and services
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task SettingsRepositoryConstantKey_InForeach_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ISettingsRepository
{
    Task<string> GetValueAsync(string key);
}

public sealed class EfSettingsRepository : ISettingsRepository
{
    private readonly BlogDbContext _db;

    public EfSettingsRepository(BlogDbContext db) => _db = db;

    public async Task<string> GetValueAsync(string key) => (await _db.Settings.SingleAsync(s => s.Key == key)).Value;
}

public sealed class InvoiceRenderer
{
    private readonly ISettingsRepository _settings;

    public InvoiceRenderer(ISettingsRepository settings) => _settings = settings;

    public async Task<List<string>> RenderAsync(List<Order> orders)
    {
        var pages = new List<string>();
        foreach (var order in orders)
        {
            var footer = await {|PERF004:_settings.GetValueAsync("invoice-footer")|};
            pages.Add($"Invoice {order.Id}: {order.Total}\n{footer}");
        }

        return pages;
    }
}
""");
    }

    [Fact]
    public async Task PlanServiceLoopInvariantTenantId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IPlanService
{
    Task<int> GetSeatLimitAsync(int tenantId);
}

public sealed class PlanService : IPlanService
{
    private readonly BlogDbContext _db;

    public PlanService(BlogDbContext db) => _db = db;

    public async Task<int> GetSeatLimitAsync(int tenantId)
    {
        var value = await _db.Settings.Where(s => s.Key == "seats:" + tenantId).Select(s => s.Value).FirstAsync();
        return int.Parse(value);
    }
}

public sealed class InviteService
{
    private readonly IPlanService _plans;

    public InviteService(IPlanService plans) => _plans = plans;

    public async Task<List<string>> AcceptAsync(int tenantId, int seatsUsed, List<string> emails)
    {
        var accepted = new List<string>();
        foreach (var email in emails)
        {
            var limit = await {|PERF004:_plans.GetSeatLimitAsync(tenantId)|};
            if (seatsUsed + accepted.Count >= limit)
            {
                break;
            }

            accepted.Add(email);
        }

        return accepted;
    }
}
""");
    }

    [Fact]
    public async Task FeatureFlagServiceInSelectLambda_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IFeatureFlags
{
    bool IsEnabled(string name);
}

public sealed class DbFeatureFlags : IFeatureFlags
{
    private readonly BlogDbContext _db;

    public DbFeatureFlags(BlogDbContext db) => _db = db;

    public bool IsEnabled(string name) => _db.Settings.Any(s => s.Key == "flag:" + name && s.Value == "on");
}

public record ProductDto(string Sku, decimal? Price);

public sealed class CatalogService
{
    private readonly IFeatureFlags _flags;

    public CatalogService(IFeatureFlags flags) => _flags = flags;

    public List<ProductDto> Map(List<Product> products)
        => products.Select(p => new ProductDto(p.Sku, {|PERF004:_flags.IsEnabled("show-prices")|} ? p.Price : null)).ToList();
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: repeats within a method (Info)
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ControllerAction_SameQueryTwiceWithInMemoryStatementBetween_ReportsRepeat()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/profiles")]
public class ProfilesController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ProfilesController(BlogDbContext db) => _db = db;

    [HttpGet("{email}")]
    public async Task<IActionResult> Get(string email)
    {
        var user = await {|#1:_db.Users.FirstOrDefaultAsync(u => u.Email == email)|};
        if (user is null)
        {
            return NotFound();
        }

        var greeting = $"Hello {user.Name}";
        var profile = await {|#0:_db.Users.FirstOrDefaultAsync(u => u.Email == email)|};
        return Ok(new { greeting, profile.Id });
    }
}
""", Repeat());
    }

    [Fact]
    public async Task RepeatNestedInLaterIf_ReportsRepeat()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class LayoutModelBuilder
{
    public async Task<Dictionary<string, string>> BuildAsync(BlogDbContext db, bool includeFooter)
    {
        var model = new Dictionary<string, string>();
        var banner = await {|#1:db.Settings.FirstOrDefaultAsync(s => s.Key == "banner")|};
        model["banner"] = banner?.Value;
        if (includeFooter)
        {
            var footerBanner = await {|#0:db.Settings.FirstOrDefaultAsync(s => s.Key == "banner")|};
            model["footer"] = footerBanner?.Value + " (c)";
        }

        return model;
    }
}
""", Repeat());
    }

    [Fact]
    public async Task DapperSameSqlSameParameterTwice_ReportsRepeat()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CustomerSummary
{
    public async Task<string> DescribeAsync(IDbConnection connection, int id)
    {
        const string sql = "select id, name from customers where id = @id";
        var customer = await {|#1:connection.QueryFirstOrDefaultAsync<Customer>(sql, new { id })|};
        var name = customer?.Name ?? "unknown";
        var again = await {|#0:connection.QueryFirstOrDefaultAsync<Customer>(sql, new { id })|};
        return $"{name} ({again?.Id})";
    }
}
""", Repeat());
    }

    [Fact]
    public async Task RepositoryInterfaceSameArgumentTwice_ReportsRepeat()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IUserDirectory
{
    Task<Blog.User> FindByEmailAsync(string email);
}

public sealed class UserDirectory : IUserDirectory
{
    private readonly BlogDbContext _db;

    public UserDirectory(BlogDbContext db) => _db = db;

    public Task<Blog.User> FindByEmailAsync(string email) => _db.Users.FirstOrDefaultAsync(u => u.Email == email);
}

public sealed class SignupService
{
    private readonly IUserDirectory _users;

    public SignupService(IUserDirectory users) => _users = users;

    public async Task<string> WelcomeAsync(string email)
    {
        var existing = await {|#1:_users.FindByEmailAsync(email)|};
        var isReturning = existing is not null;
        var user = await {|#0:_users.FindByEmailAsync(email)|};
        return isReturning ? $"Welcome back {user.Name}" : "Welcome";
    }
}
""", Repeat());
    }

    [Fact]
    public async Task CountLoggedThenReturned_ReportsRepeat()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class AuthorStats
{
    private readonly BlogDbContext _db;
    private readonly ILogger<AuthorStats> _logger;

    public AuthorStats(BlogDbContext db, ILogger<AuthorStats> logger)
    {
        _db = db;
        _logger = logger;
    }

    public async Task<int> CountPostsAsync(int authorId)
    {
        _logger.LogInformation("Author {AuthorId} has {Count} posts", authorId, await {|#1:_db.Posts.CountAsync(p => p.AuthorId == authorId)|});
        return await {|#0:_db.Posts.CountAsync(p => p.AuthorId == authorId)|};
    }
}
""", Repeat());
    }

    [Fact]
    public async Task SequentialIndependentIfs_NotExclusive_ReportsRepeat()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class AuthorCard
{
    public async Task<(int Posts, bool Prolific)> BuildAsync(BlogDbContext db, int authorId, bool includeCount, bool includeBadge)
    {
        var posts = 0;
        var prolific = false;
        if (includeCount)
        {
            posts = await {|#1:db.Posts.CountAsync(p => p.AuthorId == authorId)|};
        }

        if (includeBadge)
        {
            prolific = await {|#0:db.Posts.CountAsync(p => p.AuthorId == authorId)|} > 100;
        }

        return (posts, prolific);
    }
}
""", Repeat());
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: Find by key (change tracker), element-dependent (PERF001)
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task FindAsyncSameConstantKeyInForLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ShippingLineAdder
{
    private const int ShippingProductId = 1;

    public async Task<decimal> TotalAsync(BlogDbContext db, List<OrderLine> lines)
    {
        decimal total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            var shipping = await db.Products.FindAsync(ShippingProductId);
            total += lines[i].Quantity * shipping.Price;
        }

        return total;
    }
}
""");
    }

    [Fact]
    public async Task FindSameKeyTwiceInMethod_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class PostsController : ControllerBase
{
    private readonly BlogDbContext _db;

    public PostsController(BlogDbContext db) => _db = db;

    [HttpPut("/posts/{id}/title")]
    public async Task<IActionResult> Rename(int id, [FromBody] string title)
    {
        var post = await _db.Posts.FindAsync(id);
        if (post is null)
        {
            return NotFound();
        }

        post.Title = title;
        var reloaded = await _db.Posts.FindAsync(id);
        return Ok(reloaded.Title);
    }
}
""");
    }

    [Fact]
    public async Task RepositoryWrappingFindAsync_InvariantKeyInLoop_DoesNotReport()
    {
        // The repository's FindAsync runs on the same scoped context: after the first call the change tracker answers.
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IProductRepository
{
    ValueTask<Product> GetByIdAsync(int id);
}

public sealed class ProductRepository : IProductRepository
{
    private readonly BlogDbContext _db;

    public ProductRepository(BlogDbContext db) => _db = db;

    public ValueTask<Product> GetByIdAsync(int id) => _db.Products.FindAsync(id);
}

public sealed class GiftWrapPricer
{
    private readonly IProductRepository _products;

    public GiftWrapPricer(IProductRepository products) => _products = products;

    public async Task<decimal> PriceAsync(List<OrderLine> lines, int giftWrapProductId)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var wrap = await _products.GetByIdAsync(giftWrapProductId);
            total += line.Quantity * wrap.Price;
        }

        return total;
    }
}
""");
    }

    [Fact]
    public async Task ElementDependentEfLookup_IsPerf001_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class OrderExporter
{
    public async Task<List<string>> ExportAsync(BlogDbContext db, List<Order> orders)
    {
        var rows = new List<string>();
        foreach (var order in orders)
        {
            var buyer = await db.Customers.SingleAsync(c => c.Id == order.BuyerId);
            rows.Add($"{order.Id};{buyer.Name}");
        }

        return rows;
    }
}
""");
    }

    [Fact]
    public async Task ElementDependentDapperParameter_IsPerf001_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class StockChecker
{
    public List<string> Check(IDbConnection connection, List<OrderLine> lines)
    {
        var missing = new List<string>();
        foreach (var line in lines)
        {
            var stock = connection.QueryFirstOrDefault<int>("select quantity from stock where product_id = @id", new { id = line.ProductId });
            if (stock < line.Quantity)
            {
                missing.Add(line.ProductId.ToString());
            }
        }

        return missing;
    }
}
""");
    }

    [Fact]
    public async Task ElementDependentRepositoryCall_IsPerf001_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ICustomerRepository
{
    Task<Customer> GetAsync(int id);
}

public sealed class CustomerRepository : ICustomerRepository
{
    private readonly BlogDbContext _db;

    public CustomerRepository(BlogDbContext db) => _db = db;

    public Task<Customer> GetAsync(int id) => _db.Customers.SingleAsync(c => c.Id == id);
}

public sealed class Dunning
{
    private readonly ICustomerRepository _customers;

    public Dunning(ICustomerRepository customers) => _customers = customers;

    public async Task<List<string>> RemindAsync(List<Order> unpaid)
    {
        var reminders = new List<string>();
        foreach (var order in unpaid)
        {
            var customer = await _customers.GetAsync(order.BuyerId);
            reminders.Add($"Dear {customer.Name}, order {order.Id} is unpaid");
        }

        return reminders;
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: exclusive paths
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task IfElseExclusiveBranchesInController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class FeedController : ControllerBase
{
    private readonly BlogDbContext _db;

    public FeedController(BlogDbContext db) => _db = db;

    [HttpGet("/feed")]
    public async Task<IActionResult> Get(int authorId, bool compact)
    {
        if (compact)
        {
            var titles = await _db.Posts.Where(p => p.AuthorId == authorId).OrderByDescending(p => p.CreatedAt).ToListAsync();
            return Ok(titles.Select(p => p.Title));
        }
        else
        {
            var posts = await _db.Posts.Where(p => p.AuthorId == authorId).OrderByDescending(p => p.CreatedAt).ToListAsync();
            return Ok(posts);
        }
    }
}
""");
    }

    [Fact]
    public async Task SwitchStatementCases_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class PostCounter
{
    public async Task<int> CountAsync(BlogDbContext db, int authorId, string period)
    {
        switch (period)
        {
            case "all":
                return await db.Posts.CountAsync(p => p.AuthorId == authorId);
            case "recent":
                var recent = await db.Posts.Where(p => p.AuthorId == authorId).OrderByDescending(p => p.CreatedAt).Take(10).ToListAsync();
                return recent.Count;
            default:
                return await db.Posts.CountAsync(p => p.AuthorId == authorId);
        }
    }
}
""");
    }

    [Fact]
    public async Task SwitchExpressionArms_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public enum OrderScope { Open, Shipped, All }

public sealed class OrderCounter
{
    public async Task<int> CountAsync(BlogDbContext db, OrderScope scope)
        => scope switch
        {
            OrderScope.Open => await db.Orders.CountAsync(o => !o.Shipped),
            OrderScope.Shipped => await db.Orders.CountAsync(o => o.Shipped),
            _ => await db.Orders.CountAsync(o => !o.Shipped) + await db.Orders.CountAsync(o => o.Shipped),
        };
}
""");
    }

    [Fact]
    public async Task EarlyReturnBlockBeforeRepeat_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class ArticlesController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ArticlesController(BlogDbContext db) => _db = db;

    [HttpGet("/articles/{id}")]
    public async Task<IActionResult> Get(int id, bool preview)
    {
        if (preview)
        {
            var draft = await _db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
            return Ok(new { draft.Title, Preview = true });
        }

        var post = await _db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
        return post is null ? NotFound() : Ok(post);
    }
}
""");
    }

    [Fact]
    public async Task EarlyReturnWithoutBracesBeforeRepeat_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class ShippingRatesController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ShippingRatesController(BlogDbContext db) => _db = db;

    [HttpGet("/shipping/rates")]
    public async Task<IActionResult> Get(string region)
    {
        if (string.IsNullOrEmpty(region)) return Ok(await _db.Settings.Where(s => s.Key.StartsWith("shipping.")).ToListAsync());

        var rates = await _db.Settings.Where(s => s.Key.StartsWith("shipping.")).ToListAsync();
        return Ok(rates.Where(s => s.Value.Contains(region)));
    }
}
""");
    }

    [Fact]
    public async Task TryCatchReReadAfterFailure_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class UploadLimits
{
    private readonly BlogDbContext _db;
    private readonly ILogger<UploadLimits> _logger;

    public UploadLimits(BlogDbContext db, ILogger<UploadLimits> logger)
    {
        _db = db;
        _logger = logger;
    }

    public async Task<int> MaxUploadMegabytesAsync()
    {
        try
        {
            var setting = await _db.Settings.SingleAsync(s => s.Key == "max-upload-mb");
            return int.Parse(setting.Value);
        }
        catch (FormatException)
        {
            var setting = await _db.Settings.SingleAsync(s => s.Key == "max-upload-mb");
            _logger.LogWarning("Invalid max-upload-mb value '{Value}', using default", setting.Value);
            return 10;
        }
    }
}
""");
    }

    [Fact]
    public async Task CatchBlockInLoop_ReadsFallbackAfterFailure_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class RateImporter
{
    private readonly HttpClient _http;
    private readonly BlogDbContext _db;

    public RateImporter(HttpClient http, BlogDbContext db)
    {
        _http = http;
        _db = db;
    }

    public async Task<Dictionary<string, decimal>> ImportAsync(IEnumerable<string> cities)
    {
        var result = new Dictionary<string, decimal>();
        foreach (var city in cities)
        {
            decimal rate;
            try
            {
                rate = await _http.GetFromJsonAsync<decimal>("https://rates.example/" + city);
            }
            catch (HttpRequestException)
            {
                var fallback = await _db.Settings.FirstAsync(s => s.Key == "fallback-rate");
                rate = decimal.Parse(fallback.Value);
            }

            result[city] = rate;
        }

        return result;
    }
}
""");
    }

    [Fact]
    public async Task LocalFunctionsForExclusiveFormats_SameQuery_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ProductExport
{
    public async Task<string> ExportAsync(BlogDbContext db, string format)
    {
        return format == "csv" ? await Csv() : await Json();

        async Task<string> Csv()
        {
            var products = await db.Products.AsNoTracking().ToListAsync();
            return string.Join("\n", products.Select(p => $"{p.Sku},{p.Price}"));
        }

        async Task<string> Json()
        {
            var products = await db.Products.AsNoTracking().ToListAsync();
            return System.Text.Json.JsonSerializer.Serialize(products);
        }
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: writes or changed inputs between executions
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task RegistrationReReadsAfterSaveChanges_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class Registration
{
    public async Task<Blog.User> RegisterAsync(BlogDbContext db, string email, string name)
    {
        var existing = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email);
        if (existing is null)
        {
            db.Users.Add(new Blog.User { Email = email, Name = name });
            await db.SaveChangesAsync();
        }

        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email);
    }
}
""");
    }

    [Fact]
    public async Task SeparatedByExecuteSqlRaw_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ZeroTotalFixer
{
    public async Task<int> FixAsync(BlogDbContext db)
    {
        var before = await db.Orders.CountAsync(o => !o.Shipped);
        await db.Database.ExecuteSqlRawAsync("update \"Orders\" set \"Shipped\" = true where \"Total\" = 0");
        var after = await db.Orders.CountAsync(o => !o.Shipped);
        return before - after;
    }
}
""");
    }

    [Fact]
    public async Task SeparatedByDapperExecute_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SessionPurger
{
    public async Task<long> PurgeAsync(NpgsqlConnection connection)
    {
        const string countSql = "select count(*) from sessions";
        var before = await connection.ExecuteScalarAsync<long>(countSql);
        await connection.ExecuteAsync("delete from sessions where expires_at < now()");
        var after = await connection.ExecuteScalarAsync<long>(countSql);
        return before - after;
    }
}
""");
    }

    [Fact]
    public async Task SeparatedByExecuteUpdateAsync_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class BulkShipper
{
    public async Task<(int Before, int After)> ShipFreeOrdersAsync(BlogDbContext db)
    {
        var before = await db.Orders.CountAsync(o => !o.Shipped);
        await db.Orders.Where(o => o.Total == 0).ExecuteUpdateAsync(s => s.SetProperty(o => o.Shipped, true));
        var after = await db.Orders.CountAsync(o => !o.Shipped);
        return (before, after);
    }
}
""");
    }

    [Fact]
    public async Task RepeatAroundServiceCallThatReadsThenSaves_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IShippingService
{
    Task ShipAllPendingAsync();
}

public sealed class ShippingService : IShippingService
{
    private readonly BlogDbContext _db;

    public ShippingService(BlogDbContext db) => _db = db;

    public async Task ShipAllPendingAsync()
    {
        var pending = await _db.Orders.Where(o => !o.Shipped).ToListAsync();
        foreach (var order in pending)
        {
            order.Shipped = true;
        }

        await _db.SaveChangesAsync();
    }
}

public sealed class ShippingRun
{
    private readonly BlogDbContext _db;
    private readonly IShippingService _shipping;

    public ShippingRun(BlogDbContext db, IShippingService shipping)
    {
        _db = db;
        _shipping = shipping;
    }

    public async Task<int> RunAsync()
    {
        var pendingBefore = await _db.Orders.CountAsync(o => !o.Shipped);
        await _shipping.ShipAllPendingAsync();
        var pendingAfter = await _db.Orders.CountAsync(o => !o.Shipped);
        return pendingBefore - pendingAfter;
    }
}
""");
    }

    [Fact]
    public async Task ReassignedKeyBetweenLookups_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SettingResolver
{
    public async Task<string> ResolveAsync(BlogDbContext db, string key, string region)
    {
        var regional = await db.Settings.FirstOrDefaultAsync(s => s.Key == key);
        if (regional is not null && region is null)
        {
            return regional.Value;
        }

        key = region + ":" + key;
        var specific = await db.Settings.FirstOrDefaultAsync(s => s.Key == key);
        return specific?.Value ?? regional?.Value;
    }
}
""");
    }

    [Fact]
    public async Task LoopReassignsFilterLocal_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TierReport
{
    public async Task<List<int>> CountPerTierAsync(BlogDbContext db, List<decimal> tierFloors)
    {
        var counts = new List<int>();
        decimal floor = 0;
        foreach (var next in tierFloors)
        {
            counts.Add(await db.Orders.CountAsync(o => o.Total >= floor && o.Total < next));
            floor = next;
        }

        return counts;
    }
}
""");
    }

    [Fact]
    public async Task LoopThatSavesEachIteration_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class StatusUpdater
{
    public async Task UpdateAsync(BlogDbContext db, List<Order> orders)
    {
        foreach (var order in orders)
        {
            var policy = await db.Settings.FirstAsync(s => s.Key == "auto-ship");
            order.Shipped = policy.Value == "on";
            db.Settings.Update(new Setting { Id = policy.Id, Key = policy.Key, Value = "last:" + order.Id });
            await db.SaveChangesAsync();
        }
    }
}
""");
    }

    [Fact]
    public async Task InvoiceNumberLoopWithDapperInsert_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class InvoiceNumberer
{
    public async Task AssignAsync(NpgsqlConnection connection, IEnumerable<int> orderIds)
    {
        foreach (var orderId in orderIds)
        {
            var nextNumber = await connection.ExecuteScalarAsync<int>("select coalesce(max(number), 0) + 1 from invoices");
            await connection.ExecuteAsync("insert into invoices(order_id, number) values (@orderId, @nextNumber)", new { orderId, nextNumber });
        }
    }
}
""");
    }

    [Fact]
    public async Task LoopCallsServiceThatReadsThenSaves_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IOrderService
{
    Task MarkShippedAsync(int orderId, string carrier);
}

public sealed class OrderService : IOrderService
{
    private readonly BlogDbContext _db;

    public OrderService(BlogDbContext db) => _db = db;

    public async Task MarkShippedAsync(int orderId, string carrier)
    {
        var order = await _db.Orders.SingleAsync(o => o.Id == orderId);
        order.Shipped = true;
        await _db.SaveChangesAsync();
    }
}

public sealed class ShippingJob
{
    private readonly BlogDbContext _db;
    private readonly IOrderService _orders;

    public ShippingJob(BlogDbContext db, IOrderService orders)
    {
        _db = db;
        _orders = orders;
    }

    public async Task RunAsync(List<int> orderIds)
    {
        foreach (var id in orderIds)
        {
            var carrier = await _db.Settings.FirstAsync(s => s.Key == "carrier");
            await _orders.MarkShippedAsync(id, carrier.Value);
        }
    }
}
""");
    }

    [Fact]
    public async Task ConcurrencyConflictLoopReReadsDatabaseValues_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class StockReserver
{
    public async Task ReserveAsync(BlogDbContext db, int productId, int quantity)
    {
        var product = await db.Products.SingleAsync(p => p.Id == productId);
        product.Price += 0;
        var saved = false;
        while (!saved)
        {
            try
            {
                await db.SaveChangesAsync();
                saved = true;
            }
            catch (DbUpdateConcurrencyException ex)
            {
                foreach (var entry in ex.Entries)
                {
                    var databaseValues = await entry.GetDatabaseValuesAsync();
                    entry.OriginalValues.SetValues(databaseValues);
                }
            }
        }
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: designed repetition (polling, retry, paging, at most once)
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task PeriodicTimerPollingLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class BacklogMonitor
{
    private readonly ILogger<BacklogMonitor> _logger;

    public BacklogMonitor(ILogger<BacklogMonitor> logger) => _logger = logger;

    public async Task RunAsync(BlogDbContext db, CancellationToken ct)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        while (await timer.WaitForNextTickAsync(ct))
        {
            var pending = await db.Orders.CountAsync(o => !o.Shipped, ct);
            _logger.LogInformation("{Pending} orders waiting", pending);
        }
    }
}
""");
    }

    [Fact]
    public async Task DoWhileWaitingForFlagWithDelay_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class MigrationGate
{
    public async Task WaitAsync(BlogDbContext db, CancellationToken ct)
    {
        bool ready;
        do
        {
            ready = await db.Settings.AnyAsync(s => s.Key == "migration-complete", ct);
            if (!ready)
            {
                await Task.Delay(500, ct);
            }
        }
        while (!ready);
    }
}
""");
    }

    [Fact]
    public async Task RetryLoopBreakOnSuccess_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class RateLoader
{
    public async Task<List<Setting>> LoadAsync(BlogDbContext db)
    {
        List<Setting> rates = null;
        var attempt = 0;
        while (true)
        {
            try
            {
                rates = await db.Settings.Where(s => s.Key.StartsWith("fx:")).ToListAsync();
                break;
            }
            catch (TimeoutException) when (++attempt < 3)
            {
            }
        }

        return rates;
    }
}
""");
    }

    [Fact]
    public async Task EfOffsetPagingLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class OrderArchiver
{
    public async Task<int> ArchiveAsync(BlogDbContext db, Func<List<Order>, Task> write)
    {
        var archived = 0;
        for (var page = 0; ; page++)
        {
            var batch = await db.Orders.AsNoTracking().OrderBy(o => o.Id).Skip(page * 200).Take(200).ToListAsync();
            if (batch.Count == 0)
            {
                break;
            }

            await write(batch);
            archived += batch.Count;
        }

        return archived;
    }
}
""");
    }

    [Fact]
    public async Task KeysetLoopWithLocalCursor_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SearchIndexer
{
    public async Task IndexAsync(BlogDbContext db, Func<List<Post>, Task> index)
    {
        var lastId = 0;
        while (true)
        {
            var batch = await db.Posts.AsNoTracking().Where(p => p.Id > lastId).OrderBy(p => p.Id).Take(500).ToListAsync();
            if (batch.Count == 0)
            {
                break;
            }

            await index(batch);
            lastId = batch[^1].Id;
        }
    }
}
""");
    }

    [Fact]
    public async Task KeysetLoopWithFieldCursor_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class IncrementalOrderExport
{
    private readonly BlogDbContext _db;
    private int _lastExportedId;

    public IncrementalOrderExport(BlogDbContext db) => _db = db;

    public async Task ExportAsync(Func<List<Order>, Task> sink)
    {
        while (true)
        {
            var batch = await _db.Orders.AsNoTracking().Where(o => o.Id > _lastExportedId).OrderBy(o => o.Id).Take(500).ToListAsync();
            if (batch.Count == 0)
            {
                break;
            }

            await sink(batch);
            _lastExportedId = batch[^1].Id;
        }
    }
}
""");
    }

    [Fact]
    public async Task LoopReturnsOnFirstPass_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class DefaultCustomerResolver
{
    public async Task<int> ResolveAsync(BlogDbContext db, IEnumerable<string> candidateNames)
    {
        foreach (var _ in candidateNames)
        {
            var fallback = await db.Customers.OrderBy(c => c.Id).FirstOrDefaultAsync();
            return fallback?.Id ?? 0;
        }

        return 0;
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: unstable inputs, not a database query, different queries
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task UtcNowInDapperParametersInSamplingLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SessionSampler
{
    public async Task<List<int>> SampleAsync(NpgsqlConnection connection, int samples)
    {
        var readings = new List<int>();
        for (var i = 0; i < samples; i++)
        {
            var active = await connection.ExecuteScalarAsync<int>("select count(*) from sessions where expires_at > @now", new { now = DateTime.UtcNow });
            readings.Add(active);
        }

        return readings;
    }
}
""");
    }

    [Fact]
    public async Task UniqueCouponCodeGenerationLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CouponGenerator
{
    public async Task<string> NewCodeAsync(NpgsqlConnection connection)
    {
        string code;
        do
        {
            code = Guid.NewGuid().ToString("N").Substring(0, 8).ToUpperInvariant();
        }
        while (await connection.ExecuteScalarAsync<int>("select count(*) from coupons where code = @code", new { code }) > 0);

        return code;
    }
}
""");
    }

    [Fact]
    public async Task TimeWindowCountedTwice_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TrafficProbe
{
    public async Task<(int Before, int After)> ProbeAsync(BlogDbContext db, Func<Task> work)
    {
        var before = await db.Posts.CountAsync(p => p.CreatedAt > DateTime.UtcNow.AddMinutes(-5));
        await work();
        var after = await db.Posts.CountAsync(p => p.CreatedAt > DateTime.UtcNow.AddMinutes(-5));
        return (before, after);
    }
}
""");
    }

    [Fact]
    public async Task InMemoryLinqOverMaterializedSettings_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class Pricing
{
    public async Task ApplyAsync(BlogDbContext db, List<Order> orders)
    {
        var settings = await db.Settings.AsNoTracking().ToListAsync();
        foreach (var order in orders)
        {
            var tax = settings.First(s => s.Key == "tax");
            var discounts = settings.Where(s => s.Key.StartsWith("discount:")).Count();
            order.Total = order.Total * (1 + decimal.Parse(tax.Value)) - discounts;
        }
    }
}
""");
    }

    [Fact]
    public async Task ChangeTrackerLocalViewInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TrackedTax
{
    public void Apply(BlogDbContext db, List<Order> orders)
    {
        foreach (var order in orders)
        {
            var tax = db.Settings.Local.FirstOrDefault(s => s.Key == "tax");
            if (tax is not null)
            {
                order.Total *= 1 + decimal.Parse(tax.Value);
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task TwoDifferentQueriesWithSimilarText_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class AuthorDashboard
{
    public async Task<(int Reviewed, int Unreviewed)> CountAsync(BlogDbContext db, int authorId)
    {
        var reviewed = await db.Posts.CountAsync(p => p.AuthorId == authorId && p.EditorId != null);
        var unreviewed = await db.Posts.CountAsync(p => p.AuthorId == authorId && p.EditorId == null);
        return (reviewed, unreviewed);
    }
}
""");
    }

    [Fact]
    public async Task SameTextDifferentLocalsInSiblingScopes_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class FeeCalculator
{
    public async Task<decimal> FeesAsync(BlogDbContext db, string region, bool shipping, bool handling)
    {
        decimal fees = 0;
        if (shipping)
        {
            var key = "shipping:" + region;
            var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == key);
            fees += setting is null ? 0 : decimal.Parse(setting.Value);
        }

        if (handling)
        {
            var key = "handling:" + region;
            var setting = await db.Settings.FirstOrDefaultAsync(s => s.Key == key);
            fees += setting is null ? 0 : decimal.Parse(setting.Value);
        }

        return fees;
    }
}
""");
    }

    [Fact]
    public async Task SiblingMinimalApiLambdas_SameQueryText_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class ThemeEndpoints
{
    public static void MapTheme(this IEndpointRouteBuilder app)
    {
        app.MapGet("/theme", async (BlogDbContext db) => (await db.Settings.FirstAsync(s => s.Key == "theme")).Value);
        app.MapGet("/theme/raw", async (BlogDbContext db) => Results.Ok(await db.Settings.FirstAsync(s => s.Key == "theme")));
    }
}
""");
    }

    [Fact]
    public async Task SubqueriesInsideExpressionTrees_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class PriceOutliers
{
    public async Task<(List<Product> Items, int Count)> FindAsync(BlogDbContext db)
    {
        var items = await db.Products.Where(p => p.Price > db.Products.Average(x => x.Price) * 2).ToListAsync();
        var count = await db.Products.CountAsync(p => p.Price > db.Products.Average(x => x.Price) * 2);
        return (items, count);
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverQueryItselfAndHoistedCount_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class FlagDump
{
    public async Task<List<string>> DumpAsync(BlogDbContext db)
    {
        var lines = new List<string>();
        foreach (var setting in db.Settings.Where(x => x.Key.StartsWith("feature:")))
        {
            lines.Add(setting.Key + "=" + setting.Value);
        }

        await foreach (var order in db.Orders.AsNoTracking().AsAsyncEnumerable())
        {
            lines.Add(order.Id.ToString());
        }

        for (int i = 0, n = db.Products.Count(); i < n; i++)
        {
            lines.Add("slot " + i);
        }

        return lines;
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: cached lookups, separate methods
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task CacheAsideServiceInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ISettingsCache
{
    Task<string> GetAsync(string key);
}

public sealed class SettingsCache : ISettingsCache
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public SettingsCache(IMemoryCache cache, BlogDbContext db)
    {
        _cache = cache;
        _db = db;
    }

    public async Task<string> GetAsync(string key)
    {
        if (_cache.TryGetValue(key, out string value))
        {
            return value;
        }

        value = (await _db.Settings.SingleAsync(s => s.Key == key)).Value;
        _cache.Set(key, value, TimeSpan.FromMinutes(5));
        return value;
    }
}

public sealed class Labeler
{
    private readonly ISettingsCache _settings;

    public Labeler(ISettingsCache settings) => _settings = settings;

    public async Task<List<string>> LabelAsync(List<Order> orders)
    {
        var labels = new List<string>();
        foreach (var order in orders)
        {
            labels.Add(order.Id + " " + await _settings.GetAsync("label-prefix"));
        }

        return labels;
    }
}
""");
    }

    [Fact]
    public async Task MemoryCacheGetOrCreateInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class VatApplier
{
    private readonly IMemoryCache _cache;

    public VatApplier(IMemoryCache cache) => _cache = cache;

    public async Task ApplyAsync(BlogDbContext db, List<Order> orders)
    {
        foreach (var order in orders)
        {
            var vat = await _cache.GetOrCreateAsync("vat", entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
                return db.Settings.FirstAsync(s => s.Key == "vat");
            });
            order.Total *= 1 + decimal.Parse(vat.Value);
        }
    }
}
""");
    }

    [Fact]
    public async Task SameQueryInTwoDifferentActions_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/theme")]
public class ThemeController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ThemeController(BlogDbContext db) => _db = db;

    [HttpGet]
    public async Task<string> Get() => (await _db.Settings.FirstAsync(s => s.Key == "theme")).Value;

    [HttpGet("css")]
    public async Task<IActionResult> Css()
    {
        var theme = await _db.Settings.FirstAsync(s => s.Key == "theme");
        return Content($":root {{ --theme: {theme.Value}; }}", "text/css");
    }
}
""");
    }
}
