using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF002: a request path waits (await, Wait(), Result, GetAwaiter().GetResult()) on a network call that ships
/// log, audit or telemetry data. Live when the wait is in a handler; through the request-path call graph at
/// compilation end when it is in a method a handler reaches (reported at the awaited call, naming the entry point).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class AwaitedRemoteLoggingAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF002_AwaitedRemoteLogging, RuleDescriptors.PERF002_AwaitedRemoteLoggingOnRequestPath);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var perf = PerfCompilationContext.For(start.Compilation);
            if (!perf.RequestPaths.HasAspNetCore)
            {
                return;
            }

            var deferred = new ConcurrentBag<(IOperation Wait, IMethodSymbol Function, string Call)>();
            CodeBlocks.Register(
                start,
                perf,
                (body, tree) => RuleGates.AwaitedRemoteLogging(body, perf, tree.Options.AnalyzerConfigOptionsProvider, tree.SemanticModel.SyntaxTree, tree.SemanticModel.Compilation),
                block => AnalyzeBlock(block, perf, deferred));
            start.RegisterCompilationEndAction(end => ReportReached(end, perf, deferred));
        });
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf, ConcurrentBag<(IOperation, IMethodSymbol, string)> deferred)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        if (facts.Waits.IsEmpty || context.OwningSymbol.ContainingType is { } owningType && perf.RequestPaths.IsBackgroundType(owningType))
        {
            return;
        }

        var tree = context.OperationBlocks[0].Syntax.SyntaxTree;
        var options = context.Options.AnalyzerConfigOptionsProvider.GetOptions(tree);
        foreach (var wait in facts.Waits)
        {
            var function = RequestPathGraph.FunctionOf(wait, context.OwningSymbol);
            if (function is null || RemoteLogging.GetWaitedInvocation(wait) is not { } call || !perf.RemoteLogging.IsRemoteLoggingCall(call, options, function, context.CancellationToken)
                || IsInHandedOffLambda(wait, perf, context.CancellationToken)
                || perf.RemoteLogging.WaitsOnRemoteLoggingInside(call.TargetMethod, context.Options.AnalyzerConfigOptionsProvider, context.CancellationToken))
            {
                continue;
            }

            var callName = "'" + call.TargetMethod.ToMessageName() + "'";

            var where = perf.RequestPaths.DescribeEntry(function) is { } entry ? "in the request handler '" + entry + "'"
                : perf.RequestPaths.GetEnclosingMinimalApiHandlerLine(wait) is { } line ? "in the minimal API handler at line " + line.ToString(System.Globalization.CultureInfo.InvariantCulture)
                : null;
            if (where is not null)
            {
                context.ReportDiagnostic(Diagnostic.Create(RuleDescriptors.PERF002_AwaitedRemoteLogging, call.Syntax.GetLocation(), callName, where));
            }
            else
            {
                deferred.Add((wait, function, callName));
            }
        }
    }

    /// <summary>A wait inside an async lambda that is queued or fired and forgotten does not delay the request.</summary>
    private static bool IsInHandedOffLambda(IOperation wait, PerfCompilationContext perf, System.Threading.CancellationToken cancellationToken)
    {
        for (var current = wait.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                if (perf.RequestPaths.IsMinimalApiHandler(lambda))
                {
                    return false;
                }

                if (HandedOffDelegates.IsHandedOff(lambda, perf.RoundTrips.Summaries, cancellationToken))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static void ReportReached(CompilationAnalysisContext context, PerfCompilationContext perf, ConcurrentBag<(IOperation Wait, IMethodSymbol Function, string Call)> deferred)
    {
        if (deferred.IsEmpty)
        {
            return;
        }

        foreach (var candidate in deferred.OrderBy(c => c.Wait.Syntax.SyntaxTree.FilePath, System.StringComparer.Ordinal).ThenBy(c => c.Wait.Syntax.SpanStart))
        {
            if (perf.RequestGraph.EntryReaching(candidate.Wait, candidate.Function, context.CancellationToken) is { } entry && RemoteLogging.GetWaitedInvocation(candidate.Wait) is { } call)
            {
                var from = entry.StartsWith("the ", System.StringComparison.Ordinal) ? entry : "'" + entry + "'";
                context.ReportDiagnostic(Diagnostic.Create(RuleDescriptors.PERF002_AwaitedRemoteLoggingOnRequestPath, call.Syntax.GetLocation(), candidate.Call, "on the request path from " + from));
            }
        }
    }
}
