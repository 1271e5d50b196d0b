using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>Whether two operations of one block can both run on one path through it.</summary>
internal static class ExecutionPaths
{
    public static bool AreMutuallyExclusive(IOperation first, IOperation second)
    {
        var ancestors = new HashSet<IOperation>();
        for (var current = first; current is not null; current = current.Parent)
        {
            ancestors.Add(current);
        }

        IOperation? common = null;
        IOperation? secondChild = second;
        for (var current = second.Parent; current is not null; secondChild = current, current = current.Parent)
        {
            if (ancestors.Contains(current))
            {
                common = current;
                break;
            }
        }

        if (common is null)
        {
            return false;
        }

        switch (common)
        {
            case IConditionalOperation conditional:
                // Different branches of one if/else or ?:.
                return conditional.WhenFalse is not null
                    && (first.IsWithin(conditional.WhenTrue.Syntax) && second.IsWithin(conditional.WhenFalse.Syntax)
                        || first.IsWithin(conditional.WhenFalse.Syntax) && second.IsWithin(conditional.WhenTrue.Syntax));
            case ISwitchOperation:
            case ISwitchExpressionOperation:
                return true;
            case ITryOperation tryOperation:
                // The try ran the first and failed; the catch runs the second instead.
                return first.IsWithin(tryOperation.Body.Syntax) && !second.IsWithin(tryOperation.Body.Syntax);
        }

        // The first sits in a branch that always leaves (return/throw) before the second can run.
        var child = first;
        for (var current = first.Parent; current is not null && current != common; child = current, current = current.Parent)
        {
            // `if (c) { ...; return x; }` or the unbraced `if (c) return x;`: the branch holding the first always leaves.
            if (current is IConditionalOperation && Leaves(child))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Leaves(IOperation branch)
    {
        if (branch is IBlockOperation block)
        {
            return block.Operations.Length > 0 && Leaves(block.Operations[block.Operations.Length - 1]);
        }

        return branch is IReturnOperation { Kind: OperationKind.Return } or IThrowOperation || branch is IExpressionStatementOperation { Operation: IThrowOperation };
    }
}
