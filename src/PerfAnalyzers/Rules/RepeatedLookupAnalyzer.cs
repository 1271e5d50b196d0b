using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
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
                CodeBlocks.Register(start, perf, (body, tree) => RuleGates.RepeatedLookup(body, perf.CallReach.Names(tree.CancellationToken)), block => AnalyzeBlock(block, perf));
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
        var repeatCandidates = new List<RepeatCandidate>();

        // A repeat has the same text, so the same method name: only names called twice need a signature.
        var callsByName = new Dictionary<string, int>(System.StringComparer.Ordinal);
        foreach (var roundTrip in facts.RoundTrips)
        {
            if (roundTrip.Operation is IInvocationOperation call)
            {
                callsByName[call.TargetMethod.Name] = callsByName.TryGetValue(call.TargetMethod.Name, out var calls) ? calls + 1 : 1;
            }
        }

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

                if (LoopVerdicts.FindInvariantRepeatLoop(roundTrip, loops, facts) is { } loop && HasStableInputs(roundTrip.Operation.Descendants()))
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

            if (roundTrip.Kind == RoundTripKind.Query && !roundTrip.IsFindByKey && roundTrip.Operation is IInvocationOperation invocation
                && callsByName[invocation.TargetMethod.Name] > 1 && HasStableInputs(roundTrip.Operation.Descendants()))
            {
                var queryLocals = new Dictionary<ILocalSymbol, IOperation>(SymbolEqualityComparer.Default);
                var signature = Signature(roundTrip.Operation, facts.Flow, perf.Types, queryLocals, depth: 0);
                if (queryLocals.Values.All(value => HasStableInputs(value.DescendantsAndSelf())))
                {
                    repeatCandidates.Add(new RepeatCandidate(roundTrip, signature, queryLocals));
                }
            }
        }

        ReportRepeatsWithinBlock(context, facts, repeatCandidates);
    }

    /// <summary>A query execution that may repeat an earlier one, with the query locals its signature expanded.</summary>
    private sealed class RepeatCandidate
    {
        public RepeatCandidate(RoundTrip roundTrip, string signature, Dictionary<ILocalSymbol, IOperation> queryLocals)
        {
            RoundTrip = roundTrip;
            Signature = signature;
            QueryLocals = queryLocals;
        }

        public RoundTrip RoundTrip { get; }

        public string Signature { get; }

        public Dictionary<ILocalSymbol, IOperation> QueryLocals { get; }
    }

    private static void ReportRepeatsWithinBlock(CodeBlockContext context, BlockFacts facts, List<RepeatCandidate> candidates)
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
                    || SomethingChangesBetween(first, candidates[later], facts))
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
    private static bool SomethingChangesBetween(RoundTrip first, RepeatCandidate candidate, BlockFacts facts)
    {
        var repeat = candidate.RoundTrip;
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

        // The query locals' own definitions are compared by their text; what those definitions read must not change.
        foreach (var operation in repeat.Operation.DescendantsAndSelf().Concat(candidate.QueryLocals.Values.SelectMany(value => value.DescendantsAndSelf())))
        {
            ISymbol? read = operation switch
            {
                ILocalReferenceOperation local when !candidate.QueryLocals.ContainsKey(local.Local) => local.Local,
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
    private static bool HasStableInputs(IEnumerable<IOperation> operations)
    {
        foreach (var operation in operations)
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

    /// <summary>
    /// Same text (whitespace aside) and the same symbols read, in order. A local holding an unexecuted query, assigned
    /// once, stands for the query it holds, so <c>a.AnyAsync()</c> and <c>b.AnyAsync()</c> over two locals built the same
    /// way compare equal.
    /// </summary>
    private static string Signature(IOperation operation, LocalDataFlow flow, WellKnownTypes types, Dictionary<ILocalSymbol, IOperation> queryLocals, int depth)
    {
        var text = operation.Syntax.ToString();
        var start = operation.Syntax.SpanStart;
        var symbols = new StringBuilder();
        var expanded = new List<(int Start, int Length, string Text)>();
        foreach (var descendant in operation.Descendants())
        {
            if (descendant is ILocalReferenceOperation { Local: var queryLocal } && depth < MaxQueryLocalDepth && QueryLocalValue(queryLocal, flow, types) is { } value)
            {
                if (!queryLocals.ContainsKey(queryLocal))
                {
                    queryLocals.Add(queryLocal, value);
                }

                expanded.Add((descendant.Syntax.SpanStart - start, descendant.Syntax.Span.Length, "(" + Signature(value, flow, types, queryLocals, depth + 1) + ")"));
                continue;
            }

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
                symbols.Append('|').Append(symbol.Name);
                if (!declaredInside)
                {
                    symbols.Append('@').Append(symbol.Locations.IsEmpty ? 0 : symbol.Locations[0].SourceSpan.Start);
                }
            }
        }

        var builder = new StringBuilder();
        var position = 0;
        foreach (var (offset, length, replacement) in expanded.OrderBy(e => e.Start))
        {
            if (offset < position)
            {
                continue;
            }

            AppendWithoutWhitespace(builder, text, position, offset);
            builder.Append(replacement);
            position = offset + length;
        }

        AppendWithoutWhitespace(builder, text, position, text.Length);
        return builder.Append(symbols).ToString();
    }

    private const int MaxQueryLocalDepth = 2;

    private static void AppendWithoutWhitespace(StringBuilder builder, string text, int from, int to)
    {
        for (var i = from; i < to && i < text.Length; i++)
        {
            if (!char.IsWhiteSpace(text[i]))
            {
                builder.Append(text[i]);
            }
        }
    }

    /// <summary>The query an <c>IQueryable</c> local holds when it is assigned exactly once (its declaration), or null.</summary>
    private static IOperation? QueryLocalValue(ILocalSymbol local, LocalDataFlow flow, WellKnownTypes types)
    {
        if (types.IQueryable is null || !local.Type.Implements(types.IQueryable))
        {
            return null;
        }

        var definitions = flow.GetDefinitions(local);
        return definitions.Count == 1 && definitions[0] is { IsMutation: false, Value: { } value } ? value : null;
    }
}
