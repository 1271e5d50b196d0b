using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>PERF001 across loop shapes: for/while/do, per-element lambdas, parallel loops, and the designed repeats (paging, batching, retries).</summary>
public class PERF001_LoopShapesTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    // ---------------------------------------------------------------- positives

    [Fact]
    public async Task ForLoopOverDays_CountAsyncPerDay_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class DailyStats
{
    public async Task<Dictionary<DateTime, int>> PostsPerDayAsync(BlogDbContext db, DateTime from, DateTime to)
    {
        var result = new Dictionary<DateTime, int>();
        for (var day = from.Date; day <= to.Date; day = day.AddDays(1))
        {
            var next = day.AddDays(1);
            result[day] = await {|PERF001:db.Posts.CountAsync(p => p.CreatedAt >= day && p.CreatedAt < next)|};
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task WhileLoopWithIndexCounter_FindPerId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Loader
{
    public List<User> Load(BlogDbContext db, List<int> ids)
    {
        var users = new List<User>();
        var i = 0;
        while (i < ids.Count)
        {
            var user = {|PERF001:db.Users.Find(ids[i])|};
            if (user != null) users.Add(user);
            i++;
        }
        return users;
    }
}
""");
    }

    [Fact]
    public async Task DoWhileLoopWithIndex_SingleOrDefaultAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Verifier
{
    public async Task<int> MissingAsync(BlogDbContext db, string[] skus)
    {
        var missing = 0;
        var index = 0;
        do
        {
            var sku = skus[index];
            var product = await {|PERF001:db.Products.SingleOrDefaultAsync(p => p.Sku == sku)|};
            if (product == null) missing++;
            index++;
        }
        while (index < skus.Length);
        return missing;
    }
}
""");
    }

    [Fact]
    public async Task WhileLoopWalkingParentChain_FindAsyncLoopCarried_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Category
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public string Name { get; set; }
}

public class ShopContext : DbContext
{
    public DbSet<Category> Categories => Set<Category>();
}

public class Breadcrumbs
{
    public async Task<List<string>> BuildAsync(ShopContext db, int categoryId)
    {
        var path = new List<string>();
        var current = await db.Categories.FindAsync(categoryId);
        while (current != null)
        {
            path.Insert(0, current.Name);
            current = current.ParentId is int parentId ? await {|PERF001:db.Categories.FindAsync(parentId)|} : null;
        }
        return path;
    }
}
""");
    }

    [Fact]
    public async Task NestedForeachOverOrderLines_FindAsyncProduct_ReportsInnermostLoop()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PickingList
{
    public async Task<List<string>> BuildAsync(BlogDbContext db, List<Order> orders)
    {
        var lines = new List<string>();
        foreach (var order in orders)
        {
            foreach (var line in order.Lines)
            {
                var product = await {|#0:db.Products.FindAsync(line.ProductId)|};
                lines.Add($"{order.Id};{product.Sku};{line.Quantity}");
            }
        }
        return lines;
    }
}
""", VerifyCS.Diagnostic("PERF001").WithLocation(0).WithArguments("'DbSet<Product>.FindAsync'", "the foreach over 'order.Lines'"));
    }

    [Fact]
    public async Task ParallelForEachWithContextFactory_FindPerId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.Collections.Concurrent;

public class ParallelLoader
{
    private readonly IDbContextFactory<BlogDbContext> _factory;
    public ParallelLoader(IDbContextFactory<BlogDbContext> factory) => _factory = factory;

