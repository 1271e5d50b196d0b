using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Text;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Robustness issue, part 3: code fixes never break code. Over the sample app (compiled as the Web SDK compiles
/// it), every fix offered for every diagnostic must compile without new errors, remove the diagnostic at its
/// site and keep the comments elsewhere; Fix All per equivalence key must compile and be idempotent.
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class CodeFixRobustnessTests
{
    private readonly ITestOutputHelper _output;

    public CodeFixRobustnessTests(ITestOutputHelper output) => _output = output;

    [Fact]
    public async Task EveryOfferedFix_Compiles_RemovesItsDiagnostic_KeepsOtherComments()
    {
        var stopwatch = Stopwatch.StartNew();
        var project = await CodeFixHarness.CreateAsync();
        var baseline = await BaselineAsync(project);
        var problems = new List<string>();
        var applied = await CheckEveryFixAsync(project, baseline.Diagnostics, ImmutableArray<Diagnostic>.Empty, problems, _output.WriteLine);

        _output.WriteLine($"{baseline.Diagnostics.Length} diagnostic(s) in the sample, {applied} fix(es) applied and checked in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(applied > 0, "no code fix was offered anywhere in the sample app: the sample or the fix provider changed");
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>
    /// Beyond the sample: the sources of the rule tests (which check diagnostics, not the fixes offered on them),
    /// the representative sources and the hostile shapes. Code that did not compile before may keep its errors,
    /// but a fix may add none. Capped (harvested projects and sites sampled by stride) to keep CI fast.
    /// </summary>
    [Fact]
    public async Task EveryOfferedFix_InTestAndRepresentativeSources_AddsNoErrors_RemovesItsDiagnostic()
    {
        const int MaxHarvestedProjects = 150;
        const int MaxSites = 60;
        var stopwatch = Stopwatch.StartNew();
        var references = await RobustnessEnvironment.GetReferencesAsync();
        var harvestedProjects = RobustnessEnvironment.HarvestTestSources();
        var ownProjects = RepresentativeSources.All.Select(s => RobustnessEnvironment.WithTestModel(s.Name, s.Source))
            .Concat(HostileShapes.All().Where(s => s.Source.Length < 20_000).Select(s => RobustnessEnvironment.WithTestModel("Hostile: " + s.Name, s.Source, s.OutputKind)))
            .ToList();
        var projects = ownProjects
            .Concat(harvestedProjects.Length <= MaxHarvestedProjects
                ? harvestedProjects
                : Enumerable.Range(0, MaxHarvestedProjects).Select(i => harvestedProjects[(int)(i * (harvestedProjects.Length / (double)MaxHarvestedProjects))]))
            .ToList();
        var fixable = ShippedRules.CreateCodeFixProviders().SelectMany(p => p.FixableDiagnosticIds).ToHashSet(StringComparer.Ordinal);
        var problems = new System.Collections.Concurrent.ConcurrentBag<string>();

        // Where fixes are offered: every project analyzed once, in parallel.
        var found = new System.Collections.Concurrent.ConcurrentBag<(int Order, TestProject Project, string Site)>();
        await Parallel.ForEachAsync(projects.Select((project, order) => (project, order)), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (item, _) =>
        {
            var analysis = await AnalyzerRunner.RunAsync(item.project.Compile(references), ShippedRules.CreateAnalyzers(), concurrent: false);
            foreach (var failure in analysis.Failures)
            {
                problems.Add($"[{item.project.Name}] analyzer exception: {failure}");
            }

            foreach (var diagnostic in analysis.Diagnostics.Where(d => fixable.Contains(d.Id) && d.Location.IsInSource))
            {
                found.Add((item.order, item.project, AnalyzerRunner.Render(diagnostic)));
            }
        });

        // At most three sites per project (a hostile shape may have dozens of the same kind); the representative
        // sources and hostile shapes always, then a stride sample of the harvested test sources up to the cap.
        var perProject = found.GroupBy(f => f.Order).OrderBy(g => g.Key).SelectMany(g => g.OrderBy(f => f.Site, StringComparer.Ordinal).Take(3)).ToList();
        var own = perProject.Where(f => f.Order < ownProjects.Count).ToList();
        var harvested = perProject.Where(f => f.Order >= ownProjects.Count).ToList();
        var room = Math.Max(MaxSites - own.Count, 40);
        var sites = own.Concat(harvested.Count <= room ? harvested : Enumerable.Range(0, room).Select(i => harvested[(int)(i * (harvested.Count / (double)room))])).ToList();

        var applied = 0;
        await Parallel.ForEachAsync(sites.GroupBy(s => s.Project), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, async (group, _) =>
        {
            var project = await CodeFixHarness.CreateAsync(group.Key);
            var analysis = await CodeFixHarness.AnalyzeAsync(project);
            var wanted = group.Select(g => g.Site).ToHashSet(StringComparer.Ordinal);
            var diagnostics = analysis.Diagnostics.Where(d => wanted.Contains(AnalyzerRunner.Render(d))).ToImmutableArray();
            var errors = await CodeFixHarness.CompilerErrorsAsync(project);
            var local = new List<string>();
            var count = await CheckEveryFixAsync(project, diagnostics, errors, local, _ => { });
            Interlocked.Add(ref applied, count);
            foreach (var problem in local)
            {
                problems.Add(problem);
            }
        });

        _output.WriteLine($"{projects.Count} projects ({harvestedProjects.Length} harvested, at most {MaxHarvestedProjects} used), {found.Count} fixable diagnostic(s), {sites.Count} checked (cap {MaxSites}), {applied} fix(es) applied and checked in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(problems.IsEmpty, $"{problems.Count} problem(s):\n\n" + string.Join("\n\n", problems.OrderBy(p => p, StringComparer.Ordinal)));
    }

    [Fact]
    public async Task FixAllPerEquivalenceKey_Compiles_AndIsIdempotent()
    {
        var stopwatch = Stopwatch.StartNew();
        var project = await CodeFixHarness.CreateAsync();
        var baseline = await BaselineAsync(project);
        var problems = new List<string>();
        var log = new List<string>();
        var runs = 0;

        foreach (var provider in ShippedRules.CreateCodeFixProviders())
        {
            if (provider.GetFixAllProvider() is not { } fixAll || !fixAll.GetSupportedFixAllScopes().Contains(FixAllScope.Document))
            {
                continue;
            }

            // The equivalence keys the provider actually offers in the sample.
            var keys = new SortedSet<string>(StringComparer.Ordinal);
            foreach (var diagnostic in baseline.Diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)))
            {
                var actions = await CodeFixHarness.GetFixesAsync(provider, project.GetDocument(diagnostic.Location.SourceTree)!, diagnostic);
                foreach (var action in actions.Where(a => a.EquivalenceKey is not null))
                {
                    keys.Add(action.EquivalenceKey!);
                }
            }

            foreach (var key in keys)
            {
                runs++;
                var label = $"{provider.GetType().Name} Fix All '{key}'";
                try
                {
                    var once = await CodeFixHarness.FixAllAsync(provider, key, project.Solution, project.Id, log);
                    var twice = await CodeFixHarness.FixAllAsync(provider, key, once, project.Id, log);
                    var onceProject = once.GetProject(project.Id)!;

                    if (!await CodeFixHarness.TextDiffersAsync(project.Solution, once, project.Id))
                    {
                        problems.Add($"{label}: changed nothing, though single fixes with that key are offered");
                    }

                    var errors = await CodeFixHarness.CompilerErrorsAsync(onceProject);
                    if (errors.Length > 0)
                    {
                        problems.Add($"{label}: new compiler errors:\n" + string.Join("\n", errors.Select(e => "  " + e)) + "\n" + await ChangesAsync(project, onceProject));
                    }

                    var exempt = baseline.Diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id)).ToLookup(d => d.Location.SourceTree!.FilePath, d => CodeFixHarness.SiteRegion(d.Location.SourceTree!.GetRoot(), d));
                    foreach (var document in project.Documents)
                    {
                        var lost = CodeFixHarness.LostComments(
                            (await document.GetSyntaxRootAsync())!,
                            (await onceProject.GetDocument(document.Id)!.GetSyntaxRootAsync())!,
                            exempt[document.FilePath!].ToList());
                        if (lost.Count > 0)
                        {
                            problems.Add($"{label}: comments outside the fixed loops were lost in {document.FilePath}:\n" + string.Join("\n", lost.Select(c => "  " + c)));
                        }
                    }

                    foreach (var document in onceProject.Documents)
                    {
                        var first = (await document.GetTextAsync()).ToString();
                        var second = (await twice.GetDocument(document.Id)!.GetTextAsync()).ToString();
                        if (first != second)
                        {
                            problems.Add($"{label}: not idempotent, a second Fix All changed {document.FilePath}:\n" + await CodeFixHarness.DescribeChangesAsync(document, twice.GetDocument(document.Id)!));
                        }
                    }
                }
                catch (Exception e)
                {
                    problems.Add($"{label} threw\n{e}");
                }
            }
        }

        foreach (var line in log)
        {
            _output.WriteLine(line);
        }

        _output.WriteLine($"{runs} Fix All run(s) checked in {stopwatch.Elapsed.TotalSeconds:0.0} s.");
        Assert.True(runs > 0, "no Fix All was offered in the sample app");
        Assert.True(problems.Count == 0, string.Join("\n\n", problems));
    }

    /// <summary>The sample compiles cleanly and the analyzers run on it without exceptions; its fixable diagnostics.</summary>
    private static async Task<AnalysisResult> BaselineAsync(Project project)
    {
        var errors = await CodeFixHarness.CompilerErrorsAsync(project);
        Assert.True(errors.IsEmpty, "the sample app does not compile as the Web SDK would compile it:\n" + string.Join("\n", errors.Take(20)));

        var analysis = await CodeFixHarness.AnalyzeAsync(project);
        Assert.True(analysis.Failures.IsEmpty, "analyzer exception(s) on the sample app:\n" + string.Join("\n\n", analysis.Failures));
        Assert.Contains(analysis.Diagnostics, d => d.Id == "PERF001");
        var fixable = ShippedRules.CreateCodeFixProviders().SelectMany(p => p.FixableDiagnosticIds).ToHashSet(StringComparer.Ordinal);
        var diagnostics = analysis.Diagnostics
            .Where(d => fixable.Contains(d.Id) && d.Location.IsInSource)
            .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
            .ThenBy(d => d.Location.SourceSpan.Start)
            .ToImmutableArray();
        return analysis with { Diagnostics = diagnostics };
    }

    /// <summary>Applies every fix every provider offers for each diagnostic, one at a time on the original; returns how many.</summary>
    internal static async Task<int> CheckEveryFixAsync(Project project, ImmutableArray<Diagnostic> diagnostics, ImmutableArray<Diagnostic> baselineErrors, List<string> problems, Action<string> log)
    {
        var providers = ShippedRules.CreateCodeFixProviders();
        var applied = 0;
        foreach (var diagnostic in diagnostics)
        {
            var document = project.GetDocument(diagnostic.Location.SourceTree)!;
            var site = $"[{project.Name}] " + AnalyzerRunner.Render(diagnostic);
            foreach (var provider in providers.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
            {
                ImmutableArray<Microsoft.CodeAnalysis.CodeActions.CodeAction> actions;
                try
                {
                    actions = await CodeFixHarness.GetFixesAsync(provider, document, diagnostic);
                }
                catch (Exception e)
                {
                    problems.Add($"{provider.GetType().Name} threw offering fixes for {site}:\n{e}");
                    continue;
                }

                foreach (var action in actions)
                {
                    var label = $"'{action.Title}' ({action.EquivalenceKey}) at {site}";
                    try
                    {
                        var problem = await CheckFixAsync(project, document, diagnostic, action, baselineErrors);
                        log((problem is null ? "ok     " : "FAILED ") + label);
                        if (problem is not null)
                        {
                            problems.Add(label + "\n" + problem);
                        }

                        applied++;
                    }
                    catch (Exception e)
                    {
                        problems.Add($"{label}: applying the fix threw\n{e}");
                    }
                }
            }
        }

        return applied;
    }

    /// <summary>Applies one fix and checks it; returns what is wrong, or null.</summary>
    private static async Task<string?> CheckFixAsync(Project project, Document document, Diagnostic diagnostic, Microsoft.CodeAnalysis.CodeActions.CodeAction action, ImmutableArray<Diagnostic> baselineErrors)
    {
        var fixedSolution = await CodeFixHarness.ApplyAsync(action, project.Solution);
        var fixedProject = fixedSolution.GetProject(project.Id)!;
        var fixedDocument = fixedProject.GetDocument(document.Id)!;
        var problems = new List<string>();

        if (!await CodeFixHarness.TextDiffersAsync(project.Solution, fixedSolution, project.Id))
        {
            return "  the fix changed nothing";
        }

        // New errors: by id and message, as a multiset (positions move with the fix).
        var knownErrors = baselineErrors.Select(e => e.Id + ": " + e.GetMessage(System.Globalization.CultureInfo.InvariantCulture)).ToList();
        var errors = (await CodeFixHarness.CompilerErrorsAsync(fixedProject)).Where(e => !knownErrors.Remove(e.Id + ": " + e.GetMessage(System.Globalization.CultureInfo.InvariantCulture))).ToList();
        if (errors.Count > 0)
        {
            problems.Add("  new compiler errors:\n" + string.Join("\n", errors.Select(e => "    " + e)));
        }

        // An Include the fix adds must be on a query of an entity type: EF Core throws at run time otherwise.
        var includesBefore = CodeFixHarness.IncludesOnNonEntities((await project.GetCompilationAsync())!);
        var newIncludes = CodeFixHarness.IncludesOnNonEntities((await fixedProject.GetCompilationAsync())!).Where(i => !includesBefore.Remove(i)).Select(i => $"{i.Path}: {i.Include}").ToList();
        if (newIncludes.Count > 0)
        {
            problems.Add("  Include on a query that is not of an entity type (compiles, throws InvalidOperationException when EF Core runs it):\n" + string.Join("\n", newIncludes.Select(i => "    " + i)));
        }

        // The diagnostic at the site is gone (positions mapped back through the fix's text changes), analyzing the
        // whole compilation since some diagnostics are reported at compilation end.
        var changes = (await fixedDocument.GetTextChangesAsync(document)).ToList();
        var fixedTree = await fixedDocument.GetSyntaxTreeAsync();
        var analysis = await CodeFixHarness.AnalyzeAsync(fixedProject);
        if (!analysis.Failures.IsEmpty)
        {
            problems.Add("  analyzer exception(s) on the fixed code:\n" + string.Join("\n", analysis.Failures));
        }

        foreach (var remaining in analysis.Diagnostics.Where(d => d.Id == diagnostic.Id && d.Location.SourceTree == fixedTree))
        {
            if (CodeFixHarness.MapToOld(changes, remaining.Location.SourceSpan.Start) is { } old && diagnostic.Location.SourceSpan.Contains(old)
                && !IsPartialFixByDesign(diagnostic, remaining))
            {
                problems.Add("  still reported at the site: " + AnalyzerRunner.Render(remaining));
            }
        }

        // Comments outside the statement holding the loop are kept, in every document.
        var exempt = new[] { CodeFixHarness.SiteRegion((await document.GetSyntaxRootAsync())!, diagnostic) };
        foreach (var before in project.Documents)
        {
            var after = fixedProject.GetDocument(before.Id)!;
            var lost = CodeFixHarness.LostComments((await before.GetSyntaxRootAsync())!, (await after.GetSyntaxRootAsync())!, before.Id == document.Id ? exempt : Array.Empty<TextSpan>());
            if (lost.Count > 0)
            {
                problems.Add($"  comments lost in {before.FilePath}:\n" + string.Join("\n", lost.Select(c => "    " + c)));
            }
        }

        if (problems.Count == 0)
        {
            return null;
        }

        return string.Join("\n", problems) + "\n  the fix's edits:\n" + await ChangesAsync(project, fixedProject);
    }

    private static async Task<string> ChangesAsync(Project before, Project after)
    {
        var parts = new List<string>();
        foreach (var document in before.Documents)
        {
            var changed = after.GetDocument(document.Id)!;
            if ((await changed.GetTextAsync()).ContentEquals(await document.GetTextAsync()))
            {
                continue;
            }

            parts.Add(document.FilePath + ":\n" + await CodeFixHarness.DescribeChangesAsync(document, changed));
        }

        return string.Join("\n", parts);
    }

    /// <summary>
    /// PERF007's fix moves only the operators EF Core can translate into the query; an operator it cannot translate stays
    /// after the materialization and is still reported, at the now longer query (see PERF007_CodeFixTests'
    /// TranslatableWhereThenLocalMethodWhere_OnlyTranslatablePartMoved_RestStillReported). Progress shows in the flagged text.
    /// </summary>
    private static bool IsPartialFixByDesign(Diagnostic original, Diagnostic remaining)
        => original.Id == "PERF007"
            && remaining.Location.SourceTree is { } fixedTree && original.Location.SourceTree is { } originalTree
            && fixedTree.GetText().ToString(remaining.Location.SourceSpan) != originalTree.GetText().ToString(original.Location.SourceSpan);
}
