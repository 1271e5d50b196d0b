using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace PerfAnalyzers.CodeFixes;

/// <summary>The application's composition root: the top-level <c>builder.Services.Add...</c> statements in Program.cs.</summary>
internal static class CompositionRoot
{
    /// <summary>
    /// Adds <c>builder.Services.{registration};</c> lines after the last <c>builder.Services...</c> statement, unless
    /// the composition root already mentions <paramref name="alreadyRegisteredMarker"/>. Leaves the solution unchanged
    /// when no composition root is found (the caller documents where to register).
    /// </summary>
    public static async Task<Solution> EnsureRegistrationAsync(Solution solution, ProjectId projectId, string[] registrations, string alreadyRegisteredMarker, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(projectId);
        if (project is null)
        {
            return solution;
        }

        foreach (var document in project.Documents)
        {
            if (await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not CompilationUnitSyntax root)
            {
                continue;
            }

            var existing = root.Members.OfType<GlobalStatementSyntax>()
                .Where(g => g.Statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Services" } } } })
                .ToList();
            if (existing.Count == 0)
            {
                continue;
            }

            if (root.ToFullString().Contains(alreadyRegisteredMarker))
            {
                return solution;
            }

            var last = existing[existing.Count - 1];
            var receiver = ((MemberAccessExpressionSyntax)((InvocationExpressionSyntax)((ExpressionStatementSyntax)last.Statement).Expression).Expression).Expression;
            var statements = registrations.Select(registration => SyntaxFactory.GlobalStatement(SyntaxFactory.ParseStatement($"{receiver}.{registration};"))
                .WithLeadingTrivia(last.GetLeadingTrivia())
                .WithTrailingTrivia(last.GetTrailingTrivia()));
            return solution.WithDocumentSyntaxRoot(document.Id, root.InsertNodesAfter(last, statements));
        }

        return solution;
    }
}
