using System.Threading.Tasks;
using Xunit;
using Cache = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.CacheEntryWithoutExpirationAnalyzer>;
using Filter = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.FilterAfterMaterializationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

// Realistic backend shapes that resemble PERF005/PERF007 findings but must stay quiet, plus a few positives.
public class PERF005_PERF007_LookAlikeTests
{
    private const string CacheUsings = """
using System;
using System.Collections.Generic;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

""";

    private const string QueryUsings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    private static Task RunCache(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => Cache.AnalyzerAsync(CacheUsings + source, false, expected);

    private static Task RunQuery(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => Filter.AnalyzerAsync(QueryUsings + source, expected);

    // ---- PERF005 look-alikes ----

    [Fact]
    public Task Perf005_DistributedSetAsync_OptionsFromStaticReadonlyField_NoDiagnostic() => RunCache("""
public class CatalogCache
{
    private static readonly DistributedCacheEntryOptions CatalogEntry = new() { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(15) };
    private readonly IDistributedCache _cache;
    public CatalogCache(IDistributedCache cache) => _cache = cache;

    public Task StoreAsync(string sku, byte[] payload, CancellationToken ct) => _cache.SetAsync("sku:" + sku, payload, CatalogEntry, ct);
}
""");

    [Fact]
    public Task Perf005_DistributedSetStringAsync_InjectedIOptionsValue_NoDiagnostic() => RunCache("""
public class SessionStore
{
    private readonly IDistributedCache _cache;
    private readonly IOptions<DistributedCacheEntryOptions> _entryOptions;
    public SessionStore(IDistributedCache cache, IOptions<DistributedCacheEntryOptions> entryOptions)
    {
        _cache = cache;
        _entryOptions = entryOptions;
    }

    public Task SaveAsync(string id, string json, CancellationToken ct)
        => _cache.SetStringAsync("session:" + id, json, _entryOptions.Value, ct);
}
""");

    [Fact]
    public Task Perf005_DistributedSetAsync_OptionsFromPrivateCreateOptionsHelper_NoDiagnostic() => RunCache("""
public class ProfileCache
{
    private readonly IDistributedCache _cache;
    public ProfileCache(IDistributedCache cache) => _cache = cache;

    public async Task StoreAsync(string userId, byte[] payload, CancellationToken ct)
    {
        var options = CreateOptions();
        await _cache.SetAsync("profile:" + userId, payload, options, ct);
    }

    private static DistributedCacheEntryOptions CreateOptions()
        => new DistributedCacheEntryOptions { SlidingExpiration = TimeSpan.FromMinutes(20) };
}
""");

    [Fact]
    public Task Perf005_DistributedSetAsync_InlineSetSlidingExpirationChain_NoDiagnostic() => RunCache("""
public class CartCache
{
    public Task SaveAsync(IDistributedCache cache, string cartId, byte[] payload, CancellationToken ct)
        => cache.SetAsync("cart:" + cartId, payload, new DistributedCacheEntryOptions().SetSlidingExpiration(TimeSpan.FromMinutes(30)), ct);
}
""");

    [Fact]
    public Task Perf005_RedisStringSetAsync_PositionalTimeSpanExpiry_NoDiagnostic() => RunCache("""
public class TokenStore
{
    private readonly IDatabase _redis;
    public TokenStore(IConnectionMultiplexer mux) => _redis = mux.GetDatabase();

    public Task<bool> SaveAsync(string token, string userId)
        => _redis.StringSetAsync("token:" + token, userId, TimeSpan.FromMinutes(5));
}
""");

    [Fact]
    public Task Perf005_RedisStringSet_LockWithWhenNotExistsAndNamedExpiry_NoDiagnostic() => RunCache("""
public class DistributedLock
{
    public bool TryAcquire(IDatabase db, string resource, string owner)
        => db.StringSet("lock:" + resource, owner, when: When.NotExists, expiry: TimeSpan.FromSeconds(30));
}
""");

    [Fact]
    public Task Perf005_RedisStringSetAsync_KeyExpireAsyncRightAfterOnSameKeyLocal_NoDiagnostic() => RunCache("""
public class RateLimitStore
{
    public async Task RecordAsync(IDatabase db, string clientId, long count)
    {
        RedisKey key = "rate:" + clientId;
        await db.StringSetAsync(key, count);
        await db.KeyExpireAsync(key, TimeSpan.FromMinutes(1));
    }
}
""");

    [Fact]
    public Task Perf005_MemorySet_OptionsWithSizeForSizeLimitedCache_InController_NoDiagnostic() => RunCache("""
[ApiController]
public class PricesController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public PricesController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/prices/{sku}")]
    public decimal Get(string sku)
    {
        var price = sku.Length * 1.5m;
        _cache.Set("price:" + sku, price, new MemoryCacheEntryOptions { Size = 1 });
        return price;
    }
}
""");

    [Fact]
    public Task Perf005_MemorySet_InBackgroundServiceWarmUp_NoDiagnostic() => RunCache("""
public class CountryWarmUp : BackgroundService
{
    private readonly IMemoryCache _cache;
    public CountryWarmUp(IMemoryCache cache) => _cache = cache;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var code in new[] { "DE", "FR", "US" })
        {
            _cache.Set("country:" + code, code.ToLowerInvariant());
        }

        return Task.CompletedTask;
    }
}
""");

    [Fact]
    public Task Perf005_MemoryGetOrCreateAsync_FactoryCallsSetAbsoluteExpiration_InController_NoDiagnostic() => RunCache("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public async Task<string?> Get(int id)
        => await _cache.GetOrCreateAsync("product:" + id, async entry =>
        {
            entry.SetAbsoluteExpiration(TimeSpan.FromMinutes(10));
            return await Task.FromResult("product " + id);
        });
}
""");

    [Fact]
    public Task Perf005_DistributedSetString_OptionsLocalInitializerWithSliding_NoDiagnostic() => RunCache("""
public class PreferenceCache
{
    public void Save(IDistributedCache cache, string userId, string json)
    {
        var options = new DistributedCacheEntryOptions
        {
            SlidingExpiration = TimeSpan.FromHours(1),
        };
        cache.SetString("prefs:" + userId, json, options);
    }
}
""");

    [Fact]
    public Task Perf005_RedisStringSetAsync_ExpiryFromTimeSpanParameter_NoDiagnostic() => RunCache("""
public class FeatureFlagStore
{
    public Task<bool> SaveAsync(IDatabase db, string flag, bool enabled, TimeSpan ttl)
        => db.StringSetAsync("flag:" + flag, enabled, expiry: ttl);
}
""");

    // ---- PERF005 positives ----

    [Fact]
    public Task Perf005_RedisStringSetAsync_WhenNotExistsWithoutExpiry_Reports() => RunCache("""
public class IdempotencyStore
{
    public Task<bool> ClaimAsync(IDatabase db, string requestId)
        => {|PERF005:db.StringSetAsync("idem:" + requestId, 1, when: When.NotExists)|};
}
""");

    [Fact]
    public Task Perf005_MemorySet_OptionsWithOnlyPriority_InController_Reports() => RunCache("""
[ApiController]
public class PricesController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public PricesController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/prices/{sku}")]
    public decimal Get(string sku)
    {
        var price = sku.Length * 1.5m;
        {|PERF005:_cache.Set("price:" + sku, price, new MemoryCacheEntryOptions { Priority = CacheItemPriority.High })|};
        return price;
    }
}
""");

    // ---- PERF007 look-alikes ----

    [Fact]
    public Task Perf007_ToListAsyncThenForeach_NoDiagnostic() => RunQuery("""
class Mailer
{
    public async Task<int> NotifyAsync(BlogDbContext db, CancellationToken ct)
    {
        var users = await db.Users.Where(u => u.Email != null).ToListAsync(ct);
        var sent = 0;
        foreach (var user in users)
        {
            sent += user.Email.Length > 0 ? 1 : 0;
        }
        return sent;
    }
}
""");

    [Fact]
    public Task Perf007_ToListThenSelectDtoProjection_NoDiagnostic() => RunQuery("""
record OrderDto(int Id, decimal Total);

class OrdersEndpoint
{
    public List<OrderDto> List(BlogDbContext db)
        => db.Orders.Where(o => o.Shipped).ToList().Select(o => new OrderDto(o.Id, Math.Round(o.Total, 2))).ToList();
}
""");

    [Fact]
    public Task Perf007_ListReturnedAndAlsoCounted_NoDiagnostic() => RunQuery("""
record OrderPage(List<Order> Items, int ShippedCount);

class OrdersEndpoint
{
    public async Task<OrderPage> PageAsync(BlogDbContext db, int buyerId, CancellationToken ct)
    {
        var orders = await db.Orders.Where(o => o.BuyerId == buyerId).ToListAsync(ct);
        var shipped = orders.Count(o => o.Shipped);
        return new OrderPage(orders, shipped);
    }
}
""");

    [Fact]
    public Task Perf007_InMemoryListParameterWhere_NoDiagnostic() => RunQuery("""
class Basket
{
    public decimal Expensive(List<Product> products)
        => products.ToList().Where(p => p.Price > 100).Sum(p => p.Price);
}
""");

    [Fact]
    public Task Perf007_AsEnumerableThenRegexPredicate_NoDiagnostic() => RunQuery("""
class UserSearch
{
    private static readonly Regex Corporate = new(@"@(contoso|fabrikam)\.com$", RegexOptions.IgnoreCase);

    public List<User> CorporateUsers(BlogDbContext db)
        => db.Users.AsEnumerable().Where(u => Regex.IsMatch(u.Email, @"@(contoso|fabrikam)\.com$")).ToList();

    public List<User> CorporateUsersCompiled(BlogDbContext db)
        => db.Users.AsEnumerable().Where(u => Corporate.IsMatch(u.Email)).ToList();
}
""");

    [Fact]
    public Task Perf007_DapperQueryAsyncThenWhere_NoDiagnostic() => RunQuery("""
class OrdersRepository
{
    public async Task<List<Order>> BigAsync(IDbConnection conn)
    {
        var rows = await conn.QueryAsync<Order>("select * from orders");
        return rows.Where(o => o.Total > 100).ToList();
    }
}
""");

    [Fact]
    public Task Perf007_ToListAfterTake50_ThenOrderByInMemory_NoDiagnostic() => RunQuery("""
class Feed
{
    public List<Post> Latest(BlogDbContext db)
        => db.Posts.OrderByDescending(p => p.CreatedAt).Take(50).ToList().Where(p => p.EditorId != null).OrderBy(p => p.Title).ToList();
}
""");

    [Fact]
    public Task Perf007_GroupByAfterToListOfSmallProjection_NoDiagnostic() => RunQuery("""
class Revenue
{
    public Dictionary<int, decimal> ByBuyer(BlogDbContext db)
        => db.Orders.Select(o => new { o.BuyerId, o.Total }).ToList()
            .GroupBy(o => o.BuyerId)
            .ToDictionary(g => g.Key, g => g.Sum(o => o.Total));
}
""");

    [Fact]
    public Task Perf007_ToDictionaryAndToLookupAfterMaterialization_NoDiagnostic() => RunQuery("""
class SettingsLoader
{
    public Dictionary<string, string> Load(BlogDbContext db)
        => db.Settings.ToList().ToDictionary(s => s.Key, s => s.Value);

    public async Task<ILookup<int, Post>> ByAuthorAsync(BlogDbContext db, CancellationToken ct)
        => (await db.Posts.ToListAsync(ct)).ToLookup(p => p.AuthorId);
}
""");

    [Fact]
    public Task Perf007_ListCachedInFieldThenFilteredLater_NoDiagnostic() => RunQuery("""
class SettingsCache
{
    private List<Setting> _settings = new();

    public void Reload(BlogDbContext db) => _settings = db.Settings.ToList();

    public string? Find(string key) => _settings.Where(s => s.Key == key).Select(s => s.Value).FirstOrDefault();
}
""");

    [Fact]
    public Task Perf007_ToListThenDistinctOfProjection_NoDiagnostic() => RunQuery("""
class Tags
{
    public List<string> Domains(BlogDbContext db)
        => db.Users.Select(u => u.Email).ToList().Select(e => e.Substring(e.IndexOf('@') + 1)).Distinct().ToList();
}
""");

    // ---- PERF007 positives ----

    [Fact]
    public Task Perf007_ToArrayAsyncThenAny_Reports() => RunQuery("""
class Users
{
    public async Task<bool> HasCorporateAsync(BlogDbContext db, CancellationToken ct)
        => (await {|#0:db.Users.ToArrayAsync(ct)|}).Any(u => u.Email.EndsWith("@contoso.com"));
}
""", Filter.Diagnostic("PERF007").WithLocation(0).WithArguments("ToArrayAsync", "Any"));

    [Fact]
    public Task Perf007_ToListThenSum_Reports() => RunQuery("""
class Revenue
{
    public decimal Total(BlogDbContext db, int buyerId)
        => {|#0:db.Orders.Where(o => o.BuyerId == buyerId).ToList()|}.Sum(o => o.Total);
}
""", Filter.Diagnostic("PERF007").WithLocation(0).WithArguments("ToList", "Sum"));
}
