using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Build.Locator;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.MSBuild;

namespace PerfAnalyzers.WorkspaceDriver;

/// <summary>
/// What an IDE does with the PerfAnalyzers package, through the Roslyn Workspaces API: open the project with
/// <see cref="MSBuildWorkspace"/>, run the analyzers of its PerfAnalyzers analyzer references (the restored package's
/// analyzers/dotnet/cs assemblies) with <see cref="CompilationWithAnalyzers"/>, ask the code fix providers exported
/// from the same assemblies for light bulbs at chosen diagnostics, check every offered fix compiles, and apply one
/// through the workspace (as accepting a light bulb does). Writes a JSON report; the test asserts on it.
/// </summary>
/// <remarks>
/// Usage: <c>PerfAnalyzers.WorkspaceDriver &lt;project.csproj&gt; &lt;report.json&gt; [--fix ID@file:line]... [--apply ID@file:line=title]</c>.
/// Exit code 0 once the report is written (the test judges it), 2 on bad arguments, 1 on a crash (message on stderr).
/// </remarks>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: PerfAnalyzers.WorkspaceDriver <project.csproj> <report.json> [--fix ID@file:line]... [--apply ID@file:line=title]");
            return 2;
        }

        // Before any MSBuild type is touched: use the MSBuild of the SDK this process runs under.
        var instance = MSBuildLocator.QueryVisualStudioInstances().OrderByDescending(i => i.Version).First();
        MSBuildLocator.RegisterInstance(instance);

        var fixTargets = new List<string>();
        string? apply = null;
        for (var i = 2; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--fix" when i + 1 < args.Length:
                    fixTargets.Add(args[++i]);
                    break;
                case "--apply" when i + 1 < args.Length:
                    apply = args[++i];
                    break;
                default:
                    Console.Error.WriteLine("unknown argument " + args[i]);
                    return 2;
            }
        }

        var report = await RunAsync(Path.GetFullPath(args[0]), fixTargets, apply, instance.MSBuildPath);
        File.WriteAllText(args[1], JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
        return 0;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static async Task<DriverReport> RunAsync(string projectPath, List<string> fixTargets, string? apply, string msbuildPath)
    {
        var clock = Stopwatch.StartNew();
        var report = new DriverReport { MSBuildPath = msbuildPath, RoslynVersion = typeof(Compilation).Assembly.GetName().Version!.ToString() };
        var projectDirectory = Path.GetDirectoryName(projectPath)!;
        string Relative(string path) => Path.GetRelativePath(projectDirectory, path).Replace('\\', '/');

        using var workspace = MSBuildWorkspace.Create();
        workspace.WorkspaceFailed += (_, e) => report.WorkspaceFailures.Add(e.Diagnostic.Kind + ": " + e.Diagnostic.Message);
        var project = await workspace.OpenProjectAsync(projectPath);
        report.Timings["open project"] = clock.Elapsed.TotalSeconds;

        // The package's assemblies as the workspace loaded them from the project's analyzer references.
        var perfReferences = project.AnalyzerReferences.Where(r => Path.GetFileName(r.FullPath ?? "").StartsWith("PerfAnalyzers", StringComparison.OrdinalIgnoreCase)).ToList();
        report.AnalyzerReferences.AddRange(perfReferences.Select(r => r.FullPath ?? r.Display ?? "?"));
        var analyzers = perfReferences.SelectMany(r => r.GetAnalyzers(LanguageNames.CSharp)).ToImmutableArray();
        report.Analyzers.AddRange(analyzers.Select(a => a.GetType().FullName!));
        var fixers = perfReferences.OfType<AnalyzerFileReference>().SelectMany(r => CodeFixProviders(r.GetAssembly())).ToList();
        report.CodeFixProviders.AddRange(fixers.Select(f => f.GetType().FullName!));

        var compilation = (await project.GetCompilationAsync())!;
        report.CompilerErrors.AddRange(Errors(compilation));
        report.Timings["compile"] = clock.Elapsed.TotalSeconds;

        var diagnostics = await compilation
            .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(project.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        report.Diagnostics.AddRange(diagnostics.Select(d => Describe(d, Relative)).OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line));
        report.Timings["analyze"] = clock.Elapsed.TotalSeconds;

        foreach (var target in fixTargets.Concat(apply is null ? Array.Empty<string>() : new[] { apply.Split('=')[0] }).Distinct())
        {
            var found = diagnostics.FirstOrDefault(d => Key(Describe(d, Relative)) == target);
            var offered = new LightBulb { Target = target, Found = found is not null };
            report.LightBulbs.Add(offered);
            if (found is null)
            {
                continue;
            }

            var document = project.GetDocument(found.Location.SourceTree!)!;
            foreach (var (title, action) in await ActionsAsync(document, found, fixers))
            {
                var changed = await ChangedSolutionAsync(action);
                var errors = changed is null ? new List<string> { "no ApplyChangesOperation" } : Errors((await changed.GetProject(project.Id)!.GetCompilationAsync())!);
                offered.Fixes.Add(new OfferedFix { Title = title, ErrorsAfter = errors, ChangedFiles = changed is null ? new() : ChangedFiles(project.Solution, changed, Relative) });
            }
        }

        report.Timings["light bulbs"] = clock.Elapsed.TotalSeconds;

        if (apply is not null)
        {
            var (target, title) = (apply.Split('=')[0], apply.Substring(apply.IndexOf('=') + 1));
            var found = diagnostics.First(d => Key(Describe(d, Relative)) == target);
            var document = project.GetDocument(found.Location.SourceTree!)!;
            var action = (await ActionsAsync(document, found, fixers)).First(a => a.Title == title).Action;
            var path = document.FilePath!;
            var before = File.ReadAllText(path);
            var applied = new AppliedFix { Target = target, Title = title };

            // What accepting the light bulb does: the host applies the action's operations to its workspace
            // (MSBuildWorkspace.TryApplyChanges writes the changed documents to disk).
            foreach (var operation in await action.GetOperationsAsync(CancellationToken.None))
            {
                operation.Apply(workspace, CancellationToken.None);
            }

            var after = workspace.CurrentSolution.GetProject(project.Id)!;
            var afterCompilation = (await after.GetCompilationAsync())!;
            applied.FileChangedOnDisk = File.ReadAllText(path) != before;
            applied.ChangedFiles = ChangedFiles(project.Solution, workspace.CurrentSolution, Relative);
            applied.ErrorsAfter = Errors(afterCompilation);
            var diagnosticsAfter = await afterCompilation
                .WithAnalyzers(analyzers, new CompilationWithAnalyzersOptions(after.AnalyzerOptions, onAnalyzerException: null, concurrentAnalysis: true, logAnalyzerExecutionTime: false))
                .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
            applied.DiagnosticsAfter = diagnosticsAfter.Select(d => Describe(d, Relative)).OrderBy(d => d.File, StringComparer.Ordinal).ThenBy(d => d.Line).ToList();
            report.Applied = applied;
            report.Timings["apply"] = clock.Elapsed.TotalSeconds;
        }

        return report;
    }

    /// <summary>The providers an IDE would export from the assembly: MEF-exported for C#.</summary>
    private static IEnumerable<CodeFixProvider> CodeFixProviders(Assembly assembly)
        => assembly.GetTypes()
            .Where(t => !t.IsAbstract && typeof(CodeFixProvider).IsAssignableFrom(t)
                        && t.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any(a => a.Languages.Contains(LanguageNames.CSharp)))
            .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!);

    private static async Task<List<(string Title, CodeAction Action)>> ActionsAsync(Document document, Diagnostic diagnostic, List<CodeFixProvider> fixers)
    {
        var actions = new List<(string, CodeAction)>();
        foreach (var fixer in fixers.Where(f => f.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add((action.Title, action)), CancellationToken.None);
            await fixer.RegisterCodeFixesAsync(context);
        }

        return actions;
    }

    private static async Task<Solution?> ChangedSolutionAsync(CodeAction action)
        => (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().FirstOrDefault()?.ChangedSolution;

    private static List<string> ChangedFiles(Solution before, Solution after, Func<string, string> relative)
        => after.GetChanges(before).GetProjectChanges()
            .SelectMany(p => p.GetChangedDocuments().Concat(p.GetAddedDocuments()).Select(id => after.GetDocument(id)?.FilePath ?? after.GetDocument(id)?.Name ?? "?"))
            .Select(p => Path.IsPathRooted(p) ? relative(p) : p)
            .OrderBy(p => p, StringComparer.Ordinal)
            .ToList();

    private static List<string> Errors(Compilation compilation)
        => compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();

    private static string Key(ReportedDiagnostic d) => $"{d.Id}@{d.File}:{d.Line}";

    private static ReportedDiagnostic Describe(Diagnostic diagnostic, Func<string, string> relative)
    {
        var span = diagnostic.Location.GetLineSpan();
        return new ReportedDiagnostic
        {
            Id = diagnostic.Id,
            Severity = diagnostic.Severity.ToString(),
            File = diagnostic.Location.IsInSource ? relative(span.Path) : "",
            Line = diagnostic.Location.IsInSource ? span.StartLinePosition.Line + 1 : 0,
            Column = diagnostic.Location.IsInSource ? span.StartLinePosition.Character + 1 : 0,
            Message = diagnostic.GetMessage(),
            HelpLink = diagnostic.Descriptor.HelpLinkUri,
        };
    }
}
