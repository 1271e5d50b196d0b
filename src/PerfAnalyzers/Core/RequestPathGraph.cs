using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Which methods of the compilation run on a request path: the request entry points (see <see cref="RequestPaths"/>)
/// and everything they call, transitively (bounded), through interface and virtual dispatch. Call edges are
/// recorded once per block as blocks are analyzed; the reachable set is computed once, at compilation end,
/// by the first rule that asks.
/// </summary>
internal sealed class RequestPathGraph
{
    public const int MaxDepth = 8;

    private readonly PerfCompilationContext _perf;
    private readonly ConcurrentDictionary<IMethodSymbol, ConcurrentDictionary<IMethodSymbol, byte>> _calls = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, (string Name, int Order)> _entries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<ITypeSymbol, byte> _singletons = new(SymbolEqualityComparer.Default);
    private readonly object _gate = new();
    private ImmutableDictionary<IMethodSymbol, string>? _reached;

    public RequestPathGraph(PerfCompilationContext perf) => _perf = perf;

    public bool IsRegisteredAsSingleton(ITypeSymbol type) => _singletons.ContainsKey(type.OriginalDefinition);

    public void RecordBlock(ISymbol owner, IEnumerable<IOperation> operations)
    {
        if (owner is IMethodSymbol ownerMethod && _perf.RequestPaths.DescribeEntry(ownerMethod) is { } ownerEntry)
        {
            AddEntry(ownerMethod, ownerEntry);
        }

        foreach (var operation in operations)
        {
            switch (operation)
            {
                case IInvocationOperation invocation:
                    AddCall(operation, owner, invocation.TargetMethod);
                    RecordRegistration(invocation);
                    break;
                case IObjectCreationOperation { Constructor: { } constructor }:
                    AddCall(operation, owner, constructor);
                    break;
                case IMethodReferenceOperation reference:
                    if (_perf.RequestPaths.IsMinimalApiHandler(reference))
                    {
                        AddEntry(reference.Method.OriginalDefinition, "the endpoint handler " + reference.Method.ToMessageName());
                    }
                    else
                    {
                        AddCall(operation, owner, reference.Method);
                    }

                    break;
                case IAnonymousFunctionOperation lambda:
                    if (_perf.RequestPaths.IsMinimalApiHandler(lambda))
                    {
                        AddEntry(lambda.Symbol, "the minimal API handler at line " + (lambda.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1));
                    }
                    else if (!ApplicationLifetime.IsSingletonFactory(lambda, _perf.Types) && !ApplicationLifetime.IsDetachedWork(lambda))
                    {
                        // Code in a lambda runs on behalf of the function that creates it.
                        AddCall(operation, owner, lambda.Symbol);
                    }

                    break;
            }
        }
    }

    /// <summary>Method (or lambda) → the request entry point it is reached from. Computed once.</summary>
    public ImmutableDictionary<IMethodSymbol, string> GetReachedMethods(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            return _reached ??= ComputeReached(cancellationToken);
        }
    }

    private ImmutableDictionary<IMethodSymbol, string> ComputeReached(CancellationToken cancellationToken)
    {
        var reached = ImmutableDictionary.CreateBuilder<IMethodSymbol, string>(SymbolEqualityComparer.Default);
        foreach (var entry in _entries.OrderBy(e => e.Value.Order).ThenBy(e => e.Value.Name, StringComparer.Ordinal))
        {
            // The entry's type is constructed per request too: its constructors (and what they inject) are on the path.
            var frontier = new List<IMethodSymbol> { entry.Key };
            if (entry.Key.MethodKind != MethodKind.AnonymousFunction && entry.Key.ContainingType is { } entryType)
            {
                // (controllers, pages, hubs, view components; middleware is constructed once).
                frontier.AddRange(entryType.InstanceConstructors.Where(c => !reached.ContainsKey(c) && _perf.RequestPaths.DescribeEntry(c) is not null));
            }

            for (var depth = 0; depth <= MaxDepth && frontier.Count > 0; depth++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var next = new List<IMethodSymbol>();
                foreach (var method in frontier)
                {
                    if (reached.ContainsKey(method))
                    {
                        continue;
                    }

                    reached[method] = entry.Value.Name;
                    foreach (var callee in Callees(method))
                    {
                        if (!reached.ContainsKey(callee) && !_entries.ContainsKey(callee))
                        {
                            next.Add(callee);
                        }
                    }
                }

                frontier = next;
            }
        }

        return reached.ToImmutable();
    }

    private IEnumerable<IMethodSymbol> Callees(IMethodSymbol method)
    {
        if (method.MethodKind == MethodKind.Constructor)
        {
            // Constructor injection: the services a per-request object receives are constructed for it (unless singletons).
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface } injected && injected.Locations.Any(l => l.IsInSource) && !IsRegisteredAsSingleton(injected))
                {
                    foreach (var concrete in _perf.RoundTrips.Summaries.GetConcreteTypes(injected))
                    {
                        if (!IsRegisteredAsSingleton(concrete))
                        {
                            foreach (var constructor in concrete.InstanceConstructors)
                            {
                                yield return constructor;
                            }
                        }
                    }
                }
            }
        }

        if (!_calls.TryGetValue(method, out var callees))
        {
            yield break;
        }

        foreach (var callee in callees.Keys.OrderBy(c => c.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0))
        {
            if (callee.IsAbstract || callee.IsVirtual || callee.ContainingType?.TypeKind == TypeKind.Interface)
            {
                foreach (var implementation in _perf.RoundTrips.Summaries.GetImplementations(callee))
                {
                    yield return implementation.OriginalDefinition;
                }
            }

            yield return callee;
        }
    }

    private void AddEntry(IMethodSymbol method, string name)
        => _entries.TryAdd(method, (name, method.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0));

    private void AddCall(IOperation site, ISymbol owner, IMethodSymbol target)
    {
        target = target.ReducedFrom ?? target;
        target = (target.PartialImplementationPart ?? target).OriginalDefinition;
        if (!target.Locations.Any(l => l.IsInSource) && target.ContainingType?.TypeKind != TypeKind.Interface)
        {
            return;
        }

        if (FunctionOf(site, owner) is not { } caller || SymbolEqualityComparer.Default.Equals(caller, target))
        {
            return;
        }

        _calls.GetOrAdd(caller, _ => new ConcurrentDictionary<IMethodSymbol, byte>(SymbolEqualityComparer.Default)).TryAdd(target, 0);
    }

    /// <summary><c>services.AddSingleton&lt;IFoo, Foo&gt;()</c>, <c>AddHostedService&lt;T&gt;()</c>: constructed once, not per request.</summary>
    private void RecordRegistration(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod;
        if (method.Name is "AddSingleton" or "TryAddSingleton" or "AddHostedService" && method.TypeArguments.Length > 0)
        {
            _singletons.TryAdd(method.TypeArguments[method.TypeArguments.Length - 1].OriginalDefinition, 0);
        }
    }

    /// <summary>The function (method, local function or lambda) an operation runs in.</summary>
    public static IMethodSymbol? FunctionOf(IOperation operation, ISymbol owner)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation local:
                    return local.Symbol;
            }
        }

        return owner as IMethodSymbol;
    }
}
