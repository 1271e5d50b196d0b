using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>
/// The code fixes through <c>dotnet format analyzers</c>, the command-line way to apply them: a copy of the sample app
/// consuming the packed package (see <see cref="SampleAppCopy"/>) is fixed in place, then built. The fix must leave
/// compiling code, remove the PERF001/PERF004 sites the fixes cover, and leave every other site reported.
/// </summary>
/// <remarks>
/// Sites are identified across the rewrite by file, rule and message up to the first ';' (call and loop, e.g.
/// "'DbSet&lt;User&gt;.FindAsync' runs once per iteration of the foreach over 'posts'"): line numbers move when a fix
/// inserts or removes lines. The pre-fix messages come from dotnet format's own --report.
/// </remarks>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class DotnetFormatTests
{
    /// <summary>
    /// The sites "Load with Include", "Fetch all in one query" and "Hoist out of the loop" rewrite, by file and call.
    /// The other PERF001 sites of the sample have no fix (for loop, Select lambda, SaveChanges, a Dapper loop over a
    /// lazily enumerated sequence, ADO.NET) and must stay reported.
    /// </summary>
    private static readonly (string File, string Rule, string Call)[] Fixable =
    {
        ("Controllers/PostsController.cs", "PERF001", "_db.Users.FindAsync(post.AuthorId)"),
        ("Controllers/PostsController.cs", "PERF001", "_db.Users.FirstOrDefaultAsync(u => u.Id == post.AuthorId"),
        ("Program.cs", "PERF001", "db.Comments.Where(c => c.PostId == post.Id).ToListAsync()"),
        ("Services/ReportService.cs", "PERF001", "_users.GetByIdAsync(post.AuthorId, cancellationToken)"),
        ("Controllers/IntegrationsController.cs", "PERF004", "_db.Products.MaxAsync(p => p.Price"),
    };

    private readonly EndToEndFixture _e2e;
    private readonly ITestOutputHelper _output;

    public DotnetFormatTests(EndToEndFixture e2e, ITestOutputHelper output)
    {
        _e2e = e2e;
        _output = output;
    }

    [Fact]
    public void FormatAnalyzers_WholeProject_FixesTheCoveredPerf001AndPerf004Sites_AndTheSampleStillCompiles()
    {
        var run = Format("dotnet-format", include: null);

        run.AssertCompiles();
        var expectedFixed = run.Sites.Where(s => Fixable.Any(f => f.File == s.Marker.File && f.Rule == s.Marker.Rule && s.Marker.Text.Contains(f.Call, StringComparison.Ordinal))).ToList();
        Assert.True(expectedFixed.Count == Fixable.Length, $"Expected {Fixable.Length} fixable marker sites in the sample, found {expectedFixed.Count}.{run.Describe()}");

        var notFixed = expectedFixed.Where(s => !run.Fixed.Contains(s)).ToList();
        Assert.True(notFixed.Count == 0,
            $"`dotnet format analyzers` left {notFixed.Count} site(s) that a PerfAnalyzers fix covers:{Environment.NewLine}  "
            + string.Join(Environment.NewLine + "  ", notFixed) + run.Describe());

        var unexpectedlyFixed = run.Fixed.Except(expectedFixed).ToList();
        Assert.True(unexpectedlyFixed.Count == 0 && run.New.Count == 0,
            $"Sites without a fix disappeared, or the fixes introduced new diagnostics:{Environment.NewLine}  gone: "
            + string.Join("; ", unexpectedlyFixed) + Environment.NewLine + "  new: " + string.Join("; ", run.New) + run.Describe());
    }

    /// <summary>
    /// The same command limited to one file whose first PERF001 has a fix (--include): shows that dotnet format loads
    /// PerfAnalyzers.CodeFixes from the package and that "Load with Include" applied as Fix All compiles.
    /// </summary>
    [Fact]
    public void FormatAnalyzers_OnPostsController_LoadsAuthorsWithInclude_AndTheSampleStillCompiles()
    {
        const string File = "Controllers/PostsController.cs";
        var run = Format("dotnet-format-posts", include: File);

        run.AssertCompiles();
        var sites = run.Sites.Where(s => s.Marker.File == File && s.Marker.Rule == "PERF001").ToList();
        Assert.True(sites.Count == 2, $"Expected the two PERF001 markers of {File}, found {sites.Count}.{run.Describe()}");
        var notFixed = sites.Where(s => !run.Fixed.Contains(s)).ToList();
        Assert.True(notFixed.Count == 0, $"Still reported in {File}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", notFixed)}{run.Describe()}");
        Assert.True(run.After[File].Contains(".Include(p => p.Author)", StringComparison.Ordinal), $"Expected .Include(p => p.Author) in {File}.{run.Describe()}");
        var otherFiles = run.After.Where(f => f.Key != File && f.Value != run.Before[f.Key]).Select(f => f.Key).ToList();
        Assert.True(otherFiles.Count == 0, $"--include {File} changed other files: {string.Join(", ", otherFiles)}{run.Describe()}");
    }

    private FormatRun Format(string name, string? include)
    {
        var copy = SampleAppCopy.Create(_e2e, name);
        var restore = copy.Restore();
        Assert.True(restore.Succeeded, "Restoring the sample copy failed." + Environment.NewLine + restore.Describe());

        var before = copy.ReadSources();
        var markers = copy.Markers("PERF001", "PERF004").Where(m => include is null || m.File == include).ToList();
        var reportDirectory = Path.Combine(copy.Root, "format-report");
        var args = new List<string>
        {
            "format", "analyzers", copy.ProjectPath, "--diagnostics", "PERF001", "PERF004", "--severity", "info",
            "--no-restore", "--report", reportDirectory, "-v", "normal",
        };
        if (include is not null)
        {
            args.AddRange(new[] { "--include", "SampleApp/" + include });
        }

        var format = DotnetCli.Run(copy.Root, EndToEndFixture.BuildTimeout, args.ToArray());
        Assert.True(format.Succeeded, "`dotnet format analyzers` failed." + Environment.NewLine + format.Describe());

        var after = copy.ReadSources();
        var build = copy.Build(name);
        var run = new FormatRun(copy, markers, include, ReadReport(copy, Path.Combine(reportDirectory, "format-report.json")), format, build, before, after);
        _output.WriteLine(run.Summary());
        return run;
    }

    /// <summary>dotnet format's --report: every diagnostic it found before fixing (file, line, id, message).</summary>
    private static List<(string File, int Line, string Id, string Message)> ReadReport(SampleAppCopy copy, string path)
    {
        var found = new List<(string, int, string, string)>();
        if (!File.Exists(path))
        {
            return found;
        }

        using var report = JsonDocument.Parse(File.ReadAllText(path));
        foreach (var document in report.RootElement.EnumerateArray())
        {
            var file = copy.Relative(document.GetProperty("FilePath").GetString()!);
            foreach (var change in document.GetProperty("FileChanges").EnumerateArray())
            {
                var id = change.GetProperty("DiagnosticId").GetString()!;
                var description = change.GetProperty("FormatDescription").GetString()!;
                var prefix = description.IndexOf(id + ": ", StringComparison.Ordinal);
                found.Add((file, change.GetProperty("LineNumber").GetInt32(), id, prefix < 0 ? description : description.Substring(prefix + id.Length + 2)));
            }
        }

        return found;
    }
}

