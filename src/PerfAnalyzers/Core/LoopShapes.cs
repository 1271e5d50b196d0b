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
    /// <summary>The query pages through the data: Skip/Take or LIMIT/OFFSET in a counted/conditional loop, or over a page range.</summary>
    public static bool IsPagingLoop(RoundTrip roundTrip, LoopScope loop)
    {
        if (!roundTrip.IsPaged)
        {
            return false;
        }

        if (loop.IsCountedOrConditional)
        {
            return true;
        }

        // foreach (var page in Enumerable.Range(0, pages)) ... Skip(page * size).Take(size)
        return loop.IteratedCollection.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "Range" or "Repeat" };
    }

    /// <summary>
    /// The loop walks fixed-size batches (<c>ids.Chunk(500)</c>, or an element that is itself an array/list):
    /// one query per batch is the fix for N+1, not an instance of it.
    /// </summary>
    public static bool IsBatchLoop(LoopScope loop)
    {
        if (loop.IteratedCollection.WalkDownConversions() is IInvocationOperation { TargetMethod.Name: "Chunk" or "Batch" or "Buffer" or "Partition" })
        {
            return true;
        }

        foreach (var symbol in loop.IterationSymbols)
        {
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol parameter => parameter.Type,
                _ => null,
            };

            if (type is IArrayTypeSymbol { ElementType.SpecialType: not SpecialType.System_Byte and not SpecialType.System_Char }
                || type is INamedTypeSymbol { Name: "List" or "IReadOnlyList" or "IReadOnlyCollection" or "ImmutableArray", TypeArguments.Length: 1 })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A retry loop: the round trip sits in a try whose success path leaves the loop (return/break).
    /// </summary>
    public static bool IsRetryLoop(IOperation site, LoopScope loop)
    {
        for (var current = site.Parent; current is not null && current != loop.Operation; current = current.Parent)
        {
            if (current is ITryOperation tryOperation && site.IsWithin(tryOperation.Body.Syntax))
            {
                foreach (var descendant in tryOperation.Body.Descendants())
                {
                    if (descendant is IReturnOperation { Kind: OperationKind.Return } || descendant is IBranchOperation { BranchKind: BranchKind.Break } branch && IsTargetOf(branch, loop))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

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
        return last is IReturnOperation { Kind: OperationKind.Return } or IThrowOperation
            || last is IExpressionStatementOperation { Operation: IThrowOperation }
            || last is IBranchOperation { BranchKind: BranchKind.Break } branch && IsTargetOf(branch, loop);
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
}
