using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfAnalyzers.Core;

/// <summary>
/// Generated code is neither analyzed nor reported in, as with <see cref="GeneratedCodeAnalysisFlags.None"/>, but
/// decided here. With <c>None</c>, the driver checks every reported diagnostic against the <c>[GeneratedCode]</c>
/// symbols of its tree, which it finds by binding every declaration of the tree: that cost 6% of PerfAnalyzers' time
/// in the benchmark. Generated files are still skipped by the driver (no <see cref="GeneratedCodeAnalysisFlags.Analyze"/>);
/// code blocks inside <c>[GeneratedCode]</c> members or types of hand-written files are skipped by <see cref="CodeBlocks"/>.
/// </summary>
internal static class GeneratedCode
{
    /// <summary>What the rules that analyze code blocks pass to <c>ConfigureGeneratedCodeAnalysis</c>.</summary>
    public const GeneratedCodeAnalysisFlags AnalysisFlags = GeneratedCodeAnalysisFlags.ReportDiagnostics;

    /// <summary>Is the symbol, or a symbol containing it, marked <c>[GeneratedCode]</c>?</summary>
    public static bool IsMarkedGenerated(ISymbol symbol, WellKnownTypes types)
    {
        if (types.GeneratedCodeAttribute is not { } attributeType)
        {
            return false;
        }

        // An accessor's containing symbol is the type: its property (or event) is checked too.
        if (symbol is IMethodSymbol { AssociatedSymbol: { } associated } && IsMarked(associated, attributeType))
        {
            return true;
        }

        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (IsMarked(current, attributeType))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsMarked(ISymbol symbol, INamedTypeSymbol attributeType)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, attributeType))
            {
                return true;
            }
        }

        return false;
    }
}
