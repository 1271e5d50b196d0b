using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF001: a database round trip executed once per loop iteration or per element, where what it
/// fetches or writes depends on the iteration (N+1). Loop-invariant repeats belong to PERF004.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class NPlusOneAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: the round trip's library (EfCore, Dapper, AdoNet), for code fixes.</summary>
    public const string LibraryProperty = "Library";

    /// <summary>Diagnostic property: "true" when the round trip is reached through methods of the compilation.</summary>
    public const string InterproceduralProperty = "Interprocedural";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF001_RoundTripPerIteration);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var perf = PerfCompilationContext.For(context.Compilation);
        if (!perf.Types.HasAnyDataAccess)
        {
            return;
        }

        var lazyLoading = perf.Types.ProxiesExtensions is not null ? new LazyLoadingTracker(perf, context.Compilation) : null;
        CodeBlocks.Register(context, perf, (body, tree) => RuleGates.RoundTripPerIteration(body, lazyLoading?.IsEnabled == true, perf.CallReach.Names(tree.CancellationToken)), block => AnalyzeBlock(block, perf, lazyLoading));
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf, LazyLoadingTracker? lazyLoading)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        var loops = new List<LoopScope>();
        foreach (var roundTrip in facts.RoundTrips)
        {
            loops.Clear();
            if (!LoopScope.TryGetEnclosingLoops(roundTrip.Operation, perf.Types, loops, out _) || loops.Count == 0)
            {
                continue;
            }

            var loop = LoopVerdicts.FindIterationDependentLoop(roundTrip, loops, facts);
            if (loop is null)
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty
                .Add(LibraryProperty, roundTrip.Library.ToString())
                .Add(InterproceduralProperty, roundTrip.IsInterprocedural ? "true" : "false");
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.PERF001_RoundTripPerIteration,
                roundTrip.Operation.Syntax.GetLocation(),
                properties,
                roundTrip.Describe(),
                loop.Description));
        }

        if (lazyLoading is not null && facts.VirtualPropertyReads.Length > 0)
        {
            lazyLoading.Analyze(facts.VirtualPropertyReads, facts.Flow, context);
        }
    }
}
