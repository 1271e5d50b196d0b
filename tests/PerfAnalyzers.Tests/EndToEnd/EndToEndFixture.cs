using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Xunit;

namespace PerfAnalyzers.Tests.EndToEnd;

[CollectionDefinition(Name)]
public sealed class EndToEndCollection : ICollectionFixture<EndToEndFixture>
{
    public const string Name = "EndToEnd";
}

/// <summary>
/// Shared by every end-to-end test (one per test run): packs the real PerfAnalyzers package once under a unique
/// version into tests/LocalFeed, creates one consumer class library and one downstream project under the gitignored
/// tests/.e2e/run-*, installs the package with <c>dotnet add package</c> and restores once. Builds then vary only
/// files and command-line properties, always with <c>--no-restore --no-incremental</c> (a property change alone would
/// leave CoreCompile up to date and the warnings unreported).
/// </summary>
/// <remarks>
/// Environment: PERFANALYZERS_E2E_SHARED_COMPILATION=0 builds without a compiler server (slower);
/// PERFANALYZERS_E2E_KEEP=1 keeps the consumer folder and the package after the run for inspection.
/// </remarks>
public sealed class EndToEndFixture : IDisposable
{
    public static readonly TimeSpan RestoreTimeout = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan StaleAfter = TimeSpan.FromHours(6);

    private readonly Lazy<PackedPackage> _package;
    private readonly Lazy<ConsumerSetup> _consumer;
    private readonly Dictionary<string, BuildResult> _builds = new();
    private readonly object _buildLock = new();
    private readonly bool _sharedCompilation;
    private readonly string _sharedCompilationId;
    private bool _serverStarted;

    public EndToEndFixture()
    {
        RepoRoot = FindRepoRoot();
        var unique = DateTime.UtcNow.ToString("yyyyMMddHHmmss") + ".r" + Guid.NewGuid().ToString("N").Substring(0, 8);
        PackageVersion = "0.1.0-e2e." + unique;
        WorkRoot = Path.Combine(RepoRoot, "tests", ".e2e");
        RunDirectory = Path.Combine(WorkRoot, "run-" + unique);
        ConsumerDirectory = Path.Combine(RunDirectory, "consumer");
        DownstreamDirectory = Path.Combine(RunDirectory, "downstream");
        LocalFeed = Path.Combine(RepoRoot, "tests", "LocalFeed");

        _sharedCompilation = Environment.GetEnvironmentVariable("PERFANALYZERS_E2E_SHARED_COMPILATION") is not ("0" or "false");
        _sharedCompilationId = "perfanalyzers-e2e-" + Guid.NewGuid().ToString("N").Substring(0, 12);

        _package = new Lazy<PackedPackage>(Pack);
        _consumer = new Lazy<ConsumerSetup>(CreateConsumer);
        PruneStaleRuns();
    }

    public string RepoRoot { get; }

    public string PackageVersion { get; }

    public string WorkRoot { get; }

    public string RunDirectory { get; }

    public string ConsumerDirectory { get; }

    public string DownstreamDirectory { get; }

    public string LocalFeed { get; }

    public string ConsumerProjectPath => Path.Combine(ConsumerDirectory, "Consumer.csproj");

    public string DownstreamProjectPath => Path.Combine(DownstreamDirectory, "Downstream.csproj");

    /// <summary>The packed .nupkg (packs on first use; a failed pack fails every dependent test with its output).</summary>
    public PackedPackage Package => _package.Value;

    /// <summary>The restored consumer and downstream projects (created on first use).</summary>
    public ConsumerSetup Consumer => _consumer.Value;

    /// <summary>
    /// The consumer as shipped (<see cref="ConsumerSources.Baseline"/>), default properties, with a SARIF 2.1 error log
    /// written to <see cref="BaselineSarifPath"/>. Built once; shared by the tests that only read its results.
    /// </summary>
    public BuildResult Baseline => Cached("baseline", () => BuildConsumer(
        "baseline", ConsumerSources.Baseline, editorConfig: null, "-p:ErrorLog=" + BaselineSarifPath + "%2Cversion=2.1"));