    public ConcurrentBag<User> Load(IEnumerable<int> ids)
    {
        var users = new ConcurrentBag<User>();
        Parallel.ForEach(ids, id =>
        {
            using var db = _factory.CreateDbContext();
            var user = {|PERF001:db.Users.Find(id)|};
            if (user != null) users.Add(user);
        });
        return users;
    }
}
""");
    }

    [Fact]
    public async Task ParallelForEachAsyncWithContextFactory_FirstOrDefaultAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Enricher
{
    private readonly IDbContextFactory<BlogDbContext> _factory;
    public Enricher(IDbContextFactory<BlogDbContext> factory) => _factory = factory;

    public Task EnrichAsync(IEnumerable<Order> orders, CancellationToken ct)
        => Parallel.ForEachAsync(orders, new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct }, async (order, token) =>
        {
            await using var db = await _factory.CreateDbContextAsync(token);
            order.Buyer = await {|PERF001:db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == order.BuyerId, token)|};
        });
}
""");
    }

    [Fact]
    public async Task TaskWhenAllOverSelectAsyncLambda_FindAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class FanOut
{
    private readonly IDbContextFactory<BlogDbContext> _factory;
    public FanOut(IDbContextFactory<BlogDbContext> factory) => _factory = factory;

    public async Task<User[]> LoadAsync(IEnumerable<int> ids)
    {
        var tasks = ids.Select(async id =>
        {
            await using var db = await _factory.CreateDbContextAsync();
            return await {|PERF001:db.Users.FindAsync(id)|};
        });
        return await Task.WhenAll(tasks);
    }
}
""");
    }

    [Fact]
    public async Task DeconstructionForeachOverCart_FindAsyncByProductId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CartTotals
{
    public async Task<decimal> TotalAsync(BlogDbContext db, Dictionary<int, int> quantitiesByProduct)
    {
        var total = 0m;
        foreach (var (productId, qty) in quantitiesByProduct)
        {
            var product = await {|PERF001:db.Products.FindAsync(productId)|};
            total += product.Price * qty;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task KeyDerivedFromElementInLocal_FindAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BuyerLoader
{
    public async Task AttachAsync(BlogDbContext db, IEnumerable<Order> orders)
    {
        foreach (var order in orders)
        {
            var key = order.BuyerId;
            if (key <= 0) continue;
            order.Buyer = await {|PERF001:db.Customers.FindAsync(key)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task KeyParsedWithOutVar_FindPerRow_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CsvLinker
{
    public List<User> Link(BlogDbContext db, IEnumerable<string> rows)
    {
        var users = new List<User>();
        foreach (var row in rows)
        {
            if (!int.TryParse(row, out var userId)) continue;
            var user = {|PERF001:db.Users.Find(userId)|};
            if (user != null) users.Add(user);
        }
        return users;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverInMemoryGroupBy_FindAsyncByGroupKey_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Statements
{
    public async Task<List<string>> BuildAsync(BlogDbContext db, List<Order> orders)
    {
        var statements = new List<string>();
        foreach (var group in orders.GroupBy(o => o.BuyerId))
        {
            var customer = await {|PERF001:db.Customers.FindAsync(group.Key)|};
            statements.Add($"{customer.Name}: {group.Sum(o => o.Total)}");
        }
        return statements;
    }
}
""");
    }

    [Fact]
    public async Task SelectManyToDictionaryAndListForEachLambdas_QueryPerElement_ReportsEach()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class LambdaShapes
{
    public void Run(BlogDbContext db, List<User> users, List<Post> posts, List<Order> orders)
    {
        var allPosts = users.SelectMany(u => {|PERF001:db.Posts.Where(p => p.AuthorId == u.Id).ToList()|}).ToList();
        var commentCounts = posts.ToDictionary(p => p.Id, p => {|PERF001:db.Comments.Count(c => c.PostId == p.Id)|});
        orders.ForEach(o => o.Buyer = {|PERF001:db.Customers.Find(o.BuyerId)|});
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverEnumerableRange_FindById_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class SeedChecker
{
    public int CountMissing(BlogDbContext db, int maxId)
    {
        var missing = 0;
        foreach (var id in Enumerable.Range(1, maxId))
        {
            if ({|PERF001:db.Products.Find(id)|} == null) missing++;
        }
        return missing;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverCsvRowsAsStringArrays_FirstOrDefaultBySku_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PriceFileImport
{
    public async Task ImportAsync(BlogDbContext db, IEnumerable<string> lines)
    {
        foreach (var fields in lines.Select(l => l.Split(';')))
        {
            var product = await {|PERF001:db.Products.FirstOrDefaultAsync(p => p.Sku == fields[0])|};
            if (product != null)
            {
                product.Price = decimal.Parse(fields[1]);
            }
        }
        await db.SaveChangesAsync();
    }
}
""");
    }

    [Fact]
    public async Task ForLoopOverAuthors_TakeThreeRecentPostsPerAuthor_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuthorCards
{
    public async Task<List<List<Post>>> RecentAsync(BlogDbContext db, IReadOnlyList<User> authors)
    {
        var cards = new List<List<Post>>();
        for (var i = 0; i < authors.Count; i++)
        {
            var authorId = authors[i].Id;
            cards.Add(await {|PERF001:db.Posts.Where(p => p.AuthorId == authorId).OrderByDescending(p => p.CreatedAt).Take(3).ToListAsync()|});
        }
        return cards;
    }
}
""");
    }

    [Fact]
    public async Task ForeachWithTryCatchAndConditionalReturnInsideTry_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderValidator
{
    public async Task<string> ValidateAsync(BlogDbContext db, IEnumerable<OrderLine> lines)
    {
        foreach (var line in lines)
        {
            try
            {
                var product = await {|PERF001:db.Products.FindAsync(line.ProductId)|};
                if (product == null)
                {
                    return $"Unknown product {line.ProductId}";
                }
            }
            catch (InvalidOperationException ex)
            {
                Console.Error.WriteLine(ex.Message);
            }
        }
        return null;
    }
}
""");
    }

    [Fact]
    public async Task ForeachWithContinueThenReturn_LookupUntilFound_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AccountMatcher
{
    public async Task<User> FirstRegisteredAsync(BlogDbContext db, IEnumerable<string> candidateEmails)
    {
        foreach (var email in candidateEmails)
        {
            var user = await {|PERF001:db.Users.FirstOrDefaultAsync(u => u.Email == email)|};
            if (user == null) continue;
            return user;
        }
        return null;
    }
}
""");
    }

    [Fact]
    public async Task WhileTryDequeue_FindAsyncPerDequeuedId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class WorkDrainer
{
    public async Task<int> DrainAsync(BlogDbContext db, Queue<int> pendingOrderIds)
    {
        var shipped = 0;
        while (pendingOrderIds.TryDequeue(out var orderId))
        {
            var order = await {|PERF001:db.Orders.FindAsync(orderId)|};
            if (order is { Shipped: true }) shipped++;
        }
        return shipped;
    }
}
""");
    }

    [Fact]
    public async Task DeconstructionForeachOverDictionaryOfLists_FindAsyncByKey_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class StatementMailer
{
    public async Task<List<string>> BuildAsync(BlogDbContext db, Dictionary<int, List<Order>> ordersByBuyer)
    {
        var mails = new List<string>();
        foreach (var (buyerId, orders) in ordersByBuyer)
        {
            var customer = await {|PERF001:db.Customers.FindAsync(buyerId)|};
            mails.Add($"{customer?.Name}: {orders.Count} orders, {orders.Sum(o => o.Total)}");
        }
        return mails;
    }
}
""");
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task PagingForLoop_SkipTake_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Reindexer
{
    public async Task RunAsync(BlogDbContext db, Func<Post, Task> index, CancellationToken ct)
    {
        const int pageSize = 250;
        for (var page = 0; ; page++)
        {
            var posts = await db.Posts.AsNoTracking().OrderBy(p => p.Id).Skip(page * pageSize).Take(pageSize).ToListAsync(ct);
            if (posts.Count == 0) break;
            foreach (var post in posts) await index(post);
        }
    }
}
""");
    }

    [Fact]
    public async Task KeysetPagingWhileLoop_WhereIdGreaterThanLastTake_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CommentScanner
{
    public async Task<int> ScanAsync(BlogDbContext db, CancellationToken ct)
    {
        var lastId = 0;
        var flagged = 0;
        while (true)
        {
            var batch = await db.Comments.AsNoTracking().Where(c => c.Id > lastId).OrderBy(c => c.Id).Take(1000).ToListAsync(ct);
            if (batch.Count == 0) break;
            flagged += batch.Count(c => c.Text.Contains("viagra"));
            lastId = batch[^1].Id;
        }
        return flagged;
    }
}
""");
    }

    [Fact]
    public async Task KeysetPagingWhileLoop_SaveChangesPerPage_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ShipBackfill
{
    public async Task RunAsync(BlogDbContext db, CancellationToken ct)
    {
        var lastId = 0;
        while (!ct.IsCancellationRequested)
        {
            var batch = await db.Orders.Where(o => o.Id > lastId && !o.Shipped).OrderBy(o => o.Id).Take(500).ToListAsync(ct);
            if (batch.Count == 0) break;
            foreach (var order in batch) order.Shipped = true;
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
            lastId = batch[^1].Id;
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPageRange_SkipTakeAndSaveChangesPerPage_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Recalculator
{
    public async Task RunAsync(BlogDbContext db, int totalOrders)
    {
        const int size = 100;
        var pages = (totalOrders + size - 1) / size;
        foreach (var page in Enumerable.Range(0, pages))
        {
            var orders = await db.Orders.Include(o => o.Lines).OrderBy(o => o.Id).Skip(page * size).Take(size).ToListAsync();
            foreach (var order in orders)
            {
                order.Total = order.Lines.Sum(l => l.Quantity);
            }
            await db.SaveChangesAsync();
        }
    }
}
""");
    }

    [Fact]
    public async Task ChunkBatches_ContainsQueryPerChunk_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class UserBulkLoader
{
    public async Task<List<User>> LoadAsync(BlogDbContext db, IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        var users = new List<User>(ids.Count);
        foreach (var chunk in ids.Chunk(1000))
        {
            users.AddRange(await db.Users.AsNoTracking().Where(u => chunk.Contains(u.Id)).ToListAsync(ct));
        }
        return users;
    }
}
""");
    }

    [Fact]
    public async Task ChunkBatches_AddRangeAndSaveChangesPerChunk_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BulkInserter
{
    public async Task InsertAsync(BlogDbContext db, IEnumerable<Comment> comments, CancellationToken ct)
    {
        foreach (var batch in comments.Chunk(2000))
        {
            db.Comments.AddRange(batch);
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPrebuiltListBatches_QueryPerBatch_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BatchedDeleter
{
    public async Task<int> DeleteAsync(BlogDbContext db, List<List<int>> batches)
    {
        var deleted = 0;
        foreach (var batch in batches)
        {
            deleted += await db.Comments.Where(c => batch.Contains(c.Id)).ExecuteDeleteAsync();
        }
        return deleted;
    }
}
""");
    }

    [Fact]
    public async Task RetryLoop_TryReturnCatchDelay_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class RetryingReader
{
    public async Task<Order> GetAsync(BlogDbContext db, int id)
    {
        for (var attempt = 0; attempt < 3; attempt++)
        {
            try
            {
                return await db.Orders.AsNoTracking().FirstAsync(o => o.Id == id);
            }
            catch (TimeoutException)
            {
                await Task.Delay(100 * (attempt + 1));
            }
        }
        throw new InvalidOperationException("unreachable database");
    }
}
""");
    }

    [Fact]
    public async Task ConcurrencyRetryLoop_SaveChangesThenBreak_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ConcurrencySafeSaver
{
    public async Task SaveAsync(BlogDbContext db)
    {
        var saved = false;
        while (!saved)
        {
            try
            {
                await db.SaveChangesAsync();
                saved = true;
                break;
            }
            catch (DbUpdateConcurrencyException ex)
            {
                foreach (var entry in ex.Entries)
                {
                    var databaseValues = await entry.GetDatabaseValuesAsync();
                    entry.OriginalValues.SetValues(databaseValues);
                }
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachThatReturnsOnFirstIteration_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PrimaryAddress
{
    public async Task<User> FirstAsync(BlogDbContext db, IEnumerable<int> preferredIds)
    {
        foreach (var id in preferredIds)
        {
            return await db.Users.FindAsync(id);
        }
        return null;
    }
}
""");
    }

    [Fact]
    public async Task ForeachThatThrowsAfterQuery_RunsAtMostOnce_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Guard
{
    public async Task EnsureNoneAsync(BlogDbContext db, IEnumerable<string> emails)
    {
        foreach (var email in emails)
        {
            var existing = await db.Users.CountAsync(u => u.Email == email);
            throw new InvalidOperationException($"{email} checked: {existing}; bulk check required");
        }
    }
}
""");
    }

    [Fact]
    public async Task PeriodicSaveChangesEveryHundredRows_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class LegacyImport
{
    public async Task ImportAsync(BlogDbContext db, IEnumerable<Product> rows)
    {
        var n = 0;
        foreach (var row in rows)
        {
            db.Products.Add(row);
            if (++n % 100 == 0)
            {
                await db.SaveChangesAsync();
            }
        }
        await db.SaveChangesAsync();
    }
}
""");
    }

    [Fact]
    public async Task SaveChangesWhenBufferCountReachesThreshold_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BufferedWriter
{
    public async Task WriteAsync(BlogDbContext db, IEnumerable<Comment> comments)
    {
        var buffer = new List<Comment>();
        foreach (var comment in comments)
        {
            buffer.Add(comment);
            if (buffer.Count >= 500)
            {
                db.Comments.AddRange(buffer);
                await db.SaveChangesAsync();
                buffer.Clear();
            }
        }
        db.Comments.AddRange(buffer);
        await db.SaveChangesAsync();
    }
}
""");
    }

    [Fact]
    public async Task BackgroundServicePollingLoop_OneJobPerPoll_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

public class ShippingWorker : BackgroundService
{
    private readonly IServiceScopeFactory _scopes;
    public ShippingWorker(IServiceScopeFactory scopes) => _scopes = scopes;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using var scope = _scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
            var next = await db.Orders.Where(o => !o.Shipped).OrderBy(o => o.Id).FirstOrDefaultAsync(stoppingToken);
            if (next != null)
            {
                next.Shipped = true;
                await db.SaveChangesAsync(stoppingToken);
            }
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task LambdasPassedToTaskRunOrStoredInFunc_NotPerElement_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Warmup
{
    private readonly Func<int, Task<User>> _loader;
    private readonly Dictionary<string, Func<Task<int>>> _counters = new();

    public Warmup(BlogDbContext db, IEnumerable<int> buyerIds)
    {
        _loader = id => db.Users.FindAsync(id).AsTask();
        foreach (var buyerId in buyerIds)
        {
            _counters["buyer:" + buyerId] = () => db.Orders.CountAsync(o => o.BuyerId == buyerId);
        }
    }

    public Task StartAsync(IDbContextFactory<BlogDbContext> factory)
        => Task.Run(async () =>
        {
            await using var db = await factory.CreateDbContextAsync();
            var count = await db.Posts.CountAsync();
            Console.WriteLine(count);
        });
}
""");
    }

    [Fact]
    public async Task NonDatabaseAwaitsInLoop_HttpStreamChannelDelay_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.IO;
using System.Net.Http;
using System.Net.Http.Json;
using System.Text;
using System.Threading.Channels;

public class Notifier
{
    private readonly HttpClient _http;
    public Notifier(HttpClient http) => _http = http;

    public async Task NotifyAsync(List<User> users, Stream output, Channel<int> channel, CancellationToken ct)
    {
        foreach (var user in users)
        {
            var profile = await _http.GetFromJsonAsync<User>($"profiles/{user.Id}", ct);
            await _http.PostAsJsonAsync("notify", new { user.Email, profile?.Name }, ct);
            await output.WriteAsync(Encoding.UTF8.GetBytes(user.Email + "\n"), ct);
            await channel.Writer.WriteAsync(user.Id, ct);
            await Task.Delay(10, ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task RedisStringGetAsyncInLoop_DbNamedVariable_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using StackExchange.Redis;

public class SessionStore
{
    private readonly IConnectionMultiplexer _redis;
    public SessionStore(IConnectionMultiplexer redis) => _redis = redis;

    public async Task<Dictionary<int, string>> TokensAsync(IEnumerable<int> userIds)
    {
        var db = _redis.GetDatabase();
        var tokens = new Dictionary<int, string>();
        foreach (var userId in userIds)
        {
            var value = await db.StringGetAsync($"session:{userId}");
            if (value.HasValue) tokens[userId] = value.ToString();
            await db.KeyExpireAsync($"session:{userId}", TimeSpan.FromMinutes(30));
        }
        return tokens;
    }
}
""");
    }

    [Fact]
    public async Task CollectionMethodsNamedLikeEfInLoop_ListFindDictCountArrayContains_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class InMemoryOps
{
    public int Run(List<User> users, Dictionary<int, Post> postsById, string[] names, List<Order> orders)
    {
        var hits = 0;
        foreach (var order in orders)
        {
            var user = users.Find(u => u.Id == order.BuyerId);
            if (user != null && names.Contains(user.Name)) hits++;
            if (postsById.Count(kv => kv.Value.AuthorId == order.BuyerId) > 2) hits++;
            var first = users.FirstOrDefault(u => u.Email == user?.Email);
            hits += users.Where(u => u.Id > order.Id).Select(u => u.Id).ToList().Count;
            if (postsById.Values.Any(p => p.Id == order.Id) && first != null) hits--;
        }
        return hits;
    }
}
""");
    }

    [Fact]
    public async Task UserClassesWithOwnFindAndQueryMethods_InLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Trie
{
    private readonly Dictionary<string, int> _words = new();
    public int? Find(string prefix) => _words.TryGetValue(prefix, out var v) ? v : null;
}

public class SearchIndex
{
    private readonly List<Post> _posts;
    public SearchIndex(List<Post> posts) => _posts = posts;
    public IEnumerable<Post> Query(string text) => _posts.Where(p => p.Title.Contains(text, StringComparison.OrdinalIgnoreCase));
    public Post FindAsync(int id) => _posts.FirstOrDefault(p => p.Id == id);
}

public class Autocomplete
{
    public List<Post> Suggest(Trie trie, SearchIndex index, IEnumerable<string> terms)
    {
        var results = new List<Post>();
        foreach (var term in terms)
        {
            if (trie.Find(term) is int id)
            {
                results.Add(index.FindAsync(id));
            }
            results.AddRange(index.Query(term).ToList());
        }
        return results;
    }
}
""");
    }

    [Fact]
    public async Task ParallelForEachCpuWorkOverMaterializedQuery_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.Collections.Concurrent;

