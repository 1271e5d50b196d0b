using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF003: an object that owns sockets or a connection pool created per request (in a handler, live; in a method a
/// handler reaches, at compilation end) or per loop iteration anywhere.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PooledResourcePerRequestAnalyzer : DiagnosticAnalyzer
{
    public const string KindProperty = "Kind";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF003_PooledResourcePerRequest, RuleDescriptors.PERF003_PooledResourceOnRequestPath);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var perf = PerfCompilationContext.For(context.Compilation);
        var types = perf.Types;
        if (types.HttpClient is null && types.ConnectionMultiplexer is null && types.NpgsqlDataSource is null && types.DbConnection is null && types.DbContext is null)
        {
            return;
        }

        var deferred = new ConcurrentBag<(IOperation Site, IMethodSymbol Function, ISymbol Owner, PooledResourceKind Kind, string Description)>();
        context.RegisterOperationBlockAction(block => AnalyzeBlock(block, perf, deferred));
        if (perf.RequestPaths.HasAspNetCore)
        {
            context.RegisterCompilationEndAction(end => ReportReached(end, perf, deferred));
        }
    }

    private static void AnalyzeBlock(OperationBlockAnalysisContext context, PerfCompilationContext perf, ConcurrentBag<(IOperation, IMethodSymbol, ISymbol, PooledResourceKind, string)> deferred)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        var loops = new List<LoopScope>();
        foreach (var site in facts.CreationsAndCalls)
        {
            var kind = PooledResources.Classify(site, perf.Types, facts.Flow, out var description);
            if (kind == PooledResourceKind.None)
            {
                continue;
            }

            // A loop creates one per iteration wherever it is, startup code included.
            loops.Clear();
            LoopScope.TryGetEnclosingLoops(site, perf.Types, loops, out _);
            if (loops.Count > 0 && kind is not (PooledResourceKind.DbContext or PooledResourceKind.ConnectionWithPerRequestString)
                && !LoopShapes.RunsAtMostOnce(loops[0]))
            {
                Report(context.ReportDiagnostic, RuleDescriptors.PERF003_PooledResourcePerRequest, site, kind, description, "on every iteration of " + loops[0].Description);
                continue;
            }

            if (ApplicationLifetime.RunsOnce(site, context.OwningSymbol, perf.Types, perf.RequestPaths))
            {
                continue;
            }

            var function = RequestPathGraph.FunctionOf(site, context.OwningSymbol);
            if (function is null)
            {
                // An instance field initializer of a controller/page/hub runs per request, like its constructor.
                if (context.OwningSymbol is IFieldSymbol or IPropertySymbol && !context.OwningSymbol.IsStatic
                    && context.OwningSymbol.ContainingType?.InstanceConstructors.FirstOrDefault() is { } constructor
                    && perf.RequestPaths.DescribeEntry(constructor) is { } typeEntry)
                {
                    Report(context.ReportDiagnostic, RuleDescriptors.PERF003_PooledResourcePerRequest, site, kind, description, "in the request handler '" + typeEntry + "'");
                }

                continue;
            }

            var where = perf.RequestPaths.DescribeEntry(function) is { } entry
                ? "in the request handler " + Quote(entry)
                : perf.RequestPaths.GetEnclosingMinimalApiHandlerLine(site) is { } lambdaLine ? "in the minimal API handler at line " + lambdaLine.ToString(System.Globalization.CultureInfo.InvariantCulture) : null;
            if (where is not null)
            {
                Report(context.ReportDiagnostic, RuleDescriptors.PERF003_PooledResourcePerRequest, site, kind, description, where);
            }
            else if (kind != PooledResourceKind.ConnectionWithPerRequestString || ReadsHttpContext(site))
            {
                deferred.Add((site, function, context.OwningSymbol, kind, description));
            }
        }
    }

    private static void ReportReached(CompilationAnalysisContext context, PerfCompilationContext perf, ConcurrentBag<(IOperation Site, IMethodSymbol Function, ISymbol Owner, PooledResourceKind Kind, string Description)> deferred)
    {
        if (deferred.IsEmpty)
        {
            return;
        }

        var reached = perf.RequestGraph.GetReachedMethods(context.CancellationToken);
        foreach (var candidate in deferred.OrderBy(c => c.Site.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(c => c.Site.Syntax.SpanStart))
        {
            var function = candidate.Function.OriginalDefinition;
            if (function.MethodKind == MethodKind.Constructor && function.ContainingType is { } type && perf.RequestGraph.IsRegisteredAsSingleton(type))
            {
                continue;
            }

            if (function.ContainingType is { } containing && perf.RequestPaths.IsBackgroundType(containing))
            {
                continue;
            }

            if (reached.TryGetValue(function, out var entry))
            {
                Report(context.ReportDiagnostic, RuleDescriptors.PERF003_PooledResourceOnRequestPath, candidate.Site, candidate.Kind, candidate.Description, "on the request path from " + Quote(entry));
            }
        }
    }

    private static bool ReadsHttpContext(IOperation site)
        => site.Descendants().Any(o => o.Type?.Name is "HttpContext" or "HttpRequest");

    private static string Quote(string entry) => entry.StartsWith("the ", System.StringComparison.Ordinal) ? entry : "'" + entry + "'";

    private static void Report(System.Action<Diagnostic> report, DiagnosticDescriptor descriptor, IOperation site, PooledResourceKind kind, string description, string where)
        => report(Diagnostic.Create(descriptor, site.Syntax.GetLocation(), ImmutableDictionary<string, string?>.Empty.Add(KindProperty, kind.ToString()), description, where));
}
