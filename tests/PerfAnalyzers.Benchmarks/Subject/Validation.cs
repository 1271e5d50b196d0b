using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using PerfAnalyzers.Benchmarks.Generation;

namespace PerfAnalyzers.Benchmarks.Subject;

/// <summary>A planted shape the analyzers are known to get wrong today: documented, counted exactly, never silent.</summary>
/// <param name="Shape">The generator's shape name (the <c>[shape]</c> in the marker).</param>
/// <param name="Kind">Missing: planted but not reported (false negative). Unexpected: reported on a look-alike (false positive).</param>
public sealed record KnownDiscrepancy(string Rule, string Shape, DiscrepancyKind Kind, string Reason);

public enum DiscrepancyKind
{
    Missing,
    Unexpected,
}

/// <summary>
/// Exact expected diagnostic counts, from the generator's bookkeeping. Every run (quick mode, each BenchmarkDotNet
/// GlobalSetup) checks that the analyzers report exactly the planted findings — by rule, file and line — so a
/// benchmark that silently stops finding things fails. Differences are listed one by one.
/// </summary>
public static class Validation
{
    /// <summary>
    /// Differences between what the generator planted and what the analyzers report, each investigated and explained
    /// (docs/performance.md, "Discrepancies"). The asserted count is planted minus these, exactly; with --strict the
    /// planted count itself is asserted.
    /// </summary>
    public static readonly ImmutableArray<KnownDiscrepancy> Known = ImmutableArray<KnownDiscrepancy>.Empty;

    public static ValidationReport Check(BenchmarkSubject subject, ImmutableArray<Diagnostic> diagnostics, bool liveOnlyInDocument = false)
    {
        var app = subject.App;
        var planted = liveOnlyInDocument
            ? app.Findings.Where(f => f.Path == app.HotDocumentPath && !f.CompilationEnd).ToList()
            : app.Findings.ToList();
        var exceptions = diagnostics.Where(d => d.Id is "AD0001" or "AD0002").ToList();
        var reported = diagnostics
            .Where(d => d.Id.StartsWith("PERF", StringComparison.Ordinal))
            .Select(d => (Diagnostic: d, Span: d.Location.GetLineSpan()))
            .Select(x => (x.Diagnostic.Id, Path: x.Span.Path, Line: x.Span.StartLinePosition.Line + 1, x.Diagnostic))
            .ToList();

        var plantedKeys = planted.ToLookup(f => (f.Rule, f.Path, f.Line));
        var reportedKeys = reported.ToLookup(r => (Rule: r.Id, r.Path, r.Line));

        var missing = planted.Where(f => !reportedKeys.Contains((f.Rule, f.Path, f.Line))).ToList();
        var lookAlikes = app.LookAlikes.ToLookup(l => (l.Path, l.Line));
        var unexpected = reported
            .Where(r => !plantedKeys.Contains((r.Id, r.Path, r.Line)))
            .Select(r => new UnexpectedDiagnostic(r.Id, r.Path, r.Line, lookAlikes[(r.Path, r.Line)].FirstOrDefault()?.Reason, r.Diagnostic.GetMessage(CultureInfo.InvariantCulture)))
            .ToList();

        var rules = AnalyzerSets.RuleIds;
        var plantedByRule = rules.ToDictionary(r => r, r => planted.Count(f => f.Rule == r));
        var reportedByRule = rules.ToDictionary(r => r, r => reported.Count(d => d.Id == r));
        var expectedByRule = rules.ToDictionary(r => r, r => plantedByRule[r] - KnownMissing(planted, r) + KnownUnexpected(unexpected, r));
        return new ValidationReport(subject, plantedByRule, expectedByRule, reportedByRule, missing, unexpected, exceptions);
    }

    private static int KnownMissing(IEnumerable<PlantedFinding> planted, string rule)
        => planted.Count(f => f.Rule == rule && Known.Any(k => k.Kind == DiscrepancyKind.Missing && k.Rule == rule && k.Shape == f.Shape));

    private static int KnownUnexpected(IEnumerable<UnexpectedDiagnostic> unexpected, string rule)
        => unexpected.Count(u => u.Rule == rule && Known.Any(k => k.Kind == DiscrepancyKind.Unexpected && k.Rule == rule && k.Shape == u.LookAlike));

