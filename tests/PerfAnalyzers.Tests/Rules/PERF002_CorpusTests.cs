using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.AwaitedRemoteLoggingAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// A corpus of realistic backend shapes for PERF002 (awaited remote logging on a request path): request paths that
/// wait for a network call shipping log, audit or telemetry data (reported), and look-alikes that stay quiet —
/// in-process logging, in-memory queues, hand-offs, background workers, business network calls, logging
/// abstractions that never touch the network, startup code.
/// </summary>
public class PERF002_CorpusTests
{
    private const string Usings = """
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

""";

    /// <summary>Remote and local logging clients shared by the corpus.</summary>
    private const string Clients = """
public sealed record AuditEvent(string Action, string Subject, DateTimeOffset At);

public interface IAuditClient
{
    Task SendAuditEventAsync(string action, string subject, CancellationToken cancellationToken = default);
}

public sealed class HttpAuditClient : IAuditClient
{
    private readonly HttpClient _http;
    public HttpAuditClient(HttpClient http) => _http = http;
    public async Task SendAuditEventAsync(string action, string subject, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync("audit", new AuditEvent(action, subject, DateTimeOffset.UtcNow), cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

/// <summary>Application-insights-style telemetry over HTTP.</summary>
public sealed class TelemetryClient
{
    private readonly HttpClient _http;
    public TelemetryClient(HttpClient http) => _http = http;
    public Task TrackEventAsync(string name, IDictionary<string, string> properties = null)
        => _http.PostAsJsonAsync("v2/track", new { name, properties });
    public ValueTask TrackMetricAsync(string name, double value)
        => new ValueTask(_http.PostAsJsonAsync("v2/metric", new { name, value }));
    public void TrackEvent(string name) { }
}

/// <summary>Ships request logs to a log collector with a hand-built request.</summary>
public sealed class RequestLogShipper
{
    private readonly HttpClient _http;
    public RequestLogShipper(HttpClient http) => _http = http;
    public async Task<HttpResponseMessage> ShipAsync(string path, int status, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "ingest") { Content = new StringContent(path + " " + status, Encoding.UTF8, "text/plain") };
        return await _http.SendAsync(request, cancellationToken);
    }
}

""";

    /// <summary>Top-level statements need an executable.</summary>
    private static Task VerifyProgramAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.OutputKind = OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.AddRange(expected);
        return test.RunAsync(CancellationToken.None);
    }

    private static Task VerifyWithEditorconfigAsync(string source, string editorconfig)
    {
        var test = new VerifyCS.Test { TestCode = source };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\n" + editorconfig + "\n"));
        return test.RunAsync(CancellationToken.None);
    }

    // ------------------------------------------------------------------------------------------------
    // Positives: handlers that wait for a remote log/audit/telemetry call
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ControllerAction_AwaitsAuditAfterSave_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
[Route("api/orders")]
public sealed class OrdersController : ControllerBase
{
    private readonly IAuditClient _audit;
    public OrdersController(IAuditClient audit) => _audit = audit;

    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Cancel(int id, CancellationToken cancellationToken)
    {
        if (id <= 0)
        {
            return BadRequest();
        }

        await {|#0:_audit.SendAuditEventAsync("order.cancelled", id.ToString(), cancellationToken)|};
        return NoContent();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "in the request handler 'OrdersController.Cancel'"));
    }

    [Fact]
    public async Task ControllerAction_AwaitsShipperInTryCatchAndUsesResponse_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class ReportsController : Controller
{
    private readonly RequestLogShipper _shipper;
    private readonly ILogger<ReportsController> _logger;
    public ReportsController(RequestLogShipper shipper, ILogger<ReportsController> logger) { _shipper = shipper; _logger = logger; }

    [HttpGet("/reports/{name}")]
    public async Task<IActionResult> Download(string name, CancellationToken cancellationToken)
    {
        try
        {
            using var shipped = await {|PERF002:_shipper.ShipAsync("/reports/" + name, 200, cancellationToken)|};
            _logger.LogDebug("Shipped: {Status}", shipped.StatusCode);
        }
        catch (HttpRequestException exception)
        {
            _logger.LogWarning(exception, "Log shipping failed");
        }

        return View();
    }
}
""", false);
    }

    [Fact]
    public async Task PrimaryConstructorController_AwaitsTelemetry_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class SearchController(TelemetryClient telemetry) : ControllerBase
{
    [HttpGet("/search")]
    public async Task<string[]> Search(string q)
    {
        var hits = new[] { q };
        await {|PERF002:telemetry.TrackEventAsync("search", new Dictionary<string, string> { ["q"] = q })|};
        return hits;
    }
}
""", false);
    }

    [Fact]
    public async Task MinimalApiLambda_AwaitsValueTaskTelemetry_Reports()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpClient<TelemetryClient>();
var app = builder.Build();
app.MapPost("/cart/{id:int}/items", async (int id, TelemetryClient telemetry) =>
{
    await {|PERF002:telemetry.TrackMetricAsync("cart.items", id)|};
    return Results.Accepted();
});
app.Run();

