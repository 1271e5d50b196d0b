using System;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.CodeFixes.RepeatedLookup;
using PerfAnalyzers.Rules;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>PERF004 "Cache with IMemoryCache/HybridCache": exact output where it applies, and where it must not be offered.</summary>
public class PERF004_CacheFixTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    private const string CacheUsings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Blog;
using Microsoft.Extensions.Caching.Memory;

""";

    private const string HybridUsings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Blog;
using Microsoft.Extensions.Caching.Hybrid;

""";

    private const string Program = """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
var app = builder.Build();
app.MapControllers();
app.Run();

""";

    /// <summary>The real HybridCache implementation package (AddHybridCache), added only where a test says so.</summary>
    private static readonly MetadataReference HybridCachePackage = MetadataReference.CreateFromFile(Path.Combine(AppContext.BaseDirectory, "Microsoft.Extensions.Caching.Hybrid.dll"));

    [Fact]
    public async Task ControllerLoop_NoTrackingSettingByConstant_WrappedInGetOrCreateAsyncWithFiveMinutes()
    {
        await VerifyAsync(Usings + """
[ApiController]
public class PricingController : ControllerBase
{
    private readonly BlogDbContext _db;

    public PricingController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpPost("/orders/price")]
    public async Task<decimal> Price(List<Order> orders, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var tax = await {|PERF004:_db.Settings.AsNoTracking().FirstAsync(s => s.Key == "tax", ct)|};
            total += order.Total * (1 + decimal.Parse(tax.Value));
        }
        return total;
    }
}
""", CacheUsings + """
[ApiController]
public class PricingController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public PricingController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpPost("/orders/price")]
    public async Task<decimal> Price(List<Order> orders, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var tax = await _cache.GetOrCreateAsync("BlogDbContext.Settings.AsNoTracking().FirstAsync(s => s.Key == \"tax\")", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _db.Settings.AsNoTracking().FirstAsync(s => s.Key == "tax", ct);
            });
            total += order.Total * (1 + decimal.Parse(tax.Value));
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task ControllerRepeat_ProductByIdParameter_KeyHasIdHole()
    {
        await VerifyAsync(Usings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ProductsController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpGet("/products/{id}")]
    public async Task<string> Get(int id)
    {
        var first = await _db.Products.Where(p => p.Id == id).Select(p => p.Sku).FirstAsync();
        if (first.Length == 0) return "";
        var sku = await {|PERF004:_db.Products.Where(p => p.Id == id).Select(p => p.Sku).FirstAsync()|};
        return sku;
    }
}
""", CacheUsings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public ProductsController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpGet("/products/{id}")]
    public async Task<string> Get(int id)
    {
        var first = await _db.Products.Where(p => p.Id == id).Select(p => p.Sku).FirstAsync();
        if (first.Length == 0) return "";
        var sku = await _cache.GetOrCreateAsync($"BlogDbContext.Products.Where(p => p.Id == {id}).Select(p => p.Sku).FirstAsync()", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return await _db.Products.Where(p => p.Id == id).Select(p => p.Sku).FirstAsync();
        });
        return sku;
    }
}
""");
    }

    [Fact]
    public async Task ExistingMemoryCacheField_Reused_ProgramGetsAddMemoryCache()
    {
        await VerifyAsync(Usings + """
using Microsoft.Extensions.Caching.Memory;

[ApiController]
public class SettingsController : ControllerBase
{
    private readonly BlogDbContext _db;
    private readonly IMemoryCache _memory;

    public SettingsController(BlogDbContext db, IMemoryCache memory)
    {
        _db = db;
        _memory = memory;
    }

    [HttpGet("/settings/{key}")]
    public async Task<string> Get(string key)
    {
        var first = await _db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync();
        if (first == null) return "";
        return await {|PERF004:_db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync()|};
    }
}
""", Usings + """
using Microsoft.Extensions.Caching.Memory;

