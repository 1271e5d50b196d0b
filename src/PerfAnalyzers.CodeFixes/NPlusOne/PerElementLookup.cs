using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

internal enum LookupLibrary
{
    /// <summary>A DbSet query: <c>Find</c>, <c>FirstOrDefault(x => x.K == key)</c>, <c>Where(..).ToList()</c>.</summary>
    EfCore,
    /// <summary>A Dapper query whose SQL is <c>... WHERE column = @Param</c>.</summary>
    Dapper,
    /// <summary>A method of the compilation whose type declares a bulk sibling (<c>GetByIdAsync</c> / <c>GetByIdsAsync</c>).</summary>
    Repository,
}

internal enum LookupShape
{
    /// <summary><c>Find(key)</c>, <c>FirstOrDefault(x => x.Key == key)</c>, <c>SingleOrDefault(...)</c>: null when missing.</summary>
    SingleOrNull,
    /// <summary><c>First(...)</c>/<c>Single(...)</c>: throws when missing.</summary>
    SingleOrThrow,
    /// <summary><c>Where(x => x.ForeignKey == key).ToList()</c>: all matches.</summary>
    Many,
}

/// <summary>
/// A PERF001 site taken apart for rewriting: an EF Core lookup keyed by a value of the foreach element,
/// e.g. <c>await db.Users.FindAsync(post.AuthorId)</c> inside <c>foreach (var post in posts)</c>.
/// Only shapes whose meaning is fully understood parse; everything else yields null (no fix offered).
/// </summary>
internal sealed partial class PerElementLookup
{
    private PerElementLookup() { }

    public InvocationExpressionSyntax Invocation { get; private set; } = null!;

    /// <summary>The expression the loop body uses: the invocation, or the <c>await</c> (with ConfigureAwait) around it.</summary>
    public ExpressionSyntax Outer { get; private set; } = null!;

    public bool IsAwaited { get; private set; }

    public LookupShape Shape { get; private set; }

    /// <summary>The set queried: <c>_db.Users</c>.</summary>
    public ExpressionSyntax Source { get; private set; } = null!;

    public INamedTypeSymbol Entity { get; private set; } = null!;

    /// <summary>The entity property compared with the key: the primary key for Find, <c>PostId</c> in <c>c.PostId == post.Id</c>.</summary>
    public IPropertySymbol MatchedProperty { get; private set; } = null!;

    /// <summary>The key as the loop computes it: <c>post.AuthorId</c>.</summary>
    public ExpressionSyntax Key { get; private set; } = null!;

    public ITypeSymbol KeyType { get; private set; } = null!;

    /// <summary>The element property the key reads (<c>AuthorId</c> of <c>post.AuthorId</c>); null when the key is the element itself.</summary>
    public IPropertySymbol? KeyProperty { get; private set; }

    public ExpressionSyntax? CancellationToken { get; private set; }

    public ForEachStatementSyntax Loop { get; private set; } = null!;

    public ILocalSymbol Element { get; private set; } = null!;

    public string MethodName { get; private set; } = "";

    public LookupLibrary Library { get; private set; }

    /// <summary>The call returns a task to await: <c>FindAsync</c>, <c>QueryAsync</c>, a repository method returning <c>Task&lt;T&gt;</c>.</summary>
    public bool IsAsyncCall { get; private set; }

    /// <summary><c>.ConfigureAwait(x)</c> as the original await had it, to repeat on the bulk call; empty otherwise.</summary>
    public string ConfigureAwait { get; private set; } = "";

    /// <summary>Several rows may share a key and the original took the first (Dapper <c>QueryFirstOrDefault</c>): read a lookup's first.</summary>
    public bool FirstMatchWins { get; private set; }

    /// <summary>The one call for all keys (Dapper, repository), given the name of the keys local; null for EF Core.</summary>
    public System.Func<string, ExpressionSyntax>? BulkCall { get; private set; }

    /// <summary>The bulk call wants an array of keys (an Npgsql array parameter, a <c>T[]</c> parameter) rather than a list.</summary>
    public bool KeysAsArray { get; private set; }

    /// <summary>The bulk call already returns a dictionary by key (a repository's <c>Dictionary&lt;int, User&gt;</c>).</summary>
    public bool BulkReturnsDictionary { get; private set; }

