using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>Does the entry a cache write creates get an expiration? Unknown when the deciding code is out of sight.</summary>
internal enum ExpirationVerdict
{
    None,
    Set,
    Unknown,
}

/// <summary>Which cache API writes the entry, which decides how the code fix adds an expiration.</summary>
internal enum CacheWriteKind
{
    /// <summary><c>IDistributedCache.SetString(key, value)</c>: no options argument at all.</summary>
    DistributedWithoutOptions,

    /// <summary><c>IDistributedCache.Set(key, value, options)</c> with options that set no expiration.</summary>
    DistributedOptions,

    /// <summary><c>IDatabase.StringSet(key, value)</c> without an expiry.</summary>
    RedisStringSet,

    /// <summary><c>IMemoryCache.Set(key, value)</c>.</summary>
    MemorySetWithoutExpiration,

    /// <summary><c>IMemoryCache.Set(key, value, options)</c> with options that set no expiration or size.</summary>
    MemoryOptions,

    /// <summary><c>IMemoryCache.GetOrCreate(key, entry => ...)</c> whose factory sets no expiration or size.</summary>
    MemoryFactory,
}

/// <summary>A cache write whose entry never expires.</summary>
internal sealed class CacheWrite
{
    public CacheWrite(IInvocationOperation invocation, CacheWriteKind kind, IObjectCreationOperation? optionsCreation, IAnonymousFunctionOperation? factory)
    {
        Invocation = invocation;
        Kind = kind;
        OptionsCreation = optionsCreation;
        Factory = factory;
    }

    public IInvocationOperation Invocation { get; }

    public CacheWriteKind Kind { get; }

    /// <summary>The one visible <c>new ...EntryOptions</c> the entry's options come from, if there is exactly one.</summary>
    public IObjectCreationOperation? OptionsCreation { get; }

    /// <summary>The <c>GetOrCreate</c> factory lambda.</summary>
    public IAnonymousFunctionOperation? Factory { get; }

    public bool IsMemoryCache => Kind is CacheWriteKind.MemorySetWithoutExpiration or CacheWriteKind.MemoryOptions or CacheWriteKind.MemoryFactory;
}

/// <summary>
/// Recognises writes to <c>IDistributedCache</c>, StackExchange.Redis and <c>IMemoryCache</c> whose entry gets no
/// expiration, following an options object to its creation within the method (<see cref="LocalDataFlow"/>).
/// Options or factories that come from code out of sight answer <see cref="ExpirationVerdict.Unknown"/> (not reported).
/// HybridCache is not recognised: its entries always expire (per-call options, else the default entry options, else the
/// implementation's built-in default).
/// </summary>
internal sealed class CacheExpiration
{
    private const string CachingNamespacePrefix = "Microsoft.Extensions.Caching";

    /// <summary>Members that give an entry an end of life (Size counts for the memory cache: a size-limited cache evicts).</summary>
    private static readonly ImmutableHashSet<string> DistributedExpirationMembers = ImmutableHashSet.Create("AbsoluteExpiration", "AbsoluteExpirationRelativeToNow", "SlidingExpiration");
    private static readonly ImmutableHashSet<string> MemoryExpirationMembers = DistributedExpirationMembers.Union(new[] { "Size", "ExpirationTokens" });
    private static readonly ImmutableHashSet<string> ExpirationSetters = ImmutableHashSet.Create("SetAbsoluteExpiration", "SetSlidingExpiration", "SetSize", "AddExpirationToken", "SetOptions");

    private readonly WellKnownTypes _types;

    public CacheExpiration(WellKnownTypes types) => _types = types;

    public bool HasAnyCache => _types.IDistributedCache is not null || _types.IMemoryCache is not null || _types.RedisDatabaseAsync is not null;

    /// <summary>
    /// SQL Server and PostgreSQL distributed caches give every entry a default sliding expiration (20 minutes), so
    /// an <c>IDistributedCache</c> write without options still expires when one of them is referenced.
    /// </summary>
    public bool DistributedCacheHasDefaultExpiration => _types.SqlServerCache is not null || _types.PostgreSqlCache is not null;

    /// <summary>The names of the cache writes <see cref="Recognize"/> knows (the syntax gate of PERF005).</summary>
    public static readonly ImmutableHashSet<string> WriteMethodNames = ImmutableHashSet.Create(
        System.StringComparer.Ordinal, "Set", "SetAsync", "SetString", "SetStringAsync", "GetOrCreate", "GetOrCreateAsync", "StringSet", "StringSetAsync");

