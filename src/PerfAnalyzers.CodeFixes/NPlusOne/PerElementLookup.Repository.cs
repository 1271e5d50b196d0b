using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

/// <summary>
/// Repository lookups: <c>_users.GetByIdAsync(post.AuthorId, ct)</c> where the same type declares the plural sibling
/// <c>GetByIdsAsync(IEnumerable&lt;int&gt; ids, ct)</c> returning users (a sequence or a dictionary by key). No sibling,
/// no fix: the rewrite never invents a method. The key property comes from the implementation's query when visible
/// (<c>u.Id == id</c>, <c>Find(id)</c>, Dapper <c>WHERE id = @id</c>), else from the parameter's name when unambiguous.
/// </summary>
internal sealed partial class PerElementLookup
{
    private PerElementLookup? WithBulkSibling(SemanticModel model, IInvocationOperation operation, MemberAccessExpressionSyntax access, WellKnownTypes types, CancellationToken cancellationToken)
    {
        var method = operation.TargetMethod;
        if (method.IsExtensionMethod || method.IsGenericMethod || method.ContainingType is not { } owner
            || !IsLoopInvariant(model, access.Expression, Loop, cancellationToken))
        {
            return null;
        }

        IsAsyncCall = TryGetAwaitedResult(method.ReturnType, out var awaitedResult);
        var result = IsAsyncCall ? awaitedResult : method.ReturnType;
        if (result is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } entity
            || entity.AllInterfaces.Any(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T))
        {
            return null; // one row per key only; a repository's one-to-many shape is not rewritten
        }

        // The arguments: the key, and optionally a cancellation token that does not change per element.
        IArgumentOperation? keyArgument = null;
        IArgumentOperation? tokenArgument = null;
        foreach (var argument in operation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                return null;
            }

