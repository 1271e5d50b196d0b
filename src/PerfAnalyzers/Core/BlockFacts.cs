using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// What one operation block (a method body, accessor or initializer) contains that the rules reason about:
/// its local data flow, the database round trips it makes (in source order), and virtual property reads.
/// Built by one walk per block and shared by every rule that asks (cached on the block's root operation).
/// </summary>
internal sealed class BlockFacts
{
    private static readonly ConditionalWeakTable<IOperation, Slot> Cache = new();

    private BlockFacts(ISymbol owner, LocalDataFlow flow, ImmutableArray<RoundTrip> roundTrips, ImmutableArray<IPropertyReferenceOperation> virtualPropertyReads, ImmutableArray<IOperation> creationsAndCalls, ImmutableArray<IOperation> waits)
    {
        Waits = waits;
        Owner = owner;
        Flow = flow;
        RoundTrips = roundTrips;
        VirtualPropertyReads = virtualPropertyReads;
        CreationsAndCalls = creationsAndCalls;
    }

    /// <summary>The method, accessor, field or property the block belongs to.</summary>
    public ISymbol Owner { get; }

    /// <summary>Every <c>await</c>, <c>.Wait()</c>, <c>.GetAwaiter().GetResult()</c> and <c>.Result</c> in the block, in source order.</summary>
    public ImmutableArray<IOperation> Waits { get; }

    /// <summary>Every object creation and invocation in the block, in source order.</summary>
    public ImmutableArray<IOperation> CreationsAndCalls { get; }

    /// <summary>Thread-safe: its queries lock internally, as several rules may ask about one block concurrently.</summary>
    public LocalDataFlow Flow { get; }

    public ImmutableArray<RoundTrip> RoundTrips { get; }

    public ImmutableArray<IPropertyReferenceOperation> VirtualPropertyReads { get; }

    public static BlockFacts Get(PerfCompilationContext perf, ImmutableArray<IOperation> blocks, ISymbol owner, CancellationToken cancellationToken)
    {
        if (blocks.IsDefaultOrEmpty)
        {
            return new BlockFacts(owner, new LocalDataFlow(), ImmutableArray<RoundTrip>.Empty, ImmutableArray<IPropertyReferenceOperation>.Empty, ImmutableArray<IOperation>.Empty, ImmutableArray<IOperation>.Empty);
        }

        // Built once even when several rules ask at the same time (concurrent analysis runs the rules of one tree in
        // parallel): the others wait instead of building the same facts again. A cancelled build publishes nothing.
        var slot = Cache.GetValue(blocks[0], static _ => new Slot());
        if (Volatile.Read(ref slot.Facts) is { } built)
        {
            return built;
        }

        lock (slot)
        {
            if (slot.Facts is { } raced)
            {
                return raced;
            }

            var facts = Build(perf, blocks, owner, cancellationToken);
            Volatile.Write(ref slot.Facts, facts);
            return facts;
        }
    }

    private sealed class Slot
    {
        public BlockFacts? Facts;
    }

    private static BlockFacts Build(PerfCompilationContext perf, ImmutableArray<IOperation> blocks, ISymbol owner, CancellationToken cancellationToken)
    {
        var flow = new LocalDataFlow();
        var candidates = new List<IOperation>();
        var reads = ImmutableArray.CreateBuilder<IPropertyReferenceOperation>();
        var creationsAndCalls = ImmutableArray.CreateBuilder<IOperation>();
        var waits = ImmutableArray.CreateBuilder<IOperation>();
        foreach (var block in blocks)
        {
            foreach (var operation in block.DescendantsAndSelf())
            {
                flow.Record(operation);
                switch (operation)
                {
                    case IInvocationOperation invocation:
                        candidates.Add(operation);
                        creationsAndCalls.Add(operation);
                        if (invocation.TargetMethod.Name is "Wait" or "GetResult")
                        {
                            waits.Add(operation);
                        }

                        break;
                    case IAwaitOperation:
                        waits.Add(operation);
                        break;
                    case IObjectCreationOperation:
                        creationsAndCalls.Add(operation);
                        break;
                    case IForEachLoopOperation:
                        candidates.Add(operation);
                        break;
                    case IPropertyReferenceOperation { Property.Name: "Result", Instance: not null }:
                        waits.Add(operation);
                        break;
                    case IPropertyReferenceOperation { Property.IsVirtual: true, Instance: not null } read:
                        reads.Add(read);
                        break;
                }
            }
        }

        var roundTrips = ImmutableArray.CreateBuilder<RoundTrip>();
        foreach (var candidate in candidates)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var roundTrip = candidate switch
            {
                IInvocationOperation invocation => perf.RoundTrips.Recognize(invocation, flow, cancellationToken),
                IForEachLoopOperation forEach => perf.RoundTrips.RecognizeIteratedQuery(forEach, flow),
                _ => null,
            };

            if (roundTrip is not null)
            {
                roundTrips.Add(roundTrip);
            }
        }

        return new BlockFacts(owner, flow, roundTrips.ToImmutable(), reads.ToImmutable(), creationsAndCalls.ToImmutable(), waits.ToImmutable());
    }
}
