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

    public override FixAllProvider GetFixAllProvider() => FixAll;

    private static readonly SequentialFixAllProvider FixAll = new(ApplyAsync);

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

    /// <summary>
    /// Fix All: the chosen rewrite where it applies, else the other one. Hosts such as <c>dotnet format</c> pick the
    /// action of whichever site comes first for every site, so a site only the other fix covers would otherwise stay.
    /// </summary>
    internal static async Task<Document?> ApplyAsync(string? equivalenceKey, Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => equivalenceKey == BulkFetchKey
            ? await BulkFetchRewrite.TryApplyAsync(document, invocation, cancellationToken).ConfigureAwait(false)
              ?? await IncludeRewrite.TryApplyAsync(document, invocation, cancellationToken).ConfigureAwait(false)
            : await ApplyFirstAvailableAsync(document, invocation, cancellationToken).ConfigureAwait(false);

    private static async Task<Document?> ApplyFirstAvailableAsync(Document document, InvocationExpressionSyntax invocation, CancellationToken cancellationToken)
        => await IncludeRewrite.TryApplyAsync(document, invocation, cancellationToken).ConfigureAwait(false)
           ?? await BulkFetchRewrite.TryApplyAsync(document, invocation, cancellationToken).ConfigureAwait(false);
}
