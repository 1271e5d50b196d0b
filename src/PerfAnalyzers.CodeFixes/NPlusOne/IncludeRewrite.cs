using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

/// <summary>
/// Fix 1, "Load with Include": the loop walks the results of an EF Core query of <c>P</c>, and the per-element
/// lookup fetches what a navigation of <c>P</c> refers to. Adds <c>.Include(p => p.Nav)</c> to the query and reads
/// <c>p.Nav</c> instead. Offered only when the rewrite is equivalent.
/// </summary>
internal static class IncludeRewrite
{
    public static async Task<Document?> TryApplyAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || PerElementLookup.TryParse(model, invocation, cancellationToken) is not { Library: LookupLibrary.EfCore } lookup)
        {
            return null;
        }

        var plan = Plan(model, lookup, cancellationToken);
        if (plan is null)
        {
            return null;
        }

        var (query, navigation, queryIncludesAlready) = plan.Value;
        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        var elementName = lookup.Loop.Identifier.ValueText;

        if (!queryIncludesAlready)
        {
            var typeName = lookup.Element.Type.Name;
            var parameter = PerElementLookup.UniqueName(typeName.Length > 0 ? PerElementLookup.Camel(typeName).Substring(0, 1) : "e", PerElementLookup.NamesVisibleAt(model, query));
            var include = InvocationExpression(
                MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, query.WithoutTrailingTrivia(), IdentifierName("Include")),
                ArgumentList(SingletonSeparatedList(Argument(SimpleLambdaExpression(
                    Parameter(Identifier(parameter)),
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(parameter), IdentifierName(navigation.Name)))))))
                .WithTrailingTrivia(query.GetTrailingTrivia());
            editor.ReplaceNode(query, include);
        }

        var navigationRead = MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(elementName), IdentifierName(navigation.Name));
        if (lookup.Outer.Parent is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment
            && assignment.Right == lookup.Outer
            && assignment.Parent is ExpressionStatementSyntax statement
            && assignment.Left is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax target } left
            && target.Identifier.ValueText == elementName
            && left.Name.Identifier.ValueText == navigation.Name)
        {
            // post.Author = await db.Users.FindAsync(post.AuthorId);  →  (Include already sets it)
            var loopBecomesEmpty = lookup.Loop.Statement is BlockSyntax { Statements.Count: 1 } || lookup.Loop.Statement == statement;
            if (loopBecomesEmpty && lookup.Loop.Parent is BlockSyntax)
            {
                editor.RemoveNode(lookup.Loop, SyntaxRemoveOptions.KeepNoTrivia);
            }
            else if (lookup.Loop.Statement == statement)
            {
                // `if (x) foreach (...) stmt;`: the loop cannot go; leave it with an empty body.
                editor.ReplaceNode(statement, SyntaxFactory.Block().WithTriviaFrom(statement));
            }
            else
            {
                editor.RemoveNode(statement, SyntaxRemoveOptions.KeepNoTrivia);
            }
        }
        else
        {
            ExpressionSyntax replacement = navigationRead;
            if (lookup.Shape == LookupShape.Many && !IsListOf(navigation.Type, lookup.Entity))
            {
                replacement = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, navigationRead, IdentifierName("ToList")));
            }

            editor.ReplaceNode(lookup.Outer, replacement.WithTriviaFrom(lookup.Outer));
        }

        var changed = editor.GetChangedDocument();
        return await Usings.EnsureAsync(changed, "Microsoft.EntityFrameworkCore", cancellationToken).ConfigureAwait(false);
    }

    private static (ExpressionSyntax Query, IPropertySymbol Navigation, bool AlreadyIncluded)? Plan(SemanticModel model, PerElementLookup lookup, CancellationToken cancellationToken)
    {
        if (lookup.Element.Type is not INamedTypeSymbol principal)
        {
            return null;
        }

        IPropertySymbol? navigation;
        switch (lookup.Shape)
        {
            case LookupShape.SingleOrNull:
                // Fetches the principal by its key, keyed by the element's foreign key.
                if (lookup.KeyProperty is null || !SymbolEqualityComparer.Default.Equals(lookup.MatchedProperty, EfModel.GetPrimaryKey(lookup.Entity)))
                {
                    return null;
                }

                navigation = EfModel.FindReferenceNavigation(principal, lookup.KeyProperty, lookup.Entity, model.Compilation, cancellationToken);
                break;
            case LookupShape.Many:
                // Fetches the dependents whose foreign key is the element's key.
                if (lookup.KeyProperty is null || !SymbolEqualityComparer.Default.Equals(lookup.KeyProperty, EfModel.GetPrimaryKey(principal)))
                {
                    return null;
                }

                navigation = EfModel.FindCollectionNavigation(principal, lookup.Entity, lookup.MatchedProperty);
                break;
            default:
                // First/Single throw when missing; a navigation would be null: not equivalent.
                return null;
        }

        if (navigation is null)
        {
            return null;
        }

        var query = FindSourceQuery(model, lookup, principal, cancellationToken);
        if (query is null)
        {
            return null;
        }

        var perf = PerfCompilationContext.For(model.Compilation);
        var flow = BuildFlow(model, lookup.Loop, cancellationToken);
        var queryOperation = model.GetOperation(query, cancellationToken);
        if (flow is null || queryOperation is null)
        {
            return null;
        }

        // Include applies to the entity the query starts from; after a projection (Select) it would throw at run time.
        var origin = perf.RoundTrips.GetQueryOrigin(queryOperation, flow, 0);
        if (origin.Root is not INamedTypeSymbol { TypeArguments.Length: 1 } root || !SymbolEqualityComparer.Default.Equals(root.TypeArguments[0], principal))
        {
            return null;
        }

        return (query, navigation, RoundTripRecognizer.QueryIncludes(queryOperation, flow, navigation.Name));
    }

    /// <summary>
    /// The query whose results the loop walks, as an <c>IQueryable&lt;P&gt;</c> expression to put Include on:
    /// the receiver of the ToList/ToArray(Async) that materialized it (in the foreach header or in a local's
    /// only assignment), or the query the foreach iterates directly.
    /// </summary>
    private static ExpressionSyntax? FindSourceQuery(SemanticModel model, PerElementLookup lookup, INamedTypeSymbol element, CancellationToken cancellationToken)
    {
        var collection = lookup.Loop.Expression;
        if (collection is IdentifierNameSyntax identifier && model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol local)
        {
            var declarator = local.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<VariableDeclaratorSyntax>().FirstOrDefault();
            var body = lookup.Loop.FirstAncestorOrSelf<MemberDeclarationSyntax>();
            if (declarator?.Initializer is null || body is null || IsReassigned(model, body, local, cancellationToken))
            {
                return null;
            }

            collection = declarator.Initializer.Value;
        }

        if (collection is AwaitExpressionSyntax awaited)
        {
            collection = awaited.Expression;
        }

        if (collection is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ToList" or "ToListAsync" or "ToArray" or "ToArrayAsync" } materialize })
        {
            collection = materialize.Expression;
        }

        var type = model.GetTypeInfo(collection, cancellationToken).Type;
        var isQueryOfElement = type is INamedTypeSymbol named
            && named.AllInterfaces.Concat(new[] { named }).Any(i => i.Name == "IQueryable" && i.TypeArguments.Length == 1 && SymbolEqualityComparer.Default.Equals(i.TypeArguments[0], element));
        return isQueryOfElement ? collection : null;
    }

    private static bool IsReassigned(SemanticModel model, SyntaxNode body, ILocalSymbol local, CancellationToken cancellationToken)
        => body.DescendantNodes().OfType<AssignmentExpressionSyntax>().Any(a => a.Left is IdentifierNameSyntax name && name.Identifier.ValueText == local.Name
            && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local));

    private static LocalDataFlow? BuildFlow(SemanticModel model, SyntaxNode inside, CancellationToken cancellationToken)
    {
        var body = inside.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        var operation = body is null ? null : model.GetOperation(body, cancellationToken);
        if (operation is null)
        {
            return null;
        }

        var flow = new LocalDataFlow();
        foreach (var descendant in operation.DescendantsAndSelf())
        {
            flow.Record(descendant);
        }

        return flow;
    }

    private static bool IsListOf(ITypeSymbol type, ITypeSymbol element)
        => type is INamedTypeSymbol { Name: "List", TypeArguments.Length: 1 } list && SymbolEqualityComparer.Default.Equals(list.TypeArguments[0], element);
}
