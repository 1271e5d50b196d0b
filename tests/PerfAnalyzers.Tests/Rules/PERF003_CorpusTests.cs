using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// A corpus of realistic backend shapes for PERF003 (pooled resource created per request): where a pool-owning
/// object is created per request or per iteration (reported), and where it is created once, shared, or is not
/// a pool at all (quiet).
/// </summary>
public class PERF003_CorpusTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data.Common;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;
using Blog;

""";

    /// <summary>Top-level statements need an executable.</summary>
    private static Task VerifyProgramAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("Model.cs", TestModel.Source));
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: HttpClient / handlers per request
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ControllerAction_NewHttpClientWithBaseAddress_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/[controller]")]
public class ShippingController : ControllerBase
{
    [HttpGet("quote/{zip}")]
    public async Task<IActionResult> Quote(string zip, CancellationToken ct)
    {
        using var client = {|PERF003:new HttpClient { BaseAddress = new Uri("https://rates.carrier.example/"), Timeout = TimeSpan.FromSeconds(5) }|};
        var quote = await client.GetFromJsonAsync<decimal>($"v2/quote?zip={zip}", ct);
        return Ok(quote);
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiLambdaInEndpointRouteBuilderExtension_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class WeatherEndpoints
{
    public static IEndpointRouteBuilder MapWeather(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/weather");
        group.MapGet("/{city}", async (string city, CancellationToken ct) =>
        {
            using var http = {|PERF003:new HttpClient()|};
            var body = await http.GetStringAsync($"https://api.weather.example/v1/{Uri.EscapeDataString(city)}", ct);
            return Results.Content(body, "application/json");
        });
        return routes;
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiLambdaInWebApplicationExtension_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class GeoEndpoints
{
    public static WebApplication MapGeo(this WebApplication app)
    {
        app.MapGet("/geo/{ip}", async (string ip) =>
        {
            using var client = {|PERF003:new HttpClient()|};
            return await client.GetStringAsync("https://geo.example/json/" + ip);
        });
        return app;
    }
}
""");
    }

    [Fact]
    public async Task TopLevelProgram_MapGetLambda_NewHttpClient_Reports()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/forecast", async () =>
{
    using var client = {|PERF003:new HttpClient()|};
    return await client.GetStringAsync("https://api.weather.example/today");
});

app.Run();
""");
    }

    [Fact]
    public async Task ConventionalMiddleware_InvokeAsync_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class IpReputationMiddleware
{
    private readonly RequestDelegate _next;

    public IpReputationMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        var ip = context.Connection.RemoteIpAddress?.ToString();
        using var client = {|PERF003:new HttpClient()|};
        var verdict = await client.GetStringAsync("https://reputation.example/check/" + ip);
        if (verdict == "block")
        {
            context.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }

        await _next(context);
    }
}
""");
    }

    [Fact]
    public async Task RazorPageModel_OnGetAsync_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ForecastModel : PageModel
{
    public string Forecast { get; private set; }

    public async Task OnGetAsync(string city)
    {
        using var client = {|PERF003:new HttpClient()|};
        Forecast = await client.GetStringAsync("https://api.weather.example/" + city);
    }
}
""");
    }

    [Fact]
    public async Task SignalRHubMethod_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ChatHub : Hub
{
    public async Task SendMessage(string user, string message)
    {
        using var moderation = {|PERF003:new HttpClient()|};
        var response = await moderation.PostAsync("https://moderation.example/check", new StringContent(message));
        if (response.IsSuccessStatusCode)
        {
            await Clients.All.SendAsync("ReceiveMessage", user, message);
        }
    }
}
""");
    }

    [Fact]
    public async Task AsyncActionFilter_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class AuditActionFilter : IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        using var audit = {|PERF003:new HttpClient()|};
        await audit.PostAsync("https://audit.internal/events", new StringContent(context.ActionDescriptor.DisplayName ?? ""));
        await next();
    }
}
""");
    }

    [Fact]
    public async Task EndpointFilter_InvokeAsync_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ApiKeyEndpointFilter : IEndpointFilter
{
    public async ValueTask<object> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var key = context.HttpContext.Request.Headers["X-Api-Key"].ToString();
        using var keys = {|PERF003:new HttpClient()|};
        var valid = await keys.GetStringAsync("https://keys.internal/validate/" + key);
        return valid == "ok" ? await next(context) : Results.Unauthorized();
    }
}
""");
    }

    [Fact]
    public async Task ControllerConstructor_NewHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/github")]
public class GitHubController : ControllerBase
{
    private readonly HttpClient _github;

    public GitHubController()
    {
        _github = {|PERF003:new HttpClient { BaseAddress = new Uri("https://api.github.com/") }|};
        _github.DefaultRequestHeaders.UserAgent.ParseAdd("shop/1.0");
    }

