using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.CodeFixes;

/// <summary>
/// A fix with one rewrite of the invocation its diagnostic is reported on. The rewrite is computed before the light
/// bulb is offered, so the fix only appears where it applies; Fix All applies it site by site on the evolving document.
/// </summary>
public abstract class InvocationRewriteCodeFixProvider : CodeFixProvider
{
    private readonly SequentialFixAllProvider _fixAll;

    protected InvocationRewriteCodeFixProvider() => _fixAll = new((_, document, invocation, cancellationToken) => RewriteAsync(document, invocation, cancellationToken));

    /// <summary>The light bulb's title.</summary>
    protected abstract string Title { get; }

    /// <summary>The code action's equivalence key (what Fix All and <c>dotnet format</c> group by).</summary>
    protected abstract string EquivalenceKey { get; }

    /// <summary>The rewritten document, or null when the rewrite does not apply at this site.</summary>
    protected abstract Task<Document?> RewriteAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken);

    public sealed override FixAllProvider GetFixAllProvider() => _fixAll;

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation)
        {
            return;
        }

        if (await RewriteAsync(context.Document, invocation, context.CancellationToken).ConfigureAwait(false) is { } fixedDocument)
        {
            context.RegisterCodeFix(CodeAction.Create(Title, _ => Task.FromResult(fixedDocument), EquivalenceKey), context.Diagnostics[0]);
        }
    }
}
