using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.FilterAfterMaterializationAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF007_FilterAfterMaterializationTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    // ---- Positives ----

    [Fact]
    public async Task ToListThenWhere_OnDbSet_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public List<Order> Big(BlogDbContext db)
        => {|#0:db.Orders.ToList()|}.Where(o => o.Total > 100).ToList();
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("ToList", "Where"));
    }

    [Fact]
    public async Task AwaitedToListAsyncThenOrderByTake_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Posts
{
    public async Task<List<Post>> LatestAsync(BlogDbContext db, CancellationToken ct)
        => (await {|#0:db.Posts.Where(p => p.AuthorId == 3).ToListAsync(ct)|}).OrderByDescending(p => p.CreatedAt).Take(10).ToList();
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("ToListAsync", "OrderByDescending"));
    }

    [Fact]
    public async Task LocalHoldingRows_UsedOnlyByCount_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Stats
{
    public async Task<int> ShippedAsync(BlogDbContext db)
    {
        var orders = await {|#0:db.Orders.ToListAsync()|};
        return orders.Count(o => o.Shipped);
    }
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("ToListAsync", "Count"));
    }

    [Fact]
    public async Task AsEnumerableThenTranslatableWhere_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Users
{
    public List<string> Names(BlogDbContext db, string domain)
        => {|#0:db.Users.AsEnumerable()|}.Where(u => u.Email.EndsWith(domain)).Select(u => u.Name).ToList();
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("AsEnumerable", "Where"));
    }

    [Fact]
    public async Task ToArrayThenWhereCallingLocalMethod_ReportsWithoutFixableShape()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Products
{
    public Product[] Cheap(BlogDbContext db)
        => {|#0:db.Products.ToArray()|}.Where(p => IsCheap(p)).ToArray();

    private static bool IsCheap(Product p) => p.Price < 5;
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("ToArray", "Where"));
    }

    [Fact]
    public async Task QueryInLocal_ToListThenFirstOrDefault_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Settings
{
    public Setting Find(BlogDbContext db, string key)
    {
        var query = db.Settings.AsNoTracking();
        return {|#0:query.ToList()|}.FirstOrDefault(s => s.Key == key);
    }
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("ToList", "FirstOrDefault"));
    }

    // ---- Negatives ----

    [Fact]
    public async Task InMemoryList_ToListThenWhere_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public List<Order> Big(List<Order> orders) => orders.ToList().Where(o => o.Total > 100).ToList();
    public Order[] Big(Order[] orders) => orders.AsEnumerable().Where(o => o.Total > 100).ToArray();
}
""");
    }

    [Fact]
    public async Task DapperQuery_ToListThenWhere_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public List<Order> Big(IDbConnection conn)
        => conn.Query<Order>("select * from Orders").ToList().Where(o => o.Total > 100).ToList();
}
""");
    }

    [Fact]
    public async Task FilterBeforeMaterialization_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public async Task<List<Order>> BigAsync(BlogDbContext db)
        => await db.Orders.Where(o => o.Total > 100).OrderBy(o => o.Id).ToListAsync();
}
""");
    }

    [Fact]
    public async Task AsEnumerableBeforeNonTranslatablePredicate_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.Text.RegularExpressions;
class Users
{
    public List<User> Matching(BlogDbContext db, Regex pattern)
        => db.Users.AsEnumerable().Where(u => pattern.IsMatch(u.Email)).ToList();
}
""");
    }

    [Fact]
    public async Task MaterializedListAlsoReturned_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public async Task<(List<Order> All, int Shipped)> SummaryAsync(BlogDbContext db)
    {
        var orders = await db.Orders.ToListAsync();
        var shipped = orders.Count(o => o.Shipped);
        return (orders, shipped);
    }
}
""");
    }

    [Fact]
    public async Task MaterializedListIterated_ThenCounted_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public decimal Sum(BlogDbContext db)
    {
        var orders = db.Orders.ToList();
        decimal total = 0;
        foreach (var o in orders) total += o.Total;
        return total / Math.Max(1, orders.Count(o => o.Shipped));
    }
}
""");
    }

    [Fact]
    public async Task SelectAfterMaterialization_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public List<int> Ids(BlogDbContext db) => db.Orders.ToList().Select(o => o.Id).ToList();
    public Dictionary<int, Order> ById(BlogDbContext db) => db.Orders.ToList().ToDictionary(o => o.Id);
}
""");
    }

    [Fact]
    public async Task GroupByOrNonTranslatableProjection_BeforeMaterialization_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class OrderDto { public int Id { get; set; } public string Label { get; set; } }
class Orders
{
    public List<int> Busy(BlogDbContext db)
        => db.Orders.GroupBy(o => o.BuyerId).Select(g => g.Key).ToList().Where(k => k > 3).ToList();

    public List<OrderDto> Labeled(BlogDbContext db)
        => db.Orders.Select(o => new OrderDto { Id = o.Id, Label = Format(o.Total) }).ToList().Where(d => d.Id > 3).ToList();

    private static string Format(decimal total) => total.ToString("C");
}
""");
    }

    [Fact]
    public async Task RawSqlQuery_ToListThenWhere_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public List<Order> Recent(BlogDbContext db)
        => db.Orders.FromSqlRaw("EXEC dbo.RecentOrders").ToList().Where(o => o.Total > 5).ToList();
}
""");
    }

    [Fact]
    public async Task EnumerableOperatorsAlreadyAppliedBeforeToList_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public List<Order> Big(BlogDbContext db)
        => db.Orders.AsEnumerable().Where(o => Check(o)).ToList().OrderBy(o => o.Id).ToList();

    private static bool Check(Order o) => o.Total > 5;
}
""");
    }

    [Fact]
    public async Task ToListAsyncWithConfigureAwait_OrStoredTask_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public async Task<int> CountAsync(BlogDbContext db)
    {
        var task = db.Orders.ToListAsync();
        var list = await task;
        return list.Count;
    }
}
""");
    }

    [Fact]
    public async Task ListCountProperty_AndForeach_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Orders
{
    public int Total(BlogDbContext db)
    {
        var orders = db.Orders.ToList();
        return orders.Count;
    }
}
""");
    }

    [Fact]
    public async Task BulkLoadThenWhereInsideForeach_LookupPattern_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Previews
{
    public async Task<Dictionary<int, List<string>>> ForPostsAsync(BlogDbContext db, List<Post> posts, CancellationToken ct)
    {
        var ids = posts.Select(p => p.Id).ToList();
        var comments = await db.Comments.Where(c => ids.Contains(c.PostId)).ToListAsync(ct);
        var result = new Dictionary<int, List<string>>();
        foreach (var post in posts)
        {
            result[post.Id] = comments.Where(c => c.PostId == post.Id).Select(c => c.Text).ToList();
        }

        return result;
    }

    public List<List<Order>> PerBuyer(BlogDbContext db, int[] buyers)
    {
        var orders = db.Orders.ToList();
        return buyers.Select(b => orders.Where(o => o.BuyerId == b).ToList()).ToList();
    }
}
""");
    }

    [Fact]
    public async Task LocalFilteredInForeachHeader_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Mailer
{
    public int Unshipped(BlogDbContext db)
    {
        var count = 0;
        var orders = {|#0:db.Orders.ToList()|};
        foreach (var o in orders.Where(o => !o.Shipped))
        {
            count++;
        }

        return count;
    }
}
""", VerifyCS.Diagnostic("PERF007").WithLocation(0).WithArguments("ToList", "Where"));
    }

    [Fact]
    public async Task QueryAlreadyLimitedByTake_ThenWhereInMemory_NoDiagnostic()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Posts
{
    public async Task<List<Post>> RecentByAuthorAsync(BlogDbContext db, int authorId)
    {
        var recent = await db.Posts.OrderByDescending(p => p.CreatedAt).Take(20).ToListAsync();
        return recent.Where(p => p.AuthorId == authorId).ToList();
    }
}
""");
    }
}