""" + Clients);
    }

    [Fact]
    public async Task MinimalApiRouteGroupLambda_AwaitsAudit_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccounts(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/accounts");
        group.MapDelete("/{id}", async (string id, IAuditClient audit, CancellationToken ct) =>
        {
            await {|PERF002:audit.SendAuditEventAsync("account.deleted", id, ct)|};
            return Results.NoContent();
        });
        return group;
    }
}
""", false);
    }

    [Fact]
    public async Task MinimalApiMethodGroup_AwaitsAudit_ReportsNamingEndpointHandler()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public static class OrderHandlers
{
    public static void Map(WebApplication app) => app.MapPost("/orders/{id:int}/ship", ShipAsync);

    private static async Task<IResult> ShipAsync(int id, IAuditClient audit)
    {
        await {|#0:audit.SendAuditEventAsync("order.shipped", id.ToString())|};
        return Results.Ok();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "on the request path from the endpoint handler OrderHandlers.ShipAsync"));
    }

    [Fact]
    public async Task RazorPageHandler_AwaitsAudit_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class CheckoutModel : PageModel
{
    private readonly IAuditClient _audit;
    public CheckoutModel(IAuditClient audit) => _audit = audit;

    public async Task<IActionResult> OnPostAsync(int cartId)
    {
        await {|PERF002:_audit.SendAuditEventAsync("checkout.submitted", cartId.ToString())|};
        return RedirectToPage("/Thanks");
    }
}
""", false);
    }

    [Fact]
    public async Task AsyncActionFilter_AwaitsAuditAfterNext_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class AuditActionFilter : IAsyncActionFilter
{
    private readonly IAuditClient _audit;
    public AuditActionFilter(IAuditClient audit) => _audit = audit;

    public async Task OnActionExecutionAsync(ActionExecutingContext context, ActionExecutionDelegate next)
    {
        var executed = await next();
        var user = context.HttpContext.User.Identity?.Name ?? "anonymous";
        await {|PERF002:_audit.SendAuditEventAsync(context.ActionDescriptor.DisplayName, user)|};
    }
}
""", false);
    }

    [Fact]
    public async Task ConventionalMiddleware_AwaitsRequestLogShipper_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class RequestLoggingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestLogShipper _shipper;
    public RequestLoggingMiddleware(RequestDelegate next, RequestLogShipper shipper) { _next = next; _shipper = shipper; }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);
        await {|PERF002:_shipper.ShipAsync(context.Request.Path, context.Response.StatusCode, context.RequestAborted)|};
    }
}
""", false);
    }

    [Fact]
    public async Task FactoryMiddleware_BlocksOnTelemetryWithGetResult_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class TimingMiddleware : IMiddleware
{
    private readonly TelemetryClient _telemetry;
    public TimingMiddleware(TelemetryClient telemetry) => _telemetry = telemetry;

    public Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var watch = Stopwatch.StartNew();
        var task = next(context);
        {|PERF002:_telemetry.TrackEventAsync("request", new Dictionary<string, string> { ["ms"] = watch.ElapsedMilliseconds.ToString() })|}.GetAwaiter().GetResult();
        return task;
    }
}
""", false);
    }

    [Fact]
    public async Task EndpointFilter_AwaitsAudit_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class AuditEndpointFilter : IEndpointFilter
{
    private readonly IAuditClient _audit;
    public AuditEndpointFilter(IAuditClient audit) => _audit = audit;

    public async ValueTask<object> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        await {|PERF002:_audit.SendAuditEventAsync("endpoint", context.HttpContext.Request.Path)|};
        return await next(context);
    }
}
""", false);
    }

    [Fact]
    public async Task SyncControllerAction_WaitsOnAudit_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class LegacyController : ControllerBase
{
    private readonly IAuditClient _audit;
    public LegacyController(IAuditClient audit) => _audit = audit;

    [HttpPost("/legacy/import")]
    public IActionResult Import()
    {
        {|PERF002:_audit.SendAuditEventAsync("import", "batch")|}.Wait();
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task SyncControllerAction_ReadsResultOfLogShipper_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class StatusController : ControllerBase
{
    private readonly RequestLogShipper _shipper;
    public StatusController(RequestLogShipper shipper) => _shipper = shipper;

    [HttpGet("/status")]
    public IActionResult Get()
    {
        var response = {|PERF002:_shipper.ShipAsync("/status", 200, CancellationToken.None)|}.Result;
        return Ok(response.StatusCode);
    }
}
""", false);
    }

    [Fact]
    public async Task HubMethod_AwaitsAudit_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class ChatHub : Hub
{
    private readonly IAuditClient _audit;
    public ChatHub(IAuditClient audit) => _audit = audit;

    public async Task Send(string room, string message)
    {
        await {|PERF002:_audit.SendAuditEventAsync("chat.message", room)|};
        await Clients.Group(room).SendAsync("message", message);
    }
}
""", false);
    }

    [Fact]
    public async Task ServiceReachedThroughInterfaceFromController_ReportsAtAwaitNamingEntry()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public interface IOrderService { Task PlaceAsync(int cartId, CancellationToken cancellationToken); }

public sealed class OrderService : IOrderService
{
    private readonly IAuditClient _audit;
    public OrderService(IAuditClient audit) => _audit = audit;

    public async Task PlaceAsync(int cartId, CancellationToken cancellationToken)
    {
        // ... persist the order ...
        await {|#0:_audit.SendAuditEventAsync("order.placed", cartId.ToString(), cancellationToken)|}.ConfigureAwait(false);
    }
}

[ApiController]
public sealed class CartController : ControllerBase
{
    private readonly IOrderService _orders;
    public CartController(IOrderService orders) => _orders = orders;

    [HttpPost("/cart/{id:int}/order")]
    public async Task<IActionResult> Order(int id, CancellationToken cancellationToken)
    {
        await _orders.PlaceAsync(id, cancellationToken);
        return Accepted();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "on the request path from 'CartController.Order'"));
    }

    [Fact]
    public async Task HelperTwoCallsBelowMinimalApiHandler_Reports()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapPost("/signup", async (string email, SignupService signups) => await signups.SignUpAsync(email));
app.Run();

public sealed class SignupService
{
    private readonly AuditTrail _trail;
    public SignupService(AuditTrail trail) => _trail = trail;
    public async Task<IResult> SignUpAsync(string email)
    {
        await _trail.RecordAsync("signup", email);
        return Results.Created("/users/" + email, null);
    }
}

public sealed class AuditTrail
{
    private readonly IAuditClient _client;
    public AuditTrail(IAuditClient client) => _client = client;
    public async Task RecordAsync(string action, string subject) => await {|#0:_client.SendAuditEventAsync(action, subject)|};
}

""" + Clients, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "on the request path from the minimal API handler at line 28"));
    }

    [Fact]
    public async Task SyslogOverUdp_AwaitedInController_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SyslogClient
{
    private readonly UdpClient _udp = new UdpClient();
    public async Task LogAsync(string message)
    {
        var bytes = Encoding.UTF8.GetBytes("<134>" + message);
        await _udp.SendAsync(bytes, bytes.Length, "logs.internal", 514);
    }
}

