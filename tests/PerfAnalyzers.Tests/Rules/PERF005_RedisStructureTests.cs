using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.CacheEntryWithoutExpirationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// PERF005 for StackExchange.Redis hashes, lists, sets and sorted sets: reported only when the write refills a cache
/// miss of the same key (cache-aside) and no KeyExpire follows; every other structure write is taken for a record.
/// </summary>
public class PERF005_RedisStructureTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

public record UserProfile(int Id, string Name, string Email);
public record Score(string Player, double Points);

public interface IUserRepository
{
    Task<UserProfile> LoadAsync(int id, CancellationToken ct);
    Task<List<string>> RolesAsync(int id, CancellationToken ct);
    List<string> Tags(int id);
    Task<List<Score>> TopScoresAsync(CancellationToken ct);
    Task<decimal> PriceAsync(string sku, CancellationToken ct);
}

""";

    private static Task Run(string source, params Microsoft.CodeAnalysis.Testing.DiagnosticResult[] expected)
        => VerifyCS.AnalyzerAsync(Usings + source, false, expected);

    // ---- positives: a cache miss refilled without a TTL ----

    [Fact]
    public Task HashGetAllMiss_HashSetAsyncWithSameInterpolatedKey_ReportsWithMissRead() => Run("""
public class ProfileCache
{
    private readonly IDatabase _db;
    private readonly IUserRepository _users;
    public ProfileCache(IConnectionMultiplexer redis, IUserRepository users) { _db = redis.GetDatabase(); _users = users; }

    public async Task<UserProfile> GetAsync(int id, CancellationToken ct)
    {
        var entries = await _db.HashGetAllAsync($"profile:{id}");
        if (entries.Length > 0)
        {
            var map = entries.ToDictionary(e => (string)e.Name, e => (string)e.Value);
            return new UserProfile(id, map["name"], map["email"]);
        }

        var profile = await _users.LoadAsync(id, ct);
        await {|#0:_db.HashSetAsync($"profile:{id}", new[] { new HashEntry("name", profile.Name), new HashEntry("email", profile.Email) })|};
        return profile;
    }
}
""", VerifyCS.Diagnostic("PERF005").WithLocation(0).WithArguments("'IDatabase.HashSetAsync'", " when 'IDatabase.HashGetAllAsync' on the same key misses"));

    [Fact]
    public Task HashGetFieldMiss_HashSetAsyncFieldInSharedHash_Reports() => Run("""
public class PriceCache
{
    private const string PricesKey = "prices";
    private readonly IDatabase _db;
    private readonly IUserRepository _repo;
    public PriceCache(IDatabase db, IUserRepository repo) { _db = db; _repo = repo; }

    public async Task<decimal> PriceAsync(string sku, CancellationToken ct)
    {
        var cached = await _db.HashGetAsync(PricesKey, sku);
        if (cached.HasValue)
        {
            return (decimal)cached;
        }

        var price = await _repo.PriceAsync(sku, ct);
        await {|PERF005:_db.HashSetAsync(PricesKey, sku, (double)price)|};
        return price;
    }
}
""");

    [Fact]
    public Task ListRangeMissInBranch_ListRightPushAsyncWithKeyLocal_Reports() => Run("""
public class RoleCache
{
    private readonly IDatabase _db;
    private readonly IUserRepository _users;
    public RoleCache(IDatabase db, IUserRepository users) { _db = db; _users = users; }

