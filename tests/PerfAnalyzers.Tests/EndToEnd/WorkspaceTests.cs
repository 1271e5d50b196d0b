using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using Xunit;
using PerfAnalyzers.WorkspaceDriver;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>
/// Squiggles and light bulbs through the Roslyn Workspaces API, the layer Visual Studio and C# Dev Kit build on:
/// tests/PerfAnalyzers.WorkspaceDriver opens a copy of the sample that consumes the packed package
/// (<see cref="SampleAppCopy"/>) with <c>MSBuildWorkspace</c>, runs the analyzers the workspace loaded from the
/// package's analyzers/dotnet/cs with <c>CompilationWithAnalyzers</c>, asks the package's exported code fix providers
/// for the light bulb at a PERF001, a PERF003 and a PERF004 site, compiles every offered fix, and applies
/// "Load with Include" through the workspace as accepting the light bulb does.
/// </summary>
/// <remarks>
/// The driver is a separate process (built with this project through a ProjectReference that references no
/// assembly): MSBuildLocator has to register the SDK's MSBuild before any MSBuild type loads, which a test host
/// cannot guarantee. It uses Microsoft.CodeAnalysis.Workspaces.MSBuild 4.8.0, the Roslyn the analyzers are built
/// against; it loads .NET 10 SDK projects (MSBuild from the running SDK, in process). csharp-ls could not show the
/// light bulbs (see <see cref="LanguageServerTests"/>); this is where they are proven. About 20-30 s after the pack.
/// </remarks>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class WorkspaceTests
{
    public const string IncludeSite = "PERF001@Controllers/PostsController.cs:34";
    public const string HttpClientSite = "PERF003@Controllers/IntegrationsController.cs:29";
    public const string RepeatedLookupSite = "PERF004@Controllers/IntegrationsController.cs:52";

    private static readonly TimeSpan DriverTimeout = TimeSpan.FromMinutes(4);
    private static readonly object RunLock = new();
    private static Lazy<WorkspaceRun>? _run;
    private readonly EndToEndFixture _e2e;
    private readonly ITestOutputHelper _output;

    public WorkspaceTests(EndToEndFixture e2e, ITestOutputHelper output)
    {
        _e2e = e2e;
        _output = output;
    }

    [Fact]
    public void MSBuildWorkspace_LoadsAnalyzersAndFixersFromThePackage()
    {
        var run = Run();
        var version = _e2e.PackageVersion.ToLowerInvariant();
        var expectedFolder = $"/perfanalyzers/{version}/analyzers/dotnet/cs/";

        Assert.True(run.Report.WorkspaceFailures.Count == 0, "MSBuildWorkspace reported failures." + run.Describe());
        Assert.True(run.Report.CompilerErrors.Count == 0, "The sample copy does not compile in the workspace." + run.Describe());
        Assert.True(
            run.Report.AnalyzerReferences.Select(Path.GetFileName).OrderBy(n => n, StringComparer.Ordinal)
                .SequenceEqual(new[] { "PerfAnalyzers.CodeFixes.dll", "PerfAnalyzers.dll" }),
            "Expected the project's analyzer references PerfAnalyzers.dll and PerfAnalyzers.CodeFixes.dll." + run.Describe());
        Assert.True(
            run.Report.AnalyzerReferences.All(p => p.Replace('\\', '/').Contains(expectedFolder, StringComparison.Ordinal)),
            $"Expected the analyzer references under the restored package's {expectedFolder}." + run.Describe());
        Assert.Contains("PerfAnalyzers.Rules.NPlusOneAnalyzer", run.Report.Analyzers);
        Assert.Contains("PerfAnalyzers.CodeFixes.NPlusOne.NPlusOneCodeFixProvider", run.Report.CodeFixProviders);
    }

    [Fact]
    public void CompilationWithAnalyzers_ReportsEveryMarkedLine_AndNoOtherWarning()
    {
        var run = Run();
        var expected = run.Markers.Select(m => $"{m.Rule}@{m.File}:{m.Line}").OrderBy(k => k, StringComparer.Ordinal).ToList();
        var reported = run.Report.Diagnostics
            .Where(d => d.Id.StartsWith("PERF", StringComparison.Ordinal) && d.Severity == "Warning")
            .Select(d => $"{d.Id}@{d.File}:{d.Line}")
            .Distinct()
            .OrderBy(k => k, StringComparer.Ordinal)
            .ToList();

        Assert.True(expected.Count >= 13, "Too few markers in the sample: " + string.Join(", ", expected));
        var missing = expected.Except(reported).ToList();
        var extra = reported.Except(expected).ToList();
        Assert.True(missing.Count == 0 && extra.Count == 0,
            $"Missing: [{string.Join(", ", missing)}]; not marked: [{string.Join(", ", extra)}]." + run.Describe());
        Assert.All(run.Report.Diagnostics.Where(d => d.Id.StartsWith("PERF", StringComparison.Ordinal)),
            d => Assert.EndsWith($"docs/rules/{d.Id}.md", d.HelpLink));
    }

    [Theory]
    [InlineData(IncludeSite, new[] { "Load with Include", "Fetch all in one query" })]
    [InlineData(HttpClientSite, new[] { "Use the shared/pooled HttpClient" })]
    [InlineData(RepeatedLookupSite, new[] { "Hoist out of the loop" })]
    public void LightBulb_OffersTheFixes_AndEveryOfferedFixCompiles(string site, string[] titles)
    {
        var run = Run();
        var bulb = run.Report.LightBulbs.SingleOrDefault(b => b.Target == site);
        Assert.True(bulb is { Found: true }, $"No diagnostic {site} to ask the code fix providers at." + run.Describe());

        var offered = bulb!.Fixes.Select(f => f.Title).ToList();
        var absent = titles.Where(t => !offered.Contains(t)).ToList();
        Assert.True(absent.Count == 0, $"At {site} the light bulb lacks [{string.Join(", ", absent)}]; offered: [{string.Join(", ", offered)}]." + run.Describe());
        foreach (var fix in bulb.Fixes)
        {
            Assert.True(fix.ChangedFiles.Count > 0, $"'{fix.Title}' at {site} changes nothing." + run.Describe());
            Assert.True(fix.ErrorsAfter.Count == 0, $"'{fix.Title}' at {site} leaves compile errors:{Environment.NewLine}{string.Join(Environment.NewLine, fix.ErrorsAfter)}" + run.Describe());
        }
    }

    [Fact]
    public void ApplyingLoadWithInclude_ThroughTheWorkspace_WritesTheFile_Compiles_AndRemovesThatPerf001()
    {
        var run = Run();
        var applied = run.Report.Applied;
        Assert.True(applied is not null, "No fix was applied." + run.Describe());

        Assert.True(applied!.FileChangedOnDisk, "Applying the operations did not change Controllers/PostsController.cs on disk." + run.Describe());
        Assert.Equal(new[] { "Controllers/PostsController.cs" }, applied.ChangedFiles);
        Assert.True(applied.ErrorsAfter.Count == 0, "The fixed project does not compile:" + Environment.NewLine + string.Join(Environment.NewLine, applied.ErrorsAfter) + run.Describe());

        var text = File.ReadAllText(Path.Combine(run.ProjectDirectory, "Controllers", "PostsController.cs"));
        Assert.Contains(".Include(p => p.Author)", text);
        int Perf001InPosts(IEnumerable<ReportedDiagnostic> diagnostics) => diagnostics.Count(d => d.Id == "PERF001" && d.File == "Controllers/PostsController.cs");
        Assert.True(Perf001InPosts(applied.DiagnosticsAfter) == Perf001InPosts(run.Report.Diagnostics) - 1,
            "Expected exactly the fixed PERF001 gone from PostsController.cs." + run.Describe());
        Assert.Equal(
            run.Report.Diagnostics.Count(d => d.File != "Controllers/PostsController.cs"),
            applied.DiagnosticsAfter.Count(d => d.File != "Controllers/PostsController.cs"));
    }

    private WorkspaceRun Run()
    {
        lock (RunLock)
        {
            var e2e = _e2e;
            _run ??= new Lazy<WorkspaceRun>(() => WorkspaceRun.Start(e2e), LazyThreadSafetyMode.ExecutionAndPublication);
        }

        var run = _run.Value;
        _output.WriteLine(run.Summary());
        return run;
    }

    private sealed record WorkspaceRun(string ProjectDirectory, IReadOnlyList<SourceMarker> Markers, ProcessResult Driver, DriverReport Report)
    {
        public static WorkspaceRun Start(EndToEndFixture e2e)
        {
            var copy = SampleAppCopy.Create(e2e, "workspace");
            var restore = copy.Restore();
            Assert.True(restore.Succeeded, "Restoring the sample copy failed." + Environment.NewLine + restore.Describe());

            // Read before the driver applies a fix to the copy's files.
            // Every warning rule's markers; PERF006 is a suggestion (Info), which this warning-level comparison leaves out.
            var markers = copy.Markers().Where(m => m.Rule != "PERF006").ToList();
            var reportPath = Path.Combine(copy.Root, "workspace-report.json");
            var driver = DotnetCli.Run(copy.Root, DriverTimeout,
                "exec", DriverPath(e2e), copy.ProjectPath, reportPath,
                "--fix", IncludeSite, "--fix", HttpClientSite, "--fix", RepeatedLookupSite,
                "--apply", IncludeSite + "=Load with Include");
            Assert.True(driver.Succeeded && File.Exists(reportPath), "The workspace driver failed." + Environment.NewLine + driver.Describe());

            var report = JsonSerializer.Deserialize<DriverReport>(File.ReadAllText(reportPath))!;
            return new WorkspaceRun(copy.ProjectDirectory, markers, driver, report);
        }

        /// <summary>The driver built next to this test assembly's configuration (the ProjectReference builds it).</summary>
        private static string DriverPath(EndToEndFixture e2e)
        {
            var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Debug";
            var project = Path.Combine(e2e.RepoRoot, "tests", "PerfAnalyzers.WorkspaceDriver", "PerfAnalyzers.WorkspaceDriver.csproj");
            var dll = Path.Combine(Path.GetDirectoryName(project)!, "bin", configuration, "net10.0", "PerfAnalyzers.WorkspaceDriver.dll");
            if (!File.Exists(dll))
            {
                var build = DotnetCli.Run(e2e.RepoRoot, EndToEndFixture.BuildTimeout, "build", project, "-c", configuration, "-nodeReuse:false", "-tl:off");
                Assert.True(build.Succeeded && File.Exists(dll), "Building the workspace driver failed." + Environment.NewLine + build.Describe());
            }

            return dll;
        }

        public string Summary()
            => "workspace driver timings (s since start): " + string.Join(", ", Report.Timings.Select(t => $"{t.Key} {t.Value:F1}"))
               + $"; process {Driver.Elapsed.TotalSeconds:F1}s";

        public string Describe()
            => Environment.NewLine + Summary() + Environment.NewLine + "diagnostics:" + Environment.NewLine
               + string.Join(Environment.NewLine, Report.Diagnostics.Select(d => $"  {d.Severity} {d.Id}@{d.File}:{d.Line}  {d.Message}"))
               + Environment.NewLine + "markers: " + string.Join(", ", Markers.Select(m => $"{m.Rule}@{m.File}:{m.Line}"))
               + Environment.NewLine + Driver.Describe();
    }
}
