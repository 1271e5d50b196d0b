using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.AwaitedRemoteLoggingAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF002_AwaitedRemoteLoggingTests
{
    private const string Prelude = """
using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

public interface IAuditClient { Task SendAuditEventAsync(string action, string user); }

public sealed class HttpAuditClient : IAuditClient
{
    private readonly HttpClient _http;
    public HttpAuditClient(HttpClient http) => _http = http;
    public async Task SendAuditEventAsync(string action, string user)
        => await _http.PostAsJsonAsync("/audit", new { action, user });
}

public sealed class FileAuditClient
{
    public Task WriteAuditAsync(string line) => System.IO.File.AppendAllTextAsync("audit.log", line);
}

public sealed class TelemetryShipper
{
    private readonly HttpClient _http = new HttpClient();
    public Task TrackEventAsync(string name) => _http.PostAsync("http://localhost:4318/v1/events", new StringContent(name));
}

""";

    [Fact]
    public async Task ControllerAction_AwaitsHttpAuditClient_Reports()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
[ApiController]
public class OrdersController : ControllerBase
{
    private readonly IAuditClient _audit;
    public OrdersController(IAuditClient audit) => _audit = audit;

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await {|#0:_audit.SendAuditEventAsync("order.created", "alice")|};
        return Ok();
    }
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "in the request handler 'OrdersController.Create'"));
    }

    [Fact]
    public async Task MinimalApi_AwaitsTelemetryShipperWithConfigureAwait_Reports()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public static class Endpoints
{
    public static void Map(WebApplication app, TelemetryShipper telemetry)
    {
        app.MapGet("/ping", async () =>
        {
            await {|PERF002:telemetry.TrackEventAsync("ping")|}.ConfigureAwait(false);
            return "pong";
        });
    }
}
""", false);
    }

    [Fact]
    public async Task BlockingWaitOnAuditInFilter_Reports()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public class AuditFilter : Microsoft.AspNetCore.Mvc.Filters.IActionFilter
{
    private readonly IAuditClient _audit;
    public AuditFilter(IAuditClient audit) => _audit = audit;
    public void OnActionExecuting(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context)
        => {|PERF002:_audit.SendAuditEventAsync("action", "bob")|}.GetAwaiter().GetResult();
    public void OnActionExecuted(Microsoft.AspNetCore.Mvc.Filters.ActionExecutedContext context) { }
}
""", false);
    }

    [Fact]
    public async Task ServiceReachedFromController_ReportsAtAwaitWithEntryPoint()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public class CheckoutService
{
    private readonly IAuditClient _audit;
    public CheckoutService(IAuditClient audit) => _audit = audit;
    public async Task CheckoutAsync(int cartId)
    {
        await {|#0:_audit.SendAuditEventAsync("checkout", cartId.ToString())|};
    }
}

[ApiController]
public class CartController : ControllerBase
{
    private readonly CheckoutService _checkout;
    public CartController(CheckoutService checkout) => _checkout = checkout;

    [HttpPost("/cart/{id}/checkout")]
    public Task Checkout(int id) => _checkout.CheckoutAsync(id);
}
""", false, VerifyCS.Diagnostic("PERF002").WithLocation(0).WithArguments("'IAuditClient.SendAuditEventAsync'", "on the request path from 'CartController.Checkout'"));
    }

    [Fact]
    public async Task ILoggerCallsInHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
[ApiController]
public class OrdersController : ControllerBase
{
    private readonly ILogger<OrdersController> _logger;
    public OrdersController(ILogger<OrdersController> logger) => _logger = logger;

    [HttpGet("/orders")]
    public async Task<IActionResult> List()
    {
        _logger.LogInformation("Listing orders");
        await Task.Yield();
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task ChannelWriteOfLogEntry_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
[ApiController]
public class OrdersController : ControllerBase
{
    private readonly Channel<string> _auditQueue;
    public OrdersController(Channel<string> auditQueue) => _auditQueue = auditQueue;

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await _auditQueue.Writer.WriteAsync("order.created");
        _auditQueue.Writer.TryWrite("order.created");
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task NotAwaitedFireAndForget_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
[ApiController]
public class OrdersController : ControllerBase
{
    private readonly IAuditClient _audit;
    public OrdersController(IAuditClient audit) => _audit = audit;

    [HttpPost("/orders")]
    public IActionResult Create()
    {
        _ = Task.Run(async () => await _audit.SendAuditEventAsync("order.created", "alice"));
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task BackgroundServiceDrainsAudit_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public class AuditDrainer : BackgroundService
{
    private readonly IAuditClient _audit;
    private readonly Channel<string> _queue;
    public AuditDrainer(IAuditClient audit, Channel<string> queue) { _audit = audit; _queue = queue; }
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await _audit.SendAuditEventAsync(entry, "system");
        }
    }
}
""", false);
    }

    [Fact]
    public async Task LocalFileAuditWriter_NoNetwork_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