[ApiController]
public class SettingsController : ControllerBase
{
    private readonly BlogDbContext _db;
    private readonly IMemoryCache _memory;

    public SettingsController(BlogDbContext db, IMemoryCache memory)
    {
        _db = db;
        _memory = memory;
    }

    [HttpGet("/settings/{key}")]
    public async Task<string> Get(string key)
    {
        var first = await _db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync();
        if (first == null) return "";
        return await _memory.GetOrCreateAsync($"BlogDbContext.Settings.AsNoTracking().Where(s => s.Key == {key}).Select(s => s.Value).FirstOrDefaultAsync()", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return await _db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstOrDefaultAsync();
        });
    }
}
""", program: Program, fixedProgram: """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddMemoryCache();
var app = builder.Build();
app.MapControllers();
app.Run();

""");
    }

    [Fact]
    public async Task ProgramAlreadyRegistersMemoryCache_NotAddedTwice()
    {
        var program = Program.Replace("builder.Services.AddControllers();", "builder.Services.AddControllers();\nbuilder.Services.AddMemoryCache();");
        await VerifyAsync(Usings + """
[ApiController]
public class CountController : ControllerBase
{
    private readonly BlogDbContext _db;

    public CountController(BlogDbContext db) => _db = db;

    [HttpGet("/count")]
    public int Get(int[] pages)
    {
        var sum = 0;
        foreach (var page in pages)
        {
            sum += page * {|PERF004:_db.Posts.Count()|};
        }
        return sum;
    }
}
""", CacheUsings + """
[ApiController]
public class CountController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public CountController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpGet("/count")]
    public int Get(int[] pages)
    {
        var sum = 0;
        foreach (var page in pages)
        {
            sum += page * _cache.GetOrCreate("BlogDbContext.Posts.Count()", entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return _db.Posts.Count();
            });
        }
        return sum;
    }
}
""", program: program, fixedProgram: program);
    }

    [Fact]
    public async Task HybridCachePackageReferenced_UsesHybridCacheWithBothExpirationsAndToken_RegistersAddHybridCache()
    {
        await VerifyAsync(Usings + """
[ApiController]
public class PricingController : ControllerBase
{
    private readonly BlogDbContext _db;

    public PricingController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpPost("/orders/price")]
    public async Task<decimal> Price(List<Order> orders, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var rate = await {|PERF004:_db.Settings.Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync(ct)|};
            total += order.Total * (1 + decimal.Parse(rate));
        }
        return total;
    }
}
""", HybridUsings + """
[ApiController]
public class PricingController : ControllerBase
{
    private readonly HybridCache _cache;
    private readonly BlogDbContext _db;

    public PricingController(BlogDbContext db, HybridCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpPost("/orders/price")]
    public async Task<decimal> Price(List<Order> orders, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var rate = await _cache.GetOrCreateAsync("BlogDbContext.Settings.Where(s => s.Key == \"tax\").Select(s => s.Value).FirstAsync()", async cancel => await _db.Settings.Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync(ct), new HybridCacheEntryOptions { Expiration = TimeSpan.FromMinutes(5), LocalCacheExpiration = TimeSpan.FromMinutes(5) }, cancellationToken: ct);
            total += order.Total * (1 + decimal.Parse(rate));
        }
        return total;
    }
}
""", program: Program, fixedProgram: Program.Replace("builder.Services.AddControllers();", "builder.Services.AddControllers();\nbuilder.Services.AddHybridCache();"), hybrid: true);
    }

    [Fact]
    public async Task FixAll_ThreeLookupsInOneLoop_OneFieldDistinctKeys()
    {
        await VerifyAsync(Usings + """