            if (IsCancellationToken(parameter.Type))
            {
                if (argument.ArgumentKind == ArgumentKind.Explicit)
                {
                    if (!IsLoopInvariant(model, argument.Syntax, Loop, cancellationToken))
                    {
                        return null;
                    }

                    tokenArgument = argument;
                }
            }
            else if (keyArgument is null && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                keyArgument = argument;
            }
            else
            {
                return null;
            }
        }

        if (keyArgument?.Syntax is not ArgumentSyntax { Expression: { } keySyntax } || WithKey(model, keySyntax, cancellationToken) is null
            || !KeyType.IsValueType || !SymbolEqualityComparer.Default.Equals(keyArgument.Parameter!.Type, KeyType))
        {
            return null;
        }

        Shape = LookupShape.SingleOrNull;
        Entity = entity;
        Source = access.Expression;

        var siblings = owner.GetMembers().OfType<IMethodSymbol>()
            .Where(m => m.MethodKind == MethodKind.Ordinary && !m.IsGenericMethod && m.IsStatic == method.IsStatic
                && IsPluralOf(m.Name, method.Name) && model.IsAccessible(Invocation.SpanStart, m))
            .Select(m => (Method: m, Shape: BulkShapeOf(m, entity, KeyType, tokenArgument is not null, IsAsyncCall, model.Compilation)))
            .Where(s => s.Shape is not null)
            .ToList();
        if (siblings.Count != 1 || FindKeyProperty(model, method, keyArgument.Parameter!, entity, types, cancellationToken) is not { } keyProperty)
        {
            return null;
        }

        var (sibling, bulkShape) = (siblings[0].Method, siblings[0].Shape!.Value);
        MatchedProperty = keyProperty;
        KeysAsArray = bulkShape.KeysAsArray;
        BulkReturnsDictionary = bulkShape.ReturnsDictionary;
        var receiver = access.Expression;
        var token = tokenArgument?.Syntax is ArgumentSyntax { Expression: { } tokenSyntax } ? tokenSyntax : null;
        BulkCall = keys =>
        {
            var tokenPart = token is null ? ""
                : bulkShape.TokenParameter!.Ordinal == 1 ? ", " + token.WithoutTrivia()
                : $", {bulkShape.TokenParameter.Name}: {token.WithoutTrivia()}";
            return SyntaxFactory.ParseExpression($"{receiver.WithoutTrivia()}.{sibling.Name}({keys}{tokenPart})");
        };
        return this;
    }

    private readonly struct BulkShape
    {
        public BulkShape(bool keysAsArray, bool returnsDictionary, IParameterSymbol? tokenParameter)
        {
            KeysAsArray = keysAsArray;
            ReturnsDictionary = returnsDictionary;
            TokenParameter = tokenParameter;
        }

        public bool KeysAsArray { get; }

        public bool ReturnsDictionary { get; }

        public IParameterSymbol? TokenParameter { get; }
    }

    /// <summary>
    /// Does <paramref name="sibling"/> take a collection of keys (a <c>List&lt;K&gt;</c> or <c>K[]</c> converts to its first
    /// parameter; any further parameter is a token, optional unless one is passed) and return, awaited the same way, a
    /// sequence of the entity or a dictionary from key to entity?
    /// </summary>
    private static BulkShape? BulkShapeOf(IMethodSymbol sibling, INamedTypeSymbol entity, ITypeSymbol keyType, bool passesToken, bool isAsync, Compilation compilation)
    {
        if (sibling.Parameters.Length == 0)
        {
            return null;
        }

        IParameterSymbol? token = null;
        foreach (var parameter in sibling.Parameters.Skip(1))
        {
            if (!IsCancellationToken(parameter.Type) || token is not null)
            {
                return null;
            }

            token = parameter;
        }

        if (passesToken ? token is null : token is { IsOptional: false })
        {
            return null;
        }

        var keysParameter = sibling.Parameters[0].Type;
        var listClass = compilation.GetTypeByMetadataName("System.Collections.Generic.List`1")?.Construct(keyType);
        bool keysAsArray;
        if (listClass is not null && compilation.ClassifyConversion(listClass, keysParameter) is { IsImplicit: true, IsUserDefined: false })
        {
            keysAsArray = false;
        }
        else if (keysParameter is IArrayTypeSymbol { Rank: 1 } array && SymbolEqualityComparer.Default.Equals(array.ElementType, keyType))
        {
            keysAsArray = true;
        }
        else
        {
            return null;
        }

        var returnsTask = TryGetAwaitedResult(sibling.ReturnType, out var awaited);
        if (returnsTask != isAsync)
        {
            return null;
        }

        var returned = isAsync ? awaited : sibling.ReturnType;
        if (returned is INamedTypeSymbol { TypeArguments.Length: 2 } dictionary
            && dictionary.OriginalDefinition.ToDisplayString() is "System.Collections.Generic.Dictionary<TKey, TValue>" or "System.Collections.Generic.IReadOnlyDictionary<TKey, TValue>")
        {
            return SymbolEqualityComparer.Default.Equals(dictionary.TypeArguments[0], keyType) && SymbolEqualityComparer.Default.Equals(dictionary.TypeArguments[1], entity)
                ? new BulkShape(keysAsArray, returnsDictionary: true, token)
                : null;
        }

        var elementType = returned switch
        {
            IArrayTypeSymbol { Rank: 1 } array => array.ElementType,
            INamedTypeSymbol named => named.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T
                ? named.TypeArguments[0]
                : named.AllInterfaces.FirstOrDefault(i => i.OriginalDefinition.SpecialType == SpecialType.System_Collections_Generic_IEnumerable_T)?.TypeArguments[0],
            _ => null,
        };
        return SymbolEqualityComparer.Default.Equals(elementType, entity) ? new BulkShape(keysAsArray, returnsDictionary: false, token) : null;
    }

    /// <summary><c>GetByIdsAsync</c> for <c>GetByIdAsync</c>, <c>GetUsersByIds</c> for <c>GetUserById</c>: the same words, some made plural.</summary>
    private static bool IsPluralOf(string plural, string singular)
    {
        var many = Words(plural);
        var one = Words(singular);
        if (many.Count != one.Count)
        {
            return false;
        }

        var pluralized = false;
        for (var i = 0; i < many.Count; i++)
        {
            if (many[i] == one[i])
            {
                continue;
            }

            if (many[i] == one[i] + "s" || many[i] == one[i] + "es"
                || one[i].EndsWith("y", StringComparison.Ordinal) && many[i] == one[i].Substring(0, one[i].Length - 1) + "ies")
            {
                pluralized = true;
                continue;
            }

            return false;
        }

        return pluralized;
    }

    private static List<string> Words(string name)
    {
        var words = new List<string>();
        var start = 0;
        for (var i = 1; i <= name.Length; i++)
        {
            if (i == name.Length || char.IsUpper(name[i]) || name[i] == '_')
            {
                if (i > start)
                {
                    words.Add(name.Substring(start, i - start).Trim('_'));
                }

                start = i;
            }
        }

        return words;
    }

    /// <summary>
    /// The entity property the single-item method matches its key against: what its implementations' queries compare
    /// the parameter with (all agreeing), else the property named like the parameter (<c>id</c> ↔ <c>Id</c>) when only one is.
    /// Null when the implementations disagree, or one throws when nothing matches (First/Single, QueryFirst/QuerySingle).
    /// </summary>
    private static IPropertySymbol? FindKeyProperty(SemanticModel model, IMethodSymbol method, IParameterSymbol keyParameter, INamedTypeSymbol entity, WellKnownTypes types, CancellationToken cancellationToken)
    {
        var summaries = PerfCompilationContext.For(model.Compilation).RoundTrips.Summaries;
        var bodies = new List<IMethodSymbol>();
        if (!method.IsAbstract)
        {
            bodies.Add(method.OriginalDefinition);
        }

        if (method.IsAbstract || method.IsVirtual)
        {
            bodies.AddRange(summaries.GetImplementations(method.OriginalDefinition));
        }

        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var implementation in bodies)
        {
            if (summaries.GetBodyOperation(implementation, cancellationToken) is not { } body || implementation.Parameters.Length != method.Parameters.Length)
            {
                continue;
            }

            var parameter = implementation.Parameters[keyParameter.Ordinal];
            foreach (var call in body.DescendantsAndSelf().OfType<IInvocationOperation>())
            {
                var name = call.TargetMethod.Name;
                var matched = MatchedPropertyName(call, parameter, types);
                if (matched is null)
                {
                    continue;
                }

                var baseName = name.EndsWith("Async", StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;
                if (baseName is "First" or "Single" or "QueryFirst" or "QuerySingle")
                {
                    return null;
                }

                found.Add(matched);
            }
        }

        var candidates = AllProperties(entity);
        if (found.Count > 0)
        {
            var byQuery = found.Count == 1 ? candidates.Where(p => p.Name == found.First()).ToList() : new List<IPropertySymbol>();
            return byQuery.Count == 1 && SymbolEqualityComparer.Default.Equals(byQuery[0].Type, keyParameter.Type) ? byQuery[0] : null;
        }

        // By name: id ↔ Id; productId ↔ Product.Id when Product has no ProductId of its own.
        var byName = candidates.Where(p => string.Equals(p.Name, keyParameter.Name, StringComparison.OrdinalIgnoreCase)).ToList();
        if (byName.Count == 0 && string.Equals(keyParameter.Name, entity.Name + "Id", StringComparison.OrdinalIgnoreCase))
        {
            byName = candidates.Where(p => p.Name == "Id").ToList();
        }

        return byName.Count == 1 && SymbolEqualityComparer.Default.Equals(byName[0].Type, keyParameter.Type) ? byName[0] : null;
    }

    /// <summary>The property a call compares <paramref name="parameter"/> with: <c>x => x.P == id</c>, <c>Find(id)</c> (the primary key).</summary>
    private static string? MatchedPropertyName(IInvocationOperation call, IParameterSymbol parameter, WellKnownTypes types)
    {
        var name = call.TargetMethod.Name;
        if (name is "Find" or "FindAsync" && call.Instance?.Type is INamedTypeSymbol { TypeArguments.Length: 1 } set && set.InheritsFromOrEquals(types.DbSet)
            && call.Arguments.Any(a => a.Value.DescendantsAndSelf().OfType<IParameterReferenceOperation>().Any(r => SymbolEqualityComparer.Default.Equals(r.Parameter, parameter))))
        {
            return EfModel.GetPrimaryKey(set.TypeArguments[0])?.Name;
        }

        if (call.TargetMethod.ContainingType?.OriginalDefinition.IsType(types.DapperSqlMapper) == true)
        {
            return DapperMatchedPropertyName(call, parameter);
        }

        foreach (var argument in call.Arguments)
        {
            var value = argument.Value.WalkDownConversions();
            if ((value as IAnonymousFunctionOperation ?? (value as IDelegateCreationOperation)?.Target as IAnonymousFunctionOperation) is { } lambda
                && lambda.Body.Operations.FirstOrDefault() is IReturnOperation { ReturnedValue: { } returned }
                && returned.WalkDownConversions() is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals)
            {
                var (member, other) = equals.LeftOperand.WalkDownConversions() is IPropertyReferenceOperation left ? (left, equals.RightOperand) : (equals.RightOperand.WalkDownConversions() as IPropertyReferenceOperation, equals.LeftOperand);
                if (member is { Instance: IParameterReferenceOperation } && other.WalkDownConversions() is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter))
                {
                    return member.Property.Name;
                }
            }
        }

        return null;
    }

    /// <summary>A Dapper query in the implementation: <c>"... WHERE id = @id", new { id }</c> → the property the <c>id</c> column fills.</summary>
    private static string? DapperMatchedPropertyName(IInvocationOperation call, IParameterSymbol parameter)
    {
        if (call.TargetMethod.TypeArguments.Length != 1 || call.TargetMethod.TypeArguments[0] is not INamedTypeSymbol rowType
            || call.GetArgument("sql") is not { ConstantValue: { HasValue: true, Value: string text } }
            || call.GetArgument("param").WalkDownConversions() is not IAnonymousObjectCreationOperation { Initializers.Length: 1 } parameters
            || parameters.Initializers[0] is not ISimpleAssignmentOperation { Target: IPropertyReferenceOperation member, Value: var value }
            || value.WalkDownConversions() is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, parameter)
            || KeyedSelectSql.TryParse(text) is not { SelectedName: { } selected } sql
            || !string.Equals(sql.Parameter, member.Property.Name, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var mapping = Mappings.GetValue(call.SemanticModel!.Compilation, c => DapperMapping.Scan(c, PerfCompilationContext.For(c).Types));
        return mapping.HasCustomTypeMaps ? null : FindMappedProperty(rowType, selected, mapping.MatchNamesWithUnderscores)?.Name;
    }

    private static List<IPropertySymbol> AllProperties(INamedTypeSymbol type)
    {
        var properties = new List<IPropertySymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            properties.AddRange(current.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public));
        }

        return properties;
    }

    private static bool IsCancellationToken(ITypeSymbol type)
        => type is INamedTypeSymbol { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary><c>Task&lt;T&gt;</c> or <c>ValueTask&lt;T&gt;</c>: the T an await gives.</summary>
    private static bool TryGetAwaitedResult(ITypeSymbol type, out ITypeSymbol? result)
    {
        result = null;
        if (type is INamedTypeSymbol { TypeArguments.Length: 1, Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System" } } } } task)
        {
            result = task.TypeArguments[0];
            return true;
        }

        return false;
    }
}
