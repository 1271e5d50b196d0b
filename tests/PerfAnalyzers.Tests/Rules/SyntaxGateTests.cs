using System.Threading.Tasks;
using Xunit;
using Perf002 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.AwaitedRemoteLoggingAnalyzer>;
using Perf003 = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.PooledResourcePerRequestAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// Shapes at the edge of the rules' syntax gates (Core/RuleGates.cs): a block is bound only when its syntax can hold the
/// rule's finding, so findings whose syntax names nothing obvious must still be reported, and look-alikes stay quiet.
/// </summary>
public class SyntaxGateTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

""";

    [Fact]
    public async Task AwaitedNeutralMethodOnNeutralField_OfLoggingNamedInterface_Reports()
    {
        await Perf002.AnalyzerAsync(Usings + """
public interface IAuditTrail { Task RecordAsync(string what, CancellationToken ct); }

public sealed class HttpAuditTrail : IAuditTrail
{
    private readonly HttpClient _http;
    public HttpAuditTrail(HttpClient http) => _http = http;
    public Task RecordAsync(string what, CancellationToken ct) => _http.PostAsJsonAsync("entries", what, ct);
}

[ApiController]
[Route("orders")]
public sealed class OrdersController : ControllerBase
{
    private readonly IAuditTrail _trail;
    public OrdersController(IAuditTrail trail) => _trail = trail;

    [HttpPost("{id}/cancel")]
    public async Task<IActionResult> Cancel(int id, CancellationToken ct)
    {
        await {|PERF002:_trail.RecordAsync("cancel " + id, ct)|};
        return NoContent();
    }
}
""", false);
    }

    [Fact]
    public async Task AwaitedNeutralMethodOnNeutralField_OfBusinessInterface_DoesNotReport()
    {
        await Perf002.AnalyzerAsync(Usings + """
public interface IShipmentBooking { Task RecordAsync(string what, CancellationToken ct); }

public sealed class HttpShipmentBooking : IShipmentBooking
{
    private readonly HttpClient _http;
    public HttpShipmentBooking(HttpClient http) => _http = http;
    public Task RecordAsync(string what, CancellationToken ct) => _http.PostAsJsonAsync("bookings", what, ct);
}

[ApiController]
[Route("orders")]
public sealed class OrdersController : ControllerBase
{
    private readonly IShipmentBooking _booking;
    public OrdersController(IShipmentBooking booking) => _booking = booking;

    [HttpPost("{id}/ship")]
    public async Task<IActionResult> Ship(int id, CancellationToken ct)
    {
        await _booking.RecordAsync("ship " + id, ct);
        return NoContent();
    }
}
""", false);
    }

    [Fact]
    public async Task TargetTypedNewHttpClient_InControllerAction_Reports()
    {
        await Perf003.AnalyzerAsync(Usings + """
[ApiController]
[Route("rates")]
public sealed class RatesController : ControllerBase
{
    [HttpGet]
    public async Task<string> Get()
    {
        using HttpClient client = {|PERF003:new()|};
        return await client.GetStringAsync("https://rates.example/eur");
    }
}
""", false);
    }

    [Fact]
    public async Task NewContextDerivedThroughOwnBaseClass_InControllerAction_Reports()
    {
        await Perf003.AnalyzerAsync(Usings + """
public abstract class TenantDbBase : DbContext
{
    protected TenantDbBase(DbContextOptions options) : base(options) { }
}

public sealed class TenantDb : TenantDbBase
{
    public TenantDb(DbContextOptions<TenantDb> options) : base(options) { }
}

[ApiController]
[Route("tenants")]
public sealed class TenantsController : ControllerBase
{
    private readonly DbContextOptions<TenantDb> _options;
    public TenantsController(DbContextOptions<TenantDb> options) => _options = options;

    [HttpGet]
    public int Count()
    {
        using var db = {|PERF003:new TenantDb(_options)|};
        return db.ChangeTracker.Entries().Count();
    }
}
""", false);
    }

    [Fact]
    public async Task TargetTypedNewList_InControllerAction_DoesNotReport()
    {
        await Perf003.AnalyzerAsync(Usings + """
[ApiController]
[Route("ids")]
public sealed class IdsController : ControllerBase
{
    [HttpGet]
    public List<int> Get()
    {
        List<int> ids = new();
        ids.Add(1);
        return ids;
    }
}
""", false);
    }

    [Fact]
    public async Task NewConnectionStringBuilder_WithoutConnection_InControllerAction_DoesNotReport()
    {
        await Perf003.AnalyzerAsync(Usings + """
[ApiController]
[Route("diagnostics")]
public sealed class DiagnosticsController : ControllerBase
{
    [HttpGet("host")]
    public string Host([FromServices] NpgsqlDataSource dataSource)
        => new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Host ?? "";
}
""", false);
    }

    [Fact]
    public async Task NewReportNamedLikeAContext_InControllerAction_DoesNotReport()
    {
        await Perf003.AnalyzerAsync(Usings + """
public sealed class ReportContext
{
    public ReportContext(string title) => Title = title;
    public string Title { get; }
}

[ApiController]
[Route("reports")]
public sealed class ReportsController : ControllerBase
{
    [HttpGet]
    public string Get() => new ReportContext("daily").Title;
}
""", false);
    }

    [Fact]
    public async Task WhenAllOverMethodGroupFanOut_NoLoopNoLambda_Reports()
    {
        await PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.RemoteCallPerIterationAnalyzer>.AnalyzerAsync(Usings + """
public sealed class PriceBoard
{
    private readonly HttpClient _http;
    public PriceBoard(HttpClient http) => _http = http;

    public Task<string[]> ReadAsync(IEnumerable<string> skus) => Task.WhenAll(skus.Select({|PERF008:FetchAsync|}));

    private Task<string> FetchAsync(string sku) => _http.GetStringAsync($"prices/{sku}");
}
""", false);
    }
}
