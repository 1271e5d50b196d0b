using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
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

        context.RegisterOperationBlockStartAction(blockContext =>
        {
            var block = new BlockAnalysis(perf, lazyLoading);
            blockContext.RegisterOperationAction(
                c => block.Flow.Record(c.Operation),
                OperationKind.VariableDeclarator,
                OperationKind.SimpleAssignment,
                OperationKind.CompoundAssignment,
                OperationKind.Increment,
                OperationKind.Decrement,
                OperationKind.DeconstructionAssignment,
                OperationKind.Argument,
                OperationKind.DeclarationPattern);
            blockContext.RegisterOperationAction(c => block.AddInvocation((IInvocationOperation)c.Operation), OperationKind.Invocation);
            blockContext.RegisterOperationAction(c => block.AddForEach(c.Operation as IForEachLoopOperation), OperationKind.Loop);
            if (lazyLoading is not null)
            {
                blockContext.RegisterOperationAction(c => block.AddPropertyRead((IPropertyReferenceOperation)c.Operation), OperationKind.PropertyReference);
            }

            blockContext.RegisterOperationBlockEndAction(block.Analyze);
        });
    }

    /// <summary>One operation block (method, accessor, lambda-bearing initializer): candidates collected in one pass, judged at the end.</summary>
    private sealed class BlockAnalysis
    {
        private readonly PerfCompilationContext _perf;
        private readonly LazyLoadingTracker? _lazyLoading;
        private readonly List<IOperation> _candidates = new();
        private readonly List<IPropertyReferenceOperation> _propertyReads = new();

        public BlockAnalysis(PerfCompilationContext perf, LazyLoadingTracker? lazyLoading)
        {
            _perf = perf;
            _lazyLoading = lazyLoading;
        }

        public LocalDataFlow Flow { get; } = new();

        public void AddInvocation(IInvocationOperation invocation)
        {
            Flow.Record(invocation);
            _candidates.Add(invocation);
        }

        public void AddForEach(IForEachLoopOperation? loop)
        {
            if (loop is not null)
            {
                _candidates.Add(loop);
            }
        }

        public void AddPropertyRead(IPropertyReferenceOperation read)
        {
            if (read.Property.IsVirtual && read.Instance is not null)
            {
                _propertyReads.Add(read);
            }
        }

        public void Analyze(OperationBlockAnalysisContext context)
        {
            var recognized = new List<RoundTrip>();
            foreach (var candidate in _candidates)
            {
                var roundTrip = candidate switch
                {
                    IInvocationOperation invocation => _perf.RoundTrips.Recognize(invocation, Flow, context.CancellationToken),
                    IForEachLoopOperation forEach => _perf.RoundTrips.RecognizeIteratedQuery(forEach, Flow),
                    _ => null,
                };

                if (roundTrip is not null)
                {
                    recognized.Add(roundTrip);
                }
            }

            var loops = new List<LoopScope>();
            foreach (var roundTrip in recognized)
            {
                loops.Clear();
                if (!LoopScope.TryGetEnclosingLoops(roundTrip.Operation, _perf.Types, loops, out _) || loops.Count == 0)
                {
                    continue;
                }

                var loop = FindIterationDependentLoop(roundTrip, loops, recognized);
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

            if (_lazyLoading is not null && _propertyReads.Count > 0)
            {
                _lazyLoading.Analyze(_propertyReads, Flow, context);
            }
        }

        /// <summary>The innermost enclosing loop whose iterations change what the round trip fetches or writes.</summary>
        private LoopScope? FindIterationDependentLoop(RoundTrip roundTrip, List<LoopScope> loops, List<RoundTrip> allInBlock)
        {
            foreach (var loop in loops)
            {
                if (LoopShapes.IsPagingLoop(roundTrip, loop)
                    || LoopShapes.IsBatchLoop(loop)
                    || LoopShapes.IsRetryLoop(roundTrip.Operation, loop)
                    || LoopShapes.RunsAtMostOnce(loop))
                {
                    // The loop's own shape is the design; an outer loop may still make it N+1.
                    continue;
                }

                if (IsSaveChanges(roundTrip))
                {
                    // SaveChanges carries the iteration's tracked changes, whatever its arguments.
                    if (LoopShapes.IsUnderPeriodicCondition(roundTrip.Operation, loop) || LoopPagesItsInput(loop, allInBlock))
                    {
                        return null;
                    }

                    return loop;
                }

                if (Flow.IsVarying(roundTrip.Operation, loop))
                {
                    return loop;
                }
            }

            return null;
        }

        private static bool IsSaveChanges(RoundTrip roundTrip)
            => roundTrip.Kind == RoundTripKind.Write && !roundTrip.IsInterprocedural && roundTrip.Library == DataAccessLibrary.EfCore
               && roundTrip.Operation is IInvocationOperation { TargetMethod.Name: "SaveChanges" or "SaveChangesAsync" };

        /// <summary>A while/for loop that fetches its input page by page: one save per page is batching.</summary>
        private static bool LoopPagesItsInput(LoopScope loop, List<RoundTrip> allInBlock)
        {
            if (!loop.IsCountedOrConditional)
            {
                return false;
            }

            foreach (var other in allInBlock)
            {
                if (other.IsPaged && loop.ContainsPerIteration(other.Operation.Syntax))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