[ApiController]
public class ReportController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ReportController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpGet("/report")]
    public async Task<decimal> Get(List<Order> orders, int minimum)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var tax = await {|PERF004:_db.Settings.Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync()|};
            var fee = await {|PERF004:_db.Settings.Where(s => s.Key == "fee").Select(s => s.Value).FirstAsync()|};
            var big = await {|PERF004:_db.Products.CountAsync(p => p.Price > minimum)|};
            total += order.Total * decimal.Parse(tax) + decimal.Parse(fee) + big;
        }
        return total;
    }
}
""", CacheUsings + """
[ApiController]
public class ReportController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public ReportController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpGet("/report")]
    public async Task<decimal> Get(List<Order> orders, int minimum)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var tax = await _cache.GetOrCreateAsync("BlogDbContext.Settings.Where(s => s.Key == \"tax\").Select(s => s.Value).FirstAsync()", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _db.Settings.Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync();
            });
            var fee = await _cache.GetOrCreateAsync("BlogDbContext.Settings.Where(s => s.Key == \"fee\").Select(s => s.Value).FirstAsync()", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _db.Settings.Where(s => s.Key == "fee").Select(s => s.Value).FirstAsync();
            });
            var big = await _cache.GetOrCreateAsync($"BlogDbContext.Products.CountAsync(p => p.Price > {minimum})", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _db.Products.CountAsync(p => p.Price > minimum);
            });
            total += order.Total * decimal.Parse(tax) + decimal.Parse(fee) + big;
        }
        return total;
    }
}
""", fixAll: true);
    }

    [Theory]
    [InlineData("perf_analyzers.cache_expiration_minutes = 10", 10)]
    [InlineData("perf_analyzers.cache_expiration_minutes = 30\nperf_analyzers.PERF004.cache_expiration_minutes = 10", 10)]
    [InlineData("perf_analyzers.cache_expiration_minutes = ten", 5)]
    [InlineData("perf_analyzers.PERF004.cache_expiration_minutes = -3", 5)]
    [InlineData("perf_analyzers.cache_expiration_minutes = 0", 5)]
    public async Task EditorConfigExpiration_UsedWhenPositiveInteger_ElseFiveMinutes(string options, int minutes)
    {
        await VerifyAsync(Usings + """
[ApiController]
public class CountController : ControllerBase
{
    private readonly BlogDbContext _db;

    public CountController(BlogDbContext db) => _db = db;

