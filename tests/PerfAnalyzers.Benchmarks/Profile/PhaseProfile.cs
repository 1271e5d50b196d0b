using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Benchmarks.Subject;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Benchmarks.Profile;

/// <summary>
/// <c>--profile</c>: where PerfAnalyzers' own time goes, by phase of the shared core, with Stopwatch (no profiler
/// needed). A probe analyzer runs under the real driver and repeats, phase by phase and timed, what
/// <see cref="BlockFacts"/> and the compilation-end actions do (internals are visible to this assembly). The rule
/// verdicts on top of the facts are cheap and not split out. <c>--prewarm</c> first fills the implementation cache
/// for every interface/virtual method, separating that search from the interprocedural summaries.
/// </summary>
public static class PhaseProfile
{
    public static int Run(IReadOnlyList<int> sizes, bool prewarm)
    {
        foreach (var size in sizes)
        {
            var subject = BenchmarkSubject.Get(size);
            var probe = ImmutableArray.Create<DiagnosticAnalyzer>(new PhaseProbeAnalyzer(prewarm));
            AnalysisRunner.AnalyzeCompilation(subject, probe); // warm-up
            PhaseProbeAnalyzer.Phases.Clear();
            var cpu = Environment.CpuUsage.TotalTime;
            var wall = Stopwatch.StartNew();
            AnalysisRunner.AnalyzeCompilation(subject, probe);
            Console.WriteLine($"## {subject.Label} ({subject.App.TotalLines:N0} lines): whole run {wall.Elapsed.TotalMilliseconds:N0} ms wall, {(Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds:N0} ms cpu (compiler + driver + probe)");
            Console.WriteLine();
            Console.WriteLine("| phase | wall ms | cpu ms | count |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, (time, phaseCpu, count)) in PhaseProbeAnalyzer.Phases.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"| {name} | {time.TotalMilliseconds:N1} | {phaseCpu.TotalMilliseconds:N1} | {count:N0} |");
            }

            Console.WriteLine();

            // The IDE case: the edited document only, on a fresh compilation (no compilation-end actions).
            AnalysisRunner.IdeDocumentAnalyze(subject, probe);
            PhaseProbeAnalyzer.Phases.Clear();
            cpu = Environment.CpuUsage.TotalTime;
            wall.Restart();
            AnalysisRunner.IdeDocumentAnalyze(subject, probe);
            Console.WriteLine($"## {subject.Label}, IDE document after an edit: {wall.Elapsed.TotalMilliseconds:N0} ms wall, {(Environment.CpuUsage.TotalTime - cpu).TotalMilliseconds:N0} ms cpu (binding the document + probe)");
            Console.WriteLine();
            Console.WriteLine("| phase | wall ms | cpu ms | count |");
            Console.WriteLine("|---|---:|---:|---:|");
            foreach (var (name, (time, phaseCpu, count)) in PhaseProbeAnalyzer.Phases.OrderBy(p => p.Key, StringComparer.Ordinal))
            {
                Console.WriteLine($"| {name} | {time.TotalMilliseconds:N1} | {phaseCpu.TotalMilliseconds:N1} | {count:N0} |");
            }

            Console.WriteLine();
        }

        return 0;
    }
}

