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

    private static Task VerifyAsync(string source, string fixedSource, string? program = null, string? fixedProgram = null, string? editorConfig = null, bool hybrid = false, bool fixAll = false)
    {
        var test = new CacheFixTest
        {
            TestCode = source,
            FixedCode = fixedSource,
            CodeActionEquivalenceKey = RepeatedLookupCodeFixProvider.CacheKey,
        };
        test.TestState.Sources.Add(("Model.cs", TestModel.Source));
        test.FixedState.Sources.Add(("Model.cs", TestModel.Source));
        if (program is not null)
        {
            test.IsExecutable = true;
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

        public bool IsExecutable { get; set; }

        protected override ParseOptions CreateParseOptions()
            => ((CSharpParseOptions)base.CreateParseOptions()).WithLanguageVersion(LanguageVersion.CSharp12);

        protected override CompilationOptions CreateCompilationOptions()
            => ((CSharpCompilationOptions)base.CreateCompilationOptions())
                .WithNullableContextOptions(NullableContextOptions.Disable)
                .WithOutputKind(IsExecutable ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary);
    }
}
