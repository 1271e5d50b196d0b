using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;

namespace SampleApp.Benchmarks;

/// <summary>
/// Stopwatch mode: same database, same shapes, same assertions; warm up every shape, then timed rounds with the
/// shapes interleaved, reporting the median round's mean per shape. Allocation = GC.GetTotalAllocatedBytes(precise) delta / operations.
/// </summary>
public static class QuickMode
{
    public static int Run(int operations, int rounds)
    {
        using var database = BlogDatabase.CreateSeeded();
        Console.WriteLine($"SQLite file database: {database.FilePath}");
        Console.WriteLine($"Seeded {BlogDatabase.Posts} posts by {BlogDatabase.Authors} authors, {BlogDatabase.CommentsPerPost} comments each.");
        Console.WriteLine("Round trips (asserted):");
        Shape.VerifyAll(database, print: true);

        // Warm up every shape first (JIT tiering, EF Core query cache, SQLite pages), then measure the shapes
        // round-robin, so a burst of load from other processes hits every shape rather than one.
        foreach (var shape in Shape.All)
        {
            for (var i = 0; i < Math.Max(30, operations); i++)
            {
                RunOnce(database, shape);
            }
        }

        var means = Shape.All.ToDictionary(s => s, _ => new List<double>());
        var allocs = Shape.All.ToDictionary(s => s, _ => new List<double>());
        for (var r = 0; r < rounds; r++)
        {
            foreach (var shape in Shape.All)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
                var before = GC.GetTotalAllocatedBytes(precise: true);
                var sw = Stopwatch.StartNew();
                for (var i = 0; i < operations; i++)
                {
                    RunOnce(database, shape);
                }

                sw.Stop();
                var after = GC.GetTotalAllocatedBytes(precise: true);
                means[shape].Add(sw.Elapsed.TotalMilliseconds / operations);
                allocs[shape].Add((after - before) / 1024.0 / operations);
            }
        }

        var rows = Shape.All.Select(s => (Shape: s, MeanMs: Median(means[s]), AllocatedKb: Median(allocs[s]))).ToList();

        Console.WriteLine();
        Console.WriteLine($"--quick: {operations} operations x {rounds} rounds per shape (shapes interleaved), median round shown; fresh DbContext per operation.");
        Console.WriteLine("Modelled = measured mean + round trips x 1 ms RTT (a MODEL of a networked database server, not a measurement).");
        Console.WriteLine();
        Console.WriteLine("| Shape | Round trips | Mean (measured, in-process SQLite) | Allocated | Modelled @ 1 ms RTT |");
        Console.WriteLine("|-------|------------:|-----------------------------------:|----------:|--------------------:|");
        foreach (var (shape, meanMs, allocatedKb) in rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {shape.Label} | {shape.ExpectedRoundTrips} | {meanMs:N3} ms | {allocatedKb:N0} KB | {ModelledLatencyColumn.Modelled(meanMs, shape.ExpectedRoundTrips):N1} ms |"));
        }

        return 0;
    }

    private static double Median(List<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted[sorted.Count / 2];
    }

    private static void RunOnce(BlogDatabase database, Shape shape)
    {
        using var db = database.NewContext();
        var posts = shape.Run(db).GetAwaiter().GetResult();
        if (posts.Count != BlogDatabase.Posts)
        {
            throw new InvalidOperationException(shape.Method);
        }
    }
}
