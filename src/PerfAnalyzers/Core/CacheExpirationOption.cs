using System.Globalization;
using Microsoft.CodeAnalysis.Diagnostics;

namespace PerfAnalyzers.Core;

/// <summary>
/// How long a cache entry written by PERF004's "Cache with IMemoryCache/HybridCache" fix lives, in minutes:
/// <c>perf_analyzers.PERF004.cache_expiration_minutes</c>, else <c>perf_analyzers.cache_expiration_minutes</c>,
/// else <see cref="DefaultMinutes"/>. A value that is not a positive integer falls back to the default.
/// </summary>
internal static class CacheExpirationOption
{
    public const int DefaultMinutes = 5;
    public const string RuleKey = "perf_analyzers.PERF004.cache_expiration_minutes";
    public const string GlobalKey = "perf_analyzers.cache_expiration_minutes";

    /// <summary>
    /// The configured minutes (default when unset or malformed). <paramref name="malformedKey"/> names the key whose
    /// value was present but not a positive integer (the effective key only: a valid rule override wins).
    /// </summary>
    public static int Read(AnalyzerConfigOptions? options, out string? malformedKey)
    {
        malformedKey = null;
        if (options is null)
        {
            return DefaultMinutes;
        }

        foreach (var key in new[] { RuleKey, GlobalKey })
        {
            if (!options.TryGetValue(key, out var raw))
            {
                continue;
            }

            if (TryParse(raw, out var minutes))
            {
                return minutes;
            }

            malformedKey = key;
            return DefaultMinutes;
        }

        return DefaultMinutes;
    }

    public static int Read(AnalyzerConfigOptions? options) => Read(options, out _);

    /// <summary>A positive whole number of minutes, at most one year.</summary>
    public static bool TryParse(string? raw, out int minutes)
        => int.TryParse(raw?.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out minutes) && minutes > 0 && minutes <= 525_600;
}
