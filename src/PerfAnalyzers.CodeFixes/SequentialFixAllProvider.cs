using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.CodeFixes;

/// <summary>
/// Fix All that applies a rule's rewrite to each site of a document one after another, on the evolving
/// document (sites tracked with annotations, semantic model refreshed each time). Rewrites that touch shared
/// code (one query getting several Includes, several locals inserted before one loop) stay coherent.
/// </summary>
internal sealed class SequentialFixAllProvider : DocumentBasedFixAllProvider
{
    private readonly Func<string?, Document, InvocationExpressionSyntax, CancellationToken, Task<Document?>> _apply;

    public SequentialFixAllProvider(Func<string?, Document, InvocationExpressionSyntax, CancellationToken, Task<Document?>> apply) => _apply = apply;

    protected override async Task<Document?> FixAllAsync(FixAllContext fixAllContext, Document document, ImmutableArray<Diagnostic> diagnostics)
    {
        var cancellationToken = fixAllContext.CancellationToken;
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var nodes = diagnostics
            .OrderBy(d => d.Location.SourceSpan.Start)
            .Select(d => root.FindNode(d.Location.SourceSpan, getInnermostNodeForTie: true))
            .OfType<InvocationExpressionSyntax>()
            .Distinct()
            .ToList();
        var annotations = nodes.ToDictionary(n => n, _ => new SyntaxAnnotation("PerfAnalyzers.FixAllSite"));
        root = root.ReplaceNodes(nodes, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original]));
        document = document.WithSyntaxRoot(root);

        foreach (var node in nodes)
        {
            root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
            if (root?.GetAnnotatedNodes(annotations[node]).OfType<InvocationExpressionSyntax>().FirstOrDefault() is not { } site)
            {
                continue;
            }

            if (await _apply(fixAllContext.CodeActionEquivalenceKey, document, site, cancellationToken).ConfigureAwait(false) is { } fixedDocument)
            {
                document = fixedDocument;
            }
        }

        return document;
    }
}
