using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

internal enum LoopKind
{
    ForEach,
    For,
    While,
    DoWhile,
    /// <summary>A lambda run once per element: <c>Select</c>, <c>ForEach</c>, <c>Parallel.ForEachAsync</c>, ...</summary>
    PerElementLambda,
}

/// <summary>
/// One loop enclosing a site: which symbols change per iteration and which syntax runs per iteration.
/// Instances are compared by reference; one is created per loop per block.
/// </summary>
internal sealed class LoopScope
{
    private readonly ImmutableArray<ISymbol> _iterationSymbols;
    private readonly ImmutableArray<SyntaxNode> _perIterationRegions;

    private readonly string? _fixedDescription;
    private string? _description;

    public LoopScope(LoopKind kind, IOperation operation, ImmutableArray<ISymbol> iterationSymbols, ImmutableArray<SyntaxNode> perIterationRegions, string? description, IOperation? iteratedCollection)
    {
        Kind = kind;
        Operation = operation;
        _iterationSymbols = iterationSymbols;
        _perIterationRegions = perIterationRegions;
        _fixedDescription = description;
        IteratedCollection = iteratedCollection;
    }

    public LoopKind Kind { get; }

    /// <summary>The loop operation, or the anonymous function for a per-element lambda.</summary>
    public IOperation Operation { get; }

    /// <summary>For messages: "the foreach over 'posts'". Built on first use: most loops asked about report nothing.</summary>
    public string Description => _description ??= _fixedDescription ?? Describe();

    private string Describe()
    {
        switch (Operation)
        {
            case IForEachLoopOperation forEach:
                var collectionText = Shorten(forEach.Collection.WalkDownConversions()?.Syntax.ToString() ?? forEach.Collection.Syntax.ToString());
                return $"the {(forEach.IsAsynchronous ? "await foreach" : "foreach")} over '{collectionText}'";
            case IAnonymousFunctionOperation when IteratedBy is { } invocation:
                var method = invocation.TargetMethod;
                var owner = method.ContainingType.Name == "Enumerable" ? method.Name : method.ContainingType.Name + "." + method.Name;
                return $"the lambda passed to '{owner}'";
            default:
                return "the loop";
        }
    }

    /// <summary>The per-element operator a lambda is passed to.</summary>
    private IInvocationOperation? IteratedBy { get; set; }

    /// <summary>What a foreach or per-element lambda iterates, when known.</summary>
    public IOperation? IteratedCollection { get; }

    public ImmutableArray<ISymbol> IterationSymbols => _iterationSymbols;

    /// <summary>Whether the loop steps through the data in pages or keyed batches rather than per element.</summary>
    public bool IsCountedOrConditional => Kind is LoopKind.For or LoopKind.While or LoopKind.DoWhile;

    public bool IsIterationSymbol(ISymbol symbol)
    {
        foreach (var candidate in _iterationSymbols)
        {
            if (SymbolEqualityComparer.Default.Equals(candidate, symbol))
            {
                return true;
            }
        }

        return false;
    }

    public bool ContainsPerIteration(SyntaxNode node)
    {
        foreach (var region in _perIterationRegions)
        {
            if (node.IsWithin(region))
            {
                return true;
            }
        }

        return false;
    }

