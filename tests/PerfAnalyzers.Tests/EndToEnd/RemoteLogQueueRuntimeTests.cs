using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Reflection;
using System.Runtime.Loader;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PerfAnalyzers.CodeFixes.RemoteLogging;
using PerfAnalyzers.Rules;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>
/// Runtime proof of the PERF002 fix. The sample's audit site (tests/SampleApp: <c>HttpAuditLog</c> awaited in
/// <c>IntegrationsController.ShippingQuote</c>) is compiled twice — as written, and as the "Queue the log entry" fix
/// rewrites it (the real code fix applied through a Roslyn workspace, with the generated RemoteLogQueue/drainer and
/// the Program.cs registrations it adds) — and each build's own Program.cs is run in-process on Kestrel (loopback)
/// against a deliberately slow audit endpoint (500 ms per entry). Before: every response waits for the endpoint.
/// After: responses do not, every entry still arrives, and entries still queued when the host shuts down normally
/// are delivered before it exits.
/// </summary>
public sealed class RemoteLogQueueRuntimeTests
{
    private static readonly TimeSpan EndpointDelay = TimeSpan.FromMilliseconds(500);
    private const int TimedRequests = 6;

    private readonly ITestOutputHelper _output;

    public RemoteLogQueueRuntimeTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task SlowAuditEndpoint_BeforeFixResponsesWait_AfterFixTheyDoNotAndEveryEntryArrivesIncludingOnShutdown()
    {
        await using var endpoint = await SlowAuditEndpoint.StartAsync(EndpointDelay);

        var before = SampleSources();
        var after = await ApplyQueueFixAsync(before);

        // Before the fix: each response includes the endpoint's 500 ms.
        var beforeRun = await RunSampleAsync("Perf002Sample.Before", before, endpoint, shutDownWhileEntriesQueued: false);

        // After the fix: responses return at once; the drainer delivers in the background and flushes on shutdown.
        endpoint.Clear();
        var afterRun = await RunSampleAsync("Perf002Sample.After", after, endpoint, shutDownWhileEntriesQueued: true);

        var beforeMedian = Median(beforeRun.Latencies);
        var afterMedian = Median(afterRun.Latencies);
        _output.WriteLine($"audit endpoint delay: {EndpointDelay.TotalMilliseconds:0} ms per entry; {TimedRequests} timed requests per run after one warm-up");
        _output.WriteLine($"before fix: median {beforeMedian:0} ms, min {beforeRun.Latencies.Min():0} ms, max {beforeRun.Latencies.Max():0} ms  [{Format(beforeRun.Latencies)}]");
        _output.WriteLine($"after fix:  median {afterMedian:0} ms, min {afterRun.Latencies.Min():0} ms, max {afterRun.Latencies.Max():0} ms  [{Format(afterRun.Latencies)}]");
        _output.WriteLine($"after fix: {afterRun.Sent - afterRun.PendingAtShutdown} of {afterRun.Sent} entries delivered in the background while running, {afterRun.PendingAtShutdown} still queued or in flight when a normal shutdown began; delivered in all: {afterRun.Delivered.Count}; shutdown took {afterRun.ShutdownMs:0} ms");

        // Generous bounds for a loaded machine: the delay is either in every response or in none.
        Assert.All(beforeRun.Latencies, ms => Assert.True(ms >= EndpointDelay.TotalMilliseconds * 0.9, $"before the fix a response took {ms:0} ms, less than the endpoint's delay"));
        Assert.True(afterMedian * 3 < beforeMedian, $"after the fix the median response ({afterMedian:0} ms) should be far below the median before ({beforeMedian:0} ms)");
        Assert.True(afterMedian < 250, $"after the fix the median response took {afterMedian:0} ms; it should not include the endpoint's {EndpointDelay.TotalMilliseconds:0} ms");

        // Nothing lost: every request's entry reached the endpoint (before: synchronously; after: in the background or on shutdown).
        Assert.Equal(beforeRun.Expected.OrderBy(s => s), beforeRun.Delivered.OrderBy(s => s));
        Assert.True(afterRun.PendingAtShutdown > 0, "the shutdown path was not exercised: every entry had arrived before shutdown began");
        Assert.Equal(afterRun.Expected.OrderBy(s => s), afterRun.Delivered.OrderBy(s => s));
    }

    // ------------------------------------------------------------------------------------------------
    // The sample site, before and after the fix
    // ------------------------------------------------------------------------------------------------

