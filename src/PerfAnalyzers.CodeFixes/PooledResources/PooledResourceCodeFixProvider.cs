using System.Collections.Generic;
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
using PerfAnalyzers.CodeFixes.NPlusOne;
using PerfAnalyzers.Core;
using PerfAnalyzers.Rules;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.PooledResources;

/// <summary>
/// PERF003 fixes, "Use the shared/pooled instance": <c>new HttpClient()</c> becomes <c>IHttpClientFactory.CreateClient()</c>
/// (injected through the constructor, <c>AddHttpClient()</c> registered in the composition root when found) or, in static
/// code, one <c>static readonly</c> shared instance; <c>Pooling=false</c> is removed from the connection string literal;
/// Redis multiplexers and Npgsql data sources become injected singletons or a static Lazy (<see cref="SharedInstanceRewrite"/>);
/// <c>new XDbContext(options)</c> becomes the injected context or its factory (<see cref="DbContextRewrite"/>);
/// <c>AddDbContext</c> becomes <c>AddDbContextPool</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(PooledResourceCodeFixProvider)), Shared]
public sealed class PooledResourceCodeFixProvider : CodeFixProvider
{
    public const string HttpClientKey = "PERF003.HttpClient";
    public const string PoolingKey = "PERF003.Pooling";
    public const string ContextPoolKey = "PERF003.ContextPool";
    public const string RedisKey = "PERF003.Redis";
    public const string DataSourceKey = "PERF003.DataSource";
    public const string DbContextKey = "PERF003.DbContext";

