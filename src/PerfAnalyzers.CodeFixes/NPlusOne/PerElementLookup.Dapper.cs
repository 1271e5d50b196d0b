using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

/// <summary>
/// Dapper lookups: <c>conn.QuerySingleOrDefaultAsync&lt;User&gt;("... WHERE id = @Id", new { Id = post.AuthorId })</c>,
/// <c>QueryFirstOrDefault(Async)</c>, and <c>Query(Async)</c> for one-to-many, with the SQL a constant of the
/// <see cref="KeyedSelectSql"/> shape, the parameter object the one key, and every other argument kept as it was.
/// </summary>
internal sealed partial class PerElementLookup
{
    private static readonly ConditionalWeakTable<Compilation, DapperMapping> Mappings = new();

    private PerElementLookup? WithDapperQuery(SemanticModel model, IInvocationOperation operation, MemberAccessExpressionSyntax access, WellKnownTypes types, CancellationToken cancellationToken)
    {
        var method = operation.TargetMethod;
        var baseName = method.Name.EndsWith("Async", StringComparison.Ordinal) ? method.Name.Substring(0, method.Name.Length - 5) : method.Name;
        switch (baseName)
        {
            case "QuerySingleOrDefault":
                Shape = LookupShape.SingleOrNull;
                break;
            case "QueryFirstOrDefault":
                Shape = LookupShape.SingleOrNull;
                FirstMatchWins = true;
                break;
            case "Query":
                Shape = LookupShape.Many;
                break;
            default:
                return null;
        }

        // Query<T>(...) called as an extension on a connection (not SqlMapper.Query<T>(conn, ...), not the multi-map overloads).
        if (method.TypeArguments.Length != 1 || method.TypeArguments[0] is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct, SpecialType: SpecialType.None } entity
            || model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is ITypeSymbol
            || model.GetTypeInfo(access.Expression, cancellationToken).Type is not { } connectionType
            || !IsLoopInvariant(model, access.Expression, Loop, cancellationToken))
        {
            return null;
        }

        Entity = entity;
        Source = access.Expression;

        // The arguments: sql and param (rewritten), or one inline CommandDefinition holding them; the rest kept.
        IObjectCreationOperation? definition = null;
        if (!TryCollectDapperArguments(model, operation.Arguments, isDefinition: false, cancellationToken, out var sqlArgument, out var paramArgument, out var commandArgument))
        {
            return null;
        }

        if (commandArgument is not null)
        {
            definition = commandArgument.Value.WalkDownConversions() as IObjectCreationOperation;
            if (definition is not { Initializer: null } || !definition.Type.IsType(types.DapperCommandDefinition)
                || !TryCollectDapperArguments(model, definition.Arguments, isDefinition: true, cancellationToken, out sqlArgument, out paramArgument, out _))
            {
                return null;
            }
        }

        if (sqlArgument?.Syntax is not ArgumentSyntax { Expression: { } sqlSyntax } || paramArgument?.Syntax is not ArgumentSyntax { Expression: AnonymousObjectCreationExpressionSyntax { Initializers.Count: 1 } paramSyntax }
            || model.GetConstantValue(sqlSyntax, cancellationToken) is not { HasValue: true, Value: string sqlText }
            || KeyedSelectSql.TryParse(sqlText) is not { SelectedName: { } selectedName } sql)
        {
            return null;
        }

        // new { Id = post.AuthorId } or new { post.AuthorId }: the one member is the SQL's one parameter (Dapper matches names ignoring case).
        var member = paramSyntax.Initializers[0];
        var memberName = member.NameEquals?.Name.Identifier.ValueText
            ?? member.Expression switch
            {
                IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                MemberAccessExpressionSyntax memberAccess => memberAccess.Name.Identifier.ValueText,
                _ => null,
            };
        if (!string.Equals(memberName, sql.Parameter, StringComparison.OrdinalIgnoreCase) || WithKey(model, member.Expression, cancellationToken) is null
            || !KeyType.IsValueType)
        {
            // String keys are left alone: the database's collation may match keys a dictionary would not.
            return null;
        }

        // On Npgsql Dapper passes a list as one array parameter (no IN expansion): = ANY(@Ids). Elsewhere it expands IN @Ids.
        // A connection typed IDbConnection/DbConnection in a project that uses Npgsql could be either: no fix.
        var useAny = connectionType.InheritsFromOrEquals(types.NpgsqlConnection);
        if (!useAny && types.NpgsqlConnection is not null && (connectionType.TypeKind == TypeKind.Interface || connectionType.IsAbstract))
        {
            return null;
        }