    /// <summary>The implicit usings of the Web SDK, as the sample has them.</summary>
    private const string GlobalUsings = """
global using System;
global using System.Collections.Generic;
global using System.IO;
global using System.Linq;
global using System.Net.Http;
global using System.Net.Http.Json;
global using System.Threading;
global using System.Threading.Tasks;
global using Microsoft.AspNetCore.Builder;
global using Microsoft.AspNetCore.Hosting;
global using Microsoft.AspNetCore.Http;
global using Microsoft.AspNetCore.Routing;
global using Microsoft.Extensions.Configuration;
global using Microsoft.Extensions.DependencyInjection;
global using Microsoft.Extensions.Hosting;
global using Microsoft.Extensions.Logging;
""";

    /// <summary>The sample's PERF002 action without its other findings (the carrier quote is a constant here).</summary>
    private const string Controller = """
using Microsoft.AspNetCore.Mvc;
using SampleApp.Integrations;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/integrations")]
public sealed class IntegrationsController : ControllerBase
{
    private readonly IAuditLog _audit;
    private readonly ILogger<IntegrationsController> _logger;

    public IntegrationsController(IAuditLog audit, ILogger<IntegrationsController> logger)
    {
        _audit = audit;
        _logger = logger;
    }

    [HttpGet("shipping/{orderId:int}")]
    public async Task<ActionResult<string>> ShippingQuote(int orderId, CancellationToken cancellationToken)
    {
        var quote = "quote-" + orderId;
        await _audit.RecordAuditAsync("shipping.quoted", orderId.ToString(), cancellationToken);
        _logger.LogInformation("Quoted shipping for {OrderId}", orderId);
        return quote;
    }
}
""";

    private const string Program = """
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
builder.Services.AddHttpClient<SampleApp.Integrations.IAuditLog, SampleApp.Integrations.HttpAuditLog>(c => c.BaseAddress = new Uri(builder.Configuration["AuditEndpoint"]!));
builder.Services.AddControllers();

var app = builder.Build();
app.MapControllers();
app.Run();
""";

    private static ImmutableArray<(string Name, string Text)> SampleSources() => ImmutableArray.Create(
        ("GlobalUsings.cs", GlobalUsings),
        ("Program.cs", Program),
        ("Controllers/IntegrationsController.cs", Controller),
        // The sample's audit client, verbatim.
        ("Integrations/AuditLog.cs", File.ReadAllText(RepoPaths.Combine("tests", "SampleApp", "Integrations", "AuditLog.cs"))));

    /// <summary>Applies the real "Queue the log entry" fix to the one PERF002 finding, through a workspace.</summary>
    private async Task<ImmutableArray<(string Name, string Text)>> ApplyQueueFixAsync(ImmutableArray<(string Name, string Text)> sources)
    {
        using var workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(ProjectId.CreateNewId(), VersionStamp.Default, "SampleApp", "SampleApp", LanguageNames.CSharp,
            compilationOptions: CompilationOptions(), parseOptions: ParseOptions(), metadataReferences: References.Value));
        foreach (var (name, text) in sources)
        {
            project = project.AddDocument(name, SourceText.From(text), filePath: "/sample/" + name).Project;
        }