[ApiController]
public sealed class PaymentsController : ControllerBase
{
    private readonly SyslogClient _syslog;
    public PaymentsController(SyslogClient syslog) => _syslog = syslog;

    [HttpPost("/payments/refund")]
    public async Task<IActionResult> Refund(decimal amount)
    {
        await {|PERF002:_syslog.LogAsync("refund " + amount)|};
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task TcpLogForwarderWritingNetworkStream_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TcpLogForwarder
{
    private readonly TcpClient _tcp;
    public TcpLogForwarder(TcpClient tcp) => _tcp = tcp;
    public async Task ForwardAsync(string line, CancellationToken cancellationToken)
    {
        NetworkStream stream = _tcp.GetStream();
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancellationToken);
    }
}

[ApiController]
public sealed class InvoicesController : ControllerBase
{
    private readonly TcpLogForwarder _logs;
    public InvoicesController(TcpLogForwarder logs) => _logs = logs;

    [HttpPost("/invoices")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        await {|PERF002:_logs.ForwardAsync("invoice.created", cancellationToken)|};
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task SocketAuditSender_AwaitedInPageHandler_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class SocketAuditSender
{
    private readonly Socket _socket;
    public SocketAuditSender(Socket socket) => _socket = socket;
    public async ValueTask SendAsync(string entry) => await _socket.SendAsync((ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(entry), SocketFlags.None);
}

public sealed class ProfileModel : PageModel
{
    private readonly SocketAuditSender _audit;
    public ProfileModel(SocketAuditSender audit) => _audit = audit;

    public async Task OnPostDeleteAsync(string id) => await {|PERF002:_audit.SendAsync("profile.deleted " + id)|};
}
""", false);
    }

    [Fact]
    public async Task StaticRemoteLogHelper_OverHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class RemoteLog
{
    public static async Task WriteAsync(HttpClient http, string level, string message)
        => await http.PostAsJsonAsync("https://logs.internal/api/events", new { level, message });
}

[ApiController]
public sealed class WebhooksController : ControllerBase
{
    private readonly IHttpClientFactory _clients;
    public WebhooksController(IHttpClientFactory clients) => _clients = clients;

    [HttpPost("/webhooks/stripe")]
    public async Task<IActionResult> Stripe()
    {
        await {|PERF002:RemoteLog.WriteAsync(_clients.CreateClient("logs"), "info", "stripe webhook")|};
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task AuditSinkInterfaceWithoutImplementationInCompilation_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
/// <summary>Implemented by the vendor's SDK, registered at startup.</summary>
public interface IAuditSink { Task WriteAsync(string category, object payload, CancellationToken cancellationToken); }

[ApiController]
public sealed class DocumentsController : ControllerBase
{
    private readonly IAuditSink _audit;
    public DocumentsController(IAuditSink audit) => _audit = audit;

    [HttpGet("/documents/{id:guid}")]
    public async Task<IActionResult> Open(Guid id, CancellationToken cancellationToken)
    {
        await {|PERF002:_audit.WriteAsync("document.opened", new { id }, cancellationToken)|};
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task EditorconfigListedType_AnyAsyncMethod_Reports()
    {
        await VerifyWithEditorconfigAsync(Usings + """
namespace Acme.Observability
{
    public sealed class EventPump
    {
        private readonly HttpClient _http = new HttpClient();
        public Task PushAsync(string json) => _http.PostAsync("https://events.acme.example/", new StringContent(json));
    }
}

[ApiController]
public sealed class ClicksController : ControllerBase
{
    private readonly Acme.Observability.EventPump _pump;
    public ClicksController(Acme.Observability.EventPump pump) => _pump = pump;

    [HttpPost("/clicks")]
    public async Task<IActionResult> Click(string target)
    {
        await {|PERF002:_pump.PushAsync(target)|};
        return Ok();
    }
}
""", "perf_analyzers.remote_logging_methods = Acme.Observability.EventPump");
    }

    [Fact]
    public async Task SameServiceUsedByWorkerAndController_ReportsForTheRequestPath()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class ActivityRecorder
{
    private readonly IAuditClient _audit;
    public ActivityRecorder(IAuditClient audit) => _audit = audit;
    public Task RecordAsync(string what) => RecordCoreAsync(what);
    private async Task RecordCoreAsync(string what) => await {|#0:_audit.SendAuditEventAsync(what, "system")|};
}

public sealed class CleanupWorker : BackgroundService
{
    private readonly ActivityRecorder _recorder;
    public CleanupWorker(ActivityRecorder recorder) => _recorder = recorder;
    protected override async Task ExecuteAsync(CancellationToken stoppingToken) => await _recorder.RecordAsync("cleanup");
}

[ApiController]
public sealed class AdminController : ControllerBase
{
    private readonly ActivityRecorder _recorder;
    public AdminController(ActivityRecorder recorder) => _recorder = recorder;

    [HttpPost("/admin/purge")]
    public async Task<IActionResult> Purge()
    {
        await _recorder.RecordAsync("purge");
        return Ok();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "on the request path from 'AdminController.Purge'"));
    }

    [Fact]
    public async Task AsyncLambdaAwaitedThroughLocalRetryHelper_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class Retry
{
    public async Task ExecuteAsync(Func<Task> action, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await action();
                return;
            }
            catch (HttpRequestException) when (attempt < attempts)
            {
            }
        }
    }
}

[ApiController]
public sealed class RefundsController : ControllerBase
{
    private readonly Retry _retry = new Retry();
    private readonly IAuditClient _audit;
    public RefundsController(IAuditClient audit) => _audit = audit;

    [HttpPost("/refunds/{id:int}")]
    public async Task<IActionResult> Refund(int id)
    {
        await _retry.ExecuteAsync(async () => await {|#0:_audit.SendAuditEventAsync("refund", id.ToString())|});
        return Ok();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "on the request path from 'RefundsController.Refund'"));
    }

    [Fact]
    public async Task ControllerPostsAuditEventWithRawHttpClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class TransfersController : ControllerBase
{
    private readonly HttpClient _http;
    public TransfersController(HttpClient http) => _http = http;

    [HttpPost("/transfers")]
    public async Task<IActionResult> Create(string from, string to, CancellationToken cancellationToken)
    {
        await {|#0:_http.PostAsJsonAsync("https://audit.internal/events", new AuditEvent("transfer", from + "->" + to, DateTimeOffset.UtcNow), cancellationToken)|};
        return Ok();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'HttpClientJsonExtensions.PostAsJsonAsync'", "in the request handler 'TransfersController.Create'"));
    }

    [Fact]
    public async Task MinimalApiSendsThroughNamedAuditClient_Reports()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpClient("audit-log", c => c.BaseAddress = new Uri("https://logs.internal/"));
var app = builder.Build();
app.MapPut("/profiles/{id}", async (string id, IHttpClientFactory clients) =>
{
    await {|PERF002:clients.CreateClient("audit-log").PostAsync("entries", new StringContent("profile.updated " + id))|};
    return Results.NoContent();
});
app.Run();

""");
    }