    public string BaselineSarifPath => Path.Combine(RunDirectory, "baseline.sarif");

    /// <summary>Every suppression removed (<see cref="ConsumerSources.Control"/>): proves each suppressed N+1 is a real N+1.</summary>
    public BuildResult Control => Cached("control", () => BuildConsumer("control", ConsumerSources.Control, editorConfig: null));

    /// <summary>Builds the downstream project (and, through its ProjectReference, the baseline consumer).</summary>
    public BuildResult Downstream => Cached("downstream", () =>
    {
        _ = Consumer;
        WriteConsumerFiles(ConsumerSources.Baseline, editorConfig: null);
        return Build("downstream", DownstreamProjectPath);
    });

    /// <summary>
    /// Rewrites the consumer's sources and .editorconfig, then rebuilds it with <paramref name="msbuildArgs"/> added to
    /// the command line. <paramref name="editorConfig"/> is the body under <c>[*.cs]</c>; null writes an empty section.
    /// </summary>
    public BuildResult BuildConsumer(string name, IReadOnlyList<SourceFile> sources, string? editorConfig, params string[] msbuildArgs)
    {
        lock (_buildLock)
        {
            _ = Consumer; // creates and restores the projects on first use
            WriteConsumerFiles(sources, editorConfig);
            return Build(name, ConsumerProjectPath, msbuildArgs);
        }
    }

    public void Dispose()
    {
        var keep = Environment.GetEnvironmentVariable("PERFANALYZERS_E2E_KEEP") is "1" or "true";
        ShutDownCompilerServer();
        WriteTimings();
        if (keep)
        {
            return;
        }

        TryDelete(() => Directory.Delete(RunDirectory, recursive: true), RunDirectory);
        var nupkg = Path.Combine(LocalFeed, $"PerfAnalyzers.{PackageVersion}.nupkg");
        TryDelete(() => File.Delete(nupkg), nupkg);

        // The unique version would otherwise pile up in the global packages folder, one copy per test run.
        var globalPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES");
        if (string.IsNullOrEmpty(globalPackages))
        {
            globalPackages = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        }

        var installed = Path.Combine(globalPackages, "perfanalyzers", PackageVersion.ToLowerInvariant());
        TryDelete(() => Directory.Delete(installed, recursive: true), installed);
    }

    private BuildResult Cached(string key, Func<BuildResult> build)
    {
        lock (_buildLock)
        {
            if (!_builds.TryGetValue(key, out var result))
            {
                result = build();
                _builds[key] = result;
            }

            return result;
        }
    }

    private BuildResult Build(string name, string project, params string[] msbuildArgs)
    {
        var args = new List<string>
        {
            "build", project, "--no-restore", "--no-incremental", "-nodeReuse:false", "-tl:off", "-v:minimal",
        };
        args.AddRange(CompilerServerArgs());
        args.AddRange(msbuildArgs);
        var process = DotnetCli.Run(RunDirectory, BuildTimeout, args.ToArray());

        var bin = Path.Combine(Path.GetDirectoryName(project)!, "bin");
        var outputFiles = Directory.Exists(bin)
            ? Directory.EnumerateFiles(bin, "*", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal).ToList()
            : new List<string>();
        var depsJsonPath = outputFiles.FirstOrDefault(f => Path.GetFileName(f) == Path.GetFileNameWithoutExtension(project) + ".deps.json");
        return new BuildResult(name, process, outputFiles, depsJsonPath is null ? null : File.ReadAllText(depsJsonPath));
    }

    /// <summary>
    /// A compiler server cuts each build from ~3.5s to ~1.5s. It runs on a private pipe so the tests never share (or
    /// shut down) a server other builds on the machine are using; <see cref="Dispose"/> stops it.
    /// </summary>
    private IEnumerable<string> CompilerServerArgs()
    {
        if (!_sharedCompilation)
        {
            return new[] { "-p:UseSharedCompilation=false" };
        }

        _serverStarted = true;
        return new[] { "-p:UseSharedCompilation=true", "-p:SharedCompilationId=" + _sharedCompilationId };
    }

