using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;

namespace PerfAnalyzers.CodeFixes;

/// <summary>
/// Fix All for rewrites that reach beyond one document (constructor injection plus a registration in Program.cs,
/// a shared queue type added once): every site in scope is fixed in turn on the evolving solution, last site of each
/// document first so earlier spans stay valid.
/// </summary>
internal sealed class SolutionSequentialFixAllProvider : FixAllProvider
{
    private readonly string _title;
    private readonly Func<Diagnostic, string?> _keyOf;
    private readonly Func<string, Solution, DocumentId, TextSpan, CancellationToken, Task<Solution?>> _apply;

    public SolutionSequentialFixAllProvider(string title, Func<Diagnostic, string?> keyOf, Func<string, Solution, DocumentId, TextSpan, CancellationToken, Task<Solution?>> apply)
    {
        _title = title;
        _keyOf = keyOf;
        _apply = apply;
    }

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var sites = await CollectAsync(fixAllContext).ConfigureAwait(false);
        return CodeAction.Create(_title, async cancellationToken =>
        {
            var solution = fixAllContext.Solution;
            foreach (var (documentId, spans) in sites)
            {
                // Sites are found again through annotations: a rewrite may insert members above the next site (a field,
                // a constructor), so the original spans do not survive it.
                var ordered = spans.OrderByDescending(s => s.Span.Start).Select(s => (s.Span, s.Key, Annotation: new SyntaxAnnotation("PerfAnalyzers.FixAllSite"))).ToList();
                if (solution.GetDocument(documentId) is not { } document || await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root)
                {
                    continue;
                }

                var nodes = ordered.Select(s => (Site: s, Node: root.FindNode(s.Span, getInnermostNodeForTie: true))).Where(s => s.Node.Span == s.Site.Span).ToList();
                var annotations = nodes.GroupBy(n => n.Node).ToDictionary(g => g.Key, g => g.Select(n => n.Site.Annotation).ToArray());
                solution = solution.WithDocumentSyntaxRoot(documentId, root.ReplaceNodes(annotations.Keys, (original, rewritten) => rewritten.WithAdditionalAnnotations(annotations[original])));
                foreach (var (site, _) in nodes)
                {
                    var currentRoot = solution.GetDocument(documentId) is { } current ? await current.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) : null;
                    if (currentRoot?.GetAnnotatedNodes(site.Annotation).FirstOrDefault() is not { } node)
                    {
                        continue;
                    }

                    if (await _apply(site.Key, solution, documentId, node.Span, cancellationToken).ConfigureAwait(false) is { } fixedSolution)
                    {
                        solution = fixedSolution;
                    }
                }
            }

            return solution;
        }, fixAllContext.CodeActionEquivalenceKey);
    }

    private async Task<List<(DocumentId, List<(TextSpan Span, string Key)>)>> CollectAsync(FixAllContext context)
    {
        var documents = context.Scope switch
        {
            FixAllScope.Document when context.Document is not null => new[] { context.Document },
            FixAllScope.Project => context.Project.Documents.ToArray(),
            _ => context.Solution.Projects.SelectMany(p => p.Documents).ToArray(),
        };

        var result = new List<(DocumentId, List<(TextSpan, string)>)>();
        foreach (var document in documents)
        {
            var spans = new List<(TextSpan, string)>();
            foreach (var diagnostic in await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false))
            {
                if (_keyOf(diagnostic) is { } key && (context.CodeActionEquivalenceKey is null || context.CodeActionEquivalenceKey == key))
                {
                    spans.Add((diagnostic.Location.SourceSpan, key));
                }
            }

            if (spans.Count > 0)
            {
                result.Add((document.Id, spans));
            }
        }

        return result;
    }
}
