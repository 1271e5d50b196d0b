using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Per-method facts about methods of the compilation, computed on first use and cached for the
/// compilation: does calling it make a database round trip (transitively, through interfaces and
/// virtual dispatch to implementations in the compilation), and does it return a database query.
/// Bounded: call depth, operations visited per body, and recursion cycles are cut; results that a
/// bound affected are not cached, so the answer never depends on which caller asked first.
/// </summary>
internal sealed class InterproceduralSummaries
{
    public const int MaxCallDepth = 4;
    public const int MaxOperationsPerBody = 4_000;
    public const int MaxImplementations = 8;

    [ThreadStatic] private static HashSet<IMethodSymbol>? t_inProgress;
    [ThreadStatic] private static int t_depth;
    [ThreadStatic] private static int t_cuts;

    private readonly RoundTripRecognizer _recognizer;
    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, MethodSummary> _summaries = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<IMethodSymbol>> _implementations = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<SyntaxTree, SemanticModel> _models = new();
    private readonly SubtypeIndex _subtypes;

    public InterproceduralSummaries(RoundTripRecognizer recognizer, Compilation compilation)
    {
        _recognizer = recognizer;
        _compilation = compilation;
        _subtypes = new SubtypeIndex(compilation, tree => _models.GetOrAdd(tree, GetSemanticModel));
    }

    private Func<ReachableNames?>? _reach;

    /// <summary>The compilation's call names (<see cref="CallReach"/>): calls no name path leads to a round trip from are not summarized.</summary>
    public void UseCallReach(Func<ReachableNames?> reach) => _reach = reach;

    /// <summary>The round trip a call into a method of the compilation makes, with the chain of methods it goes through.</summary>
    public RoundTrip? RecognizeCall(IInvocationOperation invocation, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod;
        if (!IsAnalyzable(method))
        {
            return null;
        }

        if (method.MethodKind != MethodKind.ExplicitInterfaceImplementation && _reach?.Invoke() is { } reach && !reach.MayRoundTrip(method.Name))
        {
            // No method of this name can reach a round trip, so its body need not be bound to find out.
            return null;
        }

        var summary = GetSummary(method, cancellationToken);
        return summary.RoundTrip?.ReachedThrough(invocation, method.ToMessageName());
    }

    /// <summary>Does the method (or property getter) return a database query that the caller will execute?</summary>
    public QueryOrigin ReturnsDatabaseQuery(IMethodSymbol method)
        => IsAnalyzable(method) ? GetSummary(method, CancellationToken.None).ReturnedQuery : default;

    public MethodSummary GetSummary(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = Normalize(method);
        if (_summaries.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var inProgress = t_inProgress ??= new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        if (t_depth >= MaxCallDepth || !inProgress.Add(method))
        {
            t_cuts++;
            return MethodSummary.None;
        }

        var cutsBefore = t_cuts;
        t_depth++;
        try
        {
            var summary = Compute(method, cancellationToken);
            if (t_cuts == cutsBefore)
            {
                _summaries.TryAdd(method, summary);
            }

            return summary;
        }
        finally
        {
            t_depth--;
            inProgress.Remove(method);
        }
    }

    private MethodSummary Compute(IMethodSymbol method, CancellationToken cancellationToken)
    {
        // Dispatch: an interface or virtual member runs one of its implementations in the compilation.
        if (method.IsAbstract || method.IsVirtual || method.IsOverride || method.ContainingType?.TypeKind == TypeKind.Interface)
        {
            foreach (var implementation in GetImplementations(method))
            {
                var implementationSummary = GetSummary(implementation, cancellationToken);
                if (implementationSummary.RoundTrip is not null)
                {
                    var viaImplementation = implementationSummary.RoundTrip.ReachedThrough(implementationSummary.RoundTrip.Operation, implementation.ToMessageName());
                    return new MethodSummary(viaImplementation, implementationSummary.ReturnedQuery);
                }

                if (implementationSummary.ReturnedQuery.Root is not null)
                {
                    return implementationSummary;
                }
            }
        }

        var body = GetBodyOperation(method, cancellationToken);
        if (body is null)
        {
            return MethodSummary.None;
        }

        var flow = new LocalDataFlow();
        var operations = new List<IOperation>();
        CollectExecutedOperations(body, operations);
        foreach (var operation in operations)
        {
            flow.Record(operation);
        }

        RoundTrip? roundTrip = null;
        if (!ConsultsCache(operations))
        {
            // The first round trip (in source order) describes the method; any later write is noted on it.
            var writes = false;
            foreach (var operation in operations)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var found = operation switch
                {
                    IInvocationOperation invocation => _recognizer.RecognizeDirect(invocation, flow)
                        ?? (IsAnalyzable(invocation.TargetMethod) ? GetSummary(invocation.TargetMethod, cancellationToken).RoundTrip?.ReachedThrough(invocation, invocation.TargetMethod.ToMessageName()) : null),
                    IForEachLoopOperation loop => _recognizer.RecognizeIteratedQuery(loop, flow),
                    _ => null,
                };

                if (found is null)
                {
                    continue;
                }

                roundTrip ??= found;
                writes |= found.MayWrite;
                if (writes)
                {
                    break;
                }
            }

            if (roundTrip is not null && writes && !roundTrip.MayWrite)
            {
                roundTrip = roundTrip.WithMayWrite();
            }
        }

        QueryOrigin returned = default;
        if (method.ReturnType is INamedTypeSymbol { TypeKind: TypeKind.Interface })
        {
            foreach (var operation in operations)
            {
                if (operation is IReturnOperation { ReturnedValue: { } value })
                {
                    var origin = _recognizer.GetQueryOrigin(value, flow, 0);
                    if (origin.Root is not null)
                    {
                        returned = origin;
                        break;
                    }
                }
            }
        }

        return new MethodSummary(roundTrip, returned);
    }

