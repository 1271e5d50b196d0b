using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>
/// The packed PerfAnalyzers package in a real consumer project built with <c>dotnet build</c>: what users see on the
/// command line and in CI, and every documented way to configure or silence PERF001.
/// </summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class ConsumerBuildTests
{
    private readonly EndToEndFixture _e2e;

    public ConsumerBuildTests(EndToEndFixture e2e) => _e2e = e2e;

    private static (int Line, int Column) ReportSite => ConsumerSources.Report.Locate(ConsumerSources.NPlusOneCall);

    public static IEnumerable<object[]> SuppressionCaseNames => ConsumerSources.SuppressionCases.Select(c => new object[] { c.Name });

    [Fact]
    public void Build_ReportsPerf001WarningWithFileLineColumnAndHelpLink()
    {
        var build = _e2e.Baseline;
        var (line, column) = ReportSite;

        Assert.True(build.Succeeded, build.Describe());
        Assert.True(
            build.Process.StdOut.Contains($"Report.cs({line},{column}): warning PERF001: ", StringComparison.Ordinal),
            $"Expected 'Report.cs({line},{column}): warning PERF001: ' in the build output.{Environment.NewLine}{build.Describe()}");
        var diagnostic = SingleAt(build, "Report.cs", "warning", line, column);
        Assert.True(
            diagnostic.Message.Contains("docs/rules/PERF001.md", StringComparison.Ordinal),
            $"Expected the help link docs/rules/PERF001.md in: {diagnostic}{Environment.NewLine}{build.Describe()}");
        Assert.True(File.Exists(Path.Combine(_e2e.RepoRoot, "docs", "rules", "PERF001.md")), "The help link's page docs/rules/PERF001.md is missing from the repo.");
    }

    [Fact]
    public void Build_LookAlikeSuppressedAndGeneratedCode_ProduceNoOtherDiagnostics()
    {
        var build = _e2e.Baseline;

        Assert.True(build.Succeeded, build.Describe());

        // One PERF001 (Report.cs's real N+1); the in-memory List<T>.Find look-alike and every suppressed or
        // generated N+1 stay quiet. Other PERF rules may report; compiler or NuGet warnings mean a broken setup.
        var unexpected = build.Diagnostics
            .Where(d => d.Id == "PERF001" ? d.FileName != "Report.cs" || d.Line != ReportSite.Line : !d.Id.StartsWith("PERF", StringComparison.Ordinal))
            .ToList();
        Assert.True(
            build.Perf001.Count == 1 && unexpected.Count == 0,
            $"Expected exactly one PERF001 (Report.cs line {ReportSite.Line}) and no other warnings; got:{Environment.NewLine}"
            + string.Join(Environment.NewLine, build.Diagnostics) + Environment.NewLine + build.Describe());
    }

    [Fact]
    public void WarnAsErrorSwitch_FailsTheBuildWithErrorPerf001()
    {
        var build = _e2e.BuildConsumer("-warnaserror", ConsumerSources.Baseline, editorConfig: null, "-warnaserror");

        Assert.False(build.Succeeded, build.Describe());
        SingleAt(build, "Report.cs", "error", ReportSite.Line, ReportSite.Column);
    }

    [Fact]
    public void TreatWarningsAsErrors_FailsTheBuildWithErrorPerf001()
    {
        var build = _e2e.BuildConsumer("TreatWarningsAsErrors", ConsumerSources.Baseline, editorConfig: null, "-p:TreatWarningsAsErrors=true");

        Assert.False(build.Succeeded, build.Describe());
        SingleAt(build, "Report.cs", "error", ReportSite.Line, ReportSite.Column);
    }

    [Fact]
    public void WarningsNotAsErrors_KeepsPerf001AWarningUnderTreatWarningsAsErrors()
    {
        var build = _e2e.BuildConsumer(
            "TreatWarningsAsErrors+WarningsNotAsErrors", ConsumerSources.Baseline, editorConfig: null,
            "-p:TreatWarningsAsErrors=true", "-p:WarningsNotAsErrors=PERF001");

        Assert.True(build.Succeeded, build.Describe());
        SingleAt(build, "Report.cs", "warning", ReportSite.Line, ReportSite.Column);
    }

    [Fact]
    public void NoWarn_RemovesPerf001()
    {
        var build = _e2e.BuildConsumer("NoWarn", ConsumerSources.Baseline, editorConfig: null, "-p:NoWarn=PERF001");

        Assert.True(build.Succeeded, build.Describe());
        AssertNoPerf001(build);
    }

    [Fact]
    public void ErrorLog_WritesSarifWithPerf001ResultLocationAndHelpUri()
    {
        var build = _e2e.Baseline;
        Assert.True(build.Succeeded, build.Describe());
        Assert.True(File.Exists(_e2e.BaselineSarifPath), $"-p:ErrorLog did not write {_e2e.BaselineSarifPath}.{Environment.NewLine}{build.Describe()}");

        var sarifText = File.ReadAllText(_e2e.BaselineSarifPath);
        using var sarif = JsonDocument.Parse(sarifText);
        var context = $"{Environment.NewLine}SARIF:{Environment.NewLine}{sarifText}";
        Assert.True(sarif.RootElement.GetProperty("version").GetString() == "2.1.0", "Expected a SARIF 2.1.0 log." + context);
        var run = Assert.Single(sarif.RootElement.GetProperty("runs").EnumerateArray());

        // In-source suppressions (pragma, [SuppressMessage]) are logged too, marked with "suppressions".
        var reported = run.GetProperty("results").EnumerateArray()
            .Where(r => r.TryGetProperty("ruleId", out var id) && id.GetString() == "PERF001")
            .Where(r => !r.TryGetProperty("suppressions", out var s) || s.GetArrayLength() == 0)
            .ToList();
        Assert.True(reported.Count == 1, $"Expected one unsuppressed PERF001 result, got {reported.Count}." + context);

        var location = reported[0].GetProperty("locations")[0].GetProperty("physicalLocation");
        var uri = location.GetProperty("artifactLocation").GetProperty("uri").GetString();
        var region = location.GetProperty("region");
        Assert.True(uri is not null && uri.EndsWith("/Report.cs", StringComparison.Ordinal), $"Unexpected result location '{uri}'." + context);
        Assert.Equal(ReportSite.Line, region.GetProperty("startLine").GetInt32());
        Assert.Equal(ReportSite.Column, region.GetProperty("startColumn").GetInt32());
        Assert.Equal("warning", reported[0].GetProperty("level").GetString());

        var rule = run.GetProperty("tool").GetProperty("driver").GetProperty("rules").EnumerateArray()
            .SingleOrDefault(r => r.GetProperty("id").GetString() == "PERF001");
        Assert.True(rule.ValueKind == JsonValueKind.Object, "No PERF001 entry in tool.driver.rules." + context);
        Assert.True(
            rule.TryGetProperty("helpUri", out var helpUri) && helpUri.GetString()!.EndsWith("docs/rules/PERF001.md", StringComparison.Ordinal),
            "PERF001's rule entry has no helpUri ending in docs/rules/PERF001.md." + context);
    }

    [Fact]
    public void EditorConfig_RuleSeverityError_FailsTheBuild()
    {
        var build = _e2e.BuildConsumer("editorconfig PERF001=error", ConsumerSources.Baseline, "dotnet_diagnostic.PERF001.severity = error");

        Assert.False(build.Succeeded, build.Describe());
        SingleAt(build, "Report.cs", "error", ReportSite.Line, ReportSite.Column);
    }

    [Fact]
    public void EditorConfig_RuleSeverityNone_RemovesPerf001()
    {
        var build = _e2e.BuildConsumer("editorconfig PERF001=none", ConsumerSources.Baseline, "dotnet_diagnostic.PERF001.severity = none");

        Assert.True(build.Succeeded, build.Describe());
        AssertNoPerf001(build);
    }

    [Fact]
    public void EditorConfig_PerformanceCategoryNone_RemovesPerf001()
    {
        var build = _e2e.BuildConsumer(
            "editorconfig category-Performance=none", ConsumerSources.Baseline, "dotnet_analyzer_diagnostic.category-Performance.severity = none");

        Assert.True(build.Succeeded, build.Describe());
        AssertNoPerf001(build);
    }

    [Fact]
    public void EditorConfig_InvalidOptionValueAndMisspelledKey_ReportPerf000NamingKeyAndValue_RulesKeepWorking()
    {
        var build = _e2e.BuildConsumer(
            "editorconfig invalid perf_analyzers options",
            ConsumerSources.Baseline,
            "perf_analyzers.cache_expiration_minutes = soon\nperf_analyzers.cache_expiraton_minutes = 10");

        // Configuration files are not in the compilation: the compiler prints the diagnostic without a file position.
        Assert.True(build.Succeeded, build.Describe());
        var lines = build.Process.StdOut.Split('\n').Where(l => l.Contains("PERF000", StringComparison.Ordinal)).Select(l => l.Trim()).Distinct().ToList();
        Assert.True(
            lines.Any(l => l.Contains("warning PERF000: Invalid value 'soon' for perf_analyzers.cache_expiration_minutes in .editorconfig; using the default 5", StringComparison.Ordinal)),
            "Expected PERF000 naming the key, the value and the default in the build output." + Environment.NewLine + build.Describe());
        Assert.True(
            lines.Any(l => l.Contains("warning PERF000: Unknown option perf_analyzers.cache_expiraton_minutes in .editorconfig", StringComparison.Ordinal)),
            "Expected PERF000 for the misspelled key in the build output." + Environment.NewLine + build.Describe());
        Assert.True(lines.Count == 2, "Expected each PERF000 once (MSBuild repeats warnings in its summary; distinct lines):" + Environment.NewLine + string.Join(Environment.NewLine, lines));
        SingleAt(build, "Report.cs", "warning", ReportSite.Line, ReportSite.Column);
    }

    [Theory]
    [MemberData(nameof(SuppressionCaseNames))]
    public void Suppression_SilencesTheN1ThatWarnsWithoutIt(string caseName)
    {
        var suppression = ConsumerSources.SuppressionCases.Single(c => c.Name == caseName);

        // With the suppression (baseline build): nothing from its files.
        var baseline = _e2e.Baseline;
        Assert.True(baseline.Succeeded, baseline.Describe());
        foreach (var file in suppression.Suppressed)
        {
            var leaked = baseline.Perf001In(file.Name);
            Assert.True(leaked.Count == 0, $"{caseName}: PERF001 reported in {file.Name}:{Environment.NewLine}{string.Join(Environment.NewLine, leaked)}{Environment.NewLine}{baseline.Describe()}");
        }

        // Without it (control build): the same code warns, so the silence above is the suppression's doing.
        var control = _e2e.Control;
        Assert.True(control.Succeeded, control.Describe());
        var (line, column) = suppression.Control.Locate(ConsumerSources.NPlusOneCall);
        SingleAt(control, suppression.Control.Name, "warning", line, column);
    }

    [Fact]
    public void BuildOutput_ContainsNoPerfAnalyzersAssembly()
    {
        var build = _e2e.Baseline;
        Assert.True(build.Succeeded, build.Describe());

        var output = Path.Combine(_e2e.ConsumerDirectory, "bin");
        var files = build.OutputFiles;
        Assert.True(files.Any(f => f.EndsWith("Consumer.dll", StringComparison.Ordinal)), $"No Consumer.dll under {output}: {string.Join(", ", files)}");
        Assert.True(
            !files.Any(f => Path.GetFileName(f).StartsWith("PerfAnalyzers", StringComparison.OrdinalIgnoreCase)),
            $"PerfAnalyzers files in the consumer's build output (it must be a development-only dependency):{Environment.NewLine}{string.Join(Environment.NewLine, files)}");
        Assert.True(
            build.DepsJson is not null && !build.DepsJson.Contains("PerfAnalyzers", StringComparison.OrdinalIgnoreCase),
            $"Consumer.deps.json is missing or lists PerfAnalyzers as a runtime dependency:{Environment.NewLine}{build.DepsJson}");
    }

    [Fact]
    public void AddPackage_MarksTheReferencePrivate_FromTheNuspecDevelopmentDependency()
    {
        var setup = _e2e.Consumer;
        var context = $"{Environment.NewLine}Consumer.csproj after `dotnet add package`:{Environment.NewLine}{setup.ProjectFileAfterAddPackage}{Environment.NewLine}{setup.AddPackage.Describe()}";

        var project = System.Xml.Linq.XDocument.Parse(setup.ProjectFileAfterAddPackage);
        var reference = project.Descendants("PackageReference").SingleOrDefault(e => (string?)e.Attribute("Include") == "PerfAnalyzers");
        Assert.True(reference is not null, "No PackageReference to PerfAnalyzers." + context);
        Assert.Equal(_e2e.PackageVersion, (string?)reference!.Attribute("Version"));
        var privateAssets = (string?)reference.Attribute("PrivateAssets") ?? reference.Element("PrivateAssets")?.Value;
        Assert.True(string.Equals(privateAssets?.Trim(), "all", StringComparison.OrdinalIgnoreCase), "Expected PrivateAssets=all (NuGet writes it for developmentDependency packages)." + context);

        var assetsPath = Path.Combine(_e2e.ConsumerDirectory, "obj", "project.assets.json");
        var assetsText = File.ReadAllText(assetsPath);
        using var assets = JsonDocument.Parse(assetsText);
        var dependency = assets.RootElement.GetProperty("project").GetProperty("frameworks").GetProperty("net10.0")
            .GetProperty("dependencies").GetProperty("PerfAnalyzers");
        Assert.True(
            dependency.TryGetProperty("suppressParent", out var suppressParent) && suppressParent.GetString() == "All",
            $"Expected \"suppressParent\": \"All\" for PerfAnalyzers in {assetsPath}, got: {dependency}{context}");
        Assert.True(
            assets.RootElement.GetProperty("libraries").EnumerateObject().Any(l => l.Name == "PerfAnalyzers/" + _e2e.PackageVersion),
            $"The assets file does not resolve PerfAnalyzers {_e2e.PackageVersion} (the packed version).");
    }

    [Fact]
    public void ProjectReference_DownstreamProjectGetsNoPerf001ForItsOwnCode()
    {
        var build = _e2e.Downstream;
        Assert.True(build.Succeeded, build.Describe());

        // The analyzer ran in the same build: the consumer's N+1 is reported...
        SingleAt(build, "Report.cs", "warning", ReportSite.Line, ReportSite.Column);

        // ...but did not flow to the project that references the consumer, whose identical N+1 stays quiet.
        var leaked = build.Perf001In(ConsumerSources.Downstream.Name);
        Assert.True(leaked.Count == 0, $"PERF001 flowed to the downstream project:{Environment.NewLine}{string.Join(Environment.NewLine, leaked)}{Environment.NewLine}{build.Describe()}");

        var assetsText = File.ReadAllText(Path.Combine(_e2e.DownstreamDirectory, "obj", "project.assets.json"));
        using var assets = JsonDocument.Parse(assetsText);
        var libraries = assets.RootElement.GetProperty("libraries").EnumerateObject().Select(l => l.Name).ToList();
        Assert.True(
            !libraries.Any(l => l.StartsWith("PerfAnalyzers/", StringComparison.OrdinalIgnoreCase)),
            $"PerfAnalyzers is in the downstream project's package graph: {string.Join(", ", libraries)}");
        Assert.True(
            !build.OutputFiles.Any(f => Path.GetFileName(f).StartsWith("PerfAnalyzers", StringComparison.OrdinalIgnoreCase)),
            $"PerfAnalyzers files in the downstream build output:{Environment.NewLine}{string.Join(Environment.NewLine, build.OutputFiles)}");
    }

    private static BuildDiagnostic SingleAt(BuildResult build, string fileName, string severity, int line, int column)
    {
        var found = build.Perf001In(fileName);
        Assert.True(
            found.Count == 1 && found[0].Severity == severity && found[0].Line == line && found[0].Column == column,
            $"Expected exactly one '{fileName}({line},{column}): {severity} PERF001', got {found.Count}:{Environment.NewLine}"
            + string.Join(Environment.NewLine, found) + Environment.NewLine + build.Describe());
        return found[0];
    }

    private static void AssertNoPerf001(BuildResult build)
    {
        Assert.True(
            build.Perf001.Count == 0,
            $"Expected no PERF001, got:{Environment.NewLine}{string.Join(Environment.NewLine, build.Perf001)}{Environment.NewLine}{build.Describe()}");
    }
}
