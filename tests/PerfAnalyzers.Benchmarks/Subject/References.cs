using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Benchmarks.Subject;

/// <summary>
/// What the generated application compiles against, like a real build: the .NET and ASP.NET Core reference packs of
/// the running SDK (falling back to the shared-framework implementation assemblies when a pack is missing), plus the
/// real EF Core, Dapper and Npgsql assemblies this project's package references copy to its output. The same idea as
/// tests/PerfAnalyzers.Tests/Infrastructure/ReferenceSet.cs, without the test project's dependencies.
/// </summary>
public static class References
{
    private static readonly string[] PackageAssemblyPrefixes =
    {
        "Microsoft.EntityFrameworkCore",
        "Microsoft.Data.Sqlite",
        "Dapper",
        "Npgsql",
    };

    private static readonly Lazy<(ImmutableArray<MetadataReference> References, string Description)> Loaded = new(Load);

    public static ImmutableArray<MetadataReference> All => Loaded.Value.References;

    /// <summary>Where the references came from, for the report.</summary>
    public static string Description => Loaded.Value.Description;

    private static (ImmutableArray<MetadataReference>, string) Load()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var sources = new List<string>();

        var runtimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var aspNetDirectory = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Mvc.ControllerBase).Assembly.Location)!;
        var dotnetRoot = Path.GetFullPath(Path.Combine(runtimeDirectory, "..", "..", ".."));

        foreach (var (pack, fallback) in new[] { ("Microsoft.NETCore.App.Ref", runtimeDirectory), ("Microsoft.AspNetCore.App.Ref", aspNetDirectory) })
        {
            var directory = FindReferencePack(dotnetRoot, pack) ?? fallback;
            sources.Add(directory);
            foreach (var file in Directory.GetFiles(directory, "*.dll"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                if (!byName.ContainsKey(name) && IsManagedAssembly(file))
                {
                    byName[name] = file;
                }
            }
        }

        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (PackageAssemblyPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) && !byName.ContainsKey(name))
            {
                byName[name] = file;
            }
        }

        sources.Add(AppContext.BaseDirectory + " (" + string.Join(", ", PackageAssemblyPrefixes) + "*)");
        var references = byName.Values
            .OrderBy(p => p, StringComparer.Ordinal)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToImmutableArray();
        return (references, references.Length + " assemblies from " + string.Join("; ", sources));
    }

    /// <summary>dotnet/packs/NAME/VERSION/ref/net10.0, newest version first; null when the SDK has no such pack.</summary>
    private static string? FindReferencePack(string dotnetRoot, string pack)
    {
        var packDirectory = Path.Combine(dotnetRoot, "packs", pack);
        if (!Directory.Exists(packDirectory))
        {
            return null;
        }

        var runtimeMajor = Environment.Version.Major;
        return Directory.GetDirectories(packDirectory)
            .Select(d => (Directory: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(d => d.Version is not null && d.Version.Major == runtimeMajor)
            .OrderByDescending(d => d.Version)
            .Select(d => Path.Combine(d.Directory, "ref", "net" + runtimeMajor + ".0"))
            .FirstOrDefault(Directory.Exists);
    }

    private static bool IsManagedAssembly(string path)
    {
        try
        {
            System.Reflection.AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
