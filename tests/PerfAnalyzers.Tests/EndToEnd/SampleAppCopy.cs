using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>A line of the sample that ends in <c>// PERF00n</c>: that rule must be reported there.</summary>
/// <param name="File">Path relative to the sample project folder, with '/' separators.</param>
/// <param name="Line">1-based.</param>
public sealed record SourceMarker(string File, int Line, string Rule, string Text)
{
    public override string ToString() => $"{File}:{Line} {Rule}  {Text.Trim()}";
}

/// <summary>
/// A copy of tests/SampleApp under the run's gitignored folder (tests/.e2e/run-*/&lt;name&gt;/SampleApp), consuming
/// the freshly packed PerfAnalyzers package instead of the source projects: the two ProjectReferences with
/// OutputItemType="Analyzer" become <c>PackageReference PerfAnalyzers</c> (the fixture's unique version, from
/// tests/LocalFeed), and the centrally managed versions of the sample's other packages are written into the copy.
/// The copy gets its own Directory.Build.props/.targets, Directory.Packages.props and a root .editorconfig, so it
/// builds like a user's project. It is deleted with the run folder when the fixture is disposed.
/// </summary>
internal sealed class SampleAppCopy
{
    private static readonly string[] SkippedFolders = { "bin", "obj" };
    private static readonly string[] SkippedExtensions = { ".db", ".db-shm", ".db-wal" };
    private static readonly Regex Marker = new(@"//\s*(?<rule>PERF\d{3})\s*$", RegexOptions.CultureInvariant);

    private SampleAppCopy(string root)
    {
        Root = root;
        ProjectDirectory = Path.Combine(root, "SampleApp");
    }

    /// <summary>The folder that holds the copy and its isolation files (a language server's workspace root).</summary>
    public string Root { get; }

    public string ProjectDirectory { get; }

    public string ProjectPath => Path.Combine(ProjectDirectory, "SampleApp.csproj");

    public static SampleAppCopy Create(EndToEndFixture e2e, string name)
    {
        var package = e2e.Package; // packs on first use
        var copy = new SampleAppCopy(Path.Combine(e2e.RunDirectory, name));
        if (Directory.Exists(copy.Root))
        {
            Directory.Delete(copy.Root, recursive: true);
        }

        CopyTree(Path.Combine(e2e.RepoRoot, "tests", "SampleApp"), copy.ProjectDirectory);

        const string Isolation = """
<Project>
  <!-- Written by the PerfAnalyzers end-to-end tests: the sample copy sees no repo build settings. -->
  <PropertyGroup>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
</Project>
""";
        File.WriteAllText(Path.Combine(copy.Root, "Directory.Build.props"), Isolation);
        File.WriteAllText(Path.Combine(copy.Root, "Directory.Packages.props"), Isolation);
        File.WriteAllText(Path.Combine(copy.Root, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(copy.Root, ".editorconfig"), "root = true\n");

        var project = XDocument.Load(copy.ProjectPath, LoadOptions.PreserveWhitespace);
        var versions = CentralPackageVersions(e2e.RepoRoot);
        foreach (var reference in project.Descendants("ProjectReference").ToList())
        {
            if (((string?)reference.Attribute("Include") ?? "").Contains("PerfAnalyzers", StringComparison.Ordinal))
            {
                reference.Remove();
            }
        }

        foreach (var group in project.Descendants("ItemGroup").Where(g => !g.Elements().Any()).ToList())
        {
            group.Remove();
        }

        foreach (var reference in project.Descendants("PackageReference").Where(r => r.Attribute("Version") is null))
        {
            var id = (string)reference.Attribute("Include")!;
            if (!versions.TryGetValue(id, out var version))
            {
                throw new InvalidOperationException($"The sample references {id}, which has no PackageVersion in Directory.Packages.props.");
            }

            reference.SetAttributeValue("Version", version);
        }

        project.Root!.Add(new XElement("ItemGroup",
            new XElement("PackageReference",
                new XAttribute("Include", "PerfAnalyzers"),
                new XAttribute("Version", package.Version),
                new XAttribute("PrivateAssets", "all"))));
        project.Save(copy.ProjectPath);
        return copy;
    }

    public ProcessResult Restore()
        => DotnetCli.Run(Root, EndToEndFixture.RestoreTimeout, "restore", ProjectPath, "-nodeReuse:false", "-tl:off");

    /// <summary>Builds without a compiler server (nothing is left running) and parses the diagnostics.</summary>
    public BuildResult Build(string name)
    {
        var process = DotnetCli.Run(Root, EndToEndFixture.BuildTimeout,
            "build", ProjectPath, "--no-restore", "-nodeReuse:false", "-tl:off", "-v:minimal", "-p:UseSharedCompilation=false");
        return new BuildResult(name, process, Array.Empty<string>(), depsJson: null);
    }

    /// <summary>Every C# file of the copy: path relative to the project folder ('/' separators) → text.</summary>
    public SortedDictionary<string, string> ReadSources()
    {
        var sources = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(ProjectDirectory, "*.cs", SearchOption.AllDirectories))
        {
            var relative = Relative(file);
            if (!SkippedFolders.Any(f => relative.StartsWith(f + "/", StringComparison.Ordinal)))
            {
                sources[relative] = File.ReadAllText(file);
            }
        }

        return sources;
    }