    public async Task<List<string>> RolesAsync(int userId, CancellationToken ct)
    {
        RedisKey key = "roles:" + userId;
        var cached = await _db.ListRangeAsync(key).ConfigureAwait(false);
        if (cached.Length == 0)
        {
            var roles = await _users.RolesAsync(userId, ct);
            await {|PERF005:_db.ListRightPushAsync(key, roles.Select(r => (RedisValue)r).ToArray())|}.ConfigureAwait(false);
            return roles;
        }
        return cached.Select(v => (string)v).ToList();
    }
}
""");

    [Fact]
    public Task SetMembersMiss_SynchronousSetAdd_Reports() => Run("""
public class TagCache
{
    public List<string> Tags(IDatabase db, IUserRepository users, int id)
    {
        var key = $"tags:{id}";
        var members = db.SetMembers(key);
        if (!members.Any())
        {
            var tags = users.Tags(id);
            {|PERF005:db.SetAdd(key, tags.Select(t => (RedisValue)t).ToArray())|};
            return tags;
        }
        return members.Select(m => m.ToString()).ToList();
    }
}
""");

    [Fact]
    public Task SortedSetRangeMiss_SortedSetAddAsyncLeaderboard_Reports() => Run("""
public class Leaderboard
{
    private const string Key = "leaderboard:top";
    private readonly IDatabase _db;
    private readonly IUserRepository _repo;
    public Leaderboard(IDatabase db, IUserRepository repo) { _db = db; _repo = repo; }

    public async Task<IReadOnlyList<Score>> TopAsync(CancellationToken ct)
    {
        var top = await _db.SortedSetRangeByRankWithScoresAsync(Key, 0, 9, Order.Descending);
        if (top is { Length: > 0 })
        {
            return top.Select(e => new Score(e.Element, e.Score)).ToList();
        }

        var scores = await _repo.TopScoresAsync(ct);
        await {|PERF005:_db.SortedSetAddAsync(Key, scores.Select(s => new SortedSetEntry(s.Player, s.Points)).ToArray())|};
        return scores;
    }
}
""");

    [Fact]
    public Task HashMiss_KeyExpireOnOtherKey_Reports() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var name = await db.HashGetAsync(key, "name");
        if (!name.IsNull)
        {
            return new UserProfile(id, name, "");
        }

        var profile = await users.LoadAsync(id, ct);
        await {|PERF005:db.HashSetAsync(key, "name", profile.Name)|};
        await db.KeyExpireAsync("profiles:index", TimeSpan.FromHours(1));
        return profile;
    }
}
""");

    [Fact]
    public Task HashMiss_TransactionQueuesHashSetWithoutKeyExpire_Reports() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        var tx = db.CreateTransaction();
        _ = {|PERF005:tx.HashSetAsync(key, new[] { new HashEntry("name", profile.Name) })|};
        _ = tx.SetAddAsync("profiles:known", id);
        await tx.ExecuteAsync();
        return profile;
    }
}
""");

    [Fact]
    public Task HashGetAllToStringDictionaryMiss_HashSetAsync_Reports() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var fields = (await db.HashGetAllAsync(key)).ToStringDictionary();
        if (fields.Count != 0)
        {
            return new UserProfile(id, fields["name"], fields["email"]);
        }

        var profile = await users.LoadAsync(id, ct);
        await {|PERF005:db.HashSetAsync(key, new[] { new HashEntry("name", profile.Name), new HashEntry("email", profile.Email) })|};
        return profile;
    }
}
""");

    // ---- look-alikes that stay quiet ----

    [Fact]
    public Task HashMiss_KeyExpireAsyncOnSameKeyLocal_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        await db.HashSetAsync(key, "name", profile.Name);
        await db.KeyExpireAsync(key, TimeSpan.FromMinutes(10));
        return profile;
    }
}
""");

    [Fact]
    public Task SetMembersMiss_KeyExpireWithSameInterpolation_NoDiagnostic() => Run("""
