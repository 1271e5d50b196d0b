using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Core;

/// <summary>
/// Every PerfAnalyzers descriptor is built here, so the category, the help link and the
/// "enabled by default" choice cannot drift between rules. Rules never call the
/// <see cref="DiagnosticDescriptor"/> constructor themselves.
/// </summary>
internal static class RuleDescriptors
{
    public const string Category = "Performance";
    public const string HelpLinkBase = "https://github.com/perfanalyzers/perfanalyzers/blob/main/docs/rules/";

    public static string HelpLink(string id) => HelpLinkBase + id + ".md";

    public static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags)
        => new(
            id,
            title,
            messageFormat,
            Category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLink(id),
            customTags: customTags);

    public static readonly DiagnosticDescriptor PERF001_RoundTripPerIteration = Create(
        DiagnosticIds.RoundTripPerIteration,
        title: "Database round trip per loop iteration (N+1)",
        messageFormat: "Database round trip {0} runs once per iteration of {1}; fetch the data in one query before the loop",
        DiagnosticSeverity.Warning,
        description: "A query or write executed once per element of a loop pays one network round trip per element (1+N in total). Load the related data with Include, or fetch it in one bulk query and look it up in memory.");

    public static readonly DiagnosticDescriptor PERF004_RepeatedLookup = Create(
        DiagnosticIds.RepeatedLookup,
        title: "Repeated uncached database lookup",
        messageFormat: "Database lookup {0} {1}; reuse the result, hoist it, or cache it",
        DiagnosticSeverity.Warning,
        description: "The same query executed again with the same arguments pays the database round trip again for an answer the code already had. In a loop it is reported as a warning; a repeat within a method is reported as a suggestion.");
}

internal static class DiagnosticIds
{
    public const string RoundTripPerIteration = "PERF001";
    public const string RepeatedLookup = "PERF004";
}
