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

    /// <summary>PERF000 is about the package's own settings, so a <c>category-Performance</c> severity does not hide it.</summary>
    public const string ConfigurationCategory = "Configuration";
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

    /// <summary>The same, in <see cref="ConfigurationCategory"/>.</summary>
    public static DiagnosticDescriptor CreateConfiguration(
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
            ConfigurationCategory,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLink(id),
            customTags: customTags);

    public static readonly DiagnosticDescriptor PERF000_InvalidOptionValue = CreateConfiguration(
        DiagnosticIds.InvalidConfiguration,
        title: "Invalid PerfAnalyzers option in .editorconfig",
        messageFormat: "Invalid value '{0}' for {1} in .editorconfig; using the default {2} (expected {3})",
        DiagnosticSeverity.Warning,
        description: "An option under perf_analyzers. has a value the rules cannot use. The rule falls back to the option's default; fix the value so the rule behaves as configured.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor PERF000_UnknownOption = CreateConfiguration(
        DiagnosticIds.InvalidConfiguration,
        title: "Invalid PerfAnalyzers option in .editorconfig",
        messageFormat: "Unknown option {0} in .editorconfig; it is ignored (options: {1})",
        DiagnosticSeverity.Warning,
        description: "A key under perf_analyzers. names no option, or names a rule that does not read that option: usually a typo. It has no effect.",
        WellKnownDiagnosticTags.CompilationEnd);

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

    public static readonly DiagnosticDescriptor PERF002_AwaitedRemoteLogging = Create(
        DiagnosticIds.AwaitedRemoteLogging,
        title: "Awaited remote logging on a request path",
        messageFormat: "{0} ships log, audit or telemetry data over the network and is waited for {1}; the response waits for the log endpoint — queue the entry and send it in the background",
        DiagnosticSeverity.Warning,
        description: "A request handler that awaits a network call shipping logs, audit events or telemetry adds that call's latency to every response and fails the request when the endpoint is down. Hand the entry to a bounded in-memory queue drained by a hosted service.");

    // The same rule, found through the request-path call graph at compilation end (not live in the IDE).
    public static readonly DiagnosticDescriptor PERF002_AwaitedRemoteLoggingOnRequestPath = Create(
        DiagnosticIds.AwaitedRemoteLogging,
        title: "Awaited remote logging on a request path",
        messageFormat: "{0} ships log, audit or telemetry data over the network and is waited for {1}; the response waits for the log endpoint — queue the entry and send it in the background",
        DiagnosticSeverity.Warning,
        description: "A request handler that awaits a network call shipping logs, audit events or telemetry adds that call's latency to every response.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor PERF003_PooledResourcePerRequest = Create(
        DiagnosticIds.PooledResourcePerRequest,
        title: "Pooled resource created per request",
        messageFormat: "{0} is created {1}; it owns sockets or a connection pool and should live for the application (share it, inject it, or use a factory)",
        DiagnosticSeverity.Warning,
        description: "HttpClient, ConnectionMultiplexer, data sources and cloud SDK clients own connection pools; creating one per request or per iteration pays the TCP/TLS handshake and pool warm-up every time and can exhaust sockets or connections under load. Pooling switched off, or a connection string that varies per request, has the same effect for database connections.");

    // The same rule, found through the request-path call graph at compilation end (not live in the IDE).
    public static readonly DiagnosticDescriptor PERF003_PooledResourceOnRequestPath = Create(
        DiagnosticIds.PooledResourcePerRequest,
        title: "Pooled resource created per request",
        messageFormat: "{0} is created {1}; it owns sockets or a connection pool and should live for the application (share it, inject it, or use a factory)",
        DiagnosticSeverity.Warning,
        description: "HttpClient, ConnectionMultiplexer, data sources and cloud SDK clients own connection pools; creating one per request pays the handshake and pool warm-up every time.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor PERF007_FilterAfterMaterialization = Create(
        DiagnosticIds.FilterAfterMaterialization,
        title: "Filtering, sorting or paging after materialization",
        messageFormat: "'{0}' loads every row the query returns, then '{1}' runs in memory; apply it in the database before materializing",
        DiagnosticSeverity.Warning,
        description: "A query materialized with ToList, ToArray, AsEnumerable or ToListAsync and then filtered, sorted, paged or aggregated with LINQ to Objects transfers every row over the network and builds an entity for each, only to discard most of them. Apply Where, OrderBy, Skip, Take, Count, Any, First and the like to the IQueryable before materializing.");

    public static readonly DiagnosticDescriptor PERF006_FilterWithoutIndex = Create(
        DiagnosticIds.MissingIndex,
        title: "Query filters on a column without an index",
        messageFormat: "Query filters '{0}' by '{1}', which is not a key, a foreign key or the leading column of an index; the database scans the table — add an index on {1}",
        DiagnosticSeverity.Info,
        description: "An equality or range filter on a column that no index leads with makes the database read every row of the table. Declare an index (then add a migration), or mark the table as small in .editorconfig.");

    public static readonly DiagnosticDescriptor PERF005_CacheEntryWithoutExpiration = Create(
        DiagnosticIds.CacheEntryWithoutExpiration,
        title: "Cache entry written without an expiration",
        messageFormat: "{0} writes a cache entry that never expires{1}; give it an absolute or sliding expiration",
        DiagnosticSeverity.Warning,
        description: "A cache entry without an expiration stays until it is evicted or overwritten: it serves stale data after the source changes, and a cache keyed by request data grows without bound. Set AbsoluteExpirationRelativeToNow (or a sliding expiration), or pass an expiry to Redis.");

    // The same rule for IMemoryCache writes in methods a request handler reaches, found at compilation end.
    public static readonly DiagnosticDescriptor PERF005_CacheEntryWithoutExpirationOnRequestPath = Create(
        DiagnosticIds.CacheEntryWithoutExpiration,
        title: "Cache entry written without an expiration",
        messageFormat: "{0} writes a cache entry that never expires{1}; give it an absolute or sliding expiration",
        DiagnosticSeverity.Warning,
        description: "A cache entry without an expiration stays until it is evicted or overwritten: it serves stale data after the source changes, and a cache keyed by request data grows without bound.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor PERF008_RemoteCallPerIteration = Create(
        DiagnosticIds.RemoteCallPerIteration,
        title: "Remote HTTP call per loop iteration (N+1 API calls)",
        messageFormat: "Remote call {0} runs once per iteration of {1}; call a batch endpoint once, or bound the concurrency (Parallel.ForEachAsync with MaxDegreeOfParallelism, SemaphoreSlim)",
        DiagnosticSeverity.Warning,
        description: "An HTTP request or gRPC call made once per element of a loop, with the element in the request, pays one network round trip to the remote service per element. Send the elements in one request to a batch endpoint; where none exists, run the calls with bounded concurrency instead of one after another or all at once.");
}

internal static class DiagnosticIds
{
    public const string InvalidConfiguration = "PERF000";
    public const string AwaitedRemoteLogging = "PERF002";
    public const string PooledResourcePerRequest = "PERF003";
    public const string RoundTripPerIteration = "PERF001";
    public const string RepeatedLookup = "PERF004";
    public const string FilterAfterMaterialization = "PERF007";
    public const string MissingIndex = "PERF006";
    public const string CacheEntryWithoutExpiration = "PERF005";
    public const string RemoteCallPerIteration = "PERF008";
}
