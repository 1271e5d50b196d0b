using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Robustness issue, part 2: hostile shapes. Every shipped analyzer must finish each one without an exception
/// or a stack overflow, on an ordinary 1 MB stack, spending at most <see cref="RobustnessEnvironment.CaseTimeLimit"/>
/// in analyzer callbacks, with the whole run (compiler binding included) under <see cref="RobustnessEnvironment.WatchdogLimit"/>.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class HostileShapesTests
{
    private readonly ITestOutputHelper _output;

    public HostileShapesTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> ShapeNames() => HostileShapes.All().Select(s => new object[] { s.Name });

    [Theory]
    [MemberData(nameof(ShapeNames))]
    public async Task HostileShape_AnalyzesWithinBounds(string name)
    {
        var references = await RobustnessEnvironment.GetReferencesAsync();
        var shape = HostileShapes.All().Single(s => s.Name == name);
        var project = new TestProject(
            "Hostile",
            shape.OutputKind,
            NullableContextOptions.Disable,
            ImmutableArray.Create(new SourceFile("Model.cs", TestModel.Source), new SourceFile("Hostile.cs", shape.Source)));
        var compilation = project.Compile(references);

        // Bind once up front (and keep the errors): the time bound below is then mostly the analyzers' own.
        var compileWatch = Stopwatch.StartNew();
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        compileWatch.Stop();

        var result = AnalyzerRunner.RunOnOrdinaryStack(
            () =>
            {
                var stopwatch = Stopwatch.StartNew();
                var analysis = AnalyzerRunner.RunAsync(compilation, ShippedRules.CreateAnalyzers(), concurrent: false, logTimes: true).GetAwaiter().GetResult();
                return (Analysis: analysis, Elapsed: stopwatch.Elapsed);
            },
            RobustnessEnvironment.WatchdogLimit,
            name);

        var found = string.Join(", ", result.Analysis.Diagnostics.GroupBy(d => d.Id).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}"));
        _output.WriteLine($"{name}: {shape.Source.Length:N0} chars, {errors.Count} compiler error(s) (compiled in {compileWatch.ElapsedMilliseconds} ms), analyzed in {result.Elapsed.TotalMilliseconds:0} ms; reported: {(found.Length == 0 ? "nothing" : found)}");
        _output.WriteLine("  time in analyzer callbacks: " + string.Join(", ", result.Analysis.AnalyzerTimes.OrderByDescending(t => t.Value).Select(t => $"{t.Key} {t.Value.TotalMilliseconds:0} ms")));

        Assert.True(result.Analysis.Failures.IsEmpty, $"{name}: analyzer exception(s):\n" + string.Join("\n\n", result.Analysis.Failures));
        var slow = result.Analysis.AnalyzerTimes.Where(t => t.Value > RobustnessEnvironment.CaseTimeLimit).Select(t => $"{t.Key} {t.Value.TotalSeconds:0.0} s").ToList();
        Assert.True(slow.Count == 0, $"{name}: analyzers over {RobustnessEnvironment.CaseTimeLimit.TotalSeconds:0} s: {string.Join(", ", slow)}");
        Assert.True(result.Elapsed < RobustnessEnvironment.WatchdogLimit, $"{name}: analysis took {result.Elapsed.TotalSeconds:0.0} s");
        if (!shape.AllowErrors)
        {
            // The shape must reach the analyzers as written: a typo here would test error recovery instead.
            Assert.True(errors.Count == 0, $"{name}: the shape does not compile:\n" + string.Join("\n", errors.Take(10)));
        }
    }
}
