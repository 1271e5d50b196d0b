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
using PerfAnalyzers.CodeFixes.NPlusOne;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.RepeatedLookup;

/// <summary>
/// PERF004 fixes: "Hoist out of the loop", "Reuse the earlier result" and, on request paths, "Cache with
/// IMemoryCache" (or HybridCache, see <see cref="CacheLookupRewrite"/>), each with Fix All.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RepeatedLookupCodeFixProvider)), Shared]
public sealed class RepeatedLookupCodeFixProvider : CodeFixProvider
{
    public const string HoistKey = "PERF004.Hoist";
    public const string ReuseKey = "PERF004.Reuse";
    public const string CacheKey = "PERF004.Cache";

    private static readonly SequentialFixAllProvider FixAll = new(ApplyAsync);
    private static readonly CacheFixAllProvider CacheFixAll = new();

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RepeatedLookup);

    public override FixAllProvider GetFixAllProvider() => new DispatchingFixAllProvider();

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        if (await HoistAsync(context.Document, invocation, context.CancellationToken).ConfigureAwait(false) is { } hoisted)
        {
            context.RegisterCodeFix(CodeAction.Create("Hoist out of the loop", _ => Task.FromResult(hoisted), HoistKey), diagnostic);
        }

        if (await ReuseAsync(context.Document, invocation, context.CancellationToken).ConfigureAwait(false) is { } reused)
        {
            context.RegisterCodeFix(CodeAction.Create("Reuse the earlier result", _ => Task.FromResult(reused), ReuseKey), diagnostic);
        }

        if (await CacheLookupRewrite.ApplyAsync(context.Document.Project.Solution, context.Document.Id, invocation, context.CancellationToken).ConfigureAwait(false) is { } cached)
        {
            var title = cached.Kind == CacheLookupRewrite.CacheKind.HybridCache ? "Cache with HybridCache" : "Cache with IMemoryCache";
            context.RegisterCodeFix(CodeAction.Create(title, _ => Task.FromResult(cached.Solution), CacheKey), diagnostic);
        }
    }

    /// <summary>The cache fix reaches beyond the document (Program.cs); the others stay document-local.</summary>
    private sealed class DispatchingFixAllProvider : FixAllProvider
    {
        public override Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
            => fixAllContext.CodeActionEquivalenceKey == CacheKey ? CacheFixAll.GetFixAsync(fixAllContext) : FixAll.GetFixAsync(fixAllContext);
    }

    /// <summary>
    /// Caches every site in scope in turn, on the evolving solution; sites are tracked with annotations because each
    /// rewrite may add a field and a constructor parameter above the later ones.
    /// </summary>
    private sealed class CacheFixAllProvider : FixAllProvider
    {
        public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
        {
            var documents = fixAllContext.Scope switch
            {
                FixAllScope.Document when fixAllContext.Document is not null => new[] { fixAllContext.Document },
                FixAllScope.Project => fixAllContext.Project.Documents.ToArray(),
                _ => fixAllContext.Solution.Projects.SelectMany(p => p.Documents).ToArray(),
            };

            var sites = new List<(DocumentId Document, ImmutableArray<Diagnostic> Diagnostics)>();
            foreach (var document in documents)
            {
                var diagnostics = await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                if (!diagnostics.IsEmpty)
                {
                    sites.Add((document.Id, diagnostics));
                }
            }

            return CodeAction.Create("Cache with IMemoryCache/HybridCache", async cancellationToken =>
            {
                var solution = fixAllContext.Solution;
                foreach (var (documentId, diagnostics) in sites)
                {
                    solution = await CacheAllInDocumentAsync(solution, documentId, diagnostics, cancellationToken).ConfigureAwait(false);
                }

                return solution;
            }, CacheKey);
        }

        private static async Task<Solution> CacheAllInDocumentAsync(Solution solution, DocumentId documentId, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        {
            if (solution.GetDocument(documentId) is not { } document || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
            {
                return solution;
            }

            var nodes = diagnostics
                .Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true))
                .OfType<InvocationExpressionSyntax>()
                .Distinct()
                .ToList();
            var annotations = nodes.ToDictionary(n => n, _ => new SyntaxAnnotation("PerfAnalyzers.CacheSite"));
            solution = solution.WithDocumentSyntaxRoot(documentId, root.ReplaceNodes(nodes, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original])));
            foreach (var node in nodes)
            {
                var current = solution.GetDocument(documentId);
                var currentRoot = current is null ? null : await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (currentRoot?.GetAnnotatedNodes(annotations[node]).OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } site)
                {
                    continue;
                }

                if (await CacheLookupRewrite.ApplyAsync(solution, documentId, site, cancellationToken).ConfigureAwait(false) is { } cached)
                {
                    solution = cached.Solution;
                }
            }

            return solution;
        }
    }

    private static Task<Document?> ApplyAsync(string? key, Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => key switch
        {
            HoistKey => HoistAsync(document, invocation, cancellationToken),
            ReuseKey => ReuseAsync(document, invocation, cancellationToken),
            _ => ApplyFirstAvailableAsync(document, invocation, cancellationToken),
        };

    /// <summary>No particular fix chosen (e.g. <c>dotnet format</c>): hoist where possible, else reuse.</summary>
    private static async Task<Document?> ApplyFirstAvailableAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => await HoistAsync(document, invocation, cancellationToken).ConfigureAwait(false)
           ?? await ReuseAsync(document, invocation, cancellationToken).ConfigureAwait(false);

    /// <summary>Runs the lookup once before the innermost loop, into a local the loop reads.</summary>
    private static async Task<Document?> HoistAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var outer = OuterOf(invocation);
        var loop = outer.Ancestors().TakeWhile(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax))
            .OfType<StatementSyntax>()
            .FirstOrDefault(s => s is ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax);
        if (loop is null || loop.Parent is not BlockSyntax || !IsLoopBody(loop, outer))
        {
            return null;
        }

        var type = model.GetTypeInfo(outer, cancellationToken).Type;
        if (type is null || type.SpecialType == SpecialType.System_Void || type is IErrorTypeSymbol)
        {
            return null;
        }

        // Everything the lookup reads must already exist before the loop.
        foreach (var identifier in outer.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (model.GetSymbolInfo(identifier, cancellationToken).Symbol is ILocalSymbol local
                && local.DeclaringSyntaxReferences.Any(r => r.Span.Start >= loop.SpanStart))
            {
                return null;
            }
        }

        var name = PerElementLookup.UniqueName(SuggestName(type, invocation), PerElementLookup.NamesInScope(model, loop));
        var indentation = Members.Indentation(loop);
        var newLine = Members.EndOfLine(loop);
        var declaration = ParseStatement($"var {name} = {outer.WithoutTrivia()};")
            .WithLeadingTrivia(indentation)
            .WithTrailingTrivia(newLine);

        var tracked = root.TrackNodes(loop, outer);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(outer)!, IdentifierName(name).WithTriviaFrom(outer));
        tracked = tracked.InsertNodesBefore(tracked.GetCurrentNode(loop)!, new[] { declaration });
        return document.WithSyntaxRoot(tracked);
    }

    /// <summary>Replaces the repeat with the local that already holds the first result.</summary>
    private static async Task<Document?> ReuseAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var body = invocation.FirstAncestorOrSelf<MemberDeclarationSyntax>();
        if (root is null || model is null || body is null)
        {
            return null;
        }

        var outer = OuterOf(invocation);
        var text = Normalize(invocation);
        var earlier = body.DescendantNodes().OfType<InvocationExpressionSyntax>()
            .Where(i => i.Span.End <= invocation.SpanStart && Normalize(i) == text)
            .LastOrDefault();
        if (earlier is null || OuterOf(earlier).Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            || declarator.Parent?.Parent is not LocalDeclarationStatementSyntax { Parent: BlockSyntax scope }
            || !scope.Span.Contains(invocation.Span)
            || model.GetDeclaredSymbol(declarator, cancellationToken) is not ILocalSymbol local)
        {
            return null;
        }

        // The local must still hold the first result where the repeat runs.
        var reassigned = body.DescendantNodes().OfType<AssignmentExpressionSyntax>()
            .Any(a => a.SpanStart > declarator.Span.End && a.SpanStart < invocation.SpanStart && a.Left is IdentifierNameSyntax n && n.Identifier.ValueText == local.Name);
        if (reassigned || invocation.Ancestors().Any(a => a is AnonymousFunctionExpressionSyntax && !a.Span.Contains(declarator.Span)))
        {
            return null;
        }

        var replaced = root.ReplaceNode(outer, IdentifierName(local.Name).WithTriviaFrom(outer));
        return document.WithSyntaxRoot(replaced);
    }

    private static string Normalize(SyntaxNode node) => new string(node.ToString().Where(c => !char.IsWhiteSpace(c)).ToArray());

    private static bool IsLoopBody(StatementSyntax loop, SyntaxNode node)
        => loop switch
        {
            ForStatementSyntax f => f.Statement.Span.Contains(node.Span) || f.Condition?.Span.Contains(node.Span) == true,
            CommonForEachStatementSyntax f => f.Statement.Span.Contains(node.Span),
            WhileStatementSyntax w => w.Statement.Span.Contains(node.Span) || w.Condition.Span.Contains(node.Span),
            DoStatementSyntax d => d.Statement.Span.Contains(node.Span) || d.Condition.Span.Contains(node.Span),
            _ => false,
        };

    private static ExpressionSyntax OuterOf(InvocationExpressionSyntax invocation) => PerElementLookup.FindOuter(invocation, out _);

    /// <summary>A local name from the result type (<c>setting</c>, <c>users</c>) or the method (<c>count</c>).</summary>
    private static string SuggestName(ITypeSymbol type, InvocationExpressionSyntax invocation)
    {
        if (type is INamedTypeSymbol { IsGenericType: true, TypeArguments.Length: 1 } generic && generic.TypeArguments[0] is INamedTypeSymbol element && element.SpecialType == SpecialType.None)
        {
            return PerElementLookup.Camel(element.Name) + "s";
        }

        if (type is INamedTypeSymbol { SpecialType: SpecialType.None, IsGenericType: false } named && named.TypeKind == TypeKind.Class)
        {
            return PerElementLookup.Camel(named.Name);
        }

        var method = (invocation.Expression as MemberAccessExpressionSyntax)?.Name.Identifier.ValueText ?? "result";
        foreach (var affix in new[] { "Async", "OrDefault", "Get", "Find", "Load", "First", "Single" })
        {
            method = method.Replace(affix, "");
        }

        return method.Length == 0 ? "result" : PerElementLookup.Camel(method);
    }
}
