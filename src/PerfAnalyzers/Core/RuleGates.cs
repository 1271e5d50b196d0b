using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfAnalyzers.Core;

/// <summary>
/// Each rule's syntax gate (see <see cref="CodeBlocks"/>): can a code block with this syntax hold the rule's finding?
/// A gate must never say no to a block the rule would report in; it may say yes to blocks the rule then clears.
/// </summary>
internal static class RuleGates
{
    /// <summary>
    /// PERF001: a per-element round trip needs a loop or a lambda run per element that calls something that can reach a
    /// round trip (<see cref="CallReach"/>), or iterates a query there; a lazy-loading read needs no call.
    /// </summary>
    public static bool RoundTripPerIteration(BodySyntax body, bool lazyLoading, ReachableNames? reach)
        => lazyLoading
            ? body.HasLoop || body.HasLambda
            : RunsPerElement(body) && MayRoundTripPerElement(body, reach);

    /// <summary>PERF002: see <see cref="RemoteLogging.MayWaitOnRemoteLogging"/>.</summary>
    public static bool AwaitedRemoteLogging(BodySyntax body, PerfCompilationContext perf, AnalyzerConfigOptionsProvider options, SyntaxTree tree, Compilation compilation)
        => perf.RemoteLogging.MayWaitOnRemoteLogging(body, options, tree, compilation);

    /// <summary>PERF003: see <see cref="PooledResources.MayCreate"/>.</summary>
    public static bool PooledResourcePerRequest(BodySyntax body, PerfCompilationContext perf)
        => PooledResources.MayCreate(body, perf);

    /// <summary>PERF004: a repeat needs two calls that can reach a round trip, or one in a loop or a per-element lambda.</summary>
    public static bool RepeatedLookup(BodySyntax body, ReachableNames? reach)
        => body.HasRepeatedCall && (reach is null || body.InvokesTwiceAny(reach.MayRoundTrip))
            || RunsPerElement(body) && MayRoundTripPerElement(body, reach);

    /// <summary>A loop, a lambda that calls something, or a query expression (its clauses run per element).</summary>
    private static bool RunsPerElement(BodySyntax body) => body.HasLoop || body.HasCallingLambda || body.HasQueryExpression;

    private static bool MayRoundTripPerElement(BodySyntax body, ReachableNames? reach)
        => reach is null || body.HasNestedForEach || body.RepeatedInvokesAny(reach.MayRoundTrip);

    /// <summary>PERF005: one of the cache writes the rule knows.</summary>
    public static bool CacheEntryWithoutExpiration(BodySyntax body)
        => body.InvokesAny(CacheWriteNames);

    /// <summary>
    /// PERF006: a filtering operator, or a query expression (its where clause), and a predicate that tests a column some
    /// entity has no index leading with (<see cref="EfIndexModel.UnindexedColumnNames"/>).
    /// </summary>
    public static bool MissingIndex(BodySyntax body, Compilation compilation, CancellationToken cancellationToken)
        => (body.HasQueryExpression || body.InvokesAny(FilterNames)) && body.TestsAnyColumn(EfIndexModel.Get(compilation, cancellationToken).UnindexedColumnNames);

    /// <summary>PERF007: a filtering, sorting, paging or aggregating operator applied to a materialized result.</summary>
    public static bool FilterAfterMaterialization(BodySyntax body)
        => body.HasOperatorAfterMaterializer;

    /// <summary>
    /// PERF008: a loop or a per-element lambda that calls something that can reach a request, or a fan-out whose
    /// per-element work is such a method group (<c>Task.WhenAll(skus.Select(FetchAsync))</c>).
    /// </summary>
    public static bool RemoteCallPerIteration(BodySyntax body, ReachableNames? reach)
        => (RunsPerElement(body) || body.InvokesAny(FanOutMethodNames))
            && (reach is null || body.RepeatedInvokesAny(reach.MayRequest) || body.HandsOverAny(reach.MayRequest));

    private static readonly HashSet<string> FanOutMethodNames = new(System.StringComparer.Ordinal) { "WhenAll" };

    // Asked of every block: HashSet, not ImmutableHashSet (whose lookups walk a tree).
    private static readonly HashSet<string> CacheWriteNames = new(CacheExpiration.WriteMethodNames, System.StringComparer.Ordinal);
    private static readonly HashSet<string> FilterNames = new(UnindexedFilters.FilterMethodNames, System.StringComparer.Ordinal);
}
