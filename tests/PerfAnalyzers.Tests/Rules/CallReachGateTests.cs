using System.Threading.Tasks;
using Xunit;
using Perf001 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;
using Perf002 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.AwaitedRemoteLoggingAnalyzer>;
using Perf004 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RepeatedLookupAnalyzer>;
using Perf006 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.MissingIndexAnalyzer>;
using Perf007 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.FilterAfterMaterializationAnalyzer>;
using Perf008 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RemoteCallPerIterationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// Findings at the edge of the syntax gates that use the compilation's call names (Core/CallReach.cs) and the waited,
/// materialized and predicate shapes (Core/BodySyntax.cs): the round trip or request is reached through names that say
/// nothing (local functions, two service layers, an interface), or sits where only a careful reading of the syntax finds
/// it. Each must still be reported; the look-alikes next to them must stay quiet.
/// </summary>
public class CallReachGateTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Blog;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

""";

    private const string AuditClient = """
public interface IAuditClient { Task WriteEntryAsync(string entry, CancellationToken ct); }

public sealed class HttpAuditClient : IAuditClient
{
    private readonly HttpClient _http;
    public HttpAuditClient(HttpClient http) => _http = http;
    public Task WriteEntryAsync(string entry, CancellationToken ct) => _http.PostAsJsonAsync("audit", entry, ct);
}

""";

    [Fact]
    public async Task ForeachOverIds_CallsLocalFunctionThatQueries_Reports()
    {
        await Perf001.AnalyzerAsync(Usings + """
public sealed class OrderTotals
{
    private readonly BlogDbContext _db;
    public OrderTotals(BlogDbContext db) => _db = db;