    public static bool IsKnown(PlantedFinding missing)
        => Known.Any(k => k.Kind == DiscrepancyKind.Missing && k.Rule == missing.Rule && k.Shape == missing.Shape);

    public static bool IsKnown(UnexpectedDiagnostic unexpected)
        => Known.Any(k => k.Kind == DiscrepancyKind.Unexpected && k.Rule == unexpected.Rule && k.Shape == unexpected.LookAlike);
}

public sealed record UnexpectedDiagnostic(string Rule, string Path, int Line, string? LookAlike, string Message);

public sealed class ValidationReport
{
    public ValidationReport(
        BenchmarkSubject subject,
        IReadOnlyDictionary<string, int> planted,
        IReadOnlyDictionary<string, int> expected,
        IReadOnlyDictionary<string, int> reported,
        IReadOnlyList<PlantedFinding> missing,
        IReadOnlyList<UnexpectedDiagnostic> unexpected,
        IReadOnlyList<Diagnostic> analyzerExceptions)
    {
        Subject = subject;
        Planted = planted;
        Expected = expected;
        Reported = reported;
        Missing = missing;
        Unexpected = unexpected;
        AnalyzerExceptions = analyzerExceptions;
    }

    public BenchmarkSubject Subject { get; }
    public IReadOnlyDictionary<string, int> Planted { get; }
    public IReadOnlyDictionary<string, int> Expected { get; }
    public IReadOnlyDictionary<string, int> Reported { get; }
    public IReadOnlyList<PlantedFinding> Missing { get; }
    public IReadOnlyList<UnexpectedDiagnostic> Unexpected { get; }
    public IReadOnlyList<Diagnostic> AnalyzerExceptions { get; }

    public bool MatchesPlanted => AnalyzerExceptions.Count == 0 && Missing.Count == 0 && Unexpected.Count == 0;

    /// <summary>Exact counts equal the asserted numbers, and every difference from the planted set is a known one.</summary>
    public bool MatchesExpected
        => AnalyzerExceptions.Count == 0
           && Expected.All(e => Reported[e.Key] == e.Value)
           && Missing.All(Validation.IsKnown)
           && Unexpected.All(Validation.IsKnown);

    /// <summary>Throws with the full list of differences unless the exact asserted counts hold.</summary>
    public void Assert(bool strict)
    {
        if (strict ? !MatchesPlanted : !MatchesExpected)
        {
            throw new InvalidOperationException("Diagnostic counts differ from the generator's bookkeeping" + (strict ? " (--strict)" : "") + ":\n" + Describe());
        }
    }

    public string Describe()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  size {Subject.Label}: {Subject.App.TotalLines:N0} lines, {Subject.App.Modules} modules\n");
        foreach (var rule in AnalyzerSets.RuleIds)
        {
            text.Append(CultureInfo.InvariantCulture, $"  {rule}: planted {Planted[rule]}, asserted {Expected[rule]}, reported {Reported[rule]}\n");
        }

        foreach (var exception in AnalyzerExceptions.Take(5))
        {
            text.Append("  analyzer exception: ").Append(exception.GetMessage(CultureInfo.InvariantCulture)).Append('\n');
        }

        foreach (var group in Missing.GroupBy(m => (m.Rule, m.Shape)))
        {
            var known = Validation.IsKnown(group.First()) ? " (known)" : "";
            text.Append(CultureInfo.InvariantCulture, $"  MISSING{known} {group.Key.Rule} [{group.Key.Shape}] x{group.Count()}: ");
            text.Append(string.Join(", ", group.Take(4).Select(m => m.Path + ":" + m.Line))).Append(group.Count() > 4 ? ", ..." : "").Append('\n');
        }

        foreach (var group in Unexpected.GroupBy(u => (u.Rule, u.LookAlike)))
        {
            var known = Validation.IsKnown(group.First()) ? " (known)" : "";
            text.Append(CultureInfo.InvariantCulture, $"  UNEXPECTED{known} {group.Key.Rule} on '{group.Key.LookAlike ?? "unmarked line"}' x{group.Count()}: ");
            text.Append(string.Join(", ", group.Take(4).Select(u => u.Path + ":" + u.Line))).Append(group.Count() > 4 ? ", ..." : "").Append('\n');
            text.Append("    message: ").Append(group.First().Message).Append('\n');
        }

        return text.ToString();
    }
}
