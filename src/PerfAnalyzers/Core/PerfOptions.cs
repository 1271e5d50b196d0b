using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Linq;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfAnalyzers.Core;

/// <summary>
/// One <c>.editorconfig</c> option: its key (<c>perf_analyzers.&lt;name&gt;</c>, or per rule
/// <c>perf_analyzers.PERFnnn.&lt;name&gt;</c>, which wins), the rules that read it, its default and how a value is checked.
/// </summary>
internal sealed class PerfOption
{
    private readonly Func<string, bool> _isValid;

    public PerfOption(string name, ImmutableArray<string> ruleIds, string defaultDisplay, string expected, Func<string, bool> isValid)
    {
        Name = name;
        RuleIds = ruleIds;
        DefaultDisplay = defaultDisplay;
        Expected = expected;
        _isValid = isValid;
    }

    /// <summary>The part after the prefix, e.g. <c>cache_expiration_minutes</c>.</summary>
    public string Name { get; }

    /// <summary>The key for every rule that reads the option, e.g. <c>perf_analyzers.cache_expiration_minutes</c>.</summary>
    public string Key => PerfOptions.Prefix + Name;

    public ImmutableArray<string> RuleIds { get; }

    /// <summary>The default as shown in messages and docs.</summary>
    public string DefaultDisplay { get; }

    /// <summary>What a valid value looks like, for the PERF000 message.</summary>
    public string Expected { get; }

    /// <summary>The key that applies to one rule only, e.g. <c>perf_analyzers.PERF004.cache_expiration_minutes</c>.</summary>
    public string KeyFor(string ruleId)
        => _keys.TryGetValue(ruleId, out var key) ? key : _keys.GetOrAdd(ruleId, PerfOptions.Prefix + ruleId + "." + Name);

    // Read for every block by some rules: the key strings are built once.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _keys = new(System.StringComparer.Ordinal);

    public bool IsValid(string value) => _isValid(value);

    /// <summary>The value that applies to <paramref name="ruleId"/> (the per-rule key wins), or null when neither key is set.</summary>
    public string? GetRawValue(AnalyzerConfigOptions options, string ruleId)
    {
        if (options.TryGetValue(KeyFor(ruleId), out var perRule))
        {
            return perRule;
        }

        return options.TryGetValue(Key, out var shared) ? shared : null;
    }

    /// <summary>The value that applies to <paramref name="ruleId"/> if it is set and valid; null means "use the default".</summary>
    public string? GetValidValue(AnalyzerConfigOptions options, string ruleId)
        => GetRawValue(options, ruleId) is { } raw && IsValid(raw) ? raw : null;
}

/// <summary>
/// Every option PerfAnalyzers reads from <c>.editorconfig</c> or a global AnalyzerConfig. Rules read their options only
/// through this catalog, so PERF000 can validate each key and docs/configuration.md can be checked against it.
/// An invalid value is reported by PERF000 and the rule uses the option's default.
/// </summary>
internal static class PerfOptions
{
    public const string Prefix = "perf_analyzers.";

    /// <summary>Extra methods or types whose awaited calls are remote logging (PERF002). Default: none.</summary>
    public static readonly PerfOption RemoteLoggingMethods = new(
        "remote_logging_methods",
        ImmutableArray.Create(DiagnosticIds.AwaitedRemoteLogging),
        defaultDisplay: "(none)",
        expected: "comma-separated fully qualified type names or Namespace.Type.Method entries",
        IsNameList);

    /// <summary>Methods or types never treated as remote logging (PERF002), even when their names suggest it. Default: none.</summary>
    public static readonly PerfOption RemoteLoggingMethodsExclude = new(
        "remote_logging_methods_exclude",
        ImmutableArray.Create(DiagnosticIds.AwaitedRemoteLogging),
        defaultDisplay: "(none)",
        expected: "comma-separated fully qualified type names or Namespace.Type.Method entries",
        IsNameList);