        var diagnostics = await AnalyzeAsync(project);
        var finding = Assert.Single(diagnostics);
        _output.WriteLine("before fix: " + finding);
        var document = project.GetDocument(finding.Location.SourceTree)!;

        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, finding, (action, _) => actions.Add(action), CancellationToken.None);
        await new QueueLogEntryCodeFixProvider().RegisterCodeFixesAsync(context);
        var queue = Assert.Single(actions, a => a.EquivalenceKey == QueueLogEntryCodeFixProvider.QueueKey);
        var operations = await queue.GetOperationsAsync(CancellationToken.None);
        var fixedSolution = operations.OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var fixedProject = fixedSolution.GetProject(project.Id)!;

        Assert.Empty(await AnalyzeAsync(fixedProject));
        Assert.Contains(fixedProject.Documents, d => d.Name == RemoteLogQueueTemplate.FileName);

        var result = ImmutableArray.CreateBuilder<(string, string)>();
        foreach (var fixedDocument in fixedProject.Documents)
        {
            var text = (await fixedDocument.GetTextAsync()).ToString();
            result.Add((fixedDocument.Name, text));
        }

        _output.WriteLine("after fix, the action: " + ExtractLine(result, "Controllers/IntegrationsController.cs", "Enqueue("));
        Assert.Contains("AddHostedService<SampleApp.RemoteLogQueueDrainer>()", result.Single(d => d.Item1 == "Program.cs").Item2);
        return result.ToImmutable();
    }

    private static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync())!;
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new AwaitedRemoteLoggingAnalyzer())).GetAnalyzerDiagnosticsAsync();
        return diagnostics.Where(d => d.Id == "PERF002").ToImmutableArray();
    }

    private static string ExtractLine(IEnumerable<(string Name, string Text)> sources, string name, string marker)
        => sources.Single(s => s.Name == name).Text.Split('\n').Select(l => l.Trim()).First(l => l.Contains(marker, StringComparison.Ordinal));

    // ------------------------------------------------------------------------------------------------
    // Compiling and running a build in-process
    // ------------------------------------------------------------------------------------------------

    private sealed record SampleRun(IReadOnlyList<double> Latencies, IReadOnlyList<string> Expected, IReadOnlyList<string> Delivered, int Sent, int PendingAtShutdown, double ShutdownMs);

    private async Task<SampleRun> RunSampleAsync(string assemblyName, ImmutableArray<(string Name, string Text)> sources, SlowAuditEndpoint endpoint, bool shutDownWhileEntriesQueued)
    {
        var assembly = CompileAndLoad(assemblyName, sources);
        var args = new[]
        {
            "--urls", "http://127.0.0.1:0",
            "--environment", "Production",
            "--applicationName", assemblyName, // controllers are discovered in the application assembly
            "--AuditEndpoint", endpoint.BaseAddress.ToString(),
        };

        using var capture = new HostCapture();
        Exception? failure = null;
        var main = new Thread(() =>
        {
            capture.OnThisThread();
            try
            {
                assembly.EntryPoint!.Invoke(null, new object[] { args });
            }
            catch (Exception exception)
            {
                failure = exception;
                capture.Fail(exception);
            }
        }) { IsBackground = true, Name = assemblyName };
        main.Start();

        var host = await capture.Host.WaitAsync(TimeSpan.FromSeconds(30));
        var lifetime = host.Services.GetRequiredService<IHostApplicationLifetime>();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using (lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        {
            await started.Task.WaitAsync(TimeSpan.FromSeconds(30));
        }

        var address = host.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var client = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(30) };

        var expected = new List<string>();
        async Task<double> RequestAsync(int orderId)
        {
            var watch = Stopwatch.StartNew();
            var body = await client.GetStringAsync($"api/integrations/shipping/{orderId}");
            watch.Stop();
            Assert.Equal("quote-" + orderId, body);
            expected.Add(orderId.ToString());
            return watch.Elapsed.TotalMilliseconds;
        }

        await RequestAsync(1); // warm-up: JIT, MVC and HttpClient start-up
        var latencies = new List<double>();
        for (var i = 0; i < TimedRequests; i++)
        {
            latencies.Add(await RequestAsync(100 + i));
        }

        if (shutDownWhileEntriesQueued)
        {
            // The drainer delivers while the application runs: wait for the first entry, then shut down with the rest queued.
            var deadline = Stopwatch.StartNew();
            while (endpoint.Delivered.Count == 0 && deadline.Elapsed < TimeSpan.FromSeconds(20))
            {
                await Task.Delay(20);
            }

            Assert.NotEmpty(endpoint.Delivered);
        }

        var deliveredBeforeShutdown = endpoint.Delivered.Count;
        var pendingAtShutdown = expected.Count - deliveredBeforeShutdown;
        var shutdownWatch = Stopwatch.StartNew();
        lifetime.StopApplication(); // a normal shutdown (as on SIGTERM): Run() returns when the host has stopped
        Assert.True(main.Join(TimeSpan.FromSeconds(45)), "the sample did not shut down within 45 s");
        shutdownWatch.Stop();
        Assert.Null(failure);

        if (!shutDownWhileEntriesQueued)
        {
            Assert.Equal(0, pendingAtShutdown);
        }

        return new SampleRun(latencies, expected, endpoint.Delivered.ToList(), expected.Count, pendingAtShutdown, shutdownWatch.Elapsed.TotalMilliseconds);
    }

    private static Assembly CompileAndLoad(string assemblyName, ImmutableArray<(string Name, string Text)> sources)
    {
        var compilation = CSharpCompilation.Create(assemblyName,
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions(), path: s.Name)),
            References.Value,
            CompilationOptions());
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        Assert.True(emitted.Success, string.Join(Environment.NewLine, emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        image.Position = 0;

        // The default context, so the sample shares ASP.NET Core's types with this process; MVC finds it by name.
        var assembly = AssemblyLoadContext.Default.LoadFromStream(image);
        AssemblyLoadContext.Default.Resolving += (_, name) => name.Name == assemblyName ? assembly : null;
        return assembly;
    }

    private static CSharpCompilationOptions CompilationOptions()
        => new(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable, optimizationLevel: OptimizationLevel.Release);

    private static CSharpParseOptions ParseOptions() => new(LanguageVersion.Latest);

    /// <summary>The shared frameworks this process runs on: .NET and ASP.NET Core.</summary>
    private static readonly Lazy<ImmutableArray<MetadataReference>> References = new(() =>
    {
        var folders = new[] { Path.GetDirectoryName(typeof(object).Assembly.Location)!, Path.GetDirectoryName(typeof(WebApplication).Assembly.Location)! };
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var file in folders.SelectMany(folder => Directory.GetFiles(folder, "*.dll")))
        {
            try
            {
                _ = AssemblyName.GetAssemblyName(file); // managed assemblies only
                byName.TryAdd(Path.GetFileNameWithoutExtension(file), file);
            }
            catch (BadImageFormatException)
            {
            }
        }

        return byName.Values.Select(path => (MetadataReference)MetadataReference.CreateFromFile(path)).ToImmutableArray();
    });

    private static double Median(IReadOnlyList<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    private static string Format(IEnumerable<double> values) => string.Join(", ", values.Select(v => v.ToString("0", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// Captures the host a program's <c>Main</c> builds on a given thread, through the hosting diagnostic events
    /// (as test hosts do for top-level programs), so the test can wait for start-up and request a normal shutdown.
    /// </summary>
    private sealed class HostCapture : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
    {
        private readonly TaskCompletionSource<IHost> _host = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<IDisposable> _subscriptions = new();
        private readonly IDisposable _all;
        private int _threadId = -1;

        public HostCapture() => _all = DiagnosticListener.AllListeners.Subscribe(this);

        public Task<IHost> Host => _host.Task;

        public void OnThisThread() => Volatile.Write(ref _threadId, Environment.CurrentManagedThreadId);

        public void Fail(Exception exception) => _host.TrySetException(exception);

        public void OnNext(DiagnosticListener listener)
        {
            if (listener.Name == "Microsoft.Extensions.Hosting")
            {
                lock (_subscriptions)
                {
                    _subscriptions.Add(listener.Subscribe(this));
                }
            }
        }

        public void OnNext(KeyValuePair<string, object?> value)
        {
            if (value.Key == "HostBuilt" && value.Value is IHost host && Environment.CurrentManagedThreadId == Volatile.Read(ref _threadId))
            {
                _host.TrySetResult(host);
            }
        }

        public void OnCompleted()
        {
        }

        public void OnError(Exception error)
        {
        }

        public void Dispose()
        {
            _all.Dispose();
            lock (_subscriptions)
            {
                _subscriptions.ForEach(s => s.Dispose());
            }
        }
    }

    /// <summary>
    /// A deliberately slow audit endpoint on a loopback port: each entry is acknowledged after the delay and only
    /// then counted as delivered (a send the client abandons mid-way is not delivered).
    /// </summary>
    private sealed class SlowAuditEndpoint : IAsyncDisposable
    {
        private readonly WebApplication _app;
        private readonly ConcurrentQueue<string> _delivered = new();

        private SlowAuditEndpoint(WebApplication app) => _app = app;

        public Uri BaseAddress { get; private set; } = null!;

        public IReadOnlyCollection<string> Delivered => _delivered.ToArray();

        public void Clear() => _delivered.Clear();

        public static async Task<SlowAuditEndpoint> StartAsync(TimeSpan delay)
        {
            var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { EnvironmentName = "Production" });
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            var app = builder.Build();
            var endpoint = new SlowAuditEndpoint(app);
            app.MapPost("/audit", async (HttpContext context) =>
            {
                using var entry = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                await Task.Delay(delay, context.RequestAborted);
                endpoint._delivered.Enqueue(entry.RootElement.GetProperty("subject").GetString()!);
                return Results.Ok();
            });
            await app.StartAsync();
            endpoint.BaseAddress = new Uri(app.Urls.First().TrimEnd('/') + "/");
            return endpoint;
        }

        public async ValueTask DisposeAsync()
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
    }
}
