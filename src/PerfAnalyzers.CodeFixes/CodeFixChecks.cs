using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.CodeFixes;

internal static class CodeFixChecks
{
    /// <summary>
    /// Does the rewritten document have more compile errors than before? A last guard for rewrites whose every consequence
    /// cannot be checked up front (a local's new static type meeting a use that needs the concrete one).
    /// </summary>
    public static async Task<bool> IntroducesErrorsAsync(Document before, Document after, CancellationToken cancellationToken)
    {
        var oldModel = await before.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var newModel = await after.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return oldModel is null || newModel is null || Errors(newModel, cancellationToken) > Errors(oldModel, cancellationToken);
    }

    private static int Errors(SemanticModel model, CancellationToken cancellationToken)
        => model.GetDiagnostics(cancellationToken: cancellationToken).Count(d => d.Severity == DiagnosticSeverity.Error);
}
