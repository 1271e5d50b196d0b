using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using PerfAnalyzers.Benchmarks.Generation;
using PerfAnalyzers.Benchmarks.Subject;

namespace PerfAnalyzers.Benchmarks.Quick;

public sealed class QuickOptions
{
    public IReadOnlyList<int> Sizes { get; set; } = new[] { 25_000, 50_000, 100_000, 200_000 };

    /// <summary>Measured rounds after one warm-up round; the median is reported.</summary>
    public int Iterations { get; set; } = 3;

    /// <summary>Exit non-zero when a budget's generous 10× guard fails (the CI guard).</summary>
    public bool Guard { get; set; }

    /// <summary>Assert the planted counts themselves, ignoring the known-discrepancy table.</summary>
    public bool Strict { get; set; }

    /// <summary>Only these scenarios (null: all). Per-rule validation runs only when a per-rule scenario is measured.</summary>
    public IReadOnlyList<string>? Scenarios { get; set; }
}

/// <summary>
/// Plain Stopwatch measurements (no BenchmarkDotNet): every scenario once per round, rounds interleaved so drift on a
/// shared machine spreads evenly, median reported. Prints a markdown table and checks the budgets.
/// </summary>
public static class QuickMode
{
    // Budgets (docs/performance.md).
    public const double RatioBudget = 0.05;
    public const double ScalingBudget = 2.2;
    public const double PerDocumentBudgetMs = 50;
    public const double SingleRuleShareBudget = 0.5;

    // The CI guard: generous bounds that catch a runaway regression without flaking on a loaded machine.
    // The ratio budget is not met (operation trees alone cost about the compiler's own pass), so its guard is set from
    // the measured figure (1.3–1.7 at 25k), not from the budget. Time is noisy on a shared machine; allocations are
    // not, so growth with size is guarded on allocations: a quadratic walk shows as growth well past the line ratio,
    // and a whole-solution scan in the IDE path as per-document allocations that grow with the solution.
    public const double RatioGuard = 4.0;
    public const double PerDocumentGuardMs = PerDocumentBudgetMs * 10;
    public const double ScalingGuard = 4.0;

    /// <summary>Own allocations' growth divided by the line growth between two sizes: linear is 1, quadratic is the line growth.</summary>
    public const double AllocationGrowthGuard = 1.5;

    /// <summary>
    /// Per-document allocations' growth between two solution sizes, as a share of the line growth beyond 1 (0 = flat).
    /// Measured 0.02 (12k → 25k); the whole-solution type index this replaced gave 0.53.
    /// </summary>
    public const double PerDocumentAllocationGrowthGuard = 0.25;

    private sealed record Scenario(string Name, Func<BenchmarkSubject, int> Run);

    private sealed class SizeResult
    {
        public required BenchmarkSubject Subject { get; init; }
        /// <summary>Minimum process CPU ms over the rounds: interference on a shared machine only ever adds time.</summary>
        public required Dictionary<string, double> CpuMin { get; init; }
        public required Dictionary<string, double> CpuMedian { get; init; }
        public required Dictionary<string, double> Wall { get; init; }
        public required Dictionary<string, double> AllocatedMb { get; init; }
        public required ImmutableDictionary<string, TimeSpan> RoslynTimes { get; init; }

        public double Cpu(string name) => CpuMin.TryGetValue(name, out var value) ? value : double.NaN;

        public double CompileOnly => Cpu("compile-only");

        /// <summary>What the driver costs an analyzer that only asks for operation trees (a second binding of every body).</summary>
        public double OperationTrees => Math.Max(0, Cpu("noop-operation-block") - CompileOnly);

        /// <summary>PerfAnalyzers' whole cost over the compiler: operation trees plus the rules' own logic.</summary>
        public double AllCost => Math.Max(0, Cpu("all-rules") - CompileOnly);

        /// <summary>
        /// What any semantic analyzer pays the driver (a no-op semantic-model action), when measured; else the compiler alone.
        /// PerfAnalyzers binds and builds operation trees itself, only for the blocks its syntax gates pass.
        /// </summary>
        public double Floor => CpuMin.ContainsKey("noop-semantic-model") ? Cpu("noop-semantic-model") : CompileOnly;

        /// <summary>PerfAnalyzers' own work (the blocks it binds, their operation trees, the rules' logic): over the driver's floor.</summary>
        public double AllLogic => Math.Max(0, Cpu("all-rules") - Floor);

        public double Ratio => AllCost / CompileOnly;

