using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF003_PooledResourceTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using StackExchange.Redis;
using Blog;

""";

    [Fact]
    public async Task ControllerAction_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    [HttpGet("/weather")]
    public async Task<string> Get()
    {
        using var client = {|#0:new HttpClient()|};
        return await client.GetStringAsync("http://localhost:5000/forecast");
    }
}
""", VerifyCS.Diagnostic("PERF003").WithLocation(0).WithArguments("'new HttpClient()'", "in the request handler 'WeatherController.Get'"));
    }

    [Fact]
    public async Task MinimalApiLambda_ConnectionMultiplexerConnect_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class Endpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/cache/{key}", async (string key) =>
        {
            var redis = await {|#0:ConnectionMultiplexer.ConnectAsync("localhost")|};
            return (string)await redis.GetDatabase().StringGetAsync(key);
        });
    }
}
""", VerifyCS.Diagnostic("PERF003").WithLocation(0).WithArguments("'ConnectionMultiplexer.ConnectAsync'", "in the minimal API handler at line 20"));
    }

    [Fact]
    public async Task ServiceMethodReachedFromController_NpgsqlDataSourceCreate_ReportsAtCompilationEnd()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ReportService
{
    public async Task<int> CountAsync(string cs)
    {
        await using var dataSource = {|#0:NpgsqlDataSource.Create(cs)|};
        await using var command = dataSource.CreateCommand("select count(*) from orders");
        return Convert.ToInt32(await command.ExecuteScalarAsync());
    }
}

[ApiController]
public class ReportsController : ControllerBase
{
    private readonly ReportService _reports = new ReportService();

    [HttpGet("/reports/count")]
    public Task<int> Count() => _reports.CountAsync("Host=localhost");
}
""", VerifyCS.Diagnostic("PERF003").WithLocation(0).WithArguments("'NpgsqlDataSource.Create' (a data source owns a connection pool)", "on the request path from 'ReportsController.Count'"));
    }

    [Fact]
    public async Task LoopAnywhere_NewHttpClientPerItem_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Pinger
{
    public async Task PingAllAsync(IEnumerable<string> urls)
    {
        foreach (var url in urls)
        {
            using var client = {|PERF003:new HttpClient()|};
            await client.GetAsync(url);
        }
    }
}
""");
    }

    [Fact]
    public async Task PoolingFalseInHandler_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class OrdersController : ControllerBase
{
    [HttpGet("/orders/count")]
    public async Task<long> Count()
    {
        await using var connection = {|PERF003:new NpgsqlConnection("Host=localhost;Database=shop;Pooling=false")|};
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from orders", connection);
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task FixedConnectionStringInHandler_ProviderPools_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class OrdersController : ControllerBase
{
    private const string ConnectionString = "Host=localhost;Database=shop";

    [HttpGet("/orders/count")]
    public async Task<long> Count()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        return 1;
    }
}
""");
    }

    [Fact]
    public async Task StaticReadonlyHttpClientField_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    private static readonly HttpClient Shared = new HttpClient();
    private static readonly Lazy<ConnectionMultiplexer> Redis = new(() => ConnectionMultiplexer.Connect("localhost"));

    [HttpGet("/weather")]
    public Task<string> Get() => Shared.GetStringAsync("http://localhost:5000/forecast");
}
""");
    }

    [Fact]
    public async Task SingletonRegistrationAndStartup_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class Startup
{
    public static void AddInfrastructure(this IServiceCollection services)
    {
        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectionMultiplexer.Connect("localhost"));
        services.AddSingleton(sp => NpgsqlDataSource.Create("Host=localhost"));
        services.AddSingleton(new HttpClient());
    }
}
""");
    }

    [Fact]
    public async Task HttpClientWithSharedHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    private static readonly SocketsHttpHandler Handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

    [HttpGet("/weather")]
    public async Task<string> Get()
    {
        using var client = new HttpClient(Handler, disposeHandler: false);
        return await client.GetStringAsync("http://localhost:5000/forecast");
    }
}
""");
    }

    [Fact]
    public async Task HttpClientFactoryInHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class WeatherController : ControllerBase
{
    private readonly IHttpClientFactory _factory;
    public WeatherController(IHttpClientFactory factory) => _factory = factory;

    [HttpGet("/weather")]
    public Task<string> Get() => _factory.CreateClient("weather").GetStringAsync("/forecast");
}
""");
    }

    [Fact]
    public async Task BackgroundServiceCreatesClientOnce_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Sync : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new HttpClient();
        while (!stoppingToken.IsCancellationRequested)
        {
            await client.GetAsync("http://localhost:5000/ping", stoppingToken);
            await Task.Delay(1000, stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task NewDbContextInControllerAction_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class UsersController : ControllerBase
{
    private readonly DbContextOptions<BlogDbContext> _options;
    public UsersController(DbContextOptions<BlogDbContext> options) => _options = options;

    [HttpGet("/users/count")]
    public int Count()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        return db.Users.Count();
    }
}
""");
    }

    [Fact]
    public async Task NewDbContextInConsoleLoop_NotRequestPath_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Migrator
{
    public void Run(DbContextOptions<BlogDbContext> options, string[] tenants)
    {
        foreach (var tenant in tenants)
        {
            using var db = new BlogDbContext(options);
            db.Database.EnsureCreated();
        }
    }
}
""");
    }

    [Fact]
    public async Task HelperNotReachedFromAnyHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Tool
{
    public Task<string> FetchAsync(string url)
    {
        var client = new HttpClient();
        return client.GetStringAsync(url);
    }
}
""");
    }
}
