using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RemoteCallPerIterationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// Realistic service code for PERF008: look-alikes that must stay quiet (batching, loop-invariant requests,
/// paging, retries, database awaits, in-memory helpers) and the everyday N+1 API call shapes that must report.
/// </summary>
public class PERF008_CorpusTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Blog;

public record StockItem(string Sku, int Quantity);
public record OrderLine2(string Sku, int Quantity);
public record StockLevel(string Sku, int Available);
public record UserProfile(int Id, string DisplayName);
public record Feed(List<UserProfile> Items, string NextLink);
public record Webhook(string Url, string Body);

""";

    private static Task VerifyAsync(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => VerifyCS.AnalyzerAsync(Usings + source, expected);

    // ---- look-alikes that must stay quiet ----

    [Fact]
    public async Task ForeachBuildsBatch_OnePostAfterLoop_NoDiagnostic()
    {
        await VerifyAsync("""
public class StockSync
{
    private readonly HttpClient _http;
    public StockSync(HttpClient http) => _http = http;

    public async Task PushAsync(IEnumerable<StockItem> items, CancellationToken ct)
    {
        var batch = new List<StockItem>();
        foreach (var item in items)
        {
            if (item.Quantity > 0)
            {
                batch.Add(item with { Sku = item.Sku.ToUpperInvariant() });
            }
        }
        using var response = await _http.PostAsJsonAsync("/stock/batch", batch, ct);
        response.EnsureSuccessStatusCode();
    }
}
""");
    }

    [Fact]
    public async Task CallsBeforeAndAfterLoop_LoopOnlyTransforms_NoDiagnostic()
    {
        await VerifyAsync("""