#pragma warning disable RS1001, RS1026, RS1036, RS1038, RS1041, RS2008 // Benchmark-only probe, never shipped (runs single-threaded).
[DiagnosticAnalyzer(LanguageNames.CSharp)]
internal sealed class PhaseProbeAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Descriptor = new("BENCH002", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Hidden, isEnabledByDefault: true);

    private readonly bool _prewarm;

    public PhaseProbeAnalyzer(bool prewarm) => _prewarm = prewarm;

    /// <summary>
    /// Phase → accumulated wall time, process CPU time and item count (single-threaded: concurrentAnalysis is off, so
    /// process CPU is this thread's plus the GC's; on a loaded machine wall time includes waiting for a core, CPU does not).
    /// </summary>
    public static Dictionary<string, (TimeSpan Time, TimeSpan Cpu, long Count)> Phases { get; } = new();

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptor);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(start =>
        {
            var perf = Time("0a PerfCompilationContext.For", () => PerfCompilationContext.For(start.Compilation));
            if (start.Compilation.GetTypeByMetadataName("Contoso.Shared.Integrations.IAuditLog")?.GetMembers().OfType<IMethodSymbol>().FirstOrDefault() is { } first)
            {
                Time("0b first GetImplementations (subtype index: per-tree base-list names, then binds the candidates)", () => perf.RoundTrips.Summaries.GetImplementations(first));
            }

            if (_prewarm)
            {
                var methods = AllInterfaceOrVirtualMethods(start.Compilation);
                Time("0c prewarm GetImplementations for every interface/virtual method", () => methods.ForEach(m => perf.RoundTrips.Summaries.GetImplementations(m)), methods.Count);
            }

            // The request-path graph has no compilation-end pass any more: it is searched backwards on demand, inside the rules.
            start.RegisterOperationBlockAction(block => Block(block, perf));
        });
    }

    private static void Block(OperationBlockAnalysisContext context, PerfCompilationContext perf)
    {
        var blocks = context.OperationBlocks;
        if (blocks.IsDefaultOrEmpty)
        {
            return;
        }

        var flow = new LocalDataFlow();
        var candidates = new List<IOperation>();
        Time("1 walk operations + LocalDataFlow.Record", () =>
        {
            foreach (var block in blocks)
            {
                foreach (var operation in block.DescendantsAndSelf())
                {
                    flow.Record(operation);
                    if (operation is IInvocationOperation or IForEachLoopOperation)
                    {
                        candidates.Add(operation);
                    }
                }
            }
        });

        var viaSummaries = new List<IInvocationOperation>();
        Time("2 round trips: direct recognition", () =>
        {
            foreach (var candidate in candidates)
            {
                var direct = candidate switch
                {
                    IInvocationOperation invocation => perf.RoundTrips.RecognizeDirect(invocation, flow),
                    IForEachLoopOperation loop => perf.RoundTrips.RecognizeIteratedQuery(loop, flow),
                    _ => null,
                };
                if (direct is null && candidate is IInvocationOperation call)
                {
                    viaSummaries.Add(call);
                }
            }
        }, candidates.Count);
        Time("3 round trips: interprocedural summaries (incl. implementation search)", () => viaSummaries.ForEach(call => perf.RoundTrips.Summaries.RecognizeCall(call, context.CancellationToken)), viaSummaries.Count);
        Time("4 BodySyntax (syntax only; the request-path index is built from it at the first compilation-end question)", () =>
        {
            foreach (var reference in context.OwningSymbol.DeclaringSyntaxReferences)
            {
                perf.BodySyntaxOf(reference.GetSyntax(context.CancellationToken));
            }
        });

        Time("5 BlockFacts.Get again (everything above, caches warm)", () => BlockFacts.Get(perf, blocks, context.OwningSymbol, context.CancellationToken));
    }

    private static List<IMethodSymbol> AllInterfaceOrVirtualMethods(Compilation compilation)
    {
        var methods = new List<IMethodSymbol>();
        var stack = new Stack<INamespaceOrTypeSymbol>();
        stack.Push(compilation.Assembly.GlobalNamespace);
        while (stack.Count > 0)
        {
            foreach (var member in stack.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container)
                {
                    stack.Push(container);
                }
                else if (member is IMethodSymbol method && (method.ContainingType.TypeKind == TypeKind.Interface || method.IsVirtual || method.IsAbstract || method.IsOverride))
                {
                    methods.Add(method.OriginalDefinition);
                }
            }
        }

        return methods;
    }

    private static T Time<T>(string phase, Func<T> action, long count = 1)
    {
        var stopwatch = Stopwatch.StartNew();
        var cpuBefore = Environment.CpuUsage.TotalTime;
        var result = action();
        var cpu = Environment.CpuUsage.TotalTime - cpuBefore;
        stopwatch.Stop();
        Phases[phase] = Phases.TryGetValue(phase, out var total)
            ? (total.Time + stopwatch.Elapsed, total.Cpu + cpu, total.Count + count)
            : (stopwatch.Elapsed, cpu, count);
        return result;
    }

    private static void Time(string phase, Action action, long count = 1) => Time(phase, () => { action(); return 0; }, count);
}
#pragma warning restore RS1001, RS1026, RS1036, RS1038, RS1041, RS2008
