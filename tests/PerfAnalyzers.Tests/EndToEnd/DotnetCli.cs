using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>The outcome of one <c>dotnet</c> child process.</summary>
public sealed record ProcessResult(string CommandLine, string WorkingDirectory, int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public bool Succeeded => ExitCode == 0;

    public string Output => StdErr.Length == 0 ? StdOut : StdOut + Environment.NewLine + "[stderr]" + Environment.NewLine + StdErr;

    /// <summary>Command, exit code, time and the full output: goes into every assertion message.</summary>
    public string Describe()
        => $"`dotnet {CommandLine}` in {WorkingDirectory} exited with {ExitCode} after {Elapsed.TotalSeconds:F1}s{Environment.NewLine}"
           + "----- output -----" + Environment.NewLine + Output + Environment.NewLine + "------------------";
}

/// <summary>One diagnostic line of MSBuild console output: <c>path(line,col): warning ID: message [project]</c>.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Severity, string Id, string Message, string Project)
{
    public string FileName => Path.GetFileName(File);

    public override string ToString() => $"{File}({Line},{Column}): {Severity} {Id}: {Message}";
}

/// <summary>A build's process result plus the diagnostics parsed from its output (MSBuild prints each twice; deduplicated).</summary>
public sealed class BuildResult
{
    private static readonly Regex DiagnosticLine = new(
        @"^\s*(?<file>[^\s].*?)\((?<line>\d+),(?<col>\d+)(?:,\d+,\d+)?\): (?<sev>warning|error) (?<id>[A-Za-z]+\d+): (?<msg>.*?)(?: \[(?<proj>[^\[\]]+)\])?\s*$",
        RegexOptions.Multiline | RegexOptions.CultureInvariant);

    public BuildResult(string name, ProcessResult process, IReadOnlyList<string> outputFiles, string? depsJson)
    {
        Name = name;
        Process = process;
        OutputFiles = outputFiles;
        DepsJson = depsJson;
        Diagnostics = DiagnosticLine.Matches(process.StdOut + "\n" + process.StdErr)
            .Select(m => new BuildDiagnostic(
                m.Groups["file"].Value.Trim(),
                int.Parse(m.Groups["line"].Value),
                int.Parse(m.Groups["col"].Value),
                m.Groups["sev"].Value,
                m.Groups["id"].Value,
                m.Groups["msg"].Value,
                m.Groups["proj"].Value))
            .Distinct()
            .ToList();
    }

    public string Name { get; }

    public ProcessResult Process { get; }

    public IReadOnlyList<BuildDiagnostic> Diagnostics { get; }

    public bool Succeeded => Process.Succeeded;

    /// <summary>Every file under the built project's bin/ right after this build (later builds clean it).</summary>
    public IReadOnlyList<string> OutputFiles { get; }

    /// <summary>The built project's &lt;name&gt;.deps.json right after this build, if any.</summary>
    public string? DepsJson { get; }

    public IReadOnlyList<BuildDiagnostic> Perf001 => Diagnostics.Where(d => d.Id == "PERF001").ToList();

    public IReadOnlyList<BuildDiagnostic> Perf001In(string fileName)
        => Perf001.Where(d => string.Equals(d.FileName, fileName, StringComparison.OrdinalIgnoreCase)).ToList();

    public string Describe() => $"Build '{Name}': {Process.Describe()}";
}

/// <summary>Runs the <c>dotnet</c> CLI as a child process with a clean, English, non-interactive environment.</summary>
internal static class DotnetCli
{
    private static readonly object TimingsLock = new();
    private static readonly List<(double Seconds, string Line)> TimingLog = new();

    /// <summary>Every child process of this test run: seconds taken and a one-line summary.</summary>
    public static IReadOnlyList<(double Seconds, string Line)> Timings
    {
        get
        {
            lock (TimingsLock)
            {
                return TimingLog.ToList();
            }
        }
    }

    /// <summary>The muxer that runs the tests, so children use the same SDK installation.</summary>
    public static string DotnetPath
    {
        get
        {
            var hostPath = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
            return !string.IsNullOrEmpty(hostPath) && File.Exists(hostPath) ? hostPath : "dotnet";
        }
    }

    public static ProcessResult Run(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var startInfo = new ProcessStartInfo(DotnetPath)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            startInfo.ArgumentList.Add(arg);
        }

        ConfigureEnvironment(startInfo.Environment);

        var commandLine = string.Join(" ", args.Select(a => a.Contains(' ') ? "\"" + a + "\"" : a));
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = startInfo };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) { lock (stdout) { stdout.AppendLine(e.Data); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { lock (stderr) { stderr.AppendLine(e.Data); } } };
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Exited between the timeout and the kill.
            }

            process.WaitForExit();
            throw new TimeoutException(
                $"`dotnet {commandLine}` in {workingDirectory} did not finish within {timeout.TotalSeconds:F0}s and was killed.{Environment.NewLine}"
                + $"----- output so far -----{Environment.NewLine}{stdout}{Environment.NewLine}{stderr}");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        stopwatch.Stop();
        lock (TimingsLock)
        {
            TimingLog.Add((stopwatch.Elapsed.TotalSeconds, $"{stopwatch.Elapsed.TotalSeconds,6:F1}s  exit {process.ExitCode}  dotnet {commandLine}"));
        }

        return new ProcessResult(commandLine, workingDirectory, process.ExitCode, stdout.ToString(), stderr.ToString(), stopwatch.Elapsed);
    }

    /// <summary>The clean, English, non-interactive environment every child process gets (also used for csharp-ls).</summary>
    internal static void ConfigureEnvironment(IDictionary<string, string?> environment)
    {
        // The test host may run inside an MSBuild/VSTest process tree; variables pointing MSBuild at a
        // particular SDK or node must not leak into the child builds.
        foreach (var key in environment.Keys.ToList())
        {
            if (key.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)
                && !key.Equals("MSBUILDDISABLENODEREUSE", StringComparison.OrdinalIgnoreCase))
            {
                environment.Remove(key);
            }
        }

        environment["DOTNET_CLI_UI_LANGUAGE"] = "en";
        environment["DOTNET_NOLOGO"] = "1";
        environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        environment["DOTNET_CLI_WORKLOAD_UPDATE_NOTIFY_DISABLE"] = "1";
        environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        environment["MSBUILDTERMINALLOGGER"] = "off";
        environment["MSBUILDDISABLENODEREUSE"] = "1";
    }
}
