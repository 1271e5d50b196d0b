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
/// Which methods of the compilation run on a request path: those a request entry point (see <see cref="RequestPaths"/>)
/// reaches through calls, object creations, method groups, interface and virtual dispatch and constructor injection,
/// within <see cref="MaxDepth"/> calls.
/// <para>
/// Searched backwards and on demand, so that no body has to be bound just to record its calls: every code block's
/// syntax is indexed by the names an edge can go through (<see cref="BodySyntax.ReferencedNames"/>), and a question
/// about a method binds only the blocks that name it, walking callers up to the entry points. Callers are memoized
/// per method and the walk is bounded in depth and in the call sites it binds. Asked at compilation end, when every
/// block has been indexed.
/// </para>
/// </summary>
internal sealed class RequestPathGraph
{
    public const int MaxDepth = 8;

    /// <summary>Call sites bound for one simple name; beyond it the methods of that name count as not reached.</summary>
    public const int MaxSitesPerName = 8_192;

    /// <summary>Methods visited by one reachability question.</summary>
    public const int MaxMethodsPerQuestion = 1_024;

    private static readonly ImmutableHashSet<string> SingletonRegistrations = ImmutableHashSet.Create(StringComparer.Ordinal, "AddSingleton", "TryAddSingleton", "AddHostedService");

    private readonly PerfCompilationContext _perf;
    private readonly Lazy<Dictionary<string, List<SyntaxNode>>> _blocksByName;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<Caller>> _callers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<IMethodSymbol, Entry?> _entries = new(SymbolEqualityComparer.Default);
    private readonly Lazy<HashSet<ITypeSymbol>> _singletons;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<IMethodSymbol, List<Caller>>?>> _sitesByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<ITypeSymbol, List<(IMethodSymbol Function, SyntaxNode Parameter)>>>> _receiversByName = new(StringComparer.Ordinal);

