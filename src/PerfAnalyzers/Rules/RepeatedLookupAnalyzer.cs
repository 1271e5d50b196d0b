using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.Rules;

/// <summary>
/// PERF004: the same database lookup executed again with the same arguments — on every iteration of a loop
/// (warning), or a second time within a method with nothing in between that could change the answer (suggestion).
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class RepeatedLookupAnalyzer : DiagnosticAnalyzer
{
    /// <summary>Diagnostic property: "Loop" (hoistable out of a loop) or "Repeat" (a repeat within the method).</summary>
    public const string ShapeProperty = "Shape";

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(RuleDescriptors.PERF004_RepeatedLookup);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCode.AnalysisFlags);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(start =>
        {
            var perf = PerfCompilationContext.For(start.Compilation);
            if (perf.Types.HasAnyDataAccess)
            {
                CodeBlocks.Register(start, perf, (body, _) => RuleGates.RepeatedLookup(body), block => AnalyzeBlock(block, perf));
            }
        });
    }

    private static void AnalyzeBlock(CodeBlockContext context, PerfCompilationContext perf)
    {
        var facts = BlockFacts.Get(perf, context.OperationBlocks, context.OwningSymbol, context.CancellationToken);
        if (facts.RoundTrips.IsEmpty)
        {
            return;
        }

        var loops = new List<LoopScope>();
        var repeatCandidates = new List<(RoundTrip RoundTrip, string Signature)>();
        foreach (var roundTrip in facts.RoundTrips)
        {
            loops.Clear();
            if (!LoopScope.TryGetEnclosingLoops(roundTrip.Operation, perf.Types, loops, out var inExpressionTree) && inExpressionTree)
            {
                continue;
            }

            if (loops.Count > 0)
            {
                if (LoopVerdicts.FindIterationDependentLoop(roundTrip, loops, facts) is not null)
                {
                    continue; // PERF001's site.
                }

                if (LoopVerdicts.FindInvariantRepeatLoop(roundTrip, loops, facts) is { } loop && HasStableInputs(roundTrip.Operation))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, "Loop");
                    context.ReportDiagnostic(Diagnostic.Create(
                        RuleDescriptors.PERF004_RepeatedLookup,
                        roundTrip.Operation.Syntax.GetLocation(),
                        properties,
                        roundTrip.Describe(),
                        "runs with the same arguments on every iteration of " + loop.Description));
                    continue;
                }
            }

            if (roundTrip.Kind == RoundTripKind.Query && !roundTrip.IsFindByKey && roundTrip.Operation is IInvocationOperation && HasStableInputs(roundTrip.Operation))
            {
                repeatCandidates.Add((roundTrip, Signature(roundTrip.Operation)));
            }
        }

        ReportRepeatsWithinBlock(context, facts, repeatCandidates);
    }

    private static void ReportRepeatsWithinBlock(CodeBlockContext context, BlockFacts facts, List<(RoundTrip RoundTrip, string Signature)> candidates)
    {
        for (var later = 1; later < candidates.Count; later++)
        {
            var repeat = candidates[later].RoundTrip;
            for (var earlier = later - 1; earlier >= 0; earlier--)
            {
                var first = candidates[earlier].RoundTrip;
                if (candidates[earlier].Signature != candidates[later].Signature
                    || first.Operation.Syntax.Span.End > repeat.Operation.Syntax.SpanStart
                    || !SymbolEqualityComparer.Default.Equals(RequestPathGraph.FunctionOf(first.Operation, facts.Owner), RequestPathGraph.FunctionOf(repeat.Operation, facts.Owner))
                    || ExecutionPaths.AreMutuallyExclusive(first.Operation, repeat.Operation)
                    || SomethingChangesBetween(first, repeat, facts))
                {
                    continue;
                }

                var line = first.Operation.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1;
                context.ReportDiagnostic(Diagnostic.Create(
                    RuleDescriptors.PERF004_RepeatedLookup,
                    repeat.Operation.Syntax.GetLocation(),
                    DiagnosticSeverity.Info,
                    new[] { first.Operation.Syntax.GetLocation() },
                    ImmutableDictionary<string, string?>.Empty.Add(ShapeProperty, "Repeat"),
                    repeat.Describe(),
                    "repeats the same query already executed on line " + line.ToString(CultureInfo.InvariantCulture)));
                break;
            }
        }
    }

    /// <summary>A write, or a new value for any local the query reads, between the two executions.</summary>
    private static bool SomethingChangesBetween(RoundTrip first, RoundTrip repeat, BlockFacts facts)
    {
        var start = first.Operation.Syntax.Span.End;
        var end = repeat.Operation.Syntax.SpanStart;
        foreach (var other in facts.RoundTrips)
        {
            var position = other.Operation.Syntax.SpanStart;
            if (other.MayWrite && position >= start && position < end)
            {
                return true;
            }
        }

        foreach (var operation in repeat.Operation.DescendantsAndSelf())
        {
            ISymbol? read = operation switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (read is not null)
            {
                foreach (var definition in facts.Flow.GetDefinitions(read))
                {
                    var position = definition.Site.Syntax.SpanStart;
                    if (position >= start && position < end)
                    {
                        return true;
                    }
                }
            }
        }

        // Both inside one loop: the loop's next iteration may change inputs before the "first" runs again.
        return false;
    }

    /// <summary>
    /// Inputs that read the same value twice: locals, parameters, fields, constants and the query operators
    /// themselves. Anything else (DateTime.UtcNow, Guid.NewGuid(), a method call) may differ between calls.
    /// </summary>
    private static bool HasStableInputs(IOperation roundTrip)
    {
        foreach (var operation in roundTrip.Descendants())
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    var containing = invocation.TargetMethod.ContainingType?.Name;
                    if (containing is not ("Queryable" or "Enumerable" or "EntityFrameworkQueryableExtensions" or "RelationalQueryableExtensions" or "String"))
                    {
                        return false;
                    }

                    break;
                case IPropertyReferenceOperation { Property.IsStatic: true }:
                case IObjectCreationOperation:
                    return false;
            }
        }

        return true;
    }

    /// <summary>Same text (whitespace aside) and the same symbols read, in order.</summary>
    private static string Signature(IOperation operation)
    {
        var builder = new StringBuilder();
        foreach (var c in operation.Syntax.ToString())
        {
            if (!char.IsWhiteSpace(c))
            {
                builder.Append(c);
            }
        }

        foreach (var descendant in operation.Descendants())
        {
            ISymbol? symbol = descendant switch
            {
                ILocalReferenceOperation local => local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (symbol is not null)
            {
                // Lambda parameters declared inside the query are compared by name; everything else by identity.
                var declaredInside = !symbol.Locations.IsEmpty && operation.Syntax.Span.Contains(symbol.Locations[0].SourceSpan);
                builder.Append('|').Append(symbol.Name);
                if (!declaredInside)
                {
                    builder.Append('@').Append(symbol.Locations.IsEmpty ? 0 : symbol.Locations[0].SourceSpan.Start);
                }
            }
        }

        return builder.ToString();
    }
}