    /// <summary>The write, when <paramref name="invocation"/> is a cache write whose entry provably gets no expiration.</summary>
    public CacheWrite? Recognize(IInvocationOperation invocation, BlockFacts facts)
    {
        var method = invocation.TargetMethod;
        switch (method.Name)
        {
            case "Set" or "SetAsync" or "SetString" or "SetStringAsync" when IsDistributedCacheMethod(method):
                return DistributedCacheHasDefaultExpiration ? null : RecognizeDistributed(invocation, facts);
            case "Set" when method.ContainingType.IsType(_types.MemoryCacheExtensions):
                return RecognizeMemorySet(invocation, facts);
            case "GetOrCreate" or "GetOrCreateAsync" when method.ContainingType.IsType(_types.MemoryCacheExtensions):
                return RecognizeMemoryFactory(invocation, facts);
            case "StringSet" or "StringSetAsync" when method.ContainingType.IsType(_types.RedisDatabaseAsync) || method.ContainingType.Implements(_types.RedisDatabaseAsync):
                return RecognizeRedis(invocation, facts);
            default:
                return null;
        }
    }

    private bool IsDistributedCacheMethod(IMethodSymbol method)
    {
        if (method.ContainingType.IsType(_types.IDistributedCache))
        {
            return true;
        }

        return method.IsExtensionMethod && method.Parameters.Length > 0 && method.Parameters[0].Type.IsType(_types.IDistributedCache)
            && method.ContainingType.ContainingNamespace?.ToDisplayString() == CachingNamespacePrefix + ".Distributed";
    }

