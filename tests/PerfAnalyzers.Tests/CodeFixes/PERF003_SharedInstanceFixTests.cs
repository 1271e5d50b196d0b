using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using PerfAnalyzers.CodeFixes.PooledResources;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer, PerfAnalyzers.CodeFixes.PooledResources.PooledResourceCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>PERF003 "Use the shared ConnectionMultiplexer / data source": inject (and register) in DI-constructed classes, a static Lazy elsewhere.</summary>
public class PERF003_SharedInstanceFixTests
{
    private const string Program = """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
var app = builder.Build();
app.MapControllers();
app.Run();
""";

    private static VerifyFix.Test WebApp(string key, string controllers, string fixedControllers, string? program, string? fixedProgram, bool nonLocal = false)
    {
        var test = new VerifyFix.Test { CodeActionEquivalenceKey = key };
        if (nonLocal)
        {
            // Reported at compilation end (a method a handler reaches): fixable in full-solution analysis, as in the IDE.
            test.CodeFixTestBehaviors |= Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        }

        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/0/Controllers.cs", controllers));
        test.FixedState.Sources.Add(("/0/Controllers.cs", fixedControllers));
        if (program is not null)
        {
            test.TestState.Sources.Add(("/0/Program.cs", program));
            test.FixedState.Sources.Add(("/0/Program.cs", fixedProgram ?? program));
        }
        else
        {
            test.TestState.OutputKind = OutputKind.DynamicallyLinkedLibrary;
        }

        return test;
    }

    [Fact]
    public async Task RedisFix_ControllerUsingConnect_InjectsMultiplexerDropsUsingAndRegisters()
    {
        await WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            using var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost:6379")|};
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""", """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private readonly IConnectionMultiplexer _redis;

        public CacheController(IConnectionMultiplexer redis)
        {
            _redis = redis;
        }

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = _redis;
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""", Program, """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect("localhost:6379"));
var app = builder.Build();
app.MapControllers();
app.Run();
""").RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFix_AwaitConnectAsyncConfigureAwait_ReplacesWholeAwaitReadsConfigurationInProgram()
    {
        await WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private readonly IConfiguration _configuration;

        public CacheController(IConfiguration configuration)
        {
            _configuration = configuration;
        }

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = await {|PERF003:ConnectionMultiplexer.ConnectAsync(_configuration.GetConnectionString("Redis"))|}.ConfigureAwait(false);
            try
            {
                return (string)await redis.GetDatabase().StringGetAsync(key);
            }
            finally
            {
                await redis.DisposeAsync();
            }
        }
    }
}
""", """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private readonly IConnectionMultiplexer _redis;
        private readonly IConfiguration _configuration;

        public CacheController(IConfiguration configuration, IConnectionMultiplexer redis)
        {
            _configuration = configuration;
            _redis = redis;
        }

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = _redis;
            try
            {
                return (string)await redis.GetDatabase().StringGetAsync(key);
            }
            finally
            {
            }
        }
    }
}
""", Program, """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(builder.Configuration.GetConnectionString("Redis")));
var app = builder.Build();
app.MapControllers();
app.Run();
""").RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFix_NoCompositionRoot_InjectsWithTodoOnField()
    {
        await WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private const string RedisEndpoint = "cache:6379";

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            return (string)await {|PERF003:ConnectionMultiplexer.Connect(RedisEndpoint)|}.GetDatabase().StringGetAsync(key);
        }
    }
}
""", """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        // TODO: register once in the composition root: services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(RedisEndpoint));
        private readonly IConnectionMultiplexer _redis;

        public CacheController(IConnectionMultiplexer redis)
        {
            _redis = redis;
        }

        private const string RedisEndpoint = "cache:6379";

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            return (string)await _redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""", null, null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFix_StaticHelperInLoop_StaticLazy()
    {
        await WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Shop
{
    public static class CacheWarmer
    {
        public static async Task WarmAsync(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                await using var redis = await {|PERF003:ConnectionMultiplexer.ConnectAsync("localhost")|};
                await redis.GetDatabase().StringSetAsync(key, "warm");
            }
        }
    }
}
""", """
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Shop
{
    public static class CacheWarmer
    {
        private static readonly Lazy<ConnectionMultiplexer> SharedRedis = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect("localhost"));

        public static async Task WarmAsync(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                var redis = SharedRedis.Value;
                await redis.GetDatabase().StringSetAsync(key, "warm");
            }
        }
    }
}
""", null, null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFix_ClassAlsoCreatedWithNew_StaticLazyNotInjection()
    {
        await WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Shop
{
    public class CacheWarmer
    {
        public async Task WarmAsync(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost")|};
                await redis.GetDatabase().StringSetAsync(key, "warm");
                redis.Dispose();
            }
        }
    }

    public static class Warmup
    {
        public static Task RunAsync() => new CacheWarmer().WarmAsync(new[] { "a" });
    }
}
""", """
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using StackExchange.Redis;

