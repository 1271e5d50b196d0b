using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Text;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>Test projects (the sample app by default) as workspace projects for code fixes, and the checks a fixed solution must pass.</summary>
internal static class CodeFixHarness
{
    public static Task<Project> CreateAsync() => CreateAsync(RobustnessEnvironment.SampleApp);

    /// <summary>Any test project as a workspace project with the shared references.</summary>
    public static async Task<Project> CreateAsync(TestProject sample)
    {
        var references = await RobustnessEnvironment.GetReferencesAsync();
        var workspace = new AdhocWorkspace();
        var projectId = ProjectId.CreateNewId(sample.Name);
        var solution = workspace.CurrentSolution.AddProject(ProjectInfo.Create(
            projectId,
            VersionStamp.Default,
            sample.Name,
            sample.AssemblyName,
            LanguageNames.CSharp,
            compilationOptions: sample.CompilationOptions,
            parseOptions: RobustnessEnvironment.ParseOptions,
            metadataReferences: references));
        foreach (var file in sample.Files)
        {
            solution = solution.AddDocument(DocumentId.CreateNewId(projectId, file.Path), Path.GetFileName(file.Path), SourceText.From(file.Text), filePath: file.Path);
        }

        return solution.GetProject(projectId)!;
    }

    public static async Task<AnalysisResult> AnalyzeAsync(Project project, SyntaxTree? tree = null)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        return await AnalyzerRunner.RunAsync(compilation, ShippedRules.CreateAnalyzers(), concurrent: true, tree).ConfigureAwait(false);
    }

    public static async Task<ImmutableArray<Diagnostic>> CompilerErrorsAsync(Project project)
    {
        var compilation = (await project.GetCompilationAsync().ConfigureAwait(false))!;
        return compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
    }

    /// <summary>Every code action a provider offers for one diagnostic (nested actions flattened). Exceptions propagate.</summary>
    public static async Task<ImmutableArray<CodeAction>> GetFixesAsync(CodeFixProvider provider, Document document, Diagnostic diagnostic)
    {
        var actions = new List<CodeAction>();
        var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), CancellationToken.None);
        await provider.RegisterCodeFixesAsync(context).ConfigureAwait(false);
        return actions.SelectMany(Flatten).ToImmutableArray();
    }

    /// <summary>Applies a code action: the solution it produces.</summary>
    public static async Task<Solution> ApplyAsync(CodeAction action, Solution solution)
    {
        var operations = await action.GetOperationsAsync(CancellationToken.None).ConfigureAwait(false);
        var changed = operations.OfType<ApplyChangesOperation>().ToList();
        return changed.Count switch
        {
            0 => solution,
            1 => changed[0].ChangedSolution,
            _ => throw new InvalidOperationException($"'{action.Title}' returned {changed.Count} ApplyChangesOperations"),
        };
    }

    /// <summary>Fix All in Document scope, document by document (each on the solution the previous one produced), for one equivalence key.</summary>
    public static async Task<Solution> FixAllAsync(CodeFixProvider provider, string equivalenceKey, Solution solution, ProjectId projectId, List<string> log)
    {
        var fixAll = provider.GetFixAllProvider() ?? throw new InvalidOperationException(provider.GetType().Name + " has no Fix All provider");
        var diagnosticProvider = new AnalyzerDiagnosticProvider(provider.FixableDiagnosticIds);
        var withDiagnostics = (await diagnosticProvider.GetAllDiagnosticsAsync(solution.GetProject(projectId)!, CancellationToken.None).ConfigureAwait(false))
            .Select(d => solution.GetDocumentId(d.Location.SourceTree))
            .OfType<DocumentId>()
            .Distinct()
            .ToList();
        foreach (var documentId in solution.GetProject(projectId)!.DocumentIds.Where(withDiagnostics.Contains))
        {
            var document = solution.GetDocument(documentId)!;
            var context = new FixAllContext(document, provider, FixAllScope.Document, equivalenceKey, provider.FixableDiagnosticIds, diagnosticProvider, CancellationToken.None);
            var action = await fixAll.GetFixAsync(context).ConfigureAwait(false);
            if (action is null)
            {
                log.Add($"  Fix All '{equivalenceKey}' in {document.FilePath}: no action");
                continue;
            }

            solution = await ApplyAsync(action, solution).ConfigureAwait(false);
            var changed = !(await solution.GetDocument(documentId)!.GetTextAsync().ConfigureAwait(false)).ContentEquals(await document.GetTextAsync().ConfigureAwait(false));
            log.Add($"  Fix All '{equivalenceKey}' in {document.FilePath}: {(changed ? "changed" : "no change")}");
        }

        return solution;
    }

    /// <summary>Whether any document's text differs between the two solutions.</summary>
    public static async Task<bool> TextDiffersAsync(Solution before, Solution after, ProjectId projectId)
    {
        foreach (var document in before.GetProject(projectId)!.Documents)
        {
            var other = after.GetDocument(document.Id);
            if (other is null || !(await other.GetTextAsync().ConfigureAwait(false)).ContentEquals(await document.GetTextAsync().ConfigureAwait(false)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// EF Core <c>Include</c>/<c>ThenInclude</c> calls whose query is not of an entity type (for instance after a
    /// <c>Select</c> into a record or anonymous type): they compile, and throw InvalidOperationException when run.
    /// Entity types: the type arguments of the DbSet properties and <c>Set&lt;T&gt;()</c>/<c>Entity&lt;T&gt;()</c> calls of the compilation.
    /// </summary>
    public static List<(string Path, string Include)> IncludesOnNonEntities(Compilation compilation)
    {
        var entities = new HashSet<ITypeSymbol>(SymbolEqualityComparer.Default);
        var includes = new List<(IMethodSymbol Method, SyntaxNode Syntax)>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var node in tree.GetRoot().DescendantNodes())
            {
                if (node is PropertyDeclarationSyntax property && model.GetDeclaredSymbol(property)?.Type is INamedTypeSymbol { Name: "DbSet", TypeArguments.Length: 1 } set)
                {
                    entities.Add(set.TypeArguments[0]);
                }
                else if (node is InvocationExpressionSyntax invocation && model.GetSymbolInfo(invocation).Symbol is IMethodSymbol method)
                {
                    if (method.Name is "Set" or "Entity" && method.TypeArguments.Length == 1)
                    {
                        entities.Add(method.TypeArguments[0]);
                    }
                    else if (method.Name is "Include" or "ThenInclude" && method.ContainingType?.Name == "EntityFrameworkQueryableExtensions" && method.TypeArguments.Length > 0)
                    {
                        includes.Add((method, invocation));
                    }
                }
            }
        }

        return includes
            .Where(i => i.Method.TypeArguments[0] is not ITypeParameterSymbol && !entities.Contains(i.Method.TypeArguments[0]))
            .Select(i => (i.Syntax.SyntaxTree.FilePath, $"{i.Syntax} (on {i.Method.TypeArguments[0].ToDisplayString()}, not an entity type)"))
            .ToList();
    }

    /// <summary>The comments of a document, by text (documentation comments included).</summary>
    public static IEnumerable<(TextSpan Span, string Text)> Comments(SyntaxNode root)
        => root.DescendantTrivia(descendIntoTrivia: false)
            .Where(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia)
                || t.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia) || t.IsKind(SyntaxKind.MultiLineDocumentationCommentTrivia))
            .Select(t => (t.FullSpan, t.ToFullString().Trim()));

    /// <summary>
    /// What a fix of the diagnostic may rewrite, comments included: the statement holding the loop (or per-element
    /// lambda) that encloses the site, or the site's statement.
    /// </summary>
    public static TextSpan SiteRegion(SyntaxNode root, Diagnostic diagnostic)
    {
        var node = root.FindNode(diagnostic.Location.SourceSpan, getInnermostNodeForTie: true);
        var loop = node.AncestorsAndSelf().FirstOrDefault(n => n is CommonForEachStatementSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax or AnonymousFunctionExpressionSyntax);
        var region = (loop ?? node).FirstAncestorOrSelf<StatementSyntax>() ?? (SyntaxNode?)(loop ?? node).FirstAncestorOrSelf<MemberDeclarationSyntax>() ?? node;
        return region.FullSpan;
    }

    /// <summary>Comments of <paramref name="before"/> outside <paramref name="exempt"/> that <paramref name="after"/> no longer has.</summary>
    public static List<string> LostComments(SyntaxNode before, SyntaxNode after, IReadOnlyCollection<TextSpan> exempt)
    {
        var remaining = Comments(after).Select(c => c.Text).ToList();
        var lost = new List<string>();
        foreach (var (span, text) in Comments(before))
        {
            if (exempt.Any(e => e.Contains(span)))
            {
                continue;
            }

            var index = remaining.IndexOf(text);
            if (index < 0)
            {
                lost.Add(text);
            }
            else
            {
                remaining.RemoveAt(index);
            }
        }

        return lost;
    }

    /// <summary>Maps a position in the new text back to the old one; null when it falls in inserted or replaced text.</summary>
    public static int? MapToOld(IEnumerable<TextChange> changes, int newPosition)
    {
        var delta = 0;
        foreach (var change in changes.OrderBy(c => c.Span.Start))
        {
            var newStart = change.Span.Start + delta;
            var newEnd = newStart + (change.NewText?.Length ?? 0);
            if (newPosition < newStart)
            {
                break;
            }

            if (newPosition < newEnd || (change.Span.Length > 0 && newPosition == newStart))
            {
                return null;
            }

            delta += (change.NewText?.Length ?? 0) - change.Span.Length;
        }

        return newPosition - delta;
    }

    /// <summary>A compact listing of what changed in a document, for failure messages.</summary>
    public static async Task<string> DescribeChangesAsync(Document before, Document after)
    {
        var changes = await after.GetTextChangesAsync(before).ConfigureAwait(false);
        var old = await before.GetTextAsync().ConfigureAwait(false);
        return string.Join("\n", changes.Select(c => $"  @{old.Lines.GetLinePosition(c.Span.Start).Line + 1}: -[{old.ToString(c.Span)}] +[{c.NewText}]"));
    }

    private static IEnumerable<CodeAction> Flatten(CodeAction action)
    {
        // Nested actions are not public API in Roslyn 4.8.
        var nested = typeof(CodeAction).GetProperty("NestedActions", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)
            ?? typeof(CodeAction).GetProperty("NestedCodeActions", BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance);
        if (nested?.GetValue(action) is ImmutableArray<CodeAction> { IsDefaultOrEmpty: false } children)
        {
            return children.SelectMany(Flatten);
        }

        return new[] { action };
    }

    /// <summary>Fix All's view of the diagnostics: the shipped analyzers run over the document's current compilation.</summary>
    private sealed class AnalyzerDiagnosticProvider : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<string> _ids;

        // One analysis per compilation (Fix All asks for the same snapshot's diagnostics several times).
        private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Compilation, Task<AnalysisResult>> _cache = new();

        public AnalyzerDiagnosticProvider(ImmutableArray<string> ids) => _ids = ids;

        public override async Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
        {
            // Whole-compilation analysis, filtered: compilation-end diagnostics belong to documents too.
            var tree = await document.GetSyntaxTreeAsync(cancellationToken).ConfigureAwait(false);
            var all = await GetAllDiagnosticsAsync(document.Project, cancellationToken).ConfigureAwait(false);
            return all.Where(d => d.Location.SourceTree == tree).ToList();
        }

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult(Enumerable.Empty<Diagnostic>());

        public override async Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
        {
            var compilation = (await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false))!;
            var analysis = await _cache.GetValue(compilation, c => AnalyzerRunner.RunAsync(c, ShippedRules.CreateAnalyzers(), concurrent: true)).ConfigureAwait(false);
            return Check(analysis);
        }

        private IEnumerable<Diagnostic> Check(AnalysisResult result)
        {
            if (!result.Failures.IsEmpty)
            {
                throw new InvalidOperationException("analyzer exception during Fix All:\n" + string.Join("\n", result.Failures));
            }

            return result.Diagnostics.Where(d => _ids.Contains(d.Id) && d.Location.IsInSource).ToList();
        }
    }
}