public class TagCache
{
    public List<string> Tags(IDatabase db, IUserRepository users, int id)
    {
        var members = db.SetMembers($"tags:{id}");
        if (members.Length == 0)
        {
            var tags = users.Tags(id);
            db.SetAdd($"tags:{id}", tags.Select(t => (RedisValue)t).ToArray());
            db.KeyExpire($"tags:{id}", TimeSpan.FromMinutes(30));
            return tags;
        }
        return members.Select(m => m.ToString()).ToList();
    }
}
""");

    [Fact]
    public Task HashMiss_TransactionQueuesHashSetAndKeyExpire_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        var tx = db.CreateTransaction();
        _ = tx.HashSetAsync(key, new[] { new HashEntry("name", profile.Name) });
        _ = tx.KeyExpireAsync(key, TimeSpan.FromMinutes(10));
        await tx.ExecuteAsync();
        return profile;
    }
}
""");

    [Fact]
    public Task ListMiss_BatchQueuesPushAndKeyExpire_NoDiagnostic() => Run("""
public class RoleCache
{
    public async Task<List<string>> RolesAsync(IDatabase db, IUserRepository users, int userId, CancellationToken ct)
    {
        var key = "roles:" + userId;
        var cached = await db.ListRangeAsync(key);
        if (cached.Length > 0)
        {
            return cached.Select(v => (string)v).ToList();
        }

        var roles = await users.RolesAsync(userId, ct);
        var batch = db.CreateBatch();
        var push = batch.ListRightPushAsync(key, roles.Select(r => (RedisValue)r).ToArray());
        var expire = batch.KeyExpireAsync(key, TimeSpan.FromMinutes(5));
        batch.Execute();
        await Task.WhenAll(push, expire);
        return roles;
    }
}
""");

    [Fact]
    public Task HashSetWithoutAnyRead_ProfileRecordStore_NoDiagnostic() => Run("""
public class ProfileStore
{
    private readonly IDatabase _db;
    public ProfileStore(IDatabase db) => _db = db;

    public Task SaveAsync(UserProfile profile)
        => _db.HashSetAsync($"user:{profile.Id}", new[] { new HashEntry("name", profile.Name), new HashEntry("email", profile.Email) });

    public async Task<string> NameAsync(int id) => await _db.HashGetAsync($"user:{id}", "name");
}
""");

    [Fact]
    public Task CartReadModifyWrite_NoEmptinessTest_NoDiagnostic() => Run("""
public class Cart
{
    public async Task AddAsync(IDatabase db, string cartId, string sku, int quantity)
    {
        var key = "cart:" + cartId;
        var current = await db.HashGetAsync(key, sku);
        await db.HashSetAsync(key, sku, (int)current + quantity);
    }
}
""");

    [Fact]
    public Task AddIfAbsent_HitBranchReturnsFlagNotData_NoDiagnostic() => Run("""
public class Reservations
{
    public async Task<bool> ReserveAsync(IDatabase db, string eventId, string seat, string holder)
    {
        var key = "seats:" + eventId;
        var existing = await db.HashGetAsync(key, seat);
        if (existing.HasValue)
        {
            return false;
        }

        await db.HashSetAsync(key, seat, holder);
        return true;
    }
}
""");

    [Fact]
    public Task IfElseBothBranchesWrite_CounterUpdate_NoDiagnostic() => Run("""
public class Votes
{
    public async Task<long> VoteAsync(IDatabase db, string pollId, string option, string voter)
    {
        var key = "poll:" + pollId;
        var current = await db.HashGetAsync(key, option);
        if (current.HasValue)
        {
            await db.HashSetAsync(key, option, (long)current + 1);
            return (long)current + 1;
        }
        else
        {
            await db.HashSetAsync(key, option, voter.Length > 0 ? 1 : 0);
            return 1;
        }
    }
}
""");

    [Fact]
    public Task MembershipTest_NotEmptiness_SetAddAfter_NoDiagnostic() => Run("""
public class Followers
{
    public async Task<RedisValue[]> FollowAsync(IDatabase db, string userId, string follower)
    {
        var key = "followers:" + userId;
        var members = await db.SetMembersAsync(key);
        if (members.Contains(follower))
        {
            return members;
        }

        await db.SetAddAsync(key, follower);
        return members.Append((RedisValue)follower).ToArray();
    }
}
""");

    [Fact]
    public Task GetOrInitializeWithConstantDefault_NoDiagnostic() => Run("""
public class Counters
{
    public async Task<long> GetAsync(IDatabase db, string name)
    {
        var value = await db.HashGetAsync("counters", name);
        if (value.HasValue)
        {
            return (long)value;
        }

        await db.HashSetAsync("counters", name, 0);
        return 0;
    }
}
""");

    [Fact]
    public Task MissOnOneKey_WriteToAnotherKey_NoDiagnostic() => Run("""
public class ProfileIndex
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var entries = await db.HashGetAllAsync($"profile:{id}");
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        await db.SetAddAsync("profiles:missing", profile.Id);
        return profile;
    }
}
""");

    [Fact]
    public Task HashMiss_KeyHandedToTtlHelperOfCompilation_NoDiagnostic() => Run("""
public class ProfileCache
{
    private readonly IDatabase _db;
    public ProfileCache(IDatabase db) => _db = db;

    public async Task<UserProfile> GetAsync(IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var entries = await _db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        await _db.HashSetAsync(key, "name", profile.Name);
        await ApplyTtlAsync(key);
        return profile;
    }

    private Task ApplyTtlAsync(string key) => _db.KeyExpireAsync(key, TimeSpan.FromMinutes(15));
}
""");

    [Fact]
    public Task HashMiss_LuaScriptInMethod_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        await db.HashSetAsync(key, "name", profile.Name);
        await db.ScriptEvaluateAsync("redis.call('EXPIRE', KEYS[1], 600)", new RedisKey[] { key });
        return profile;
    }
}
""");

    [Fact]
    public Task KeyExistsTest_DefaultsWrittenOnce_NoDiagnostic() => Run("""
