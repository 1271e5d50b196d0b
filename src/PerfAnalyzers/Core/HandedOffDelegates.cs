using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Is an async lambda handed to something that runs it later (a work queue, a channel, fire-and-forget), so that
/// the awaits inside it do not delay the code that created it? Judged from the method the lambda is passed to:
/// where its body is in the compilation, the delegate must be stored or passed on to a queue/collection and never
/// invoked there; where it is not, the call taking the lambda must not be waited for (<c>list.ForEach(async ...)</c>
/// is detached, <c>await policy.ExecuteAsync(async ...)</c> is not).
/// </summary>
internal static class HandedOffDelegates
{
    private const int MaxDepth = 2;

    public static bool IsHandedOff(IAnonymousFunctionOperation lambda, InterproceduralSummaries bodies, CancellationToken cancellationToken)
    {
        if (ApplicationLifetime.IsDetachedWork(lambda))
        {
            return true;
        }

        if (!lambda.Symbol.IsAsync)
        {
            return false;
        }

        IOperation? parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation { Parameter: { } parameter, Parent: IInvocationOperation invocation })
        {
            return false;
        }

        return IsStoredNotInvoked(invocation.TargetMethod, parameter.Ordinal, invocation, bodies, 0, cancellationToken);
    }

    private static bool IsStoredNotInvoked(IMethodSymbol method, int ordinal, IInvocationOperation? call, InterproceduralSummaries bodies, int depth, CancellationToken cancellationToken)
    {
        // (Extension calls are bound to the static method, the receiver being the first argument: ordinals match.)
        method = (method.ReducedFrom ?? method).OriginalDefinition;

        if (IsQueueOrCollection(method))
        {
            return true;
        }

        var implementations = method.IsAbstract || method.IsVirtual || method.ContainingType?.TypeKind == TypeKind.Interface
            ? bodies.GetImplementations(method)
            : System.Collections.Immutable.ImmutableArray<IMethodSymbol>.Empty;
        var sawBody = false;
        foreach (var candidate in implementations.IsEmpty ? System.Collections.Immutable.ImmutableArray.Create(method) : implementations.Add(method))
        {
            if (candidate.IsAbstract || ordinal >= candidate.Parameters.Length || bodies.GetBodyOperation(candidate, cancellationToken) is not { } body)
            {
                continue;
            }

            sawBody = true;
            if (!IsOnlyStored(body, candidate.Parameters[ordinal], bodies, depth, cancellationToken))
            {
                return false;
            }
        }

        if (sawBody)
        {
            return true;
        }

        // A library method: the lambda runs detached only when nobody waits for the call that took it.
        return call is not null && !IsWaitedFor(call);
    }

    /// <summary>The parameter is only stored (written to a queue/collection/field) or passed on to a method that stores it.</summary>
    private static bool IsOnlyStored(IOperation body, IParameterSymbol parameter, InterproceduralSummaries bodies, int depth, CancellationToken cancellationToken)
    {
        var stored = false;
        foreach (var operation in body.Descendants())
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter.OriginalDefinition, parameter.OriginalDefinition))
            {
                continue;
            }

            IOperation? user = reference.Parent;
            while (user is IConversionOperation or IDelegateCreationOperation)
            {
                user = user.Parent;
            }

            switch (user)
            {
                case IArgumentOperation { Parameter: { } passedTo, Parent: IInvocationOperation next }
                    when depth < MaxDepth && IsStoredNotInvoked(next.TargetMethod, passedTo.Ordinal, null, bodies, depth + 1, cancellationToken):
                case IArgumentOperation { Parent: IObjectCreationOperation }:
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation }:
                    stored = true;
                    break;
                default:
                    // Invoked (f(), f.Invoke()), awaited through, or used in a way that cannot be judged.
                    return false;
            }
        }

        return stored;
    }

    /// <summary>Channels, concurrent and plain collections: what is written there is run later by a reader.</summary>
    private static bool IsQueueOrCollection(IMethodSymbol method)
    {
        var ns = method.ContainingType?.ContainingNamespace?.ToDisplayString() ?? "";
        return ns.StartsWith("System.Threading.Channels", StringComparison.Ordinal) || ns.StartsWith("System.Collections", StringComparison.Ordinal);
    }

    private static bool IsWaitedFor(IInvocationOperation call)
    {
        IOperation current = call;
        while (current.Parent is IConversionOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" or "AsTask" or "GetAwaiter" })
        {
            current = current.Parent;
        }

        return current.Parent switch
        {
            IExpressionStatementOperation => false,
            ISimpleAssignmentOperation { Target: IDiscardOperation } => false,
            _ => true,
        };
    }
}