    [Fact]
    public async Task CustomAwaitableFromRemoteAuditClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class PendingAudit
{
    private readonly Task _send;
    public PendingAudit(Task send) => _send = send;
    public System.Runtime.CompilerServices.TaskAwaiter GetAwaiter() => _send.GetAwaiter();
}

public sealed class RemoteAuditClient
{
    private readonly HttpClient _http;
    public RemoteAuditClient(HttpClient http) => _http = http;
    public PendingAudit WriteAuditAsync(string entry) => new PendingAudit(_http.PostAsync("audit", new StringContent(entry)));
}

[ApiController]
public sealed class KeysController : ControllerBase
{
    private readonly RemoteAuditClient _audit;
    public KeysController(RemoteAuditClient audit) => _audit = audit;

    [HttpPost("/keys/rotate")]
    public async Task<IActionResult> Rotate()
    {
        await {|PERF002:_audit.WriteAuditAsync("keys.rotated")|};
        return Ok();
    }
}
""", false);
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: in-process logging and telemetry
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ILoggerScopesAndStructuredLogging_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly ILogger<OrdersController> _logger;
    public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

    [HttpPost("/orders")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        using (_logger.BeginScope("Order {OrderId}", 42))
        {
            _logger.LogInformation("Creating order");
            await Task.Delay(1, cancellationToken);
            _logger.Log(LogLevel.Warning, new EventId(7, "Slow"), "Order took {Ms} ms", 12);
        }

        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task LoggerMessageDefineAndSourceGenerated_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static partial class Log
{
    private static readonly Action<ILogger, int, Exception> s_orderPlaced =
        LoggerMessage.Define<int>(LogLevel.Information, new EventId(1, "OrderPlaced"), "Order {OrderId} placed");

    public static void OrderPlaced(ILogger logger, int orderId) => s_orderPlaced(logger, orderId, null);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Stock low for {Sku}")]
    static partial void StockLow(ILogger logger, string sku);
}

[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly ILogger<OrdersController> _logger;
    public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

    [HttpPost("/orders/{id:int}")]
    public async Task<IActionResult> Place(int id)
    {
        await Task.Yield();
        Log.OrderPlaced(_logger, id);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task ActivitySourceSpansAndMeters_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class Diagnostics
{
    public static readonly ActivitySource Source = new ActivitySource("Shop.Orders");
    public static readonly Meter Meter = new Meter("Shop.Orders");
    public static readonly Counter<long> OrdersPlaced = Meter.CreateCounter<long>("orders.placed");
}

[ApiController]
public sealed class OrdersController : ControllerBase
{
    [HttpPost("/orders")]
    public async Task<IActionResult> Place(CancellationToken cancellationToken)
    {
        using var activity = Diagnostics.Source.StartActivity("PlaceOrder");
        activity?.SetTag("order.channel", "web");
        await Task.Delay(1, cancellationToken);
        activity?.AddEvent(new ActivityEvent("persisted"));
        Diagnostics.OrdersPlaced.Add(1);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task SynchronousTelemetryTrackEvent_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class SearchController : ControllerBase
{
    private readonly TelemetryClient _telemetry;
    public SearchController(TelemetryClient telemetry) => _telemetry = telemetry;

    [HttpGet("/search")]
    public async Task<IActionResult> Search(string q)
    {
        await Task.Yield();
        _telemetry.TrackEvent("search");
        return Ok(q);
    }
}
""", false);
    }

    [Fact]
    public async Task UserILoggerExtensionReturningTask_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class AuditLoggerExtensions
{
    public static Task LogAuditAsync(this ILogger logger, string action, string user)
    {
        logger.LogInformation("AUDIT {Action} by {User}", action, user);
        return Task.CompletedTask;
    }
}

[ApiController]
public sealed class UsersController : ControllerBase
{
    private readonly ILogger<UsersController> _logger;
    public UsersController(ILogger<UsersController> logger) => _logger = logger;