public class Settings
{
    public async Task EnsureAsync(IDatabase db, int userId, string theme)
    {
        var key = "settings:" + userId;
        if (!await db.KeyExistsAsync(key))
        {
            await db.HashSetAsync(key, "theme", theme);
        }
    }
}
""");

    [Fact]
    public Task ReadInOtherLambda_WriteInMethodBody_NoDiagnostic() => Run("""
public class Warmup
{
    public async Task WarmAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        Func<Task<bool>> probe = async () =>
        {
            var entries = await db.HashGetAllAsync(key);
            if (entries.Length > 0) { return entries[0].Value.HasValue; }
            return false;
        };
        var profile = await users.LoadAsync(id, ct);
        await db.HashSetAsync(key, "name", profile.Name);
        await probe();
    }
}
""");

    [Fact]
    public Task HashFieldMiss_HashFieldExpireAsyncOnWrittenField_NoDiagnostic() => Run("""
public class PriceCache
{
    public async Task<decimal> PriceAsync(IDatabase db, IUserRepository repo, string sku, CancellationToken ct)
    {
        var cached = await db.HashGetAsync("prices", sku);
        if (cached.HasValue)
        {
            return (decimal)cached;
        }

        var price = await repo.PriceAsync(sku, ct);
        await db.HashSetAsync("prices", sku, (double)price);
        await db.HashFieldExpireAsync("prices", new RedisValue[] { sku }, TimeSpan.FromMinutes(10));
        return price;
    }
}
""");

    [Fact]
    public Task KeyLocalAtWrite_KeyExpireWithTheLocalsExpression_NoDiagnostic() => Run("""
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = $"profile:{id}";
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value, "");
        }

        var profile = await users.LoadAsync(id, ct);
        await db.HashSetAsync(key, "name", profile.Name);
        await db.StringSetAsync("seen:" + id, profile.Name);
        var seenKey = "seen:" + id;
        await db.KeyExpireAsync($"profile:{id}", TimeSpan.FromMinutes(10));
        await db.KeyExpireAsync(seenKey, TimeSpan.FromMinutes(10));
        return profile;
    }
}
""");

    [Fact]
    public Task SizeLimitTest_NotEmptiness_RecentListPush_NoDiagnostic() => Run("""
public class RecentSearches
{
    public async Task<RedisValue[]> AddAsync(IDatabase db, int userId, string term)
    {
        var key = "recent:" + userId;
        var recent = await db.ListRangeAsync(key, 0, 19);
        if (recent.Length >= 20)
        {
            return recent;
        }

        await db.ListLeftPushAsync(key, term);
        return recent;
    }
}
""");
}
