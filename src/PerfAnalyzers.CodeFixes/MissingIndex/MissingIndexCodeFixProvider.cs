using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Text;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.MissingIndex;

/// <summary>
/// PERF006 fix: declare an index on the filtered property where the model declares its indexes — <c>[Index]</c> on the
/// entity class, or <c>HasIndex</c> in its <c>IEntityTypeConfiguration</c> or in <c>OnModelCreating</c>. The model is read
/// again before each edit, so Fix All adds each index once.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(MissingIndexCodeFixProvider)), Shared]
public sealed class MissingIndexCodeFixProvider : CodeFixProvider
{
    public const string AddIndexKey = "PERF006.AddIndex";

    private static readonly SolutionSequentialFixAllProvider FixAll = new("Add the missing indexes", _ => AddIndexKey, (_, solution, documentId, span, cancellationToken) => AddIndexAsync(solution, documentId, span, cancellationToken));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.MissingIndex);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        var solution = context.Document.Project.Solution;
        if (await AddIndexAsync(solution, context.Document.Id, context.Span, context.CancellationToken).ConfigureAwait(false) is not { } fixedSolution)
        {
            return;
        }

        var property = diagnostic.Properties.TryGetValue(Rules.MissingIndexAnalyzer.PropertyProperty, out var name) ? name : null;
        context.RegisterCodeFix(CodeAction.Create("Add an index on " + property, _ => Task.FromResult(fixedSolution), AddIndexKey), diagnostic);
    }

    private static async Task<Solution?> AddIndexAsync(Solution solution, DocumentId documentId, TextSpan span, CancellationToken cancellationToken)
    {
        if (solution.GetDocument(documentId) is not { } document
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
            || await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } semanticModel
            || root.FindNode(span, getInnermostNodeForTie: true) is not MemberAccessExpressionSyntax filtered
            || semanticModel.GetSymbolInfo(filtered, cancellationToken).Symbol is not IPropertySymbol property
            || semanticModel.GetTypeInfo(filtered.Expression, cancellationToken).Type is not INamedTypeSymbol entity)
        {
            return null;
        }

        // Read against the current solution: an index added for an earlier site already serves this one.
        var facts = EfIndexModel.Get(semanticModel.Compilation, cancellationToken).For(entity);
        if (facts?.DeclarationSite is not { } site || facts.IndexedLeadingColumns.Contains(property.Name)
            || solution.GetDocument(site.SyntaxTree) is not { } target
            || await target.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } targetRoot)
        {
            return null;
        }

        var declaration = targetRoot.FindNode(site.Span, getInnermostNodeForTie: true);
        switch (facts.Style)
        {
            case IndexDeclarationStyle.Attribute when declaration is ClassDeclarationSyntax entityClass:
                var withAttribute = target.WithSyntaxRoot(targetRoot.ReplaceNode(entityClass, AddIndexAttribute(entityClass, property.Name)));
                var withUsing = await Usings.EnsureAsync(withAttribute, "Microsoft.EntityFrameworkCore", cancellationToken).ConfigureAwait(false);
                return (await SeparateFirstUsingAsync(withUsing, targetRoot, cancellationToken).ConfigureAwait(false)).Project.Solution;

            case IndexDeclarationStyle.EntityConfiguration when declaration is MethodDeclarationSyntax { ParameterList.Parameters.Count: > 0 } configure:
                var builder = configure.ParameterList.Parameters[0].Identifier.ValueText;
                var lambda = LambdaParameter(configure, entity);
                return target.WithSyntaxRoot(targetRoot.ReplaceNode(configure, Append(configure, $"{builder}.HasIndex({lambda} => {lambda}.{property.Name});"))).Project.Solution;

            case IndexDeclarationStyle.OnModelCreating when declaration is MethodDeclarationSyntax { ParameterList.Parameters.Count: > 0 } onModelCreating:
                if (await target.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false) is not { } targetModel)
                {
                    return null;
                }

                var modelBuilder = onModelCreating.ParameterList.Parameters[0].Identifier.ValueText;
                var entityName = entity.ToMinimalDisplayString(targetModel, onModelCreating.SpanStart);
                var parameter = LambdaParameter(onModelCreating, entity);
                return target.WithSyntaxRoot(targetRoot.ReplaceNode(onModelCreating, Append(onModelCreating, $"{modelBuilder}.Entity<{entityName}>().HasIndex({parameter} => {parameter}.{property.Name});"))).Project.Solution;

            default:
                return null;
        }
    }

    /// <summary>A using added to a file that had none is followed by a blank line, as usings usually are.</summary>
    private static async Task<Document> SeparateFirstUsingAsync(Document document, SyntaxNode originalRoot, CancellationToken cancellationToken)
    {
        if (originalRoot is not CompilationUnitSyntax { Usings.Count: 0 }
            || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax { Usings.Count: 1 } root
            || root.Members.Count == 0
            || root.Members[0] is not { } first
            || (first.GetLeadingTrivia().Count > 0 && first.GetLeadingTrivia()[0].IsKind(SyntaxKind.EndOfLineTrivia)))
        {
            return document;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(first, first.WithLeadingTrivia(first.GetLeadingTrivia().Insert(0, Members.EndOfLine(root)))));
    }

    /// <summary>
    /// Adds <c>[Index(nameof(Prop))]</c> among the class's single-property index attributes in name order, so the result
    /// does not depend on the order sites are fixed in.
    /// </summary>
    private static ClassDeclarationSyntax AddIndexAttribute(ClassDeclarationSyntax entityClass, string propertyName)
    {
        var attribute = AttributeList(SingletonSeparatedList(Attribute(
            IdentifierName("Index"),
            AttributeArgumentList(SingletonSeparatedList(AttributeArgument(ParseExpression($"nameof({propertyName})")))))));
        var lists = entityClass.AttributeLists;
        var position = 0;
        for (var i = 0; i < lists.Count; i++)
        {
            if (IndexedProperty(lists[i]) is { } existing)
            {
                if (string.CompareOrdinal(existing, propertyName) > 0)
                {
                    break;
                }

                position = i + 1;
            }
        }

        if (position > 0)
        {
            attribute = attribute.WithLeadingTrivia(Members.Indentation(entityClass)).WithTrailingTrivia(Members.EndOfLine(entityClass));
            return entityClass.WithAttributeLists(lists.Insert(position, attribute));
        }

        var leading = entityClass.GetLeadingTrivia();
        var stripped = entityClass.WithLeadingTrivia(Members.Indentation(entityClass));
        return stripped.WithAttributeLists(stripped.AttributeLists.Insert(0, attribute.WithLeadingTrivia(leading).WithTrailingTrivia(Members.EndOfLine(entityClass))));
    }

    /// <summary>"Status" for <c>[Index(nameof(Status))]</c> or <c>[Index("Status")]</c>; null for other attribute lists.</summary>
    private static string? IndexedProperty(AttributeListSyntax list)
        => list.Attributes.Count == 1 && list.Attributes[0] is { Name: IdentifierNameSyntax { Identifier.ValueText: "Index" or "IndexAttribute" }, ArgumentList.Arguments: { Count: 1 } arguments }
            ? arguments[0].Expression switch
            {
                InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" }, ArgumentList.Arguments.Count: 1 } nameOf
                    when nameOf.ArgumentList.Arguments[0].Expression is IdentifierNameSyntax name => name.Identifier.ValueText,
                LiteralExpressionSyntax literal when literal.IsKind(SyntaxKind.StringLiteralExpression) => literal.Token.ValueText,
                _ => null,
            }
            : null;

    /// <summary>Adds the statement at the end of the method body (before a final <c>return</c>), as a block if it had an expression body.</summary>
    private static MethodDeclarationSyntax Append(MethodDeclarationSyntax method, string statementText)
    {
        var eol = Members.EndOfLine(method);
        if (method.Body is null)
        {
            if (method.ExpressionBody is null)
            {
                return method;
            }

            var body = Block(ExpressionStatement(method.ExpressionBody.Expression), ParseStatement(statementText)).WithAdditionalAnnotations(Formatter.Annotation);
            return method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body)
                .WithParameterList(method.ParameterList.WithTrailingTrivia(eol));
        }

        var statements = method.Body.Statements;
        var indentation = statements.Count > 0 ? Members.Indentation(statements[0]) : Whitespace(Members.Indentation(method).ToString() + "    ");
        var statement = ParseStatement(statementText).WithLeadingTrivia(indentation).WithTrailingTrivia(eol);
        var index = statements.Count > 0 && statements[statements.Count - 1] is ReturnStatementSyntax ? statements.Count - 1 : statements.Count;
        return method.WithBody(method.Body.WithStatements(statements.Insert(index, statement)));
    }

    /// <summary>A lambda parameter name that no parameter or local of the method already uses.</summary>
    private static string LambdaParameter(MethodDeclarationSyntax method, INamedTypeSymbol entity)
    {
        // Lambda parameters of sibling lambdas may repeat; method parameters and locals may not be shadowed.
        var used = method.ParameterList.Parameters.Select(p => p.Identifier.ValueText)
            .Concat(method.DescendantNodes().OfType<VariableDeclaratorSyntax>().Select(v => v.Identifier.ValueText))
            .Concat(method.DescendantNodes().OfType<SingleVariableDesignationSyntax>().Select(v => v.Identifier.ValueText))
            .Concat(method.DescendantNodes().OfType<ForEachStatementSyntax>().Select(f => f.Identifier.ValueText))
            .ToImmutableHashSet();
        foreach (var candidate in new[] { char.ToLowerInvariant(entity.Name[0]).ToString(), "e", "entity" })
        {
            if (!used.Contains(candidate) && SyntaxFacts.GetKeywordKind(candidate) == SyntaxKind.None)
            {
                return candidate;
            }
        }

        return "entityToIndex";
    }
}