    private PackedPackage Pack()
    {
        Directory.CreateDirectory(LocalFeed);
        var args = new List<string>
        {
            "pack", Path.Combine("src", "PerfAnalyzers.Package", "PerfAnalyzers.Package.csproj"),
            "-c", "Release", "-p:Version=" + PackageVersion, "-o", Path.Combine("tests", "LocalFeed"),
            "-nodeReuse:false", "-tl:off",
        };
        args.AddRange(CompilerServerArgs());
        var result = DotnetCli.Run(RepoRoot, RestoreTimeout, args.ToArray());
        var path = Path.Combine(LocalFeed, $"PerfAnalyzers.{PackageVersion}.nupkg");
        if (!result.Succeeded || !File.Exists(path))
        {
            throw new InvalidOperationException($"Packing PerfAnalyzers failed, or {path} was not created.{Environment.NewLine}{result.Describe()}");
        }

        return new PackedPackage(path, PackageVersion, result);
    }

    private ConsumerSetup CreateConsumer()
    {
        var package = Package;
        WriteWorkRootIsolation();
        Directory.CreateDirectory(ConsumerDirectory);
        Directory.CreateDirectory(DownstreamDirectory);
        File.WriteAllText(ConsumerProjectPath, ConsumerSources.ConsumerProject);
        WriteConsumerFiles(ConsumerSources.Baseline, editorConfig: null);
        File.WriteAllText(DownstreamProjectPath, ConsumerSources.DownstreamProject);
        File.WriteAllText(Path.Combine(DownstreamDirectory, ConsumerSources.Downstream.Name), ConsumerSources.Downstream.Text);

        // The user's gesture: NuGet reads developmentDependency from the nuspec while adding the reference.
        var add = DotnetCli.Run(ConsumerDirectory, RestoreTimeout,
            "add", ConsumerProjectPath, "package", "PerfAnalyzers", "--version", package.Version);
        if (!add.Succeeded)
        {
            throw new InvalidOperationException("`dotnet add package PerfAnalyzers` failed." + Environment.NewLine + add.Describe());
        }

        // `dotnet add package` restores before it edits the project; restore again (consumer and downstream at once).
        var restore = DotnetCli.Run(RunDirectory, RestoreTimeout, "restore", DownstreamProjectPath, "-nodeReuse:false", "-tl:off");
        if (!restore.Succeeded)
        {
            throw new InvalidOperationException("Restoring the consumer projects failed." + Environment.NewLine + restore.Describe());
        }

        return new ConsumerSetup(File.ReadAllText(ConsumerProjectPath), add, restore);
    }

    /// <summary>
    /// tests/.e2e gets its own Directory.Build.props/.targets and Directory.Packages.props, importing nothing: the
    /// consumers see none of the repo's build settings and manage their package versions themselves, like a user's
    /// project. nuget.config is still the repo's (local feed plus the machine's default source).
    /// </summary>
    private void WriteWorkRootIsolation()
    {
        Directory.CreateDirectory(WorkRoot);
        const string NoCentralPackageManagement = """
<Project>
  <!-- Written by the PerfAnalyzers end-to-end tests. Imports nothing: consumer projects here see no repo build settings. -->
  <PropertyGroup>
    <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
  </PropertyGroup>
</Project>
""";
        WriteIfChanged(Path.Combine(WorkRoot, "Directory.Build.props"), NoCentralPackageManagement);
        WriteIfChanged(Path.Combine(WorkRoot, "Directory.Packages.props"), NoCentralPackageManagement);
        WriteIfChanged(Path.Combine(WorkRoot, "Directory.Build.targets"), "<Project />\n");
    }

