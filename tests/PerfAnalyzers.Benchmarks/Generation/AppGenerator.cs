using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;

namespace PerfAnalyzers.Benchmarks.Generation;

/// <summary>
/// A deterministic, realistic ASP.NET Core application of about <see cref="TargetLines"/> lines: a shared integrations
/// file, <see cref="Modules"/> modules (see <see cref="ModuleTemplates"/>) and a top-level Program.cs that registers
/// them. Scales by the number of modules. Keeps the bookkeeping of every planted finding and look-alike.
/// </summary>
public sealed class GeneratedApp
{
    private GeneratedApp(int targetLines, int modules, ImmutableArray<GeneratedFile> files, ImmutableArray<PlantedFinding> findings, ImmutableArray<PlantedLookAlike> lookAlikes)
    {
        TargetLines = targetLines;
        Modules = modules;
        Files = files;
        Findings = findings;
        LookAlikes = lookAlikes;
        TotalLines = files.Sum(f => f.Lines);
    }

    public int TargetLines { get; }

    public int Modules { get; }

    public int TotalLines { get; }

    public ImmutableArray<GeneratedFile> Files { get; }

    public ImmutableArray<PlantedFinding> Findings { get; }

    public ImmutableArray<PlantedLookAlike> LookAlikes { get; }

    /// <summary>The ~1,000-line document the IDE benchmark edits and re-analyzes.</summary>
    public string HotDocumentPath => ModuleTemplates.HotDocumentPath;

    /// <summary>Planted findings per rule id, for every rule in <paramref name="rules"/> (zero where none is planted).</summary>
    public IReadOnlyDictionary<string, int> PlantedCountByRule(IEnumerable<string> rules)
        => rules.ToDictionary(r => r, r => Findings.Count(f => f.Rule == r));

    /// <summary>Lines per registered module in Program.cs (used to stop adding modules at the target size).</summary>
    private const int ProgramLinesPerModule = 8;
    private const int ProgramFixedLines = 60;

    public static GeneratedApp Generate(int targetLines)
    {
        var findings = new List<PlantedFinding>();
        var lookAlikes = new List<PlantedLookAlike>();
        var files = new List<GeneratedFile> { Shared(new SourceWriter("Shared/Integrations.cs", findings, lookAlikes)).Build() };
        var lines = files[0].Lines;
        var modules = 0;
        while (lines + ProgramFixedLines + ProgramLinesPerModule * modules < targetLines)
        {
            foreach (var file in ModuleTemplates.Write(new ModuleFlags(modules), findings, lookAlikes))
            {
                files.Add(file);
                lines += file.Lines;
            }

            modules++;
        }

        files.Add(Program(new SourceWriter("Program.cs", findings, lookAlikes), modules).Build());
        return new GeneratedApp(targetLines, modules, files.ToImmutableArray(), findings.ToImmutableArray(), lookAlikes.ToImmutableArray());
    }

    /// <summary>"25k" → 25000; "200000" → 200000.</summary>
    public static int ParseSize(string text)
    {
        text = text.Trim().ToLowerInvariant();
        return text.EndsWith('k') ? int.Parse(text[..^1], CultureInfo.InvariantCulture) * 1000 : int.Parse(text, CultureInfo.InvariantCulture);
    }

    public static string SizeLabel(int lines) => lines % 1000 == 0 ? (lines / 1000).ToString(CultureInfo.InvariantCulture) + "k" : lines.ToString(CultureInfo.InvariantCulture);

    private static SourceWriter Shared(SourceWriter w) => w.Add("""
using System;
using System.Collections.Concurrent;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace Contoso.Shared.Integrations;

/// <summary>Ships audit events to a remote audit service over HTTP.</summary>
public interface IAuditLog
{
    Task RecordAuditAsync(string action, string subject, CancellationToken cancellationToken = default);
}

public sealed class HttpAuditLog : IAuditLog
{
    private readonly HttpClient _http;

    public HttpAuditLog(HttpClient http)
    {
        _http = http;
    }

    public async Task RecordAuditAsync(string action, string subject, CancellationToken cancellationToken = default)
    {
        using var response = await _http.PostAsJsonAsync("audit", new { action, subject, at = DateTime.UtcNow }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }
}

public sealed record AuditEntry(string Action, string Subject);

/// <summary>In-memory audit queue: handlers enqueue, a background service ships.</summary>
public sealed class AuditQueue
{
    private readonly Channel<AuditEntry> _channel = Channel.CreateBounded<AuditEntry>(10_000);

    public ChannelReader<AuditEntry> Reader => _channel.Reader;

    public ValueTask EnqueueAsync(AuditEntry entry, CancellationToken cancellationToken) => _channel.Writer.WriteAsync(entry, cancellationToken);
}

public sealed class AuditDrainService : BackgroundService
{
    private readonly AuditQueue _queue;
    private readonly IAuditLog _audit;

    public AuditDrainService(AuditQueue queue, IAuditLog audit)
    {
        _queue = queue;
        _audit = audit;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var entry in _queue.Reader.ReadAllAsync(stoppingToken))
        {
            await _audit.RecordAuditAsync(entry.Action, entry.Subject, stoppingToken); // ok: a background service drains the queue
        }
    }
}

/// <summary>Ships telemetry events over HTTP.</summary>
public sealed class TelemetryShipper
{
    private readonly HttpClient _http;
    private readonly ConcurrentQueue<(string Name, string Value)> _pending = new ConcurrentQueue<(string Name, string Value)>();

    public TelemetryShipper(HttpClient http)
    {
        _http = http;
    }

    public async Task TrackEventAsync(string name, string value, CancellationToken cancellationToken)
    {
        using var response = await _http.PostAsJsonAsync("events", new { name, value }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    public void Enqueue(string name, string value) => _pending.Enqueue((name, value));
}
""");

