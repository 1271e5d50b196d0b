using Microsoft.AspNetCore.Mvc;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/tracking")]
public sealed class TrackingController : ControllerBase
{
    private static readonly string[] Carriers = { "dhl", "ups", "fedex" };

    private readonly IHttpClientFactory _httpClients;

    public TrackingController(IHttpClientFactory httpClients) => _httpClients = httpClients;

    // Tracking status of several orders from the carrier's API.
    [HttpGet("orders")]
    public async Task<ActionResult<List<string>>> OrderStatuses([FromQuery] List<int> orderIds, CancellationToken cancellationToken)
    {
        var client = _httpClients.CreateClient("carrier");
        var statuses = new List<string>();
        foreach (var orderId in orderIds)
        {
            statuses.Add(await client.GetStringAsync($"track/{orderId}", cancellationToken)); // PERF008
        }

        return statuses;
    }

    // Health of every carrier: one call per member of a small constant set.
    [HttpGet("carriers")]
    public async Task<ActionResult<List<string>>> CarrierHealth(CancellationToken cancellationToken)
    {
        var client = _httpClients.CreateClient("carrier");
        var health = new List<string>();
        foreach (var carrier in Carriers)
        {
            health.Add(await client.GetStringAsync($"{carrier}/health", cancellationToken)); // ok: fan-out over a small constant set
        }

        return health;
    }
}