    [HttpGet("/count")]
    public async Task<int> Get(int[] pages)
    {
        var sum = 0;
        foreach (var page in pages)
        {
            sum += page * await {|PERF004:_db.Users.CountAsync()|};
        }
        return sum;
    }
}
""", CacheUsings + """
[ApiController]
public class CountController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public CountController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpGet("/count")]
    public async Task<int> Get(int[] pages)
    {
        var sum = 0;
        foreach (var page in pages)
        {
            sum += page * await _cache.GetOrCreateAsync("BlogDbContext.Users.CountAsync()", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(MINUTES);
                return await _db.Users.CountAsync();
            });
        }
        return sum;
    }
}
""".Replace("MINUTES", minutes.ToString(System.Globalization.CultureInfo.InvariantCulture)), editorConfig: "root = true\n\n[*.cs]\n" + options + "\n");
    }

    [Fact]
    public async Task TrackedEntityOnlyReadAndReturnedFromAction_Offered()
    {
        await VerifyAsync(Usings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ProductsController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpGet("/products/by-sku/{sku}")]
    public async Task<ActionResult<Product>> Get(string sku)
    {
        var product = await _db.Products.FirstOrDefaultAsync(p => p.Sku == sku);
        if (product == null) return NotFound();
        var again = await {|PERF004:_db.Products.FirstOrDefaultAsync(p => p.Sku == sku)|};
        return Ok(again);
    }
}
""", CacheUsings + """
[ApiController]
public class ProductsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public ProductsController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpGet("/products/by-sku/{sku}")]
    public async Task<ActionResult<Product>> Get(string sku)
    {
        var product = await _db.Products.FirstOrDefaultAsync(p => p.Sku == sku);
        if (product == null) return NotFound();
        var again = await _cache.GetOrCreateAsync($"BlogDbContext.Products.FirstOrDefaultAsync(p => p.Sku == {sku})", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return await _db.Products.FirstOrDefaultAsync(p => p.Sku == sku);
        });
        return Ok(again);
    }
}
""");
    }

    [Fact]
    public async Task ServiceReachedFromControllerThroughInterface_Offered()
    {
        await VerifyAsync(Usings + """
public interface IPricing
{
    Task<decimal> TotalAsync(List<Order> orders);
}

public class Pricing : IPricing
{
    private readonly BlogDbContext _db;

    public Pricing(BlogDbContext db)
    {
        _db = db;
    }

    public async Task<decimal> TotalAsync(List<Order> orders)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var rate = await {|PERF004:_db.Settings.Where(s => s.Key == "tax").Select(s => s.Value).SingleAsync()|};
            total += order.Total * decimal.Parse(rate);
        }
        return total;
    }
}

[ApiController]
public class PricingController : ControllerBase
{
    private readonly IPricing _pricing;

    public PricingController(IPricing pricing) => _pricing = pricing;

    [HttpPost("/price")]
    public Task<decimal> Post(List<Order> orders) => _pricing.TotalAsync(orders);
}
""", CacheUsings + """
public interface IPricing
{
    Task<decimal> TotalAsync(List<Order> orders);
}

public class Pricing : IPricing
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public Pricing(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    public async Task<decimal> TotalAsync(List<Order> orders)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var rate = await _cache.GetOrCreateAsync("BlogDbContext.Settings.Where(s => s.Key == \"tax\").Select(s => s.Value).SingleAsync()", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _db.Settings.Where(s => s.Key == "tax").Select(s => s.Value).SingleAsync();
            });
            total += order.Total * decimal.Parse(rate);
        }
        return total;
    }
}

[ApiController]
public class PricingController : ControllerBase
{
    private readonly IPricing _pricing;

    public PricingController(IPricing pricing) => _pricing = pricing;

    [HttpPost("/price")]
    public Task<decimal> Post(List<Order> orders) => _pricing.TotalAsync(orders);
}
""");
    }

    [Fact]
    public async Task NullableEnabled_NonNullLookup_ResultSuppressedSoNoNewWarning()
    {
        await VerifyAsync("#nullable enable\n" + Usings + """
[ApiController]
public class LabelController : ControllerBase
{
    private readonly BlogDbContext _db;

    public LabelController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpPost("/labels")]
    public async Task<int> Post(List<Order> orders)
    {
        var length = 0;
        foreach (var order in orders)
        {
            var label = await {|PERF004:_db.Settings.AsNoTracking().FirstAsync(s => s.Key == "label")|};
            length += label.Value.Length;
        }
        return length;
    }
}
""", "#nullable enable\n" + CacheUsings + """
[ApiController]
public class LabelController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public LabelController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpPost("/labels")]
    public async Task<int> Post(List<Order> orders)
    {
        var length = 0;
        foreach (var order in orders)
        {
            var label = (await _cache.GetOrCreateAsync("BlogDbContext.Settings.AsNoTracking().FirstAsync(s => s.Key == \"label\")", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _db.Settings.AsNoTracking().FirstAsync(s => s.Key == "label");
            }))!;
            length += label.Value.Length;
        }
        return length;
    }
}
""");
    }

    private const string MinimalApi = """
using System;
using System.Linq;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Blog;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddMemoryCache();
var app = builder.Build();
app.MapGet("/tax/{key}", async (string key, BlogDbContext db, IMemoryCache cache) =>
{
    var first = await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync();
    var again = LOOKUP;
    return first + again;
});
app.Run();

""";

    [Fact]
    public async Task MinimalApiHandlerWithCacheParameter_UsesParameter_RegistrationAlreadyPresent()
    {
        await VerifyAsync(
            MinimalApi.Replace("LOOKUP", "await {|PERF004:db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync()|}"),
            MinimalApi.Replace("LOOKUP", """
await cache.GetOrCreateAsync($"BlogDbContext.Settings.AsNoTracking().Where(s => s.Key == {key}).Select(s => s.Value).FirstAsync()", async entry =>
    {
        entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
        return await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync();
    })
"""),
            executable: true);
    }

    [Fact]
    public async Task MinimalApiHandlerWithoutCacheParameter_NotOffered()
    {
        var source = MinimalApi
            .Replace(", IMemoryCache cache)", ")")
            .Replace("LOOKUP", "await {|PERF004:db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync()|}");
        await VerifyAsync(source, source, executable: true);
    }

    private const string ShopController = """
[ApiController]
public class ShopController : ControllerBase
{
    private readonly BlogDbContext _db;

    public ShopController(BlogDbContext db)
    {
        _db = db;
    }

ACTIONS
}
""";

    /// <summary>A controller with the given actions (a whole class template, so no fragment is ever compiled alone).</summary>
    private static string Shop(string actions) => ShopController.Replace("ACTIONS", actions);

    [Fact]
    public async Task TrackedEntityModifiedAndSavedLater_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpPost("/settings/{key}")]
    public async Task Touch(string key, List<string> values)
    {
        foreach (var value in values)
        {
            var setting = await {|PERF004:_db.Settings.FirstAsync(s => s.Key == key)|};
            setting.Value += value;
        }
        await _db.SaveChangesAsync();
    }