    [HttpDelete("/users/{id}")]
    public async Task<IActionResult> Delete(string id)
    {
        await _logger.LogAuditAsync("user.deleted", id);
        return NoContent();
    }
}
""", false);
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: queues, channels and hand-offs
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task ChannelWriteAsyncOfAuditEvent_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly ChannelWriter<AuditEvent> _audit;
    public OrdersController(Channel<AuditEvent> audit) => _audit = audit.Writer;

    [HttpPost("/orders/{id:int}/pay")]
    public async Task<IActionResult> Pay(int id, CancellationToken cancellationToken)
    {
        await _audit.WriteAsync(new AuditEvent("order.paid", id.ToString(), DateTimeOffset.UtcNow), cancellationToken);
        if (!_audit.TryWrite(new AuditEvent("order.receipt", id.ToString(), DateTimeOffset.UtcNow)))
        {
            return StatusCode(503);
        }

        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task AuditQueueEnqueueAsyncBackedByChannel_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class AuditQueue
{
    private readonly Channel<AuditEvent> _channel = Channel.CreateBounded<AuditEvent>(1000);
    public ValueTask EnqueueAuditAsync(AuditEvent entry, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(entry, cancellationToken);
    public IAsyncEnumerable<AuditEvent> ReadAllAsync(CancellationToken cancellationToken) => _channel.Reader.ReadAllAsync(cancellationToken);
}

[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly AuditQueue _audit;
    public OrdersController(AuditQueue audit) => _audit = audit;

    [HttpPost("/orders")]
    public async Task<IActionResult> Create(CancellationToken cancellationToken)
    {
        await _audit.EnqueueAuditAsync(new AuditEvent("order.created", "web", DateTimeOffset.UtcNow), cancellationToken);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task DiscardedAuditTask_NotAwaited_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly IAuditClient _audit;
    public OrdersController(IAuditClient audit) => _audit = audit;

    [HttpPost("/orders")]
    public IActionResult Create()
    {
        _ = _audit.SendAuditEventAsync("order.created", "web");
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task AsyncLambdaHandedToBackgroundTaskQueue_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public interface IBackgroundTaskQueue
{
    ValueTask QueueBackgroundWorkItemAsync(Func<CancellationToken, ValueTask> workItem);
    ValueTask<Func<CancellationToken, ValueTask>> DequeueAsync(CancellationToken cancellationToken);
}

public sealed class BackgroundTaskQueue : IBackgroundTaskQueue
{
    private readonly Channel<Func<CancellationToken, ValueTask>> _queue = Channel.CreateBounded<Func<CancellationToken, ValueTask>>(100);
    public ValueTask QueueBackgroundWorkItemAsync(Func<CancellationToken, ValueTask> workItem) => _queue.Writer.WriteAsync(workItem);
    public ValueTask<Func<CancellationToken, ValueTask>> DequeueAsync(CancellationToken cancellationToken) => _queue.Reader.ReadAsync(cancellationToken);
}

[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly IBackgroundTaskQueue _queue;
    private readonly IAuditClient _audit;
    public OrdersController(IBackgroundTaskQueue queue, IAuditClient audit) { _queue = queue; _audit = audit; }

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await _queue.QueueBackgroundWorkItemAsync(async token => await _audit.SendAuditEventAsync("order.created", "web", token));
        return Accepted();
    }
}
""", false);
    }

    [Fact]
    public async Task AsyncLambdaEnqueuedToVoidQueueInService_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class LogQueue
{
    private readonly ConcurrentQueue<Func<CancellationToken, Task>> _sends = new();
    public void Enqueue(Func<CancellationToken, Task> send) => _sends.Enqueue(send);
}

public sealed class OrderService
{
    private readonly LogQueue _queue;
    private readonly TelemetryClient _telemetry;
    public OrderService(LogQueue queue, TelemetryClient telemetry) { _queue = queue; _telemetry = telemetry; }
    public Task PlaceAsync(int id)
    {
        _queue.Enqueue(async ct => await _telemetry.TrackEventAsync("order.placed"));
        return Task.CompletedTask;
    }
}

[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly OrderService _orders;
    public OrdersController(OrderService orders) => _orders = orders;

    [HttpPost("/orders/{id:int}")]
    public async Task<IActionResult> Place(int id)
    {
        await _orders.PlaceAsync(id);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task TaskRunFireAndForgetInMinimalApi_DoesNotReport()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapPost("/events", (string name, TelemetryClient telemetry) =>
{
    _ = Task.Run(async () => await telemetry.TrackEventAsync(name));
    return Results.Accepted();
});
app.Run();

""" + Clients);
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: background workers and startup
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task BackgroundServiceDrainingChannelToHttpAudit_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class AuditShipper : BackgroundService
{
    private readonly Channel<AuditEvent> _queue;
    private readonly IAuditClient _audit;
    private readonly ILogger<AuditShipper> _logger;
    public AuditShipper(Channel<AuditEvent> queue, IAuditClient audit, ILogger<AuditShipper> logger) { _queue = queue; _audit = audit; _logger = logger; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await _audit.SendAuditEventAsync(entry.Action, entry.Subject, stoppingToken);
            }
            catch (HttpRequestException exception)
            {
                _logger.LogWarning(exception, "Audit entry dropped");
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        while (_queue.Reader.TryRead(out var entry))
        {
            await _audit.SendAuditEventAsync(entry.Action, entry.Subject, cancellationToken);
        }
    }
}
""", false);
    }

    [Fact]
    public async Task HostedServiceTimerFlushingTelemetry_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class TelemetryHeartbeat : IHostedService, IDisposable
{
    private readonly TelemetryClient _telemetry;
    private Timer _timer;
    public TelemetryHeartbeat(TelemetryClient telemetry) => _telemetry = telemetry;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _telemetry.TrackEventAsync("service.started");
        _timer = new Timer(_ => _telemetry.TrackMetricAsync("heartbeat", 1).AsTask().Wait(), null, TimeSpan.Zero, TimeSpan.FromMinutes(1));
    }

    public async Task StopAsync(CancellationToken cancellationToken) => await _telemetry.TrackEventAsync("service.stopped");

    public void Dispose() => _timer?.Dispose();
}
""", false);
    }

    [Fact]
    public async Task ServiceOnlyUsedByWorker_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class ReconciliationJob
{
    private readonly IAuditClient _audit;
    public ReconciliationJob(IAuditClient audit) => _audit = audit;
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await _audit.SendAuditEventAsync("reconciliation.started", "job", cancellationToken);
        await _audit.SendAuditEventAsync("reconciliation.finished", "job", cancellationToken);
    }
}

public sealed class NightlyWorker : BackgroundService
{
    private readonly ReconciliationJob _job;
    public NightlyWorker(ReconciliationJob job) => _job = job;
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await _job.RunAsync(stoppingToken);
            await Task.Delay(TimeSpan.FromHours(24), stoppingToken);
        }
    }
}
""", false);
    }

    [Fact]
    public async Task ProgramStartupAwaitsAudit_DoesNotReport()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddHttpClient<IAuditClient, HttpAuditClient>();
