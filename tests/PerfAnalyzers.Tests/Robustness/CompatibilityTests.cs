using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using Xunit;
using Xunit.Abstractions;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Robustness issue, part 5: the shipped assemblies load in every supported host. Analyzer hosts (the .NET 8
/// SDK, VS 2022 17.8+) provide Roslyn 4.8, so no assembly may reference a newer Microsoft.CodeAnalysis, and
/// the analyzer assembly must not reference Workspaces at all (command-line builds do not load it).
/// </summary>
[Collection(RobustnessCollection.Name)]
public sealed class CompatibilityTests
{
    private static readonly Version MaxRoslyn = new(4, 8, 0, 0);

    private readonly ITestOutputHelper _output;

    public CompatibilityTests(ITestOutputHelper output) => _output = output;

    public static IEnumerable<object[]> ShippedAssemblies()
    {
        yield return new object[] { "PerfAnalyzers" };
        yield return new object[] { "PerfAnalyzers.CodeFixes" };
    }

    [Theory]
    [MemberData(nameof(ShippedAssemblies))]
    public void RoslynReferences_AreAtMost_4_8(string assemblyName)
    {
        var references = ReadReferences(assemblyName);
        foreach (var (name, version) in references)
        {
            _output.WriteLine($"{assemblyName} -> {name} {version}");
        }

        var roslyn = references.Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(roslyn);
        var tooNew = roslyn.Where(r => r.Version > MaxRoslyn).Select(r => $"{r.Name} {r.Version}").ToList();
        Assert.True(tooNew.Count == 0, $"{assemblyName} references Roslyn newer than {MaxRoslyn}: {string.Join(", ", tooNew)}");
    }

    [Fact]
    public void AnalyzerAssembly_DoesNotReferenceWorkspaces()
    {
        var workspaces = ReadReferences("PerfAnalyzers").Where(r => r.Name.StartsWith("Microsoft.CodeAnalysis", StringComparison.Ordinal) && r.Name.EndsWith(".Workspaces", StringComparison.Ordinal)).ToList();
        Assert.True(workspaces.Count == 0, "PerfAnalyzers.dll references " + string.Join(", ", workspaces.Select(r => r.Name)));
    }

    [Fact]
    public void DiscoveredRules_AreConsistent()
    {
        // The reflection the rest of the suite relies on finds the shipped rules, and every fix has its analyzer.
        Assert.NotEmpty(ShippedRules.AnalyzerTypes);
        Assert.NotEmpty(ShippedRules.CodeFixProviderTypes);
        var supported = ShippedRules.CreateAnalyzers().SelectMany(a => a.SupportedDiagnostics).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var provider in ShippedRules.CreateCodeFixProviders())
        {
            _output.WriteLine($"{provider.GetType().FullName}: {string.Join(", ", provider.FixableDiagnosticIds)}");
            Assert.All(provider.FixableDiagnosticIds, id => Assert.Contains(id, supported));
        }

        foreach (var analyzer in ShippedRules.AnalyzerTypes)
        {
            _output.WriteLine(analyzer.FullName);
        }
    }

    [Fact]
    public void SampleAppGlobalUsings_MatchWhatTheWebSdkGenerates()
    {
        // Only checkable once the sample app has been built (CI builds the solution before testing).
        var generated = Directory.Exists(Path.Combine(RobustnessEnvironment.RepoRoot, "tests", "SampleApp", "obj"))
            ? Directory.EnumerateFiles(Path.Combine(RobustnessEnvironment.RepoRoot, "tests", "SampleApp", "obj"), "SampleApp.GlobalUsings.g.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (generated is null)
        {
            _output.WriteLine("tests/SampleApp has not been built: nothing to compare with");
            return;
        }

        static List<string> Usings(string text) => text.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.StartsWith("global using ", StringComparison.Ordinal))
            .Select(l => l.Replace("global::", "", StringComparison.Ordinal))
            .OrderBy(l => l, StringComparer.Ordinal)
            .ToList();

        Assert.Equal(Usings(File.ReadAllText(generated)), Usings(RobustnessEnvironment.WebSdkGlobalUsings));
    }

    private static List<(string Name, Version Version)> ReadReferences(string assemblyName)
    {
        var assembly = assemblyName == "PerfAnalyzers" ? ShippedRules.AnalyzerAssembly : ShippedRules.CodeFixAssembly;
        var path = assembly.Location;
        Assert.True(File.Exists(path), $"{assemblyName}.dll not found at '{path}'");
        using var stream = File.OpenRead(path);
        using var pe = new PEReader(stream);
        var metadata = pe.GetMetadataReader();
        return metadata.AssemblyReferences
            .Select(handle => metadata.GetAssemblyReference(handle))
            .Select(reference => (metadata.GetString(reference.Name), reference.Version))
            .OrderBy(r => r.Item1, StringComparer.Ordinal)
            .ToList();
    }
}