    /// <summary>The <c>// PERFnnn</c> markers of the copy's sources, of the given rules or (none given) of every rule (the markers are authoritative, EXPECTED.md a snapshot).</summary>
    public List<SourceMarker> Markers(params string[] rules)
        => ReadSources()
            .SelectMany(source => source.Value.Replace("\r\n", "\n").Split('\n').Select((text, index) => (source.Key, Line: index + 1, Text: text)))
            .Select(l => (l.Key, l.Line, l.Text, Match: Marker.Match(l.Text)))
            .Where(l => l.Match.Success && (rules.Length == 0 || rules.Contains(l.Match.Groups["rule"].Value)))
            .Select(l => new SourceMarker(l.Key, l.Line, l.Match.Groups["rule"].Value, l.Text))
            .ToList();

    /// <summary>A path inside the copy (absolute, or as MSBuild prints it) relative to the project folder, '/' separators.</summary>
    public string Relative(string path) => Path.GetRelativePath(ProjectDirectory, path).Replace('\\', '/');

    private static Dictionary<string, string> CentralPackageVersions(string repoRoot)
    {
        var props = XDocument.Load(Path.Combine(repoRoot, "Directory.Packages.props"));
        var properties = props.Descendants("PropertyGroup").Elements().ToDictionary(e => e.Name.LocalName, e => e.Value.Trim());
        return props.Descendants("PackageVersion").ToDictionary(
            e => (string)e.Attribute("Include")!,
            e => Regex.Replace((string)e.Attribute("Version")!, @"\$\((?<name>\w+)\)", m => properties[m.Groups["name"].Value]));
    }

    private static void CopyTree(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (var file in Directory.EnumerateFiles(from))
        {
            if (!SkippedExtensions.Any(e => file.EndsWith(e, StringComparison.OrdinalIgnoreCase)))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }
        }

        foreach (var dir in Directory.EnumerateDirectories(from))
        {
            if (!SkippedFolders.Contains(Path.GetFileName(dir), StringComparer.OrdinalIgnoreCase))
            {
                CopyTree(dir, Path.Combine(to, Path.GetFileName(dir)));
            }
        }
    }
}

/// <summary>A line diff (longest common subsequence) for assertion messages: which lines a code fix changed.</summary>
internal static class TextDiff
{
    public static string Unified(string path, string before, string after, int context = 2)
    {
        var a = before.Replace("\r\n", "\n").Split('\n');
        var b = after.Replace("\r\n", "\n").Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }

        // (kind, old line number or 0, text): ' ' kept, '-' removed, '+' added.
        var lines = new List<(char Kind, int OldLine, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', x + 1, a[x]));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', x + 1, a[x++]));
            }
            else
            {
                lines.Add(('+', 0, b[y++]));
            }
        }

        var output = new StringBuilder();
        output.Append("--- a/").Append(path).Append('\n').Append("+++ b/").Append(path).Append('\n');
        var shown = -1;
        for (var k = 0; k < lines.Count; k++)
        {
            if (lines[k].Kind == ' ')
            {
                continue;
            }

            var start = Math.Max(Math.Max(0, k - context), shown + 1);
            if (start > shown + 1)
            {
                var oldLine = lines.Skip(start).Select(l => l.OldLine).FirstOrDefault(n => n > 0);
                output.Append("@@ line ").Append(oldLine).Append(" @@\n");
            }

            var end = k;
            while (end + 1 < lines.Count && (lines[end + 1].Kind != ' ' || Enumerable.Range(end + 1, Math.Min(2 * context, lines.Count - end - 1)).Any(n => lines[n].Kind != ' ')))
            {
                end++;
            }

            end = Math.Min(lines.Count - 1, end + context);
            for (var n = start; n <= end; n++)
            {
                output.Append(lines[n].Kind).Append(lines[n].Text).Append('\n');
            }

            shown = end;
            k = end;
        }

        return output.ToString();
    }
}
