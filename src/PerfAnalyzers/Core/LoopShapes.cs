using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Loop shapes in which a repeated round trip is the intended design, not N+1: paging and keyset
/// batching, fixed-size batches, retries, loops that run at most once, periodic batched saves.
/// Shared by every rule that reasons about round trips in loops.
/// </summary>
internal static class LoopShapes
{
    /// <summary>
    /// The loop walks the data page by page: an offset page (Skip/OFFSET) in a counted/conditional loop or over a
    /// page range, or a bounded read (Take/LIMIT) whose filter reads state carried from the previous pass (keyset:
    /// <c>Where(x => x.Id > lastId).Take(100)</c>). A <c>Take(3)</c> per author is not paging.
    /// </summary>
    public static bool IsPagingLoop(RoundTrip roundTrip, LoopScope loop, LocalDataFlow flow)
    {
        if (!roundTrip.IsPaged)
        {
            return false;
        }

        var overPageRange = loop.IteratedCollection.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "Range" or "Repeat" };
        if ((roundTrip.Paging & QueryPaging.Offset) != 0 && (loop.IsCountedOrConditional || overPageRange))
        {
            return true;
        }

        if (!loop.IsCountedOrConditional)
        {
            return false;
        }

        return ReadsStateAssignedInLoop(roundTrip.Operation, loop, flow);
    }

    /// <summary>
    /// Does the operation read state the loop assigns — a local declared outside it and assigned inside (a cursor),
    /// or a field assigned inside it?
    /// </summary>
    public static bool ReadsStateAssignedInLoop(IOperation operation, LoopScope loop, LocalDataFlow flow)
    {
        HashSet<IFieldSymbol>? fields = null;
        foreach (var read in operation.DescendantsAndSelf())
        {
            switch (read)
            {
                case ILocalReferenceOperation local when flow.IsLoopCarried(local.Local, loop):
                    return true;
                case IFieldReferenceOperation field when !field.Field.IsConst && !field.Field.IsReadOnly:
                    (fields ??= new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default)).Add(field.Field);
                    break;
            }
        }

        if (fields is null)
        {
            return false;
        }

        foreach (var assignment in loop.Operation.Descendants())
        {
            var target = assignment switch
            {
                IAssignmentOperation assigned => assigned.Target,
                IIncrementOrDecrementOperation incremented => incremented.Target,
                _ => null,
            };
            if (target is IFieldReferenceOperation assignedField && fields.Contains(assignedField.Field))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The loop walks fixed-size batches and queries each batch whole (<c>ids.Chunk(500)</c> with
    /// <c>Contains</c>, or a list element passed to the query): one query per batch is the fix for N+1.
    /// </summary>
    public static bool IsBatchLoop(LoopScope loop, RoundTrip roundTrip) => IsBatchLoop(loop, roundTrip.Operation);

    /// <summary>The same for any per-iteration call: the loop walks chunks, or the call carries the iteration's whole batch.</summary>
    public static bool IsBatchLoop(LoopScope loop, IOperation site)
    {
        if (loop.IteratedCollection.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "Chunk" or "Batch" or "Buffer" or "Partition" })
        {
            return true;
        }

        foreach (var operation in site.DescendantsAndSelf())
        {
            var symbol = operation switch
            {
                ILocalReferenceOperation local => (ISymbol)local.Local,
                IParameterReferenceOperation parameter => parameter.Parameter,
                _ => null,
            };
            if (symbol is null || !loop.IsIterationSymbol(symbol) || !IsCollection(operation.Type))
            {
                continue;
            }

            // The whole batch goes to the query: as an argument (Dapper's IN @ids), or as the source of Contains/Any.
            var parent = operation.Parent;
            while (parent is IConversionOperation)
            {
                parent = parent.Parent;
            }

            if (parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Contains" or "Any" } }
                || parent is IInvocationOperation { TargetMethod.Name: "Contains" or "Any" }
                || parent is IArgumentOperation && operation.Parent is not IPropertyReferenceOperation
                || parent is IAnonymousObjectCreationOperation or IPropertyInitializerOperation or ISimpleAssignmentOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The loop's element is itself a batch (<c>await foreach (var batch in reader.ReadAllAsync())</c> over lists or
    /// arrays): one SaveChanges per batch is the batching design, whatever the batch was added through.
    /// </summary>
    public static bool IteratesBatches(LoopScope loop)
        => loop.IterationSymbols.Length == 1 && loop.IterationSymbols[0] is ILocalSymbol { Type: var elementType } && IsCollection(elementType);

    private static bool IsCollection(ITypeSymbol? type)
        => type is IArrayTypeSymbol { ElementType.SpecialType: not SpecialType.System_Byte and not SpecialType.System_Char }
            || type is INamedTypeSymbol { TypeArguments.Length: 1, SpecialType: SpecialType.None } named && named.AllInterfaces.Any(i => i.SpecialType == SpecialType.System_Collections_IEnumerable) && named.Name != "IGrouping";

    /// <summary>
    /// A retry loop: the round trip sits in a try whose success path leaves the loop (return/break).
    /// </summary>
    public static bool IsRetryLoop(IOperation site, LoopScope loop)
    {
        for (var current = site.Parent; current is not null && current != loop.Operation; current = current.Parent)
        {
            if (current is ITryOperation { Catches.Length: > 0 } tryOperation && site.IsWithin(tryOperation.Body.Syntax))
            {
                // The success path leaves the loop: the try block ends in return or break.
                var operations = tryOperation.Body.Operations;
                if (operations.Length > 0 && LeavesLoop(operations[operations.Length - 1], loop))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool LeavesLoop(IOperation statement, LoopScope loop)
        => statement is IReturnOperation { Kind: OperationKind.Return }
            || statement is IBranchOperation { BranchKind: BranchKind.Break } branch && IsTargetOf(branch, loop);

    private static bool IsTargetOf(IBranchOperation branch, LoopScope loop)
        => loop.Operation is ILoopOperation loopOperation && SymbolEqualityComparer.Default.Equals(branch.Target, loopOperation.ExitLabel);

    /// <summary>The loop body ends in an unconditional return/break/throw: it runs at most once.</summary>
    public static bool RunsAtMostOnce(LoopScope loop)
    {
        if (loop.Kind == LoopKind.PerElementLambda || loop.Operation is not ILoopOperation { Body: IBlockOperation body })
        {
            return false;
        }

        if (body.Operations.Length == 0)
        {
            return false;
        }

        var last = body.Operations[body.Operations.Length - 1];
        var endsTheLoop = last is IReturnOperation { Kind: OperationKind.Return } or IThrowOperation
            || last is IExpressionStatementOperation { Operation: IThrowOperation }
            || last is IBranchOperation { BranchKind: BranchKind.Break } branch && IsTargetOf(branch, loop);
        if (!endsTheLoop)
        {
            return false;
        }

        // A `continue` skips the final return: the loop may run many times.
        foreach (var operation in body.Descendants())
        {
            if (operation is IBranchOperation { BranchKind: BranchKind.Continue } next && loop.Operation is ILoopOperation loopOperation
                && SymbolEqualityComparer.Default.Equals(next.Target, loopOperation.ContinueLabel))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// A polling loop: a while/do/for loop that waits between passes (<c>Task.Delay</c>, <c>Thread.Sleep</c>,
    /// <c>PeriodicTimer.WaitForNextTickAsync</c>). Each pass deliberately re-reads fresh data.
    /// </summary>
    public static bool IsPollingLoop(LoopScope loop)
    {
        if (!loop.IsCountedOrConditional)
        {
            return false;
        }

        foreach (var operation in loop.Operation.Descendants())
        {
            if (operation is IInvocationOperation invocation)
            {
                var method = invocation.TargetMethod;
                var type = method.ContainingType?.Name;
                if (method.Name == "Delay" && type == "Task" || method.Name == "Sleep" && type == "Thread" || method.Name == "WaitForNextTickAsync")
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>if (++n % 100 == 0) await db.SaveChangesAsync();</c>: saves are batched, not per element.</summary>
    public static bool IsUnderPeriodicCondition(IOperation site, LoopScope loop)
    {
        for (var current = site.Parent; current is not null && current != loop.Operation; current = current.Parent)
        {
            if (current is IConditionalOperation conditional && site.IsWithin(conditional.WhenTrue.Syntax))
            {
                foreach (var node in conditional.Condition.Syntax.DescendantNodesAndSelf())
                {
                    if (node.IsKind(SyntaxKind.ModuloExpression) || node is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.GreaterThanOrEqualExpression } comparison && comparison.Left.ToString().IndexOf("Count", System.StringComparison.Ordinal) >= 0)
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// <c>if (!cache.TryGetValue(key, out var v)) { v = await db...; cache.Set(key, v, ..); }</c> inside the loop: the round
    /// trip runs on a cache miss only — in steady state not once per pass (the inline form of a cache-aside method).
    /// </summary>
    public static bool IsBehindCacheMiss(IOperation site, LoopScope loop)
    {
        for (var current = site.Parent; current is not null && current != loop.Operation; current = current.Parent)
        {
            if (current is IConditionalOperation conditional && !site.IsWithin(conditional.Condition.Syntax))
            {
                foreach (var operation in conditional.Condition.DescendantsAndSelf())
                {
                    if (operation is IInvocationOperation lookup && InterproceduralSummaries.IsCacheLookup(lookup))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>
    /// The round trip fills a value only while it is missing — <c>footer ??= await ...</c>, or
    /// <c>if (footer is null) footer = await ...</c> — into a variable that outlives the pass: it runs once, not per pass.
    /// </summary>
    public static bool IsLazyInitialization(IOperation site, LoopScope loop)
    {
        for (var current = site.Parent; current is not null && current != loop.Operation; current = current.Parent)
        {
            switch (current)
            {
                case ICoalesceAssignmentOperation coalesce when site.IsWithin(coalesce.Value.Syntax) && OutlivesPass(coalesce.Target, loop):
                    return true;
                case ISimpleAssignmentOperation assignment when site.IsWithin(assignment.Value.Syntax) && OutlivesPass(assignment.Target, loop)
                    && IsGuardedByNullCheck(assignment, AssignedSymbol(assignment.Target), loop):
                    return true;
            }
        }

        return false;
    }

    private static bool OutlivesPass(IOperation target, LoopScope loop)
        => target switch
        {
            ILocalReferenceOperation local => !loop.IsIterationSymbol(local.Local) && !loop.ContainsDeclarationOf(local.Local),
            IFieldReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: false } => true,
            _ => false,
        };

    private static ISymbol? AssignedSymbol(IOperation target)
        => target switch
        {
            ILocalReferenceOperation local => local.Local,
            IFieldReferenceOperation field => field.Field,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };

    /// <summary>The assignment sits in the true branch of <c>if (x == null)</c> / <c>if (x is null)</c> for the symbol it assigns.</summary>
    private static bool IsGuardedByNullCheck(IOperation assignment, ISymbol? symbol, LoopScope loop)
    {
        if (symbol is null)
        {
            return false;
        }

        for (var current = assignment.Parent; current is not null && current != loop.Operation; current = current.Parent)
        {
            if (current is IConditionalOperation conditional && assignment.IsWithin(conditional.WhenTrue.Syntax))
            {
                var tested = conditional.Condition.WalkDownConversions() switch
                {
                    IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals when equals.RightOperand.WalkDownConversions()?.ConstantValue is { HasValue: true, Value: null } => equals.LeftOperand,
                    IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals when equals.LeftOperand.WalkDownConversions()?.ConstantValue is { HasValue: true, Value: null } => equals.RightOperand,
                    IIsPatternOperation { Pattern: IConstantPatternOperation { Value.ConstantValue: { HasValue: true, Value: null } } } isNull => isNull.Value,
                    _ => null,
                };
                if (tested.WalkDownConversions() is { } testedValue && SymbolEqualityComparer.Default.Equals(AssignedSymbol(testedValue), symbol))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>At most this many constant elements make a fan-out "a small constant set".</summary>
    public const int MaxConstantFanOut = 16;

    /// <summary>
    /// The loop walks a small set fixed in the source: an array or collection literal of constants (directly, through a
    /// local assigned once, or a static readonly field), enum values, or a for loop up to a small constant bound.
    /// One call per member (one per region, per shard) is the design, not N+1.
    /// </summary>
    public static bool IsOverSmallConstantSet(LoopScope loop, LocalDataFlow flow)
    {
        if (loop.Operation is IForLoopOperation { Condition: IBinaryOperation { RightOperand: { } bound } })
        {
            return bound.ConstantValue is { HasValue: true, Value: int limit } && limit <= MaxConstantFanOut;
        }

        var collection = loop.IteratedCollection.WalkDownConversions();
        if (collection is ILocalReferenceOperation local)
        {
            var definitions = flow.GetDefinitions(local.Local);
            if (definitions.Count != 1 || definitions[0].IsMutation)
            {
                return false;
            }

            collection = definitions[0].Value.WalkDownConversions();
        }

        switch (collection)
        {
            case IArrayCreationOperation { Initializer: { } initializer }:
                return AreFewConstants(initializer.ElementValues);
            case { Syntax: CollectionExpressionSyntax literal }:
                return AreFewLiterals(literal.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression));
            case IObjectCreationOperation { Initializer: { } objectInitializer }:
                var added = new List<IOperation>();
                foreach (var element in objectInitializer.Initializers)
                {
                    if (element is not IInvocationOperation { Arguments.Length: 1 } add)
                    {
                        return false;
                    }

                    added.Add(add.Arguments[0].Value);
                }

                return AreFewConstants(added);
            case IInvocationOperation { TargetMethod: { Name: "GetValues" or "GetNames" or "GetValuesAsUnderlyingType", ContainingType.SpecialType: SpecialType.System_Enum } }:
                return true;
            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field }:
                return IsInitializedWithFewLiterals(field);
            default:
                return false;
        }
    }

    private static bool AreFewConstants(IEnumerable<IOperation> elements)
    {
        var count = 0;
        foreach (var element in elements)
        {
            if (++count > MaxConstantFanOut || !element.ConstantValue.HasValue)
            {
                return false;
            }
        }

        return count > 0;
    }

    /// <summary><c>static readonly string[] Regions = { "eu", "us" };</c> — judged from the declaration's syntax (no model needed).</summary>
    private static bool IsInitializedWithFewLiterals(IFieldSymbol field)
    {
        foreach (var reference in field.DeclaringSyntaxReferences)
        {
            if (reference.GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } value })
            {
                continue;
            }

            IEnumerable<ExpressionSyntax>? elements = value switch
            {
                InitializerExpressionSyntax initializer => initializer.Expressions,
                ArrayCreationExpressionSyntax { Initializer: { } initializer } => initializer.Expressions,
                ImplicitArrayCreationExpressionSyntax implicitArray => implicitArray.Initializer.Expressions,
                CollectionExpressionSyntax collectionExpression => collectionExpression.Elements.OfType<ExpressionElementSyntax>().Select(e => e.Expression),
                _ => null,
            };
            return elements is not null && AreFewLiterals(elements);
        }

        return false;
    }

    private static bool AreFewLiterals(IEnumerable<ExpressionSyntax> elements)
    {
        var count = 0;
        foreach (var element in elements)
        {
            if (++count > MaxConstantFanOut || element is not LiteralExpressionSyntax)
            {
                return false;
            }
        }

        return count > 0;
    }

    /// <summary>
    /// The loop already bounds its concurrency: a per-element lambda of <c>Parallel.ForEach(Async)</c>, or a body that
    /// waits on a <c>SemaphoreSlim</c> (throttled fan-out). That is the remedy for unbounded fan-out, not the problem.
    /// </summary>
    public static bool BoundsConcurrency(LoopScope loop)
    {
        if (loop.Kind == LoopKind.PerElementLambda && loop.Operation.Parent is { } parent)
        {
            for (var current = parent; current is not null; current = current.Parent)
            {
                if (current is IInvocationOperation { TargetMethod.ContainingType: { Name: "Parallel" } parallel } && parallel.ContainingNamespace?.ToDisplayString() == "System.Threading.Tasks")
                {
                    return true;
                }

                if (current is IInvocationOperation)
                {
                    break;
                }
            }
        }

        foreach (var operation in loop.Operation.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: "WaitAsync" or "Wait", ContainingType: { Name: "SemaphoreSlim" } } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A for loop that indexes a collection (<c>i &lt; items.Count</c>, <c>i &lt; ids.Length</c>) visits elements; one that
    /// counts up to anything else (<c>page &lt;= totalPages</c>) walks pages or a count and is judged a designed sequence.
    /// </summary>
    public static bool IsForOverCollectionIndices(LoopScope loop)
    {
        if (loop.Operation is not IForLoopOperation forLoop || StridesOverSeveralIndices(forLoop, loop))
        {
            return false;
        }

        if (forLoop.Condition is IBinaryOperation { RightOperand: { } bound }
            && bound.WalkDownConversions() is IPropertyReferenceOperation { Property.Name: "Count" or "Length" } or IInvocationOperation { TargetMethod.Name: "Count" })
        {
            return true;
        }

        // for (var i = 0; i < n; i++) ... items[i] ...: the index selects an element.
        foreach (var operation in forLoop.Body.Descendants())
        {
            var index = operation switch
            {
                IArrayElementReferenceOperation { Indices.Length: 1 } element => element.Indices[0],
                IPropertyReferenceOperation { Arguments.Length: 1 } indexer => indexer.Arguments[0].Value,
                _ => null,
            };
            if (index.WalkDownConversions() is ILocalReferenceOperation local && loop.IsIterationSymbol(local.Local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>for (var offset = 0; offset &lt; items.Count; offset += batchSize)</c>: each pass covers a slice of the
    /// collection (a hand-written chunk loop), not one element.
    /// </summary>
    private static bool StridesOverSeveralIndices(IForLoopOperation forLoop, LoopScope loop)
    {
        foreach (var step in forLoop.AtLoopBottom)
        {
            var operation = step is IExpressionStatementOperation statement ? statement.Operation : step;
            if (operation is ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, Target: ILocalReferenceOperation counter } compound
                && loop.IsIterationSymbol(counter.Local)
                && !(compound.Value.WalkDownConversions() is { ConstantValue: { HasValue: true, Value: 1 } }))
            {
                return true;
            }
        }

        return false;
    }
}