    /// <summary>Operations that run when the body runs: expression-tree lambdas are translated, not run, and are skipped.</summary>
    private static void CollectExecutedOperations(IOperation root, List<IOperation> into)
    {
        var stack = new Stack<IOperation>();
        stack.Push(root);
        while (stack.Count > 0 && into.Count < MaxOperationsPerBody)
        {
            var operation = stack.Pop();
            if (operation is IAnonymousFunctionOperation lambda && LoopScope.IsExpressionTreeLambda(lambda))
            {
                continue;
            }

            into.Add(operation);

            // Push children in reverse so they are visited in source order.
            foreach (var child in operation.ChildOperations.Reverse())
            {
                stack.Push(child);
            }
        }
    }

    /// <summary>
    /// A method that looks in a cache before querying (cache-aside) does not make a round trip per call
    /// in steady state; reporting its callers would be a false positive.
    /// </summary>
    private static bool ConsultsCache(List<IOperation> operations)
    {
        foreach (var operation in operations)
        {
            if (operation is IInvocationOperation invocation && IsCacheLookup(invocation))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A cache read: <c>cache.Get*/TryGet*</c> on a cache type, or <c>TryGetValue/GetOrAdd</c> on a field or property.</summary>
    public static bool IsCacheLookup(IInvocationOperation invocation)
    {
        var name = invocation.TargetMethod.Name;
        var receiverType = invocation.GetReceiver()?.Type;
        if ((name.StartsWith("Get", StringComparison.Ordinal) || name.StartsWith("TryGet", StringComparison.Ordinal)) && receiverType is not null && NamesCache(receiverType))
        {
            return true;
        }

        return name is "TryGetValue" or "GetOrAdd" && invocation.Instance.WalkDownConversions() is IFieldReferenceOperation or IPropertyReferenceOperation;
    }

    private static bool NamesCache(ITypeSymbol type)
    {
        if (type.Name.IndexOf("Cache", StringComparison.Ordinal) >= 0)
        {
            return true;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (implemented.Name.IndexOf("Cache", StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsAnalyzable(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction or MethodKind.PropertyGet or MethodKind.ExplicitInterfaceImplementation
            && (method.Locations.Any(l => l.IsInSource) || method.ContainingType?.TypeKind == TypeKind.Interface && method.ContainingAssembly is ISourceAssemblySymbol);

    private static IMethodSymbol Normalize(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        method = method.PartialImplementationPart ?? method;
        return method.OriginalDefinition;
    }

    /// <summary>The operation tree of a source method's body (semantic models cached per tree), or null.</summary>
    public IOperation? GetBodyOperation(IMethodSymbol method, CancellationToken cancellationToken)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(cancellationToken);
            var hasBody = node switch
            {
                BaseMethodDeclarationSyntax declaration => declaration.Body is not null || declaration.ExpressionBody is not null,
                LocalFunctionStatementSyntax local => local.Body is not null || local.ExpressionBody is not null,
                AccessorDeclarationSyntax accessor => accessor.Body is not null || accessor.ExpressionBody is not null,
                ArrowExpressionClauseSyntax => true,
                _ => false,
            };
            if (!hasBody)
            {
                continue;
            }

            var model = _models.GetOrAdd(node.SyntaxTree, GetSemanticModel);
            var operation = model.GetOperation(node, cancellationToken);
            if (operation is not null)
            {
                return operation;
            }
        }

        return null;
    }

/// <summary>The semantic model for a tree: the analyzer driver's own when a rule has offered it (its bound bodies are reused).</summary>
    public SemanticModel GetModel(SyntaxTree tree) => _models.GetOrAdd(tree, GetSemanticModel);

    /// <summary>Shares the driver's semantic model of a tree, so that bodies it has bound are not bound again for summaries.</summary>
    public void OfferModel(SemanticModel model) => _models.TryAdd(model.SyntaxTree, model);

    /// <summary>The initializer of a source field or property (<c>static readonly Func&lt;..&gt; Q = EF.CompileAsyncQuery(..)</c>), or null.</summary>
    public IOperation? GetInitializerValue(ISymbol member, CancellationToken cancellationToken)
    {
        foreach (var reference in member.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(cancellationToken);
            var initializer = node switch
            {
                VariableDeclaratorSyntax variable => variable.Initializer,
                PropertyDeclarationSyntax property => property.Initializer,
                _ => null,
            };
            if (initializer is null)
            {
                continue;
            }

            var model = _models.GetOrAdd(node.SyntaxTree, GetSemanticModel);
            if (model.GetOperation(initializer.Value, cancellationToken) is { } value)
            {
                return value;
            }
        }

        return null;
    }

#pragma warning disable RS1030 // Interprocedural summaries need the bodies of methods declared in other trees; models are cached per tree.
    private SemanticModel GetSemanticModel(SyntaxTree tree) => _compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

    /// <summary>Implementations (interface) or overrides (abstract/virtual) of the method in the compilation, bounded.</summary>
    public ImmutableArray<IMethodSymbol> GetImplementations(IMethodSymbol method)
        => _implementations.GetOrAdd(method, FindImplementations);

    private ImmutableArray<IMethodSymbol> FindImplementations(IMethodSymbol method)
    {
        var containing = method.ContainingType;
        if (containing is null)
        {
            return ImmutableArray<IMethodSymbol>.Empty;
        }

        var found = ImmutableArray.CreateBuilder<IMethodSymbol>();
        foreach (var type in SubtypesOf(containing))
        {
            if (found.Count >= MaxImplementations)
            {
                break;
            }

            if (SymbolEqualityComparer.Default.Equals(type, containing.OriginalDefinition))
            {
                continue;
            }

            if (containing.TypeKind == TypeKind.Interface)
            {
                if (type.TypeKind is TypeKind.Class or TypeKind.Struct && type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, containing.OriginalDefinition)))
                {
                    foreach (var candidateInterface in type.AllInterfaces)
                    {
                        if (SymbolEqualityComparer.Default.Equals(candidateInterface.OriginalDefinition, containing.OriginalDefinition))
                        {
                            var member = candidateInterface.GetMembers(method.Name).OfType<IMethodSymbol>().FirstOrDefault(m => SymbolEqualityComparer.Default.Equals(m.OriginalDefinition, method.OriginalDefinition));
                            if (member is not null && type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation && implementation.Locations.Any(l => l.IsInSource))
                            {
                                found.Add(implementation);
                                break;
                            }
                        }
                    }
                }
            }
            else if (type.InheritsFromOrEquals(containing.OriginalDefinition))
            {
                foreach (var member in type.GetMembers(method.Name))
                {
                    if (member is IMethodSymbol { IsOverride: true } candidate && Overrides(candidate, method))
                    {
                        found.Add(candidate);
                    }
                }
            }
        }

        return found.ToImmutable();
    }

    /// <summary>Source classes implementing (or deriving from) <paramref name="type"/>, bounded.</summary>
    public ImmutableArray<INamedTypeSymbol> GetConcreteTypes(INamedTypeSymbol type)
    {
        var found = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        if (type.TypeKind == TypeKind.Class && !type.IsAbstract && type.Locations.Any(l => l.IsInSource))
        {
            found.Add(type.OriginalDefinition);
        }

        foreach (var candidate in SubtypesOf(type))
        {
            if (found.Count >= MaxImplementations)
            {
                break;
            }

            if (candidate.TypeKind == TypeKind.Class && !candidate.IsAbstract)
            {
                found.Add(candidate);
            }
        }

        return found.ToImmutable();
    }

    private static bool Overrides(IMethodSymbol candidate, IMethodSymbol method)
    {
        for (var current = candidate.OverriddenMethod; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, method.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Source classes and structs deriving from or implementing <paramref name="type"/> (shared per-compilation index).</summary>
    public ImmutableArray<INamedTypeSymbol> SubtypesOf(INamedTypeSymbol type) => _subtypes.SubtypesOf(type);

    /// <summary>See <see cref="SubtypeIndex.CandidateSubtypeNames"/>.</summary>
    public IEnumerable<string> CandidateSubtypeNames(string typeName) => _subtypes.CandidateSubtypeNames(typeName);
}

internal sealed class MethodSummary
{
    public static readonly MethodSummary None = new(null, default);

    public MethodSummary(RoundTrip? roundTrip, QueryOrigin returnedQuery)
    {
        RoundTrip = roundTrip;
        ReturnedQuery = returnedQuery;
    }

    /// <summary>The first round trip the method makes (in source order), if any.</summary>
    public RoundTrip? RoundTrip { get; }

    /// <summary>The database query the method returns unexecuted, if any.</summary>
    public QueryOrigin ReturnedQuery { get; }
}
