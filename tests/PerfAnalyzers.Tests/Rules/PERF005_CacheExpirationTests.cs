using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.CacheEntryWithoutExpirationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF005_CacheExpirationTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

""";

    private static Task Run(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => VerifyCS.AnalyzerAsync(Usings + source, false, expected);

    // ---- IDistributedCache ----

    [Fact]
    public Task DistributedSetStringAsync_NoOptions_Reports() => Run("""
public class ProfileCache
{
    private readonly IDistributedCache _cache;
    public ProfileCache(IDistributedCache cache) => _cache = cache;

    public Task StoreAsync(string userId, string json, CancellationToken ct)
        => {|PERF005:_cache.SetStringAsync("profile:" + userId, json, ct)|};
}
""");

    [Fact]
    public Task DistributedSet_NewOptionsWithoutExpiration_Reports() => Run("""
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, byte[] payload)
    {
        {|PERF005:cache.Set(key, payload, new DistributedCacheEntryOptions())|};
    }
}
""");

    [Fact]
    public Task DistributedSetAsync_OptionsLocalWithoutExpiration_ReportsWithMessage() => Run("""
public class ProfileCache
{
    public async Task StoreAsync(IDistributedCache cache, string key, byte[] payload)
    {
        var options = {|#1:new DistributedCacheEntryOptions()|};
        await {|#0:cache.SetAsync(key, payload, options)|};
    }
}
""", VerifyCS.Diagnostic("PERF005").WithLocation(0).WithLocation(1).WithArguments("'IDistributedCache.SetAsync'", ""));

    [Fact]
    public Task DistributedSetString_OptionsInitializerWithRelativeExpiration_NoDiagnostic() => Run("""
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, string json)
        => cache.SetString(key, json, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10) });
}
""");

    [Fact]
    public Task DistributedSetAsync_OptionsLocalThenSetSlidingExpiration_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task StoreAsync(IDistributedCache cache, string key, byte[] payload)
    {
        var options = new DistributedCacheEntryOptions();
        options.SetSlidingExpiration(TimeSpan.FromMinutes(2));
        await cache.SetAsync(key, payload, options);
    }
}
""");

    [Fact]
    public Task DistributedSetAsync_OptionsLocalThenPropertyAssigned_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task StoreAsync(IDistributedCache cache, string key, byte[] payload, bool shortLived)
    {
        var options = new DistributedCacheEntryOptions();
        if (shortLived)
        {
            options.AbsoluteExpiration = DateTimeOffset.UtcNow.AddSeconds(30);
        }

        await cache.SetAsync(key, payload, options);
    }
}
""");

    [Fact]
    public Task DistributedSetString_ChainedSetAbsoluteExpiration_NoDiagnostic() => Run("""
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, string json)
        => cache.SetString(key, json, new DistributedCacheEntryOptions().SetAbsoluteExpiration(TimeSpan.FromHours(1)));
}
""");

    [Fact]
    public Task DistributedSetString_OptionsFromFieldOrParameter_NoDiagnostic() => Run("""
public class ProfileCache
{
    private static readonly DistributedCacheEntryOptions Options = new() { SlidingExpiration = TimeSpan.FromMinutes(5) };

    public void Store(IDistributedCache cache, string key, string json) => cache.SetString(key, json, Options);

    public void Store(IDistributedCache cache, string key, string json, DistributedCacheEntryOptions options) => cache.SetString(key, json, options);
}
""");

    [Fact]
    public Task DistributedSetString_OptionsHandedToHelper_NoDiagnostic() => Run("""
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, string json)
    {
        var options = new DistributedCacheEntryOptions();
        CachePolicy.Apply(options);
        cache.SetString(key, json, options);
    }
}