public class ProfileReport
{
    private readonly HttpClient _http;
    public ProfileReport(HttpClient http) => _http = http;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        var profiles = await _http.GetFromJsonAsync<List<UserProfile>>("/profiles", ct) ?? new();
        var names = new List<string>();
        foreach (var profile in profiles)
        {
            names.Add(profile.DisplayName.Trim());
        }
        using var response = await _http.PostAsJsonAsync("/reports/names", names, ct);
        return (int)response.StatusCode;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverResponseOfSingleGet_LoggerPerItem_NoDiagnostic()
    {
        await VerifyAsync("""
public class ProfileAuditor
{
    private readonly HttpClient _http;
    private readonly ILogger<ProfileAuditor> _logger;
    public ProfileAuditor(HttpClient http, ILogger<ProfileAuditor> logger) { _http = http; _logger = logger; }

    public async Task AuditAsync(CancellationToken ct)
    {
        var profiles = await _http.GetFromJsonAsync<UserProfile[]>("/profiles", ct) ?? Array.Empty<UserProfile>();
        foreach (var profile in profiles)
        {
            _logger.LogInformation("Profile {Id} is {Name}", profile.Id, profile.DisplayName);
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_AwaitedDatabaseQuery_LeftToPerf001_NoDiagnostic()
    {
        await VerifyAsync("""
public class AuthorNames
{
    private readonly BlogDbContext _db;
    public AuthorNames(BlogDbContext db) => _db = db;

    public async Task<List<string>> NamesAsync(List<int> authorIds, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var id in authorIds)
        {
            var user = await _db.Users.FirstOrDefaultAsync(u => u.Id == id, ct);
            if (user is not null) names.Add(user.Name);
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverConstantRegionEndpoints_HealthProbe_NoDiagnostic()
    {
        await VerifyAsync("""
public class RegionHealth
{
    private static readonly string[] Regions = { "https://eu.example.test/health", "https://us.example.test/health", "https://ap.example.test/health" };
    private readonly HttpClient _http;
    public RegionHealth(HttpClient http) => _http = http;

    public async Task<int> HealthyCountAsync(CancellationToken ct)
    {
        var healthy = 0;
        foreach (var endpoint in Regions)
        {
            using var response = await _http.GetAsync(endpoint, ct);
            if (response.IsSuccessStatusCode) healthy++;
        }
        return healthy;
    }
}
""");
    }

    [Fact]
    public async Task RetryLoopWithBackoff_FixedUrl_NoDiagnostic()
    {
        await VerifyAsync("""
public class TokenFetcher
{
    private readonly HttpClient _http;
    public TokenFetcher(HttpClient http) => _http = http;

    public async Task<string> TokenAsync(CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await _http.GetStringAsync("/oauth/token", ct);
            }
            catch (HttpRequestException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task PagingLoopFollowingNextLink_NoDiagnostic()
    {
        await VerifyAsync("""
public class FeedReader
{
    private readonly HttpClient _http;
    public FeedReader(HttpClient http) => _http = http;

    public async Task<List<UserProfile>> ReadAllAsync(CancellationToken ct)
    {
        var all = new List<UserProfile>();
        string? link = "/feed?page=1";
        while (link is not null)
        {
            var page = await _http.GetFromJsonAsync<Feed>(link, ct);
            if (page is null) break;
            all.AddRange(page.Items);
            link = page.NextLink;
        }
        return all;
    }
}
""");
    }

    [Fact]
    public async Task PollyStyleRetryHelper_DelegateWithFixedUrl_NoDiagnostic()
    {
        await VerifyAsync("""
public static class Retry
{
    public static async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> action, int attempts, CancellationToken ct)
    {
        for (var i = 0; ; i++)
        {
            try { return await action(ct); }
            catch (HttpRequestException) when (i + 1 < attempts) { await Task.Delay(100, ct); }
        }
    }
}

public class ConfigClient
{
    private readonly HttpClient _http;
    public ConfigClient(HttpClient http) => _http = http;

    public Task<string> SettingsAsync(CancellationToken ct)
        => Retry.ExecuteAsync(token => _http.GetStringAsync("/config/settings", token), 3, ct);
}
""");
    }

    [Fact]
    public async Task BackgroundServiceHeartbeat_FixedUrlEachTick_NoDiagnostic()
    {
        await VerifyAsync("""
public class HeartbeatService : BackgroundService
{
    private readonly HttpClient _http;
    public HeartbeatService(HttpClient http) => _http = http;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            using var response = await _http.PostAsync("/heartbeat", new StringContent(Environment.MachineName), stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverWebhooks_WrittenToChannel_NoDiagnostic()
    {
        await VerifyAsync("""
public class WebhookQueue
{
    private readonly Channel<Webhook> _channel = Channel.CreateUnbounded<Webhook>();

    public async Task EnqueueAsync(IEnumerable<Webhook> hooks, CancellationToken ct)
    {
        foreach (var hook in hooks)
        {
            await _channel.Writer.WriteAsync(hook, ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task ParallelForEachAsync_UserIdsWithMaxDegree_NoDiagnostic()
    {
        await VerifyAsync("""
public class ProfileWarmer
{
    private readonly HttpClient _http;
    public ProfileWarmer(HttpClient http) => _http = http;

    public async Task WarmAsync(IReadOnlyList<int> userIds, CancellationToken ct)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct };
        await Parallel.ForEachAsync(userIds, options, async (id, token) =>
        {
            await _http.GetFromJsonAsync<UserProfile>($"/profiles/{id}", token);
        });
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverSkus_HelperReadsInMemoryDictionary_NoDiagnostic()
    {
        await VerifyAsync("""
public class PriceBook
{
    private readonly Dictionary<string, decimal> _prices = new();
    public Task<decimal> PriceAsync(string sku) => Task.FromResult(_prices.TryGetValue(sku, out var p) ? p : 0m);
}

public class CartTotals
{
    private readonly PriceBook _book;
    public CartTotals(PriceBook book) => _book = book;

    public async Task<decimal> TotalAsync(List<OrderLine2> lines)
    {
        var total = 0m;
        foreach (var line in lines)
        {
            total += await _book.PriceAsync(line.Sku) * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverUrls_RequestMessageBuiltButNotSent_NoDiagnostic()
    {
        await VerifyAsync("""
public class RequestPlanner
{
    public List<HttpRequestMessage> Plan(IEnumerable<int> ids)
    {
        var requests = new List<HttpRequestMessage>();
        foreach (var id in ids)
        {
            requests.Add(new HttpRequestMessage(HttpMethod.Get, $"/items/{id}"));
        }
        return requests;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_ClientConstructedNotSent_LeftToPerf003_NoDiagnostic()
    {
        await VerifyAsync("""
public class ClientFactoryMisuse
{
    public int Build(List<int> ids)
    {
        var count = 0;
        foreach (var id in ids)
        {
            using var client = new HttpClient { BaseAddress = new Uri($"https://shard{id % 4}.example.test/") };
            count += client.DefaultRequestHeaders.Count();
        }
        return count;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_ResultLookedUpInDictionaryFromOneBulkCall_NoDiagnostic()
    {
        await VerifyAsync("""
public class BulkProfiles
{
    private readonly HttpClient _http;
    public BulkProfiles(HttpClient http) => _http = http;

    public async Task<List<string>> NamesAsync(List<int> ids, CancellationToken ct)
    {
        using var response = await _http.PostAsJsonAsync("/profiles/bulk", ids, ct);
        var profiles = await response.Content.ReadFromJsonAsync<List<UserProfile>>(cancellationToken: ct) ?? new();
        var byId = profiles.ToDictionary(p => p.Id);
        var names = new List<string>();
        foreach (var id in ids)
        {
            if (byId.TryGetValue(id, out var profile)) names.Add(profile.DisplayName);
        }
        return names;
    }
}
""");
    }

    // ---- positives ----

    [Fact]
    public async Task TypedClientInServiceLoop_Reports()
    {
        await VerifyAsync("""
public class InventoryClient
{
    private readonly HttpClient _http;
    public InventoryClient(HttpClient http) => _http = http;
    public Task<StockLevel?> GetStockAsync(string sku, CancellationToken ct) => _http.GetFromJsonAsync<StockLevel>($"inventory/{sku}", ct);
}

public class RestockPlanner
{
    private readonly InventoryClient _inventory;
    public RestockPlanner(InventoryClient inventory) => _inventory = inventory;

    public async Task<List<string>> LowStockAsync(IReadOnlyList<string> skus, CancellationToken ct)
    {
        var low = new List<string>();
        foreach (var sku in skus)
        {
            var level = await {|#0:_inventory.GetStockAsync(sku, ct)|};
            if (level is { Available: < 5 }) low.Add(sku);
        }
        return low;
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'InventoryClient.GetStockAsync' (sends an HTTP or gRPC request)", "the foreach over 'skus'"));
    }

    [Fact]
    public async Task MinimalApiLoopOverOrderLines_InventoryCall_Reports()
    {
        await VerifyAsync("""
public static class OrderEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapPost("/orders/check", async (List<OrderLine2> lines, IHttpClientFactory factory, CancellationToken ct) =>
        {
            var client = factory.CreateClient("inventory");
            var missing = new List<string>();
            foreach (var line in lines)
            {
                var level = await {|#0:client.GetFromJsonAsync<StockLevel>($"stock/{line.Sku}", ct)|};
                if (level is null || level.Available < line.Quantity) missing.Add(line.Sku);
            }
            return Results.Ok(missing);
        });
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.GetFromJsonAsync'", "the foreach over 'lines'"));
    }

    [Fact]
    public async Task WhenAllSelectOverUserIds_ProfileFetch_Reports()
    {
        await VerifyAsync("""
public class ProfileLoader
{
    private readonly HttpClient _http;
    public ProfileLoader(HttpClient http) => _http = http;

    public async Task<UserProfile?[]> LoadAsync(IEnumerable<int> userIds, CancellationToken ct)
        => await Task.WhenAll(userIds.Select(id => {|#0:_http.GetFromJsonAsync<UserProfile>($"/users/{id}/profile", ct)|}));
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.GetFromJsonAsync'", "the lambda passed to 'Select'"));
    }

    [Fact]
    public async Task AwaitForeachOverDbStream_EnrichmentCallPerRow_Reports()
    {
        await VerifyAsync("""
public class UserEnricher
{
    private readonly BlogDbContext _db;
    private readonly HttpClient _http;
    public UserEnricher(BlogDbContext db, HttpClient http) { _db = db; _http = http; }

    public async Task EnrichAsync(CancellationToken ct)
    {
        await foreach (var user in _db.Users.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            using var response = await {|#0:_http.PostAsJsonAsync("/enrich", new { user.Id, user.Email }, ct)|};
            response.EnsureSuccessStatusCode();
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.PostAsJsonAsync'", "the await foreach over '_db.Users.AsNoTracking().AsAsyncEnumerable().WithCancella...'"));
    }

    [Fact]
    public async Task ForeachOverWebhooks_SendAsyncToEachHookUrl_Reports()
    {
        await VerifyAsync("""
public class WebhookDispatcher
{
    private readonly HttpClient _http;
    public WebhookDispatcher(HttpClient http) => _http = http;

    public async Task DispatchAsync(IEnumerable<Webhook> hooks, CancellationToken ct)
    {
        foreach (var hook in hooks)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, hook.Url) { Content = new StringContent(hook.Body) };
            using var response = await {|#0:_http.SendAsync(request, ct)|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.SendAsync'", "the foreach over 'hooks'"));
    }

    [Fact]
    public async Task ForOverCustomerIds_DeleteAsyncPerCustomer_Reports()
    {
        await VerifyAsync("""
public class GdprEraser
{
    private readonly HttpClient _http;
    public GdprEraser(HttpClient http) => _http = http;

    public async Task EraseAsync(int[] customerIds, CancellationToken ct)
    {
        for (var i = 0; i < customerIds.Length; i++)
        {
            using var response = await {|#0:_http.DeleteAsync($"/crm/customers/{customerIds[i]}", ct)|};
        }
    }
}
""", VerifyCS.Diagnostic("PERF008").WithLocation(0).WithArguments("'HttpClient.DeleteAsync'", "the for loop"));
    }
}
