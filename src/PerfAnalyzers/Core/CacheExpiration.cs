using System.Collections.Generic;
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

    /// <summary>
    /// <c>IDatabase.HashSet/ListRightPush/SetAdd/SortedSetAdd(key, ..)</c> refilling a cache miss of the same key with no
    /// <c>KeyExpire</c> after it.
    /// </summary>
    RedisStructureWrite,

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
    public CacheWrite(IInvocationOperation invocation, CacheWriteKind kind, IObjectCreationOperation? optionsCreation, IAnonymousFunctionOperation? factory, IInvocationOperation? missRead = null)
    {
        Invocation = invocation;
        Kind = kind;
        OptionsCreation = optionsCreation;
        Factory = factory;
        MissRead = missRead;
    }

    public IInvocationOperation Invocation { get; }

    public CacheWriteKind Kind { get; }

    /// <summary>The one visible <c>new ...EntryOptions</c> the entry's options come from, if there is exactly one.</summary>
    public IObjectCreationOperation? OptionsCreation { get; }

    /// <summary>The <c>GetOrCreate</c> factory lambda.</summary>
    public IAnonymousFunctionOperation? Factory { get; }

    /// <summary>For a Redis structure write: the read of the same key whose miss it refills.</summary>
    public IInvocationOperation? MissRead { get; }

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

    /// <summary>Redis data-structure writes: whether they create a cache entry is told by a cache-miss read before them.</summary>
    private static readonly ImmutableHashSet<string> RedisStructureWrites = ImmutableHashSet.Create(
        "HashSet", "HashSetAsync", "ListRightPush", "ListRightPushAsync", "ListLeftPush", "ListLeftPushAsync",
        "SetAdd", "SetAddAsync", "SortedSetAdd", "SortedSetAddAsync");

    /// <summary>Redis reads that return the structure's data (not <c>KeyExists</c>: a cache hit serves data).</summary>
    private static readonly ImmutableHashSet<string> RedisStructureReads = ImmutableHashSet.Create(
        "HashGetAll", "HashGetAllAsync", "HashGet", "HashGetAsync", "HashValues", "HashValuesAsync",
        "ListRange", "ListRangeAsync", "SetMembers", "SetMembersAsync",
        "SortedSetRangeByRank", "SortedSetRangeByRankAsync", "SortedSetRangeByRankWithScores", "SortedSetRangeByRankWithScoresAsync",
        "SortedSetRangeByScore", "SortedSetRangeByScoreAsync", "SortedSetRangeByScoreWithScores", "SortedSetRangeByScoreWithScoresAsync");

    /// <summary>Members of a read result that test whether the read found anything.</summary>
    private static readonly ImmutableHashSet<string> EmptinessMembers = ImmutableHashSet.Create("Length", "Count", "HasValue", "IsNull", "IsNullOrEmpty", "IsEmpty", "Any");

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
        System.StringComparer.Ordinal, "Set", "SetAsync", "SetString", "SetStringAsync", "GetOrCreate", "GetOrCreateAsync", "StringSet", "StringSetAsync").Union(RedisStructureWrites);

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
            case "StringSet" or "StringSetAsync" when IsRedisDatabaseMethod(method):
                return RecognizeRedis(invocation, facts);
            case var name when RedisStructureWrites.Contains(name) && IsRedisDatabaseMethod(method):
                return RecognizeRedisStructure(invocation, facts);
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

    private bool IsRedisDatabaseMethod(IMethodSymbol method)
        => method.ContainingType.IsType(_types.RedisDatabaseAsync) || method.ContainingType.Implements(_types.RedisDatabaseAsync);

    /// <summary>
    /// A hash, list, set or sorted set is as often a permanent record as a cache, so a structure write is only taken for
    /// a cache entry when it refills a miss: earlier in the same function a read of the same key returned data, a
    /// condition tested that result for emptiness, and the hit path serves the result while the write is on the miss
    /// path. Quiet when a <c>KeyExpire</c> on the key follows (also queued in a transaction or batch), when only
    /// constants are written (a default, not a copy of data), and when the key goes to a script or to code of the
    /// compilation, which may set the TTL.
    /// </summary>
    private CacheWrite? RecognizeRedisStructure(IInvocationOperation write, BlockFacts facts)
    {
        if (write.GetArgument("key")?.WalkDownConversions() is not { } key || WritesOnlyConstants(write)
            || IsFollowedByKeyExpire(write, facts) || IsKeyHandedOutOfSight(key, facts))
        {
            return null;
        }

        var writeFunction = EnclosingFunction(write);
        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is IInvocationOperation read && read.Syntax.SpanStart < write.Syntax.SpanStart
                && RedisStructureReads.Contains(read.TargetMethod.Name) && IsRedisDatabaseMethod(read.TargetMethod)
                && read.GetArgument("key")?.WalkDownConversions() is { } readKey && IsSameKey(key, readKey, facts)
                && ResultLocal(read) is { } result && EnclosingFunction(read) == writeFunction
                && IsRefilledOnMiss(write, key, result, writeFunction, facts))
            {
                return new CacheWrite(write, CacheWriteKind.RedisStructureWrite, null, null, read);
            }
        }

        return null;
    }

    /// <summary>Only constant values (the hash field name aside): a default being initialised, not data copied from elsewhere.</summary>
    private static bool WritesOnlyConstants(IInvocationOperation write)
    {
        foreach (var argument in write.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && argument.Parameter is { Name: not ("key" or "hashField") } parameter
                && parameter.Type.Name is not ("When" or "SortedSetWhen" or "CommandFlags")
                && !(argument.Value.WalkDownConversions() is { ConstantValue.HasValue: true }))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A Lua script in the method, or the key passed to a method of the compilation: the TTL may be set out of sight.</summary>
    private bool IsKeyHandedOutOfSight(IOperation key, BlockFacts facts)
    {
        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is not IInvocationOperation call)
            {
                continue;
            }

            var method = call.TargetMethod;
            if (method.Name.StartsWith("Script", System.StringComparison.Ordinal) && IsRedisDatabaseMethod(method))
            {
                return true;
            }

            if (method.Locations.Length > 0 && method.Locations[0].IsInSource)
            {
                foreach (var argument in call.Arguments)
                {
                    if (argument.Value.WalkDownConversions() is { } passed && IsSameKey(key, passed, facts))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>The lambda or local function the operation runs in, else the root of its block.</summary>
    private static IOperation EnclosingFunction(IOperation operation)
    {
        var current = operation;
        while (current.Parent is { } parent)
        {
            if (parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return parent;
            }

            current = parent;
        }

        return current;
    }

    /// <summary>
    /// The local a read's result is stored in (<c>var entries = await db.HashGetAllAsync(key);</c>), also through a
    /// short chain of calls on it (<c>(await db.HashGetAllAsync(key)).ToStringDictionary()</c>, <c>.Select(..).ToList()</c>).
    /// </summary>
    private static ILocalSymbol? ResultLocal(IInvocationOperation read)
    {
        IOperation current = read;
        var calls = 0;
        while (current.Parent is IAwaitOperation or IConversionOperation
               || current.Parent is IInvocationOperation call && call.Instance == current && calls++ < 4
               || current.Parent is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } extension } argument && extension.Arguments.Length > 0 && extension.Arguments[0] == argument && calls++ < 4)
        {
            current = current.Parent is IArgumentOperation { Parent: { } invocation } ? invocation : current.Parent;
        }

        return current.Parent switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment when assignment.Value == current => target.Local,
            _ => null,
        };
    }

    /// <summary>
    /// Cache-aside: a condition tests <paramref name="result"/> for emptiness, the write is on the miss side (in the
    /// branch whose other side writes nothing to the key, or after a hit branch that returns), and the hit side uses the result.
    /// </summary>
    private bool IsRefilledOnMiss(IInvocationOperation write, IOperation key, ILocalSymbol result, IOperation function, BlockFacts facts)
    {
        var tests = new List<IConditionalOperation>();
        var uses = new List<IOperation>();
        var visited = 0;
        foreach (var operation in function.Descendants())
        {
            if (++visited > InterproceduralSummaries.MaxOperationsPerBody)
            {
                return false;
            }

            if (operation is not ILocalReferenceOperation reference || !SymbolEqualityComparer.Default.Equals(reference.Local, result) || IsAssignmentTarget(reference))
            {
                continue;
            }

            if (TestingCondition(reference) is { } test)
            {
                if (IsEmptinessTest(reference))
                {
                    tests.Add(test);
                }
            }
            else
            {
                uses.Add(reference);
            }
        }

        var writeSpan = write.Syntax.Span;
        foreach (var test in tests)
        {
            var conditionalSpan = test.Syntax.Span;
            if (conditionalSpan.Contains(writeSpan))
            {
                var (miss, hit) = test.WhenTrue.Syntax.Span.Contains(writeSpan) ? (test.WhenTrue, test.WhenFalse)
                    : test.WhenFalse is { } whenFalse && whenFalse.Syntax.Span.Contains(writeSpan) ? (whenFalse, test.WhenTrue)
                    : (null, null);
                if (miss is not null && (hit is null || !WritesKeyWithin(hit, key, facts))
                    && uses.Exists(use => use.Syntax.SpanStart > conditionalSpan.Start && !miss.Syntax.Span.Contains(use.Syntax.Span)))
                {
                    return true;
                }
            }
            else if (conditionalSpan.End <= writeSpan.Start)
            {
                foreach (var hit in new[] { test.WhenTrue, test.WhenFalse })
                {
                    if (hit is not null && Returns(hit) && uses.Exists(use => hit.Syntax.Span.Contains(use.Syntax.Span)))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsAssignmentTarget(IOperation reference)
        => reference.Parent is IAssignmentOperation assignment && assignment.Target == reference;

    /// <summary>The <c>if</c> (or <c>?:</c>) whose condition the reference is part of, within the same function.</summary>
    private static IConditionalOperation? TestingCondition(IOperation reference)
    {
        var child = reference;
        for (var parent = reference.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; child = parent, parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional)
            {
                return conditional.Condition == child ? conditional : null;
            }
        }

        return null;
    }

    /// <summary><c>entries.Length == 0</c>, <c>!cached.HasValue</c>, <c>items.Any()</c>, <c>value is null</c>, <c>members is { Length: > 0 }</c>.</summary>
    private static bool IsEmptinessTest(IOperation reference)
    {
        var used = reference;
        while (used.Parent is IConversionOperation conversion)
        {
            used = conversion;
        }

        return used.Parent switch
        {
            IPropertyReferenceOperation { Property.Name: "Length" or "Count" } count => IsComparedWithZeroOrOne(count),
            IPropertyReferenceOperation property => EmptinessMembers.Contains(property.Property.Name),
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Count" } count } => IsComparedWithZeroOrOne(count),
            IArgumentOperation { Parent: IInvocationOperation call } => EmptinessMembers.Contains(call.TargetMethod.Name)
                || call.TargetMethod.Name == "IsNullOrEmpty",
            IInvocationOperation { TargetMethod.Name: "Count" } count when count.Instance == used => IsComparedWithZeroOrOne(count),
            IInvocationOperation call when call.Instance == used => EmptinessMembers.Contains(call.TargetMethod.Name),
            IBinaryOperation binary => (binary.LeftOperand == used ? binary.RightOperand : binary.LeftOperand).WalkDownConversions() is { ConstantValue: { HasValue: true, Value: null } },
            IIsPatternOperation => true,
            _ => false,
        };
    }

    /// <summary><c>entries.Length == 0</c>, <c>items.Count &gt; 0</c>, <c>members.Length &lt; 1</c>: emptiness, not a size limit.</summary>
    private static bool IsComparedWithZeroOrOne(IOperation count)
    {
        var used = count;
        while (used.Parent is IConversionOperation conversion)
        {
            used = conversion;
        }

        return used.Parent is IBinaryOperation binary
            && (binary.LeftOperand == used ? binary.RightOperand : binary.LeftOperand).WalkDownConversions() is { ConstantValue: { HasValue: true, Value: 0 or 1 or 0L or 1L } };
    }

    private bool WritesKeyWithin(IOperation branch, IOperation key, BlockFacts facts)
    {
        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is IInvocationOperation call && branch.Syntax.Span.Contains(call.Syntax.Span)
                && (RedisStructureWrites.Contains(call.TargetMethod.Name) || call.TargetMethod.Name is "StringSet" or "StringSetAsync")
                && IsRedisDatabaseMethod(call.TargetMethod) && call.GetArgument("key")?.WalkDownConversions() is { } written && IsSameKey(key, written, facts))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Returns(IOperation branch)
    {
        if (branch is IReturnOperation)
        {
            return true;
        }

        foreach (var operation in branch.Descendants())
        {
            if (operation is IReturnOperation && EnclosingFunction(operation) == EnclosingFunction(branch))
            {
                return true;
            }
        }

        return false;
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

    /// <summary><c>db.StringSet(key, v); db.KeyExpire(key, ttl);</c> (or <c>HashFieldExpire</c> for the fields of a hash): the same key gets a TTL later in the method.</summary>
    private bool IsFollowedByKeyExpire(IInvocationOperation invocation, BlockFacts facts)
    {
        var key = invocation.GetArgument("key")?.WalkDownConversions();
        if (key is null)
        {
            return false;
        }

        foreach (var operation in facts.CreationsAndCalls)
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "KeyExpire" or "KeyExpireAsync" or "HashFieldExpire" or "HashFieldExpireAsync" } expire
                && operation.Syntax.SpanStart > invocation.Syntax.SpanStart
                && IsRedisDatabaseMethod(expire.TargetMethod)
                && expire.GetArgument("key")?.WalkDownConversions() is { } expiredKey && IsSameKey(key, expiredKey, facts))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The same key: the same local, the same expression text, or a local whose only assignment is the other
    /// expression (<c>var key = "s:" + id;</c> and <c>"s:" + id</c>).
    /// </summary>
    private static bool IsSameKey(IOperation first, IOperation second, BlockFacts facts)
    {
        if (first is ILocalReferenceOperation a && second is ILocalReferenceOperation b)
        {
            return SymbolEqualityComparer.Default.Equals(a.Local, b.Local);
        }

        return KeyText(first, facts) == KeyText(second, facts);
    }

    private static string KeyText(IOperation key, BlockFacts facts)
    {
        if (key is ILocalReferenceOperation local)
        {
            var definitions = facts.Flow.GetDefinitions(local.Local);
            return definitions.Count == 1 && !definitions[0].IsMutation && definitions[0].Value.WalkDownConversions() is { } value
                ? value.Syntax.ToString()
                : "local " + local.Local.Name;
        }

        return key.Syntax.ToString();
    }

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
