using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Services;

/// <summary>Periodically archives delivered orders older than 90 days.</summary>
public sealed class OrderArchiveWorker : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(10);

    private readonly IServiceScopeFactory _scopeFactory;
    private readonly ILogger<OrderArchiveWorker> _logger;

    public OrderArchiveWorker(IServiceScopeFactory scopeFactory, ILogger<OrderArchiveWorker> logger)
    {
        _scopeFactory = scopeFactory;
        _logger = logger;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using (var scope = _scopeFactory.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
                var cutoff = DateTime.UtcNow.AddDays(-90);
                var stale = await db.Orders.Where(o => o.Status == OrderStatus.Delivered && o.PlacedAt < cutoff).ToListAsync(stoppingToken); // ok: polling loop, one query per tick

                foreach (var order in stale)
                {
                    order.Status = OrderStatus.Archived;
                    await db.SaveChangesAsync(stoppingToken); // PERF001
                }

                _logger.LogInformation("Archived {Count} orders", stale.Count);
            }

            await Task.Delay(Interval, stoppingToken);
        }
    }
}