var app = builder.Build();
var audit = app.Services.GetRequiredService<IAuditClient>();
await audit.SendAuditEventAsync("app.started", Environment.MachineName);
app.MapGet("/", () => "ok");
await app.RunAsync();
await audit.SendAuditEventAsync("app.stopped", Environment.MachineName);

""" + Clients);
    }

    [Fact]
    public async Task TestClassAwaitingAuditClient_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class HttpAuditClientTests
{
    public async Task SendAuditEventAsync_PostsToAuditEndpoint()
    {
        var client = new HttpAuditClient(new HttpClient { BaseAddress = new Uri("http://localhost:5099/") });
        await client.SendAuditEventAsync("test", "unit");
    }
}
""", false);
    }

    [Fact]
    public async Task NonActionHelperOnController_NotCalledByActions_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
[ApiController]
public sealed class ExportController : ControllerBase
{
    private readonly IAuditClient _audit;
    public ExportController(IAuditClient audit) => _audit = audit;

    [HttpGet("/export")]
    public IActionResult Export() => Ok();

    [NonAction]
    public async Task AuditExportAsync() => await _audit.SendAuditEventAsync("export", "batch");
}
""", false);
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: business network calls and names that are not logging
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task PaymentsAndInventoryHttpCalls_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class PaymentGateway
{
    private readonly HttpClient _http;
    public PaymentGateway(HttpClient http) => _http = http;
    public async Task<string> ChargeAsync(decimal amount, string token)
    {
        using var response = await _http.PostAsJsonAsync("charges", new { amount, token });
        return await response.Content.ReadAsStringAsync();
    }
}

public sealed class InventoryClient
{
    private readonly HttpClient _http;
    public InventoryClient(HttpClient http) => _http = http;
    public Task ReserveAsync(string sku, int quantity) => _http.PostAsJsonAsync("reservations", new { sku, quantity });
}

[ApiController]
public sealed class CheckoutController : ControllerBase
{
    private readonly PaymentGateway _payments;
    private readonly InventoryClient _inventory;
    public CheckoutController(PaymentGateway payments, InventoryClient inventory) { _payments = payments; _inventory = inventory; }

    [HttpPost("/checkout")]
    public async Task<IActionResult> Checkout(string sku, decimal amount, string token)
    {
        await _inventory.ReserveAsync(sku, 1);
        var charge = await _payments.ChargeAsync(amount, token);
        return Ok(charge);
    }
}
""", false);
    }

    [Fact]
    public async Task LogInLogOutAndLogisticsCalls_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class IdentityProviderClient
{
    private readonly HttpClient _http;
    public IdentityProviderClient(HttpClient http) => _http = http;
    public Task<HttpResponseMessage> LogInAsync(string user, string password) => _http.PostAsJsonAsync("login", new { user, password });
    public Task<HttpResponseMessage> LogOutAsync(string session) => _http.PostAsJsonAsync("logout", new { session });
    public Task<HttpResponseMessage> LogOnAsync(string user) => _http.PostAsJsonAsync("logon", new { user });
}

public sealed class LogisticsClient
{
    private readonly HttpClient _http;
    public LogisticsClient(HttpClient http) => _http = http;
    public Task BookPickupAsync(string parcel) => _http.PostAsJsonAsync("pickups", new { parcel });
}

[ApiController]
public sealed class SessionController : ControllerBase
{
    private readonly IdentityProviderClient _identity;
    private readonly LogisticsClient _logistics;
    public SessionController(IdentityProviderClient identity, LogisticsClient logistics) { _identity = identity; _logistics = logistics; }

    [HttpPost("/session")]
    public async Task<IActionResult> SignIn(string user, string password)
    {
        using var response = await _identity.LogInAsync(user, password);
        await _identity.LogOnAsync(user);
        return Ok();
    }

