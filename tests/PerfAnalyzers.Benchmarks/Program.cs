using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using PerfAnalyzers.Benchmarks.Benchmarks;
using PerfAnalyzers.Benchmarks.Generation;
using PerfAnalyzers.Benchmarks.Quick;
using PerfAnalyzers.Benchmarks.Subject;

namespace PerfAnalyzers.Benchmarks;

/// <summary>
/// Usage (always -c Release):
///   dotnet run -c Release --project tests/PerfAnalyzers.Benchmarks -- --quick [--sizes 25k,50k,100k,200k] [--iterations 3] [--guard] [--strict]
///   dotnet run -c Release --project tests/PerfAnalyzers.Benchmarks -- --validate [--sizes ...] [--strict]
///   dotnet run -c Release --project tests/PerfAnalyzers.Benchmarks -- --profile [--sizes 25k,100k] [--prewarm]
///   dotnet run -c Release --project tests/PerfAnalyzers.Benchmarks -- --dump DIR [--sizes 25k]
///   dotnet run -c Release --project tests/PerfAnalyzers.Benchmarks -- --gates [--sizes 25k] (share of code blocks each rule's syntax gate binds)
///   PERFANALYZERS_BENCH_SIZES=100k dotnet run -c Release --project tests/PerfAnalyzers.Benchmarks -- [BenchmarkDotNet arguments, e.g. --filter *]
/// Without a BenchmarkDotNet --job argument the job is ShortRun, in-process. See docs/performance.md.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Contains("--quick"))
        {
            return QuickMode.Run(new QuickOptions
            {
                Sizes = Sizes(args) ?? new QuickOptions().Sizes,
                Iterations = Value(args, "--iterations") is { } iterations ? int.Parse(iterations, CultureInfo.InvariantCulture) : 3,
                Guard = args.Contains("--guard"),
                Strict = args.Contains("--strict"),
                Scenarios = Value(args, "--scenarios")?.Split(',', StringSplitOptions.RemoveEmptyEntries),
            });
        }

        if (args.Contains("--profile"))
        {
            return Profile.PhaseProfile.Run(Sizes(args) ?? new[] { 25_000, 100_000 }, args.Contains("--prewarm"));
        }

        if (args.Contains("--gates"))
        {
            return Profile.GateStatistics.Run(Sizes(args) ?? new[] { 25_000 });
        }

        if (args.Contains("--validate"))
        {
            var ok = true;
            foreach (var size in Sizes(args) ?? new[] { 25_000 })
            {
                var subject = BenchmarkSubject.Get(size);
                Console.WriteLine($"## {subject.Label}: {subject.App.TotalLines:N0} lines, {subject.App.Files.Length} files, {subject.App.Modules} modules");
                ok &= QuickMode.ValidateSubject(subject, args.Contains("--strict"));
            }

            Console.WriteLine(ok ? "validation passed" : "validation FAILED");
            return ok ? 0 : 2;
        }

        if (Value(args, "--dump") is { } directory)
        {
            foreach (var size in Sizes(args) ?? new[] { 25_000 })
            {
                var app = GeneratedApp.Generate(size);
                var root = Path.Combine(directory, GeneratedApp.SizeLabel(size));
                foreach (var file in app.Files)
                {
                    var path = Path.Combine(root, file.Path);
                    Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                    File.WriteAllText(path, file.Text);
                }

                Console.WriteLine($"{root}: {app.TotalLines:N0} lines, {app.Files.Length} files, {app.Modules} modules; planted " + string.Join(", ", app.PlantedCountByRule(AnalyzerSets.RuleIds).Select(p => p.Key + " " + p.Value)) + $"; {app.LookAlikes.Length} marked look-alikes");
            }

            return 0;
        }

        if (Sizes(args) is { } benchmarkSizes)
        {
            Environment.SetEnvironmentVariable(AnalyzerCostBenchmarks.SizesVariable, string.Join(",", benchmarkSizes));
            args = Without(args, "--sizes");
        }

        var config = args.Any(a => a is "--job" or "-j")
            ? DefaultConfig.Instance
            : DefaultConfig.Instance.AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static string? Value(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    private static IReadOnlyList<int>? Sizes(string[] args)
        => Value(args, "--sizes") is { } sizes ? sizes.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(GeneratedApp.ParseSize).ToArray() : null;

    private static string[] Without(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index < 0 ? args : args.Take(index).Concat(args.Skip(index + 2)).ToArray();
    }
}
