using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using PerfAnalyzers.Core;

namespace PerfAnalyzers.CodeFixes.NPlusOne;

/// <summary>PERF001 fixes: "Load with Include" and "Fetch all in one query", each with Fix All.</summary>
[ExportCodeFixProvider(Microsoft.CodeAnalysis.LanguageNames.CSharp, Name = nameof(NPlusOneCodeFixProvider)), Shared]
public sealed class NPlusOneCodeFixProvider : CodeFixProvider
{
    public const string IncludeKey = "PERF001.Include";
    public const string BulkFetchKey = "PERF001.BulkFetch";

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.RoundTripPerIteration);

    public override FixAllProvider GetFixAllProvider() => SequentialFixAllProvider.Instance;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
        {
            return;
        }

        var diagnostic = context.Diagnostics[0];
        if (await IncludeRewrite.TryApplyAsync(context.Document, invocation, context.CancellationToken).ConfigureAwait(false) is { } withInclude)
        {
            context.RegisterCodeFix(CodeAction.Create("Load with Include", _ => Task.FromResult(withInclude), IncludeKey), diagnostic);
        }

        if (await BulkFetchRewrite.TryApplyAsync(context.Document, invocation, context.CancellationToken).ConfigureAwait(false) is { } withBulkFetch)
        {
            context.RegisterCodeFix(CodeAction.Create("Fetch all in one query", _ => Task.FromResult(withBulkFetch), BulkFetchKey), diagnostic);
        }
    }

    internal static Task<Document?> ApplyAsync(string? equivalenceKey, Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => equivalenceKey switch
        {
            IncludeKey => IncludeRewrite.TryApplyAsync(document, invocation, cancellationToken),
            BulkFetchKey => BulkFetchRewrite.TryApplyAsync(document, invocation, cancellationToken),
            _ => Task.FromResult<Document?>(null),
        };

    /// <summary>
    /// Applies the fixes of one document one after another on the evolving document (sites are tracked with
    /// annotations), so several sites over one query yield one coherent result: one Include per navigation,
    /// distinct local names.
    /// </summary>
    private sealed class SequentialFixAllProvider : DocumentBasedFixAllProvider
    {
        public static readonly SequentialFixAllProvider Instance = new();

        protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
        {
            var cancellationToken = fixAllContext.CancellationToken;
            var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root is null)
            {
                return document;
            }

            var annotations = ImmutableArray.CreateBuilder<SyntaxAnnotation>();
            var nodes = diagnostics
                .OrderBy(d => d.Location.SourceSpan.Start)
                .Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true))
                .OfType<InvocationExpressionSyntax>()
                .Distinct()
                .ToList();
            var map = nodes.ToDictionary(n => n, _ => new SyntaxAnnotation("PERF001.Site"));
            root = root.ReplaceNodes(nodes, (original, rewritten) => rewritten.WithAdditionalAnnotations(map[original]));
            document = document.WithSyntaxRoot(root);

            foreach (var annotation in map.Values)
            {
                root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
                if (root?.GetAnnotatedNodes(annotation).OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } site)
                {
                    continue;
                }

                if (await ApplyAsync(fixAllContext.CodeActionEquivalenceKey, document, site, cancellationToken).ConfigureAwait(false) is { } fixedDocument)
                {
                    document = fixedDocument;
                }
            }

            return document;
        }
    }
}
