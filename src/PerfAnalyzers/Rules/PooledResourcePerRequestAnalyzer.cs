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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
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
        var contextRegistrations = new ConcurrentBag<IInvocationOperation>();
        CodeBlocks.Register(context, perf, (body, _) => RuleGates.PooledResourcePerRequest(body, perf), block => AnalyzeBlock(block, perf, deferred, contextRegistrations));
        if (perf.RequestPaths.HasAspNetCore)
        {
            context.RegisterCompilationEndAction(end =>
            {
                ReportReached(end, perf, deferred);
                ReportPoolableContexts(end, perf, contextRegistrations);
            });
        }
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf, ConcurrentBag<(IOperation, IMethodSymbol, ISymbol, PooledResourceKind, string)> deferred, ConcurrentBag<IInvocationOperation> contextRegistrations)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        var loops = new List<LoopScope>();
        foreach (var site in facts.CreationsAndCalls)
        {
            if (site is IInvocationOperation { TargetMethod: { Name: "AddDbContext", TypeArguments.Length: > 0 } } registration
                && registration.TargetMethod.TypeArguments[registration.TargetMethod.TypeArguments.Length - 1].InheritsFromOrEquals(perf.Types.DbContext))
            {
                contextRegistrations.Add(registration);
                continue;
            }

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

    /// <summary>
    /// <c>AddDbContext&lt;T&gt;</c> where <c>AddDbContextPool&lt;T&gt;</c> would do: T is used on a request path, its constructor takes
    /// only its options, and it keeps no per-request state of its own that pooling would leak into the next request.
    /// </summary>
    private static void ReportPoolableContexts(CompilationAnalysisContext context, PerfCompilationContext perf, ConcurrentBag<IInvocationOperation> registrations)
    {
        if (registrations.IsEmpty)
        {
            return;
        }

        foreach (var registration in registrations.OrderBy(r => r.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(r => r.Syntax.SpanStart))
        {
            var contextType = registration.TargetMethod.TypeArguments[registration.TargetMethod.TypeArguments.Length - 1];
            if (contextType is not INamedTypeSymbol named || !named.Locations.Any(l => l.IsInSource) || !TakesOnlyOptions(named) || HasOwnState(named, perf)
                || !perf.RequestGraph.IsReceivedOnRequestPath(named, context.CancellationToken))
            {
                continue;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.PERF003_PooledResourceOnRequestPath,
                registration.Syntax.GetLocation(),
                DiagnosticSeverity.Info,
                additionalLocations: null,
                ImmutableDictionary<string, string?>.Empty.Add(KindProperty, "DbContextPooling"),
                "'" + named.Name + "'",
                "anew for every request through AddDbContext (AddDbContextPool<" + named.Name + "> reuses instances)"));
        }
    }

    private static bool TakesOnlyOptions(INamedTypeSymbol type)
        => type.InstanceConstructors.Where(c => c.DeclaredAccessibility == Accessibility.Public).All(c => c.Parameters.Length == 1 && c.Parameters[0].Type.Name == "DbContextOptions");

    /// <summary>Instance fields or settable non-DbSet properties: state a pooled instance would carry into the next request.</summary>
    private static bool HasOwnState(INamedTypeSymbol type, PerfCompilationContext perf)
    {
        foreach (var member in type.GetMembers())
        {
            switch (member)
            {
                case IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false }:
                    return true;
                case IFieldSymbol { IsStatic: false, AssociatedSymbol: IPropertySymbol property } when !property.Type.InheritsFromOrEquals(perf.Types.DbSet):
                    return true;
            }
        }

        return false;
    }

    private static void ReportReached(CompilationAnalysisContext context, PerfCompilationContext perf, ConcurrentBag<(IOperation Site, IMethodSymbol Function, ISymbol Owner, PooledResourceKind Kind, string Description)> deferred)
    {
        if (deferred.IsEmpty)
        {
            return;
        }

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

            if (perf.RequestGraph.EntryReaching(candidate.Site, candidate.Function, context.CancellationToken) is { } entry)
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
