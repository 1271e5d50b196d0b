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
    private readonly ConcurrentDictionary<IMethodSymbol, NetworkSends> _cache = new(SymbolEqualityComparer.Default);

    public NetworkCalls(InterproceduralSummaries bodies) => _bodies = bodies;

    private static readonly HashSet<string> DirectSendTypeNames = new(StringComparer.Ordinal)
    {
        "HttpMessageInvoker", "HttpClient", "Socket", "UdpClient", "NetworkStream", "SslStream", "ClientBase", "CallInvoker", "ServiceBusSender", "EventHubProducerClient",
    };

    /// <summary>Is this call itself a network send, by the library type it is made on?</summary>
    public static bool IsDirectNetworkSend(IInvocationOperation invocation) => ClassifyDirect(invocation) != NetworkSends.None;

    /// <summary>Is this call itself a request to a remote service (an HttpClient send or a gRPC client call)?</summary>
    public static bool IsDirectRemoteRequest(IInvocationOperation invocation) => (ClassifyDirect(invocation) & NetworkSends.RemoteRequest) != 0;

    /// <summary>What kind of network send the call itself is, by the library type it is made on.</summary>
    public static NetworkSends ClassifyDirect(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        var receiver = invocation.Instance?.Type ?? method.ContainingType;
        for (var type = receiver; type is not null; type = type.BaseType)
        {
            if (!DirectSendTypeNames.Contains(type.Name))
            {
                continue; // asked of every call: compare the simple name before building the full one
            }

            switch (type.OriginalDefinition.ToDisplayString())
            {
                case "System.Net.Http.HttpMessageInvoker":
                case "System.Net.Http.HttpClient":
                    // Only HttpClient's own members: GetType/GetHashCode are not requests.
                    return IsDeclaredOnHttpClient(method) && IsHttpSendName(method.Name) ? NetworkSends.RemoteRequest | HttpPayload(method.Name) : NetworkSends.None;
                case "System.Net.Sockets.Socket":
                case "System.Net.Sockets.UdpClient":
                    return method.Name.StartsWith("Send", StringComparison.Ordinal) ? NetworkSends.Other : NetworkSends.None;
                case "System.Net.Sockets.NetworkStream":
                case "System.Net.Security.SslStream":
                    return method.Name.StartsWith("Write", StringComparison.Ordinal) || method.Name.StartsWith("Flush", StringComparison.Ordinal) ? NetworkSends.Other : NetworkSends.None;
                case "Grpc.Core.ClientBase":
                    // Generated client methods are declared on the generated subclass; ClientBase's own members
                    // (WithHost) and object's (ToString) make no call.
                    return IsGeneratedGrpcCall(method) ? NetworkSends.RemoteRequest | NetworkSends.Payload : NetworkSends.None;
                case "Grpc.Core.CallInvoker":
                    // What generated clients call; hand-written clients and interceptors call it directly.
                    return IsCallInvokerRequestName(method.Name) ? NetworkSends.RemoteRequest | NetworkSends.Payload : NetworkSends.None;
                case "Azure.Messaging.ServiceBus.ServiceBusSender":
                case "Azure.Messaging.EventHubs.Producer.EventHubProducerClient":
                    return method.Name.StartsWith("Send", StringComparison.Ordinal) ? NetworkSends.Other : NetworkSends.None;
            }
        }

        // HttpClientJsonExtensions.PostAsJsonAsync etc., and message-queue client interfaces.
        var containingType = method.ContainingType?.OriginalDefinition;
        var containing = containingType?.Name is "HttpClientJsonExtensions" or "IProducer" or "IModel" or "IChannel" ? containingType.ToDisplayString() : null;
        if (containing is "System.Net.Http.Json.HttpClientJsonExtensions")
        {
            return NetworkSends.RemoteRequest | HttpPayload(method.Name);
        }

        if (IsRefitRequest(method, out var refitVerb))
        {
            return NetworkSends.RemoteRequest | HttpPayload(refitVerb);
        }

        return containing is "Confluent.Kafka.IProducer<TKey, TValue>" && method.Name.StartsWith("Produce", StringComparison.Ordinal)
            || containing is "RabbitMQ.Client.IModel" or "RabbitMQ.Client.IChannel" && method.Name.StartsWith("BasicPublish", StringComparison.Ordinal)
            ? NetworkSends.Other
            : NetworkSends.None;
    }

    /// <summary>A Refit interface method (<c>[Get("/users/{id}")]</c>): its generated implementation sends the request.</summary>
    private static bool IsRefitRequest(IMethodSymbol method, out string verb)
    {
        verb = string.Empty;
        if (method.ContainingType?.TypeKind != TypeKind.Interface)
        {
            return false;
        }

        foreach (var attribute in method.GetAttributes())
        {
            // [Get], [Post], ... [Options] and custom verbs all derive from Refit.HttpMethodAttribute.
            for (var attributeClass = attribute.AttributeClass; attributeClass is not null; attributeClass = attributeClass.BaseType)
            {
                if (attributeClass.Name == "HttpMethodAttribute" && attributeClass.ContainingNamespace?.ToDisplayString() == "Refit")
                {
                    // The verb is the attribute's own name ([Post] → PostAttribute).
                    verb = attribute.AttributeClass!.Name;
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The <c>CallInvoker</c> methods generated and hand-written gRPC clients make their calls with.</summary>
    public static bool IsCallInvokerRequestName(string name) => Array.IndexOf(CallInvokerRequestNames, name) >= 0;

    public static readonly string[] CallInvokerRequestNames = { "BlockingUnaryCall", "AsyncUnaryCall", "AsyncServerStreamingCall" };

    /// <summary>GET, HEAD and DELETE requests (<c>GetFromJsonAsync</c>, <c>[Get]</c>) carry no data to the remote side; every other send may.</summary>
    private static NetworkSends HttpPayload(string methodOrVerb)
        => methodOrVerb.StartsWith("Get", StringComparison.Ordinal) || methodOrVerb.StartsWith("Head", StringComparison.Ordinal) || methodOrVerb.StartsWith("Delete", StringComparison.Ordinal)
            ? NetworkSends.None
            : NetworkSends.Payload;

    private static bool IsDeclaredOnHttpClient(IMethodSymbol method)
        => method.ContainingType?.OriginalDefinition.ToDisplayString() is "System.Net.Http.HttpClient" or "System.Net.Http.HttpMessageInvoker";

    /// <summary>The HttpClient methods that send a request (also the syntax gates' list of request names).</summary>
    public static bool IsHttpSendName(string name)
        => name.StartsWith("Send", StringComparison.Ordinal) || name.StartsWith("Post", StringComparison.Ordinal)
            || name.StartsWith("Put", StringComparison.Ordinal) || name.StartsWith("Patch", StringComparison.Ordinal)
            || name.StartsWith("Get", StringComparison.Ordinal) || name.StartsWith("Delete", StringComparison.Ordinal);

    /// <summary>
    /// A call method of a generated client (a subclass of <c>ClientBase&lt;T&gt;</c>): unary (<c>AsyncUnaryCall&lt;T&gt;</c>,
    /// or the blocking overload that takes <c>Metadata</c>/<c>CallOptions</c>) and server streaming, which carry the request
    /// message. Client- and duplex-streaming methods only open a stream the caller writes its messages into — the
    /// batching remedy itself — so they are not requests of their own.
    /// </summary>
    private static bool IsGeneratedGrpcCall(IMethodSymbol method)
    {
        var declaring = method.ContainingType?.OriginalDefinition.ToDisplayString();
        if (declaring is null or "Grpc.Core.ClientBase" or "Grpc.Core.ClientBase<TClient>" or "Grpc.Core.ClientBase<T>" or "object"
            || method.MethodKind != MethodKind.Ordinary || method.IsStatic || method.Name is "NewInstance" or "WithHost")
        {
            return false;
        }

        if (IsGrpcType(method.ReturnType, "AsyncUnaryCall") || IsGrpcType(method.ReturnType, "AsyncServerStreamingCall"))
        {
            return true;
        }

        if (IsGrpcType(method.ReturnType, "AsyncClientStreamingCall") || IsGrpcType(method.ReturnType, "AsyncDuplexStreamingCall") || method.ReturnsVoid)
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (IsGrpcType(parameter.Type, "Metadata") || IsGrpcType(parameter.Type, "CallOptions"))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsGrpcType(ITypeSymbol? type, string name)
        => type is INamedTypeSymbol { Name: var typeName } named && typeName == name && named.ContainingNamespace?.ToDisplayString() == "Grpc.Core";

    /// <summary>
    /// Does the method (or, for an interface/virtual member, one of its implementations in the compilation) send data
    /// over the network — a request with a payload, a socket or stream write, a queue publish? A method that only reads
    /// (<c>GetFromJsonAsync</c>) ships nothing.
    /// </summary>
    public bool ShipsDataOverNetwork(IMethodSymbol method, CancellationToken cancellationToken)
        => (GetSends(method, cancellationToken) & (NetworkSends.Payload | NetworkSends.Other)) != 0;

    private Func<ReachableNames?>? _reach;

    /// <summary>The compilation's call names (<see cref="CallReach"/>): methods no name path leads to a request from are not read.</summary>
    public void UseCallReach(Func<ReachableNames?> reach) => _reach = reach;

    /// <summary>Does calling the method (transitively, in the compilation) make an HTTP request or gRPC call?</summary>
    public bool MakesRemoteRequest(IMethodSymbol method, CancellationToken cancellationToken)
        => (method.MethodKind == MethodKind.ExplicitInterfaceImplementation || _reach?.Invoke() is not { } reach || reach.MayRequest(method.Name))
            && (GetSends(method, cancellationToken) & NetworkSends.RemoteRequest) != 0;

    /// <summary>The kinds of network send the method makes, transitively and bounded.</summary>
    public NetworkSends GetSends(IMethodSymbol method, CancellationToken cancellationToken)
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
            return NetworkSends.None;
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

    private NetworkSends Compute(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var found = NetworkSends.None;
        if (method.IsAbstract || method.IsVirtual || method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            foreach (var implementation in _bodies.GetImplementations(method))
            {
                found |= GetSends(implementation, cancellationToken);
                if ((found & NetworkSends.All) == NetworkSends.All)
                {
                    return found;
                }
            }
        }

        var body = _bodies.GetBodyOperation(method, cancellationToken);
        if (body is null)
        {
            return found;
        }

        var visited = 0;
        var consultsCache = false;
        foreach (var operation in body.Descendants())
        {
            if (++visited > InterproceduralSummaries.MaxOperationsPerBody)
            {
                break;
            }

            if (operation is IInvocationOperation invocation)
            {
                consultsCache |= InterproceduralSummaries.IsCacheLookup(invocation);
                var direct = ClassifyDirect(invocation);
                if ((direct & NetworkSends.RemoteRequest) != 0 && LoopVerdicts.IsInCatchClause(invocation))
                {
                    // Error reporting from a catch block is not a request per call.
                    direct = (direct & ~NetworkSends.RemoteRequest) | NetworkSends.OccasionalRemoteRequest;
                }

                found |= direct;
                if ((found & NetworkSends.All) != NetworkSends.All && invocation.TargetMethod.Locations.Length > 0 && invocation.TargetMethod.Locations[0].IsInSource)
                {
                    found |= GetSends(invocation.TargetMethod, cancellationToken);
                }
            }
        }

        // Cache-aside (look in a cache, call the service on a miss): no request per call in steady state.
        if (consultsCache && (found & NetworkSends.RemoteRequest) != 0)
        {
            found = (found & ~NetworkSends.RemoteRequest) | NetworkSends.OccasionalRemoteRequest;
        }

        return found;
    }

    /// <summary>Is the implementation of the method visible in the compilation (so its body can be judged)?</summary>
    public bool HasVisibleImplementation(IMethodSymbol method)
        => method.Locations.Length > 0 && method.Locations[0].IsInSource && !method.IsAbstract
           || !_bodies.GetImplementations(method).IsEmpty;
}

/// <summary>The kinds of network send a call makes.</summary>
[Flags]
internal enum NetworkSends
{
    None = 0,

    /// <summary>A request to a remote service that answers it: an HttpClient send or a gRPC client call.</summary>
    RemoteRequest = 1,

    /// <summary>Socket and stream writes, message-queue publishes.</summary>
    Other = 2,

    /// <summary>A remote request made only occasionally: behind a cache lookup (on a miss) or on the error path (in a catch).</summary>
    OccasionalRemoteRequest = 4,

    /// <summary>The request carries data to the remote side: every HTTP send except GET/HEAD/DELETE, and gRPC calls.</summary>
    Payload = 8,

    All = RemoteRequest | Other,
}
