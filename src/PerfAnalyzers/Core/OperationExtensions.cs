using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

internal static class OperationExtensions
{
    /// <summary>Strips implicit and explicit conversions and parentheses (and <c>await</c>'s configure-await wrappers are left alone).</summary>
    public static IOperation? WalkDownConversions(this IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The receiver of an invocation: the instance, or the <c>this</c> argument of an extension method.</summary>
    public static IOperation? GetReceiver(this IInvocationOperation invocation)
    {
        if (invocation.Instance is not null)
        {
            return invocation.Instance;
        }

        if (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0)
        {
            return invocation.Arguments[0].Value;
        }

        return null;
    }

    /// <summary>The argument bound to the parameter called <paramref name="name"/>, if any.</summary>
    public static IOperation? GetArgument(this IInvocationOperation invocation, string name)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Name == name)
            {
                return argument.Value;
            }
        }

        return null;
    }

    /// <summary>
    /// The local at the root of a member-access chain (<c>cmd.Parameters["@id"].Value</c> → <c>cmd</c>), or null.
    /// </summary>
    public static ILocalSymbol? GetRootLocal(this IOperation? operation)
    {
        for (var depth = 0; operation is not null && depth < 16; depth++)
        {
            switch (operation.WalkDownConversions())
            {
                case ILocalReferenceOperation local:
                    return local.Local;
                case IPropertyReferenceOperation property:
                    operation = property.Instance;
                    break;
                case IFieldReferenceOperation field:
                    operation = field.Instance;
                    break;
                case IInvocationOperation invocation:
                    operation = invocation.GetReceiver();
                    break;
                case IArrayElementReferenceOperation element:
                    operation = element.ArrayReference;
                    break;
                default:
                    return null;
            }
        }

        return null;
    }

    public static bool IsWithin(this SyntaxNode node, SyntaxNode? container)
        => container is not null && node.SyntaxTree == container.SyntaxTree && container.Span.Contains(node.Span);

    public static bool IsWithin(this IOperation operation, SyntaxNode? container) => operation.Syntax.IsWithin(container);
}