    [HttpGet("{owner}/{repo}")]
    public Task<string> Repo(string owner, string repo) => _github.GetStringAsync($"repos/{owner}/{repo}");
}
""");
    }

    [Fact]
    public async Task ControllerInstanceFieldInitializer_NewHttpClient_Reports()
    {
        // Instance field initializers run in the constructor, and controllers are constructed per request.
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/currency")]
public class CurrencyController : ControllerBase
{
    private readonly HttpClient _rates = {|PERF003:new HttpClient()|};

    [HttpGet("{code}")]
    public Task<string> Rate(string code) => _rates.GetStringAsync("https://fx.example/latest/" + code);
}
""");
    }

    [Fact]
    public async Task ControllerAction_LocalHttpClientHandlerPassedToClient_ReportsHandler()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class PartnerController : ControllerBase
{
    [HttpGet("/partner/catalog")]
    public async Task<string> Catalog()
    {
        var handler = {|PERF003:new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }|};
        using var client = new HttpClient(handler);
        return await client.GetStringAsync("https://partner.example/catalog");
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_NewHttpClientWithNewSocketsHandler_ReportsClientOnce()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class InventoryController : ControllerBase
{
    [HttpGet("/inventory/{sku}")]
    public async Task<string> Get(string sku)
    {
        using var client = {|PERF003:new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })|};
        return await client.GetStringAsync("https://warehouse.internal/stock/" + sku);
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiProxyLambda_NewSocketsHttpHandlerForInvoker_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class ProxyEndpoints
{
    public static void MapProxy(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/legacy/{**path}", async (string path, HttpContext context) =>
        {
            using var invoker = new HttpMessageInvoker({|PERF003:new SocketsHttpHandler { UseProxy = false }|});
            using var request = new HttpRequestMessage(HttpMethod.Get, "http://legacy.internal/" + path);
            using var response = await invoker.SendAsync(request, context.RequestAborted);
            return Results.StatusCode((int)response.StatusCode);
        });
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: Redis, data sources, connection strings, DbContext
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ControllerAction_ConnectionMultiplexerConnect_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/cart")]
public class CartController : ControllerBase
{
    [HttpGet("{userId}")]
    public async Task<IActionResult> Get(string userId)
    {
        using var redis = {|PERF003:ConnectionMultiplexer.Connect("redis:6379,abortConnect=false")|};
        var cart = await redis.GetDatabase().StringGetAsync("cart:" + userId);
        return cart.IsNullOrEmpty ? NotFound() : Ok((string)cart);
    }
}
""");
    }

    [Fact]
    public async Task InterfaceInjectedService_ConnectAsync_ReportsAtCompilationEndNamingEntryPoint()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ISessionStore
{
    Task<string> GetAsync(string sessionId);
}

public sealed class RedisSessionStore : ISessionStore
{
    private readonly string _configuration;

    public RedisSessionStore(IConfiguration configuration) => _configuration = configuration.GetConnectionString("Redis");

    public async Task<string> GetAsync(string sessionId)
    {
        await using var redis = await {|#0:ConnectionMultiplexer.ConnectAsync(_configuration)|};
        return await redis.GetDatabase().StringGetAsync("session:" + sessionId);
    }
}

[ApiController]
[Route("api/session")]
public class SessionController : ControllerBase
{
    private readonly ISessionStore _sessions;

    public SessionController(ISessionStore sessions) => _sessions = sessions;

    [HttpGet("{id}")]
    public async Task<IActionResult> Get(string id) => Ok(await _sessions.GetAsync(id));
}
""", VerifyCS.Diagnostic("PERF003").WithLocation(0).WithArguments("'ConnectionMultiplexer.ConnectAsync'", "on the request path from 'SessionController.Get'"));
    }

    [Fact]
    public async Task ControllerAction_NpgsqlDataSourceCreate_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class ReportsController : ControllerBase
{
    private readonly IConfiguration _configuration;

    public ReportsController(IConfiguration configuration) => _configuration = configuration;

    [HttpGet("/reports/revenue")]
    public async Task<decimal> Revenue()
    {
        await using var dataSource = {|PERF003:NpgsqlDataSource.Create(_configuration.GetConnectionString("Reports"))|};
        await using var command = dataSource.CreateCommand("select coalesce(sum(total), 0) from orders");
        return (decimal)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiLambda_NpgsqlDataSourceBuilderBuild_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class AnalyticsEndpoints
{
    public static void MapAnalytics(this IEndpointRouteBuilder app, string connectionString)
    {
        app.MapGet("/analytics/visits", async () =>
        {
            await using var dataSource = {|PERF003:new NpgsqlDataSourceBuilder(connectionString).Build()|};
            await using var command = dataSource.CreateCommand("select count(*) from visits");
            return (long)await command.ExecuteScalarAsync();
        });
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_PoolingFalseInConstConnectionString_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class AuditLogController : ControllerBase
{
    private const string AuditDb = "Host=audit-db;Database=audit;Username=app;Pooling=false";

    [HttpGet("/audit/count")]
    public async Task<long> Count()
    {
        await using var connection = {|PERF003:new NpgsqlConnection(AuditDb)|};
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from audit_log", connection);
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_ConnectionStringBuilderInitializerPoolingFalse_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class ExportController : ControllerBase
{
    [HttpGet("/export/products")]
    public async Task<int> Export()
    {
        var builder = new NpgsqlConnectionStringBuilder
        {
            Host = "db",
            Database = "shop",
            Username = "export",
            Pooling = false,
        };
        await using var connection = {|PERF003:new NpgsqlConnection(builder.ConnectionString)|};
        await connection.OpenAsync();
        return 1;
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiLambda_SqliteConnectionPoolingFalse_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class NotesEndpoints
{
    public static void MapNotes(this IEndpointRouteBuilder app)
    {
        app.MapGet("/notes/count", async () =>
        {
            await using var connection = {|PERF003:new SqliteConnection("Data Source=notes.db;Pooling=False")|};
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "select count(*) from notes";
            return (long)await command.ExecuteScalarAsync();
        });
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_TenantRouteParameterInterpolatedIntoConnectionString_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("{tenant}/api/orders")]
public class TenantOrdersController : ControllerBase
{
    [HttpGet("count")]
    public async Task<long> Count(string tenant)
    {
        await using var connection = {|PERF003:new NpgsqlConnection($"Host=db;Database=tenant_{tenant};Username=app")|};
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from orders", connection);
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_TenantRouteParameterViaLocalIntoConnectionString_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("{tenant}/api/invoices")]
public class TenantInvoicesController : ControllerBase
{
    [HttpGet("count")]
    public async Task<long> Count(string tenant)
    {
        var database = "tenant_" + tenant.ToLowerInvariant();
        await using var connection = {|PERF003:new NpgsqlConnection($"Host=db;Database={database};Username=app")|};
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from invoices", connection);
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task TenantConnectionFactoryReadingHttpContext_ReachedFromController_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ITenantConnectionFactory
{
    NpgsqlConnection Create();
}

public sealed class HeaderTenantConnectionFactory : ITenantConnectionFactory
{
    private readonly IHttpContextAccessor _accessor;

    public HeaderTenantConnectionFactory(IHttpContextAccessor accessor) => _accessor = accessor;

    public NpgsqlConnection Create()
        => {|PERF003:new NpgsqlConnection($"Host=db;Database=tenant_{_accessor.HttpContext.Request.Headers["X-Tenant"]}")|};
}

[ApiController]
[Route("api/customers")]
public class CustomersController : ControllerBase
{
    private readonly ITenantConnectionFactory _connections;

    public CustomersController(ITenantConnectionFactory connections) => _connections = connections;

    [HttpGet("count")]
    public async Task<long> Count()
    {
        await using var connection = _connections.Create();
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from customers", connection);
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiLambda_NewDbContext_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class UserEndpoints
{
    public static void MapUsers(this IEndpointRouteBuilder app, DbContextOptions<BlogDbContext> options)
    {
        app.MapGet("/users/{id:int}", async (int id) =>
        {
            await using var db = {|PERF003:new BlogDbContext(options)|};
            var user = await db.Users.FirstOrDefaultAsync(u => u.Id == id);
            return user is null ? Results.NotFound() : Results.Ok(user);
        });
    }
}
""");
    }

    [Fact]
    public async Task RazorPageOnPost_NewDbContext_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class EditPostModel : PageModel
{
    private readonly DbContextOptions<BlogDbContext> _options;

    public EditPostModel(DbContextOptions<BlogDbContext> options) => _options = options;

    [BindProperty]
    public Post Input { get; set; }

    public async Task<IActionResult> OnPostAsync()
    {
        using var db = {|PERF003:new BlogDbContext(_options)|};
        db.Posts.Update(Input);
        await db.SaveChangesAsync();
        return RedirectToPage("Index");
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: reached through calls, loops
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task StaticHelperReachedFromMiddleware_NewHttpClient_ReportsAtCompilationEnd()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class GeoLookup
{
    public static async Task<string> CountryOfAsync(string ip)
    {
        using var client = {|#0:new HttpClient()|};
        return await client.GetStringAsync("https://geo.example/country/" + ip);
    }
}

public sealed class GeoMiddleware
{
    private readonly RequestDelegate _next;

    public GeoMiddleware(RequestDelegate next) => _next = next;

    public async Task InvokeAsync(HttpContext context)
    {
        context.Items["country"] = await GeoLookup.CountryOfAsync(context.Connection.RemoteIpAddress?.ToString());
        await _next(context);
    }
}
""", VerifyCS.Diagnostic("PERF003").WithLocation(0).WithArguments("'new HttpClient()'", "on the request path from 'GeoMiddleware.InvokeAsync'"));
    }

    [Fact]
    public async Task AbstractNotifierOverride_ReachedFromController_ReportsAtCompilationEnd()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public abstract class Notifier
{
    public abstract Task NotifyAsync(string message);
}

public sealed class WebhookNotifier : Notifier
{
    public override async Task NotifyAsync(string message)
    {
        using var client = {|PERF003:new HttpClient()|};
        await client.PostAsync("https://hooks.example/notify", new StringContent(message));
    }
}

[ApiController]
public class OrdersController : ControllerBase
{
    private readonly Notifier _notifier;

    public OrdersController(Notifier notifier) => _notifier = notifier;

    [HttpPost("/orders/{id}/ship")]
    public async Task<IActionResult> Ship(int id)
    {
        await _notifier.NotifyAsync($"order {id} shipped");
        return NoContent();
    }
}
""");
    }

    [Fact]
    public async Task MethodGroupEndpointHandler_NewHttpClient_ReportsAtCompilationEnd()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class StatusHandlers
{
    public static async Task<IResult> GetUpstreamStatus()
    {
        using var client = {|PERF003:new HttpClient()|};
        var status = await client.GetStringAsync("https://status.upstream.example/api/v2/status.json");
        return Results.Content(status, "application/json");
    }
}

public static class StatusEndpoints
{
    public static void MapStatus(this IEndpointRouteBuilder app)
    {
        app.MapGet("/status/upstream", StatusHandlers.GetUpstreamStatus);
    }
}
""");
    }

    [Fact]
    public async Task ScopedServiceConstructor_NewHttpClient_InjectedIntoController_Reports()
    {
        // A scoped service is constructed for every request that resolves it.
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IPaymentGateway
{
    Task<bool> ChargeAsync(int orderId, decimal amount);
}

public sealed class StripeLikeGateway : IPaymentGateway
{
    private readonly HttpClient _http;

    public StripeLikeGateway()
    {
        _http = {|PERF003:new HttpClient { BaseAddress = new Uri("https://payments.example/") }|};
    }

    public async Task<bool> ChargeAsync(int orderId, decimal amount)
    {
        var response = await _http.PostAsync("v1/charges", new StringContent($"{{\"order\":{orderId},\"amount\":{amount}}}"));
        return response.IsSuccessStatusCode;
    }
}

public static class PaymentRegistration
{
    public static IServiceCollection AddPayments(this IServiceCollection services)
        => services.AddScoped<IPaymentGateway, StripeLikeGateway>();
}

[ApiController]
public class CheckoutController : ControllerBase
{
    private readonly IPaymentGateway _gateway;

    public CheckoutController(IPaymentGateway gateway) => _gateway = gateway;

    [HttpPost("/checkout/{orderId}")]
    public async Task<IActionResult> Pay(int orderId, decimal amount)
        => await _gateway.ChargeAsync(orderId, amount) ? Ok() : BadRequest();
}
""");
    }

    [Fact]
    public async Task BackgroundServiceLoop_NewHttpClientPerIteration_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class HeartbeatService : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var client = {|PERF003:new HttpClient()|};
            await client.PostAsync("https://monitor.internal/heartbeat", new StringContent("alive"), stoppingToken);
            await Task.Delay(TimeSpan.FromSeconds(30), stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task ConsoleMainLoop_NewHttpClientPerUrl_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class Program
{
    public static async Task Main(string[] args)
    {
        foreach (var url in args)
        {
            using var client = {|PERF003:new HttpClient()|};
            var body = await client.GetStringAsync(url);
            Console.WriteLine($"{url}: {body.Length} bytes");
        }
    }
}
""");
    }

    [Fact]
    public async Task ParallelForEachAsyncInImporter_NewHttpClientPerItem_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ImageImporter
{
    public Task ImportAsync(IReadOnlyList<string> imageUrls, string targetDirectory, CancellationToken ct)
        => Parallel.ForEachAsync(imageUrls, ct, async (url, token) =>
        {
            using var client = {|PERF003:new HttpClient()|};
            var bytes = await client.GetByteArrayAsync(url, token);
            await File.WriteAllBytesAsync(Path.Combine(targetDirectory, Path.GetFileName(url)), bytes, token);
        });
}
""");
    }

    [Fact]
    public async Task SelectLambdaInSyncJob_ConnectPerShard_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CacheWarmer
{
    public async Task<long[]> CountKeysAsync(string[] shards)
    {
        var counts = shards.Select(async shard =>
        {
            using var redis = await {|PERF003:ConnectionMultiplexer.ConnectAsync(shard)|};
            return (long)await redis.GetDatabase().ExecuteAsync("DBSIZE");
        });
        return await Task.WhenAll(counts);
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: created once
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task StaticReadonlyClientInController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/avatars")]
public class AvatarController : ControllerBase
{
    private static readonly HttpClient Gravatar = new HttpClient { BaseAddress = new Uri("https://gravatar.example/") };

    [HttpGet("{hash}")]
    public async Task<IActionResult> Get(string hash)
    {
        var bytes = await Gravatar.GetByteArrayAsync("avatar/" + hash);
        return File(bytes, "image/png");
    }
}
""");
    }

    [Fact]
    public async Task StaticConstructorCreatesMultiplexerAndDataSource_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class LeaderboardController : ControllerBase
{
    private static readonly ConnectionMultiplexer Redis;
    private static readonly NpgsqlDataSource Db;

    static LeaderboardController()
    {
        Redis = ConnectionMultiplexer.Connect("redis:6379");
        Db = NpgsqlDataSource.Create("Host=db;Database=games");
    }

    [HttpGet("/leaderboard")]
    public async Task<IActionResult> Top()
        => Ok(await Redis.GetDatabase().SortedSetRangeByRankAsync("leaderboard", 0, 9, StackExchange.Redis.Order.Descending));
}
""");
    }

    [Fact]
    public async Task StaticLazyMultiplexerUsedInHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class RedisConnection
{
    private static readonly Lazy<ConnectionMultiplexer> LazyConnection =
        new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect("redis:6379,abortConnect=false"));

    public static IDatabase Database => LazyConnection.Value.GetDatabase();
}

[ApiController]
public class FeatureController : ControllerBase
{
    [HttpGet("/features/{name}")]
    public async Task<bool> IsOn(string name) => await RedisConnection.Database.StringGetAsync("feature:" + name) == "on";
}
""");
    }

    [Fact]
    public async Task SingletonFactoriesInServiceCollectionExtension_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class InfrastructureServiceCollectionExtensions
{
    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration.GetConnectionString("Redis")));
        services.AddSingleton(_ => new NpgsqlDataSourceBuilder(configuration.GetConnectionString("Db")).Build());
        services.AddSingleton(new HttpClient { BaseAddress = new Uri("https://search.internal/") });
        services.AddKeyedSingleton<IConnectionMultiplexer>("sessions", (_, _) => ConnectionMultiplexer.Connect(configuration.GetConnectionString("Sessions")));
        return services;
    }
}
""");
    }

    [Fact]
    public async Task AddHttpClientConfigurationInModuleClass_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class HttpClientsModule
{
    public void Register(IServiceCollection services)
    {
        services.AddHttpClient("github", client =>
            {
                client.BaseAddress = new Uri("https://api.github.com/");
                client.DefaultRequestHeaders.UserAgent.ParseAdd("shop/1.0");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) });

        services.AddSingleton<IConnectionMultiplexer>(sp => ConnectionMultiplexer.Connect("redis:6379"));
    }
}
""");
    }

    [Fact]
    public async Task TopLevelProgram_StartupCreatesSharedResources_DoesNotReport()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);