public static class CachePolicy
{
    public static void Apply(DistributedCacheEntryOptions options) => options.SlidingExpiration = TimeSpan.FromMinutes(1);
}
""");

    [Fact]
    public Task DistributedGetAndRefresh_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task<string> ReadAsync(IDistributedCache cache, string key)
    {
        await cache.RefreshAsync(key);
        return await cache.GetStringAsync(key);
    }
}
""");

    // ---- StackExchange.Redis ----

    [Fact]
    public Task RedisStringSetAsync_NoExpiry_ReportsWithMessage() => Run("""
public class SessionStore
{
    private readonly IDatabase _db;
    public SessionStore(IConnectionMultiplexer redis) => _db = redis.GetDatabase();

    public Task<bool> SaveAsync(string sessionId, string payload)
        => {|#0:_db.StringSetAsync("session:" + sessionId, payload)|};
}
""", VerifyCS.Diagnostic("PERF005").WithLocation(0).WithArguments("'IDatabase.StringSetAsync'", ""));

    [Fact]
    public Task RedisStringSet_ExplicitNullExpiry_Reports() => Run("""
public class SessionStore
{
    public bool Save(IDatabase db, string key, string payload) => {|PERF005:db.StringSet(key, payload, null, When.Always)|};
}
""");

    [Fact]
    public Task RedisStringSetAsync_WithExpiry_NoDiagnostic() => Run("""
public class SessionStore
{
    public Task<bool> SaveAsync(IDatabase db, string key, string payload)
        => db.StringSetAsync(key, payload, TimeSpan.FromMinutes(20));

    public Task<bool> SaveNamedAsync(IDatabase db, string key, string payload, TimeSpan ttl)
        => db.StringSetAsync(key, payload, expiry: ttl, when: When.NotExists);
}
""");

    [Fact]
    public Task RedisStringSet_KeepTtlOrExpirationKeepTtl_NoDiagnostic() => Run("""
public class SessionStore
{
    public bool Update(IDatabase db, string key, string payload) => db.StringSet(key, payload, null, keepTtl: true);

    public bool UpdateKeeping(IDatabase db, string key, string payload) => db.StringSet(key, payload, Expiration.KeepTtl);
}
""");

    [Fact]
    public Task RedisStringSetAsync_FollowedByKeyExpireOnSameKey_NoDiagnostic() => Run("""
public class SessionStore
{
    public async Task SaveAsync(IDatabase db, string sessionId, string payload)
    {
        var key = "session:" + sessionId;
        await db.StringSetAsync(key, payload);
        await db.KeyExpireAsync(key, TimeSpan.FromMinutes(30));
    }
}
""");

    [Fact]
    public Task RedisStringSetAsync_KeyExpireOnOtherKey_Reports() => Run("""
public class SessionStore
{
    public async Task SaveAsync(IDatabase db, string sessionId, string payload)
    {
        await {|PERF005:db.StringSetAsync("session:" + sessionId, payload)|};
        await db.KeyExpireAsync("index:" + sessionId, TimeSpan.FromMinutes(30));
    }
}
""");

    [Fact]
    public Task RedisHashSetAndGet_NoDiagnostic() => Run("""
public class SessionStore
{
    public async Task<string> TouchAsync(IDatabase db, string key)
    {
        await db.HashSetAsync(key, "seen", DateTime.UtcNow.Ticks);
        return await db.StringGetAsync(key);
    }
}
""");

    // ---- IMemoryCache on request paths ----

    [Fact]
    public Task MemorySet_InControllerAction_ReportsWithHandler() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id)
    {
        var name = "product " + id;
        {|#0:_cache.Set("product:" + id, name)|};
        return name;
    }
}
""", VerifyCS.Diagnostic("PERF005").WithLocation(0).WithArguments("'IMemoryCache.Set'", " in the request handler 'ProductsController.Get'"));

    [Fact]
    public Task MemoryGetOrCreateAsync_FactoryWithoutExpiration_InControllerAction_Reports() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public async Task<string> Get(int id)
        => await {|PERF005:_cache.GetOrCreateAsync("product:" + id, async entry => await Task.FromResult("product " + id))|};
}
""");

    [Fact]
    public Task MemorySet_InServiceReachedFromController_ReportsAtCompilationEnd() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly ProductNames _names;
    public ProductsController(ProductNames names) => _names = names;

    [HttpGet("/products/{id}")]
    public string Get(int id) => _names.Lookup(id);
}

public class ProductNames
{
    private readonly IMemoryCache _cache;
    public ProductNames(IMemoryCache cache) => _cache = cache;