    [HttpDelete("/session")]
    public async Task<IActionResult> SignOut(string session)
    {
        await _identity.LogOutAsync(session);
        await _logistics.BookPickupAsync("none");
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task ParcelTrackingAndLogQueries_ReadingData_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed record TrackingInfo(string Status);

public sealed class CarrierClient
{
    private readonly HttpClient _http;
    public CarrierClient(HttpClient http) => _http = http;
    public Task<TrackingInfo> GetTrackingAsync(string trackingNumber) => _http.GetFromJsonAsync<TrackingInfo>("tracking/" + trackingNumber);
}

public sealed class LogSearchClient
{
    private readonly HttpClient _http;
    public LogSearchClient(HttpClient http) => _http = http;
    public Task<string[]> SearchLogsAsync(string query) => _http.GetFromJsonAsync<string[]>("search?q=" + query);
    public Task<string> GetAuditTrailAsync(string entity) => _http.GetStringAsync("audit/" + entity);
}

[ApiController]
public sealed class SupportController : ControllerBase
{
    private readonly CarrierClient _carrier;
    private readonly LogSearchClient _logs;
    public SupportController(CarrierClient carrier, LogSearchClient logs) { _carrier = carrier; _logs = logs; }

    [HttpGet("/support/parcels/{number}")]
    public async Task<IActionResult> Parcel(string number) => Ok(await _carrier.GetTrackingAsync(number));

    [HttpGet("/support/logs")]
    public async Task<IActionResult> Logs(string q) => Ok(new { hits = await _logs.SearchLogsAsync(q), trail = await _logs.GetAuditTrailAsync(q) });
}
""", false);
    }

    [Fact]
    public async Task CatalogBlogAndDialogNames_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class CatalogClient
{
    private readonly HttpClient _http;
    public CatalogClient(HttpClient http) => _http = http;
    public Task PublishCatalogAsync(string json) => _http.PostAsync("catalog", new StringContent(json));
}

public sealed class BlogPublisher
{
    private readonly HttpClient _http;
    public BlogPublisher(HttpClient http) => _http = http;
    public Task PublishAsync(string slug) => _http.PostAsync("blog/" + slug, null);
}

[ApiController]
public sealed class ContentController : ControllerBase
{
    private readonly CatalogClient _catalog;
    private readonly BlogPublisher _blog;
    public ContentController(CatalogClient catalog, BlogPublisher blog) { _catalog = catalog; _blog = blog; }

    [HttpPost("/content/publish")]
    public async Task<IActionResult> Publish(string json)
    {
        await _catalog.PublishCatalogAsync(json);
        await _blog.PublishAsync("launch");
        return Ok();
    }
}
""", false);
    }

    // ------------------------------------------------------------------------------------------------
    // Negatives: logging abstractions whose implementation stays local
    // ------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AuditLogInterfaceImplementedByFileAndConsole_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IAuditLog { Task WriteAsync(string entry, CancellationToken cancellationToken); }

public sealed class FileAuditLog : IAuditLog
{
    private readonly string _path = Path.Combine(AppContext.BaseDirectory, "audit.log");
    public Task WriteAsync(string entry, CancellationToken cancellationToken) => File.AppendAllTextAsync(_path, entry + Environment.NewLine, cancellationToken);
}

public sealed class ConsoleAuditLog : IAuditLog
{
    public async Task WriteAsync(string entry, CancellationToken cancellationToken) => await Console.Out.WriteLineAsync(entry);
}

[ApiController]
public sealed class SettingsController : ControllerBase
{
    private readonly IAuditLog _audit;
    public SettingsController(IAuditLog audit) => _audit = audit;

    [HttpPut("/settings/{key}")]
    public async Task<IActionResult> Put(string key, CancellationToken cancellationToken)
    {
        await _audit.WriteAsync("setting changed: " + key, cancellationToken);
        return NoContent();
    }
}
""", false);
    }

    [Fact]
    public async Task InMemoryTelemetryBuffer_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class TelemetryBuffer
{
    private readonly ConcurrentQueue<string> _events = new();
    public Task TrackAsync(string name)
    {
        _events.Enqueue(name);
        return Task.CompletedTask;
    }

    public ValueTask<int> FlushToMemoryAsync() => new ValueTask<int>(_events.Count);
}

public sealed class TelemetryBufferTracker
{
    private readonly TelemetryBuffer _buffer;
    public TelemetryBufferTracker(TelemetryBuffer buffer) => _buffer = buffer;
    public async Task TrackPageViewAsync(string page) => await _buffer.TrackAsync("page:" + page);
}

[ApiController]
public sealed class PagesController : ControllerBase
{
    private readonly TelemetryBufferTracker _tracker;
    public PagesController(TelemetryBufferTracker tracker) => _tracker = tracker;

    [HttpGet("/pages/{name}")]
    public async Task<IActionResult> Show(string name)
    {
        await _tracker.TrackPageViewAsync(name);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task AuditRowsSavedThroughEfCore_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class AuditRow { public int Id { get; set; } public string Action { get; set; } }

public sealed class ShopDb : Microsoft.EntityFrameworkCore.DbContext
{
    public ShopDb(Microsoft.EntityFrameworkCore.DbContextOptions<ShopDb> options) : base(options) { }
    public Microsoft.EntityFrameworkCore.DbSet<AuditRow> AuditRows => Set<AuditRow>();
}

[ApiController]
public sealed class AccountsController : ControllerBase
{
    private readonly ShopDb _db;
    public AccountsController(ShopDb db) => _db = db;

    [HttpPost("/accounts/{id:int}/lock")]
    public async Task<IActionResult> Lock(int id)
    {
        await _db.AuditRows.AddAsync(new AuditRow { Action = "lock " + id });
        await _db.SaveChangesAsync();
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task EditorconfigExcludedMethod_ClientQueuesInternally_DoesNotReport()
    {
        await VerifyWithEditorconfigAsync(Usings + Clients + """
[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly TelemetryClient _telemetry;
    public OrdersController(TelemetryClient telemetry) => _telemetry = telemetry;

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await _telemetry.TrackEventAsync("order.created");
        return Ok();
    }
}
""", "perf_analyzers.remote_logging_methods_exclude = TelemetryClient.TrackEventAsync");
    }

    [Fact]
    public async Task ExclusionOfOneMethod_KeepsOtherMethodsOfTheType_Reports()
    {
        var source = Usings + Clients + """