var redis = ConnectionMultiplexer.Connect(builder.Configuration.GetConnectionString("Redis"));
builder.Services.AddSingleton<IConnectionMultiplexer>(redis);
builder.Services.AddSingleton(NpgsqlDataSource.Create(builder.Configuration.GetConnectionString("Db")));
builder.Services.AddSingleton(new HttpClient { BaseAddress = new Uri("https://api.partner.example/") });
builder.Services.AddHttpClient();

var app = builder.Build();
app.MapGet("/ping", () => "pong");
app.Run();
""");
    }

    [Fact]
    public async Task ConstructorOfSingletonRegisteredService_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ExchangeRateClient
{
    private readonly HttpClient _http;

    public ExchangeRateClient()
    {
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) })
        {
            BaseAddress = new Uri("https://fx.example/"),
        };
    }

    public Task<string> LatestAsync(string currency) => _http.GetStringAsync("latest/" + currency);
}

public static class FxRegistration
{
    public static IServiceCollection AddFx(this IServiceCollection services) => services.AddSingleton<ExchangeRateClient>();
}

[ApiController]
public class FxController : ControllerBase
{
    private readonly ExchangeRateClient _fx;

    public FxController(ExchangeRateClient fx) => _fx = fx;

    [HttpGet("/fx/{currency}")]
    public Task<string> Get(string currency) => _fx.LatestAsync(currency);
}
""");
    }

    [Fact]
    public async Task StaticFieldCoalesceAssignmentInHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class TranslateController : ControllerBase
{
    private static HttpClient _client;

    [HttpGet("/translate")]
    public async Task<string> Translate(string text)
    {
        _client ??= new HttpClient { BaseAddress = new Uri("https://translate.example/") };
        return await _client.GetStringAsync("v1?q=" + Uri.EscapeDataString(text));
    }
}
""");
    }

    [Fact]
    public async Task SingletonProviderConnectsOnceIntoInstanceField_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IRedisConnectionProvider
{
    Task<IConnectionMultiplexer> GetAsync();
}

public sealed class RedisConnectionProvider : IRedisConnectionProvider
{
    private readonly SemaphoreSlim _gate = new SemaphoreSlim(1, 1);
    private readonly string _configuration;
    private IConnectionMultiplexer _connection;

    public RedisConnectionProvider(IConfiguration configuration) => _configuration = configuration.GetConnectionString("Redis");

    public async Task<IConnectionMultiplexer> GetAsync()
    {
        if (_connection is not null)
        {
            return _connection;
        }

        await _gate.WaitAsync();
        try
        {
            _connection ??= await ConnectionMultiplexer.ConnectAsync(_configuration);
            return _connection;
        }
        finally
        {
            _gate.Release();
        }
    }
}

public static class RedisRegistration
{
    public static IServiceCollection AddRedis(this IServiceCollection services)
        => services.AddSingleton<IRedisConnectionProvider, RedisConnectionProvider>();
}

[ApiController]
public class BasketController : ControllerBase
{
    private readonly IRedisConnectionProvider _redis;

    public BasketController(IRedisConnectionProvider redis) => _redis = redis;

    [HttpGet("/basket/{id}")]
    public async Task<string> Get(string id) => await (await _redis.GetAsync()).GetDatabase().StringGetAsync("basket:" + id);
}
""");
    }

    [Fact]
    public async Task StaticFactoryMethodUsedOnlyByStaticFieldInitializer_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class SearchController : ControllerBase
{
    private static readonly HttpClient Search = CreateSearchClient();

    private static HttpClient CreateSearchClient()
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            MaxConnectionsPerServer = 50,
        };
        return new HttpClient(handler) { BaseAddress = new Uri("https://search.internal/") };
    }

    [HttpGet("/search")]
    public Task<string> Query(string q) => Search.GetStringAsync("query?q=" + Uri.EscapeDataString(q));
}
""");
    }

    [Fact]
    public async Task LazyInstanceFieldInSingletonService_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class PubSubPublisher
{
    private readonly Lazy<ConnectionMultiplexer> _redis;

    public PubSubPublisher(IOptions<RedisOptions> options)
    {
        _redis = new Lazy<ConnectionMultiplexer>(() => ConnectionMultiplexer.Connect(options.Value.Configuration));
    }

    public Task PublishAsync(string channel, string message)
        => _redis.Value.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), message);
}

public sealed class RedisOptions
{
    public string Configuration { get; set; }
}

[ApiController]
public class EventsController : ControllerBase
{
    private readonly PubSubPublisher _publisher;

    public EventsController(PubSubPublisher publisher) => _publisher = publisher;

    [HttpPost("/events/{channel}")]
    public async Task<IActionResult> Publish(string channel, [FromBody] string message)
    {
        await _publisher.PublishAsync(channel, message);
        return Accepted();
    }
}
""");
    }

    [Fact]
    public async Task ConsoleMain_CreatesClientOnceBeforeLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class Program
{
    public static async Task Main(string[] args)
    {
        using var client = new HttpClient();
        using var redis = await ConnectionMultiplexer.ConnectAsync("localhost");
        foreach (var url in args)
        {
            var body = await client.GetStringAsync(url);
            await redis.GetDatabase().StringSetAsync(url, body);
        }
    }
}
""");
    }

    [Fact]
    public async Task StaticAutoPropertyInitializer_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class SharedClients
{
    public static HttpClient Maps { get; } = new HttpClient(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = new Uri("https://maps.example/"),
    };
}

[ApiController]
public class DirectionsController : ControllerBase
{
    [HttpGet("/directions")]
    public Task<string> Get(string from, string to) => SharedClients.Maps.GetStringAsync($"route?from={from}&to={to}");
}
""");
    }

    [Fact]
    public async Task ConventionalMiddlewareConstructor_CreatedOnceAtStartup_DoesNotReport()
    {
        // Convention-based middleware is constructed once when the pipeline is built, not per request.
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CaptchaMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HttpClient _verifier;

    public CaptchaMiddleware(RequestDelegate next)
    {
        _next = next;
        _verifier = new HttpClient { BaseAddress = new Uri("https://captcha.example/") };
    }

    public async Task InvokeAsync(HttpContext context)
    {
        if (HttpMethods.IsPost(context.Request.Method))
        {
            var token = context.Request.Headers["X-Captcha"].ToString();
            var result = await _verifier.GetStringAsync("verify?token=" + token);
            if (result != "ok")
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
        }

        await _next(context);
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: shared pools, factories, DI
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task NewHttpClientOverInjectedHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TokenClient
{
    private readonly HttpMessageHandler _handler;

    public TokenClient(HttpMessageHandler handler) => _handler = handler;

    public async Task<string> GetTokenAsync(string clientId)
    {
        using var client = new HttpClient(_handler, disposeHandler: false);
        return await client.GetStringAsync("https://auth.example/token?client_id=" + clientId);
    }
}

[ApiController]
public class AuthController : ControllerBase
{
    private readonly TokenClient _tokens;

    public AuthController(TokenClient tokens) => _tokens = tokens;

    [HttpPost("/auth/token")]
    public Task<string> Token(string clientId) => _tokens.GetTokenAsync(clientId);
}
""");
    }

    [Fact]
    public async Task NewHttpClientWithDelegatingHandlerOverSharedInner_DoesNotReport()
    {
        // The per-request DelegatingHandler owns no connections: the pool is the shared inner handler.
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class BearerTokenHandler : DelegatingHandler
{
    private readonly string _token;

    public BearerTokenHandler(string token, HttpMessageHandler inner) : base(inner) => _token = token;

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", _token);
        return base.SendAsync(request, cancellationToken);
    }
}

[ApiController]
public class ProfileController : ControllerBase
{
    private static readonly SocketsHttpHandler SharedHandler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

    [HttpGet("/profile")]
    public async Task<string> Get([FromHeader(Name = "Authorization")] string token)
    {
        using var client = new HttpClient(new BearerTokenHandler(token, SharedHandler), disposeHandler: false);
        return await client.GetStringAsync("https://profiles.internal/me");
    }
}
""");
    }

    [Fact]
    public async Task HttpClientFactoryInMinimalApiLambda_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class PartnerEndpoints
{
    public static void MapPartners(this IEndpointRouteBuilder app)
    {
        app.MapGet("/partners/{id}", async (string id, IHttpClientFactory factory, CancellationToken ct) =>
        {
            var client = factory.CreateClient("partners");
            return Results.Content(await client.GetStringAsync("partners/" + id, ct), "application/json");
        });
    }
}
""");
    }

    [Fact]
    public async Task TypedClientInjectedIntoController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CatalogClient
{
    private readonly HttpClient _http;

    public CatalogClient(HttpClient http) => _http = http;

    public Task<string> GetProductAsync(string sku) => _http.GetStringAsync("products/" + sku);
}

public static class CatalogRegistration
{
    public static IServiceCollection AddCatalogClient(this IServiceCollection services)
    {
        services.AddHttpClient<CatalogClient>(c => c.BaseAddress = new Uri("https://catalog.internal/"));
        return services;
    }
}

[ApiController]
public class ProductPageController : ControllerBase
{
    private readonly CatalogClient _catalog;

    public ProductPageController(CatalogClient catalog) => _catalog = catalog;

    [HttpGet("/products/{sku}")]
    public Task<string> Get(string sku) => _catalog.GetProductAsync(sku);
}
""");
    }

    [Fact]
    public async Task DbContextFactoryInController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class DashboardController : ControllerBase
{
    private readonly IDbContextFactory<BlogDbContext> _contexts;

    public DashboardController(IDbContextFactory<BlogDbContext> contexts) => _contexts = contexts;

    [HttpGet("/dashboard")]
    public async Task<IActionResult> Get()
    {
        var postsTask = CountPostsAsync();
        var usersTask = CountUsersAsync();
        return Ok(new { posts = await postsTask, users = await usersTask });
    }

    private async Task<int> CountPostsAsync()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        return await db.Posts.CountAsync();
    }

    private async Task<int> CountUsersAsync()
    {
        using var db = _contexts.CreateDbContext();
        return await db.Users.CountAsync();
    }
}
""");
    }

    [Fact]
    public async Task InjectedMultiplexerAndDataSourceInHandlers_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class StockController : ControllerBase
{
    private readonly IConnectionMultiplexer _redis;
    private readonly NpgsqlDataSource _dataSource;

    public StockController(IConnectionMultiplexer redis, NpgsqlDataSource dataSource)
    {
        _redis = redis;
        _dataSource = dataSource;
    }

    [HttpGet("/stock/{sku}")]
    public async Task<long> Get(string sku)
    {
        var cached = await _redis.GetDatabase().StringGetAsync("stock:" + sku);
        if (cached.HasValue)
        {
            return (long)cached;
        }

        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var command = new NpgsqlCommand("select quantity from stock where sku = @sku", connection);
        command.Parameters.AddWithValue("sku", sku);
        return (long)await command.ExecuteScalarAsync();
    }
}

public static class StockEndpoints
{
    public static void MapStock(this IEndpointRouteBuilder app)
    {
        app.MapGet("/stock-count", async (NpgsqlDataSource dataSource) =>
        {
            await using var command = dataSource.CreateCommand("select count(*) from stock");
            return (long)await command.ExecuteScalarAsync();
        });
    }
}
""");
    }

    [Fact]
    public async Task HttpMessageHandlerFactoryHandlerInController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class MirrorController : ControllerBase
{
    private readonly IHttpMessageHandlerFactory _handlers;

    public MirrorController(IHttpMessageHandlerFactory handlers) => _handlers = handlers;

    [HttpGet("/mirror/{*path}")]
    public async Task<string> Get(string path)
    {
        using var client = new HttpClient(_handlers.CreateHandler("mirror"), disposeHandler: false);
        return await client.GetStringAsync("https://mirror.example/" + path);
    }
}
""");
    }

    [Fact]
    public async Task TenantDataSourceCachedPerTenantInSingletonDictionary_DoesNotReport()
    {
        // The documented fix for per-tenant connection strings: one data source per tenant, created once and cached.
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TenantDataSources
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NpgsqlDataSource> _sources = new();

    public NpgsqlDataSource For(string tenant)
        => _sources.GetOrAdd(tenant, t => NpgsqlDataSource.Create($"Host=db;Database=tenant_{t};Username=app"));
}

public static class TenantRegistration
{
    public static IServiceCollection AddTenantData(this IServiceCollection services) => services.AddSingleton<TenantDataSources>();
}

[ApiController]
[Route("{tenant}/api/projects")]
public class ProjectsController : ControllerBase
{
    private readonly TenantDataSources _sources;

    public ProjectsController(TenantDataSources sources) => _sources = sources;

    [HttpGet("count")]
    public async Task<long> Count(string tenant)
    {
        await using var command = _sources.For(tenant).CreateCommand("select count(*) from projects");
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: connections with pooled, fixed connection strings (the recommended pattern)
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task NpgsqlConnectionFromConfigurationInController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
[Route("api/products")]
public class ProductsController : ControllerBase
{
    private readonly string _connectionString;

    public ProductsController(IConfiguration configuration) => _connectionString = configuration.GetConnectionString("Shop");

    [HttpGet("{id:int}")]
    public async Task<IActionResult> Get(int id)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select sku from products where id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        return Ok(await command.ExecuteScalarAsync());
    }
}
""");
    }

    [Fact]
    public async Task SqliteConnectionPerItemInHandlerLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class TagsController : ControllerBase
{
    private const string ConnectionString = "Data Source=tags.db";

    [HttpPost("/tags/import")]
    public async Task<int> Import([FromBody] List<string> tags)
    {
        var imported = 0;
        foreach (var tag in tags)
        {
            await using var connection = new SqliteConnection(ConnectionString);
            await connection.OpenAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "insert or ignore into tags(name) values ($name)";
            command.Parameters.AddWithValue("$name", tag);
            imported += await command.ExecuteNonQueryAsync();
        }

        return imported;
    }
}
""");
    }

    [Fact]
    public async Task NpgsqlConnectionPerItemInParallelConsoleJob_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ThumbnailJob
{
    private readonly string _connectionString;

    public ThumbnailJob(IConfiguration configuration) => _connectionString = configuration.GetConnectionString("Media");

    public Task RunAsync(IEnumerable<int> mediaIds, CancellationToken ct)
        => Parallel.ForEachAsync(mediaIds, ct, async (id, token) =>
        {
            await using var connection = new NpgsqlConnection(_connectionString);
            await connection.OpenAsync(token);
            await using var command = new NpgsqlCommand("update media set thumbnail_ready = true where id = @id", connection);
            command.Parameters.AddWithValue("id", id);
            await command.ExecuteNonQueryAsync(token);
        });
}
""");
    }

    [Fact]
    public async Task ConnectionStringInterpolatedFromOptions_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class DatabaseOptions
{
    public string Host { get; set; }
    public string Database { get; set; }
}

