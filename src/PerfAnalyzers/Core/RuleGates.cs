using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfAnalyzers.Core;

/// <summary>
/// Each rule's syntax gate (see <see cref="CodeBlocks"/>): can a code block with this syntax hold the rule's finding?
/// A gate must never say no to a block the rule would report in; it may say yes to blocks the rule then clears.
/// </summary>
internal static class RuleGates
{
    /// <summary>PERF001: a per-element round trip needs a loop or a lambda run per element that calls something; a lazy-loading read needs no call.</summary>
    public static bool RoundTripPerIteration(BodySyntax body, bool lazyLoading)
        => body.HasLoop || body.HasCallingLambda || (lazyLoading && body.HasLambda);

    /// <summary>PERF002: see <see cref="RemoteLogging.MayWaitOnRemoteLogging"/>.</summary>
    public static bool AwaitedRemoteLogging(BodySyntax body, PerfCompilationContext perf, AnalyzerConfigOptions options, Compilation compilation)
        => perf.RemoteLogging.MayWaitOnRemoteLogging(body, options, compilation);

    /// <summary>PERF003: see <see cref="PooledResources.MayCreate"/>.</summary>
    public static bool PooledResourcePerRequest(BodySyntax body, PerfCompilationContext perf)
        => PooledResources.MayCreate(body, perf);

    /// <summary>PERF004: a repeat needs the same call twice, or a call in a loop or a per-element lambda.</summary>
    public static bool RepeatedLookup(BodySyntax body)
        => body.HasRepeatedCall || body.HasLoop || body.HasCallingLambda;

    /// <summary>PERF005: one of the cache writes the rule knows.</summary>
    public static bool CacheEntryWithoutExpiration(BodySyntax body)
        => body.InvokesAny(CacheExpiration.WriteMethodNames);

    /// <summary>PERF006: a filtering operator, or a query expression (its where clause).</summary>
    public static bool MissingIndex(BodySyntax body)
        => body.HasQueryExpression || body.InvokesAny(UnindexedFilters.FilterMethodNames);

    /// <summary>PERF007: a materializing operator.</summary>
    public static bool FilterAfterMaterialization(BodySyntax body)
        => body.InvokesAny(MaterializedQueries.MaterializerNames);

    /// <summary>
    /// PERF008: a loop or a per-element lambda that calls something, or a fan-out whose per-element work is a method
    /// group (<c>Task.WhenAll(skus.Select(FetchAsync))</c>).
    /// </summary>
    public static bool RemoteCallPerIteration(BodySyntax body)
        => body.HasLoop || body.HasCallingLambda || body.InvokesAny(FanOutMethodNames);

    private static readonly System.Collections.Immutable.ImmutableHashSet<string> FanOutMethodNames =
        System.Collections.Immutable.ImmutableHashSet.Create(System.StringComparer.Ordinal, "WhenAll");
}
