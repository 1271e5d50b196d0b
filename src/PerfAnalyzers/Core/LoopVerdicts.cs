using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// The one place that decides, for a round trip inside loops, whether it is N+1 (PERF001: what it fetches
/// depends on the iteration) or a loop-invariant repeat (PERF004: the same lookup every iteration). A site
/// gets at most one of the two verdicts.
/// </summary>
internal static class LoopVerdicts
{
    /// <summary>PERF001: the innermost enclosing loop whose iterations change what the round trip fetches or writes.</summary>
    public static LoopScope? FindIterationDependentLoop(RoundTrip roundTrip, IReadOnlyList<LoopScope> loops, BlockFacts facts)
    {
        if (IsInCatchClause(roundTrip.Operation))
        {
            // Error handling (e.g. re-reading database values for each concurrency conflict) is the exceptional path.
            return null;
        }

        foreach (var loop in loops)
        {
            if (IsDesignedRepetition(roundTrip, loop, facts) || LoopShapes.IsPollingLoop(loop) || IsDispatchOverImplementations(roundTrip, loop, facts))
            {
                // The loop's own shape is the design; an outer loop may still make it N+1.
                continue;
            }

            if (roundTrip.IsSaveChanges)
            {
                // SaveChanges carries the iteration's tracked changes, whatever its arguments.
                if (LoopShapes.IsUnderPeriodicCondition(roundTrip.Operation, loop) || LoopShapes.IsPollingLoop(loop) || LoopPagesItsInput(loop, facts)
                    || LoopShapes.IteratesBatches(loop))
                {
                    return null;
                }

                return loop;
            }

            if (facts.Flow.IsVarying(roundTrip.Operation, loop))
            {
                return loop;
            }
        }

        return null;
    }

    /// <summary>
    /// PERF004: the innermost loop in which the lookup is the same every iteration, when no loop makes it N+1,
    /// nothing in the loop writes (which could change the answer), and the loop is not a poll, retry or page walk.
    /// </summary>
    public static LoopScope? FindInvariantRepeatLoop(RoundTrip roundTrip, IReadOnlyList<LoopScope> loops, BlockFacts facts)
    {
        if (roundTrip.Kind != RoundTripKind.Query || roundTrip.IsFindByKey || IsInCatchClause(roundTrip.Operation) || FindIterationDependentLoop(roundTrip, loops, facts) is not null)
        {
            // Find with the same key on the same context is answered by the change tracker after the first call.
            return null;
        }

        foreach (var loop in loops)
        {
            if (IsDesignedRepetition(roundTrip, loop, facts) || LoopShapes.IsPollingLoop(loop) || LoopWrites(loop, facts) || MutatesQueryInputs(roundTrip, loop, facts)
                || IsDispatchOverImplementations(roundTrip, loop, facts))
            {
                return null;
            }

            return loop;
        }

        return null;
    }

    /// <summary>
    /// PERF008: the innermost loop whose iterations change what a remote request (HTTP, gRPC) sends — one call per element.
    /// <paramref name="requestInputs"/> are what the request carries (URL, payload, arguments). Quiet for the loop shapes
    /// where repeating the call is the design: paging (a next-page URL or cursor carried across passes), retries, polls,
    /// batches, fan-outs over a small constant set, loops that already bound their concurrency, and error handling.
    /// </summary>
    public static LoopScope? FindPerElementRequestLoop(IOperation call, IReadOnlyList<IOperation> requestInputs, IReadOnlyList<LoopScope> loops, BlockFacts facts)
    {
        if (requestInputs.Count == 0 || IsInCatchClause(call))
        {
            return null;
        }

        foreach (var loop in loops)
        {
            if (IsDesignedRequestRepetition(call, loop, facts))
            {
                // The loop's own shape is the design; an outer loop may still make it per element.
                continue;
            }

            foreach (var input in requestInputs)
            {
                if (facts.Flow.IsVarying(input, loop))
                {
                    return loop;
                }
            }
        }

        return null;
    }