/// <summary>A marker site and what identifies it across the rewrite: file, rule, message up to the first ';'.</summary>
internal sealed record FormatSite(SourceMarker Marker, string Key)
{
    public static string KeyOf(string file, string id, string message)
    {
        var semicolon = message.IndexOf(';');
        return $"{file} {id} {(semicolon < 0 ? message : message.Substring(0, semicolon)).Trim()}";
    }

    public override string ToString() => Marker.ToString();
}

/// <summary>One <c>dotnet format analyzers</c> run on a sample copy and the build after it.</summary>
internal sealed class FormatRun
{
    public FormatRun(
        SampleAppCopy copy,
        IReadOnlyList<SourceMarker> markers,
        string? onlyFile,
        IReadOnlyList<(string File, int Line, string Id, string Message)> report,
        ProcessResult format,
        BuildResult build,
        SortedDictionary<string, string> before,
        SortedDictionary<string, string> after)
    {
        Format = format;
        Build = build;
        Before = before;
        After = after;
        Report = report;

        // Every marker must have been seen by dotnet format, or the fix could not have run there.
        Unmatched = markers.Where(m => !report.Any(r => r.File == m.File && r.Line == m.Line && r.Id == m.Rule)).ToList();
        Sites = markers
            .Select(m => report.Where(r => r.File == m.File && r.Line == m.Line && r.Id == m.Rule).Select(r => new FormatSite(m, FormatSite.KeyOf(r.File, r.Id, r.Message))).FirstOrDefault())
            .OfType<FormatSite>()
            .ToList();

        // With --include, dotnet format sees (and fixes) only that file: the build's other diagnostics are out of scope.
        var afterKeys = build.Diagnostics
            .Where(d => d.Id is "PERF001" or "PERF004")
            .Where(d => onlyFile is null || copy.Relative(d.File) == onlyFile)
            .Select(d => (Diagnostic: d, Key: FormatSite.KeyOf(copy.Relative(d.File), d.Id, d.Message)))
            .ToList();
        Fixed = Sites.Where(s => afterKeys.All(a => a.Key != s.Key)).ToList();
        Remaining = Sites.Except(Fixed).ToList();
        var beforeKeys = report.Select(r => FormatSite.KeyOf(r.File, r.Id, r.Message)).ToHashSet();
        New = afterKeys.Where(a => !beforeKeys.Contains(a.Key)).Select(a => a.Diagnostic.ToString()).Distinct().ToList();
    }