    private static readonly string[] HttpClientRegistration = { "AddHttpClient()" };

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.PooledResourcePerRequest);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly SolutionSequentialFixAllProvider FixAll = new("Use the shared/pooled instance", KeyOf, ApplyAsync);

    private static string? KeyOf(Diagnostic diagnostic)
    {
        diagnostic.Properties.TryGetValue(PooledResourcePerRequestAnalyzer.KindProperty, out var kind);
        return kind switch
        {
            nameof(PooledResourceKind.HttpClient) => HttpClientKey,
            nameof(PooledResourceKind.ConnectionWithPoolingOff) => PoolingKey,
            "DbContextPooling" => ContextPoolKey,
            nameof(PooledResourceKind.RedisMultiplexer) => RedisKey,
            nameof(PooledResourceKind.DataSource) => DataSourceKey,
            nameof(PooledResourceKind.DbContext) => DbContextKey,
            _ => null,
        };
    }

    private static async Task<Solution?> ApplyAsync(string key, Solution solution, DocumentId documentId, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        if (key == HttpClientKey)
        {
            return await FixHttpClientAsync(solution, documentId, span, cancellationToken).ConfigureAwait(false);
        }

        if (key == DbContextKey)
        {
            return await DbContextRewrite.ApplyAsync(solution, documentId, span, cancellationToken).ConfigureAwait(false);
        }

        if (key is RedisKey or DataSourceKey)
        {
            return await SharedInstanceRewrite.ApplyAsync(solution, documentId, span, cancellationToken).ConfigureAwait(false);
        }

        if (solution.GetDocument(documentId) is not { } document)
        {
            return null;
        }

        var fixedDocument = key == ContextPoolKey
            ? await FixContextPoolingAsync(document, span, cancellationToken).ConfigureAwait(false)
            : await FixPoolingAsync(document, span, cancellationToken).ConfigureAwait(false);
        return fixedDocument?.Project.Solution;
    }

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        diagnostic.Properties.TryGetValue(PooledResourcePerRequestAnalyzer.KindProperty, out var kind);
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not { } node)
        {
            return;
        }

        if (kind == nameof(PooledResourceKind.HttpClient) && node is BaseObjectCreationExpressionSyntax)
        {
            var solution = await FixHttpClientAsync(context.Document.Project.Solution, context.Document.Id, context.Span, context.CancellationToken).ConfigureAwait(false);
            if (solution is not null)
            {
                context.RegisterCodeFix(CodeAction.Create("Use the shared/pooled HttpClient", _ => Task.FromResult(solution), HttpClientKey), diagnostic);
            }
        }
        else if (kind is nameof(PooledResourceKind.RedisMultiplexer) or nameof(PooledResourceKind.DataSource) && node is InvocationExpressionSyntax)
        {
            var solution = await SharedInstanceRewrite.ApplyAsync(context.Document.Project.Solution, context.Document.Id, context.Span, context.CancellationToken).ConfigureAwait(false);
            if (solution is not null)
            {
                var isRedis = kind == nameof(PooledResourceKind.RedisMultiplexer);
                context.RegisterCodeFix(CodeAction.Create(isRedis ? "Use the shared ConnectionMultiplexer" : "Use the shared data source", _ => Task.FromResult(solution), isRedis ? RedisKey : DataSourceKey), diagnostic);
            }
        }
        else if (kind == nameof(PooledResourceKind.DbContext) && node is BaseObjectCreationExpressionSyntax)
        {
            var solution = await DbContextRewrite.ApplyAsync(context.Document.Project.Solution, context.Document.Id, context.Span, context.CancellationToken).ConfigureAwait(false);
            if (solution is not null)
            {
                context.RegisterCodeFix(CodeAction.Create("Use the DbContext from DI", _ => Task.FromResult(solution), DbContextKey), diagnostic);
            }
        }
        else if (kind == "DbContextPooling" && await FixContextPoolingAsync(context.Document, context.Span, context.CancellationToken).ConfigureAwait(false) is { } pooled)
        {
            context.RegisterCodeFix(CodeAction.Create("Use AddDbContextPool", _ => Task.FromResult(pooled.Project.Solution), ContextPoolKey), diagnostic);
        }
        else if (kind == nameof(PooledResourceKind.ConnectionWithPoolingOff) && node is BaseObjectCreationExpressionSyntax)
        {
            var document = await FixPoolingAsync(context.Document, context.Span, context.CancellationToken).ConfigureAwait(false);
            if (document is not null)
            {
                context.RegisterCodeFix(CodeAction.Create("Remove Pooling=false", _ => Task.FromResult(document.Project.Solution), PoolingKey), diagnostic);
            }
        }
    }

    /// <summary><c>services.AddDbContext&lt;T&gt;(options)</c> → <c>services.AddDbContextPool&lt;T&gt;(options)</c> (same options lambda).</summary>
    private static async Task<Document?> FixContextPoolingAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } invocation
            || invocation.Expression is not MemberAccessExpressionSyntax { Name: GenericNameSyntax { Identifier.ValueText: "AddDbContext" } name })
        {
            return null;
        }

        return document.WithSyntaxRoot(root.ReplaceNode(name, name.WithIdentifier(Identifier("AddDbContextPool").WithTriviaFrom(name.Identifier))));
    }

    /// <summary>Removes the <c>Pooling=false</c> entry from a connection string literal (in place, or a const in the same document).</summary>
    private static async Task<Document?> FixPoolingAsync(Document document, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root?.FindNode(span, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments } || model is null)
        {
            return null;
        }

        var literal = arguments[0].Expression as LiteralExpressionSyntax;
        if (literal is null && model.GetSymbolInfo(arguments[0].Expression, cancellationToken).Symbol is IFieldSymbol { IsConst: true } constant)
        {
            literal = constant.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<VariableDeclaratorSyntax>()
                .Select(d => d.Initializer?.Value as LiteralExpressionSyntax).FirstOrDefault(l => l is not null && l.SyntaxTree == root.SyntaxTree);
        }

        if (literal is null || !literal.IsKind(SyntaxKind.StringLiteralExpression))
        {
            return null;
        }

        var parts = literal.Token.ValueText.Split(';')
            .Where(p => !(p.Split('=') is { Length: 2 } pair && pair[0].Trim().Equals("Pooling", System.StringComparison.OrdinalIgnoreCase) && pair[1].Trim().Equals("false", System.StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var text = string.Join(";", parts).TrimEnd(';');
        var replacement = LiteralExpression(SyntaxKind.StringLiteralExpression, Literal(text)).WithTriviaFrom(literal);
        return document.WithSyntaxRoot(root.ReplaceNode(literal, replacement));
    }

    /// <summary>Replaces <c>new HttpClient(...)</c> at <paramref name="span"/>; returns the changed solution or null when not applicable.</summary>
    internal static async Task<Solution?> FixHttpClientAsync(Solution solution, DocumentId documentId, Microsoft.CodeAnalysis.Text.TextSpan span, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (document is null || root is null || model is null
            || root.FindNode(span, getInnermostNodeForTie: true) is not BaseObjectCreationExpressionSyntax creation
            || creation.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not ClassDeclarationSyntax type
            || creation.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member)
        {
            return null;
        }

        var isStaticContext = type.Modifiers.Any(SyntaxKind.StaticKeyword) || member.Modifiers.Any(SyntaxKind.StaticKeyword);
        var factoryType = model.Compilation.GetTypeByMetadataName("System.Net.Http.IHttpClientFactory");
        var taken = PerElementLookup.NamesInScope(model, type);
        return isStaticContext || factoryType is null
            ? ShareStatically(solution, document, root, model, creation, type, taken, cancellationToken)
            : await InjectFactoryAsync(solution, document, root, creation, type, taken, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One <c>static readonly HttpClient</c> for the type, created once; no longer disposed per call.</summary>
    private static Solution? ShareStatically(Solution solution, Document document, SyntaxNode root, SemanticModel model, BaseObjectCreationExpressionSyntax creation, ClassDeclarationSyntax type, HashSet<string> taken, CancellationToken cancellationToken)
    {
        // The creation moves to a field initializer: it may read nothing local.
        foreach (var identifier in creation.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (identifier.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax } initialized && initialized.Left == identifier)
            {
                continue; // new HttpClient { BaseAddress = ... }: the member being set
            }

            if (model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol or IParameterSymbol || model.GetSymbolInfo(identifier, cancellationToken).Symbol is { IsStatic: false, Kind: SymbolKind.Field or SymbolKind.Property or SymbolKind.Method })
            {
                return null;
            }
        }

        var name = PerElementLookup.UniqueName("SharedHttpClient", taken);
        var field = ParseMemberDeclaration($"private static readonly HttpClient {name} = {creation.WithoutTrivia()};")!;
        var tracked = root.TrackNodes(creation, type);
        tracked = ReplaceCreation(tracked, tracked.GetCurrentNode(creation)!, IdentifierName(name), removeUsing: true);
        var currentType = tracked.GetCurrentNode(type)!;
        tracked = tracked.ReplaceNode(currentType, Members.InsertFirst(currentType, field));
        return solution.WithDocumentSyntaxRoot(document.Id, tracked);
    }

    /// <summary>Injects <c>IHttpClientFactory</c> and calls <c>CreateClient()</c>; registers <c>AddHttpClient()</c> in Program.cs when found.</summary>
    private static async Task<Solution?> InjectFactoryAsync(Solution solution, Document document, SyntaxNode root, BaseObjectCreationExpressionSyntax creation, ClassDeclarationSyntax type, HashSet<string> taken, CancellationToken cancellationToken)
    {
        if (creation.ArgumentList is { Arguments.Count: > 0 } || type.ParameterList is not null && type.Members.OfType<ConstructorDeclarationSyntax>().Any())
        {
            // A custom handler belongs in AddHttpClient(...).ConfigurePrimaryHttpMessageHandler: not rewritten here.
            return null;
        }

        var existing = type.Members.OfType<FieldDeclarationSyntax>()
            .SelectMany(f => f.Declaration.Variables.Select(v => (Field: f, Variable: v)))
            .FirstOrDefault(f => f.Field.Declaration.Type.ToString() is "IHttpClientFactory" or "System.Net.Http.IHttpClientFactory");
        var fieldName = existing.Variable?.Identifier.ValueText ?? PerElementLookup.UniqueName("_httpClientFactory", taken);
        ExpressionSyntax createClient = InvocationExpression(MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(fieldName), IdentifierName("CreateClient")));

        var enclosingStatement = creation.FirstAncestorOrSelf<StatementSyntax>();
        var tracked = enclosingStatement is null ? root.TrackNodes(creation, type) : root.TrackNodes(creation, type, enclosingStatement);
        var currentCreation = tracked.GetCurrentNode(creation)!;
        if (creation.Initializer is { } initializer)
        {
            // new HttpClient { BaseAddress = x } → var c = factory.CreateClient(); c.BaseAddress = x;
            if (creation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator } || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax statement || statement.Parent is not BlockSyntax)
            {
                return null;
            }

            var assignments = initializer.Expressions.OfType<AssignmentExpressionSyntax>()
                .Select(a => (StatementSyntax)ExpressionStatement(AssignmentExpression(SyntaxKind.SimpleAssignmentExpression,
                    MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, IdentifierName(declarator.Identifier.ValueText), (SimpleNameSyntax)a.Left.WithoutTrivia()),
                    a.Right.WithoutTrivia()).NormalizeWhitespace())
                    .WithLeadingTrivia(Members.Indentation(statement)).WithTrailingTrivia(Members.EndOfLine(statement)))
                .ToList();
            if (assignments.Count != initializer.Expressions.Count)
            {
                return null;
            }

            tracked = tracked.ReplaceNode(currentCreation, createClient.WithTriviaFrom(creation));
            tracked = tracked.InsertNodesAfter(tracked.GetCurrentNode(statement)!, assignments);
        }
        else
        {
            tracked = tracked.ReplaceNode(currentCreation, createClient.WithTriviaFrom(creation));
        }

        if (existing.Variable is null)
        {
            tracked = DependencyInjection.AddConstructorDependency(tracked, tracked.GetCurrentNode(type)!, "IHttpClientFactory", fieldName, PerElementLookup.UniqueName("httpClientFactory", taken));
        }

        var newSolution = solution.WithDocumentSyntaxRoot(document.Id, tracked);
        return await CompositionRoot.EnsureRegistrationAsync(newSolution, document.Project.Id, HttpClientRegistration, "AddHttpClient", cancellationToken).ConfigureAwait(false);
    }

    private static SyntaxNode ReplaceCreation(SyntaxNode root, BaseObjectCreationExpressionSyntax creation, ExpressionSyntax replacement, bool removeUsing)
    {
        var newRoot = root.ReplaceNode(creation, replacement.WithTriviaFrom(creation));
        if (!removeUsing)
        {
            return newRoot;
        }

        // A shared instance must not be disposed: `using var client = Shared;` → `var client = Shared;`.
        var statement = newRoot.DescendantNodes().OfType<LocalDeclarationStatementSyntax>()
            .FirstOrDefault(s => s.UsingKeyword.IsKind(SyntaxKind.UsingKeyword) && s.Declaration.Variables.Any(v => v.Initializer?.Value is IdentifierNameSyntax id && id.Identifier.ValueText == ((IdentifierNameSyntax)replacement).Identifier.ValueText));
        return statement is null ? newRoot : newRoot.ReplaceNode(statement, statement.WithUsingKeyword(default).WithLeadingTrivia(statement.GetLeadingTrivia()));
    }
}
