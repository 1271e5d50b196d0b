namespace PerfAnalyzers.CodeFixes.RemoteLogging;

/// <summary>The queue and drainer the "Queue the log entry" fix adds to a project once.</summary>
internal static class RemoteLogQueueTemplate
{
    public const string QueueTypeName = "RemoteLogQueue";
    public const string DrainerTypeName = "RemoteLogQueueDrainer";
    public const string FileName = "RemoteLogQueue.cs";

    public static string Source(string? ns) => (ns is null ? "" : "namespace " + ns + "\n{\n") + Body + (ns is null ? "" : "}\n");

    private const string Body = """
    using System;
    using System.Threading;
    using System.Threading.Channels;
    using System.Threading.Tasks;
    using Microsoft.Extensions.Hosting;
    using Microsoft.Extensions.Logging;

    /// <summary>
    /// Remote log, audit and telemetry calls handed off by request handlers, so a response never waits for them
    /// (added by the PerfAnalyzers PERF002 fix). Bounded: when full, the oldest entry is dropped and counted in
    /// <see cref="Dropped"/>; enqueueing never blocks (after shutdown has begun, entries are no longer accepted). Register once:
    /// <c>builder.Services.AddSingleton&lt;RemoteLogQueue&gt;(); builder.Services.AddHostedService&lt;RemoteLogQueueDrainer&gt;();</c>
    /// </summary>
    public sealed class RemoteLogQueue
    {
        public const int Capacity = 10_000;

        private readonly Channel<Func<CancellationToken, Task>> _entries;
        private long _dropped;

        public RemoteLogQueue()
        {
            _entries = Channel.CreateBounded<Func<CancellationToken, Task>>(
                new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
                _ => Interlocked.Increment(ref _dropped));
        }

        /// <summary>Entries dropped because the queue was full.</summary>
        public long Dropped => Interlocked.Read(ref _dropped);

        /// <summary>Queues a send; returns immediately.</summary>
        public void Enqueue(Func<CancellationToken, Task> send) => _entries.Writer.TryWrite(send);

        internal ChannelReader<Func<CancellationToken, Task>> Reader => _entries.Reader;

        internal void Complete() => _entries.Writer.TryComplete();
    }

    /// <summary>
    /// Sends queued entries in the background. A failing endpoint never stops the drainer (each entry's exception is
    /// logged and the entry dropped). On shutdown the queue is closed to new entries and the drainer keeps sending —
    /// the entry in flight and everything still queued — until the queue is empty, or until the host's shutdown
    /// timeout (HostOptions.ShutdownTimeout) expires; only then are the remaining entries abandoned (and logged).
    /// </summary>
    public sealed class RemoteLogQueueDrainer : BackgroundService
    {
        private readonly RemoteLogQueue _queue;
        private readonly ILogger<RemoteLogQueueDrainer> _logger;
        private readonly CancellationTokenSource _abandon = new CancellationTokenSource();

        public RemoteLogQueueDrainer(RemoteLogQueue queue, ILogger<RemoteLogQueueDrainer> logger)
        {
            _queue = queue;
            _logger = logger;
        }

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            // Not stoppingToken: stopping must not cancel the sends. The loop ends when StopAsync has closed the queue
            // and it is empty, or when the shutdown timeout abandons what is left.
            var inFlight = 0;
            try
            {
                await foreach (var send in _queue.Reader.ReadAllAsync(_abandon.Token))
                {
                    inFlight = 1;
                    await SendAsync(send, _abandon.Token);
                    inFlight = 0;
                }
            }
            catch (OperationCanceledException) when (_abandon.IsCancellationRequested)
            {
                _logger.LogWarning("The host's shutdown timeout expired; {Count} queued remote log entries were not sent.", _queue.Reader.Count + inFlight);
            }
        }

        public override async Task StopAsync(CancellationToken cancellationToken)
        {
            _queue.Complete();
            using (cancellationToken.Register(() => _abandon.Cancel()))
            {
                // Waits for the drain loop to finish, or returns when the shutdown timeout cancels cancellationToken.
                await base.StopAsync(cancellationToken);
            }
        }

        public override void Dispose()
        {
            _abandon.Dispose();
            base.Dispose();
        }

        private async Task SendAsync(Func<CancellationToken, Task> send, CancellationToken cancellationToken)
        {
            try
            {
                await send(cancellationToken);
            }
            catch (Exception exception) when (!(exception is OperationCanceledException && cancellationToken.IsCancellationRequested))
            {
                _logger.LogWarning(exception, "A queued remote log entry could not be sent and was dropped.");
            }
        }
    }

""";
}
