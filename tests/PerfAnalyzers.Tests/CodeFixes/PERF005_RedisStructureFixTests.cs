using System.Threading.Tasks;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.CacheEntryWithoutExpirationAnalyzer, PerfAnalyzers.CodeFixes.CacheExpiration.CacheExpirationCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>PERF005 fix for Redis structure writes: a <c>KeyExpire(Async)</c> on the same key as the next statement.</summary>
public class PERF005_RedisStructureFixTests
{
    private const string Prelude = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using StackExchange.Redis;

public record UserProfile(int Id, string Name);

public interface IUserRepository
{
    Task<UserProfile> LoadAsync(int id, CancellationToken ct);
    Task<List<string>> RolesAsync(int id, CancellationToken ct);
    List<string> Tags(int id);
}

""";

    [Fact]
    public async Task HashAndListMisses_AwaitedWrites_KeyExpireAsyncInsertedAfterEach_FixAll()
    {
        await VerifyFix.CodeFixAsync(Prelude + """
public class UserCache
{
    private readonly IDatabase _db;
    private readonly IUserRepository _users;
    public UserCache(IDatabase db, IUserRepository users) { _db = db; _users = users; }

    public async Task<UserProfile> ProfileAsync(int id, CancellationToken ct)
    {
        var entries = await _db.HashGetAllAsync($"profile:{id}");
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value);
        }

        var profile = await _users.LoadAsync(id, ct);
        await {|PERF005:_db.HashSetAsync($"profile:{id}", "name", profile.Name)|};
        return profile;
    }

    public async Task<List<string>> RolesAsync(int id, CancellationToken ct)
    {
        RedisKey key = "roles:" + id;
        var cached = await _db.ListRangeAsync(key);
        if (cached.Length == 0)
        {
            var roles = await _users.RolesAsync(id, ct);
            var length = await {|PERF005:_db.ListRightPushAsync(key, roles.Select(r => (RedisValue)r).ToArray())|}.ConfigureAwait(false);
            return roles;
        }
        return cached.Select(v => (string)v).ToList();
    }
}
""", Prelude + """
public class UserCache
{
    private readonly IDatabase _db;
    private readonly IUserRepository _users;
    public UserCache(IDatabase db, IUserRepository users) { _db = db; _users = users; }

    public async Task<UserProfile> ProfileAsync(int id, CancellationToken ct)
    {
        var entries = await _db.HashGetAllAsync($"profile:{id}");
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value);
        }

        var profile = await _users.LoadAsync(id, ct);
        await _db.HashSetAsync($"profile:{id}", "name", profile.Name);
        await _db.KeyExpireAsync($"profile:{id}", TimeSpan.FromMinutes(5));
        return profile;
    }

    public async Task<List<string>> RolesAsync(int id, CancellationToken ct)
    {
        RedisKey key = "roles:" + id;
        var cached = await _db.ListRangeAsync(key);
        if (cached.Length == 0)
        {
            var roles = await _users.RolesAsync(id, ct);
            var length = await _db.ListRightPushAsync(key, roles.Select(r => (RedisValue)r).ToArray()).ConfigureAwait(false);
            await _db.KeyExpireAsync(key, TimeSpan.FromMinutes(5)).ConfigureAwait(false);
            return roles;
        }
        return cached.Select(v => (string)v).ToList();
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task SetMembersMiss_SynchronousSetAdd_KeyExpireInserted()
    {
        await VerifyFix.CodeFixAsync(Prelude + """
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
""", Prelude + """
public class TagCache
{
    public List<string> Tags(IDatabase db, IUserRepository users, int id)
    {
        var key = $"tags:{id}";
        var members = db.SetMembers(key);
        if (!members.Any())
        {
            var tags = users.Tags(id);
            db.SetAdd(key, tags.Select(t => (RedisValue)t).ToArray());
            db.KeyExpire(key, TimeSpan.FromMinutes(5));
            return tags;
        }
        return members.Select(m => m.ToString()).ToList();
    }
}
""", includeModel: false);
    }

    [Fact]
    public async Task HashMiss_EditorConfigMinutes_UsesConfiguredValue()
    {
        var test = new VerifyFix.Test
        {
            TestCode = Prelude + """
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var name = await db.HashGetAsync("profile:" + id, "name");
        if (name.HasValue)
        {
            return new UserProfile(id, name);
        }

        var profile = await users.LoadAsync(id, ct);
        await {|PERF005:db.HashSetAsync("profile:" + id, "name", profile.Name)|};
        return profile;
    }
}
""",
            FixedCode = Prelude + """
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var name = await db.HashGetAsync("profile:" + id, "name");
        if (name.HasValue)
        {
            return new UserProfile(id, name);
        }

        var profile = await users.LoadAsync(id, ct);
        await db.HashSetAsync("profile:" + id, "name", profile.Name);
        await db.KeyExpireAsync("profile:" + id, TimeSpan.FromMinutes(45));
        return profile;
    }
}
""",
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\nperf_analyzers.PERF005.cache_expiration_minutes = 45\n"));
        await test.RunAsync();
    }

    [Fact]
    public async Task KeyBuiltByCall_NotRepeatable_NoFixOffered()
    {
        const string source = Prelude + """
public class ProfileCache
{
    private static string Key(int id) => "profile:" + id;

    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var name = await db.HashGetAsync(Key(id), "name");
        if (name.HasValue)
        {
            return new UserProfile(id, name);
        }

        var profile = await users.LoadAsync(id, ct);
        await {|PERF005:db.HashSetAsync(Key(id), "name", profile.Name)|};
        return profile;
    }
}
""";
        await VerifyFix.CodeFixAsync(source, source, includeModel: false);
    }

    [Fact]
    public async Task WriteAsEmbeddedStatementWithoutBlock_NoFixOffered()
    {
        const string source = Prelude + """
public class TagCache
{
    public List<string> Tags(IDatabase db, IUserRepository users, int id)
    {
        var key = $"tags:{id}";
        var members = db.SetMembers(key);
        var tags = users.Tags(id);
        if (members.Length == 0)
            {|PERF005:db.SetAdd(key, tags.Select(t => (RedisValue)t).ToArray())|};
        return members.Length == 0 ? tags : members.Select(m => m.ToString()).ToList();
    }
}
""";
        await VerifyFix.CodeFixAsync(source, source, includeModel: false);
    }

    [Fact]
    public async Task WriteQueuedOnTransaction_NotAwaited_NoFixOffered()
    {
        const string source = Prelude + """
public class ProfileCache
{
    public async Task<UserProfile> GetAsync(IDatabase db, IUserRepository users, int id, CancellationToken ct)
    {
        var key = "profile:" + id;
        var entries = await db.HashGetAllAsync(key);
        if (entries.Length > 0)
        {
            return new UserProfile(id, entries[0].Value);
        }

        var profile = await users.LoadAsync(id, ct);
        var tx = db.CreateTransaction();
        _ = {|PERF005:tx.HashSetAsync(key, "name", profile.Name)|};
        await tx.ExecuteAsync();
        return profile;
    }
}
""";
        await VerifyFix.CodeFixAsync(source, source, includeModel: false);
    }
}