    public bool ContainsDeclarationOf(ILocalSymbol local)
    {
        foreach (var reference in local.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree == Operation.Syntax.SyntaxTree && ContainsPerIteration(reference.GetSyntax()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The loops that run <paramref name="site"/> repeatedly, innermost first, up to the enclosing method,
    /// local function or non-per-element lambda. Returns false when the site sits in an expression tree
    /// (translated to SQL, never run as code).
    /// </summary>
    public static bool TryGetEnclosingLoops(IOperation site, WellKnownTypes types, List<LoopScope> loops, out bool inExpressionTree)
    {
        inExpressionTree = false;
        var child = site;
        for (var current = site.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IForEachLoopOperation forEach:
                    if (child != forEach.Collection && !IsWithinCollection(site, forEach))
                    {
                        loops.Add(FromForEach(forEach));
                    }

                    break;
                case IForLoopOperation forLoop:
                    if (!IsInForInitializer(site, forLoop))
                    {
                        loops.Add(FromFor(forLoop));
                    }

                    break;
                case IWhileLoopOperation whileLoop:
                    loops.Add(FromWhile(whileLoop));
                    break;
                case IAnonymousFunctionOperation lambda:
                    if (IsExpressionTreeLambda(lambda))
                    {
                        inExpressionTree = true;
                        return false;
                    }

                    if (TryGetPerElementInvocation(lambda, types, out var invocation))
                    {
                        loops.Add(FromLambda(lambda, invocation));
                        break;
                    }

                    // A delegate run at an unknown time (Task.Run, an event handler, a callback): stop here.
                    return true;
                case ILocalFunctionOperation:
                case IMethodBodyBaseOperation:
                    return true;
            }
        }

        return true;
    }

    private static bool IsWithinCollection(IOperation site, IForEachLoopOperation forEach)
        => site.IsWithin(forEach.Collection.Syntax);

    private static bool IsInForInitializer(IOperation site, IForLoopOperation forLoop)
    {
        foreach (var before in forLoop.Before)
        {
            if (site.IsWithin(before.Syntax))
            {
                return true;
            }
        }

        return false;
    }

    public static bool IsExpressionTreeLambda(IAnonymousFunctionOperation lambda)
        => lambda.Parent is IDelegateCreationOperation creation
            && creation.Type is INamedTypeSymbol { Name: "Expression" } type
            && type.ContainingNamespace?.ToDisplayString() == "System.Linq.Expressions"
           || lambda.Parent is IConversionOperation { Type: INamedTypeSymbol { Name: "Expression" } };

    /// <summary>
    /// Is this lambda run once per element of a sequence? Enumerable operators (deferred or not),
    /// <c>List&lt;T&gt;.ForEach</c>, <c>Array.ForEach</c>, <c>Parallel.For/ForEach/ForEachAsync</c>,
    /// and <c>System.Linq.AsyncEnumerable</c> operators.
    /// </summary>
    public static bool TryGetPerElementInvocation(IAnonymousFunctionOperation lambda, WellKnownTypes types, out IInvocationOperation invocation)
        => TryGetPerElementInvocation((IOperation)lambda, types, out invocation);

    /// <summary>
    /// <c>skus.Select(FetchAsync)</c>: a method group run once per element, as a loop scope (its element is the
    /// method's argument); null when the group is not handed to a per-element operator.
    /// </summary>
    public static LoopScope? ForMethodGroup(IDelegateCreationOperation creation, WellKnownTypes types)
    {
        if (creation.Target is not IMethodReferenceOperation || !TryGetPerElementInvocation(creation, types, out var invocation))
        {
            return null;
        }

        var method = invocation.TargetMethod;
        var owner = method.ContainingType.Name == "Enumerable" ? method.Name : method.ContainingType.Name + "." + method.Name;
        var source = invocation.GetReceiver() ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return new LoopScope(LoopKind.PerElementLambda, creation, ImmutableArray<ISymbol>.Empty, ImmutableArray.Create(creation.Syntax), $"the method group passed to '{owner}'", source);
    }

    private static readonly ImmutableHashSet<string> ListPerElementMethods = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "ForEach", "ConvertAll", "FindAll", "RemoveAll", "Find", "Exists", "TrueForAll");

    private static readonly ImmutableHashSet<string> ArrayPerElementMethods = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "ForEach", "ConvertAll", "FindAll", "Find", "Exists", "TrueForAll");

    /// <summary>The names of every method <see cref="TryGetPerElementInvocation(IOperation, WellKnownTypes, out IInvocationOperation)"/> accepts, for the syntax gates.</summary>
    public static HashSet<string> PerElementMethodNames(Compilation compilation, WellKnownTypes types)
    {
        var names = new HashSet<string>(System.StringComparer.Ordinal);
        names.UnionWith(ListPerElementMethods);
        names.UnionWith(ArrayPerElementMethods);
        names.UnionWith(types.Enumerable?.MemberNames ?? System.Array.Empty<string>());
        names.UnionWith(types.Parallel?.MemberNames ?? System.Array.Empty<string>());
        foreach (var asyncEnumerable in compilation.GetTypesByMetadataName("System.Linq.AsyncEnumerable"))
        {
            names.UnionWith(asyncEnumerable.MemberNames);
        }

        return names;
    }