    public RequestPathGraph(PerfCompilationContext perf)
    {
        _perf = perf;
        _singletons = new Lazy<HashSet<ITypeSymbol>>(FindSingletons, LazyThreadSafetyMode.ExecutionAndPublication);
        _blocksByName = new Lazy<Dictionary<string, List<SyntaxNode>>>(IndexBlocks, LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>
    /// Every code block the rules have read, under the names its edges go through. Built at the first question, which
    /// comes at compilation end, once every analyzed tree's blocks have been read (<see cref="PerfCompilationContext.BlocksRead"/>):
    /// the IDE, which runs no compilation-end actions, never pays for it.
    /// </summary>
    private Dictionary<string, List<SyntaxNode>> IndexBlocks()
    {
        var index = new Dictionary<string, List<SyntaxNode>>(StringComparer.Ordinal);
        if (!_perf.RequestPaths.HasAspNetCore)
        {
            return index;
        }

        foreach (var block in _perf.BlocksRead)
        {
            foreach (var name in block.Value.ReferencedNames)
            {
                if (!index.TryGetValue(name, out var blocks))
                {
                    index.Add(name, blocks = new List<SyntaxNode>());
                }

                blocks.Add(block.Key);
            }
        }

        return index;
    }

    /// <summary><c>services.AddSingleton&lt;IFoo, Foo&gt;()</c>, <c>AddHostedService&lt;T&gt;()</c>: constructed once, not per request.</summary>
    public bool IsRegisteredAsSingleton(ITypeSymbol type) => _singletons.Value.Contains(type.OriginalDefinition);

    /// <summary>
    /// The request entry point from which <paramref name="site"/>, running in <paramref name="function"/>, is reached, or null.
    /// A site inside a lambda that runs detached, or that builds a singleton, is not on the path of its enclosing method.
    /// </summary>
    public string? EntryReaching(IOperation site, IMethodSymbol function, CancellationToken cancellationToken)
    {
        var start = Climb(site, function);
        return start.Kind switch
        {
            CallerKind.Entry => start.Entry!.Value.Name,
            CallerKind.Function => EntryReaching(start.Function!, cancellationToken)?.Name,
            _ => null,
        };
    }

    /// <summary>Does some method or lambda on a request path take a parameter of this type (constructor injection, handler parameters)?</summary>
    public bool IsReceivedOnRequestPath(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        var receivers = _receiversByName.GetOrAdd(type.Name, name => new Lazy<Dictionary<ITypeSymbol, List<(IMethodSymbol, SyntaxNode)>>>(
            () => FindReceivers(name, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
        if (!receivers.TryGetValue(type.OriginalDefinition, out var functions))
        {
            return false;
        }

        foreach (var (function, parameter) in functions)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (function.MethodKind != MethodKind.AnonymousFunction)
            {
                if (EntryReaching(function, cancellationToken) is not null)
                {
                    return true;
                }
            }
            else if (parameter.Parent?.Parent is { } lambdaSyntax
                && _perf.RoundTrips.Summaries.GetModel(lambdaSyntax.SyntaxTree).GetOperation(lambdaSyntax, cancellationToken) is IAnonymousFunctionOperation lambda
                && EntryReaching(lambda, function, cancellationToken) is not null)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every function with a parameter whose type has this simple name, by the parameter's type (bound once per name).</summary>
    private Dictionary<ITypeSymbol, List<(IMethodSymbol, SyntaxNode)>> FindReceivers(string typeName, CancellationToken cancellationToken)
    {
        var receivers = new Dictionary<ITypeSymbol, List<(IMethodSymbol, SyntaxNode)>>(SymbolEqualityComparer.Default);
        foreach (var block in BlocksNaming(new HashSet<string>(StringComparer.Ordinal) { typeName }))
        {
            var model = _perf.RoundTrips.Summaries.GetModel(block.SyntaxTree);
            foreach (var parameter in block.DescendantNodesAndSelf().OfType<ParameterSyntax>())
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (BodySyntax.RightmostName(parameter.Type) == typeName
                    && model.GetDeclaredSymbol(parameter, cancellationToken) is IParameterSymbol { ContainingSymbol: IMethodSymbol function } parameterSymbol)
                {
                    var key = parameterSymbol.Type.OriginalDefinition;
                    if (!receivers.TryGetValue(key, out var list))
                    {
                        receivers.Add(key, list = new List<(IMethodSymbol, SyntaxNode)>());
                    }

                    list.Add((function, parameter));
                }
            }
        }

        return receivers;
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

    /// <summary>The entry reaching a method: itself when it is one, else the first (by position, then name) among its callers' entries.</summary>
    private Entry? EntryReaching(IMethodSymbol method, CancellationToken cancellationToken)
    {
        method = Normalize(method);
        if (_entries.TryGetValue(method, out var known))
        {
            return known;
        }

        Entry? best = null;
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { method };
        var frontier = new List<IMethodSymbol> { method };
        for (var depth = 0; depth <= MaxDepth && frontier.Count > 0 && visited.Count < MaxMethodsPerQuestion; depth++)
        {
            var next = new List<IMethodSymbol>();
            foreach (var current in frontier)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (EntryOf(current) is { } entry)
                {
                    best = Earlier(best, entry);
                    continue;
                }

                if (depth == MaxDepth)
                {
                    continue;
                }

                foreach (var caller in CallersOf(current, cancellationToken))
                {
                    if (caller.Kind == CallerKind.Entry)
                    {
                        best = Earlier(best, caller.Entry!.Value);
                    }
                    else if (caller.Kind == CallerKind.Function && visited.Add(caller.Function!))
                    {
                        next.Add(caller.Function!);
                    }
                }
            }

            frontier = next;
        }

        return _entries.GetOrAdd(method, best);
    }

    private static Entry Earlier(Entry? best, Entry candidate)
        => best is { } current && (current.Order < candidate.Order || (current.Order == candidate.Order && string.CompareOrdinal(current.Name, candidate.Name) <= 0)) ? current : candidate;

    private Entry? EntryOf(IMethodSymbol method)
        => _perf.RequestPaths.DescribeEntry(method) is { } name ? new Entry(name, Position(method)) : null;

    private ImmutableArray<Caller> CallersOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_callers.TryGetValue(method, out var known))
        {
            return known;
        }

        var callers = ImmutableArray.CreateBuilder<Caller>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        if (method.MethodKind == MethodKind.Constructor)
        {
            names.Add(method.ContainingType.Name);
            names.Add(BodySyntax.ImplicitCreation);
        }
        else
        {
            names.Add(method.Name);
            foreach (var implemented in method.ExplicitInterfaceImplementations)
            {
                names.Add(implemented.Name);
            }
        }

        foreach (var name in names)
        {
            var sites = _sitesByName.GetOrAdd(name, n => new Lazy<Dictionary<IMethodSymbol, List<Caller>>?>(
                () => ResolveSites(n, cancellationToken), LazyThreadSafetyMode.ExecutionAndPublication)).Value;
            if (sites is null)
            {
                // Too many sites to bind: the method counts as not reached (quiet rather than wrong).
                return _callers.GetOrAdd(method, ImmutableArray<Caller>.Empty);
            }

            foreach (var pair in sites)
            {
                var target = pair.Key;
                if (SymbolEqualityComparer.Default.Equals(target, method)
                    || ((target.IsAbstract || target.IsVirtual || target.ContainingType?.TypeKind == TypeKind.Interface)
                        && _perf.RoundTrips.Summaries.GetImplementations(target).Any(i => SymbolEqualityComparer.Default.Equals(Normalize(i), method))))
                {
                    callers.AddRange(pair.Value);
                }
            }
        }

        if (method.MethodKind == MethodKind.Constructor)
        {
            AddInjectingConstructors(method, callers, cancellationToken);
        }

        return _callers.GetOrAdd(method, callers.ToImmutable());
    }

    /// <summary>
    /// Every call, creation or method group of a simple name in the compilation, bound once and grouped by the method it
    /// targets, each with the caller it runs in; null beyond <see cref="MaxSitesPerName"/>. Same-named methods (one per
    /// module, say) share this work instead of each scanning all the others' call sites.
    /// </summary>
    private Dictionary<IMethodSymbol, List<Caller>>? ResolveSites(string name, CancellationToken cancellationToken)
    {
        var byTarget = new Dictionary<IMethodSymbol, List<Caller>>(SymbolEqualityComparer.Default);
        var names = new HashSet<string>(StringComparer.Ordinal) { name };
        var sites = 0;
        foreach (var block in BlocksNaming(names))
        {
            var model = _perf.RoundTrips.Summaries.GetModel(block.SyntaxTree);
            foreach (var node in block.DescendantNodes())
            {
                if (!IsSiteNamed(node, names))
                {
                    continue;
                }

                cancellationToken.ThrowIfCancellationRequested();
                if (++sites > MaxSitesPerName)
                {
                    return null;
                }

                if (model.GetOperation(node, cancellationToken) is not { } operation || TargetOf(operation, out var reference) is not { } target
                    || OwnerOf(node, model, cancellationToken) is not { } owner)
                {
                    continue;
                }

                var caller = reference is not null && _perf.RequestPaths.IsMinimalApiHandler(reference)
                    ? Caller.ForEntry(new Entry("the endpoint handler " + target.ToMessageName(), Position(target)))
                    : Climb(operation, owner);
                if (!byTarget.TryGetValue(target, out var list))
                {
                    byTarget.Add(target, list = new List<Caller>());
                }

                list.Add(caller);
            }
        }

        return byTarget;
    }

    /// <summary>Constructor injection: the constructors that receive this type (or an abstraction it implements) are its callers.</summary>
    private void AddInjectingConstructors(IMethodSymbol constructor, ImmutableArray<Caller>.Builder callers, CancellationToken cancellationToken)
    {
        var type = constructor.ContainingType;
        if (IsRegisteredAsSingleton(type))
        {
            return;
        }

        var names = new HashSet<string>(StringComparer.Ordinal) { type.Name };
        foreach (var implemented in type.AllInterfaces)
        {
            names.Add(implemented.Name);
        }

        for (var baseType = type.BaseType; baseType is not null && baseType.Locations.Any(l => l.IsInSource); baseType = baseType.BaseType)
        {
            names.Add(baseType.Name);
        }

        foreach (var block in BlocksNaming(names))
        {
            if (block is not ConstructorDeclarationSyntax declaration)
            {
                continue;
            }

            var model = _perf.RoundTrips.Summaries.GetModel(block.SyntaxTree);
            if (model.GetDeclaredSymbol(declaration, cancellationToken) is not IMethodSymbol injecting)
            {
                continue;
            }

            foreach (var parameter in injecting.Parameters)
            {
                if (parameter.Type is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Interface } injected && injected.Locations.Any(l => l.IsInSource)
                    && !IsRegisteredAsSingleton(injected) && _perf.RoundTrips.Summaries.GetConcreteTypes(injected).Contains(type, SymbolEqualityComparer.Default))
                {
                    callers.Add(Caller.ForFunction(Normalize(injecting)));
                    break;
                }
            }
        }
    }

    private IEnumerable<SyntaxNode> BlocksNaming(HashSet<string> names)
    {
        var blocks = new HashSet<SyntaxNode>();
        foreach (var name in names)
        {
            if (_blocksByName.Value.TryGetValue(name, out var named))
            {
                blocks.UnionWith(named);
            }
        }

        return blocks.OrderBy(b => b.SyntaxTree.FilePath, StringComparer.Ordinal).ThenBy(b => b.SpanStart);
    }

    private static bool IsSiteNamed(SyntaxNode node, HashSet<string> names) => node switch
    {
        InvocationExpressionSyntax invocation => BodySyntax.RightmostName(invocation.Expression) is { } name && names.Contains(name),
        ObjectCreationExpressionSyntax creation => BodySyntax.RightmostName(creation.Type) is { } name && names.Contains(name),
        ImplicitObjectCreationExpressionSyntax => names.Contains(BodySyntax.ImplicitCreation),
        ArgumentSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax or GenericNameSyntax } argument
            => BodySyntax.RightmostName(argument.Expression) is { } name && names.Contains(name),
        _ => false,
    };

    /// <summary>The method a bound site calls, creates or hands over (normalized), with the method group when it is one.</summary>
    private static IMethodSymbol? TargetOf(IOperation operation, out IMethodReferenceOperation? reference)
    {
        reference = null;
        IMethodSymbol? target;
        switch (operation)
        {
            case IInvocationOperation invocation:
                target = invocation.TargetMethod;
                break;
            case IObjectCreationOperation { Constructor: { } constructor }:
                target = constructor;
                break;
            default:
                reference = MethodReferenceIn(operation is IArgumentOperation argument ? argument.Value : operation);
                target = reference?.Method;
                break;
        }

        return target is null ? null : Normalize(target);
    }

    /// <summary>The method group inside conversions and delegate creations (<c>MapPost("/", Handler)</c>).</summary>
    private static IMethodReferenceOperation? MethodReferenceIn(IOperation? operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    break;
                case IDelegateCreationOperation creation:
                    operation = creation.Target;
                    break;
                default:
                    return operation as IMethodReferenceOperation;
            }
        }
    }

    /// <summary>
    /// From a site up to the function that runs it: lambdas and local functions run on behalf of the function that
    /// creates them, except a minimal API handler (an entry itself), a singleton factory and detached work.
    /// </summary>
    private Caller Climb(IOperation site, IMethodSymbol function)
    {
        var owner = function;
        while (owner.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction && owner.ContainingSymbol is IMethodSymbol outer)
        {
            owner = outer;
        }

        if (owner.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction)
        {
            return Caller.None;
        }

        for (var current = site is IAnonymousFunctionOperation ? site : site.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                if (_perf.RequestPaths.IsMinimalApiHandler(lambda))
                {
                    return Caller.ForEntry(new Entry("the minimal API handler at line " + (lambda.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1), lambda.Syntax.SpanStart));
                }

                if (ApplicationLifetime.IsSingletonFactory(lambda, _perf.Types) || ApplicationLifetime.IsDetachedWork(lambda))
                {
                    return Caller.None;
                }
            }
        }

        return Caller.ForFunction(Normalize(owner));
    }

    /// <summary>The member a call site is written in, as a method (field and property initializers have none).</summary>
    private static IMethodSymbol? OwnerOf(SyntaxNode site, SemanticModel model, CancellationToken cancellationToken)
    {
        for (var node = site.Parent; node is not null; node = node.Parent)
        {
            switch (node)
            {
                case BaseMethodDeclarationSyntax or AccessorDeclarationSyntax:
                    return model.GetDeclaredSymbol(node, cancellationToken) as IMethodSymbol;
                case ArrowExpressionClauseSyntax { Parent: BasePropertyDeclarationSyntax property }:
                    return (model.GetDeclaredSymbol(property, cancellationToken) as IPropertySymbol)?.GetMethod;
                case GlobalStatementSyntax:
                    return model.GetEnclosingSymbol(node.SpanStart, cancellationToken) as IMethodSymbol;
                case BaseFieldDeclarationSyntax or PropertyDeclarationSyntax or BaseTypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private HashSet<ITypeSymbol> FindSingletons()
    {
        var singletons = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        foreach (var block in BlocksNaming(new HashSet<string>(SingletonRegistrations, StringComparer.Ordinal)))
        {
            var model = _perf.RoundTrips.Summaries.GetModel(block.SyntaxTree);
            foreach (var invocation in block.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                if (BodySyntax.RightmostName(invocation.Expression) is { } name && SingletonRegistrations.Contains(name)
                    && model.GetOperation(invocation) is IInvocationOperation { TargetMethod: { TypeArguments.Length: > 0 } method } && SingletonRegistrations.Contains(method.Name))
                {
                    singletons.Add(method.TypeArguments[method.TypeArguments.Length - 1].OriginalDefinition);
                }
            }
        }

        return singletons;
    }

    private static IMethodSymbol Normalize(IMethodSymbol method)
    {
        method = method.ReducedFrom ?? method;
        return (method.PartialImplementationPart ?? method).OriginalDefinition;
    }

    private static int Position(IMethodSymbol method) => method.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0;

    private readonly struct Entry
    {
        public Entry(string name, int order)
        {
            Name = name;
            Order = order;
        }

        public string Name { get; }

        public int Order { get; }
    }

    private enum CallerKind
    {
        None,
        Function,
        Entry,
    }

    private readonly struct Caller
    {
        private Caller(CallerKind kind, IMethodSymbol? function, Entry? entry)
        {
            Kind = kind;
            Function = function;
            Entry = entry;
        }

        public static Caller None => default;

        public CallerKind Kind { get; }

        public IMethodSymbol? Function { get; }

        public Entry? Entry { get; }

        public static Caller ForFunction(IMethodSymbol function) => new(CallerKind.Function, function, null);

        public static Caller ForEntry(Entry entry) => new(CallerKind.Entry, null, entry);
    }
}