        var mapping = Mappings.GetValue(model.Compilation, c => DapperMapping.Scan(c, types));
        if (mapping.HasCustomTypeMaps || FindMappedProperty(entity, selectedName, mapping.MatchNamesWithUnderscores) is not { } property
            || !SymbolEqualityComparer.Default.Equals(property.Type, KeyType))
        {
            return null;
        }

        MatchedProperty = property;
        KeysAsArray = useAny;
        var listParameter = sql.Parameter + "s";
        var newSqlSyntax = RewriteLiteral(sqlSyntax, sql.Predicate, sql.ListPredicate(listParameter, useAny), sql.WithListPredicate(listParameter, useAny));
        var bulkName = IsAsyncCall ? "QueryAsync" : "Query";
        var renamed = bulkName != method.Name;
        // Sync Query has 'buffered' before commandTimeout: a positional timeout moved to it needs its name.
        var positionalAfterParam = !IsAsyncCall && renamed && definition is null
            ? invocationArguments(operation).Where(a => a.NameColon is null && a != sqlSyntax.Parent && a != paramSyntax.Parent && ParameterNameOf(operation, a) != "transaction").ToList()
            : new List<ArgumentSyntax>();
        var invocation = Invocation;
        BulkCall = keys =>
        {
            var listObject = SyntaxFactory.ParseExpression($"new {{ {listParameter} = {keys} }}").WithTriviaFrom(paramSyntax);
            var rewritten = invocation.ReplaceNodes(
                new SyntaxNode[] { sqlSyntax, paramSyntax, access.Name }.Concat(positionalAfterParam),
                (original, current) => original == sqlSyntax ? newSqlSyntax
                    : original == paramSyntax ? listObject
                    : original == access.Name ? RenameSimpleName((SimpleNameSyntax)current, bulkName)
                    : ((ArgumentSyntax)current).WithNameColon(SyntaxFactory.NameColon(ParameterNameOf(operation, (ArgumentSyntax)original)!).WithTrailingTrivia(SyntaxFactory.Space)));
            return rewritten.WithoutTrivia();
        };

        if (positionalAfterParam.Any(a => ParameterNameOf(operation, a) is null))
        {
            return null;
        }

        return this;