    private static bool TryGetPerElementInvocation(IOperation function, WellKnownTypes types, out IInvocationOperation invocation)
    {
        invocation = null!;
        IOperation? parent = function.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation { Parent: IInvocationOperation candidate })
        {
            return false;
        }

        var method = candidate.TargetMethod;
        var containing = method.ContainingType?.OriginalDefinition;
        if (containing is null)
        {
            return false;
        }

        var perElement =
            containing.IsType(types.Enumerable)
            || containing.IsType(types.Parallel)
            || (containing.IsType(types.ListOfT) && ListPerElementMethods.Contains(method.Name))
            || (containing.SpecialType == SpecialType.None && containing.Name == "Array" && containing.ContainingNamespace?.ToDisplayString() == "System" && ArrayPerElementMethods.Contains(method.Name))
            || (containing.Name == "AsyncEnumerable" && containing.ContainingNamespace?.ToDisplayString() == "System.Linq");
        if (!perElement)
        {
            return false;
        }

        invocation = candidate;
        return true;
    }

    private static LoopScope FromForEach(IForEachLoopOperation forEach)
    {
        var symbols = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var local in forEach.Locals)
        {
            symbols.Add(local);
        }

        foreach (var descendant in forEach.LoopControlVariable.DescendantsAndSelf())
        {
            if (descendant is ILocalReferenceOperation reference)
            {
                symbols.Add(reference.Local);
            }
        }

        var syntax = forEach.Syntax as CommonForEachStatementSyntax;
        var regions = syntax is not null ? ImmutableArray.Create<SyntaxNode>(syntax.Statement) : ImmutableArray.Create(forEach.Body.Syntax);
        return new LoopScope(LoopKind.ForEach, forEach, symbols.ToImmutable(), regions, description: null, forEach.Collection);
    }

    private static LoopScope FromFor(IForLoopOperation forLoop)
    {
        var regions = ImmutableArray.CreateBuilder<SyntaxNode>();
        if (forLoop.Syntax is ForStatementSyntax forSyntax)
        {
            if (forSyntax.Condition is not null)
            {
                regions.Add(forSyntax.Condition);
            }

            regions.AddRange(forSyntax.Incrementors);
            regions.Add(forSyntax.Statement);
        }
        else
        {
            regions.Add(forLoop.Body.Syntax);
        }

        var symbols = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var local in forLoop.Locals)
        {
            symbols.Add(local);
        }

        return new LoopScope(LoopKind.For, forLoop, symbols.ToImmutable(), regions.ToImmutable(), "the for loop", null);
    }

    private static LoopScope FromWhile(IWhileLoopOperation whileLoop)
    {
        var kind = whileLoop.ConditionIsTop ? LoopKind.While : LoopKind.DoWhile;
        return new LoopScope(kind, whileLoop, ImmutableArray<ISymbol>.Empty, ImmutableArray.Create(whileLoop.Syntax), kind == LoopKind.While ? "the while loop" : "the do-while loop", null);
    }

    private static LoopScope FromLambda(IAnonymousFunctionOperation lambda, IInvocationOperation invocation)
    {
        var symbols = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var parameter in lambda.Symbol.Parameters)
        {
            // Parallel.ForEachAsync's (item, token): the token is the same for every element.
            if (parameter.Type is not INamedTypeSymbol { Name: "CancellationToken" })
            {
                symbols.Add(parameter);
            }
        }

        var source = invocation.GetReceiver() ?? (invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value : null);
        return new LoopScope(LoopKind.PerElementLambda, lambda, symbols.ToImmutable(), ImmutableArray.Create(lambda.Syntax), description: null, source) { IteratedBy = invocation };
    }

    private static string Shorten(string text)
    {
        text = text.Replace("\r", " ").Replace("\n", " ");
        while (text.Contains("  "))
        {
            text = text.Replace("  ", " ");
        }

        return text.Length <= 60 ? text : text.Substring(0, 57) + "...";
    }
}
