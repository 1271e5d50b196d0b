using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer>;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer, PerfAnalyzers.CodeFixes.PooledResources.PooledResourceCodeFixProvider>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF003_DbContextPoolingTests
{
    private const string Context = """
using System.Linq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

public class Item { public int Id { get; set; } }

public class ShopContext : DbContext
{
    public ShopContext(DbContextOptions<ShopContext> options) : base(options) { }
    public DbSet<Item> Items => Set<Item>();
}

""";

    private const string Controller = """

[ApiController]
public class ItemsController : ControllerBase
{
    private readonly ShopContext _db;
    public ItemsController(ShopContext db) => _db = db;

    [HttpGet("/items/count")]
    public int Count() => _db.Items.Count();
}
""";

    [Fact]
    public async Task AddDbContextOfContextInjectedIntoController_SuggestsPool()
    {
        await VerifyCS.AnalyzerAsync(Context + """
public static class Registration
{
    public static void Add(IServiceCollection services)
        => {|#0:services.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=shop.db"))|};
}
""" + Controller, false, new DiagnosticResult("PERF003", DiagnosticSeverity.Info).WithLocation(0)
            .WithArguments("'ShopContext'", "anew for every request through AddDbContext (AddDbContextPool<ShopContext> reuses instances)"));
    }

    [Fact]
    public async Task ContextWithExtraConstructorService_DoesNotSuggestPool()
    {
        await VerifyCS.AnalyzerAsync("""
using System.Linq;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

public class Item { public int Id { get; set; } }

public class TenantContext : DbContext
{
    private readonly IHttpContextAccessor _accessor;
    public TenantContext(DbContextOptions<TenantContext> options, IHttpContextAccessor accessor) : base(options) => _accessor = accessor;
    public DbSet<Item> Items => Set<Item>();
}

public static class Registration
{
    public static void Add(IServiceCollection services) => services.AddDbContext<TenantContext>(o => o.UseSqlite("Data Source=shop.db"));
}

[ApiController]
public class ItemsController : ControllerBase
{
    private readonly TenantContext _db;
    public ItemsController(TenantContext db) => _db = db;

    [HttpGet("/items/count")]
    public int Count() => _db.Items.Count();
}
""", false);
    }

    [Fact]
    public async Task ContextWithMutableState_DoesNotSuggestPool()
    {
        await VerifyCS.AnalyzerAsync("""
using System.Linq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

public class Item { public int Id { get; set; } }

public class ShopContext : DbContext
{
    public ShopContext(DbContextOptions<ShopContext> options) : base(options) { }
    public DbSet<Item> Items => Set<Item>();
    public string CurrentUser { get; set; }
}

public static class Registration
{
    public static void Add(IServiceCollection services) => services.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=shop.db"));
}
""" + Controller, false);
    }

    [Fact]
    public async Task ContextUsedOnlyByBackgroundWork_DoesNotSuggestPool()
    {
        await VerifyCS.AnalyzerAsync(Context + """
public static class Registration
{
    public static void Add(IServiceCollection services) => services.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=shop.db"));
}

public class Cleanup : Microsoft.Extensions.Hosting.BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    public Cleanup(IServiceScopeFactory scopes) => _scopes = scopes;
    protected override System.Threading.Tasks.Task ExecuteAsync(System.Threading.CancellationToken stoppingToken)
    {
        using var scope = _scopes.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<ShopContext>();
        return db.Items.ExecuteDeleteAsync(stoppingToken);
    }
}
""", false);
    }

    [Fact]
    public async Task PoolFix_AddDbContextBecomesAddDbContextPool()
    {
        // Reported at compilation end (non-local), like every call-graph finding; the fix still applies.
        var test = new VerifyFix.Test
        {
            CodeActionEquivalenceKey = PerfAnalyzers.CodeFixes.PooledResources.PooledResourceCodeFixProvider.ContextPoolKey,
            CodeFixTestBehaviors = CodeFixTestBehaviors.SkipLocalDiagnosticCheck,
            TestCode = Context + """
public static class Registration
{
    public static void Add(IServiceCollection services)
        => {|PERF003:services.AddDbContext<ShopContext>(o => o.UseSqlite("Data Source=shop.db"))|};
}
""" + Controller,
            FixedCode = Context + """
public static class Registration
{
    public static void Add(IServiceCollection services)
        => services.AddDbContextPool<ShopContext>(o => o.UseSqlite("Data Source=shop.db"));
}
""" + Controller,
        };
        await test.RunAsync(CancellationToken.None);
    }
}