[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly TelemetryClient _telemetry;
    public OrdersController(TelemetryClient telemetry) => _telemetry = telemetry;

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await _telemetry.TrackEventAsync("order.created");
        await {|PERF002:_telemetry.TrackMetricAsync("orders", 1)|};
        return Ok();
    }
}
""";
        await VerifyWithEditorconfigAsync(source, "perf_analyzers.remote_logging_methods_exclude = TelemetryClient.TrackEventAsync");
    }

    [Fact]
    public async Task LogShipperAwaitedInsideHostedServiceCalledFromNoHandler_AndMiddlewareEnqueues_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + Clients + """
public sealed class RequestLogQueue
{
    private readonly Channel<(string Path, int Status)> _channel = Channel.CreateUnbounded<(string, int)>();
    public bool TryEnqueue(string path, int status) => _channel.Writer.TryWrite((path, status));
    public ChannelReader<(string Path, int Status)> Reader => _channel.Reader;
}

public sealed class RequestLoggingMiddleware
{
    private readonly RequestDelegate _next;
    private readonly RequestLogQueue _queue;
    public RequestLoggingMiddleware(RequestDelegate next, RequestLogQueue queue) { _next = next; _queue = queue; }

    public async Task InvokeAsync(HttpContext context)
    {
        await _next(context);
        _queue.TryEnqueue(context.Request.Path, context.Response.StatusCode);
    }
}

public sealed class RequestLogPump : BackgroundService
{
    private readonly RequestLogQueue _queue;
    private readonly RequestLogShipper _shipper;
    public RequestLogPump(RequestLogQueue queue, RequestLogShipper shipper) { _queue = queue; _shipper = shipper; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var (path, status) in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            using var _ = await _shipper.ShipAsync(path, status, stoppingToken);
        }
    }
}
""", false);
    }

    [Fact]
    public async Task AuditLoggerImplementedOverILogger_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IAuditLogger { Task LogAsync(string action, string subject); }

public sealed class StructuredAuditLogger : IAuditLogger
{
    private readonly ILogger<StructuredAuditLogger> _logger;
    public StructuredAuditLogger(ILogger<StructuredAuditLogger> logger) => _logger = logger;
    public Task LogAsync(string action, string subject)
    {
        _logger.LogInformation("AUDIT {Action} {Subject}", action, subject);
        return Task.CompletedTask;
    }
}

[ApiController]
public sealed class RolesController : ControllerBase
{
    private readonly IAuditLogger _audit;
    public RolesController(IAuditLogger audit) => _audit = audit;

    [HttpPost("/roles/{role}/grant")]
    public async Task<IActionResult> Grant(string role)
    {
        await _audit.LogAsync("role.granted", role);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task DomainEventPublishedToBroker_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed class OrderEventsPublisher
{
    private readonly HttpClient _http;
    public OrderEventsPublisher(HttpClient http) => _http = http;
    public Task PublishOrderPlacedAsync(int orderId) => _http.PostAsJsonAsync("topics/orders", new { orderId, type = "placed" });
}

[ApiController]
public sealed class OrdersController : ControllerBase
{
    private readonly OrderEventsPublisher _events;
    public OrdersController(OrderEventsPublisher events) => _events = events;

    [HttpPost("/orders/{id:int}/place")]
    public async Task<IActionResult> Place(int id)
    {
        await _events.PublishOrderPlacedAsync(id);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task ChannelWaitToWriteThenTryWrite_DoesNotReport()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton(Channel.CreateBounded<AuditEvent>(500));
var app = builder.Build();
app.MapPost("/audit/{action}", async (string action, Channel<AuditEvent> audit, CancellationToken ct) =>
{
    if (await audit.Writer.WaitToWriteAsync(ct))
    {
        audit.Writer.TryWrite(new AuditEvent(action, "api", DateTimeOffset.UtcNow));
    }

    return Results.Accepted();
});
app.Run();

""" + Clients);
    }

    [Fact]
    public async Task MinimalApiEnqueuesAsyncLambdaIntoLocalQueue_DoesNotReport()
    {
        await VerifyProgramAsync(Usings + """
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<SendQueue>();
var app = builder.Build();
app.MapPost("/orders/{id:int}", (int id, SendQueue queue, IAuditClient audit) =>
{
    queue.Enqueue(async ct => await audit.SendAuditEventAsync("order.created", id.ToString(), ct));
    return Results.Accepted();
});
app.Run();

public sealed class SendQueue
{
    private readonly Channel<Func<CancellationToken, Task>> _sends = Channel.CreateUnbounded<Func<CancellationToken, Task>>();
    public void Enqueue(Func<CancellationToken, Task> send) => _sends.Writer.TryWrite(send);
}

""" + Clients);
    }

    [Fact]
    public async Task RawHttpBusinessSendsAndAuditReads_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public sealed record ShipmentRequest(string OrderId);
public sealed record TrackingRequest(string Parcel);
public sealed record AuditRecord(string Action);

[ApiController]
public sealed class FulfilmentController : ControllerBase
{
    private readonly HttpClient _http;
    private readonly HttpClient _auditHttp;
    private readonly HttpClient _trackingHttp;
    public FulfilmentController(HttpClient http, HttpClient auditHttp, HttpClient trackingHttp) { _http = http; _auditHttp = auditHttp; _trackingHttp = trackingHttp; }

    [HttpPost("/fulfilment/{orderId}")]
    public async Task<IActionResult> Ship(string orderId)
    {
        using var shipped = await _http.PostAsJsonAsync("shipments", new ShipmentRequest(orderId));
        await _trackingHttp.PostAsJsonAsync("subscriptions", new TrackingRequest(orderId));
        var history = await _auditHttp.GetFromJsonAsync<AuditRecord[]>("records?entity=" + orderId);
        return Ok(history);
    }
}
""", false);
    }
}
