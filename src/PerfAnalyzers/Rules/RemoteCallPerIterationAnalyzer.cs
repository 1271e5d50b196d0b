using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF008: an HTTP request or gRPC call (directly, or through methods of the compilation such as typed clients)
/// made once per loop iteration with the iteration's element in the request (N+1 API calls). Database round trips
/// are PERF001's; a site that is a database round trip is never reported here.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RemoteCallPerIterationAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "true" when the request is made through methods of the compilation.</summary>
    public const string InterproceduralProperty = "Interprocedural";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF008_RemoteCallPerIteration);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    private static void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var perf = PerfCompilationContext.For(context.Compilation);
        CodeBlocks.Register(context, perf, (body, tree) => RuleGates.RemoteCallPerIteration(body, perf.CallReach.Names(tree.CancellationToken)), block => AnalyzeBlock(block, perf));
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        if (facts.CreationsAndCalls.IsEmpty)
        {
            return;
        }

        HashSet<IOperation>? databaseSites = null;
        var loops = new List<LoopScope>();
        var inputs = new List<IOperation>();
        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is not IInvocationOperation invocation)
            {
                continue;
            }

            ReportMethodGroupArguments(context, perf, facts, invocation);
            loops.Clear();
            if (!LoopScope.TryGetEnclosingLoops(invocation, perf.Types, loops, out _) || loops.Count == 0)
            {
                continue;
            }

            var direct = NetworkCalls.IsDirectRemoteRequest(invocation);
            if (!direct && !IsRequestThroughCompilation(invocation, perf, context))
            {
                continue;
            }

            // A database round trip (also when a helper both queries and calls out) is PERF001's site.
            databaseSites ??= CollectDatabaseSites(facts);
            if (databaseSites.Contains(invocation))
            {
                continue;
            }

            inputs.Clear();
            CollectRequestInputs(invocation, direct, inputs);
            var loop = LoopVerdicts.FindPerElementRequestLoop(invocation, inputs, loops, facts);
            if (loop is null || IsRemoteLogging(invocation, perf, context))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(InterproceduralProperty, direct ? "false" : "true");
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.PERF008_RemoteCallPerIteration,
                invocation.Syntax.GetLocation(),
                properties,
                Describe(invocation, direct),
                loop.Description));
        }
    }

    /// <summary>
    /// <c>Task.WhenAll(skus.Select(FetchAsync))</c>: a method of the compilation that sends a request, handed as a
    /// method group to a per-element operator, runs once per element with the element as its argument.
    /// </summary>
    private static void ReportMethodGroupArguments(CodeBlockContext context, PerfCompilationContext perf, BlockFacts facts, IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.WalkDownConversions() is not IDelegateCreationOperation { Target: IMethodReferenceOperation reference } creation
                || reference.Method.Parameters.Length == 0
                || !IsRequestThroughCompilation(reference.Method, perf, context)
                || perf.RoundTrips.Summaries.GetSummary(reference.Method.ReducedFrom ?? reference.Method, context.CancellationToken).RoundTrip is not null
                || LoopScope.ForMethodGroup(creation, perf.Types) is not { } loop
                || LoopVerdicts.IsDesignedRequestRepetition(creation, loop, facts))
            {
                continue;
            }

            var properties = ImmutableDictionary<string, string?>.Empty.Add(InterproceduralProperty, "true");
            context.ReportDiagnostic(Diagnostic.Create(
                RuleDescriptors.PERF008_RemoteCallPerIteration,
                reference.Syntax.GetLocation(),
                properties,
                "'" + (reference.Method.ReducedFrom ?? reference.Method).ToMessageName(reference.Instance?.Type) + "' (sends an HTTP or gRPC request)",
                loop.Description));
        }
    }

    private static bool IsRequestThroughCompilation(IInvocationOperation invocation, PerfCompilationContext perf, CodeBlockContext context)
        => IsRequestThroughCompilation(invocation.TargetMethod, perf, context);

    private static bool IsRequestThroughCompilation(IMethodSymbol method, PerfCompilationContext perf, CodeBlockContext context)
    {
        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.ExplicitInterfaceImplementation))
        {
            return false;
        }

        var inCompilation = method.ContainingAssembly is ISourceAssemblySymbol || method.Locations.Length > 0 && method.Locations[0].IsInSource;
        return inCompilation && perf.NetworkCalls.HasVisibleImplementation(method.ReducedFrom ?? method)
            && perf.NetworkCalls.MakesRemoteRequest(method.ReducedFrom ?? method, context.CancellationToken);
    }

    /// <summary>Shipping log, audit or telemetry entries is PERF002's finding (queue them); one site, one rule.</summary>
    private static bool IsRemoteLogging(IInvocationOperation invocation, PerfCompilationContext perf, CodeBlockContext context)
    {
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(invocation.Syntax.SyntaxTree);
        return perf.RemoteLogging.IsRemoteLoggingCall(invocation, options, context.OwningSymbol as IMethodSymbol, context.CancellationToken);
    }

    private static HashSet<IOperation> CollectDatabaseSites(BlockFacts facts)
    {
        var sites = new HashSet<IOperation>();
        foreach (var roundTrip in facts.RoundTrips)
        {
            sites.Add(roundTrip.Operation);
        }

        return sites;
    }

    /// <summary>
    /// What the request carries: the arguments (not the client an extension method is called on, not a cancellation token).
    /// For a direct send the client itself is not an input (a different client per iteration is a different service);
    /// for a method of the compilation the receiver may be the element (<c>order.NotifyAsync()</c>).
    /// </summary>
    private static void CollectRequestInputs(IInvocationOperation invocation, bool direct, List<IOperation> inputs)
    {
        var method = invocation.TargetMethod;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter
                && (parameter.Ordinal == 0 && method.IsExtensionMethod && invocation.Instance is null
                    || parameter.Type is INamedTypeSymbol { Name: "CancellationToken" }))
            {
                continue;
            }

            inputs.Add(argument.Value);
        }

        if (!direct && invocation.Instance is { } instance && instance is not IInstanceReferenceOperation)
        {
            inputs.Add(instance);
        }
    }

    /// <summary>For messages: <c>'HttpClient.GetFromJsonAsync'</c>, or <c>'CatalogClient.GetProductAsync' (sends an HTTP or gRPC request)</c>.</summary>
    private static string Describe(IInvocationOperation invocation, bool direct)
    {
        var method = invocation.TargetMethod;
        if (direct)
        {
            var receiverType = invocation.Instance?.Type;
            if (receiverType is null && method.IsExtensionMethod && invocation.Arguments.Length > 0)
            {
                receiverType = invocation.Arguments[0].Value.WalkDownConversions()?.Type;
            }

            return "'" + (receiverType?.Name ?? method.ContainingType?.Name ?? "?") + "." + method.Name + "'";
        }

        return "'" + (method.ReducedFrom ?? method).ToMessageName(invocation.Instance?.Type) + "' (sends an HTTP or gRPC request)";
    }
}