        public double LogicRatio => AllLogic / CompileOnly;

        /// <summary>One rule alone, its own work (over the driver's floor).</summary>
        public double RuleLogic(string rule) => Math.Max(0, Cpu(rule) - Floor);

        public double RoslynTotal => RoslynTimes.Values.Sum(t => t.TotalMilliseconds);

        /// <summary>A rule's share of the package's analyzer time when all run together (Roslyn's attribution).</summary>
        public double RoslynShare(string rule) => RoslynTotal > 0 ? RoslynTimes[rule].TotalMilliseconds / RoslynTotal : 0;

        public double IdeCost => Math.Max(0, Cpu("ide-all-rules") - Cpu("ide-compiler"));

        public double Mb(string name) => AllocatedMb.TryGetValue(name, out var value) ? value : double.NaN;

        /// <summary>What analyzing with all rules allocates over the compiler alone, the driver included (deterministic).</summary>
        public double OwnMb => Mb("all-rules") - Mb("compile-only");

        /// <summary>What analyzing the edited document with all rules allocates over the compiler's own diagnostics for it.</summary>
        public double IdeOwnMb => Mb("ide-all-rules") - Mb("ide-compiler");
    }

    public static int Run(QuickOptions options)
    {
        Console.WriteLine($"# PerfAnalyzers quick benchmark ({options.Iterations} measured round(s), median; validation runs are the warm-up; single-threaded analysis and build)");
        Console.WriteLine($"# {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}, Roslyn {typeof(Compilation).Assembly.GetName().Version}; times are process CPU ms unless marked wall");
        Console.WriteLine($"# references: {References.Description}");
        Console.WriteLine();

        var scenarios = new List<Scenario>
        {
            new("compile-only", s => AnalysisRunner.CompileOnly(s).Length),
            new("empty-analyzer", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.Empty).Length),
            new("noop-operation-block", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.NoOpOperationBlock).Length),
            new("noop-syntax-node", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.NoOpSyntaxNode).Length),
            new("noop-semantic-model", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.NoOpSemanticModel).Length),
            new("noop-get-operation", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.NoOpGetOperationEveryBody).Length),
            new("noop-symbol-info", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.NoOpSymbolInfoEveryInvocation).Length),
        };
        scenarios.AddRange(AnalyzerSets.ByRule.Select(r => new Scenario(r.Rule, s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.Single(r.Analyzer)).Length)));
        scenarios.Add(new("all-rules", s => AnalysisRunner.AnalyzeCompilation(s, AnalyzerSets.All).Length));
        scenarios.Add(new("ide-compiler", s => AnalysisRunner.IdeDocumentCompilerOnly(s).Length));
        scenarios.Add(new("ide-noop-operation-block", s => AnalysisRunner.IdeDocumentAnalyze(s, AnalyzerSets.NoOpOperationBlock).Length));
        scenarios.Add(new("ide-all-rules", s => AnalysisRunner.IdeDocumentAnalyze(s, AnalyzerSets.All).Length));
        // Each rule alone on the edited document: which rule's per-document work grows with the solution.
        scenarios.AddRange(AnalyzerSets.ByRule.Select(r => new Scenario("ide-" + r.Rule, s => AnalysisRunner.IdeDocumentAnalyze(s, AnalyzerSets.Single(r.Analyzer)).Length)));

        if (options.Scenarios is { } only)
        {
            var unknown = only.Except(scenarios.Select(s => s.Name)).ToList();
            if (unknown.Count > 0)
            {
                Console.WriteLine("unknown scenario(s): " + string.Join(", ", unknown) + "; known: " + string.Join(", ", scenarios.Select(s => s.Name)));
                return 3;
            }

            scenarios = scenarios.Where(s => only.Contains(s.Name)).ToList();
        }

        var perRule = scenarios.Any(s => s.Name.StartsWith("PERF", StringComparison.Ordinal));
        var results = new List<SizeResult>();
        var validationFailed = false;
        foreach (var size in options.Sizes)
        {
            var setup = Stopwatch.StartNew();
            var subject = BenchmarkSubject.Get(size);
            Console.WriteLine($"## {subject.Label}: {subject.App.TotalLines:N0} lines in {subject.App.Files.Length} files ({subject.App.Modules} modules); IDE document {subject.App.HotDocumentPath} ({subject.HotDocumentLines} lines); generated and parsed in {setup.Elapsed.TotalSeconds:0.0} s");

            setup.Restart();
            if (!ValidateSubject(subject, options.Strict, perRule))
            {
                validationFailed = true;
                continue;
            }

            Console.WriteLine($"   validated (and warmed up) in {setup.Elapsed.TotalSeconds:0.0} s");
            var samples = scenarios.ToDictionary(s => s.Name, _ => new List<Sample>());
            for (var round = 1; round <= options.Iterations; round++)
            {
                foreach (var scenario in scenarios)
                {
                    samples[scenario.Name].Add(Measure(() => scenario.Run(subject)));
                }

                Console.WriteLine($"   round {round} (cpu ms; GC pause ms, full collections): " + string.Join(", ", scenarios.Select(s => s.Name + " " + samples[s.Name][^1].CpuMs.ToString("0", CultureInfo.InvariantCulture)
                    + string.Create(CultureInfo.InvariantCulture, $" (GC {samples[s.Name][^1].GcPauseMs:0}, {samples[s.Name][^1].Gen2Collections})"))));
            }

            // Roslyn's attribution is wall time, so one run carries any interference: the run with the least total is kept.
            var roslynTimes = Enumerable.Range(0, options.Iterations)
                .Select(_ => AnalysisRunner.AnalyzerExecutionTimes(subject, AnalyzerSets.All).ToImmutableDictionary(p => AnalyzerSets.RuleOf(p.Key), p => p.Value))
                .OrderBy(times => times.Values.Sum(t => t.TotalMilliseconds))
                .First();
            Console.WriteLine($"   Roslyn's attribution (least of {options.Iterations} runs): {roslynTimes.Values.Sum(t => t.TotalMilliseconds).ToString("0", CultureInfo.InvariantCulture)} ms");
            results.Add(new SizeResult
            {
                Subject = subject,
                CpuMin = samples.ToDictionary(p => p.Key, p => p.Value.Min(v => v.CpuMs)),
                CpuMedian = samples.ToDictionary(p => p.Key, p => Median(p.Value.Select(v => v.CpuMs))),
                Wall = samples.ToDictionary(p => p.Key, p => Median(p.Value.Select(v => v.WallMs))),
                AllocatedMb = samples.ToDictionary(p => p.Key, p => Median(p.Value.Select(v => v.Mb))),
                RoslynTimes = roslynTimes,
            });
            Console.WriteLine();
        }

        if (results.Count > 0)
        {
            Console.WriteLine(Tables(results));
        }

        var guardFailed = Budgets(results, out var verdicts);
        Console.WriteLine(verdicts);
        if (validationFailed)
        {
            Console.WriteLine("RESULT: validation failed (diagnostic counts differ from the generator's bookkeeping).");
            return 2;
        }

        if (options.Guard && guardFailed)
        {
            Console.WriteLine("RESULT: CI guard failed (a guard bound exceeded; see the Budgets section).");
            return 1;
        }

        Console.WriteLine(options.Guard ? "RESULT: CI guard passed." : "RESULT: done (no --guard: budgets reported only).");
        return 0;
    }

    /// <summary>Compiles cleanly, and the analyzers report exactly the asserted findings (whole compilation and IDE document).</summary>
    public static bool ValidateSubject(BenchmarkSubject subject, bool strict, bool perRule = true)
    {
        var errors = AnalysisRunner.CompileOnly(subject).Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        var (edited, editedDocument) = subject.CompilationAfterEdit();
        var editedErrors = edited.GetSemanticModel(editedDocument).GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0 || editedErrors.Count > 0)
        {
            Console.WriteLine($"   VALIDATION FAILED: the generated code does not compile ({errors.Count} errors, {editedErrors.Count} in the edited IDE document):");
            foreach (var error in errors.Concat(editedErrors).Take(15))
            {
                Console.WriteLine("     " + error);
            }

            return false;
        }

        var ok = true;
        var whole = Validation.Check(subject, AnalysisRunner.AnalyzeCompilation(subject, AnalyzerSets.All));
        Console.Write(whole.Describe());
        if (strict ? !whole.MatchesPlanted : !whole.MatchesExpected)
        {
            Console.WriteLine("   VALIDATION FAILED (whole compilation, all rules together).");
            ok = false;
        }

        foreach (var (rule, analyzer) in perRule ? AnalyzerSets.ByRule : ImmutableArray<(string, Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzer)>.Empty)
        {
            var alone = Validation.Check(subject, AnalysisRunner.AnalyzeCompilation(subject, AnalyzerSets.Single(analyzer)));
            if (alone.Reported[rule] != whole.Reported[rule])
            {
                Console.WriteLine($"   VALIDATION FAILED: {rule} alone reports {alone.Reported[rule]}, with the other rules {whole.Reported[rule]}.");
                ok = false;
            }
        }

        var document = Validation.Check(subject, AnalysisRunner.IdeDocumentAnalyze(subject, AnalyzerSets.All), liveOnlyInDocument: true);
        var documentExpected = document.Expected.Values.Sum();
        var documentReported = document.Reported.Values.Sum();
        Console.WriteLine($"   IDE document: planted live findings {document.Planted.Values.Sum()}, asserted {documentExpected}, reported {documentReported}");
        if (strict ? !document.MatchesPlanted : !document.MatchesExpected)
        {
            Console.Write(document.Describe());
            Console.WriteLine("   VALIDATION FAILED (IDE document).");
            ok = false;
        }

        return ok;
    }

    /// <summary>
    /// Process CPU time (all threads: the analysis runs partly on thread-pool continuations), wall time and allocations.
    /// CPU time is the primary figure: this machine's 2 cores are shared, and wall time includes waiting for them.
    /// </summary>
    private static Sample Measure(Func<int> action)
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var pauseBefore = GC.GetTotalPauseDuration();
        var gen2Before = GC.CollectionCount(2);
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var stopwatch = Stopwatch.StartNew();
        action();
        stopwatch.Stop();
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        return new Sample(cpu.TotalMilliseconds, stopwatch.Elapsed.TotalMilliseconds, allocated / (1024.0 * 1024.0), (GC.GetTotalPauseDuration() - pauseBefore).TotalMilliseconds, GC.CollectionCount(2) - gen2Before);
    }

    /// <summary>One run: CPU and wall time, allocations, and the garbage collector's share (pause time, full collections).</summary>
    private readonly record struct Sample(double CpuMs, double WallMs, double Mb, double GcPauseMs, int Gen2Collections);

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[sorted.Length / 2 - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static string F0(double value) => double.IsNaN(value) ? "–" : value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string F1(double value) => double.IsNaN(value) ? "–" : value.ToString("0.0", CultureInfo.InvariantCulture);

    private static string Pct(double value) => double.IsNaN(value) ? "–" : (value * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";

    private static string Tables(List<SizeResult> results)
    {
        var text = new StringBuilder();
        text.AppendLine("### Summary (process CPU ms, minimum over the rounds)");
        text.AppendLine();
        text.AppendLine("PerfAnalyzers-all = CompilationWithAnalyzers run with all the rules (includes the compiler's own pass); cost = that − compile-only;");
        text.AppendLine("ratio = cost / compile-only. Per-rule = the rule alone − the no-op operation-block analyzer (its own logic).");
        text.AppendLine("IDE doc = GetAnalyzerSemanticDiagnosticsAsync for the edited document − its compiler-only semantic diagnostics.");
        text.AppendLine();
        text.AppendLine("| size | lines | compile-only ms | PerfAnalyzers-all ms | cost ms | ratio | of which operation trees ms | rules' own logic ms | " + string.Concat(AnalyzerSets.RuleIds.Select(rule => rule + " ms | ")) + "IDE per-document ms |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|" + string.Concat(AnalyzerSets.RuleIds.Select(_ => "---:|")) + "---:|");
        foreach (var r in results)
        {
            text.Append(string.Create(CultureInfo.InvariantCulture, $"| {r.Subject.Label} | {r.Subject.App.TotalLines:N0} | {F0(r.CompileOnly)} | {F0(r.Cpu("all-rules"))} | {F0(r.AllCost)} | {Pct(r.Ratio)} | {F0(r.OperationTrees)} | {F0(r.AllLogic)} ({Pct(r.LogicRatio)}) "));
            foreach (var rule in AnalyzerSets.RuleIds)
            {
                text.Append(string.Create(CultureInfo.InvariantCulture, $"| {F0(r.RuleLogic(rule))} "));
            }

            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {F1(r.IdeCost)} |"));
        }

        text.AppendLine();
        text.AppendLine("### Every scenario: median CPU ms / wall ms / allocated MB");
        text.AppendLine();
        var names = results[0].CpuMin.Keys.ToList();
        text.AppendLine("| scenario | " + string.Join(" | ", results.Select(r => r.Subject.Label + " cpu min | cpu median | wall median | MB")) + " |");
        text.AppendLine("|---|" + string.Concat(results.Select(_ => "---:|---:|---:|---:|")));
        foreach (var name in names)
        {
            text.AppendLine("| " + name + " | " + string.Join(" | ", results.Select(r => F0(r.CpuMin[name]) + " | " + F0(r.CpuMedian[name]) + " | " + F0(r.Wall[name]) + " | " + F0(r.AllocatedMb[name]))) + " |");
        }

        text.AppendLine();
        text.AppendLine("### Roslyn's own per-analyzer execution time (logAnalyzerExecutionTime; all rules together; the least of the rounds; wall ms)");
        text.AppendLine();
        text.AppendLine("| size | " + string.Join(" | ", AnalyzerSets.RuleIds) + " | sum |");
        text.AppendLine("|---|" + string.Concat(AnalyzerSets.RuleIds.Select(_ => "---:|")) + "---:|");
        foreach (var r in results)
        {
            text.AppendLine("| " + r.Subject.Label + " | " + string.Join(" | ", AnalyzerSets.RuleIds.Select(rule => F0(r.RoslynTimes[rule].TotalMilliseconds) + " (" + Pct(r.RoslynShare(rule)) + ")")) + " | " + F0(r.RoslynTotal) + " |");
        }

        text.AppendLine();
        text.AppendLine("### Planted findings (asserted exactly; see Validation.Known for documented exceptions)");
        text.AppendLine();
        text.AppendLine("| size | modules | files | " + string.Join(" | ", AnalyzerSets.RuleIds) + " | IDE doc lines |");
        text.AppendLine("|---|---:|---:|" + string.Concat(AnalyzerSets.RuleIds.Select(_ => "---:|")) + "---:|");
        foreach (var r in results)
        {
            var planted = r.Subject.App.PlantedCountByRule(AnalyzerSets.RuleIds);
            text.AppendLine(string.Create(CultureInfo.InvariantCulture, $"| {r.Subject.Label} | {r.Subject.App.Modules} | {r.Subject.App.Files.Length} | ") + string.Join(" | ", AnalyzerSets.RuleIds.Select(rule => planted[rule].ToString(CultureInfo.InvariantCulture))) + string.Create(CultureInfo.InvariantCulture, $" | {r.Subject.HotDocumentLines} |"));
        }

        return text.ToString();
    }

    /// <summary>Budget verdicts; returns true when a 10× guard failed.</summary>
    private static bool Budgets(List<SizeResult> results, out string verdicts)
    {
        var text = new StringBuilder();
        var guardFailed = false;
        text.AppendLine("### Budgets");
        text.AppendLine();

        void Verdict(string name, double value, double budget, double? guard, string unit, Func<double, string> format)
        {
            if (double.IsNaN(value))
            {
                text.AppendLine($"- {name}: not measured in this run.");
                return;
            }

            var pass = value <= budget;
            var guardPass = guard is null || value <= guard.Value;
            guardFailed |= !guardPass;
            text.AppendLine($"- {name}: {format(value)}{unit} (budget ≤ {format(budget)}{unit}) → {(pass ? "PASS" : "FAIL")}" + (guard is null ? "" : $"; CI guard ≤ {format(guard.Value)}{unit} → {(guardPass ? "pass" : "FAIL")}"));
        }

        foreach (var r in results)
        {
            var where = r.Subject.Label;
            var budgetNote = r.Subject.App.TargetLines == 100_000 ? "" : " (the budget is set at 100k; checked here too)";
            Verdict($"[{where}] all rules / compile-only{budgetNote}", r.Ratio * 100, RatioBudget * 100, RatioGuard * 100, "%", F1);
            text.AppendLine($"  - of which PerfAnalyzers' own work (over the driver's floor, a no-op semantic-model analyzer when measured): {F1(r.LogicRatio * 100)}%; for comparison, operation trees for every body (a no-op operation-block analyzer): {F1(r.OperationTrees / r.CompileOnly * 100)}%");
            text.AppendLine($"  - PerfAnalyzers' time as Roslyn attributes it (what -p:ReportAnalyzer=true prints; least of the rounds) / compile-only (wall median): {F1(r.RoslynTotal / r.Wall["compile-only"] * 100)}%");
            Verdict($"[{where}] IDE per-document analyzer time", r.IdeCost, PerDocumentBudgetMs, PerDocumentGuardMs, " ms", F1);
            if (r.CpuMin.ContainsKey("ide-noop-operation-block"))
            {
                var ideTrees = Math.Max(0, r.Cpu("ide-noop-operation-block") - r.Cpu("ide-compiler"));
                text.AppendLine($"  - of which the document's operation trees (a no-op operation-block analyzer): {F1(ideTrees)} ms; the rules' own logic: {F1(Math.Max(0, r.Cpu("ide-all-rules") - r.Cpu("ide-noop-operation-block")))} ms");
            }
            var worst = AnalyzerSets.RuleIds.OrderByDescending(r.RoslynShare).First();
            Verdict($"[{where}] largest single rule ({worst}) share of the package's analyzer time (Roslyn's attribution, all together)", r.RoslynShare(worst) * 100, SingleRuleShareBudget * 100, null, "%", F1);
            var aloneWorst = AnalyzerSets.RuleIds.Where(rule => !double.IsNaN(r.Cpu(rule))).OrderByDescending(r.RuleLogic).FirstOrDefault();
            if (aloneWorst is not null)
            {
                text.AppendLine($"  - alone: {aloneWorst} {F0(r.RuleLogic(aloneWorst))} ms of the package's {F0(r.AllLogic)} ms own logic ({Pct(r.AllLogic > 0 ? r.RuleLogic(aloneWorst) / r.AllLogic : 0)}); a rule alone also pays the shared per-compilation work");
            }
        }

        var at100 = results.FirstOrDefault(r => r.Subject.App.TargetLines == 100_000);
        var at200 = results.FirstOrDefault(r => r.Subject.App.TargetLines == 200_000);
        if (at100 is not null && at200 is not null)
        {
            var lineRatio = (double)at200.Subject.App.TotalLines / at100.Subject.App.TotalLines;
            Verdict(
                $"PerfAnalyzers cost 200k / 100k (lines ×{lineRatio.ToString("0.00", CultureInfo.InvariantCulture)}; compile-only ×{(at200.CompileOnly / at100.CompileOnly).ToString("0.00", CultureInfo.InvariantCulture)}; rules' own logic ×{(at200.AllLogic / at100.AllLogic).ToString("0.00", CultureInfo.InvariantCulture)})",
                at200.AllCost / at100.AllCost,
                ScalingBudget,
                ScalingGuard,
                "×",
                v => v.ToString("0.00", CultureInfo.InvariantCulture));
        }
        else
        {
            text.AppendLine("- scaling 200k / 100k: not measured in this run (needs both sizes).");
        }

        // Growth between consecutive sizes, on allocations (deterministic, so a tight-enough guard cannot flake).
        var bySize = results.OrderBy(r => r.Subject.App.TotalLines).ToList();
        for (var i = 1; i < bySize.Count; i++)
        {
            var (small, large) = (bySize[i - 1], bySize[i]);
            var lineGrowth = (double)large.Subject.App.TotalLines / small.Subject.App.TotalLines;
            var pair = $"{small.Subject.Label} → {large.Subject.Label}, lines ×{lineGrowth.ToString("0.00", CultureInfo.InvariantCulture)}";
            static string Ratio(double v) => v.ToString("0.00", CultureInfo.InvariantCulture);
            if (!double.IsNaN(small.OwnMb) && !double.IsNaN(large.OwnMb) && small.OwnMb > 0)
            {
                var growth = large.OwnMb / small.OwnMb;
                Verdict(
                    $"[{pair}] PerfAnalyzers' allocations over compile-only grew ×{Ratio(growth)} ({F1(small.OwnMb)} → {F1(large.OwnMb)} MB); divided by the line growth",
                    growth / lineGrowth,
                    ScalingBudget / 2,
                    AllocationGrowthGuard,
                    "",
                    Ratio);
            }

            if (!double.IsNaN(small.IdeOwnMb) && !double.IsNaN(large.IdeOwnMb) && small.IdeOwnMb > 0)
            {
                var growth = large.IdeOwnMb / small.IdeOwnMb;
                Verdict(
                    $"[{pair}] IDE per-document allocations grew ×{Ratio(growth)} ({F1(small.IdeOwnMb)} → {F1(large.IdeOwnMb)} MB); growth beyond ×1 as a share of the line growth beyond ×1 (0 = independent of the solution's size)",
                    (growth - 1) / (lineGrowth - 1),
                    PerDocumentAllocationGrowthGuard,
                    PerDocumentAllocationGrowthGuard,
                    "",
                    Ratio);
            }
        }

        verdicts = text.ToString();
        return guardFailed;
    }
}
