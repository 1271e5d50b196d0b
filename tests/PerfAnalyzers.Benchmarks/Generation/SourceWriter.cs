using System;
using System.Collections.Generic;
using System.Text;
using System.Text.RegularExpressions;

namespace PerfAnalyzers.Benchmarks.Generation;

/// <summary>A finding the generator planted: the rule that must report it, where, and which shape it is.</summary>
/// <param name="CompilationEnd">Reported through the request-path call graph at compilation end (not live in the IDE).</param>
public sealed record PlantedFinding(string Rule, string Path, int Line, string Shape, bool CompilationEnd);

/// <summary>A look-alike the generator planted: a line that must stay quiet.</summary>
public sealed record PlantedLookAlike(string Path, int Line, string Reason);

/// <summary>One generated source file.</summary>
public sealed record GeneratedFile(string Path, string Text, int Lines);

/// <summary>
/// Builds one generated file and keeps the generator's bookkeeping as it writes: every line that ends in
/// <c>// PERF00N [shape]</c> is a planted finding (shapes starting with <c>end-</c> are reported at compilation end),
/// every line that ends in <c>// ok: reason</c> is a planted look-alike. Line numbers start at 1.
/// </summary>
public sealed class SourceWriter
{
    private static readonly Regex FindingMarker = new(@"//\s*(PERF00\d) \[([a-z0-9\-]+)\]\s*$", RegexOptions.Compiled);
    private static readonly Regex LookAlikeMarker = new(@"//\s*ok: (.+?)\s*$", RegexOptions.Compiled);

    private readonly StringBuilder _text = new();
    private readonly List<PlantedFinding> _findings;
    private readonly List<PlantedLookAlike> _lookAlikes;
    private int _lines;

    public SourceWriter(string path, List<PlantedFinding> findings, List<PlantedLookAlike> lookAlikes)
    {
        Path = path;
        _findings = findings;
        _lookAlikes = lookAlikes;
    }

    public string Path { get; }

    public int Lines => _lines;

    /// <summary>Appends a chunk of one or more lines (a trailing newline is added when missing).</summary>
    public SourceWriter Add(string chunk)
    {
        if (chunk.Length == 0)
        {
            return this;
        }

        foreach (var rawLine in chunk.Replace("\r\n", "\n").TrimEnd('\n').Split('\n'))
        {
            _lines++;
            _text.Append(rawLine).Append('\n');
            var finding = FindingMarker.Match(rawLine);
            if (finding.Success)
            {
                var shape = finding.Groups[2].Value;
                _findings.Add(new PlantedFinding(finding.Groups[1].Value, Path, _lines, shape, shape.StartsWith("end-", StringComparison.Ordinal)));
                continue;
            }

            var lookAlike = LookAlikeMarker.Match(rawLine);
            if (lookAlike.Success)
            {
                _lookAlikes.Add(new PlantedLookAlike(Path, _lines, lookAlike.Groups[1].Value));
            }
        }

        return this;
    }

    /// <summary>Appends the chunk only when <paramref name="condition"/> holds, otherwise the alternative.</summary>
    public SourceWriter AddIf(bool condition, string chunk, string otherwise = "") => Add(condition ? chunk : otherwise);

    public GeneratedFile Build() => new(Path, _text.ToString(), _lines);
}
