using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RemoteCallPerIterationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF008_RemoteCallPerIterationTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Blog;

public record Product(int Id, string Name);
public record Order(int Id, int ProductId, string CustomerEmail);
public record Page(List<Product> Items, string Next);

""";

    private static Task VerifyAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => VerifyCS.AnalyzerAsync(Usings + source, expected);

    // ---- positives ----

    [Fact]
    public async Task ForeachOverIds_GetFromJsonAsyncWithIdInUrl_Reports()
    {
        await VerifyAsync("""
public class CatalogService
{
    private readonly HttpClient _http;
    public CatalogService(HttpClient http) => _http = http;

    public async Task<List<Product>> LoadAsync(IEnumerable<int> ids, CancellationToken ct)
    {
        var products = new List<Product>();
        foreach (var id in ids)
        {
            products.Add(await {|#0:_http.GetFromJsonAsync<Product>($"/products/{id}", ct)|});
        }
        return products;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.GetFromJsonAsync'", "the foreach over 'ids'"));
    }

    [Fact]
    public async Task ForeachOverOrders_PostAsJsonAsyncWithElementPayload_Reports()
    {
        await VerifyAsync("""
public class OrderExporter
{
    private readonly HttpClient _http;
    public OrderExporter(HttpClient http) => _http = http;

    public async Task ExportAsync(List<Order> orders)
    {
        foreach (var order in orders)
        {
            using var response = await {|#0:_http.PostAsJsonAsync("/orders", order)|};
            response.EnsureSuccessStatusCode();
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.PostAsJsonAsync'", "the foreach over 'orders'"));
    }

    [Fact]
    public async Task ForOverListIndices_SendAsyncWithRequestBuiltFromElement_Reports()
    {
        await VerifyAsync("""
public class Deleter
{
    private readonly HttpClient _http;
    public Deleter(HttpClient http) => _http = http;

    public async Task DeleteAllAsync(List<int> ids)
    {
        for (var i = 0; i < ids.Count; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Delete, "/items/" + ids[i]);
            await {|#0:_http.SendAsync(request)|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.SendAsync'", "the for loop"));
    }

    [Fact]
    public async Task WhenAllOverSelect_GetStringAsyncPerId_Reports()
    {
        await VerifyAsync("""
public class PriceService
{
    private readonly HttpClient _http;
    public PriceService(HttpClient http) => _http = http;

    public Task<string[]> PricesAsync(int[] productIds)
        => Task.WhenAll(productIds.Select(async id => await {|#0:_http.GetStringAsync($"/prices/{id}")|}));
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.GetStringAsync'", "the lambda passed to 'Select'"));
    }

    [Fact]
    public async Task ForeachOverOrders_TypedClientMethodThatSendsRequest_Reports()
    {
        await VerifyAsync("""
public interface ICatalogClient { Task<Product> GetProductAsync(int id); }

public class CatalogClient : ICatalogClient
{
    private readonly HttpClient _http;
    public CatalogClient(HttpClient http) => _http = http;
    public async Task<Product> GetProductAsync(int id) => await _http.GetFromJsonAsync<Product>($"api/products/{id}");
}

public class CartService
{
    private readonly ICatalogClient _catalog;
    public CartService(ICatalogClient catalog) => _catalog = catalog;

    public async Task<decimal> TotalAsync(List<Order> orders)
    {
        var names = new List<string>();
        foreach (var order in orders)
        {
            var product = await {|#0:_catalog.GetProductAsync(order.ProductId)|};
            names.Add(product.Name);
        }
        return names.Count;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'ICatalogClient.GetProductAsync' (sends an HTTP or gRPC request)", "the foreach over 'orders'"));
    }

    [Fact]
    public async Task ForeachOverRecipients_PostAsyncPerRecipient_Reports()
    {
        await VerifyAsync("""
public class Notifier
{
    private readonly HttpClient _http;
    public Notifier(HttpClient http) => _http = http;

    public async Task NotifyAsync(IReadOnlyList<string> emails, string text)
    {
        foreach (var email in emails)
        {
            var content = new StringContent($"{{\"to\":\"{email}\",\"text\":\"{text}\"}}");
            await {|#0:_http.PostAsync("/notifications", content)|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.PostAsync'", "the foreach over 'emails'"));
    }

    // ---- negatives ----

    [Fact]
    public async Task SingleCall_NotInLoop_NoDiagnostic()
    {
        await VerifyAsync("""
public class CatalogService
{
    private readonly HttpClient _http;
    public CatalogService(HttpClient http) => _http = http;
    public Task<Product> GetAsync(int id) => _http.GetFromJsonAsync<Product>($"/products/{id}");
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_SameUrlEveryIteration_NoDiagnostic()
    {
        await VerifyAsync("""
public class Checker
{
    private readonly HttpClient _http;
    public Checker(HttpClient http) => _http = http;

    public async Task<int> CountAsync(List<int> ids)
    {
        var healthy = 0;
        foreach (var id in ids)
        {
            var status = await _http.GetStringAsync("/health");
            if (status == "ok") healthy += id;
        }
        return healthy;
    }
}
""");
    }

    [Fact]
    public async Task WhileNextPageUrl_CursorCarriedAcrossIterations_NoDiagnostic()
    {
        await VerifyAsync("""
public class Pager
{
    private readonly HttpClient _http;
    public Pager(HttpClient http) => _http = http;

    public async Task<List<Product>> AllAsync()
    {
        var all = new List<Product>();
        string url = "/products?page=1";
        while (url != null)
        {
            var page = await _http.GetFromJsonAsync<Page>(url);
            all.AddRange(page.Items);
            url = page.Next;
        }
        return all;
    }
}
""");
    }

    [Fact]
    public async Task ForOverPageNumbers_PageWalk_NoDiagnostic()
    {
        await VerifyAsync("""
public class Pager
{
    private readonly HttpClient _http;
    public Pager(HttpClient http) => _http = http;

    public async Task<List<Product>> AllAsync(int totalPages)
    {
        var all = new List<Product>();
        for (var page = 1; page <= totalPages; page++)
        {
            var items = await _http.GetFromJsonAsync<List<Product>>($"/products?page={page}");
            all.AddRange(items);
        }
        return all;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverChunks_PostAsJsonAsyncWithBatch_NoDiagnostic()
    {
        await VerifyAsync("""
public class Importer
{
    private readonly HttpClient _http;
    public Importer(HttpClient http) => _http = http;

    public async Task ImportAsync(List<Order> orders)
    {
        foreach (var batch in orders.Chunk(100))
        {
            await _http.PostAsJsonAsync("/orders/batch", batch);
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverConstantRegions_GetPerRegion_NoDiagnostic()
    {
        await VerifyAsync("""
public class RegionStatus
{
    private static readonly string[] Regions = { "eu-west", "us-east", "ap-south" };
    private readonly HttpClient _http;
    public RegionStatus(HttpClient http) => _http = http;

    public async Task<List<string>> StatusAsync()
    {
        var result = new List<string>();
        foreach (var region in Regions)
        {
            result.Add(await _http.GetStringAsync($"https://{region}.example.test/status"));
        }
        foreach (var shard in new[] { 1, 2, 3 })
        {
            result.Add(await _http.GetStringAsync($"/shards/{shard}"));
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task WhenAllOverEnumValues_GetPerKind_NoDiagnostic()
    {
        await VerifyAsync("""
public enum Feed { News, Sports, Weather }

public class Feeds
{
    private readonly HttpClient _http;
    public Feeds(HttpClient http) => _http = http;

    public Task<string[]> AllAsync()
        => Task.WhenAll(Enum.GetValues<Feed>().Select(feed => _http.GetStringAsync($"/feeds/{feed}")));
}
""");
    }

    [Fact]
    public async Task RetryLoop_GetAsyncUntilSuccess_NoDiagnostic()
    {
        await VerifyAsync("""
public class Resilient
{
    private readonly HttpClient _http;
    public Resilient(HttpClient http) => _http = http;

    public async Task<string> GetAsync(string url, int attempts)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.GetStringAsync(url + "?attempt=" + attempt);
            }
            catch (HttpRequestException) when (attempt < attempts)
            {
                await Task.Delay(200 * attempt);
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task PollingLoop_GetStatusWithDelay_NoDiagnostic()
    {
        await VerifyAsync("""
public class JobWatcher
{
    private readonly HttpClient _http;
    public JobWatcher(HttpClient http) => _http = http;

    public async Task WaitAsync(string jobId, CancellationToken ct)
    {
        var polls = 0;
        while (!ct.IsCancellationRequested)
        {
            var status = await _http.GetStringAsync($"/jobs/{jobId}?poll={polls++}", ct);
            if (status == "done") return;
            await Task.Delay(1000, ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task ParallelForEachAsync_BoundedConcurrency_NoDiagnostic()
    {
        await VerifyAsync("""
public class Warmer
{
    private readonly HttpClient _http;
    public Warmer(HttpClient http) => _http = http;

    public Task WarmAsync(List<int> ids)
        => Parallel.ForEachAsync(ids, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (id, ct) =>
        {
            await _http.GetAsync($"/warm/{id}", ct);
        });
}
""");
    }

    [Fact]
    public async Task SemaphoreThrottledFanOut_NoDiagnostic()
    {
        await VerifyAsync("""
public class Throttled
{
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _gate = new(4);
    public Throttled(HttpClient http) => _http = http;

    public Task<string[]> FetchAsync(IEnumerable<int> ids)
        => Task.WhenAll(ids.Select(async id =>
        {
            await _gate.WaitAsync();
            try { return await _http.GetStringAsync($"/items/{id}"); }
            finally { _gate.Release(); }
        }));
}
""");
    }

    [Fact]
    public async Task LoopInCatchBlock_ReportsEachFailure_NoDiagnostic()
    {
        await VerifyAsync("""
public class Reporter
{
    private readonly HttpClient _http;
    public Reporter(HttpClient http) => _http = http;

    public async Task RunAsync(List<int> ids)
    {
        try
        {
            await _http.GetAsync("/run");
        }
        catch (HttpRequestException)
        {
            foreach (var id in ids)
            {
                await _http.PostAsync($"/failed/{id}", null);
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_DatabaseFind_NotThisRule()
    {
        await VerifyAsync("""
public class Posts
{
    public async Task<List<Post>> LoadAsync(BlogDbContext db, List<int> ids)
    {
        var posts = new List<Post>();
        foreach (var id in ids)
        {
            posts.Add(await db.Posts.FindAsync(id));
        }
        return posts;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_HelperThatQueriesAndCallsOut_LeftToPerf001()
    {
        await VerifyAsync("""
public class Enricher
{
    private readonly HttpClient _http;
    private readonly BlogDbContext _db;
    public Enricher(HttpClient http, BlogDbContext db) { _http = http; _db = db; }

    private async Task EnrichAsync(int id)
    {
        var post = await _db.Posts.FindAsync(id);
        await _http.PostAsJsonAsync("/enrich", post.Title);
    }

    public async Task RunAsync(List<int> ids)
    {
        foreach (var id in ids)
        {
            await EnrichAsync(id);
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_TypedClientWithCacheAside_NoDiagnostic()
    {
        await VerifyAsync("""
public class CachedCatalog
{
    private readonly HttpClient _http;
    private readonly IMemoryCache _cache;
    public CachedCatalog(HttpClient http, IMemoryCache cache) { _http = http; _cache = cache; }

    public async Task<Product> GetAsync(int id)
    {
        if (_cache.TryGetValue(id, out Product cached)) return cached;
        var product = await _http.GetFromJsonAsync<Product>($"/products/{id}");
        _cache.Set(id, product);
        return product;
    }

    public async Task<List<Product>> ManyAsync(List<int> ids)
    {
        var list = new List<Product>();
        foreach (var id in ids) list.Add(await GetAsync(id));
        return list;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverClients_SameHealthUrlOnEachClient_NoDiagnostic()
    {
        await VerifyAsync("""
public class HealthProbe
{
    public async Task<int> ProbeAsync(IEnumerable<HttpClient> clients)
    {
        var up = 0;
        foreach (var client in clients)
        {
            var response = await client.GetAsync("/health");
            if (response.IsSuccessStatusCode) up++;
        }
        return up;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_ResponseReadInLoop_NotARequest_NoDiagnostic()
    {
        await VerifyAsync("""
public class Reader
{
    private readonly HttpClient _http;
    public Reader(HttpClient http) => _http = http;

    public async Task<List<string>> ReadAsync(List<HttpResponseMessage> responses)
    {
        var bodies = new List<string>();
        foreach (var response in responses)
        {
            bodies.Add(await response.Content.ReadAsStringAsync());
            bodies.Add(_http.GetType().Name + response.GetHashCode());
        }
        return bodies;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_LocalHelperWithoutNetwork_NoDiagnostic()
    {
        await VerifyAsync("""
public class Formatter
{
    private readonly HttpClient _http;
    public Formatter(HttpClient http) => _http = http;

    private string Url(int id) => _http.BaseAddress + "/items/" + id;

    public List<string> Urls(List<int> ids)
    {
        var urls = new List<string>();
        foreach (var id in ids) urls.Add(Url(id));
        return urls;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_RequestSentOnceAfterLoop_NoDiagnostic()
    {
        await VerifyAsync("""
public class BatchClient
{
    private readonly HttpClient _http;
    public BatchClient(HttpClient http) => _http = http;

    public async Task<List<Product>> LoadAsync(List<int> ids)
    {
        var query = new List<string>();
        foreach (var id in ids) query.Add("id=" + id);
        return await _http.GetFromJsonAsync<List<Product>>("/products?" + string.Join("&", query));
    }
}
""");
    }

    [Fact]
    public async Task WhileDequeueingIds_GetAsyncPerDequeuedId_Reports()
    {
        await VerifyAsync("""
public class QueueDrainer
{
    private readonly HttpClient _http;
    public QueueDrainer(HttpClient http) => _http = http;

    public async Task DrainAsync(Queue<int> pending)
    {
        while (pending.TryDequeue(out var id))
        {
            await {|#0:_http.GetAsync($"/refresh/{id}")|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.GetAsync'", "the while loop"));
    }

    [Fact]
    public async Task ForeachOverWebhooks_ElementMethodThatPosts_Reports()
    {
        await VerifyAsync("""
public class Webhook
{
    private static readonly HttpClient Http = new();
    public string Url { get; set; }
    public Task DeliverAsync(string payload) => Http.PostAsync(Url, new StringContent(payload));
}

public class Dispatcher
{
    public async Task DispatchAsync(List<Webhook> hooks, string payload)
    {
        foreach (var hook in hooks)
        {
            await {|#0:hook.DeliverAsync(payload)|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'Webhook.DeliverAsync' (sends an HTTP or gRPC request)", "the foreach over 'hooks'"));
    }

    [Fact]
    public async Task OuterLoopOverCustomers_InnerConstantFanOut_ReportsOuterLoop()
    {
        await VerifyAsync("""
public class Sync
{
    private readonly HttpClient _http;
    public Sync(HttpClient http) => _http = http;

    public async Task SyncAsync(List<string> customers)
    {
        foreach (var customer in customers)
        {
            foreach (var system in new[] { "crm", "billing" })
            {
                await {|#0:_http.PostAsync($"/{system}/customers/{customer}/sync", null)|};
            }
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.PostAsync'", "the foreach over 'customers'"));
    }

    [Fact]
    public async Task ForeachOverIds_HelperThatOnlyFormats_NoDiagnostic()
    {
        await VerifyAsync("""
public class Links
{
    private static string Describe(int id) => $"/items/{id}".ToUpperInvariant();

    public List<string> All(List<int> ids)
    {
        var all = new List<string>();
        foreach (var id in ids) all.Add(Describe(id));
        return all;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverMessages_SocketSend_NotAnHttpRequest_NoDiagnostic()
    {
        await VerifyAsync("""
public class Streamer
{
    private readonly System.Net.Sockets.Socket _socket;
    public Streamer(System.Net.Sockets.Socket socket) => _socket = socket;

    public async Task SendAllAsync(List<byte[]> frames)
    {
        foreach (var frame in frames)
        {
            await _socket.SendAsync(frame, System.Net.Sockets.SocketFlags.None);
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachThatReturnsFirst_RunsAtMostOnce_NoDiagnostic()
    {
        await VerifyAsync("""
public class First
{
    private readonly HttpClient _http;
    public First(HttpClient http) => _http = http;

    public async Task<string> FirstAsync(List<int> ids)
    {
        foreach (var id in ids)
        {
            return await _http.GetStringAsync($"/items/{id}");
        }
        return null;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_DelegateStartedWithTaskRun_NotPerElementLambda_NoDiagnostic()
    {
        await VerifyAsync("""
public class Background
{
    private readonly HttpClient _http;
    public Background(HttpClient http) => _http = http;

    public void Start(int id)
    {
        _ = Task.Run(async () => await _http.GetAsync($"/start/{id}"));
    }
}
""");
    }

    [Fact]
    public async Task ForUpToCount_IndexesArray_Reports()
    {
        await VerifyAsync("""
public class Uploader
{
    private readonly HttpClient _http;
    public Uploader(HttpClient http) => _http = http;

    public async Task UploadAsync(byte[][] files, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await {|#0:_http.PutAsync($"/files/{i}", new ByteArrayContent(files[i]))|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.PutAsync'", "the for loop"));
    }

    [Fact]
    public async Task ForeachOverOrders_HelperCallsOutOnlyInCatch_NoDiagnostic()
    {
        await VerifyAsync("""
public class Processor
{
    private readonly HttpClient _http;
    public Processor(HttpClient http) => _http = http;

    private async Task ProcessAsync(Order order)
    {
        try
        {
            if (order.ProductId <= 0) throw new InvalidOperationException("bad order " + order.Id);
        }
        catch (InvalidOperationException ex)
        {
            await _http.PostAsJsonAsync("/errors", ex.Message);
        }
    }

    public async Task RunAsync(List<Order> orders)
    {
        foreach (var order in orders)
        {
            await ProcessAsync(order);
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverItems_AuditPostPerItem_LeftToPerf002_NoDiagnostic()
    {
        await VerifyAsync("""
public record AuditEvent(string Action, int Id);

public class Importer
{
    private readonly HttpClient _auditHttp;
    public Importer(HttpClient auditHttp) => _auditHttp = auditHttp;

    public async Task ImportAsync(List<int> ids)
    {
        foreach (var id in ids)
        {
            await _auditHttp.PostAsJsonAsync("audit", new AuditEvent("imported", id));
        }
    }
}
""");
    }
}
