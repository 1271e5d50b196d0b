using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.CodeFixes.NPlusOne;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.RepeatedLookup;

/// <summary>
/// PERF004 "Cache with IMemoryCache/HybridCache": wraps a lookup on a request path in
/// <c>GetOrCreateAsync(key, factory)</c> with an explicit expiration, the cache injected through the constructor.
/// The key is the lookup's own text with the data source replaced by its type name and each key value as an
/// interpolation hole (<c>$"BlogDbContext.Products.FirstAsync(p => p.Id == {id})"</c>): two lookups share a key only
/// when they are the same query with the same values.
/// Offered only when caching cannot change what the method does: the result is not a tracked entity that the
/// method may modify and save, every value the query reads is a simple key value, no transaction is involved.
/// </summary>
internal static class CacheLookupRewrite
{
    private const int MaxCallersVisited = 64;
    private const string HoleMarker = "__perf004_hole_";

    public enum CacheKind
    {
        MemoryCache,
        HybridCache,
    }

    /// <summary>Which cache the fix would use at the site (for the title), or null when the fix does not apply.</summary>
    public static async Task<(Solution Solution, CacheKind Kind)?> ApplyAsync(Solution solution, DocumentId documentId, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        if (document is null
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model
            || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        var outer = PerElementLookup.FindOuter(invocation, out var awaited);
        var lookupType = model.GetTypeInfo(outer, cancellationToken).Type;
        if (lookupType is null || lookupType is IErrorTypeSymbol || lookupType.SpecialType == SpecialType.System_Void
            || !awaited && IsTaskLike(lookupType))
        {
            return null;
        }

        var perf = PerfCompilationContext.For(model.Compilation);
        var owner = OwnerOf(model, invocation, cancellationToken);
        var rootOperation = RootOf(operation);
        if (owner is null)
        {
            return null;
        }

        var facts = BlockFacts.Get(perf, ImmutableArray.Create(rootOperation), owner, cancellationToken);
        var roundTrip = facts.RoundTrips.FirstOrDefault(r => r.Operation.Syntax == invocation);
        if (roundTrip is null || roundTrip.Kind != RoundTripKind.Query || roundTrip.MayWrite || UsesTransaction(facts, operation))
        {
            return null;
        }

        var source = ChainRoot(invocation);
        var sourceType = source is null ? null : model.GetTypeInfo(source, cancellationToken).Type;
        if (source is null || sourceType is null || !IsDataSource(source, sourceType, roundTrip, model, perf.Types, cancellationToken))
        {
            return null;
        }

        if (!roundTrip.IsInterprocedural && roundTrip.Library == DataAccessLibrary.EfCore && HasQueryFilter(sourceType, cancellationToken))
        {
            return null; // a global query filter (tenant, soft delete) reads per-request state the key does not contain
        }

        var tracked = IsTrackedResult(invocation, lookupType, sourceType, roundTrip, model, perf.Types, cancellationToken);
        var inEntry = owner is IMethodSymbol ownerMethod && perf.RequestPaths.DescribeEntry(ownerMethod) is not null;
        if (tracked && facts.RoundTrips.Any(r => r.MayWrite && r.Operation.Syntax.SpanStart > invocation.Span.End)
            || MayModifyOrEscape(model, outer, lookupType, tracked, inEntry, cancellationToken))
        {
            return null;
        }

        // Last, as it is the costly question: callers are searched through the solution.
        if (BuildKey(model, invocation, source, sourceType, cancellationToken) is not { } key
            || !await IsOnRequestPathAsync(solution, operation, owner, perf, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        return await RewriteAsync(solution, document, root, model, invocation, outer, awaited, key, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<(Solution, CacheKind)?> RewriteAsync(Solution solution, Document document, SyntaxNode root, SemanticModel model, InvocationExpressionSyntax invocation, ExpressionSyntax outer, bool awaited, string key, CancellationToken cancellationToken)
    {
        var type = invocation.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        var member = invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        var typeSymbol = type is null ? null : model.GetDeclaredSymbol(type, cancellationToken) as INamedTypeSymbol;
        if (member is null)
        {
            return null;
        }

        var compilation = model.Compilation;
        var memoryCacheType = compilation.GetTypeByMetadataName("Microsoft.Extensions.Caching.Memory.IMemoryCache");
        var hybridCacheType = compilation.GetTypeByMetadataName("Microsoft.Extensions.Caching.Hybrid.HybridCache");

        // HybridCache needs its implementation package (AddHybridCache); the abstract type alone ships in the framework.
        var hybridAvailable = hybridCacheType is not null && compilation.GetTypeByMetadataName("Microsoft.Extensions.DependencyInjection.HybridCacheServiceExtensions") is not null;
        var existingMemory = FindCacheMember(model, invocation, typeSymbol, memoryCacheType, cancellationToken);
        var existingHybrid = FindCacheMember(model, invocation, typeSymbol, hybridCacheType, cancellationToken);
        // HybridCache serializes what it stores: an entity graph loaded with Include may hold cycles; IMemoryCache keeps the instance.
        var serializable = !ChainMethods(invocation).Any(name => name is "Include" or "ThenInclude");
        var kind = awaited && serializable && existingMemory is null && (existingHybrid is not null || hybridAvailable) ? CacheKind.HybridCache : CacheKind.MemoryCache;
        if (kind == CacheKind.MemoryCache && memoryCacheType is null)
        {
            return null;
        }

        var existing = kind == CacheKind.HybridCache ? existingHybrid : existingMemory;
        if (existing is null && (type is not ClassDeclarationSyntax and not RecordDeclarationSyntax { ClassOrStructKeyword.RawKind: not (int)SyntaxKind.StructKeyword } || typeSymbol is null
            || member.Modifiers.Any(SyntaxKind.StaticKeyword) || type.Modifiers.Any(SyntaxKind.StaticKeyword)
            || type.ParameterList is not null && type.Members.OfType<ConstructorDeclarationSyntax>().Any())
            || invocation.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax && a.ChildTokens().Any(t => t.IsKind(SyntaxKind.StaticKeyword))))
        {
            return null;
        }

        var taken = PerElementLookup.NamesInScope(model, (SyntaxNode?)type ?? member);
        var cacheName = existing ?? PerElementLookup.UniqueName("_cache", taken);
        var minutes = PerfOptions.GetCacheExpirationMinutes(document.Project.AnalyzerOptions.AnalyzerConfigOptionsProvider.GetOptions(invocation.SyntaxTree));
        var expiration = "TimeSpan.FromMinutes(" + minutes.ToString(CultureInfo.InvariantCulture) + ")";
        var replacement = kind == CacheKind.HybridCache
            ? HybridCall(model, invocation, outer, cacheName, key, expiration, taken, cancellationToken)
            : MemoryCacheCall(model, invocation, outer, awaited, cacheName, key, expiration, NeedsNullSuppression(model, outer, cancellationToken));
        if (replacement is null)
        {
            return null;
        }

        var tracked = type is null ? root.TrackNodes(outer) : root.TrackNodes(outer, type);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(outer)!, replacement.WithTriviaFrom(outer));
        if (existing is null && type is not null)
        {
            var typeName = kind == CacheKind.HybridCache ? "HybridCache" : "IMemoryCache";
            tracked = DependencyInjection.AddConstructorDependency(tracked, tracked.GetCurrentNode(type)!, typeName, cacheName, PerElementLookup.UniqueName("cache", taken));
        }

        var updated = document.WithSyntaxRoot(tracked);
        updated = await Usings.EnsureAsync(updated, "System", cancellationToken).ConfigureAwait(false);
        updated = await Usings.EnsureAsync(updated, kind == CacheKind.HybridCache ? "Microsoft.Extensions.Caching.Hybrid" : "Microsoft.Extensions.Caching.Memory", cancellationToken).ConfigureAwait(false);
        var registration = kind == CacheKind.HybridCache ? "AddHybridCache" : "AddMemoryCache";
        var newSolution = await CompositionRoot.EnsureRegistrationAsync(updated.Project.Solution, document.Project.Id, new[] { registration + "()" }, registration, cancellationToken).ConfigureAwait(false);
        return (newSolution, kind);
    }

    /// <summary>
    /// <c>await cache.GetOrCreateAsync(key, async entry => { entry.AbsoluteExpirationRelativeToNow = ...; return await lookup; })</c>,
    /// or <c>cache.GetOrCreate(key, entry => { ...; return lookup; })</c> for a synchronous lookup.
    /// </summary>
    private static ExpressionSyntax? MemoryCacheCall(SemanticModel model, InvocationExpressionSyntax invocation, ExpressionSyntax outer, bool awaited, string cacheName, string key, string expiration, bool suppressNull)
    {
        var entry = PerElementLookup.UniqueName("entry", LambdaParameterConflicts(model, outer));
        var statement = invocation.FirstAncestorOrSelf<StatementSyntax>();
        var indentation = statement is null ? "" : Members.Indentation(statement).ToString();
        var eol = Members.EndOfLine(invocation).ToString();
        var inner = indentation + "    ";
        var lookup = outer.WithoutTrivia().ToString();
        var body = "{" + eol
            + inner + entry + ".AbsoluteExpirationRelativeToNow = " + expiration + ";" + eol
            + inner + "return " + lookup + ";" + eol
            + indentation + "}";
        var text = awaited
            ? "await " + cacheName + ".GetOrCreateAsync(" + key + ", async " + entry + " =>" + eol + indentation + body + ")" + ConfigureAwaitOf(outer)
            : cacheName + ".GetOrCreate(" + key + ", " + entry + " =>" + eol + indentation + body + ")";
        if (suppressNull)
        {
            text = (awaited ? "(" + text + ")" : text) + "!";
        }

        return ParseExpression(text);
    }

    /// <summary>
    /// IMemoryCache's GetOrCreate(Async) is annotated to return <c>TItem?</c>; it returns what the factory returned,
    /// so a lookup typed non-null stays non-null (no new nullable warnings in code that enables them).
    /// </summary>
    private static bool NeedsNullSuppression(SemanticModel model, ExpressionSyntax outer, CancellationToken cancellationToken)
        => model.GetNullableContext(outer.SpanStart).AnnotationsEnabled()
           && model.GetTypeInfo(outer, cancellationToken).Type is { IsReferenceType: true, NullableAnnotation: not NullableAnnotation.Annotated };

    /// <summary><c>await cache.GetOrCreateAsync(key, async cancel => await lookup, new HybridCacheEntryOptions { ... }, cancellationToken: ct)</c>.</summary>
    private static ExpressionSyntax? HybridCall(SemanticModel model, InvocationExpressionSyntax invocation, ExpressionSyntax outer, string cacheName, string key, string expiration, HashSet<string> taken, CancellationToken cancellationToken)
    {
        var token = invocation.ArgumentList.Arguments
            .Select(a => a.Expression)
            .FirstOrDefault(e => model.GetTypeInfo(e, cancellationToken).Type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } });
        var parameter = PerElementLookup.UniqueName("cancel", LambdaParameterConflicts(model, outer));
        var options = "new HybridCacheEntryOptions { Expiration = " + expiration + ", LocalCacheExpiration = " + expiration + " }";
        var text = "await " + cacheName + ".GetOrCreateAsync(" + key + ", async " + parameter + " => " + outer.WithoutTrivia() + ", " + options
            + (token is null ? "" : ", cancellationToken: " + token.WithoutTrivia()) + ")" + ConfigureAwaitOf(outer);
        return ParseExpression(text);
    }

    /// <summary>Names the new lambda's parameter must avoid: what is in scope at the site and what the lookup itself declares.</summary>
    private static HashSet<string> LambdaParameterConflicts(SemanticModel model, ExpressionSyntax outer)
    {
        var names = PerElementLookup.NamesVisibleAt(model, outer);
        names.UnionWith(outer.DescendantTokens().Where(t => t.IsKind(SyntaxKind.IdentifierToken)).Select(t => t.ValueText));
        return names;
    }

    private static string ConfigureAwaitOf(ExpressionSyntax outer)
        => outer is AwaitExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } } configure }
            ? ".ConfigureAwait(" + configure.ArgumentList.Arguments.ToString() + ")"
            : "";

    /// <summary>A field or property of the type, or a parameter of the enclosing method, holding the cache already.</summary>
    private static string? FindCacheMember(SemanticModel model, SyntaxNode site, INamedTypeSymbol? type, INamedTypeSymbol? cacheType, CancellationToken cancellationToken)
    {
        if (cacheType is null)
        {
            return null;
        }

        var staticContext = site.Ancestors().OfType<MemberDeclarationSyntax>().FirstOrDefault() is { } member && member.Modifiers.Any(SyntaxKind.StaticKeyword);
        foreach (var symbol in model.LookupSymbols(site.SpanStart))
        {
            var symbolType = symbol switch
            {
                IParameterSymbol parameter when parameter.ContainingSymbol is IMethodSymbol { MethodKind: not MethodKind.Constructor } => parameter.Type,
                IFieldSymbol field when SymbolEqualityComparer.Default.Equals(field.ContainingType, type) && !field.IsImplicitlyDeclared => field.Type,
                IPropertySymbol property when SymbolEqualityComparer.Default.Equals(property.ContainingType, type) && property.GetMethod is not null => property.Type,
                _ => null,
            };
            if (symbolType is not null && SymbolEqualityComparer.Default.Equals(symbolType, cacheType) && (symbol is IParameterSymbol || symbol.IsStatic || !staticContext))
            {
                return symbol.Name;
            }
        }

        return null;
    }

    /// <summary>The method (not lambda or local function) the site belongs to.</summary>
    private static ISymbol? OwnerOf(SemanticModel model, SyntaxNode site, CancellationToken cancellationToken)
    {
        var symbol = model.GetEnclosingSymbol(site.SpanStart, cancellationToken);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return symbol;
    }

    private static IOperation RootOf(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            current = current.Parent;
        }

        return current;
    }

    private static bool IsTaskLike(ITypeSymbol type) => type.Name is "Task" or "ValueTask" or "IAsyncEnumerable" && type.ContainingNamespace?.ToDisplayString() is "System.Threading.Tasks" or "System.Collections.Generic";

    /// <summary>A transaction in the function: a cached answer would ignore its isolation (and its uncommitted writes).</summary>
    private static bool UsesTransaction(BlockFacts facts, IInvocationOperation lookup)
    {
        foreach (var operation in facts.CreationsAndCalls)
        {
            var name = operation switch
            {
                IInvocationOperation call => call.TargetMethod.Name,
                IObjectCreationOperation creation => creation.Type?.Name,
                _ => null,
            };
            if (name is "BeginTransaction" or "BeginTransactionAsync" or "UseTransaction" or "UseTransactionAsync" or "EnlistTransaction" or "TransactionScope")
            {
                return true;
            }
        }

        // An explicit transaction argument (Dapper's optional `transaction` parameter defaults to none).
        return lookup.Arguments.Any(a => a.ArgumentKind == ArgumentKind.Explicit && a.Value.WalkDownConversions() is { ConstantValue.HasValue: false, Type: { } type }
            && (type.Name is "IDbTransaction" or "DbTransaction" || type.AllInterfaces.Any(i => i.Name == "IDbTransaction")));
    }

    /// <summary>
    /// Does the lookup run per request: in a minimal API handler, a request entry point, or a method those reach
    /// (callers found through the solution, interface and override dispatch included, bounded)?
    /// </summary>
    private static async Task<bool> IsOnRequestPathAsync(Solution solution, IOperation site, ISymbol owner, PerfCompilationContext perf, CancellationToken cancellationToken)
    {
        if (EnclosingLambdaVerdict(site, perf) is { } verdict)
        {
            return verdict;
        }

        if (owner is not IMethodSymbol start || !perf.RequestPaths.HasAspNetCore)
        {
            return false;
        }

        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default);
        var frontier = new List<IMethodSymbol> { start };
        for (var depth = 0; depth <= RequestPathGraph.MaxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<IMethodSymbol>();
            foreach (var method in frontier)
            {
                if (!visited.Add(method.OriginalDefinition) || visited.Count > MaxCallersVisited
                    || method.ContainingType is { } containing && perf.RequestPaths.IsBackgroundType(containing)
                    || method.MethodKind == MethodKind.StaticConstructor)
                {
                    continue;
                }

                if (perf.RequestPaths.DescribeEntry(method) is not null)
                {
                    return true;
                }

                foreach (var target in DispatchTargets(method))
                {
                    foreach (var caller in await SymbolFinder.FindCallersAsync(target, solution, cancellationToken).ConfigureAwait(false))
                    {
                        if (caller.CallingSymbol is not IMethodSymbol callingMethod)
                        {
                            continue;
                        }

                        foreach (var location in caller.Locations)
                        {
                            var callVerdict = await CallSiteVerdictAsync(solution, location, perf, cancellationToken).ConfigureAwait(false);
                            if (callVerdict == true)
                            {
                                return true;
                            }

                            if (callVerdict is null)
                            {
                                next.Add(callingMethod);
                            }
                        }
                    }
                }
            }

            frontier = next;
        }

        return false;
    }

    /// <summary>The method itself, the interface members it implements and the methods it overrides.</summary>
    private static IEnumerable<IMethodSymbol> DispatchTargets(IMethodSymbol method)
    {
        yield return method;
        if (method.ContainingType is { } type)
        {
            foreach (var implemented in type.AllInterfaces.SelectMany(i => i.GetMembers(method.Name).OfType<IMethodSymbol>()))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(implemented), method))
                {
                    yield return implemented;
                }
            }
        }

        for (var overridden = method.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
        {
            yield return overridden;
        }
    }

    private static async Task<bool?> CallSiteVerdictAsync(Solution solution, Location location, PerfCompilationContext perf, CancellationToken cancellationToken)
    {
        if (location.SourceTree is not { } tree || solution.GetDocument(tree) is not { } document
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } model)
        {
            return null;
        }

        var node = (await tree.GetRootAsync(cancellationToken).ConfigureAwait(false)).FindNode(location.SourceSpan, getInnermostNodeForTie: true);
        return model.GetOperation(node, cancellationToken) is { } operation ? EnclosingLambdaVerdict(operation, perf) : null;
    }

    /// <summary>True inside a minimal API handler, false inside detached work or a once-only factory, null when no lambda decides.</summary>
    private static bool? EnclosingLambdaVerdict(IOperation operation, PerfCompilationContext perf)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                if (perf.RequestPaths.IsMinimalApiHandler(lambda))
                {
                    return true;
                }

                if (ApplicationLifetime.IsDetachedWork(lambda) || ApplicationLifetime.IsSingletonFactory(lambda, perf.Types))
                {
                    return false;
                }
            }
        }

        return null;
    }

    /// <summary>The start of the call chain: <c>db</c> in <c>db.Settings.Where(...).FirstAsync()</c>.</summary>
    private static ExpressionSyntax? ChainRoot(InvocationExpressionSyntax invocation)
    {
        ExpressionSyntax current = invocation;
        while (true)
        {
            switch (current)
            {
                case InvocationExpressionSyntax call:
                    current = call.Expression;
                    break;
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access:
                    return access;
                case MemberAccessExpressionSyntax access when access.Expression is not (PredefinedTypeSyntax):
                    current = access.Expression;
                    break;
                case IdentifierNameSyntax:
                    return current;
                default:
                    return null;
            }
        }
    }

    /// <summary>
    /// The query starts at a context or connection (a DbContext, a DbConnection for Dapper/ADO.NET) held in a local,
    /// parameter, field or property, or — for a lookup through a repository method of the compilation — at the service.
    /// </summary>
    private static bool IsDataSource(ExpressionSyntax source, ITypeSymbol sourceType, RoundTrip roundTrip, SemanticModel model, WellKnownTypes types, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(source, cancellationToken).Symbol is not (ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol))
        {
            return false;
        }

        if (roundTrip.IsInterprocedural)
        {
            return sourceType.Locations.Any(l => l.IsInSource);
        }

        return sourceType.InheritsFromOrEquals(types.DbContext) || sourceType.InheritsFromOrEquals(types.DbConnection)
            || sourceType.AllInterfaces.Any(i => i.Name == "IDbConnection") || sourceType.Name == "IDbConnection";
    }

    /// <summary>Does the context configure a global query filter (<c>HasQueryFilter</c>) in its own source?</summary>
    private static bool HasQueryFilter(ITypeSymbol context, CancellationToken cancellationToken)
    {
        for (var type = context; type is not null && type.Locations.Any(l => l.IsInSource); type = type.BaseType)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax(cancellationToken).DescendantTokens().Any(t => t.IsKind(SyntaxKind.IdentifierToken) && t.ValueText == "HasQueryFilter"))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The method names along the call chain, outermost first: <c>FirstAsync, Where, AsNoTracking</c>.</summary>
    private static IEnumerable<string> ChainMethods(InvocationExpressionSyntax invocation)
    {
        for (ExpressionSyntax? current = invocation; current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }; current = access.Expression)
        {
            yield return access.Name.Identifier.ValueText;
        }
    }

    /// <summary>
    /// Would EF Core track what the lookup returns? An entity (or entities, or an anonymous type holding one) from a
    /// query without <c>AsNoTracking</c>. Scalars, DTO projections and Dapper/ADO.NET results are not tracked; what a
    /// repository method returns is assumed tracked unless it is a scalar.
    /// </summary>
    private static bool IsTrackedResult(InvocationExpressionSyntax invocation, ITypeSymbol resultType, ITypeSymbol sourceType, RoundTrip roundTrip, SemanticModel model, WellKnownTypes types, CancellationToken cancellationToken)
    {
        if (IsKeyLike(resultType) || resultType.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        if (roundTrip.IsInterprocedural)
        {
            return true;
        }

        if (roundTrip.Library != DataAccessLibrary.EfCore)
        {
            return false;
        }

        for (ExpressionSyntax? current = invocation; current is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }; current = access.Expression)
        {
            if (access.Name.Identifier.ValueText is "AsNoTracking" or "AsNoTrackingWithIdentityResolution"
                && model.GetSymbolInfo(access, cancellationToken).Symbol is IMethodSymbol method && method.ContainingType.IsType(types.EfQueryableExtensions))
            {
                return false;
            }
        }

        var entities = EntityTypesOf(sourceType, types);
        return ContainsEntity(resultType, entities, depth: 0);
    }

    /// <summary>The entity types of a context: its <c>DbSet&lt;T&gt;</c> properties' T, and the types their navigations reach.</summary>
    private static HashSet<ITypeSymbol> EntityTypesOf(ITypeSymbol context, WellKnownTypes types)
    {
        var entities = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        for (var type = context; type is not null && !type.IsType(types.DbContext); type = type.BaseType)
        {
            foreach (var property in type.GetMembers().OfType<IPropertySymbol>())
            {
                if (property.Type is INamedTypeSymbol { TypeArguments.Length: 1 } set && set.OriginalDefinition.IsType(types.DbSet) && entities.Add(set.TypeArguments[0]))
                {
                    foreach (var navigation in set.TypeArguments[0].GetMembers().OfType<IPropertySymbol>())
                    {
                        var target = ElementOf(navigation.Type) ?? navigation.Type;
                        if (target is INamedTypeSymbol { TypeKind: TypeKind.Class, SpecialType: SpecialType.None } && target.Locations.Any(l => l.IsInSource))
                        {
                            entities.Add(target);
                        }
                    }
                }
            }
        }

        return entities;
    }

    private static bool ContainsEntity(ITypeSymbol type, HashSet<ITypeSymbol> entities, int depth)
    {
        if (depth > 2 || type.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        if (entities.Contains(type.OriginalDefinition) || entities.Contains(type))
        {
            return true;
        }

        if (ElementOf(type) is { } element)
        {
            return ContainsEntity(element, entities, depth + 1);
        }

        return type.IsAnonymousType && type.GetMembers().OfType<IPropertySymbol>().Any(p => ContainsEntity(p.Type, entities, depth + 1));
    }

    private static ITypeSymbol? ElementOf(ITypeSymbol type)
    {
        if (type is IArrayTypeSymbol array)
        {
            return array.ElementType;
        }

        if (type.SpecialType == SpecialType.System_String)
        {
            return null;
        }

        var enumerable = type is INamedTypeSymbol { Name: "IEnumerable", TypeArguments.Length: 1 } self ? self : type.AllInterfaces.FirstOrDefault(i => i.Name == "IEnumerable" && i.TypeArguments.Length == 1);
        return enumerable?.TypeArguments[0];
    }

    /// <summary>
    /// Could the method change or hand on the cached object? A cached result is shared by every later request: writing
    /// to it (a property, a collection, a foreach element) would change what they see, and a tracked entity may only
    /// be read here (or returned from the request handler, or passed to the framework's result helpers).
    /// </summary>
    private static bool MayModifyOrEscape(SemanticModel model, ExpressionSyntax outer, ITypeSymbol resultType, bool tracked, bool inEntry, CancellationToken cancellationToken)
    {
        if (resultType.IsValueType && !resultType.GetMembers().OfType<IFieldSymbol>().Any(f => !f.IsStatic && f.Type.IsReferenceType) || resultType.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        var body = outer.Ancestors().FirstOrDefault(a => a is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or CompilationUnitSyntax);
        if (body is null)
        {
            return true;
        }

        var aliases = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (outer.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            && model.GetDeclaredSymbol(declarator, cancellationToken) is ILocalSymbol local)
        {
            aliases.Add(local);
        }
        else
        {
            return UseOfValue(model, outer, tracked, inEntry, cancellationToken);
        }

        // The local and the foreach variables over it: every use of each must only read.
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var loop in body.DescendantNodes().OfType<ForEachStatementSyntax>())
            {
                if (model.GetSymbolInfo(loop.Expression, cancellationToken).Symbol is { } iterated && aliases.Contains(iterated)
                    && model.GetDeclaredSymbol(loop, cancellationToken) is { } element && aliases.Add(element))
                {
                    changed = true;
                }
            }
        }

        foreach (var identifier in body.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (model.GetSymbolInfo(identifier, cancellationToken).Symbol is { } symbol && aliases.Contains(symbol)
                && UseOfValue(model, identifier, tracked, inEntry, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Does this use of the cached value (or something reached from it) write to it or hand it on?</summary>
    private static bool UseOfValue(SemanticModel model, ExpressionSyntax value, bool tracked, bool inEntry, CancellationToken cancellationToken)
    {
        // Walk up member accesses: setting.Value, order.Lines.Count; a call on the object must only read.
        var expression = value;
        while (expression.Parent is MemberAccessExpressionSyntax access && access.Expression == expression
            || expression.Parent is ConditionalAccessExpressionSyntax conditional && conditional.Expression == expression
            || expression.Parent is MemberBindingExpressionSyntax
            || expression.Parent is ElementAccessExpressionSyntax element && element.Expression == expression
            || expression.Parent is ParenthesizedExpressionSyntax or PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression })
        {
            if (expression.Parent is MemberAccessExpressionSyntax { Parent: InvocationExpressionSyntax call } memberCall && memberCall.Expression == expression)
            {
                if (model.GetSymbolInfo(call, cancellationToken).Symbol is not IMethodSymbol method || !IsReadOnlyCall(method))
                {
                    return true;
                }

                expression = call;
                continue;
            }

            expression = (ExpressionSyntax)expression.Parent;
        }

        var parent = expression.Parent;
        if (parent is AssignmentExpressionSyntax written && written.Left == expression
            || parent is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression }
            || parent is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression })
        {
            return expression != value; // a write into the cached object (reassigning the local itself only drops the reference)
        }

        if (expression != value && model.GetTypeInfo(expression, cancellationToken).Type is { } readType && (readType.IsValueType || readType.SpecialType == SpecialType.System_String))
        {
            return false; // a copied value or a string read from it
        }

        switch (parent)
        {
            case ArgumentSyntax argument:
                if (!argument.RefKindKeyword.IsKind(SyntaxKind.None))
                {
                    return true;
                }

                if (argument.Parent?.Parent is { } callSite && model.GetSymbolInfo(callSite, cancellationToken).Symbol is IMethodSymbol callee)
                {
                    var ns = callee.ContainingNamespace?.ToDisplayString() ?? "";
                    if (ns.StartsWith("Microsoft.AspNetCore", System.StringComparison.Ordinal) || ns.StartsWith("System.Text.Json", System.StringComparison.Ordinal)
                        || ns.StartsWith("Microsoft.Extensions.Logging", System.StringComparison.Ordinal))
                    {
                        return false; // results, serialization, logging: read only
                    }

                    return tracked || callee.ContainingType.InheritsFromOrEquals(model.Compilation.GetTypeByMetadataName("Microsoft.EntityFrameworkCore.DbContext"))
                        || callee.ContainingType?.Name is "DbSet";
                }

                return tracked;
            case ReturnStatementSyntax:
            case ArrowExpressionClauseSyntax:
                return tracked && !inEntry;
            case InterpolationSyntax or BinaryExpressionSyntax or IsPatternExpressionSyntax or IfStatementSyntax or ConditionalExpressionSyntax or SwitchExpressionSyntax or SwitchStatementSyntax:
                return false;
            case ForEachStatementSyntax loop when loop.Expression == expression:
                return false; // the element variable is checked as an alias
            default:
                return true; // copied elsewhere: no longer followed
        }
    }

    /// <summary>LINQ over the value, string formatting and the read-only members of collections.</summary>
    private static bool IsReadOnlyCall(IMethodSymbol method)
    {
        if (method.IsExtensionMethod || method.ReducedFrom is not null)
        {
            return method.ContainingType?.Name is "Enumerable" or "Queryable" or "CollectionExtensions" && method.ContainingNamespace?.ToDisplayString() is "System.Linq" or "System.Collections.Generic";
        }

        if (method.ContainingType is { } receiver && (receiver.SpecialType == SpecialType.System_String || receiver.IsValueType))
        {
            return true;
        }

        return method.Name is "ToString" or "Equals" or "GetHashCode" or "Contains" or "ContainsKey" or "IndexOf" or "Find" or "FindAll" or "FindIndex" or "Exists" or "TrueForAll" or "TryGetValue" or "GetEnumerator" or "ToArray" or "CopyTo" or "GetValueOrDefault" or "CompareTo"
            || !method.ContainingType.Locations.Any(l => l.IsInSource) && method.Name.StartsWith("Get", System.StringComparison.Ordinal);
    }

    /// <summary>
    /// The cache key as C# source: the lookup's text with the data source replaced by its type name, the cancellation
    /// token left out, and every value read from outside the query as an interpolation hole. Null when a value is not a
    /// simple key (an entity, a collection, a mutable object, anything computed).
    /// </summary>
    private static string? BuildKey(SemanticModel model, InvocationExpressionSyntax invocation, ExpressionSyntax source, ITypeSymbol sourceType, CancellationToken cancellationToken)
    {
        var holes = new List<(IdentifierNameSyntax Name, string Hole)>();
        var tokens = new List<ArgumentSyntax>();
        foreach (var argument in invocation.DescendantNodes().OfType<ArgumentSyntax>())
        {
            var type = model.GetTypeInfo(argument.Expression, cancellationToken).Type;
            if (type is { Name: "CancellationToken" } && argument.Ancestors().TakeWhile(a => a != invocation).All(a => a is ArgumentListSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax))
            {
                tokens.Add(argument);
            }
        }

        foreach (var identifier in invocation.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (source.Span.Contains(identifier.Span) || tokens.Any(t => t.Span.Contains(identifier.Span))
                || identifier.Parent is MemberAccessExpressionSyntax access && access.Name == identifier
                || identifier.Parent is NameColonSyntax or NameEqualsSyntax)
            {
                continue;
            }

            var symbol = model.GetSymbolInfo(identifier, cancellationToken).Symbol;
            switch (symbol)
            {
                case null:
                    return null;
                case IMethodSymbol or INamedTypeSymbol or INamespaceSymbol or ITypeParameterSymbol:
                    continue;
                case ILocalSymbol or IParameterSymbol when symbol.Locations.Any(l => invocation.Span.Contains(l.SourceSpan)):
                    continue; // a lambda parameter of the query
                case IFieldSymbol { IsConst: true } when identifier.Parent is MemberAccessExpressionSyntax:
                    continue;
                case ILocalSymbol or IParameterSymbol or IFieldSymbol or IPropertySymbol:
                    var valueType = symbol switch
                    {
                        ILocalSymbol l => l.Type,
                        IParameterSymbol p => p.Type,
                        IFieldSymbol f => f.Type,
                        _ => ((IPropertySymbol)symbol).Type,
                    };
                    if (!IsKeyLike(valueType) && valueType.SpecialType != SpecialType.System_String || IsPartOfLargerValue(identifier))
                    {
                        return null;
                    }

                    holes.Add((identifier, identifier.Identifier.ValueText + FormatOf(valueType)));
                    break;
                default:
                    return null;
            }
        }

        // Render with placeholders, normalized, then escape and put the holes in.
        var tokenAnnotation = new SyntaxAnnotation();
        var replacements = new Dictionary<SyntaxNode, SyntaxNode>();
        for (var i = 0; i < holes.Count; i++)
        {
            replacements[holes[i].Name] = IdentifierName(HoleMarker + i.ToString(CultureInfo.InvariantCulture) + "__");
        }

        replacements[source] = IdentifierName(sourceType.Name);
        foreach (var token in tokens)
        {
            replacements[token] = token.WithAdditionalAnnotations(tokenAnnotation);
        }

        var rendered = invocation.ReplaceNodes(replacements.Keys, (original, _) => replacements[original]);
        var withoutTokens = rendered.ReplaceNodes(
            rendered.DescendantNodes().OfType<ArgumentListSyntax>(),
            (_, rewritten) => rewritten.WithArguments(SeparatedList(rewritten.Arguments.Where(a => !a.HasAnnotation(tokenAnnotation)))));
        var text = Regex.Replace(withoutTokens.NormalizeWhitespace().ToFullString(), @"\s+", " ");
        var escaped = new StringBuilder();
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '\\' => "\\\\",
                '"' => "\\\"",
                '{' when holes.Count > 0 => "{{",
                '}' when holes.Count > 0 => "}}",
                _ => c.ToString(),
            });
        }

        var key = escaped.ToString();
        for (var i = 0; i < holes.Count; i++)
        {
            key = key.Replace(HoleMarker + i.ToString(CultureInfo.InvariantCulture) + "__", "{" + holes[i].Hole + "}");
        }

        return (holes.Count > 0 ? "$\"" : "\"") + key + "\"";
    }

    /// <summary><c>request.Id</c>: the hole would be the object, not a key.</summary>
    private static bool IsPartOfLargerValue(IdentifierNameSyntax identifier)
        => identifier.Parent is MemberAccessExpressionSyntax access && access.Expression == identifier
           || identifier.Parent is ElementAccessExpressionSyntax element && element.Expression == identifier;

    /// <summary>Culture-independent text for dates and times, so one value always makes one key.</summary>
    private static string FormatOf(ITypeSymbol type)
    {
        var underlying = type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable ? nullable.TypeArguments[0] : type;
        return underlying.SpecialType == SpecialType.System_DateTime || underlying.Name is "DateTimeOffset" or "TimeOnly" ? ":O"
            : underlying.Name == "DateOnly" ? ":yyyy-MM-dd"
            : "";
    }

    /// <summary>Simple key values: numbers, bool, char, Guid, enums, dates and times (and their nullable forms).</summary>
    private static bool IsKeyLike(ITypeSymbol type)
    {
        if (type is INamedTypeSymbol { OriginalDefinition.SpecialType: SpecialType.System_Nullable_T } nullable)
        {
            type = nullable.TypeArguments[0];
        }

        if (type.TypeKind == TypeKind.Enum)
        {
            return true;
        }

        switch (type.SpecialType)
        {
            case SpecialType.System_Boolean:
            case SpecialType.System_Char:
            case SpecialType.System_SByte:
            case SpecialType.System_Byte:
            case SpecialType.System_Int16:
            case SpecialType.System_UInt16:
            case SpecialType.System_Int32:
            case SpecialType.System_UInt32:
            case SpecialType.System_Int64:
            case SpecialType.System_UInt64:
            case SpecialType.System_Decimal:
            case SpecialType.System_Single:
            case SpecialType.System_Double:
            case SpecialType.System_DateTime:
                return true;
        }

        return type.Name is "Guid" or "DateOnly" or "TimeOnly" or "DateTimeOffset" && type.ContainingNamespace?.ToDisplayString() == "System";
    }
}
