using System.Threading.Tasks;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.CacheEntryWithoutExpirationAnalyzer, PerfAnalyzers.CodeFixes.CacheExpiration.CacheExpirationCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF005_CodeFixTests
{
    private const string Usings = """
using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using StackExchange.Redis;

""";

    [Fact]
    public async Task DistributedSetStringAsync_WithToken_OptionsInsertedBeforeToken()
    {
        await VerifyFix.CodeFixAsync(Usings + """
public class ProfileCache
{
    public Task StoreAsync(IDistributedCache cache, string key, string json, CancellationToken ct)
        => {|PERF005:cache.SetStringAsync(key, json, ct)|};
}
""", Usings + """
public class ProfileCache
{
    public Task StoreAsync(IDistributedCache cache, string key, string json, CancellationToken ct)
        => cache.SetStringAsync(key, json, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) }, ct);
}
""", includeModel: false);
    }

    [Fact]
    public async Task DistributedSet_EmptyOptionsCreation_InitializerAdded()
    {
        await VerifyFix.CodeFixAsync(Usings + """
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, byte[] payload)
    {
        {|PERF005:cache.Set(key, payload, new DistributedCacheEntryOptions())|};
    }
}
""", Usings + """
public class ProfileCache
{
    public void Store(IDistributedCache cache, string key, byte[] payload)
    {
        cache.Set(key, payload, new DistributedCacheEntryOptions { AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task DistributedSetAsync_MultiLineOptionsLocal_PropertyAddedOnItsOwnLine()
    {
        await VerifyFix.CodeFixAsync(Usings + """
public class ProfileCache
{
    public async Task StoreAsync(IDistributedCache cache, string key, byte[] payload)
    {
        var options = new DistributedCacheEntryOptions
        {
        };
        await {|PERF005:cache.SetAsync(key, payload, options)|};
        await {|PERF005:cache.SetAsync(key + ":copy", payload, options)|};
    }
}
""", Usings + """
public class ProfileCache
{
    public async Task StoreAsync(IDistributedCache cache, string key, byte[] payload)
    {
        var options = new DistributedCacheEntryOptions
        {
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5)
        };
        await cache.SetAsync(key, payload, options);
        await cache.SetAsync(key + ":copy", payload, options);
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task RedisStringSetAsync_NoExpiry_NamedExpiryAdded_FixAll()
    {
        await VerifyFix.CodeFixAsync(Usings + """
public class SessionStore
{
    public async Task SaveAsync(IDatabase db, string id, string payload)
    {
        await {|PERF005:db.StringSetAsync("session:" + id, payload)|};
        {|PERF005:db.StringSet("user:" + id, payload, null, When.Always)|};
    }
}
""", Usings + """
public class SessionStore
{
    public async Task SaveAsync(IDatabase db, string id, string payload)
    {
        await db.StringSetAsync("session:" + id, payload, expiry: TimeSpan.FromMinutes(5));
        db.StringSet("user:" + id, payload, TimeSpan.FromMinutes(5), When.Always);
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task MemorySetAndGetOrCreate_InController_TimeSpanAndFactoryStatementAdded()
    {
        await VerifyFix.CodeFixAsync(Usings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public async Task<string> Get(int id)
    {
        {|PERF005:_cache.Set("seen:" + id, true)|};
        var name = await {|PERF005:_cache.GetOrCreateAsync("product:" + id, async entry => await Task.FromResult("product " + id))|};
        return {|PERF005:_cache.GetOrCreate("label:" + id, entry =>
        {
            return name.ToUpperInvariant();
        })|};
    }
}
""", Usings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public async Task<string> Get(int id)
    {
        _cache.Set("seen:" + id, true, TimeSpan.FromMinutes(5));
        var name = await _cache.GetOrCreateAsync("product:" + id, async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return await Task.FromResult("product " + id);
        });
        return _cache.GetOrCreate("label:" + id, entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return name.ToUpperInvariant();
        });
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task MemorySetWithOptions_MultiLineAndSingleLineInitializers_PropertyAppendedInLayout()
    {
        await VerifyFix.CodeFixAsync(Usings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id)
    {
        var options = new MemoryCacheEntryOptions
        {
            Priority = CacheItemPriority.High,
        };
        {|PERF005:_cache.Set("a:" + id, "a", options)|};
        {|PERF005:_cache.Set("b:" + id, "b", new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low })|};
        return "ok";
    }
}
""", Usings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    public ProductsController(IMemoryCache cache) => _cache = cache;

    [HttpGet("/products/{id}")]
    public string Get(int id)
    {
        var options = new MemoryCacheEntryOptions
        {
            Priority = CacheItemPriority.High,
            AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5),
        };
        _cache.Set("a:" + id, "a", options);
        _cache.Set("b:" + id, "b", new MemoryCacheEntryOptions { Priority = CacheItemPriority.Low, AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5) });
        return "ok";
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task RedisStringSet_EditorConfigMinutes_UsesConfiguredValue_AndAddsUsingSystem()
    {
        const string before = """
using System.Threading.Tasks;
using StackExchange.Redis;

public class SessionStore
{
    public Task<bool> SaveAsync(IDatabase db, string id, string payload) => {|PERF005:db.StringSetAsync(id, payload)|};
}
""";
        const string after = """
using System;
using System.Threading.Tasks;
using StackExchange.Redis;

public class SessionStore
{
    public Task<bool> SaveAsync(IDatabase db, string id, string payload) => db.StringSetAsync(id, payload, expiry: TimeSpan.FromMinutes(30));
}
""";
        var test = new VerifyFix.Test { TestCode = before, FixedCode = after };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nperf_analyzers.PERF005.cache_expiration_minutes = 30\n"));
        await test.RunAsync();
    }
}
