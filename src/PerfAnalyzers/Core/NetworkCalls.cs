using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Does calling a method send something over the network? Directly (HttpClient sends, socket and network-stream
/// writes, gRPC client calls, message-queue sends) or through methods of the compilation, transitively and bounded.
/// Cached per method for the compilation; results a bound affected are not cached.
/// </summary>
internal sealed class NetworkCalls
{
    public const int MaxDepth = 4;

    [ThreadStatic] private static HashSet<IMethodSymbol>? t_inProgress;
    [ThreadStatic] private static int t_cuts;

    private readonly InterproceduralSummaries _bodies;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _cache = new(SymbolEqualityComparer.Default);

    public NetworkCalls(InterproceduralSummaries bodies) => _bodies = bodies;

    /// <summary>Is this call itself a network send, by the library type it is made on?</summary>
    public static bool IsDirectNetworkSend(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance?.Type ?? method.ContainingType;
        for (var type = receiver; type is not null; type = type.BaseType)
        {
            switch (type.OriginalDefinition.ToDisplayString())
            {
                case "System.Net.Http.HttpMessageInvoker":
                case "System.Net.Http.HttpClient":
                    return method.Name.StartsWith("Send", StringComparison.Ordinal) || method.Name.StartsWith("Post", StringComparison.Ordinal)
                        || method.Name.StartsWith("Put", StringComparison.Ordinal) || method.Name.StartsWith("Patch", StringComparison.Ordinal)
                        || method.Name.StartsWith("Get", StringComparison.Ordinal) || method.Name.StartsWith("Delete", StringComparison.Ordinal);
                case "System.Net.Sockets.Socket":
                case "System.Net.Sockets.UdpClient":
                    return method.Name.StartsWith("Send", StringComparison.Ordinal);
                case "System.Net.Sockets.NetworkStream":
                case "System.Net.Security.SslStream":
                    return method.Name.StartsWith("Write", StringComparison.Ordinal) || method.Name.StartsWith("Flush", StringComparison.Ordinal);
                case "Grpc.Core.ClientBase":
                    return true;
                case "Azure.Messaging.ServiceBus.ServiceBusSender":
                case "Azure.Messaging.EventHubs.Producer.EventHubProducerClient":
                    return method.Name.StartsWith("Send", StringComparison.Ordinal);
            }
        }

        // HttpClientJsonExtensions.PostAsJsonAsync etc., and message-queue client interfaces.
        var containing = method.ContainingType?.OriginalDefinition.ToDisplayString();
        return containing is "System.Net.Http.Json.HttpClientJsonExtensions"
            || containing is "Confluent.Kafka.IProducer<TKey, TValue>" && method.Name.StartsWith("Produce", StringComparison.Ordinal)
            || containing is "RabbitMQ.Client.IModel" or "RabbitMQ.Client.IChannel" && method.Name.StartsWith("BasicPublish", StringComparison.Ordinal);
    }

    /// <summary>Does the method (or, for an interface/virtual member, one of its implementations in the compilation) send over the network?</summary>
    public bool SendsOverNetwork(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        if (_cache.TryGetValue(method, out var known))
        {
            return known;
        }

        var inProgress = t_inProgress ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (inProgress.Count >= MaxDepth || !inProgress.Add(method))
        {
            t_cuts++;
            return false;
        }

        var cutsBefore = t_cuts;
        try
        {
            var result = Compute(method, cancellationToken);
            if (t_cuts == cutsBefore)
            {
                _cache.TryAdd(method, result);
            }

            return result;
        }
        finally
        {
            inProgress.Remove(method);
        }
    }

    private bool Compute(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.IsAbstract || method.IsVirtual || method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            foreach (var implementation in _bodies.GetImplementations(method))
            {
                if (SendsOverNetwork(implementation, cancellationToken))
                {
                    return true;
                }
            }
        }

        var body = _bodies.GetBodyOperation(method, cancellationToken);
        if (body is null)
        {
            return false;
        }

        var visited = 0;
        foreach (var operation in body.Descendants())
        {
            if (++visited > InterproceduralSummaries.MaxOperationsPerBody)
            {
                break;
            }

            if (operation is IInvocationOperation invocation
                && (IsDirectNetworkSend(invocation) || invocation.TargetMethod.Locations.Length > 0 && invocation.TargetMethod.Locations[0].IsInSource && SendsOverNetwork(invocation.TargetMethod, cancellationToken)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Is the implementation of the method visible in the compilation (so its body can be judged)?</summary>
    public bool HasVisibleImplementation(IMethodSymbol method)
        => method.Locations.Length > 0 && method.Locations[0].IsInSource && !method.IsAbstract
           || !_bodies.GetImplementations(method).IsEmpty;
}