    public static PerElementLookup? TryParse(SemanticModel model, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        if (model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation
            || invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return null;
        }

        var loop = invocation.FirstAncestorOrSelf<ForEachStatementSyntax>();
        if (loop is null || !loop.Statement.Span.Contains(invocation.Span) || HasFunctionBetween(invocation, loop)
            || model.GetDeclaredSymbol(loop, cancellationToken) is not ILocalSymbol element)
        {
            return null;
        }

        var types = PerfCompilationContext.For(model.Compilation).Types;
        var lookup = new PerElementLookup { Invocation = invocation, Loop = loop, Element = element, MethodName = operation.TargetMethod.Name };
        lookup.Outer = FindOuter(invocation, out var awaited);
        lookup.IsAwaited = awaited;
        lookup.IsAsyncCall = operation.TargetMethod.Name.EndsWith("Async", System.StringComparison.Ordinal);
        if (awaited && invocation.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure && configure.Parent is InvocationExpressionSyntax configured)
        {
            lookup.ConfigureAwait = "." + configure.Name.WithoutTrivia() + configured.ArgumentList.WithoutTrivia();
        }

        if (operation.TargetMethod.ContainingType?.OriginalDefinition.IsType(types.DapperSqlMapper) == true)
        {
            lookup.Library = LookupLibrary.Dapper;
            return lookup.WithDapperQuery(model, operation, access, types, cancellationToken);
        }

        if (operation.TargetMethod.DeclaringSyntaxReferences.Length > 0)
        {
            lookup.Library = LookupLibrary.Repository;
            return lookup.WithBulkSibling(model, operation, access, types, cancellationToken);
        }

        var name = operation.TargetMethod.Name;
        var baseName = name.EndsWith("Async", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;
        var args = invocation.ArgumentList.Arguments;

        if (baseName == "Find" && operation.Instance?.Type.InheritsFromOrEquals(types.DbSet) == true)
        {
            // Find(key) or FindAsync(key): one key value, no key array, no token.
            if (args.Count != 1 || operation.Instance.Type is not INamedTypeSymbol { TypeArguments.Length: 1 } set)
            {
                return null;
            }

            var keyType = model.GetTypeInfo(args[0].Expression, cancellationToken).Type;
            if (keyType is null || keyType.IsReferenceType && keyType.SpecialType != SpecialType.System_String || args[0].Expression is ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax)
            {
                return null;
            }

            lookup.Shape = LookupShape.SingleOrNull;
            lookup.Source = access.Expression;
            if (set.TypeArguments[0] is not INamedTypeSymbol entity)
            {
                return null; // Set<T>() of a type parameter: the entity is not known here
            }

            lookup.Entity = entity;
            lookup.MatchedProperty = EfModel.GetPrimaryKey(lookup.Entity)!;
            if (lookup.MatchedProperty is null)
            {
                return null;
            }

            return lookup.WithKey(model, args[0].Expression, cancellationToken);
        }

        if (baseName is "FirstOrDefault" or "SingleOrDefault" or "First" or "Single")
        {
            if (args.Count is < 1 or > 2 || !IsEntitySet(model, access.Expression, types, cancellationToken, out var entity))
            {
                return null;
            }

            lookup.Shape = baseName.EndsWith("OrDefault", System.StringComparison.Ordinal) ? LookupShape.SingleOrNull : LookupShape.SingleOrThrow;
            lookup.Source = access.Expression;
            lookup.Entity = entity;
            lookup.CancellationToken = args.Count == 2 ? args[1].Expression : null;
            return lookup.WithPredicate(model, args[0].Expression, cancellationToken);
        }

        if (baseName == "ToList" && args.Count <= 1
            && access.Expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Where" } whereAccess } where
            && where.ArgumentList.Arguments.Count == 1
            && IsEntitySet(model, whereAccess.Expression, types, cancellationToken, out var manyEntity))
        {
            lookup.Shape = LookupShape.Many;
            lookup.Source = whereAccess.Expression;
            lookup.Entity = manyEntity;
            lookup.CancellationToken = args.Count == 1 ? args[0].Expression : null;
            return lookup.WithPredicate(model, where.ArgumentList.Arguments[0].Expression, cancellationToken);
        }

        return null;
    }

    private PerElementLookup? WithPredicate(SemanticModel model, ExpressionSyntax predicate, CancellationToken cancellationToken)
    {
        // x => x.Prop == key (either order), nothing else.
        if (predicate is not SimpleLambdaExpressionSyntax { Body: BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression } equals } lambda)
        {
            return null;
        }

        var parameter = lambda.Parameter.Identifier.ValueText;
        ExpressionSyntax? key = null;
        MemberAccessExpressionSyntax? matched = null;
        if (IsParameterMember(equals.Left, parameter))
        {
            matched = (MemberAccessExpressionSyntax)equals.Left;
            key = equals.Right;
        }
        else if (IsParameterMember(equals.Right, parameter))
        {
            matched = (MemberAccessExpressionSyntax)equals.Right;
            key = equals.Left;
        }

        if (matched is null || key is null || model.GetSymbolInfo(matched, cancellationToken).Symbol is not IPropertySymbol property)
        {
            return null;
        }

        // The key must not mention the lambda parameter itself.
        if (key.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().Any(i => i.Identifier.ValueText == parameter))
        {
            return null;
        }

        MatchedProperty = property;
        return WithKey(model, key, cancellationToken);
    }