    public string Lookup(int id)
    {
        var name = "product " + id;
        {|#0:_cache.Set(id, name)|};
        return name;
    }
}
""", VerifyCS.Diagnostic("PERF005").WithLocation(0).WithArguments("'IMemoryCache.Set'", " on the request path from 'ProductsController.Get'"));

    [Fact]
    public Task MemorySet_WithRelativeExpirationOrOptions_InControllerAction_NoDiagnostic() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id)
    {
        var name = "product " + id;
        _cache.Set("product:" + id, name, TimeSpan.FromMinutes(1));
        var options = new MemoryCacheEntryOptions().SetSize(1);
        _cache.Set("name:" + id, name, options);
        _cache.Set("sliding:" + id, name, new MemoryCacheEntryOptions { SlidingExpiration = TimeSpan.FromSeconds(30) });
        return name;
    }
}
""");

    [Fact]
    public Task MemoryGetOrCreate_FactorySetsExpirationOrSize_NoDiagnostic() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id)
    {
        var a = _cache.GetOrCreate("a:" + id, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return "a";
        });
        var b = _cache.GetOrCreate("b:" + id, entry => entry.SetSlidingExpiration(TimeSpan.FromMinutes(1)).SetValue("b").Value as string);
        var c = _cache.GetOrCreate("c:" + id, entry => { entry.Size = 1; return "c"; });
        return a + b + c;
    }
}
""");

    [Fact]
    public Task MemoryGetOrCreate_EntryHandedToHelper_NoDiagnostic() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id) => _cache.GetOrCreate("p:" + id, entry => CachePolicy.Configure(entry, "p"));
}

public static class CachePolicy
{
    public static string Configure(ICacheEntry entry, string value)
    {
        entry.SlidingExpiration = TimeSpan.FromMinutes(1);
        return value;
    }
}
""");

    [Fact]
    public Task MemorySet_InHostedServiceOrUnreachedClass_NoDiagnostic() => Run("""
public class CatalogWarmup : BackgroundService
{
    private readonly IMemoryCache _cache;
    public CatalogWarmup(IMemoryCache cache) => _cache = cache;

    protected override Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _cache.Set("catalog", new List<string> { "a", "b" });
        return Task.CompletedTask;
    }
}

public class StartupSeed
{
    public void Seed(IMemoryCache cache) => cache.Set("countries", new[] { "NL", "DE" });
}
""");

    [Fact]
    public Task HybridCache_GetOrCreateAndSetWithoutOptions_NoDiagnostic() => Run("""
public class ProductService
{
    private readonly HybridCache _cache;
    public ProductService(HybridCache cache) => _cache = cache;

    public async Task<string> GetAsync(int id, CancellationToken ct)
    {
        await _cache.SetAsync("seen:" + id, "yes", cancellationToken: ct);
        return await _cache.GetOrCreateAsync("product:" + id, async token => await Task.FromResult("p" + id), cancellationToken: ct);
    }
}
""");

    [Fact]
    public Task DistributedSetString_OptionsFromFactoryMethod_NoDiagnostic() => Run("""
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, string json)
    {
        var options = CachePolicy.ForProfiles();
        cache.SetString(key, json, options);
    }
}

public static class CachePolicy
{
    public static DistributedCacheEntryOptions ForProfiles() => new() { SlidingExpiration = TimeSpan.FromMinutes(1) };
}
""");

    [Fact]
    public Task MemoryGetOrCreate_MethodGroupFactoryOrChangeToken_NoDiagnostic() => Run("""
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id, Microsoft.Extensions.Primitives.IChangeToken reload)
    {
        _cache.Set("p:" + id, "p", reload);
        return _cache.GetOrCreate("n:" + id, Load);
    }

    private static string Load(ICacheEntry entry)
    {
        entry.SlidingExpiration = TimeSpan.FromMinutes(1);
        return "n";
    }
}
""");

    [Fact]
    public Task MemorySet_InMinimalApiHandler_ReportsWithLine() => Run("""
public static class Endpoints
{
    public static void Map(Microsoft.AspNetCore.Builder.WebApplication app)
    {
        Microsoft.AspNetCore.Builder.EndpointRouteBuilderExtensions.MapGet(app, "/seen/{id}", (int id, IMemoryCache cache) => {|#0:cache.Set("seen:" + id, true)|});
    }
}
""", VerifyCS.Diagnostic("PERF005").WithLocation(0).WithArguments("'IMemoryCache.Set'", " in the minimal API handler at line 16"));
}
