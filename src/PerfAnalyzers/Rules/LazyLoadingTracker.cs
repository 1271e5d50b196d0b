using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF001 for lazy loading: a virtual navigation read per element of a query that did not Include it,
/// in a compilation that turns on lazy-loading proxies. Whether proxies are on is a whole-compilation
/// fact, so candidates are collected per block and reported at compilation end.
/// </summary>
internal sealed class LazyLoadingTracker
{
    // Trees are immutable and reused across the IDE's compilation versions: each is scanned once, ever.
    private static readonly ConditionalWeakTable<SyntaxTree, object> TreeMentionsLazyLoading = new();
    private static readonly object Yes = new();
    private static readonly object No = new();

    private readonly PerfCompilationContext _perf;
    private readonly Lazy<bool> _enabled;

    public LazyLoadingTracker(PerfCompilationContext perf, Compilation compilation)
    {
        _perf = perf;
        _enabled = new Lazy<bool>(() => compilation.SyntaxTrees.Any(MentionsLazyLoadingProxies), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>Does some tree of the compilation turn lazy-loading proxies on?</summary>
    public bool IsEnabled => _enabled.Value;

    /// <summary>
    /// Lazy loading is on when some tree calls <c>UseLazyLoadingProxies</c> (the Proxies package being referenced
    /// is already established by the caller). A text probe per tree, cached per tree, instead of a
    /// compilation-end pass, so the diagnostic shows live in the IDE.
    /// </summary>
    private static bool MentionsLazyLoadingProxies(SyntaxTree tree)
        => TreeMentionsLazyLoading.GetValue(tree, static t => t.GetText().ToString().IndexOf("UseLazyLoadingProxies", StringComparison.Ordinal) >= 0 ? Yes : No) == Yes;

    public void Analyze(System.Collections.Immutable.ImmutableArray<IPropertyReferenceOperation> reads, LocalDataFlow flow, CodeBlockContext context)
    {
        var seen = new HashSet<(IOperation Loop, IPropertySymbol Property)>();
        var loops = new List<LoopScope>();
        foreach (var read in reads)
        {
            context.CancellationToken.ThrowIfCancellationRequested();
            if (!IsNavigation(read.Property) || read.Instance.WalkDownConversions() is not { } instance)
            {
                continue;
            }

            var element = instance switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (element is null)
            {
                continue;
            }

            loops.Clear();
            if (!LoopScope.TryGetEnclosingLoops(read, _perf.Types, loops, out _))
            {
                continue;
            }

            foreach (var loop in loops)
            {
                if (!loop.IsIterationSymbol(element))
                {
                    continue;
                }

                var query = _perf.RoundTrips.FindMaterializedQuery(loop.IteratedCollection, flow)
                    ?? FindQueryThroughOuterNavigation(loop, loops, flow);
                if (query is not null
                    && !RoundTripRecognizer.QueryIncludes(query, flow, read.Property.Name)
                    && seen.Add((loop.Operation, read.Property))
                    && _enabled.Value)
                {
                    var target = "'" + read.Property.ContainingType.Name + "." + read.Property.Name + "' (a lazy-loaded navigation the query did not Include)";
                    context.ReportDiagnostic(Diagnostic.Create(RuleDescriptors.PERF001_RoundTripPerIteration, read.Syntax.GetLocation(), target, loop.Description));
                }

                break;
            }
        }
    }

    /// <summary>
    /// <c>foreach (var book in author.Books)</c> inside <c>foreach (var author in authors)</c>: the elements come from
    /// a navigation the outer query loaded, so that query's Include/ThenInclude chain decides.
    /// </summary>
    private IOperation? FindQueryThroughOuterNavigation(LoopScope loop, List<LoopScope> loops, LocalDataFlow flow)
    {
        if (loop.IteratedCollection.WalkDownConversions() is not IPropertyReferenceOperation { Instance: { } owner } navigation)
        {
            return null;
        }

        var ownerSymbol = owner.WalkDownConversions() switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };

        foreach (var outer in loops)
        {
            if (outer != loop && ownerSymbol is not null && outer.IsIterationSymbol(ownerSymbol))
            {
                var query = _perf.RoundTrips.FindMaterializedQuery(outer.IteratedCollection, flow);
                return query is not null && RoundTripRecognizer.QueryIncludes(query, flow, navigation.Property.Name) ? query : null;
            }
        }

        return null;
    }

    /// <summary>A virtual property whose type is another class or a collection of one: what a lazy-loading proxy intercepts.</summary>
    private static bool IsNavigation(IPropertySymbol property)
    {
        if (!property.IsVirtual || property.IsStatic || property.Parameters.Length > 0)
        {
            return false;
        }

        var type = property.Type;
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic
            && (generic.TypeKind == TypeKind.Interface || generic.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable)))
        {
            type = generic.TypeArguments[0];
        }

        return type.TypeKind == TypeKind.Class && type.SpecialType == SpecialType.None && type.Name != "String" && type.Locations.Any(l => l.IsInSource);
    }
}