    private PerElementLookup? WithKey(SemanticModel model, ExpressionSyntax key, CancellationToken cancellationToken)
    {
        // The key is the element itself (foreach (var id in ids)) or a property of it (post.AuthorId).
        var keyType = model.GetTypeInfo(key, cancellationToken).Type;
        if (keyType is null || keyType.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
        {
            return null;
        }

        if (key is IdentifierNameSyntax identifier && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, Element))
        {
            KeyProperty = null;
        }
        else if (key is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax owner } member
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(owner, cancellationToken).Symbol, Element)
            && model.GetSymbolInfo(member, cancellationToken).Symbol is IPropertySymbol keyProperty)
        {
            KeyProperty = keyProperty;
        }
        else
        {
            return null;
        }

        Key = key;
        KeyType = keyType;
        return this;
    }

    private static bool IsParameterMember(ExpressionSyntax expression, string parameter)
        => expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax identifier } && identifier.Identifier.ValueText == parameter;

    /// <summary>A DbSet (or <c>Set&lt;T&gt;()</c>, optionally <c>.AsNoTracking()</c>): the lookup queries the whole set.</summary>
    private static bool IsEntitySet(SemanticModel model, ExpressionSyntax expression, WellKnownTypes types, CancellationToken cancellationToken, out INamedTypeSymbol entity)
    {
        entity = null!;
        if (expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsNoTracking" or "AsTracking" } inner, ArgumentList.Arguments.Count: 0 })
        {
            expression = inner.Expression;
        }

        if (model.GetTypeInfo(expression, cancellationToken).Type is INamedTypeSymbol { TypeArguments.Length: 1 } set && set.InheritsFromOrEquals(types.DbSet) && set.TypeArguments[0] is INamedTypeSymbol e)
        {
            entity = e;
            return true;
        }

        return false;
    }

    /// <summary>The expression reads nothing declared inside the loop (the element, or locals of the body).</summary>
    public static bool IsLoopInvariant(SemanticModel model, SyntaxNode expression, ForEachStatementSyntax loop, CancellationToken cancellationToken)
    {
        foreach (var identifier in expression.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol local
                && local.DeclaringSyntaxReferences.Any(r => loop.Span.Contains(r.Span)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasFunctionBetween(SyntaxNode node, SyntaxNode ancestor)
    {
        for (var current = node.Parent; current is not null && current != ancestor; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The expression a call's value is used through: the call, or the <c>await</c> (with ConfigureAwait) around it.</summary>
    public static ExpressionSyntax FindOuter(InvocationExpressionSyntax invocation, out bool awaited)
    {
        ExpressionSyntax outer = invocation;
        if (outer.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure && configure.Parent is InvocationExpressionSyntax configured)
        {
            outer = configured;
        }

        awaited = outer.Parent is AwaitExpressionSyntax;
        return awaited ? (ExpressionSyntax)outer.Parent! : invocation;
    }

    /// <summary>Names already used in the method around <paramref name="node"/> (declared locals and parameters, and visible symbols).</summary>
    public static HashSet<string> NamesInScope(SemanticModel model, SyntaxNode node)
    {
        var names = new HashSet<string>(model.LookupSymbols(node.SpanStart).Select(s => s.Name));
        var body = node.FirstAncestorOrSelf<MemberDeclarationSyntax>() as SyntaxNode ?? node.SyntaxTree.GetRoot();
        foreach (var token in body.DescendantTokens())
        {
            if (token.IsKind(SyntaxKind.IdentifierToken))
            {
                names.Add(token.ValueText);
            }
        }

        return names;
    }

    /// <summary>Names a lambda parameter at <paramref name="node"/> must avoid: the locals, parameters and members in scope there.</summary>
    public static HashSet<string> NamesVisibleAt(SemanticModel model, SyntaxNode node)
        => new(model.LookupSymbols(node.SpanStart).Select(s => s.Name));

    public static string UniqueName(string wanted, HashSet<string> taken)
    {
        var name = wanted;
        for (var i = 2; taken.Contains(name) || SyntaxFacts.GetKeywordKind(name) != SyntaxKind.None; i++)
        {
            name = wanted + i;
        }

        taken.Add(name);
        return name;
    }

    public static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name.Substring(1);
}