    private CacheWrite? RecognizeDistributed(IInvocationOperation invocation, BlockFacts facts)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type.IsType(_types.DistributedCacheEntryOptions) == true)
            {
                return EvaluateOptions(argument.Value, facts, DistributedExpirationMembers, depth: 0, out var creation) == ExpirationVerdict.None
                    ? new CacheWrite(invocation, CacheWriteKind.DistributedOptions, creation, null)
                    : null;
            }
        }

        return new CacheWrite(invocation, CacheWriteKind.DistributedWithoutOptions, null, null);
    }

    private CacheWrite? RecognizeMemorySet(IInvocationOperation invocation, BlockFacts facts)
    {
        // Set(cache, key, value) has no expiration; the overloads with a DateTimeOffset, TimeSpan or IChangeToken do.
        var parameters = invocation.TargetMethod.Parameters;
        if (parameters.Length == 3)
        {
            return new CacheWrite(invocation, CacheWriteKind.MemorySetWithoutExpiration, null, null);
        }

        if (parameters.Length == 4 && parameters[3].Type.IsType(_types.MemoryCacheEntryOptions) && invocation.GetArgument(parameters[3].Name) is { } options
            && EvaluateOptions(options, facts, MemoryExpirationMembers, depth: 0, out var creation) == ExpirationVerdict.None)
        {
            return new CacheWrite(invocation, CacheWriteKind.MemoryOptions, creation, null);
        }

        return null;
    }

    private CacheWrite? RecognizeMemoryFactory(IInvocationOperation invocation, BlockFacts facts)
    {
        foreach (var argument in invocation.Arguments)
        {
            // GetOrCreate(key, factory, createOptions): options with an expiration (or out of sight) decide.
            if (argument.Parameter?.Type.IsType(_types.MemoryCacheEntryOptions) == true && argument.ArgumentKind == ArgumentKind.Explicit
                && EvaluateOptions(argument.Value, facts, MemoryExpirationMembers, depth: 0, out _) != ExpirationVerdict.None)
            {
                return null;
            }
        }

        var factoryValue = invocation.GetArgument("factory").WalkDownConversions();
        if (factoryValue is IDelegateCreationOperation delegateCreation)
        {
            factoryValue = delegateCreation.Target.WalkDownConversions();
        }

        return factoryValue is IAnonymousFunctionOperation factory && EvaluateFactory(factory) == ExpirationVerdict.None
            ? new CacheWrite(invocation, CacheWriteKind.MemoryFactory, null, factory)
            : null;
    }

    private CacheWrite? RecognizeRedis(IInvocationOperation invocation, BlockFacts facts)
    {
        IArgumentOperation? expiry = null;
        foreach (var argument in invocation.Arguments)
        {
            switch (argument.Parameter?.Name)
            {
                case "expiry":
                    expiry = argument;
                    break;
                case "keepTtl" when argument.ArgumentKind == ArgumentKind.Explicit && !(argument.Value.ConstantValue is { HasValue: true, Value: false }):
                    return null;
            }
        }

        if (expiry is not null && expiry.ArgumentKind == ArgumentKind.Explicit && !IsNoExpiry(expiry.Value))
        {
            return null;
        }

        return IsFollowedByKeyExpire(invocation, facts) ? null : new CacheWrite(invocation, CacheWriteKind.RedisStringSet, null, null);
    }

    /// <summary><c>null</c>, <c>default</c> or <c>Expiration.Default</c>: the same as passing no expiry.</summary>
    private bool IsNoExpiry(IOperation value)
    {
        var operation = value.WalkDownConversions();
        return operation switch
        {
            IDefaultValueOperation => true,
            { ConstantValue: { HasValue: true, Value: null } } => true,
            IPropertyReferenceOperation { Property.Name: "Default" } property => property.Property.ContainingType.IsType(_types.RedisExpiration),
            _ => false,
        };
    }

    /// <summary><c>db.StringSet(key, v); db.KeyExpire(key, ttl);</c>: the same key (same local, or the same expression text) gets a TTL later in the method.</summary>
    private bool IsFollowedByKeyExpire(IInvocationOperation invocation, BlockFacts facts)
    {
        var key = invocation.GetArgument("key")?.WalkDownConversions();
        if (key is null)
        {
            return false;
        }

        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "KeyExpire" or "KeyExpireAsync" } expire
                && operation.Syntax.SpanStart > invocation.Syntax.SpanStart
                && (expire.TargetMethod.ContainingType.IsType(_types.RedisDatabaseAsync) || expire.TargetMethod.ContainingType.Implements(_types.RedisDatabaseAsync))
                && expire.GetArgument("key")?.WalkDownConversions() is { } expiredKey && IsSameKey(key, expiredKey))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSameKey(IOperation first, IOperation second)
        => first is ILocalReferenceOperation a && second is ILocalReferenceOperation b
            ? SymbolEqualityComparer.Default.Equals(a.Local, b.Local)
            : first.Syntax.ToString() == second.Syntax.ToString();

    /// <summary>
    /// Does an options value set an expiration? Followed through locals to a visible <c>new ...Options { ... }</c>,
    /// property assignments and <c>SetAbsoluteExpiration</c>-style calls in the same method.
    /// </summary>
    private ExpirationVerdict EvaluateOptions(IOperation? value, BlockFacts facts, ImmutableHashSet<string> members, int depth, out IObjectCreationOperation? creation)
    {
        creation = null;
        var operation = value.WalkDownConversions();
        if (operation is null || depth > LocalDataFlow.MaxDepth)
        {
            return ExpirationVerdict.Unknown;
        }

        switch (operation)
        {
            case { ConstantValue: { HasValue: true, Value: null } }:
                return ExpirationVerdict.None;
            case IObjectCreationOperation objectCreation:
                creation = objectCreation;
                return InitializerSetsExpiration(objectCreation, members) ? ExpirationVerdict.Set : ExpirationVerdict.None;
            case IInvocationOperation call when call.TargetMethod.IsExtensionMethod && IsCachingType(call.TargetMethod.ContainingType):
                if (ExpirationSetters.Contains(call.TargetMethod.Name))
                {
                    return ExpirationVerdict.Set;
                }

                // options.SetPriority(..): the same options object, passed through.
                return SymbolEqualityComparer.Default.Equals(call.TargetMethod.ReturnType, call.TargetMethod.Parameters[0].Type)
                    ? EvaluateOptions(call.GetReceiver(), facts, members, depth + 1, out creation)
                    : ExpirationVerdict.Unknown;
            case ILocalReferenceOperation localReference:
                return EvaluateOptionsLocal(localReference.Local, facts, members, depth, out creation);
            default:
                return ExpirationVerdict.Unknown;
        }
    }

    private ExpirationVerdict EvaluateOptionsLocal(ILocalSymbol local, BlockFacts facts, ImmutableHashSet<string> members, int depth, out IObjectCreationOperation? creation)
    {
        creation = null;
        var definitions = facts.Flow.GetDefinitions(local);
        var stores = 0;
        var verdict = ExpirationVerdict.Unknown;
        foreach (var definition in definitions)
        {
            if (definition.IsMutation)
            {
                if (IsExpirationMutation(definition.Site, members))
                {
                    return ExpirationVerdict.Set;
                }

                continue;
            }

            stores++;
            var stored = EvaluateOptions(definition.Value, facts, members, depth + 1, out var storedCreation);
            if (stored != ExpirationVerdict.None)
            {
                return stored;
            }

            verdict = ExpirationVerdict.None;
            creation = stores == 1 ? storedCreation : null;
        }

        if (verdict != ExpirationVerdict.None)
        {
            return verdict;
        }

        // options.SetSlidingExpiration(..) as a statement, or the options handed to code out of sight.
        foreach (var operation in facts.CreationsAndCalls)
        {
            var arguments = operation switch
            {
                IInvocationOperation call => call.Arguments,
                IObjectCreationOperation newObject => newObject.Arguments,
                _ => ImmutableArray<IArgumentOperation>.Empty,
            };
            foreach (var argument in arguments)
            {
                if (argument.Value.WalkDownConversions() is not ILocalReferenceOperation passed || !SymbolEqualityComparer.Default.Equals(passed.Local, local))
                {
                    continue;
                }

                if (operation is IInvocationOperation call && IsCachingType(call.TargetMethod.ContainingType))
                {
                    if (ExpirationSetters.Contains(call.TargetMethod.Name))
                    {
                        return ExpirationVerdict.Set;
                    }

                    continue;
                }

                return ExpirationVerdict.Unknown;
            }
        }

        return ExpirationVerdict.None;
    }

    /// <summary><c>options.SlidingExpiration = ..</c> or <c>options.ExpirationTokens.Add(..)</c>.</summary>
    private static bool IsExpirationMutation(IOperation site, ImmutableHashSet<string> members)
        => site switch
        {
            ISimpleAssignmentOperation { Target: IPropertyReferenceOperation property } => members.Contains(property.Property.Name),
            IInvocationOperation { Instance: IPropertyReferenceOperation property } => members.Contains(property.Property.Name),
            _ => false,
        };

    private static bool InitializerSetsExpiration(IObjectCreationOperation creation, ImmutableHashSet<string> members)
    {
        if (creation.Initializer is null)
        {
            return false;
        }

        foreach (var initializer in creation.Initializer.Initializers)
        {
            var target = initializer switch
            {
                ISimpleAssignmentOperation assignment => assignment.Target,
                IMemberInitializerOperation member => member.InitializedMember,
                _ => null,
            };
            if (target is not IPropertyReferenceOperation property || members.Contains(property.Property.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Does a <c>GetOrCreate</c> factory give its entry an expiration or size? Unknown when the entry is handed elsewhere.</summary>
    private static ExpirationVerdict EvaluateFactory(IAnonymousFunctionOperation factory)
    {
        if (factory.Symbol.Parameters.Length != 1)
        {
            return ExpirationVerdict.Unknown;
        }

        var entry = factory.Symbol.Parameters[0];
        foreach (var operation in factory.Body.Descendants())
        {
            if (operation is not IParameterReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Parameter, entry))
            {
                continue;
            }

            switch (reference.Parent)
            {
                case IPropertyReferenceOperation property when property.Instance == reference:
                    if (MemoryExpirationMembers.Contains(property.Property.Name) && (property.Parent is ISimpleAssignmentOperation assignment && assignment.Target == property || property.Property.Name == "ExpirationTokens"))
                    {
                        return ExpirationVerdict.Set;
                    }

                    break;
                case IArgumentOperation { Parent: IInvocationOperation call } argument when call.TargetMethod.IsExtensionMethod && call.Arguments[0] == argument && IsCachingType(call.TargetMethod.ContainingType):
                    if (ExpirationSetters.Contains(call.TargetMethod.Name))
                    {
                        return ExpirationVerdict.Set;
                    }

                    break;
                case IInvocationOperation call when call.Instance == reference:
                    break;
                default:
                    // The entry is handed to code out of sight, which may configure it.
                    return ExpirationVerdict.Unknown;
            }
        }

        return ExpirationVerdict.None;
    }

    private static bool IsCachingType(INamedTypeSymbol? type)
        => type?.ContainingNamespace?.ToDisplayString().StartsWith(CachingNamespacePrefix, System.StringComparison.Ordinal) == true;
}
