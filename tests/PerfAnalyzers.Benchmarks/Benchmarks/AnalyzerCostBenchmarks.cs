using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Benchmarks.Generation;
using PerfAnalyzers.Benchmarks.Quick;
using PerfAnalyzers.Benchmarks.Subject;

namespace PerfAnalyzers.Benchmarks.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the same scenarios as the quick mode. Sizes come from PERFANALYZERS_BENCH_SIZES
/// (e.g. "100k" or "25k,50k,100k,200k"; default 100k) so one size can be run on a small machine.
/// GlobalSetup asserts the exact diagnostic counts (see <see cref="Validation"/>) before anything is timed.
/// Each rule alone is measured by <see cref="RuleCostBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerCostBenchmarks
{
    public const string SizesVariable = "PERFANALYZERS_BENCH_SIZES";

    private BenchmarkSubject _subject = null!;

    [ParamsSource(nameof(SizeValues))]
    public int Lines { get; set; }

    public static IEnumerable<int> SizeValues()
        => (Environment.GetEnvironmentVariable(SizesVariable) ?? "100k")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(GeneratedApp.ParseSize);

    [GlobalSetup]
    public void Setup() => _subject = ValidatedSubjects.Get(Lines);

    /// <summary>The compiler's own binding: <c>Compilation.Clone().GetDiagnostics()</c> (declarations and all method bodies; no emit).</summary>
    [Benchmark(Baseline = true)]
    public int CompileOnly() => AnalysisRunner.CompileOnly(_subject).Length;

    /// <summary>CompilationWithAnalyzers with an analyzer that registers nothing: the driver's own cost.</summary>
    [Benchmark]
    public int EmptyAnalyzer() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.Empty).Length;

    /// <summary>An operation-block action that does nothing: what any IOperation-based analyzer pays.</summary>
    [Benchmark]
    public int NoOpOperationBlock() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.NoOpOperationBlock).Length;

    [Benchmark]
    public int AllRules() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.All).Length;

    /// <summary>IDE: the edited ~1,000-line document's compiler diagnostics on a fresh compilation.</summary>
    [Benchmark]
    public int IdeDocument_CompilerOnly() => AnalysisRunner.IdeDocumentCompilerOnly(_subject).Length;

    /// <summary>IDE: GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null) for the edited document, all rules.</summary>
    [Benchmark]
    public int IdeDocument_AllRules() => AnalysisRunner.IdeDocumentAnalyze(_subject, AnalyzerSets.All).Length;
}

/// <summary>
/// Each PerfAnalyzers rule alone (every rule of <see cref="AnalyzerSets.ByRule"/>, so a new rule is measured too),
/// at the same sizes as <see cref="AnalyzerCostBenchmarks"/>.
/// </summary>
[MemoryDiagnoser]
public class RuleCostBenchmarks
{
    private BenchmarkSubject _subject = null!;
    private ImmutableArray<DiagnosticAnalyzer> _analyzer;

    [ParamsSource(nameof(SizeValues))]
    public int Lines { get; set; }

    [ParamsSource(nameof(RuleValues))]
    public string Rule { get; set; } = "";

    public static IEnumerable<int> SizeValues() => AnalyzerCostBenchmarks.SizeValues();

    public static IEnumerable<string> RuleValues() => AnalyzerSets.RuleIds;

    [GlobalSetup]
    public void Setup()
    {
        _subject = ValidatedSubjects.Get(Lines);
        _analyzer = AnalyzerSets.Single(AnalyzerSets.ForRule(Rule));
    }

    [Benchmark]
    public int RuleAlone() => AnalysisRunner.AnalyzeCompilation(_subject, _analyzer).Length;
}

/// <summary>Subjects whose exact diagnostic counts were checked, once per size and process (the in-process toolchain runs every benchmark of a size in one process).</summary>
internal static class ValidatedSubjects
{
    private static readonly ConcurrentDictionary<int, bool> Validated = new();

    public static BenchmarkSubject Get(int lines)
    {
        var subject = BenchmarkSubject.Get(lines);
        if (!Validated.GetOrAdd(lines, _ => QuickMode.ValidateSubject(subject, strict: Environment.GetEnvironmentVariable("PERFANALYZERS_BENCH_STRICT") == "1")))
        {
            throw new InvalidOperationException("Validation failed for size " + subject.Label + ": the analyzers' diagnostic counts differ from the generator's bookkeeping.");
        }

        return subject;
    }
}
