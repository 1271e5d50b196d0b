using System;
using System.Globalization;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace SampleApp.Benchmarks;

/// <summary>
/// PERF001 measured: N+1 vs Include vs one bulk query. Usage (always -c Release, from the repository root):
///   dotnet run -c Release --project tests/SampleApp.Benchmarks                       BenchmarkDotNet, ShortRun job
///   dotnet run -c Release --project tests/SampleApp.Benchmarks -- --quick [--ops 50] [--rounds 7]   Stopwatch mode
///   dotnet run -c Release --project tests/SampleApp.Benchmarks -- --verify             assert round trips only
///   dotnet run -c Release --project tests/SampleApp.Benchmarks -- --pooled-resources [--requests 500] [--rounds 5]
///       PERF003: new HttpClient per request vs shared/IHttpClientFactory (loopback Kestrel), Pooling=False vs pooled
///       SQLite; load loop with connection counts asserted. Results: docs/rules/PERF003.md.
/// Other arguments go to BenchmarkDotNet (e.g. --filter *Include*). Results: docs/rules/PERF001.md.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--pooled-resources"))
        {
            return PooledResourceMeasurement.RunAsync(
                requests: Int(args, "--requests") ?? 500,
                rounds: Int(args, "--rounds") ?? 5).GetAwaiter().GetResult();
        }

        if (args.Contains("--quick"))
        {
            return QuickMode.Run(
                operations: Int(args, "--ops") ?? 50,
                rounds: Int(args, "--rounds") ?? 7);
        }

        // Assert the round-trip counts in this (host) process too, before spending minutes measuring.
        Console.WriteLine("Round trips (asserted):");
        using (var database = BlogDatabase.CreateSeeded())
        {
            Shape.VerifyAll(database, print: true);
        }

        if (args.Contains("--verify"))
        {
            return 0;
        }

        var config = DefaultConfig.Instance
            .AddJob(Job.ShortRun)
            .AddDiagnoser(MemoryDiagnoser.Default)
            .AddColumn(new RoundTripsColumn(), new ModelledLatencyColumn())
            .WithOrderer(new BenchmarkDotNet.Order.DefaultOrderer(BenchmarkDotNet.Order.SummaryOrderPolicy.Declared));
        // No prompt: without a --filter, run every benchmark.
        var benchmarkArgs = args.Contains("--filter") ? args : args.Concat(new[] { "--filter", "*" }).ToArray();
        var summary = BenchmarkSwitcher.FromTypes(new[] { typeof(LoadPostsBenchmarks) }).Run(benchmarkArgs, config);
        foreach (var s in summary)
        {
            PrintTable(s);
        }

        return summary.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static void PrintTable(Summary summary)
    {
        Console.WriteLine();
        Console.WriteLine("Modelled = measured mean + round trips x 1 ms RTT (a MODEL of a networked database server, not a measurement).");
        Console.WriteLine();
        Console.WriteLine("| Shape | Round trips | Mean (measured, in-process SQLite) | Allocated | Modelled @ 1 ms RTT |");
        Console.WriteLine("|-------|------------:|-----------------------------------:|----------:|--------------------:|");
        foreach (var report in summary.Reports)
        {
            var shape = Shape.ByMethod(report.BenchmarkCase.Descriptor.WorkloadMethod.Name);
            var meanMs = (report.ResultStatistics?.Mean ?? double.NaN) / 1e6;
            var allocatedKb = (report.GcStats.GetBytesAllocatedPerOperation(report.BenchmarkCase) ?? 0) / 1024.0;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {shape.Label} | {shape.ExpectedRoundTrips} | {meanMs:N3} ms | {allocatedKb:N0} KB | {ModelledLatencyColumn.Modelled(meanMs, shape.ExpectedRoundTrips):N1} ms |"));
        }
    }

    private static int? Int(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : null;
    }
}