    public const int DefaultCacheExpirationMinutes = 5;

    /// <summary>Absolute expiration of the entries the PERF004 and PERF005 cache code fixes write, in minutes. Default: 5.</summary>
    public static readonly PerfOption CacheExpirationMinutes = new(
        "cache_expiration_minutes",
        ImmutableArray.Create(DiagnosticIds.RepeatedLookup, DiagnosticIds.CacheEntryWithoutExpiration),
        defaultDisplay: DefaultCacheExpirationMinutes.ToString(CultureInfo.InvariantCulture),
        expected: "a positive whole number of minutes",
        value => TryParseCacheMinutes(value, out _));

    /// <summary>
    /// The minutes PERF004's cache fix writes as the entry's absolute expiration for the file these options belong to;
    /// the default when unset or invalid (PERF000 reports the invalid value).
    /// </summary>
    public static int GetCacheExpirationMinutes(AnalyzerConfigOptions? options)
        => options is not null && CacheExpirationMinutes.GetValidValue(options, DiagnosticIds.RepeatedLookup) is { } raw && TryParseCacheMinutes(raw, out var minutes)
            ? minutes
            : DefaultCacheExpirationMinutes;

    private static bool TryParseCacheMinutes(string value, out int minutes)
        => TryParsePositiveInt(value, out minutes) && minutes <= 525_600;

    /// <summary>Entity types (fully qualified) small enough that a scan is fine: PERF006 does not ask for their indexes. Default: none.</summary>
    public static readonly PerfOption SmallTables = new(
        "small_tables",
        ImmutableArray.Create(DiagnosticIds.MissingIndex),
        defaultDisplay: "(none)",
        expected: "comma-separated fully qualified entity type names",
        IsNameList);

    public static ImmutableArray<PerfOption> All { get; } = ImmutableArray.Create(RemoteLoggingMethods, RemoteLoggingMethodsExclude, CacheExpirationMinutes, SmallTables);

    public static bool TryParsePositiveInt(string value, out int result)
        => int.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out result) && result > 0;

    /// <summary>The entries of a name list (already validated), trimmed, empty entries dropped.</summary>
    public static ImmutableArray<string> SplitNameList(string value)
        => value.Split(',').Select(e => e.Trim()).Where(e => e.Length > 0).ToImmutableArray();

    /// <summary>Comma-separated dotted identifier paths (<c>Acme.Audit.AuditClient</c>, <c>Acme.Audit.AuditClient.WriteAsync</c>).</summary>
    public static bool IsNameList(string value)
    {
        var entries = SplitNameList(value);
        return !entries.IsEmpty && entries.All(IsDottedIdentifierPath);
    }

    private static bool IsDottedIdentifierPath(string entry)
        => entry.Split('.').All(part => part.Length > 0 && SyntaxFacts.IsValidIdentifier(part));

    /// <summary>
    /// Resolves a key found in the options to the option it names, the rule it is scoped to (null for the shared
    /// form), or neither when the key is under <see cref="Prefix"/> but names no option a rule reads.
    /// Keys arrive lower-cased from <c>.editorconfig</c>, so rule ids and names compare case-insensitively.
    /// </summary>
    public static bool TryResolveKey(string key, out PerfOption? option, out string? ruleId)
    {
        option = null;
        ruleId = null;
        if (!key.StartsWith(Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var rest = key.Substring(Prefix.Length);
        var dot = rest.IndexOf('.');
        string name;
        if (dot >= 0)
        {
            ruleId = rest.Substring(0, dot).ToUpperInvariant();
            name = rest.Substring(dot + 1);
        }
        else
        {
            name = rest;
        }

        foreach (var candidate in All)
        {
            if (string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase) && (ruleId is null || candidate.RuleIds.Contains(ruleId)))
            {
                option = candidate;
                return true;
            }
        }

        return false;
    }
}
