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
    /// <summary>In a registration text, stands for the host builder (<c>builder</c> in <c>builder.Services</c>), e.g. <c>{host}.Configuration["Redis"]</c>.</summary>
    public const string HostPlaceholder = "{host}";

    /// <summary>
    /// Adds <c>builder.Services.{registration};</c> lines after the last <c>builder.Services...</c> statement, unless
    /// the composition root already mentions <paramref name="alreadyRegisteredMarker"/>. Leaves the solution unchanged
    /// when no composition root is found (the caller documents where to register).
    /// </summary>
    public static async Task<Solution> EnsureRegistrationAsync(Solution solution, ProjectId projectId, string[] registrations, string alreadyRegisteredMarker, CancellationToken cancellationToken)
        => (await TryEnsureRegistrationAsync(solution, projectId, registrations, alreadyRegisteredMarker, System.Array.Empty<string>(), cancellationToken).ConfigureAwait(false)).Solution;

    /// <summary>
    /// Like <see cref="EnsureRegistrationAsync"/>; also imports <paramref name="requiredNamespaces"/> in Program.cs when a line
    /// is added, and says whether a composition root was found (registered now or already).
    /// </summary>
    public static async Task<(Solution Solution, bool Found)> TryEnsureRegistrationAsync(Solution solution, ProjectId projectId, string[] registrations, string alreadyRegisteredMarker, string[] requiredNamespaces, CancellationToken cancellationToken)
    {
        var project = solution.GetProject(projectId);
        if (project is null)
        {
            return (solution, false);
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
                return (solution, true);
            }

            var last = existing[existing.Count - 1];
            var receiver = (MemberAccessExpressionSyntax)((MemberAccessExpressionSyntax)((InvocationExpressionSyntax)((ExpressionStatementSyntax)last.Statement).Expression).Expression).Expression;
            var statements = registrations.Select(registration => SyntaxFactory.GlobalStatement(SyntaxFactory.ParseStatement($"{receiver}.{registration.Replace(HostPlaceholder, receiver.Expression.ToString())};"))
                .WithLeadingTrivia(last.GetLeadingTrivia())
                .WithTrailingTrivia(last.GetTrailingTrivia()));
            var updated = document.WithSyntaxRoot(root.InsertNodesAfter(last, statements));
            foreach (var requiredNamespace in requiredNamespaces)
            {
                updated = await Usings.EnsureAsync(updated, requiredNamespace, cancellationToken).ConfigureAwait(false);
            }

            return (updated.Project.Solution, true);
        }

        return (solution, false);
    }
}