public class HashComputer
{
    public async Task<ConcurrentDictionary<int, int>> ComputeAsync(BlogDbContext db)
    {
        var posts = await db.Posts.AsNoTracking().ToListAsync();
        var hashes = new ConcurrentDictionary<int, int>();
        Parallel.ForEach(posts, post => hashes[post.Id] = post.Title.GetHashCode());
        var titles = posts.Select(p => p.Title.ToUpperInvariant()).Where(t => t.Length > 3).ToArray();
        return hashes;
    }
}
""");
    }

    [Fact]
    public async Task OutboxPollingLoopWithLastSeenIdAndDelay_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.Extensions.Hosting;

public class CommentFeedPoller : BackgroundService
{
    private readonly IDbContextFactory<BlogDbContext> _factory;
    public CommentFeedPoller(IDbContextFactory<BlogDbContext> factory) => _factory = factory;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var lastSeenId = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var db = await _factory.CreateDbContextAsync(stoppingToken);
            var fresh = await db.Comments.AsNoTracking().Where(c => c.Id > lastSeenId).OrderBy(c => c.Id).ToListAsync(stoppingToken);
            foreach (var comment in fresh)
            {
                Console.WriteLine(comment.Text);
            }
            lastSeenId = fresh.Count > 0 ? fresh[^1].Id : lastSeenId;
            await Task.Delay(TimeSpan.FromSeconds(10), stoppingToken);
        }
    }
}
""");
    }

    [Fact]
    public async Task ParallelForEachAsync_LoopInvariantLookupPassingLambdaToken_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ThumbnailJob
{
    private readonly IDbContextFactory<BlogDbContext> _factory;
    public ThumbnailJob(IDbContextFactory<BlogDbContext> factory) => _factory = factory;

    public Task RunAsync(IEnumerable<string> imagePaths, CancellationToken ct)
        => Parallel.ForEachAsync(imagePaths, ct, async (path, token) =>
        {
            await using var db = await _factory.CreateDbContextAsync(token);
            var watermark = await db.Settings.AsNoTracking().Where(s => s.Key == "Watermark").Select(s => s.Value).FirstOrDefaultAsync(token);
            await System.IO.File.WriteAllTextAsync(path + ".txt", watermark ?? string.Empty, token);
        });
}
""");
    }

    [Fact]
    public async Task MemoizingGetOrAddFactoryInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.Collections.Concurrent;

public class AuthorNames
{
    private readonly ConcurrentDictionary<int, string> _names = new();

    public List<string> For(BlogDbContext db, IEnumerable<Post> posts)
    {
        var result = new List<string>();
        foreach (var post in posts)
        {
            result.Add(_names.GetOrAdd(post.AuthorId, id => db.Users.Where(u => u.Id == id).Select(u => u.Name).First()));
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverRetryAttemptsRange_TryReturnCatch_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class FlakyLookup
{
    public async Task<Customer> GetAsync(BlogDbContext db, int customerId)
    {
        foreach (var attempt in Enumerable.Range(1, 3))
        {
            try
            {
                return await db.Customers.AsNoTracking().SingleAsync(c => c.Id == customerId);
            }
            catch (TimeoutException) when (attempt < 3)
            {
                await Task.Delay(attempt * 250);
            }
        }
        return null;
    }
}
""");
    }

    [Fact]
    public async Task DoWhilePaging_SkipTakeWithPageCounter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class UserSync
{
    public async Task<int> SyncAsync(BlogDbContext db, Func<IReadOnlyList<User>, Task> push, CancellationToken ct)
    {
        const int size = 500;
        var page = 0;
        var pushed = 0;
        List<User> users;
        do
        {
            users = await db.Users.AsNoTracking().OrderBy(u => u.Id).Skip(page++ * size).Take(size).ToListAsync(ct);
            if (users.Count > 0) await push(users);
            pushed += users.Count;
        }
        while (users.Count == size);
        return pushed;
    }
}
""");
    }

    [Fact]
    public async Task StartupMigrationRetryLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class DatabaseStartup
{
    public static async Task MigrateAsync(BlogDbContext db, CancellationToken ct)
    {
        for (var attempt = 1; attempt <= 10; attempt++)
        {
            try
            {
                await db.Database.MigrateAsync(ct);
                if (!await db.Settings.AnyAsync(s => s.Key == "SchemaVersion", ct))
                {
                    db.Settings.Add(new Setting { Key = "SchemaVersion", Value = "1" });
                    await db.SaveChangesAsync(ct);
                }
                break;
            }
            catch (Exception) when (attempt < 10)
            {
                await Task.Delay(TimeSpan.FromSeconds(attempt), ct);
            }
        }
    }
}
""");
    }
}
