using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Xml.Linq;
using Xunit;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>The .nupkg produced by <c>dotnet pack</c> of src/PerfAnalyzers.Package: layout, nuspec, and the Roslyn it needs.</summary>
[Collection(EndToEndCollection.Name)]
[Trait("Category", "EndToEnd")]
public sealed class PackageContentTests
{
    private const string AnalyzerFolder = "analyzers/dotnet/cs/";

    /// <summary>The analyzer host contract (Directory.Packages.props): loads in the .NET 8 SDK and VS 2022 17.8+.</summary>
    private static readonly Version MaxRoslyn = new(4, 8, 0, 0);

    private readonly EndToEndFixture _e2e;

    public PackageContentTests(EndToEndFixture e2e) => _e2e = e2e;

    [Fact]
    public void Nupkg_HasBothAssembliesUnderAnalyzersDotnetCs_AndNothingUnderLib()
    {
        var entries = Entries();
        var listing = $"{Environment.NewLine}Package entries:{Environment.NewLine}{string.Join(Environment.NewLine, entries)}";

        Assert.True(entries.Contains(AnalyzerFolder + "PerfAnalyzers.dll"), $"Missing {AnalyzerFolder}PerfAnalyzers.dll." + listing);
        Assert.True(entries.Contains(AnalyzerFolder + "PerfAnalyzers.CodeFixes.dll"), $"Missing {AnalyzerFolder}PerfAnalyzers.CodeFixes.dll." + listing);
        Assert.True(!entries.Any(e => e.StartsWith("lib/", StringComparison.OrdinalIgnoreCase)), "The package has lib/ content: consumers would reference it at run time." + listing);
        Assert.True(!entries.Any(e => e.StartsWith("ref/", StringComparison.OrdinalIgnoreCase)), "The package has ref/ content." + listing);
        Assert.True(
            entries.Where(e => e.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).All(e => e.StartsWith(AnalyzerFolder, StringComparison.Ordinal)),
            $"Assemblies outside {AnalyzerFolder}." + listing);
    }

    [Fact]
    public void Nuspec_IsADevelopmentDependencyWithLicenseReadmeAndTags_AndNoDependencies()
    {
        var nuspecText = ReadNuspec();
        var metadata = XDocument.Parse(nuspecText).Root!.Elements().Single(e => e.Name.LocalName == "metadata");
        string? Value(string name) => metadata.Elements().SingleOrDefault(e => e.Name.LocalName == name)?.Value.Trim();
        var context = $"{Environment.NewLine}nuspec:{Environment.NewLine}{nuspecText}";

        Assert.True(Value("id") == "PerfAnalyzers", "Unexpected package id." + context);
        Assert.True(Value("version") == _e2e.PackageVersion, "The nuspec version is not the packed version." + context);
        Assert.True(Value("developmentDependency") == "true", "<developmentDependency>true</developmentDependency> is missing." + context);

        var license = metadata.Elements().SingleOrDefault(e => e.Name.LocalName == "license");
        Assert.True(
            license is not null && (string?)license.Attribute("type") == "expression" && license.Value.Trim() == "MIT",
            "Expected <license type=\"expression\">MIT</license>." + context);

        var readme = Value("readme");
        Assert.True(!string.IsNullOrEmpty(readme), "<readme> is missing." + context);
        Assert.True(Entries().Contains(readme!.Replace('\\', '/')), $"The readme '{readme}' is not in the package.");

        var tags = (Value("tags") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        foreach (var tag in new[] { "analyzers", "roslyn", "performance" })
        {
            Assert.True(tags.Contains(tag), $"Tag '{tag}' is missing." + context);
        }

        Assert.True(!string.IsNullOrEmpty(Value("description")), "<description> is missing." + context);
        var dependencies = metadata.Elements().Where(e => e.Name.LocalName == "dependencies").SelectMany(d => d.Descendants())
            .Where(e => e.Name.LocalName == "dependency").ToList();
        Assert.True(dependencies.Count == 0, "An analyzer package must not declare dependencies: consumers would restore them." + context);
    }

    [Theory]
    [InlineData("PerfAnalyzers.dll")]
    [InlineData("PerfAnalyzers.CodeFixes.dll")]
    public void AnalyzerAssembly_TargetsNetStandard20_AndReferencesRoslynAtMost480(string assembly)
    {
        var references = AssemblyReferences(AnalyzerFolder + assembly);
        var listing = $"{Environment.NewLine}{assembly} references:{Environment.NewLine}{string.Join(Environment.NewLine, references.Select(r => $"{r.Name} {r.Version}"))}";

        Assert.True(references.Any(r => r.Name == "netstandard" && r.Version == new Version(2, 0, 0, 0)), "Expected a netstandard 2.0.0.0 reference (analyzers must target netstandard2.0)." + listing);
        Assert.True(references.Any(r => r.Name == "Microsoft.CodeAnalysis"), "No reference to Microsoft.CodeAnalysis." + listing);
        foreach (var roslyn in references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)))
        {
            Assert.True(roslyn.Version <= MaxRoslyn, $"{assembly} references {roslyn.Name} {roslyn.Version}, newer than {MaxRoslyn}: older compilers will not load it." + listing);
        }

        if (assembly == "PerfAnalyzers.dll")
        {
            // Command-line builds do not load Workspaces; the analyzers would fail to load there (RS1038).
            Assert.True(!references.Any(r => r.Name.StartsWith("Microsoft.CodeAnalysis.Workspaces", StringComparison.Ordinal) || r.Name == "Microsoft.CodeAnalysis.CSharp.Workspaces"),
                "The analyzer assembly references Workspaces." + listing);
        }
    }

    private List<string> Entries()
    {
        using var zip = ZipFile.OpenRead(_e2e.Package.Path);
        return zip.Entries.Select(e => e.FullName).ToList();
    }

    private string ReadNuspec()
    {
        using var zip = ZipFile.OpenRead(_e2e.Package.Path);
        var nuspec = zip.Entries.Where(e => !e.FullName.Contains('/') && e.FullName.EndsWith(".nuspec", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(nuspec.Count == 1, $"Expected one .nuspec at the package root, found {nuspec.Count}.");
        using var reader = new StreamReader(nuspec[0].Open());
        return reader.ReadToEnd();
    }

    private List<(string Name, Version Version)> AssemblyReferences(string entryName)
    {
        using var zip = ZipFile.OpenRead(_e2e.Package.Path);
        var entry = zip.GetEntry(entryName);
        Assert.True(entry is not null, $"{entryName} is not in {_e2e.Package.Path}.");

        var bytes = new MemoryStream();
        using (var stream = entry!.Open())
        {
            stream.CopyTo(bytes);
        }

        bytes.Position = 0;
        using var pe = new PEReader(bytes);
        var reader = pe.GetMetadataReader();
        return reader.AssemblyReferences
            .Select(h => reader.GetAssemblyReference(h))
            .Select(r => (reader.GetString(r.Name), r.Version))
            .ToList();
    }
}
