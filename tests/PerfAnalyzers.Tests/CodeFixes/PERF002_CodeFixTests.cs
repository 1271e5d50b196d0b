using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.CodeFixes.RemoteLogging;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.AwaitedRemoteLoggingAnalyzer, PerfAnalyzers.CodeFixes.RemoteLogging.QueueLogEntryCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF002_CodeFixTests
{
    private const string Audit = """
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;

namespace Shop
{
    public interface IAuditClient { Task SendAuditEventAsync(string action, string user, CancellationToken cancellationToken = default); }

    public sealed class HttpAuditClient : IAuditClient
    {
        private readonly HttpClient _http;
        public HttpAuditClient(HttpClient http) => _http = http;
        public async Task SendAuditEventAsync(string action, string user, CancellationToken cancellationToken = default)
            => await _http.PostAsJsonAsync("/audit", new { action, user }, cancellationToken);
    }
}
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

    private const string ProgramFixed = """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddSingleton<Shop.RemoteLogQueue>();
builder.Services.AddHostedService<Shop.RemoteLogQueueDrainer>();
var app = builder.Build();
app.MapControllers();
app.Run();
""";

    [Fact]
    public async Task QueueFix_ControllerAwaitsAudit_EnqueuesInjectsQueueAndRegisters()
    {
        var test = new VerifyFix.Test
        {
            CodeActionEquivalenceKey = QueueLogEntryCodeFixProvider.QueueKey,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/0/Controllers.cs", """
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Controllers
{
    [ApiController]
    public class OrdersController : ControllerBase
    {
        private readonly IAuditClient _audit;

        public OrdersController(IAuditClient audit)
        {
            _audit = audit;
        }

        [HttpPost("/orders/{id}")]
        public async Task<IActionResult> Create(int id, CancellationToken cancellationToken)
        {
            await {|PERF002:_audit.SendAuditEventAsync("order.created", id.ToString(), cancellationToken)|};
            return Ok();
        }
    }
}
"""));
        test.TestState.Sources.Add(("/0/Audit.cs", Audit));
        test.TestState.Sources.Add(("/0/Program.cs", Program));
        test.FixedState.Sources.Add(("/0/Controllers.cs", """
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;

namespace Shop.Controllers
{
    [ApiController]
    public class OrdersController : ControllerBase
    {
        private readonly Shop.RemoteLogQueue _remoteLogQueue;
        private readonly IAuditClient _audit;

        public OrdersController(IAuditClient audit, Shop.RemoteLogQueue remoteLogQueue)
        {
            _audit = audit;
            _remoteLogQueue = remoteLogQueue;
        }

        [HttpPost("/orders/{id}")]
        public async Task<IActionResult> Create(int id, CancellationToken cancellationToken)
        {
            var user = id.ToString();
            _remoteLogQueue.Enqueue(cancellationToken2 => _audit.SendAuditEventAsync("order.created", user, cancellationToken2));
            return Ok();
        }
    }
}
"""));
        test.FixedState.Sources.Add(("/0/Audit.cs", Audit));
        test.FixedState.Sources.Add(("/0/Program.cs", ProgramFixed));
        test.FixedState.Sources.Add(("RemoteLogQueue.cs", Microsoft.CodeAnalysis.Text.SourceText.From(RemoteLogQueueTemplate.Source("Shop"), System.Text.Encoding.UTF8)));
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task QueueFix_MinimalApiLambda_AddsQueueParameter()
    {
        var test = new VerifyFix.Test { CodeActionEquivalenceKey = QueueLogEntryCodeFixProvider.QueueKey };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.TestState.Sources.Add(("/0/Program.cs", """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<IAuditClient, HttpAuditClient>();
var app = builder.Build();
app.MapPost("/ping", async (IAuditClient audit) =>
{
    await {|PERF002:audit.SendAuditEventAsync("ping", "anonymous")|};
    return "pong";
});
app.Run();
"""));
        test.TestState.Sources.Add(("/0/Audit.cs", Audit));
        test.FixedState.Sources.Add(("/0/Program.cs", """
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Shop;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddSingleton<IAuditClient, HttpAuditClient>();
builder.Services.AddSingleton<RemoteLogQueue>();
builder.Services.AddHostedService<RemoteLogQueueDrainer>();
var app = builder.Build();
app.MapPost("/ping", async (IAuditClient audit, RemoteLogQueue remoteLogQueue) =>
{
    var logTarget = audit;
    remoteLogQueue.Enqueue(cancellationToken => logTarget.SendAuditEventAsync("ping", "anonymous"));
    return "pong";
});
app.Run();
"""));
        test.FixedState.Sources.Add(("/0/Audit.cs", Audit));
        test.FixedState.Sources.Add(("RemoteLogQueue.cs", Microsoft.CodeAnalysis.Text.SourceText.From(RemoteLogQueueTemplate.Source(null), System.Text.Encoding.UTF8)));
        await test.RunAsync(CancellationToken.None);
    }
}