    private void WriteConsumerFiles(IReadOnlyList<SourceFile> sources, string? editorConfig)
    {
        foreach (var stale in Directory.EnumerateFiles(ConsumerDirectory, "*.cs", SearchOption.TopDirectoryOnly))
        {
            if (!sources.Any(s => string.Equals(s.Name, Path.GetFileName(stale), StringComparison.Ordinal)))
            {
                File.Delete(stale);
            }
        }

        foreach (var source in sources)
        {
            WriteIfChanged(Path.Combine(ConsumerDirectory, source.Name), source.Text);
        }

        // root = true: the repo's own .editorconfig does not reach the consumer.
        WriteIfChanged(Path.Combine(ConsumerDirectory, ".editorconfig"), "root = true\n\n[*.cs]\n" + (editorConfig ?? string.Empty) + "\n");
    }

    private void ShutDownCompilerServer()
    {
        if (!_serverStarted)
        {
            return;
        }

        try
        {
            // VBCSCompiler of the SDK the builds used: <dotnet root>/sdk/<version>/Roslyn/bincore/VBCSCompiler.dll.
            var version = DotnetCli.Run(RepoRoot, TimeSpan.FromMinutes(1), "--version").StdOut.Trim();
            var sdks = DotnetCli.Run(RepoRoot, TimeSpan.FromMinutes(1), "--list-sdks").StdOut;
            var line = sdks.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith(version + " [", StringComparison.Ordinal));
            if (line is null)
            {
                return;
            }

            var sdkRoot = line.Substring(version.Length + 2).TrimEnd(']');
            var server = Path.Combine(sdkRoot, version, "Roslyn", "bincore", "VBCSCompiler.dll");
            if (File.Exists(server))
            {
                DotnetCli.Run(RepoRoot, TimeSpan.FromMinutes(1), "exec", server, "-shutdown", "-pipename:" + _sharedCompilationId);
            }
        }
        catch (Exception)
        {
            // Best effort: an idle server exits on its own after its keep-alive.
        }
    }

    private void WriteTimings()
    {
        try
        {
            Directory.CreateDirectory(WorkRoot);
            var timings = DotnetCli.Timings;
            var lines = new[] { $"PerfAnalyzers end-to-end run {PackageVersion}, shared compilation: {_sharedCompilation}" }
                .Concat(timings.Select(t => t.Line))
                .Append($"{timings.Sum(t => t.Seconds):F1}s in child processes");
            File.WriteAllLines(Path.Combine(WorkRoot, "last-run-timings.txt"), lines);
        }
        catch (Exception)
        {
            // Diagnostics only.
        }
    }

    /// <summary>Runs killed mid-way leave their folders and packages behind; clear those older than a few hours.</summary>
    private void PruneStaleRuns()
    {
        var cutoff = DateTime.UtcNow - StaleAfter;
        if (Directory.Exists(WorkRoot))
        {
            foreach (var dir in Directory.EnumerateDirectories(WorkRoot, "run-*"))
            {
                if (Directory.GetLastWriteTimeUtc(dir) < cutoff)
                {
                    TryDelete(() => Directory.Delete(dir, recursive: true), dir);
                }
            }
        }

        if (Directory.Exists(LocalFeed))
        {
            foreach (var nupkg in Directory.EnumerateFiles(LocalFeed, "PerfAnalyzers.0.1.0-e2e.*.nupkg"))
            {
                if (File.GetLastWriteTimeUtc(nupkg) < cutoff)
                {
                    TryDelete(() => File.Delete(nupkg), nupkg);
                }
            }
        }
    }

    private static void WriteIfChanged(string path, string text)
    {
        if (!File.Exists(path) || File.ReadAllText(path) != text)
        {
            File.WriteAllText(path, text);
        }
    }

    private static void TryDelete(Action delete, string what)
    {
        try
        {
            delete();
        }
        catch (IOException)
        {
            // Left behind; pruned by a later run.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "PerfAnalyzers.sln")) && File.Exists(Path.Combine(dir.FullName, "nuget.config")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Could not find the repository root (PerfAnalyzers.sln) above " + AppContext.BaseDirectory);
    }
}

public sealed record PackedPackage(string Path, string Version, ProcessResult PackResult);

public sealed record ConsumerSetup(string ProjectFileAfterAddPackage, ProcessResult AddPackage, ProcessResult Restore);