namespace Shop
{
    public class CacheWarmer
    {
        private static readonly Lazy<ConnectionMultiplexer> SharedRedis = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect("localhost"));

        public async Task WarmAsync(IEnumerable<string> keys)
        {
            foreach (var key in keys)
            {
                var redis = SharedRedis.Value;
                await redis.GetDatabase().StringSetAsync(key, "warm");
            }
        }
    }

    public static class Warmup
    {
        public static Task RunAsync() => new CacheWarmer().WarmAsync(new[] { "a" });
    }
}
""", null, null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFixAll_TwoSitesInOneController_OneFieldOneRegistration()
    {
        var test = WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            using var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost")|};
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }

        [HttpPut("/cache/{key}")]
        public async Task Put(string key, string value)
        {
            await using var connection = await {|PERF003:ConnectionMultiplexer.ConnectAsync("localhost")|};
            await connection.GetDatabase().StringSetAsync(key, value);
        }
    }
}
""", """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private readonly IConnectionMultiplexer _redis;

        public CacheController(IConnectionMultiplexer redis)
        {
            _redis = redis;
        }

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = _redis;
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }

        [HttpPut("/cache/{key}")]
        public async Task Put(string key, string value)
        {
            var connection = _redis;
            await connection.GetDatabase().StringSetAsync(key, value);
        }
    }
}
""", Program, """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect("localhost"));
var app = builder.Build();
app.MapControllers();
app.Run();
""");
        test.NumberOfFixAllIterations = 1;
        test.NumberOfFixAllInDocumentIterations = 1;
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DataSourceFix_RegisteredScopedService_InjectsAndRegisters()
    {
        await WebApp(PooledResourceCodeFixProvider.DataSourceKey, """
using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Shop
{
    public class ReportService
    {
        public async Task<long> CountAsync()
        {
            await using var dataSource = {|PERF003:NpgsqlDataSource.Create("Host=db;Database=shop")|};
            await using var command = dataSource.CreateCommand("select count(*) from orders");
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }

    [ApiController]
    public class ReportsController : ControllerBase
    {
        private readonly ReportService _reports;

        public ReportsController(ReportService reports)
        {
            _reports = reports;
        }

        [HttpGet("/reports/count")]
        public Task<long> Count() => _reports.CountAsync();
    }
}
""", """
using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace Shop
{
    public class ReportService
    {
        private readonly NpgsqlDataSource _dataSource;

        public ReportService(NpgsqlDataSource dataSource)
        {
            _dataSource = dataSource;
        }

        public async Task<long> CountAsync()
        {
            var dataSource = _dataSource;
            await using var command = dataSource.CreateCommand("select count(*) from orders");
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }

    [ApiController]
    public class ReportsController : ControllerBase
    {
        private readonly ReportService _reports;

        public ReportsController(ReportService reports)
        {
            _reports = reports;
        }

        [HttpGet("/reports/count")]
        public Task<long> Count() => _reports.CountAsync();
    }
}
""", """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddScoped<ReportService>();
var app = builder.Build();
app.MapControllers();
app.Run();
""", """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Shop;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddScoped<ReportService>();
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create("Host=db;Database=shop"));
var app = builder.Build();
app.MapControllers();
app.Run();
""", nonLocal: true).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DataSourceFix_BuilderChainInStaticHelperLoop_StaticLazy()
    {
        await WebApp(PooledResourceCodeFixProvider.DataSourceKey, """
using System.Collections.Generic;
using System.Threading.Tasks;
using Npgsql;

namespace Shop
{
    public static class Purger
    {
        private const string ConnectionString = "Host=db;Database=shop";

        public static async Task PurgeAsync(IEnumerable<int> ids)
        {
            foreach (var id in ids)
            {
                using var dataSource = {|PERF003:new NpgsqlDataSourceBuilder(ConnectionString).EnableParameterLogging().Build()|};
                await using var command = dataSource.CreateCommand("delete from orders where id = " + id);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
""", """
using System;
using System.Collections.Generic;
using System.Threading.Tasks;
using Npgsql;

namespace Shop
{
    public static class Purger
    {
        private static readonly Lazy<NpgsqlDataSource> SharedDataSource = new Lazy<NpgsqlDataSource>(() => new NpgsqlDataSourceBuilder(ConnectionString).EnableParameterLogging().Build());
        private const string ConnectionString = "Host=db;Database=shop";

        public static async Task PurgeAsync(IEnumerable<int> ids)
        {
            foreach (var id in ids)
            {
                var dataSource = SharedDataSource.Value;
                await using var command = dataSource.CreateCommand("delete from orders where id = " + id);
                await command.ExecuteNonQueryAsync();
            }
        }
    }
}
""", null, null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFix_MultiplexerAlreadyInjected_ReusesFieldNoRegistration()
    {
        await WebApp(PooledResourceCodeFixProvider.RedisKey, """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private readonly IConnectionMultiplexer _cache;

        public CacheController(IConnectionMultiplexer cache)
        {
            _cache = cache;
        }

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = await {|PERF003:ConnectionMultiplexer.ConnectAsync("localhost")|};
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""", """
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class CacheController : ControllerBase
    {
        private readonly IConnectionMultiplexer _cache;

        public CacheController(IConnectionMultiplexer cache)
        {
            _cache = cache;
        }

        [HttpGet("/cache/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = _cache;
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""", Program, null).RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task DataSourceFix_PrimaryConstructorController_ConfigurationIndexerRegistered()
    {
        await WebApp(PooledResourceCodeFixProvider.DataSourceKey, """
using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Shop.Controllers
{
    [ApiController]
    public class ReportsController(IConfiguration configuration) : ControllerBase
    {
        [HttpGet("/reports/count")]
        public async Task<long> Count()
        {
            await using var dataSource = {|PERF003:NpgsqlDataSource.Create(configuration["Db"])|};
            await using var command = dataSource.CreateCommand("select count(*) from orders");
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }
}
""", """
using System;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Shop.Controllers
{
    [ApiController]
    public class ReportsController(IConfiguration configuration, NpgsqlDataSource dataSource2) : ControllerBase
    {
        private readonly NpgsqlDataSource _dataSource = dataSource2;

        [HttpGet("/reports/count")]
        public async Task<long> Count()
        {
            var dataSource = _dataSource;
            await using var command = dataSource.CreateCommand("select count(*) from orders");
            return Convert.ToInt64(await command.ExecuteScalarAsync());
        }
    }
}
""", Program, """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton(_ => NpgsqlDataSource.Create(builder.Configuration["Db"]));
var app = builder.Build();
app.MapControllers();
app.Run();
""").RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFixAll_ControllersInTwoFiles_OneFieldEachOneRegistration()
    {
        static string Controller(string name, string marked) => $$"""
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class {{name}}Controller : ControllerBase
    {
        [HttpGet("/{{name}}/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = {{marked}};
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""";
        static string Fixed(string name) => $$"""
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using StackExchange.Redis;

namespace Shop.Controllers
{
    [ApiController]
    public class {{name}}Controller : ControllerBase
    {
        private readonly IConnectionMultiplexer _redis;

        public {{name}}Controller(IConnectionMultiplexer redis)
        {
            _redis = redis;
        }

        [HttpGet("/{{name}}/{key}")]
        public async Task<string> Get(string key)
        {
            var redis = _redis;
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""";
        var test = WebApp(PooledResourceCodeFixProvider.RedisKey,
            Controller("Cart", """{|PERF003:ConnectionMultiplexer.Connect("localhost")|}"""), Fixed("Cart"), Program, """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using StackExchange.Redis;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect("localhost"));
var app = builder.Build();
app.MapControllers();
app.Run();
""");
        test.TestState.Sources.Add(("/0/Session.cs", Controller("Session", """{|PERF003:ConnectionMultiplexer.Connect("localhost")|}""")));
        test.FixedState.Sources.Add(("/0/Session.cs", Fixed("Session")));
        test.NumberOfFixAllIterations = 1; // project/solution scope: both files in one pass
        test.NumberOfFixAllInDocumentIterations = 2;
        test.NumberOfIncrementalIterations = 2;
        await test.RunAsync(CancellationToken.None);
    }

    private const string ControllerUsings = """
using System;
using System.Data.Common;
using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Npgsql;
using StackExchange.Redis;

""";

    /// <summary>The diagnostic stays and no "shared instance" action is offered.</summary>
    private static Task NotOfferedAsync(string key, string source)
    {
        var test = new VerifyFix.Test { CodeActionEquivalenceKey = key, TestCode = ControllerUsings + source, FixedCode = ControllerUsings + source };
        test.CodeFixTestBehaviors |= Microsoft.CodeAnalysis.Testing.CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        return test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task RedisFix_EndpointFromActionParameter_NotOffered()
    {
        // A tenant's endpoint: one shared multiplexer would connect every tenant to the same server.
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
[ApiController]
public class CacheController : ControllerBase
{
    [HttpGet("/cache/{tenant}/{key}")]
    public async Task<string> Get(string tenant, string key)
    {
        using var redis = {|PERF003:ConnectionMultiplexer.Connect(tenant + ".cache:6379")|};
        return (string)await redis.GetDatabase().StringGetAsync(key);
    }
}
""");
    }

    [Fact]
    public async Task RedisFix_UsingStatement_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
[ApiController]
public class CacheController : ControllerBase
{
    [HttpGet("/cache/{key}")]
    public async Task<string> Get(string key)
    {
        using (var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost")|})
        {
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""");
    }

    [Fact]
    public async Task RedisFix_ConnectAsyncTaskNotAwaitedInPlace_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
[ApiController]
public class CacheController : ControllerBase
{
    [HttpGet("/cache/{key}")]
    public async Task<string> Get(string key)
    {
        var connecting = {|PERF003:ConnectionMultiplexer.ConnectAsync("localhost")|};
        var redis = await connecting;
        return (string)await redis.GetDatabase().StringGetAsync(key);
    }
}
""");
    }

    [Fact]
    public async Task RedisFix_CreatedMultiplexerReturnedToCaller_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
[ApiController]
public class CacheController : ControllerBase
{
    [HttpGet("/cache/{key}")]
    public async Task<string> Get(string key)
    {
        using var redis = Open();
        return (string)await redis.GetDatabase().StringGetAsync(key);
    }

    private static ConnectionMultiplexer Open()
    {
        var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost")|};
        return redis;
    }
}
""");
    }

    [Fact]
    public async Task RedisFix_DisposedThroughUsingStatementOnLocal_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
[ApiController]
public class CacheController : ControllerBase
{
    [HttpGet("/cache/{key}")]
    public async Task<string> Get(string key)
    {
        var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost")|};
        using (redis)
        {
            return (string)await redis.GetDatabase().StringGetAsync(key);
        }
    }
}
""");
    }

    [Fact]
    public async Task RedisFix_ConnectWithLogWriter_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
[ApiController]
public class CacheController : ControllerBase
{
    [HttpGet("/cache/{key}")]
    public async Task<string> Get(string key)
    {
        using var log = new StringWriter();
        using var redis = {|PERF003:ConnectionMultiplexer.Connect("localhost", log)|};
        return (string)await redis.GetDatabase().StringGetAsync(key);
    }
}
""");
    }

    [Fact]
    public async Task RedisFix_InstanceClassNotFromContainerReadingItsOwnField_NotOffered()
    {
        // Not constructed by DI (created with new), and a static Lazy cannot read the instance's endpoint.
        await NotOfferedAsync(PooledResourceCodeFixProvider.RedisKey, """
public class CacheWarmer
{
    private readonly string _endpoint;

    public CacheWarmer(string endpoint) => _endpoint = endpoint;

    public async Task WarmAsync(string[] keys)
    {
        foreach (var key in keys)
        {
            using var redis = {|PERF003:ConnectionMultiplexer.Connect(_endpoint)|};
            await redis.GetDatabase().StringSetAsync(key, "warm");
        }
    }
}

public static class Warmup
{
    public static Task RunAsync() => new CacheWarmer("localhost").WarmAsync(new[] { "a" });
}
""");
    }

    [Fact]
    public async Task DataSourceFix_BuilderHeldInLocal_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.DataSourceKey, """
[ApiController]
public class ReportsController : ControllerBase
{
    [HttpGet("/reports/count")]
    public async Task<long> Count()
    {
        var builder = new NpgsqlDataSourceBuilder("Host=db;Database=shop");
        builder.EnableParameterLogging();
        await using var dataSource = {|PERF003:builder.Build()|};
        await using var command = dataSource.CreateCommand("select count(*) from orders");
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
""");
    }

    [Fact]
    public async Task DataSourceFix_DbProviderFactoryCreateDataSource_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.DataSourceKey, """
[ApiController]
public class ReportsController : ControllerBase
{
    [HttpGet("/reports/count")]
    public async Task<long> Count()
    {
        DbProviderFactory factory = NpgsqlFactory.Instance;
        await using var dataSource = {|PERF003:factory.CreateDataSource("Host=db;Database=shop")|};
        await using var command = dataSource.CreateCommand("select count(*) from orders");
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
""");
    }

    [Fact]
    public async Task DataSourceFix_ConnectionStringFromParameter_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.DataSourceKey, """
[ApiController]
public class ReportsController : ControllerBase
{
    [HttpGet("/reports/{database}/count")]
    public async Task<long> Count(string database)
    {
        await using var dataSource = {|PERF003:NpgsqlDataSource.Create($"Host=db;Database={database}")|};
        await using var command = dataSource.CreateCommand("select count(*) from orders");
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
""");
    }

    [Fact]
    public async Task DataSourceFix_DataSourceStoredInField_NotOffered()
    {
        await NotOfferedAsync(PooledResourceCodeFixProvider.DataSourceKey, """
[ApiController]
public class ReportsController : ControllerBase
{
    private NpgsqlDataSource _last;

    [HttpGet("/reports/count")]
    public async Task<long> Count()
    {
        _last = {|PERF003:NpgsqlDataSource.Create("Host=db;Database=shop")|};
        await using var command = _last.CreateCommand("select count(*) from orders");
        return Convert.ToInt64(await command.ExecuteScalarAsync());
    }
}
""");
    }
}
