using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PerfAnalyzers.CodeFixes.PooledResources;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer, PerfAnalyzers.CodeFixes.PooledResources.PooledResourceCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>PERF003 "Use the DbContext from DI": <c>new XDbContext(options)</c> → the injected context, or IDbContextFactory when the code owns it.</summary>
public class PERF003_DbContextFixTests
{
    private const string Usings = """
using System.Linq;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    private static string ProgramWith(string registration) => $$"""
using Microsoft.AspNetCore.Builder;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Blog;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
{{registration}}
var app = builder.Build();
app.MapControllers();
app.Run();
""";

    private static VerifyFix.Test Test(string source, string fixedSource, string? program, string? fixedProgram)
    {
        var test = new VerifyFix.Test { CodeActionEquivalenceKey = PooledResourceCodeFixProvider.DbContextKey };
        test.TestState.Sources.Add(("/0/Controllers.cs", Usings + source));
        test.FixedState.Sources.Add(("/0/Controllers.cs", Usings + fixedSource));
        test.TestState.Sources.Add(("/0/Model.cs", PerfAnalyzers.Tests.Infrastructure.TestModel.Source));
        test.FixedState.Sources.Add(("/0/Model.cs", PerfAnalyzers.Tests.Infrastructure.TestModel.Source));
        if (program is not null)
        {
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            test.TestState.Sources.Add(("/0/Program.cs", program));
            test.FixedState.Sources.Add(("/0/Program.cs", fixedProgram ?? program));
        }

        test.CodeFixTestBehaviors |= Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        return test;
    }

    private const string ControllerWithOptions = """
[ApiController]
public class UsersController : ControllerBase
{
    private readonly DbContextOptions<BlogDbContext> _options;

    public UsersController(DbContextOptions<BlogDbContext> options) => _options = options;


""";

    [Fact]
    public async Task DbContextFix_UsingDeclaration_FactoryInjectedUsingKeptAddDbContextBecomesFactory()
    {
        await Test(ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}
""", """
[ApiController]
public class UsersController : ControllerBase
{
    private readonly IDbContextFactory<BlogDbContext> _blogDbContextFactory;
    private readonly DbContextOptions<BlogDbContext> _options;

    public UsersController(DbContextOptions<BlogDbContext> options, IDbContextFactory<BlogDbContext> blogDbContextFactory)
    {
        _options = options;
        _blogDbContextFactory = blogDbContextFactory;
    }

    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = _blogDbContextFactory.CreateDbContext();
        return db.Users.Count();
    }
}
""", ProgramWith("""builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""),
            ProgramWith("""builder.Services.AddDbContextFactory<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));""")).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_NotDisposedWithPoolRegistration_InjectsContext()
    {
        await Test(ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}
""", """
[ApiController]
public class UsersController : ControllerBase
{
    private readonly BlogDbContext _blogDbContext;
    private readonly DbContextOptions<BlogDbContext> _options;

    public UsersController(DbContextOptions<BlogDbContext> options, BlogDbContext blogDbContext)
    {
        _options = options;
        _blogDbContext = blogDbContext;
    }

    [HttpGet("/users/count")]
    public int Count()
    {
        var db = _blogDbContext;
        return db.Users.Count();
    }
}
""", ProgramWith("""builder.Services.AddDbContextPool<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""), null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFixAll_TwoActionsWithUsing_OneFactoryFieldOneRegistration()
    {
        var test = Test(ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }

    [HttpGet("/posts/count")]
    public int CountPosts()
    {
        using (var db = {|PERF003:new BlogDbContext(_options)|})
        {
            return db.Posts.Count();
        }
    }
}
""", """
[ApiController]
public class UsersController : ControllerBase
{
    private readonly IDbContextFactory<BlogDbContext> _blogDbContextFactory;
    private readonly DbContextOptions<BlogDbContext> _options;

    public UsersController(DbContextOptions<BlogDbContext> options, IDbContextFactory<BlogDbContext> blogDbContextFactory)
    {
        _options = options;
        _blogDbContextFactory = blogDbContextFactory;
    }

    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = _blogDbContextFactory.CreateDbContext();
        return db.Users.Count();
    }

    [HttpGet("/posts/count")]
    public int CountPosts()
    {
        using (var db = _blogDbContextFactory.CreateDbContext())
        {
            return db.Posts.Count();
        }
    }
}
""", ProgramWith("""builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""),
            ProgramWith("""builder.Services.AddDbContextFactory<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""));
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_NotDisposedButSaves_FactoryNotTheRequestContext()
    {
        await Test(ControllerWithOptions + """
    [HttpPost("/users/{id}/rename")]
    public int Rename(int id, string name)
    {
        var db = {|PERF003:new BlogDbContext(_options)|};
        db.Users.Single(u => u.Id == id).Name = name;
        return db.SaveChanges();
    }
}
""", """
[ApiController]
public class UsersController : ControllerBase
{
    private readonly IDbContextFactory<BlogDbContext> _blogDbContextFactory;
    private readonly DbContextOptions<BlogDbContext> _options;

    public UsersController(DbContextOptions<BlogDbContext> options, IDbContextFactory<BlogDbContext> blogDbContextFactory)
    {
        _options = options;
        _blogDbContextFactory = blogDbContextFactory;
    }

    [HttpPost("/users/{id}/rename")]
    public int Rename(int id, string name)
    {
        var db = _blogDbContextFactory.CreateDbContext();
        db.Users.Single(u => u.Id == id).Name = name;
        return db.SaveChanges();
    }
}
""", ProgramWith("""builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""),
            ProgramWith("""builder.Services.AddDbContextFactory<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));""")).RunAsync(CancellationToken.None);
    }

    private static Task NotOfferedAsync(string source, string? program)
        => Test(source, source.Replace("{|PERF003:", "").Replace("|}", ""), program, null).RunAsync(CancellationToken.None);

    [Fact]
    public async Task DbContextFix_OptionsBuiltFromTenantParameter_NotOffered()
    {
        var source = """
[ApiController]
public class UsersController : ControllerBase
{
    [HttpGet("/{tenant}/users/count")]
    public int Count(string tenant)
    {
        var options = new DbContextOptionsBuilder<BlogDbContext>().UseSqlite($"Data Source={tenant}.db").Options;
        using var db = {|PERF003:new BlogDbContext(options)|};
        return db.Users.Count();
    }
}
""";
        var test = Test(source, source, ProgramWith("""builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""), null);
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_ContextNotRegistered_NotOffered()
    {
        var source = ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}