[ApiController]
public class OrdersController : ControllerBase
{
    private readonly FileAuditClient _audit = new FileAuditClient();

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await _audit.WriteAuditAsync("order.created");
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task BusinessHttpCallInHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public class PaymentsClient
{
    private readonly HttpClient _http;
    public PaymentsClient(HttpClient http) => _http = http;
    public Task<HttpResponseMessage> ChargeAsync(decimal amount) => _http.PostAsJsonAsync("/charge", new { amount });
}

[ApiController]
public class CheckoutController : ControllerBase
{
    private readonly PaymentsClient _payments;
    public CheckoutController(PaymentsClient payments) => _payments = payments;

    [HttpPost("/checkout")]
    public async Task<IActionResult> Pay()
    {
        await _payments.ChargeAsync(10m);
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task LoginAndCatalogNames_AreNotLogging_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public class IdentityClient
{
    private readonly HttpClient _http;
    public IdentityClient(HttpClient http) => _http = http;
    public Task<HttpResponseMessage> LoginAsync(string user) => _http.PostAsJsonAsync("/login", new { user });
    public Task<HttpResponseMessage> RefreshCatalogAsync() => _http.PostAsync("/catalog", null);
}

[ApiController]
public class AccountController : ControllerBase
{
    private readonly IdentityClient _identity;
    public AccountController(IdentityClient identity) => _identity = identity;

    [HttpPost("/login")]
    public async Task<IActionResult> Login()
    {
        await _identity.LoginAsync("alice");
        await _identity.RefreshCatalogAsync();
        return Ok();
    }
}
""", false);
    }

    [Fact]
    public async Task AuditInHelperNotReachedFromHandler_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Prelude + """
public class NightlyReport
{
    private readonly IAuditClient _audit;
    public NightlyReport(IAuditClient audit) => _audit = audit;
    public async Task RunAsync() => await _audit.SendAuditEventAsync("report", "cron");
}
""", false);
    }

    [Fact]
    public async Task EditorconfigListedMethod_WithoutLoggingName_Reports()
    {
        var test = new VerifyCS.Test
        {
            TestCode = Prelude + """
namespace Acme
{
    public class Shipper
    {
        public Task PushAsync(string payload) => Task.CompletedTask;
    }
}

[ApiController]
public class OrdersController : ControllerBase
{
    private readonly Acme.Shipper _shipper = new Acme.Shipper();

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await {|PERF002:_shipper.PushAsync("x")|};
        return Ok();
    }
}
""",
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nperf_analyzers.remote_logging_methods = Acme.Shipper.PushAsync\n"));
        await test.RunAsync();
    }

    [Fact]
    public async Task EditorconfigExcludedType_DoesNotReport()
    {
        var test = new VerifyCS.Test
        {
            TestCode = Prelude + """
[ApiController]
public class OrdersController : ControllerBase
{
    private readonly TelemetryShipper _telemetry = new TelemetryShipper();

    [HttpPost("/orders")]
    public async Task<IActionResult> Create()
    {
        await _telemetry.TrackEventAsync("order.created");
        return Ok();
    }
}
""",
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n[*.cs]\nperf_analyzers.remote_logging_methods_exclude = TelemetryShipper\n"));
        await test.RunAsync();
    }
}
