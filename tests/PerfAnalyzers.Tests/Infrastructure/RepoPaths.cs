using System;
using System.IO;

namespace PerfAnalyzers.Tests.Infrastructure;

public static class RepoPaths
{
    /// <summary>The repository root: the folder holding PerfAnalyzers.sln, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(params string[] parts) => Path.Combine(Root, Path.Combine(parts));

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "PerfAnalyzers.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("PerfAnalyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