[ApiController]
public class HealthController : ControllerBase
{
    private readonly DatabaseOptions _options;

    public HealthController(IOptions<DatabaseOptions> options) => _options = options.Value;

    [HttpGet("/health/db")]
    public async Task<IActionResult> Check()
    {
        await using var connection = new NpgsqlConnection($"Host={_options.Host};Database={_options.Database};Timeout=3");
        await connection.OpenAsync();
        return Ok();
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiConnectionStringFromInjectedConfiguration_DoesNotReport()
    {
        // IConfiguration injected into the handler is not request data: the string is the same for every request.
        await VerifyCS.AnalyzerAsync(Usings + """
public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder app)
    {
        app.MapGet("/reports/daily", async (IConfiguration config) =>
        {
            await using var connection = new NpgsqlConnection($"{config.GetConnectionString("Reports")};Command Timeout=120");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select count(*) from daily_report", connection);
            return (long)await command.ExecuteScalarAsync();
        });
    }
}
""");
    }

    [Fact]
    public async Task ConnectionStringBuilderWithPoolingTrue_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class BillingController : ControllerBase
{
    [HttpGet("/billing/open")]
    public async Task<long> Open()
    {
        var builder = new NpgsqlConnectionStringBuilder("Host=db;Database=billing")
        {
            Pooling = true,
            MaxPoolSize = 50,
        };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("select count(*) from invoices where paid = false", connection);
        return (long)await command.ExecuteScalarAsync();
    }
}
""");
    }

    [Fact]
    public async Task MigrationToolPoolingFalse_NotOnRequestPath_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SchemaMigrator
{
    public async Task MigrateAsync(string[] scripts)
    {
        await using var connection = new NpgsqlConnection("Host=db;Database=shop;Username=migrator;Pooling=false");
        await connection.OpenAsync();
        foreach (var script in scripts)
        {
            await using var command = new NpgsqlCommand(script, connection);
            await command.ExecuteNonQueryAsync();
        }
    }
}
""");
    }

    [Fact]
    public async Task ShardLoopInterpolatedConnectionStringInConsoleTool_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ShardReport
{
    public async Task<long> CountAllAsync(IReadOnlyList<string> shardHosts)
    {
        long total = 0;
        foreach (var host in shardHosts)
        {
            await using var connection = new NpgsqlConnection($"Host={host};Database=shop;Username=report");
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("select count(*) from orders", connection);
            total += (long)await command.ExecuteScalarAsync();
        }

        return total;
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: not a request path
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task HostedServiceCreatesClientInStartAsync_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class PriceFeedService : IHostedService, IDisposable
{
    private HttpClient _client;
    private Timer _timer;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _client = new HttpClient { BaseAddress = new Uri("https://prices.example/") };
        _timer = new Timer(_ => _ = _client.GetStringAsync("latest"), null, TimeSpan.Zero, TimeSpan.FromMinutes(1));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _timer?.Change(Timeout.Infinite, 0);
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _timer?.Dispose();
        _client?.Dispose();
    }
}
""");
    }

    [Fact]
    public async Task BackgroundServicePeriodicTimerWithClientOutsideLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ExchangeRateRefresher : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;

    public ExchangeRateRefresher(IServiceScopeFactory scopes) => _scopes = scopes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var client = new HttpClient { BaseAddress = new Uri("https://fx.example/") };
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(10));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var rates = await client.GetStringAsync("latest", stoppingToken);
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
            db.Settings.Add(new Setting { Key = "fx", Value = rates });
            await db.SaveChangesAsync(stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task BackgroundServiceNewDbContextPerBatch_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CleanupWorker : BackgroundService
{
    private readonly DbContextOptions<BlogDbContext> _options;

    public CleanupWorker(DbContextOptions<BlogDbContext> options) => _options = options;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using (var db = new BlogDbContext(_options))
            {
                await db.Comments.Where(c => c.Text == "").ExecuteDeleteAsync(stoppingToken);
            }

            await Task.Delay(TimeSpan.FromHours(1), stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task CliToolHelperNeverReachedFromHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SitemapChecker
{
    public async Task<int> CheckAsync(string sitemapUrl)
    {
        var client = new HttpClient();
        var xml = await client.GetStringAsync(sitemapUrl);
        using var redis = ConnectionMultiplexer.Connect("localhost");
        await redis.GetDatabase().StringSetAsync("sitemap:last", xml.Length);
        return xml.Length;
    }
}

[ApiController]
public class PingController : ControllerBase
{
    [HttpGet("/ping")]
    public string Ping() => "pong";
}
""");
    }

    [Fact]
    public async Task DesignTimeDbContextFactory_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class BlogDbContextDesignTimeFactory : IDesignTimeDbContextFactory<BlogDbContext>
{
    public BlogDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BlogDbContext>().UseSqlite("Data Source=design.db").Options;
        return new BlogDbContext(options);
    }
}
""");
    }

    [Fact]
    public async Task TestFixtureMethod_NewHttpClient_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class ApiSmokeTests
{
    public async Task Health_endpoint_returns_ok()
    {
        using var client = new HttpClient { BaseAddress = new Uri("http://localhost:5000/") };
        var response = await client.GetAsync("health");
        response.EnsureSuccessStatusCode();
    }
}
""");
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: not pooled resources
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task HttpRequestMessageAndContentInController_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public class WebhookController : ControllerBase
{
    private readonly IHttpClientFactory _factory;

    public WebhookController(IHttpClientFactory factory) => _factory = factory;

    [HttpPost("/webhooks/forward")]
    public async Task<IActionResult> Forward([FromBody] string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("https://downstream.example/hook"))
        {
            Content = new StringContent(payload, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Forwarded-By", "shop");
        using var response = await _factory.CreateClient().SendAsync(request);
        return StatusCode((int)response.StatusCode);
    }
}
""");
    }

    [Fact]
    public async Task UriMemoryStreamAndCommandsInMiddleware_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class RequestLoggingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly NpgsqlDataSource _dataSource;

    public RequestLoggingMiddleware(RequestDelegate next, NpgsqlDataSource dataSource)
    {
        _next = next;
        _dataSource = dataSource;
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var uri = new Uri(context.Request.Scheme + "://" + context.Request.Host + context.Request.Path);
        using var buffer = new MemoryStream();
        var original = context.Response.Body;
        context.Response.Body = buffer;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _next(context);
        buffer.Position = 0;
        await buffer.CopyToAsync(original);
        context.Response.Body = original;

        await using var command = _dataSource.CreateCommand("insert into request_log(url, bytes) values (@url, @bytes)");
        command.Parameters.Add(new NpgsqlParameter("url", uri.ToString()));
        command.Parameters.Add(new NpgsqlParameter("bytes", buffer.Length));
        await command.ExecuteNonQueryAsync(cts.Token);
    }
}
""");
    }

    [Fact]
    public async Task UserTypesNamedLikeClients_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class MyHttpClientWrapper
{
    private readonly IHttpClientFactory _factory;

    public MyHttpClientWrapper(IHttpClientFactory factory) => _factory = factory;

    public Task<string> GetAsync(string url) => _factory.CreateClient().GetStringAsync(url);
}

public sealed class RedisConnectionFactory
{
    private readonly IConnectionMultiplexer _multiplexer;

    public RedisConnectionFactory(IConnectionMultiplexer multiplexer) => _multiplexer = multiplexer;

    public IDatabase Connect() => _multiplexer.GetDatabase();
}

public sealed class DataSourceBuilderOptions
{
    public string Build() => "Host=db";
}

[ApiController]
public class NewsController : ControllerBase
{
    private readonly IHttpClientFactory _factory;
    private readonly IConnectionMultiplexer _multiplexer;

    public NewsController(IHttpClientFactory factory, IConnectionMultiplexer multiplexer)
    {
        _factory = factory;
        _multiplexer = multiplexer;
    }

    [HttpGet("/news")]
    public async Task<string> Get()
    {
        var wrapper = new MyHttpClientWrapper(_factory);
        var cache = new RedisConnectionFactory(_multiplexer).Connect();
        var host = new DataSourceBuilderOptions().Build();
        var news = await wrapper.GetAsync("https://news.example/top");
        await cache.StringSetAsync("news:" + host, news);
        return news;
    }
}
""");
    }
}