    public async Task<Dictionary<int, decimal>> ForBuyers(IReadOnlyList<int> buyerIds, CancellationToken ct)
    {
        var totals = new Dictionary<int, decimal>();
        foreach (var buyerId in buyerIds)
        {
            totals[buyerId] = await {|PERF001:Tally(buyerId)|};
        }

        return totals;

        Task<decimal> Tally(int id) => _db.Orders.Where(o => o.BuyerId == id).SumAsync(o => o.Total, ct);
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_ThroughTwoServiceLayersBehindInterfaces_Reports()
    {
        await Perf001.AnalyzerAsync(Usings + """
public interface IPostStore { Task<Post> Load(int id); }

public sealed class EfPostStore : IPostStore
{
    private readonly BlogDbContext _db;
    public EfPostStore(BlogDbContext db) => _db = db;
    public Task<Post> Load(int id) => _db.Posts.FirstAsync(p => p.Id == id);
}

public interface IPostReader { Task<string> TitleOf(int id); }

public sealed class PostReader : IPostReader
{
    private readonly IPostStore _store;
    public PostReader(IPostStore store) => _store = store;

    public async Task<string> TitleOf(int id)
    {
        var post = await _store.Load(id);
        return post.Title;
    }
}

[ApiController]
[Route("titles")]
public sealed class TitlesController : ControllerBase
{
    private readonly IPostReader _reader;
    public TitlesController(IPostReader reader) => _reader = reader;

    [HttpPost]
    public async Task<List<string>> Get(int[] ids)
    {
        var titles = new List<string>();
        foreach (var id in ids)
        {
            titles.Add(await {|PERF001:_reader.TitleOf(id)|});
        }

        return titles;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverBuyers_InnerForeachOverQueryOfTheBuyer_Reports()
    {
        await Perf001.AnalyzerAsync(Usings + """
public sealed class Statements
{
    private readonly BlogDbContext _db;
    public Statements(BlogDbContext db) => _db = db;

    public decimal Sum(List<Customer> buyers)
    {
        var sum = 0m;
        foreach (var buyer in buyers)
        {
            foreach (var order in {|PERF001:_db.Orders.Where(o => o.BuyerId == buyer.Id)|})
            {
                sum += order.Total;
            }
        }

        return sum;
    }
}
""");
    }

    [Fact]
    public async Task ForeachInsideMinimalApiHandlerLambda_OverOneQuery_DoesNotReport()
    {
        // The handler lambda runs once per request, not per element: the foreach over one query is one round trip.
        await Perf001.AnalyzerAsync(Usings + """
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

public static class OrderEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/orders/totals", async (BlogDbContext db) =>
        {
            var sum = 0m;
            foreach (var order in db.Orders.Where(o => o.Shipped))
            {
                sum += order.Total;
            }

            return sum;
        });
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverLines_ContainsOnInMemorySet_DoesNotReport()
    {
        await Perf001.AnalyzerAsync(Usings + """
public sealed class Picker
{
    public int CountKnown(List<OrderLine> lines, HashSet<int> known)
    {
        var count = 0;
        foreach (var line in lines)
        {
            if (known.Contains(line.ProductId))
            {
                count++;
            }
        }

        return count;
    }
}
""");
    }

    [Fact]
    public async Task SameRepositoryLookupTwice_ThroughInterface_Reports()
    {
        await Perf004.AnalyzerAsync(Usings + """
public interface ISettings { Task<Setting> Find(string key); }

public sealed class EfSettings : ISettings
{
    private readonly BlogDbContext _db;
    public EfSettings(BlogDbContext db) => _db = db;
    public Task<Setting> Find(string key) => _db.Settings.FirstOrDefaultAsync(s => s.Key == key);
}

public sealed class Banner
{
    private readonly ISettings _settings;
    public Banner(ISettings settings) => _settings = settings;

    public async Task<string> Text()
    {
        var title = await {|#1:_settings.Find("banner")|};
        var again = await {|#0:_settings.Find("banner")|};
        return title.Value + again.Value;
    }
}
""", Perf004.Diagnostic("PERF004").WithSeverity(Microsoft.CodeAnalysis.DiagnosticSeverity.Info).WithLocation(0).WithLocation(1));
    }

    [Fact]
    public async Task SameMapperCallTwice_NoDatabase_DoesNotReport()
    {
        await Perf004.AnalyzerAsync(Usings + """
public static class Formatter
{
    public static string Money(decimal value) => value.ToString("0.00");
}

public sealed class Receipt
{
    public string Lines(Order order) => Formatter.Money(order.Total) + " / " + Formatter.Money(order.Total * 1.2m);
}
""");
    }

    [Fact]
    public async Task LoggingCallWaitedThroughConfigureAwait_InControllerAction_Reports()
    {
        await Perf002.AnalyzerAsync(Usings + AuditClient + """
[ApiController]
[Route("posts")]
public sealed class PostsController : ControllerBase
{
    private readonly IAuditClient _audit;
    public PostsController(IAuditClient audit) => _audit = audit;

    [HttpDelete("{id}")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        await {|PERF002:_audit.WriteEntryAsync("delete " + id, ct)|}.ConfigureAwait(false);
        return NoContent();
    }
}
""");
    }

    [Fact]
    public async Task LoggingCallStartedButNotWaited_InControllerAction_DoesNotReport()
    {
        await Perf002.AnalyzerAsync(Usings + AuditClient + """
[ApiController]
[Route("posts")]
public sealed class PostsController : ControllerBase
{
    private readonly IAuditClient _audit;
    private readonly BlogDbContext _db;
    public PostsController(IAuditClient audit, BlogDbContext db) { _audit = audit; _db = db; }

    [HttpDelete("{id}")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        _ = _audit.WriteEntryAsync("delete " + id, CancellationToken.None);
        await _db.SaveChangesAsync(ct);
        return NoContent();
    }
}
""");
    }

    [Fact]
    public async Task QueryExpressionOverMaterializedLocal_Reports()
    {
        await Perf007.AnalyzerAsync(Usings + """
public sealed class Reports
{
    private readonly BlogDbContext _db;
    public Reports(BlogDbContext db) => _db = db;

    public async Task<List<Order>> Big()
    {
        var all = await {|PERF007:_db.Orders.ToListAsync()|};
        return (from o in all where o.Total > 1000 select o).ToList();
    }
}
""");
    }

    [Fact]
    public async Task WhereBeforeToList_InDatabase_DoesNotReport()
    {
        await Perf007.AnalyzerAsync(Usings + """
public sealed class Reports
{
    private readonly BlogDbContext _db;
    public Reports(BlogDbContext db) => _db = db;

    public Task<List<Order>> Big() => _db.Orders.Where(o => o.Total > 1000).OrderBy(o => o.Id).ToListAsync();
}
""");
    }

    [Fact]
    public async Task FilterOnShadowPropertyByName_WithoutIndex_Reports()
    {
        await Perf006.AnalyzerAsync("""
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;

public class Ticket
{
    public int Id { get; set; }
    public string Subject { get; set; }
}

public class HelpDeskDbContext : DbContext
{
    public DbSet<Ticket> Tickets { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Ticket>().Property<string>("Queue");
    }
}

public sealed class Tickets
{
    private readonly HelpDeskDbContext _db;
    public Tickets(HelpDeskDbContext db) => _db = db;

    public Task<Ticket[]> InQueue(string queue) => _db.Tickets.Where(t => {|PERF006:EF.Property<string>(t, "Queue")|} == queue).ToArrayAsync();
}
""", false);
    }

    [Fact]
    public async Task FilterOnShadowPropertyByConstantName_WithoutIndex_Reports()
    {
        await Perf006.AnalyzerAsync("""
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;

public class Ticket
{
    public int Id { get; set; }
    public string Subject { get; set; }
}

public static class Columns
{
    public const string Queue = "Queue";
}

public class HelpDeskDbContext : DbContext
{
    public DbSet<Ticket> Tickets { get; set; }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<Ticket>().Property<string>(Columns.Queue);
    }
}

public sealed class Tickets
{
    private readonly HelpDeskDbContext _db;
    public Tickets(HelpDeskDbContext db) => _db = db;

    public Task<Ticket[]> InQueue(string queue) => _db.Tickets.Where(t => {|PERF006:EF.Property<string>(t, Columns.Queue)|} == queue).ToArrayAsync();
}
""", false);
    }

    [Fact]
    public async Task FilterOnIndexedKey_DoesNotReport()
    {
        await Perf006.AnalyzerAsync("""
using System.Linq;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;

public class Ticket
{
    public int Id { get; set; }
    public string Subject { get; set; }
}

public class HelpDeskDbContext : DbContext
{
    public DbSet<Ticket> Tickets { get; set; }
}

public sealed class Tickets
{
    private readonly HelpDeskDbContext _db;
    public Tickets(HelpDeskDbContext db) => _db = db;

    public Task<Ticket> One(int id) => _db.Tickets.Where(t => t.Id == id).SingleAsync();
}
""", false);
    }

    [Fact]
    public async Task ForeachOverSkus_CallsTypedClientThroughExtensionMethod_Reports()
    {
        await Perf008.AnalyzerAsync(Usings + """
public static class CatalogHttp
{
    public static Task<Product> ProductOf(this HttpClient http, string sku, CancellationToken ct)
        => http.GetFromJsonAsync<Product>("products/" + sku, ct);
}

public sealed class PriceList
{
    private readonly HttpClient _http;
    public PriceList(HttpClient http) => _http = http;

    public async Task<decimal> Total(IEnumerable<string> skus, CancellationToken ct)
    {
        var total = 0m;
        foreach (var sku in skus)
        {
            var product = await {|PERF008:_http.ProductOf(sku, ct)|};
            total += product.Price;
        }

        return total;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverSkus_CallsLocalPriceTable_DoesNotReport()
    {
        await Perf008.AnalyzerAsync(Usings + """
public sealed class PriceTable
{
    private readonly Dictionary<string, decimal> _prices = new();
    public Task<decimal> PriceOf(string sku) => Task.FromResult(_prices.TryGetValue(sku, out var price) ? price : 0m);
}

public sealed class PriceList
{
    private readonly PriceTable _table;
    public PriceList(PriceTable table) => _table = table;

    public async Task<decimal> Total(IEnumerable<string> skus)
    {
        var total = 0m;
        foreach (var sku in skus)
        {
            total += await _table.PriceOf(sku);
        }

        return total;
    }
}
""");
    }
}