"""));
    }

    [Fact]
    public async Task TrackedEntityReadThenSaveChangesAfter_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpPost("/orders")]
    public async Task Post(List<Order> orders)
    {
        foreach (var order in orders)
        {
            var customer = await {|PERF004:_db.Customers.FirstAsync(c => c.Name == "walk-in")|};
            order.BuyerId = customer.Id;
        }
        await _db.SaveChangesAsync();
    }
"""));
    }

    [Fact]
    public async Task NoTrackingEntityMutatedInMethod_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpGet("/labels")]
    public async Task<List<string>> Labels(List<Order> orders)
    {
        var labels = new List<string>();
        foreach (var order in orders)
        {
            var setting = await {|PERF004:_db.Settings.AsNoTracking().FirstAsync(s => s.Key == "label")|};
            setting.Value = setting.Value.ToUpperInvariant();
            labels.Add(setting.Value + order.Id);
        }
        return labels;
    }
"""));
    }

    [Fact]
    public async Task NoTrackingListModifiedInMethod_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpGet("/products")]
    public async Task<int> Count(List<Order> orders)
    {
        var count = 0;
        foreach (var order in orders)
        {
            var products = await {|PERF004:_db.Products.AsNoTracking().ToListAsync()|};
            products.RemoveAll(p => p.Price > order.Total);
            count += products.Count;
        }
        return count;
    }
"""));
    }

    [Fact]
    public async Task EntityArgument_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpGet("/posts/{id}")]
    public async Task<int> Get(int id)
    {
        var user = await _db.Users.AsNoTracking().FirstAsync(u => u.Id == id);
        var first = await _db.Posts.CountAsync(p => p.AuthorId == user.Id);
        if (first == 0) return 0;
        return await {|PERF004:_db.Posts.CountAsync(p => p.AuthorId == user.Id)|};
    }