        static IEnumerable<ArgumentSyntax> invocationArguments(IInvocationOperation call)
            => call.Syntax is InvocationExpressionSyntax syntax ? syntax.ArgumentList.Arguments : Enumerable.Empty<ArgumentSyntax>();
    }

    private static string? ParameterNameOf(IInvocationOperation operation, ArgumentSyntax argument)
        => operation.Arguments.FirstOrDefault(a => a.Syntax == argument)?.Parameter?.Name;

    private static SimpleNameSyntax RenameSimpleName(SimpleNameSyntax name, string newName)
        => name.WithIdentifier(SyntaxFactory.Identifier(newName).WithTriviaFrom(name.Identifier));

    /// <summary>
    /// Sorts Dapper's arguments: sql/commandText, param/parameters, an inline CommandDefinition; transaction, timeout,
    /// buffered, flags and the token are kept if they do not change per element; an explicit commandType (maybe a
    /// stored procedure) or anything unknown means no fix.
    /// </summary>
    private bool TryCollectDapperArguments(SemanticModel model, IEnumerable<IArgumentOperation> arguments, bool isDefinition, CancellationToken cancellationToken,
        out IArgumentOperation? sql, out IArgumentOperation? param, out IArgumentOperation? command)
    {
        sql = param = command = null;
        foreach (var argument in arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "cnn" when !isDefinition:
                    break;
                case "sql" when !isDefinition:
                case "commandText" when isDefinition:
                    sql = argument;
                    break;
                case "param" when !isDefinition:
                case "parameters" when isDefinition:
                    param = argument;
                    break;
                case "command" when !isDefinition:
                    command = argument;
                    break;
                case "transaction" or "commandTimeout" or "buffered" or "flags" or "cancellationToken":
                    if (argument.ArgumentKind == ArgumentKind.Explicit && !IsLoopInvariant(model, argument.Syntax, Loop, cancellationToken))
                    {
                        return false;
                    }

                    break;
                default:
                    if (argument.ArgumentKind != ArgumentKind.DefaultValue)
                    {
                        return false;
                    }

                    break;
            }
        }

        return command is not null ? sql is null && param is null : sql is not null && param is not null;
    }

    /// <summary>
    /// The property Dapper fills from the column named <paramref name="column"/>: same name ignoring case, or, when the
    /// project sets <c>DefaultTypeMap.MatchNamesWithUnderscores</c>, also ignoring underscores. Null unless exactly one.
    /// </summary>
    private static IPropertySymbol? FindMappedProperty(INamedTypeSymbol type, string column, bool ignoreUnderscores)
    {
        var properties = new List<IPropertySymbol>();
        for (var current = type; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            properties.AddRange(current.GetMembers().OfType<IPropertySymbol>().Where(p => !p.IsStatic && !p.IsIndexer && p.DeclaredAccessibility == Accessibility.Public));
        }

        var exact = properties.Where(p => p.Name == column).ToList();
        if (exact.Count == 1)
        {
            return exact[0];
        }

        var ignoringCase = properties.Where(p => string.Equals(p.Name, column, StringComparison.OrdinalIgnoreCase)).ToList();
        if (ignoringCase.Count > 0 || !ignoreUnderscores)
        {
            return ignoringCase.Count == 1 ? ignoringCase[0] : null;
        }

        var bare = column.Replace("_", "");
        var ignoringUnderscores = properties.Where(p => string.Equals(p.Name.Replace("_", ""), bare, StringComparison.OrdinalIgnoreCase)).ToList();
        return ignoringUnderscores.Count == 1 ? ignoringUnderscores[0] : null;
    }

    /// <summary>The rewritten SQL in the literal's own form (verbatim, raw, line breaks) when only the predicate changes; else a plain literal.</summary>
    private static LiteralExpressionSyntax RewriteLiteral(ExpressionSyntax original, string oldPredicate, string newPredicate, string newSql)
    {
        if (original is LiteralExpressionSyntax literal)
        {
            var text = literal.Token.Text;
            var index = text.IndexOf(oldPredicate, StringComparison.Ordinal);
            if (index >= 0 && text.IndexOf(oldPredicate, index + 1, StringComparison.Ordinal) < 0
                && SyntaxFactory.ParseExpression(text.Substring(0, index) + newPredicate + text.Substring(index + oldPredicate.Length)) is LiteralExpressionSyntax reparsed
                && reparsed.Token.ValueText == newSql)
            {
                return reparsed.WithTriviaFrom(original);
            }
        }

        return SyntaxFactory.LiteralExpression(SyntaxKind.StringLiteralExpression, SyntaxFactory.Literal(newSql)).WithTriviaFrom(original);
    }

    /// <summary>How the project configures Dapper's column-to-property mapping, found once per compilation.</summary>
    private sealed class DapperMapping
    {
        /// <summary>Per tree, so a Fix All that edits one document re-reads only that one.</summary>
        private static readonly ConditionalWeakTable<SyntaxTree, DapperMapping> PerTree = new();

        public bool MatchNamesWithUnderscores { get; private set; }

        /// <summary><c>SqlMapper.SetTypeMap</c> is called: columns may map to properties by rules not visible here.</summary>
        public bool HasCustomTypeMaps { get; private set; }

        public static DapperMapping Scan(Compilation compilation, WellKnownTypes types)
        {
            var mapping = new DapperMapping();
            foreach (var tree in compilation.SyntaxTrees)
            {
                var inTree = PerTree.GetValue(tree, t => ScanTree(compilation, t, types));
                mapping.HasCustomTypeMaps |= inTree.HasCustomTypeMaps;
                mapping.MatchNamesWithUnderscores |= inTree.MatchNamesWithUnderscores;
            }

            return mapping;
        }

        private static DapperMapping ScanTree(Compilation compilation, SyntaxTree tree, WellKnownTypes types)
        {
            var mapping = new DapperMapping();
            var text = tree.GetText().ToString();
            if (text.IndexOf("MatchNamesWithUnderscores", StringComparison.Ordinal) < 0 && text.IndexOf("SetTypeMap", StringComparison.Ordinal) < 0)
            {
                return mapping;
            }

#pragma warning disable RS1030 // A code fix reads the project's Dapper configuration on demand, once per tree.
            var model = compilation.GetSemanticModel(tree);
#pragma warning restore RS1030
            foreach (var name in tree.GetRoot().DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (name.Identifier.ValueText == "SetTypeMap" && model.GetSymbolInfo(name).Symbol is IMethodSymbol setTypeMap && setTypeMap.ContainingType.IsType(types.DapperSqlMapper))
                {
                    mapping.HasCustomTypeMaps = true;
                }
                else if (name.Identifier.ValueText == "MatchNamesWithUnderscores"
                    && model.GetSymbolInfo(name).Symbol is IPropertySymbol property && property.ContainingType.IsType(types.DapperDefaultTypeMap)
                    && name.FirstAncestorOrSelf<AssignmentExpressionSyntax>() is { Right: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.TrueLiteralExpression } })
                {
                    mapping.MatchNamesWithUnderscores = true;
                }
            }

            return mapping;
        }
    }
}