    public ProcessResult Format { get; }

    public BuildResult Build { get; }

    public SortedDictionary<string, string> Before { get; }

    public SortedDictionary<string, string> After { get; }

    public IReadOnlyList<(string File, int Line, string Id, string Message)> Report { get; }

    public List<SourceMarker> Unmatched { get; }

    public List<FormatSite> Sites { get; }

    public List<FormatSite> Fixed { get; }

    public List<FormatSite> Remaining { get; }

    /// <summary>PERF001/PERF004 reported after the fix that dotnet format did not see before it.</summary>
    public List<string> New { get; }

    public void AssertCompiles()
    {
        Assert.True(Unmatched.Count == 0,
            $"dotnet format did not report these markers (so it could not fix them):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", Unmatched)}{Describe()}");
        var errors = Build.Diagnostics.Where(d => d.Severity == "error").ToList();
        Assert.True(Build.Succeeded && errors.Count == 0,
            $"The sample does not compile after `dotnet format analyzers` ({errors.Count} errors):{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", errors)}{Describe()}");
    }

    /// <summary>Fixed and remaining sites, changed files and timings: written to the test output.</summary>
    public string Summary()
    {
        var nl = Environment.NewLine;
        return $"dotnet format {Format.Elapsed.TotalSeconds:F1}s, build {Build.Process.Elapsed.TotalSeconds:F1}s (exit {Build.Process.ExitCode}, "
            + $"{Build.Diagnostics.Count(d => d.Severity == "error")} errors){nl}"
            + "fixed: " + (Fixed.Count == 0 ? "none" : string.Join(nl + "       ", Fixed)) + nl
            + "still reported: " + (Remaining.Count == 0 ? "none" : string.Join(nl + "                ", Remaining)) + nl
            + "new: " + (New.Count == 0 ? "none" : string.Join(nl + "     ", New)) + nl
            + "changed files: " + string.Join(", ", After.Where(f => !Before.TryGetValue(f.Key, out var old) || old != f.Value).Select(f => f.Key));
    }

    public string Describe()
    {
        var nl = Environment.NewLine;
        var diff = string.Join(nl, After.Where(f => !Before.TryGetValue(f.Key, out var old) || old != f.Value)
            .Select(f => TextDiff.Unified(f.Key, Before.GetValueOrDefault(f.Key, ""), f.Value)));
        return nl + "----- sites -----" + nl
            + "fixed: " + (Fixed.Count == 0 ? "none" : string.Join(nl + "       ", Fixed)) + nl
            + "still reported: " + (Remaining.Count == 0 ? "none" : string.Join(nl + "                ", Remaining)) + nl
            + "new: " + (New.Count == 0 ? "none" : string.Join(nl + "     ", New)) + nl
            + "dotnet format's report (before fixing): " + string.Join("; ", Report.Select(r => $"{r.File}:{r.Line} {r.Id}")) + nl
            + "----- diff -----" + nl + (diff.Length == 0 ? "(no file changed)" : diff) + nl
            + Format.Describe() + nl
            + Build.Describe();
    }
}