"""));
    }

    [Fact]
    public async Task CollectionArgument_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpPost("/posts/count")]
    public async Task<int> Count(int[] ids)
    {
        var first = await _db.Posts.CountAsync(p => ids.Contains(p.AuthorId));
        if (first == 0) return 0;
        return await {|PERF004:_db.Posts.CountAsync(p => ids.Contains(p.AuthorId))|};
    }
"""));
    }

    [Fact]
    public async Task RequestObjectPropertyArgument_NotOffered()
    {
        await NotOfferedAsync(Usings + """
public class Query
{
    public int Id { get; set; }
}

""" + Shop("""
    [HttpPost("/posts/count")]
    public async Task<int> Count(Query query)
    {
        var first = await _db.Posts.CountAsync(p => p.AuthorId == query.Id);
        if (first == 0) return 0;
        return await {|PERF004:_db.Posts.CountAsync(p => p.AuthorId == query.Id)|};
    }
"""));
    }

    [Fact]
    public async Task NotOnRequestPath_PlainClassNeverCalledFromHandler_NotOffered()
    {
        await NotOfferedAsync(Usings + """
public class Importer
{
    private readonly BlogDbContext _db;

    public Importer(BlogDbContext db) => _db = db;

    public async Task ImportAsync(List<Order> orders)
    {
        foreach (var order in orders)
        {
            var tax = await {|PERF004:_db.Settings.AsNoTracking().Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync()|};
            order.Total *= decimal.Parse(tax);
        }
    }
}
""");
    }

    [Fact]
    public async Task BackgroundService_NotOffered()
    {
        await NotOfferedAsync(Usings + """
using Microsoft.Extensions.Hosting;

public class Recalculator : BackgroundService
{
    private readonly BlogDbContext _db;

    public Recalculator(BlogDbContext db) => _db = db;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var orders = await _db.Orders.ToListAsync(stoppingToken);
        foreach (var order in orders)
        {
            var tax = await {|PERF004:_db.Settings.AsNoTracking().Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync(stoppingToken)|};
            order.Total *= decimal.Parse(tax);
        }
    }
}
""");
    }

    [Fact]
    public async Task LookupInsideTransaction_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpPost("/orders/price")]
    public async Task<decimal> Price(List<Order> orders)
    {
        await using var transaction = await _db.Database.BeginTransactionAsync();
        decimal total = 0;
        foreach (var order in orders)
        {
            var tax = await {|PERF004:_db.Settings.AsNoTracking().Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync()|};
            total += order.Total * decimal.Parse(tax);
        }
        await transaction.CommitAsync();
        return total;
    }
"""));
    }

    [Fact]
    public async Task StaticHelperWithoutCache_NotOffered()
    {
        await NotOfferedAsync(Usings + """
[ApiController]
public class TaxController : ControllerBase
{
    [HttpPost("/tax")]
    public Task<decimal> Post([FromServices] BlogDbContext db, List<Order> orders) => Total(db, orders);

