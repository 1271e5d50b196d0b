using System;
using System.Collections.Generic;
using System.Linq;
using BenchmarkDotNet.Attributes;
using PerfAnalyzers.Benchmarks.Generation;
using PerfAnalyzers.Benchmarks.Quick;
using PerfAnalyzers.Benchmarks.Subject;

namespace PerfAnalyzers.Benchmarks.Benchmarks;

/// <summary>
/// BenchmarkDotNet view of the same scenarios as the quick mode. Sizes come from PERFANALYZERS_BENCH_SIZES
/// (e.g. "100k" or "25k,50k,100k,200k"; default 100k) so one size can be run on a small machine.
/// GlobalSetup asserts the exact diagnostic counts (see <see cref="Validation"/>) before anything is timed.
/// </summary>
[MemoryDiagnoser]
public class AnalyzerCostBenchmarks
{
    public const string SizesVariable = "PERFANALYZERS_BENCH_SIZES";

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, bool> Validated = new();

    private BenchmarkSubject _subject = null!;

    [ParamsSource(nameof(SizeValues))]
    public int Lines { get; set; }

    public static IEnumerable<int> SizeValues()
        => (Environment.GetEnvironmentVariable(SizesVariable) ?? "100k")
            .Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(GeneratedApp.ParseSize);

    [GlobalSetup]
    public void Setup()
    {
        _subject = BenchmarkSubject.Get(Lines);

        // Once per size and process (the in-process toolchain runs every benchmark of a size in one process).
        if (!Validated.GetOrAdd(Lines, _ => QuickMode.ValidateSubject(_subject, strict: Environment.GetEnvironmentVariable("PERFANALYZERS_BENCH_STRICT") == "1")))
        {
            throw new InvalidOperationException("Validation failed for size " + _subject.Label + ": the analyzers' diagnostic counts differ from the generator's bookkeeping.");
        }
    }

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
    public int PERF001_NPlusOne() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.Single(AnalyzerSets.NPlusOne)).Length;

    [Benchmark]
    public int PERF002_AwaitedRemoteLogging() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.Single(AnalyzerSets.AwaitedRemoteLogging)).Length;

    [Benchmark]
    public int PERF003_PooledResourcePerRequest() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.Single(AnalyzerSets.PooledResourcePerRequest)).Length;

    [Benchmark]
    public int PERF004_RepeatedLookup() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.Single(AnalyzerSets.RepeatedLookup)).Length;

    [Benchmark]
    public int AllRules() => AnalysisRunner.AnalyzeCompilation(_subject, AnalyzerSets.All).Length;

    /// <summary>IDE: the edited ~1,000-line document's compiler diagnostics on a fresh compilation.</summary>
    [Benchmark]
    public int IdeDocument_CompilerOnly() => AnalysisRunner.IdeDocumentCompilerOnly(_subject).Length;

    /// <summary>IDE: GetAnalyzerSemanticDiagnosticsAsync(model, filterSpan: null) for the edited document, all rules.</summary>
    [Benchmark]
    public int IdeDocument_AllRules() => AnalysisRunner.IdeDocumentAnalyze(_subject, AnalyzerSets.All).Length;
}