    /// <summary>The loop's shape makes repeating the request the design: retries, polls, batches, paging, constant fan-outs, bounded concurrency.</summary>
    public static bool IsDesignedRequestRepetition(IOperation call, LoopScope loop, BlockFacts facts)
        => LoopShapes.RunsAtMostOnce(loop)
            || LoopShapes.IsRetryLoop(call, loop)
            || LoopShapes.IsPollingLoop(loop)
            || LoopShapes.IsBatchLoop(loop, call)
            || LoopShapes.IsOverSmallConstantSet(loop, facts.Flow)
            || LoopShapes.BoundsConcurrency(loop)
            || loop.IsCountedOrConditional && LoopShapes.ReadsStateAssignedInLoop(call, loop, facts.Flow)
            || loop.Kind == LoopKind.For && !LoopShapes.IsForOverCollectionIndices(loop);

    public static bool IsInCatchClause(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ICatchClauseOperation)
            {
                return true;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>foreach (var validator in validators) await validator.ValidateAsync(command, ct)</c>: each pass calls another
    /// implementation of an interface (or abstract type) with the same arguments — a pipeline of handlers whose length is
    /// the number of registrations, not one lookup per data element, and not the same lookup repeated either.
    /// </summary>
    private static bool IsDispatchOverImplementations(RoundTrip roundTrip, LoopScope loop, BlockFacts facts)
    {
        if (!roundTrip.IsInterprocedural
            || roundTrip.Operation is not IInvocationOperation { Instance: { } receiver } invocation
            || receiver.Type is not { } receiverType
            || !(receiverType.TypeKind == TypeKind.Interface || receiverType.IsAbstract)
            || !facts.Flow.IsVarying(receiver, loop))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (facts.Flow.IsVarying(argument.Value, loop))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsDesignedRepetition(RoundTrip roundTrip, LoopScope loop, BlockFacts facts)
        => LoopShapes.IsPagingLoop(roundTrip, loop, facts.Flow)
            || LoopShapes.IsBatchLoop(loop, roundTrip)
            || LoopShapes.IsRetryLoop(roundTrip.Operation, loop)
            || LoopShapes.RunsAtMostOnce(loop)
            || LoopShapes.IsBehindCacheMiss(roundTrip.Operation, loop)
            || LoopShapes.IsLazyInitialization(roundTrip.Operation, loop);

    /// <summary>
    /// A loop that fetches its input page by page — from the database (Skip/Take, LIMIT), or from a remote service when a
    /// counted or conditional loop sends a request that changes per pass (<c>GetFromJsonAsync($"products?page={page}")</c>):
    /// one save per page is batching.
    /// </summary>
    private static bool LoopPagesItsInput(LoopScope loop, BlockFacts facts)
    {
        foreach (var other in facts.RoundTrips)
        {
            if (other.IsPaged && loop.ContainsPerIteration(other.Operation.Syntax) && LoopShapes.IsPagingLoop(other, loop, facts.Flow))
            {
                return true;
            }
        }

        if (loop.IsCountedOrConditional)
        {
            foreach (var call in facts.CreationsAndCalls)
            {
                if (call is IInvocationOperation invocation && loop.ContainsPerIteration(invocation.Syntax)
                    && NetworkCalls.IsDirectRemoteRequest(invocation) && facts.Flow.IsVarying(invocation, loop))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool LoopWrites(LoopScope loop, BlockFacts facts)
    {
        foreach (var other in facts.RoundTrips)
        {
            if (other.MayWrite && loop.ContainsPerIteration(other.Operation.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The loop assigns something the query reads (a cursor local, a field): not the same lookup each pass.</summary>
    private static bool MutatesQueryInputs(RoundTrip roundTrip, LoopScope loop, BlockFacts facts)
        => LoopShapes.ReadsStateAssignedInLoop(roundTrip.Operation, loop, facts.Flow);
}