    private static async Task<decimal> Total(BlogDbContext db, List<Order> orders)
    {
        decimal total = 0;
        foreach (var order in orders)
        {
            var tax = await {|PERF004:db.Settings.AsNoTracking().Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync()|};
            total += order.Total * decimal.Parse(tax);
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task TaskRunInController_DetachedWork_NotOffered()
    {
        await NotOfferedAsync(Usings + Shop("""
    [HttpPost("/warm")]
    public IActionResult Warm(List<Order> orders)
    {
        _ = Task.Run(async () =>
        {
            foreach (var order in orders)
            {
                var tax = await {|PERF004:_db.Settings.AsNoTracking().Where(s => s.Key == "tax").Select(s => s.Value).FirstAsync()|};
                order.Total *= decimal.Parse(tax);
            }
        });
        return Accepted();
    }
"""));
    }

    [Fact]
    public async Task ContextWithGlobalQueryFilter_NotOffered()
    {
        await NotOfferedAsync(Usings + """
public class TenantDbContext : DbContext
{
    private readonly int _tenantId;

    public TenantDbContext(DbContextOptions<TenantDbContext> options) : base(options) { }

    public DbSet<Product> Products => Set<Product>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
        => modelBuilder.Entity<Product>().HasQueryFilter(p => p.Id > _tenantId);
}

[ApiController]
public class CatalogController : ControllerBase
{
    private readonly TenantDbContext _db;

    public CatalogController(TenantDbContext db) => _db = db;

    [HttpGet("/catalog")]
    public async Task<int> Get(int[] pages)
    {
        var sum = 0;
        foreach (var page in pages)
        {
            sum += page * await {|PERF004:_db.Products.CountAsync()|};
        }
        return sum;
    }
}
""");
    }

    [Fact]
    public async Task HybridCacheAvailable_QueryWithInclude_FallsBackToMemoryCache()
    {
        await VerifyAsync(Usings + """
[ApiController]
public class AuthorsController : ControllerBase
{
    private readonly BlogDbContext _db;

    public AuthorsController(BlogDbContext db)
    {
        _db = db;
    }

    [HttpGet("/authors/{email}")]
    public async Task<ActionResult<User>> Get(string email)
    {
        var user = await _db.Users.AsNoTracking().Include(u => u.Posts).FirstOrDefaultAsync(u => u.Email == email);
        if (user == null) return NotFound();
        return Ok(await {|PERF004:_db.Users.AsNoTracking().Include(u => u.Posts).FirstOrDefaultAsync(u => u.Email == email)|});
    }
}
""", CacheUsings + """
[ApiController]
public class AuthorsController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly BlogDbContext _db;

    public AuthorsController(BlogDbContext db, IMemoryCache cache)
    {
        _db = db;
        _cache = cache;
    }

    [HttpGet("/authors/{email}")]
    public async Task<ActionResult<User>> Get(string email)
    {
        var user = await _db.Users.AsNoTracking().Include(u => u.Posts).FirstOrDefaultAsync(u => u.Email == email);
        if (user == null) return NotFound();
        return Ok(await _cache.GetOrCreateAsync($"BlogDbContext.Users.AsNoTracking().Include(u => u.Posts).FirstOrDefaultAsync(u => u.Email == {email})", async entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
            return await _db.Users.AsNoTracking().Include(u => u.Posts).FirstOrDefaultAsync(u => u.Email == email);
        }));
    }
}
""", hybrid: true);
    }

    [Fact]
    public async Task DapperLookupInLoop_KeyCarriesSqlAndParameter()
    {
        const string DapperUsings = """
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

""";
        await VerifyAsync(DapperUsings + """
[ApiController]
public class RatesController : ControllerBase
{
    private readonly NpgsqlConnection _connection;

    public RatesController(NpgsqlConnection connection)
    {
        _connection = connection;
    }

    [HttpPost("/rates")]
    public async Task<decimal> Post(List<decimal> amounts, string currency)
    {
        decimal total = 0;
        foreach (var amount in amounts)
        {
            var rate = await {|PERF004:_connection.QueryFirstAsync<decimal>("select rate from rates where currency = @currency", new { currency })|};
            total += amount * rate;
        }
        return total;
    }
}
""", DapperUsings.Replace("using Npgsql;\n", "using Microsoft.Extensions.Caching.Memory;\nusing Npgsql;\n") + """
[ApiController]
public class RatesController : ControllerBase
{
    private readonly IMemoryCache _cache;
    private readonly NpgsqlConnection _connection;

    public RatesController(NpgsqlConnection connection, IMemoryCache cache)
    {
        _connection = connection;
        _cache = cache;
    }

    [HttpPost("/rates")]
    public async Task<decimal> Post(List<decimal> amounts, string currency)
    {
        decimal total = 0;
        foreach (var amount in amounts)
        {
            var rate = await _cache.GetOrCreateAsync($"NpgsqlConnection.QueryFirstAsync<decimal>(\"select rate from rates where currency = @currency\", new {{ {currency} }})", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(5);
                return await _connection.QueryFirstAsync<decimal>("select rate from rates where currency = @currency", new { currency });
            });
            total += amount * rate;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task DapperLookupWithTransactionArgument_NotOffered()
    {
        await NotOfferedAsync("""
using System.Collections.Generic;
using System.Data;
using System.Threading.Tasks;
using Dapper;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

[ApiController]
public class RatesController : ControllerBase
{
    private readonly NpgsqlConnection _connection;

    public RatesController(NpgsqlConnection connection) => _connection = connection;

    [HttpPost("/rates")]
    public async Task<decimal> Post(List<decimal> amounts, string currency)
    {
        using var transaction = _connection.BeginTransaction(IsolationLevel.Serializable);
        decimal total = 0;
        foreach (var amount in amounts)
        {
            total += amount * await {|PERF004:_connection.QueryFirstAsync<decimal>("select rate from rates where currency = @currency", new { currency }, transaction)|};
        }
        transaction.Commit();
        return total;
    }
}
""");
    }

    [Theory]
    [InlineData(null, null, 5)]
    [InlineData("10", null, 10)]
    [InlineData("30", "10", 10)]
    [InlineData(" 7 ", null, 7)]
    [InlineData("ten", null, 5)]
    [InlineData("30", "-1", 5)]
    [InlineData("1.5", null, 5)]
    [InlineData("600000", null, 5)]
    public void CacheExpirationMinutes_RuleOverrideWins_InvalidFallsBackToFive(string? general, string? rule, int expected)
    {
        var values = new System.Collections.Generic.Dictionary<string, string>();
        if (general is not null)
        {
            values[PerfAnalyzers.Core.PerfOptions.CacheExpirationMinutes.Key] = general;
        }

        if (rule is not null)
        {
            values[PerfAnalyzers.Core.PerfOptions.CacheExpirationMinutes.KeyFor("PERF004")] = rule;
        }

        Assert.Equal(expected, PerfAnalyzers.Core.PerfOptions.GetCacheExpirationMinutes(new DictionaryOptions(values)));
    }

    private sealed class DictionaryOptions : Microsoft.CodeAnalysis.Diagnostics.AnalyzerConfigOptions
    {
        private readonly System.Collections.Generic.Dictionary<string, string> _values;

        public DictionaryOptions(System.Collections.Generic.Dictionary<string, string> values) => _values = values;

        public override bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out string? value) => _values.TryGetValue(key, out value);
    }

    private static Task VerifyAsync(string source, string fixedSource, string? program = null, string? fixedProgram = null, string? editorConfig = null, bool hybrid = false, bool fixAll = false, bool executable = false)
    {
        var test = new CacheFixTest
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = RepeatedLookupCodeFixProvider.CacheKey,
        };
        test.TestState.Sources.Add(("Model.cs", TestModel.Source));
        test.FixedState.Sources.Add(("Model.cs", TestModel.Source));
        if (executable)
        {
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
        }

        if (program is not null)
        {
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.TestState.Sources.Add(("Program.cs", program));
            test.FixedState.Sources.Add(("Program.cs", fixedProgram ?? program));
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", editorConfig));
        }

        if (hybrid)
        {
            test.TestState.AdditionalReferences.Add(HybridCachePackage);
        }

        if (!fixAll)
        {
            test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllCheck;
        }

        return test.RunAsync(CancellationToken.None);
    }

    /// <summary>Not offered: the fix leaves the code as it is (other PERF004 fixes may still apply).</summary>
    private static Task NotOfferedAsync(string source, string? program = null, bool hybrid = false)
        => VerifyAsync(source, source, program, program, hybrid: hybrid);

    private sealed class CacheFixTest : CSharpCodeFixTest<RepeatedLookupAnalyzer, RepeatedLookupCodeFixProvider, DefaultVerifier>
    {
        public CacheFixTest()
        {
            ReferenceAssemblies = ReferenceSet.Net10;
            TestState.AdditionalReferences.AddRange(ReferenceSet.Libraries);
            MarkupOptions = MarkupOptions.UseFirstDescriptor;
        }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions()
            => ((CSharpCompilationOptions)base.CreateCompilationOptions())
                .WithNullableContextOptions(NullableContextOptions.Disable);
    }
}