""";
        await Test(source, source, ProgramWith("builder.Services.AddRouting();"), null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_ServiceRegisteredAsSingleton_NotOffered()
    {
        var source = """
public class UserStats
{
    private readonly DbContextOptions<BlogDbContext> _options;

    public UserStats(DbContextOptions<BlogDbContext> options) => _options = options;

    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}

[ApiController]
public class UsersController : ControllerBase
{
    private readonly UserStats _stats;

    public UsersController(UserStats stats) => _stats = stats;

    [HttpGet("/users/count")]
    public int Count() => _stats.Count();
}
""";
        await Test(source, source, ProgramWith("""
builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));
builder.Services.AddSingleton<UserStats>();
"""), null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_ClassCreatedWithNew_NotOffered()
    {
        var source = """
public class UserStats
{
    private readonly DbContextOptions<BlogDbContext> _options;

    public UserStats(DbContextOptions<BlogDbContext> options) => _options = options;

    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}

[ApiController]
public class UsersController : ControllerBase
{
    private readonly DbContextOptions<BlogDbContext> _options;

    public UsersController(DbContextOptions<BlogDbContext> options) => _options = options;

    [HttpGet("/users/count")]
    public int Count() => new UserStats(_options).Count();
}
""";
        await Test(source, source, ProgramWith("""builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""), null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_UsingWithPoolRegistration_NotOffered()
    {
        // A pooled registration would need AddPooledDbContextFactory, whose lifetimes differ: not rewritten.
        var source = ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}
""";
        await Test(source, source, ProgramWith("""builder.Services.AddDbContextPool<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""), null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_ContextReturnedToCaller_NotOffered()
    {
        var source = ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        var db = Open();
        return db.Users.Count();
    }

    private BlogDbContext Open()
    {
        var db = {|PERF003:new BlogDbContext(_options)|};
        return db;
    }
}
""";
        await Test(source, source, ProgramWith("""builder.Services.AddDbContextPool<BlogDbContext>(options => options.UseSqlite("Data Source=blog.db"));"""), null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DbContextFix_NoCompositionRootAtAll_NotOffered()
    {
        var source = ControllerWithOptions + """
    [HttpGet("/users/count")]
    public int Count()
    {
        var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}
""";
        await Test(source, source, null, null).RunAsync(CancellationToken.None);
    }
}
