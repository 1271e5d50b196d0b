using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Robustness issue, part 4: same answer every time. The sample app is analyzed 20 times with concurrent
/// execution, each time as a fresh compilation (so per-compilation caches such as the interprocedural
/// summaries start empty and fill in whatever order the threads race) with fresh analyzer instances.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class DeterminismTests
{
    private const int Runs = 20;

    private readonly ITestOutputHelper _output;

    public DeterminismTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task SampleApp_AnalyzedConcurrently20Times_SameDiagnostics()
    {
        var references = await RobustnessEnvironment.GetReferencesAsync();
        var sample = RobustnessEnvironment.SampleApp.Compile(references);
        var stopwatch = Stopwatch.StartNew();

        List<string>? first = null;
        var mismatches = new List<string>();
        for (var run = 0; run < Runs; run++)
        {
            var result = await AnalyzerRunner.RunAsync(sample.Clone(), ShippedRules.CreateAnalyzers(), concurrent: true);
            Assert.True(result.Failures.IsEmpty, $"run {run + 1}: analyzer exception(s):\n" + string.Join("\n\n", result.Failures));

            var rendered = result.Diagnostics.Select(AnalyzerRunner.Render).OrderBy(d => d, StringComparer.Ordinal).ToList();
            if (first is null)
            {
                first = rendered;
                Assert.Contains(first, d => d.StartsWith("PERF001 ", StringComparison.Ordinal));
                continue;
            }

            if (!first.SequenceEqual(rendered))
            {
                mismatches.Add($"run {run + 1} differs from run 1:\n"
                    + string.Join("\n", first.Except(rendered).Select(d => "  only in run 1: " + d))
                    + "\n" + string.Join("\n", rendered.Except(first).Select(d => $"  only in run {run + 1}: " + d))
                    + (first.Count != rendered.Count ? $"\n  counts {first.Count} vs {rendered.Count}" : ""));
            }
        }

        _output.WriteLine($"{Runs} concurrent runs, {first!.Count} diagnostic(s) each, in {stopwatch.Elapsed.TotalSeconds:0.0} s:");
        foreach (var diagnostic in first)
        {
            _output.WriteLine("  " + diagnostic);
        }

        Assert.True(mismatches.Count == 0, string.Join("\n\n", mismatches));
    }
}