    private static SourceWriter Program(SourceWriter w, int modules)
    {
        w.Add("""
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using Contoso.Shared.Integrations;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddControllers();
builder.Services.AddMemoryCache();
builder.Services.AddDistributedMemoryCache();
builder.Services.AddHttpClient<IAuditLog, HttpAuditLog>(c => c.BaseAddress = new Uri("https://audit.example/"));
builder.Services.AddHttpClient<TelemetryShipper>(c => c.BaseAddress = new Uri("https://telemetry.example/"));
builder.Services.AddHttpClient("carrier", c => c.BaseAddress = new Uri("https://carrier.example/"));
builder.Services.AddHttpClient("inventory");
builder.Services.AddHttpClient("pricing", c => c.BaseAddress = new Uri("https://pricing.example/"));
builder.Services.AddHttpClient("supplier", c => c.BaseAddress = new Uri("https://supplier.example/"));
builder.Services.AddSingleton<AuditQueue>();
builder.Services.AddHostedService<AuditDrainService>();
builder.Services.AddSingleton(NpgsqlDataSource.Create("Host=db;Database=shop")); // ok: startup code runs once
""");
        var registrations = new StringBuilder();
        for (var i = 0; i < modules; i++)
        {
            var ns = ModuleTemplates.Namespace(i);
            var db = "m" + i.ToString("D3", CultureInfo.InvariantCulture);
            // The context takes only its options, keeps no state and is used on request paths: AddDbContextPool would do (suggestion).
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddDbContext<{ns}.Data.ShopDbContext>(options => options.UseSqlite(\"Data Source={db}.db\")); // PERF003 [end-adddbcontext-pool-suggestion]\n");
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddScoped<{ns}.Repositories.IOrderRepository, {ns}.Repositories.EfOrderRepository>();\n");
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddScoped<{ns}.Repositories.CachedSettings>();\n");
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddSingleton(new {ns}.Repositories.OrderReportReader(\"Host=db;Database={db}\"));\n");
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddScoped<{ns}.Services.OrderService>();\n");
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddScoped<{ns}.Services.ArchiveStatsService>();\n");
            registrations.Append(CultureInfo.InvariantCulture, $"builder.Services.AddHostedService<{ns}.Jobs.OrderArchiveJob>();\n");
        }

        w.Add(registrations.ToString());
        w.Add("""

var app = builder.Build();
app.MapControllers();
""");
        var maps = new StringBuilder();
        for (var i = 0; i < modules; i++)
        {
            maps.Append(CultureInfo.InvariantCulture, $"{ModuleTemplates.Namespace(i)}.Endpoints.CatalogEndpoints.MapCatalogEndpoints(app);\n");
        }

        w.Add(maps.ToString());
        return w.Add("""

app.MapGet("/health/upstream", async (CancellationToken cancellationToken) =>
{
    using var client = new HttpClient(); // PERF003 [new-httpclient-in-top-level-minimal-api]
    var status = await client.GetStringAsync("https://upstream.example/health", cancellationToken);
    return Results.Ok(status);
});

app.MapPost("/api/feedback", async (FeedbackRequest feedback, IAuditLog audit, CancellationToken cancellationToken) =>
{
    await audit.RecordAuditAsync("feedback", feedback.Text, cancellationToken); // PERF002 [top-level-minimal-api-awaits-audit]
    return Results.Accepted();
});

app.MapGet("/api/dashboard/recent-orders", async (Contoso.Modules.M000.Data.ShopDbContext db, CancellationToken cancellationToken) =>
{
    var orders = await db.Orders.AsNoTracking().OrderByDescending(o => o.PlacedAt).Take(20).ToListAsync(cancellationToken);
    var result = new List<object>();
    foreach (var order in orders)
    {
        var lineCount = await db.OrderLines.CountAsync(l => l.OrderId == order.Id, cancellationToken); // PERF001 [top-level-minimal-api-count-per-element]
        result.Add(new { order.Id, lineCount });
    }

    return result;
});

app.Run();

public sealed record FeedbackRequest(string Text);
""");
    }
}
