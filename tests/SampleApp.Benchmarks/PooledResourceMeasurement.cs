using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace SampleApp.Benchmarks;

/// <summary>
/// PERF003 measured (load loop, Stopwatch): the same "request" done with a resource created per request vs a shared/pooled one.
/// <list type="bullet">
/// <item>HTTP: GET against a loopback Kestrel server with <c>new HttpClient()</c> per request (disposed, as `using` code does),
/// one shared <c>HttpClient</c>, and <c>IHttpClientFactory.CreateClient()</c>. Connections are counted by the SERVER (a Kestrel
/// connection middleware), so the client code under test is exactly the shape the rule reports.</item>
/// <item>SQLite (Microsoft.Data.Sqlite, file database): open + one query + close with <c>Pooling=False</c> vs the default
/// (pooled). Physical connections are counted as distinct native <c>sqlite3</c> handles seen after Open.</item>
/// </list>
/// Counts are asserted (per-request shapes open one connection per request, pooled shapes at most a handful).
/// </summary>
public static class PooledResourceMeasurement
{
    public static async Task<int> RunAsync(int requests, int rounds)
    {
        Console.WriteLine($"PERF003 load loop: {requests} sequential requests x {rounds} rounds per shape (shapes interleaved), median round shown.");
        Console.WriteLine($"Machine: {Environment.ProcessorCount} logical cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}, .NET {Environment.Version}");
        Console.WriteLine();

        var ok = await MeasureHttpAsync(requests, rounds);
        ok &= MeasureSqlite(requests, rounds);
        return ok ? 0 : 1;
    }

    private sealed record Row(string Label, double MeanMs, double Connections, double AllocatedKb);

    private static async Task<bool> MeasureHttpAsync(int requests, int rounds)
    {
        var connections = 0;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
            listen.Use(next => context =>
            {
                Interlocked.Increment(ref connections);
                return next(context);
            })));
        await using var app = builder.Build();
        app.MapGet("/ping", () => "pong");
        await app.StartAsync();
        var address = new Uri(app.Urls.First() + "/ping");

        using var shared = new HttpClient();
        var services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        var factory = services.GetRequiredService<IHttpClientFactory>();

        var shapes = new (string Label, bool PerRequest, Func<Task> Request)[]
        {
            ("`new HttpClient()` per request (reported)", true, async () =>
            {
                using var client = new HttpClient();
                await Expect(client.GetStringAsync(address));
            }),
            ("one shared `HttpClient` (static fix)", false, () => Expect(shared.GetStringAsync(address))),
            ("`IHttpClientFactory.CreateClient()` (DI fix)", false, () => Expect(factory.CreateClient().GetStringAsync(address))),
        };

        var rows = await MeasureAsync(shapes.Select(s => (s.Label, s.Request)).ToArray(), requests, rounds, () => Volatile.Read(ref connections));
        Console.WriteLine($"HTTP GET against loopback Kestrel ({address.Authority}); connections counted by the server:");
        Print(rows, "Connections opened / request");
        await app.StopAsync();

        var ok = true;
        for (var i = 0; i < shapes.Length; i++)
        {
            var expectedOk = shapes[i].PerRequest ? rows[i].Connections >= 0.99 : rows[i].Connections < 0.05;
            if (!expectedOk)
            {
                Console.WriteLine($"ASSERTION FAILED: {shapes[i].Label}: {rows[i].Connections} connections per request");
                ok = false;
            }
        }

        return ok;
    }

    private static async Task Expect(Task<string> response)
    {
        if (await response != "pong")
        {
            throw new InvalidOperationException("unexpected response");
        }
    }

    private static bool MeasureSqlite(int requests, int rounds)
    {
        var directory = Path.Combine(Path.GetTempPath(), "perf003-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "orders.db");
        try
        {
            using (var setup = new SqliteConnection($"Data Source={file}"))
            {
                setup.Open();
                using var create = setup.CreateCommand();
                create.CommandText = "CREATE TABLE Orders (Id INTEGER PRIMARY KEY, Total REAL); INSERT INTO Orders (Total) VALUES (10), (20), (30);";
                create.ExecuteNonQuery();
            }

            var handles = new ConditionalWeakTable<object, object>();
            var physical = 0;
            Func<string, Func<Task>> request = connectionString => () =>
            {
                using var connection = new SqliteConnection(connectionString);
                connection.Open();
                if (connection.Handle is { } handle && !handles.TryGetValue(handle, out _))
                {
                    handles.Add(handle, handle);
                    physical++;
                }

                using var command = connection.CreateCommand();
                command.CommandText = "SELECT COUNT(*) FROM Orders";
                return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) == 3 ? Task.CompletedTask : throw new InvalidOperationException("unexpected count");
            };

            var shapes = new (string Label, Func<Task> Request)[]
            {
                ("`Pooling=False` (reported)", request($"Data Source={file};Pooling=False")),
                ("default, pooled (fix: remove `Pooling=False`)", request($"Data Source={file}")),
            };
            var rows = MeasureAsync(shapes, requests, rounds, () => physical).GetAwaiter().GetResult();
            Console.WriteLine("SQLite file database, open + SELECT COUNT(*) + close; physical connections = distinct native sqlite3 handles:");
            Print(rows, "Physical opens / request");

            var ok = rows[0].Connections >= 0.99 && rows[1].Connections < 0.05;
            if (!ok)
            {
                Console.WriteLine($"ASSERTION FAILED: physical opens per request {rows[0].Connections} (Pooling=False) / {rows[1].Connections} (pooled)");
            }

            return ok;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // A temp folder left behind is harmless.
            }
        }
    }

    private static async Task<List<Row>> MeasureAsync((string Label, Func<Task> Request)[] shapes, int requests, int rounds, Func<int> connectionCount)
    {
        // Warm up (JIT, DNS, first pool connection) outside the timed rounds.
        foreach (var (_, request) in shapes)
        {
            for (var i = 0; i < Math.Max(20, requests / 10); i++)
            {
                await request();
            }
        }

        var means = shapes.Select(_ => new List<double>()).ToArray();
        var opened = shapes.Select(_ => new List<double>()).ToArray();
        var allocated = shapes.Select(_ => new List<double>()).ToArray();
        for (var r = 0; r < rounds; r++)
        {
            for (var s = 0; s < shapes.Length; s++)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var connectionsBefore = connectionCount();
                var bytesBefore = GC.GetTotalAllocatedBytes(precise: true);
                var stopwatch = Stopwatch.StartNew();
                for (var i = 0; i < requests; i++)
                {
                    await shapes[s].Request();
                }

                stopwatch.Stop();
                allocated[s].Add((GC.GetTotalAllocatedBytes(precise: true) - bytesBefore) / 1024.0 / requests);
                means[s].Add(stopwatch.Elapsed.TotalMilliseconds / requests);
                opened[s].Add((connectionCount() - connectionsBefore) / (double)requests);
            }
        }

        return shapes.Select((s, i) => new Row(s.Label, Median(means[i]), Median(opened[i]), Median(allocated[i]))).ToList();
    }

    private static void Print(List<Row> rows, string connectionsHeader)
    {
        Console.WriteLine();
        Console.WriteLine($"| Shape | Mean / request | {connectionsHeader} | Allocated / request |");
        Console.WriteLine("|-------|---------------:|------:|----------:|");
        foreach (var row in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Label} | {row.MeanMs:N3} ms | {row.Connections:N2} | {row.AllocatedKb:N1} KB |"));
        }

        Console.WriteLine();
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }
}
