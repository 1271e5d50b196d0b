using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>PERF001 over EF Core: executing operators, Find, entry loads, SaveChanges and raw SQL in loops.</summary>
public class PERF001_EfCoreTests
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

    private const string WebUsings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Blog;

""";

    // ---------------------------------------------------------------- positives

    [Fact]
    public async Task ForeachOverOrders_FirstOrDefaultAsyncCustomerByBuyerId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderService
{
    private readonly BlogDbContext _db;
    public OrderService(BlogDbContext db) => _db = db;

    public async Task<List<string>> BuyerNamesAsync(CancellationToken ct)
    {
        var orders = await _db.Orders.Where(o => !o.Shipped).ToListAsync(ct);
        var names = new List<string>();
        foreach (var order in orders)
        {
            var customer = await {|PERF001:_db.Customers.FirstOrDefaultAsync(c => c.Id == order.BuyerId, ct)|};
            names.Add(customer?.Name ?? "unknown");
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverUsers_WhereToListAsyncPostsByAuthor_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class FeedBuilder
{
    public async Task<Dictionary<string, List<Post>>> BuildAsync(BlogDbContext db, List<User> followed)
    {
        var feed = new Dictionary<string, List<Post>>();
        foreach (var user in followed)
        {
            var posts = await {|PERF001:db.Posts.Where(p => p.AuthorId == user.Id).OrderByDescending(p => p.CreatedAt).ToListAsync()|};
            feed[user.Name] = posts;
        }
        return feed;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverOrders_SyncAnyOnLines_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderCleanup
{
    public List<int> FindEmptyOrders(BlogDbContext db, IEnumerable<Order> candidates)
    {
        var empty = new List<int>();
        foreach (var order in candidates)
        {
            if (!{|PERF001:db.OrderLines.Any(l => l.OrderId == order.Id)|})
            {
                empty.Add(order.Id);
            }
        }
        return empty;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverCustomers_CountSumMaxAverageAsync_ReportsEach()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record CustomerStats(string Name, int Orders, decimal Spent, decimal Largest, decimal Average);

public class CustomerReport
{
    private readonly BlogDbContext _db;
    public CustomerReport(BlogDbContext db) => _db = db;

    public async Task<List<CustomerStats>> BuildAsync(CancellationToken ct)
    {
        var customers = await _db.Customers.AsNoTracking().ToListAsync(ct);
        var rows = new List<CustomerStats>();
        foreach (var customer in customers)
        {
            var orders = _db.Orders.Where(o => o.BuyerId == customer.Id);
            var count = await {|PERF001:orders.CountAsync(ct)|};
            var spent = await {|PERF001:orders.SumAsync(o => o.Total, ct)|};
            var largest = await {|PERF001:_db.Orders.Where(o => o.BuyerId == customer.Id).MaxAsync(o => (decimal?)o.Total, ct)|} ?? 0m;
            var average = count == 0 ? 0m : await {|PERF001:_db.Orders.Where(o => o.BuyerId == customer.Id).AverageAsync(o => o.Total, ct)|};
            rows.Add(new CustomerStats(customer.Name, count, spent, largest, average));
        }
        return rows;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverImportedEmails_ContainsAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class UserImporter
{
    public async Task<int> ImportAsync(BlogDbContext db, IReadOnlyCollection<string> emails)
    {
        var added = 0;
        foreach (var email in emails)
        {
            var normalized = email.Trim().ToLowerInvariant();
            if (await {|PERF001:db.Users.Select(u => u.Email).ContainsAsync(normalized)|})
            {
                continue;
            }

            db.Users.Add(new User { Email = normalized, Name = normalized });
            added++;
        }
        await db.SaveChangesAsync();
        return added;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverIds_ExecuteUpdateAndExecuteDeleteAsync_ReportsEach()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Fulfilment
{
    public async Task ShipAsync(BlogDbContext db, int[] orderIds, CancellationToken ct)
    {
        foreach (var id in orderIds)
        {
            await {|PERF001:db.Orders.Where(o => o.Id == id).ExecuteUpdateAsync(s => s.SetProperty(o => o.Shipped, true), ct)|};
            await {|PERF001:db.OrderLines.Where(l => l.OrderId == id && l.Quantity == 0).ExecuteDeleteAsync(ct)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_QueryableLoadComments_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PostLoader
{
    public void LoadComments(BlogDbContext db, List<Post> posts)
    {
        foreach (var post in posts)
        {
            {|PERF001:db.Comments.Where(c => c.PostId == post.Id).Load()|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverCartLines_DbContextFindAsyncGeneric_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CartPricing
{
    public async Task<decimal> TotalAsync(BlogDbContext db, List<OrderLine> cart)
    {
        decimal total = 0;
        foreach (var line in cart)
        {
            var product = await {|PERF001:db.FindAsync<Product>(line.ProductId)|};
            total += product.Price * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_EntryReferenceLoadAndCollectionLoadAsync_ReportsEach()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ExplicitLoader
{
    public async Task HydrateAsync(BlogDbContext db, List<Post> posts)
    {
        foreach (var post in posts)
        {
            {|PERF001:db.Entry(post).Reference(p => p.Author).Load()|};
            await {|PERF001:db.Entry(post).Collection(p => p.Comments).LoadAsync()|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_EntryCollectionQueryCountAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CommentCounter
{
    public async Task<Dictionary<int, int>> CountAsync(BlogDbContext db, List<Post> posts)
    {
        var counts = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            counts[post.Id] = await {|PERF001:db.Entry(post).Collection(p => p.Comments).Query().CountAsync()|};
        }
        return counts;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverOrders_SaveChangesAfterEachUpdate_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PriceUpdater
{
    public void ApplyDiscount(BlogDbContext db, List<Order> orders, decimal rate)
    {
        foreach (var order in orders)
        {
            order.Total = order.Total * (1 - rate);
            db.Orders.Update(order);
            {|PERF001:db.SaveChanges()|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverUserIds_DatabaseExecuteSqlRawAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Anonymizer
{
    public async Task AnonymizeAsync(BlogDbContext db, IEnumerable<int> userIds)
    {
        foreach (var userId in userIds)
        {
            await {|PERF001:db.Database.ExecuteSqlRawAsync("UPDATE Users SET Email = NULL WHERE Id = {0}", userId)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_DatabaseExecuteSqlInterpolated_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CommentPurger
{
    public void Purge(BlogDbContext db, List<Post> archived)
    {
        foreach (var post in archived)
        {
            {|PERF001:db.Database.ExecuteSqlInterpolated($"DELETE FROM Comments WHERE PostId = {post.Id}")|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverAuthors_FromSqlRawToListAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class SearchService
{
    public async Task<List<Post>> LatestByAuthorsAsync(BlogDbContext db, List<User> authors)
    {
        var result = new List<Post>();
        foreach (var author in authors)
        {
            var posts = await {|PERF001:db.Posts.FromSqlRaw("SELECT * FROM Posts WHERE AuthorId = {0}", author.Id).AsNoTracking().ToListAsync()|};
            result.AddRange(posts);
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverLines_SetOfTFirstOrDefault_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class StockChecker
{
    private readonly DbContext _context;
    public StockChecker(DbContext context) => _context = context;

    public bool AllPriced(IEnumerable<OrderLine> lines)
    {
        foreach (var line in lines)
        {
            var product = {|PERF001:_context.Set<Product>().FirstOrDefault(p => p.Id == line.ProductId)|};
            if (product == null || product.Price <= 0) return false;
        }
        return true;
    }
}
""");
    }

    [Fact]
    public async Task QueryStoredInLocalInsideLoop_ThenToListAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ThreadService
{
    public async Task<List<Comment>> RecentThreadsAsync(BlogDbContext db, List<Post> posts, int since)
    {
        var all = new List<Comment>();
        foreach (var post in posts)
        {
            var query = db.Comments.Where(c => c.PostId == post.Id);
            if (since > 0)
            {
                query = query.Where(c => c.Id > since);
            }
            var comments = await {|PERF001:query.OrderBy(c => c.Id).ToListAsync()|};
            all.AddRange(comments);
        }
        return all;
    }
}
""");
    }

    [Fact]
    public async Task NestedForeachOverCommentsQuery_InsideForeachOverPosts_ReportsCollection()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Moderation
{
    public int CountFlagged(BlogDbContext db, List<Post> posts)
    {
        var flagged = 0;
        foreach (var post in posts)
        {
            foreach (var comment in {|PERF001:db.Comments.Where(c => c.PostId == post.Id)|})
            {
                if (comment.Text.Contains("http")) flagged++;
            }
        }
        return flagged;
    }
}
""");
    }

    [Fact]
    public async Task AwaitForeachOverAsAsyncEnumerable_FindAsyncPerOrder_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class InvoiceExporter
{
    public async Task<List<string>> ExportAsync(BlogDbContext db, CancellationToken ct)
    {
        var lines = new List<string>();
        await foreach (var order in db.Orders.AsNoTracking().AsAsyncEnumerable().WithCancellation(ct))
        {
            var buyer = await {|PERF001:db.Customers.FindAsync(new object[] { order.BuyerId }, ct)|};
            lines.Add($"{order.Id};{buyer?.Name};{order.Total}");
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverQueryInHeader_CountPerPostInside_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class DigestJob
{
    public List<string> Run(BlogDbContext db, DateTime since)
    {
        var lines = new List<string>();
        foreach (var post in db.Posts.Where(p => p.CreatedAt >= since).ToList())
        {
            var comments = {|PERF001:db.Comments.Count(c => c.PostId == post.Id)|};
            lines.Add(post.Title + ": " + comments);
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task UnmaterializedQueryBeforeLoop_ContainsPerIteration_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class FeedFilter
{
    public List<Post> Visible(BlogDbContext db, List<Post> posts)
    {
        var bannedAuthorIds = db.Users.Where(u => u.Email.EndsWith("@spam.example")).Select(u => u.Id);
        var visible = new List<Post>();
        foreach (var post in posts)
        {
            if (!{|PERF001:bannedAuthorIds.Contains(post.AuthorId)|})
            {
                visible.Add(post);
            }
        }
        return visible;
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiHandler_ForeachOverPosts_CountAsyncPerPost_Reports()
    {
        await VerifyCS.AnalyzerAsync(WebUsings + """
public static class PostEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/posts/stats", async (BlogDbContext db, CancellationToken ct) =>
        {
            var posts = await db.Posts.OrderByDescending(p => p.CreatedAt).Take(20).ToListAsync(ct);
            var stats = new List<object>();
            foreach (var post in posts)
            {
                var comments = await {|PERF001:db.Comments.CountAsync(c => c.PostId == post.Id, ct)|};
                stats.Add(new { post.Title, comments });
            }
            return Results.Ok(stats);
        });
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_ForeachOverOrders_LinesToListAsyncPerOrder_Reports()
    {
        await VerifyCS.AnalyzerAsync(WebUsings + """
public record OrderSummary(int OrderId, int Items, decimal Total);

[ApiController]
[Route("api/customers/{customerId:int}/orders")]
public class CustomerOrdersController : ControllerBase
{
    private readonly BlogDbContext _db;
    public CustomerOrdersController(BlogDbContext db) => _db = db;

    [HttpGet]
    public async Task<ActionResult<List<OrderSummary>>> Get(int customerId, CancellationToken ct)
    {
        var orders = await _db.Orders.Where(o => o.BuyerId == customerId).ToListAsync(ct);
        var result = new List<OrderSummary>();
        foreach (var order in orders)
        {
            var lines = await {|PERF001:_db.OrderLines.Where(l => l.OrderId == order.Id).ToListAsync(ct)|};
            result.Add(new OrderSummary(order.Id, lines.Sum(l => l.Quantity), order.Total));
        }
        return Ok(result);
    }
}
""");
    }

    [Fact]
    public async Task ControllerPostAction_ForeachOverRequestItems_FindAsyncProduct_Reports()
    {
        await VerifyCS.AnalyzerAsync(WebUsings + """
public record OrderItemDto(int ProductId, int Quantity);
public record CreateOrderDto(int CustomerId, List<OrderItemDto> Items);

[ApiController]
[Route("api/orders")]
public class OrdersController : ControllerBase
{
    private readonly BlogDbContext _db;
    public OrdersController(BlogDbContext db) => _db = db;

    [HttpPost]
    public async Task<IActionResult> Create(CreateOrderDto dto, CancellationToken ct)
    {
        var order = new Order { BuyerId = dto.CustomerId };
        foreach (var item in dto.Items)
        {
            var product = await {|PERF001:_db.Products.FindAsync(new object[] { item.ProductId }, ct)|};
            if (product == null)
            {
                return BadRequest($"Unknown product {item.ProductId}");
            }
            order.Lines.Add(new OrderLine { ProductId = product.Id, Quantity = item.Quantity });
            order.Total += product.Price * item.Quantity;
        }
        _db.Orders.Add(order);
        await _db.SaveChangesAsync(ct);
        return Ok(order.Id);
    }
}
""");
    }

    [Fact]
    public async Task RazorPageHandler_ForeachOverPosts_FirstOrDefaultAsyncAuthor_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.AspNetCore.Mvc.RazorPages;

public class IndexModel : PageModel
{
    private readonly BlogDbContext _db;
    public IndexModel(BlogDbContext db) => _db = db;

    public List<(Post Post, string Author)> Rows { get; } = new();

    public async Task OnGetAsync()
    {
        var posts = await _db.Posts.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(25).ToListAsync();
        foreach (var post in posts)
        {
            var author = await {|PERF001:_db.Users.AsNoTracking().Where(u => u.Id == post.AuthorId).Select(u => u.Name).FirstOrDefaultAsync()|};
            Rows.Add((post, author));
        }
    }
}
""");
    }

    [Fact]
    public async Task AsEnumerableThenSelectWithCountPerPost_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PostDtos
{
    public List<object> Build(BlogDbContext db)
        => db.Posts.Where(p => p.CreatedAt > DateTime.UtcNow.AddDays(-30))
            .AsEnumerable()
            .Select(p => (object)new { p.Title, Comments = {|PERF001:db.Comments.Count(c => c.PostId == p.Id)|} })
            .ToList();
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_DbSetAsQueryableInstanceMethodThenCount_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CommentBadge
{
    public Dictionary<int, int> Counts(BlogDbContext db, List<Post> posts)
    {
        var counts = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            counts[post.Id] = {|PERF001:db.Comments.AsQueryable().Where(c => c.PostId == post.Id).Count()|};
        }
        return counts;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_DatabaseSqlQuerySingleAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class RawCounts
{
    public async Task<Dictionary<int, int>> CountAsync(BlogDbContext db, IEnumerable<Post> posts)
    {
        var counts = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            counts[post.Id] = await {|PERF001:db.Database.SqlQuery<int>($"SELECT COUNT(*) AS Value FROM Comments WHERE PostId = {post.Id}").SingleAsync()|};
        }
        return counts;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverTrackedUsers_EntryReloadAsync_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Refresher
{
    public async Task RefreshAsync(BlogDbContext db, List<User> users)
    {
        foreach (var user in users)
        {
            await {|PERF001:db.Entry(user).ReloadAsync()|};
        }
    }
}
""");
    }

    [Fact]
    public async Task ControllerValidatingEachIdExists_AnyAsyncPerId_Reports()
    {
        await VerifyCS.AnalyzerAsync(WebUsings + """
[ApiController]
[Route("api/tags")]
public class BulkPostsController : ControllerBase
{
    private readonly BlogDbContext _db;
    public BulkPostsController(BlogDbContext db) => _db = db;

    [HttpPost("archive")]
    public async Task<IActionResult> Archive([FromBody] int[] postIds)
    {
        foreach (var postId in postIds)
        {
            if (!await {|PERF001:_db.Posts.AnyAsync(p => p.Id == postId)|})
            {
                return NotFound(postId);
            }
        }
        await _db.Posts.Where(p => postIds.Contains(p.Id)).ExecuteDeleteAsync();
        return NoContent();
    }
}
""");
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task MaterializedUsersList_InMemoryFirstOrDefaultInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuthorResolver
{
    public async Task ResolveAsync(BlogDbContext db, List<Post> posts)
    {
        var authorIds = posts.Select(p => p.AuthorId).Distinct().ToList();
        var users = await db.Users.Where(u => authorIds.Contains(u.Id)).ToListAsync();
        foreach (var post in posts)
        {
            post.Author = users.FirstOrDefault(u => u.Id == post.AuthorId);
            if (users.Any(u => u.Id == post.EditorId))
            {
                post.Reviewer = users.Single(u => u.Id == post.EditorId);
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task QueryComposedInLoop_ExecutedOnceAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record PostFilter(string Field, string Value);

public class PostSearch
{
    public async Task<List<Post>> SearchAsync(BlogDbContext db, IEnumerable<PostFilter> filters, CancellationToken ct)
    {
        IQueryable<Post> query = db.Posts.AsNoTracking();
        foreach (var filter in filters)
        {
            switch (filter.Field)
            {
                case "title":
                    query = query.Where(p => p.Title.Contains(filter.Value));
                    break;
                case "author":
                    var authorId = int.Parse(filter.Value);
                    query = query.Where(p => p.AuthorId == authorId);
                    break;
            }
        }
        return await query.OrderByDescending(p => p.CreatedAt).Take(50).ToListAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task QueryInForeachHeaderWithInclude_NavigationReads_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class SitemapBuilder
{
    public List<string> Build(BlogDbContext db)
    {
        var urls = new List<string>();
        foreach (var post in db.Posts.Include(p => p.Author).Include(p => p.Comments).AsNoTracking())
        {
            urls.Add($"/{post.Author.Name}/{post.Id}?comments={post.Comments.Count}");
        }
        return urls;
    }
}
""");
    }

    [Fact]
    public async Task BulkContainsQuery_ThenDictionaryLookupInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BuyerAttacher
{
    public async Task AttachAsync(BlogDbContext db, List<Order> orders, CancellationToken ct)
    {
        var buyerIds = orders.Select(o => o.BuyerId).Distinct().ToArray();
        var customers = await db.Customers.Where(c => buyerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        foreach (var order in orders)
        {
            if (customers.TryGetValue(order.BuyerId, out var buyer))
            {
                order.Buyer = buyer;
            }
        }
    }
}
""");
    }

    [Fact]
    public async Task AddInLoop_SingleSaveChangesAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record NewComment(int PostId, int UserId, string Text);

public class CommentImporter
{
    public async Task ImportAsync(BlogDbContext db, IEnumerable<NewComment> rows, CancellationToken ct)
    {
        foreach (var row in rows)
        {
            db.Comments.Add(new Comment { PostId = row.PostId, UserId = row.UserId, Text = row.Text });
        }
        await db.SaveChangesAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task AddAsyncRemoveUpdateAttachInLoop_SaveChangesAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CatalogSync
{
    public async Task SyncAsync(BlogDbContext db, List<Product> incoming, List<Product> removed, List<Product> changed, List<Product> unchanged)
    {
        foreach (var product in incoming)
        {
            await db.Products.AddAsync(product);
        }
        foreach (var product in removed)
        {
            db.Products.Remove(product);
        }
        foreach (var product in changed)
        {
            db.Update(product);
            db.Entry(product).Property(p => p.Price).IsModified = true;
        }
        foreach (var product in unchanged)
        {
            db.Attach(product);
            db.Entry(product).State = EntityState.Unchanged;
        }
        db.Products.AddRange(incoming.Where(p => p.Price > 0));
        await db.SaveChangesAsync();
    }
}
""");
    }

    [Fact]
    public async Task IncludeThenNestedForeachOverNavigation_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class InvoiceBuilder
{
    public async Task<decimal> TotalQuantityAsync(BlogDbContext db, int buyerId)
    {
        var orders = await db.Orders.Include(o => o.Lines).Include(o => o.Buyer).Where(o => o.BuyerId == buyerId).ToListAsync();
        var quantity = 0;
        foreach (var order in orders)
        {
            foreach (var line in order.Lines)
            {
                quantity += line.Quantity;
            }
            Console.WriteLine(order.Buyer.Name + " " + order.Lines.Count(l => l.Quantity > 1));
        }
        return quantity;
    }
}
""");
    }

    [Fact]
    public async Task SubqueryInsideWhereExpressionTree_InLoopOfFilters_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderQueries
{
    public async Task<List<Order>> WithProductsAsync(BlogDbContext db, int[] productIds)
    {
        var query = db.Orders.AsQueryable();
        foreach (var productId in productIds)
        {
            query = query.Where(o => db.OrderLines.Any(l => l.OrderId == o.Id && l.ProductId == productId));
        }
        return await query.ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task ProjectionWithCorrelatedCount_ThenLoopOverDtos_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Leaderboard
{
    public async Task<List<string>> TopAuthorsAsync(BlogDbContext db)
    {
        var rows = await db.Users
            .Select(u => new { u.Name, PostCount = db.Posts.Count(p => p.AuthorId == u.Id), Comments = u.Posts.SelectMany(p => p.Comments).Count() })
            .OrderByDescending(x => x.PostCount)
            .Take(10)
            .ToListAsync();
        var lines = new List<string>();
        foreach (var row in rows)
        {
            lines.Add($"{row.Name}: {row.PostCount} posts, {row.Comments} comments");
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task LoopInvariantSettingLookupInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class TitleFormatter
{
    public async Task FormatAsync(BlogDbContext db, List<Post> posts)
    {
        foreach (var post in posts)
        {
            var prefix = await db.Settings.Where(s => s.Key == "TitlePrefix").Select(s => s.Value).FirstOrDefaultAsync();
            post.Title = prefix + post.Title;
        }
    }
}
""");
    }

    [Fact]
    public async Task DbSetLocalViewLookupInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class TrackedLookup
{
    public List<User> FromTracker(BlogDbContext db, IEnumerable<int> ids)
    {
        var found = new List<User>();
        foreach (var id in ids)
        {
            var user = db.Users.Local.FirstOrDefault(u => u.Id == id);
            if (user != null) found.Add(user);
        }
        return found;
    }
}
""");
    }

    [Fact]
    public async Task ChangeTrackerEntriesLoopInSaveChangesOverride_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuditedContext : DbContext
{
    public AuditedContext(DbContextOptions<AuditedContext> options) : base(options) { }

    public DbSet<Post> Posts => Set<Post>();

    public override Task<int> SaveChangesAsync(CancellationToken cancellationToken = default)
    {
        foreach (var entry in ChangeTracker.Entries<Post>())
        {
            if (entry.State == EntityState.Added)
            {
                entry.Entity.CreatedAt = DateTime.UtcNow;
            }
        }
        return base.SaveChangesAsync(cancellationToken);
    }
}
""");
    }

    [Fact]
    public async Task ExistingKeysToHashSetAsync_ThenImportLoopWithSaveAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record ProductRow(string Sku, decimal Price);

public class ProductImport
{
    public async Task<int> RunAsync(BlogDbContext db, IReadOnlyList<ProductRow> rows, CancellationToken ct)
    {
        var existing = await db.Products.Select(p => p.Sku).ToHashSetAsync(ct);
        var added = 0;
        foreach (var row in rows)
        {
            if (existing.Contains(row.Sku)) continue;
            db.Products.Add(new Product { Sku = row.Sku, Price = row.Price });
            existing.Add(row.Sku);
            added++;
        }
        await db.SaveChangesAsync(ct);
        return added;
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverTrackedQueryModifyThenSaveOnceAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class StaleOrderJob
{
    public async Task RunAsync(BlogDbContext db, CancellationToken ct)
    {
        var stale = await db.Orders.Where(o => !o.Shipped && o.Total == 0).ToListAsync(ct);
        foreach (var order in stale)
        {
            order.Shipped = true;
            db.Entry(order).State = EntityState.Modified;
        }
        await db.SaveChangesAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task MinimalApiHandler_OneQueryThenInMemoryLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(WebUsings + """
public static class UserEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/users/{id:int}/posts", async (int id, BlogDbContext db) =>
        {
            var posts = await db.Posts.Where(p => p.AuthorId == id).Include(p => p.Comments).ToListAsync();
            var dto = new List<object>();
            foreach (var post in posts)
            {
                dto.Add(new { post.Id, post.Title, Comments = post.Comments.Count(c => c.UserId != id) });
            }
            return Results.Ok(dto);
        });

        app.MapPost("/users", async (User user, BlogDbContext db) =>
        {
            db.Users.Add(user);
            await db.SaveChangesAsync();
            return Results.Created($"/users/{user.Id}", user);
        });
    }
}
""");
    }

    [Fact]
    public async Task ControllerAction_GroupByInMemoryAfterSingleQuery_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(WebUsings + """
[ApiController]
[Route("api/reports")]
public class ReportsController : ControllerBase
{
    private readonly BlogDbContext _db;
    public ReportsController(BlogDbContext db) => _db = db;

    [HttpGet("revenue")]
    public async Task<IActionResult> Revenue(CancellationToken ct)
    {
        var orders = await _db.Orders.AsNoTracking().Where(o => o.Shipped).ToListAsync(ct);
        var byBuyer = new Dictionary<int, decimal>();
        foreach (var group in orders.GroupBy(o => o.BuyerId))
        {
            byBuyer[group.Key] = group.Sum(o => o.Total);
        }
        var top = byBuyer.OrderByDescending(kv => kv.Value).Take(5).ToDictionary(kv => kv.Key, kv => kv.Value);
        return Ok(top);
    }
}
""");
    }

    [Fact]
    public async Task AsSplitQueryIncludeLoadedOnce_LoopReadsCollections_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ExportService
{
    public async Task<List<string>> ExportAsync(BlogDbContext db)
    {
        var users = await db.Users.Include(u => u.Posts).ThenInclude(p => p.Comments).AsSplitQuery().ToListAsync();
        var lines = new List<string>();
        foreach (var user in users)
        {
            foreach (var post in user.Posts)
            {
                lines.Add($"{user.Name};{post.Title};{post.Comments.Count}");
            }
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task SingleQueryWithoutLoop_FindAsync_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ProfileService
{
    private readonly BlogDbContext _db;
    public ProfileService(BlogDbContext db) => _db = db;

    public async Task<string> DisplayNameAsync(int id)
    {
        var user = await _db.Users.FindAsync(id);
        var postCount = await _db.Posts.CountAsync(p => p.AuthorId == id);
        return $"{user?.Name} ({postCount})";
    }
}
""");
    }

    [Fact]
    public async Task DeferredInMemoryFilterOverMaterializedList_UsedInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ActivityFlags
{
    public async Task<List<string>> ActiveAuthorsAsync(BlogDbContext db, List<User> users, DateTime since)
    {
        var posts = await db.Posts.AsNoTracking().ToListAsync();
        var recent = posts.Where(p => p.CreatedAt > since);
        var active = new List<string>();
        foreach (var user in users)
        {
            if (recent.Any(p => p.AuthorId == user.Id))
            {
                active.Add(user.Name);
            }
        }
        return active;
    }
}
""");
    }

    [Fact]
    public async Task RazorPageHandler_IncludeQueryThenLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.AspNetCore.Mvc.RazorPages;

public class PostsModel : PageModel
{
    private readonly BlogDbContext _db;
    public PostsModel(BlogDbContext db) => _db = db;

    public List<string> Lines { get; } = new();

    public async Task OnGetAsync(int authorId)
    {
        var author = await _db.Users.Include(u => u.Posts).ThenInclude(p => p.Comments).FirstOrDefaultAsync(u => u.Id == authorId);
        if (author == null) return;
        foreach (var post in author.Posts.OrderByDescending(p => p.CreatedAt))
        {
            Lines.Add($"{post.Title} ({post.Comments.Count})");
        }
    }
}
""");
    }

    [Fact]
    public async Task TransactionAroundAddLoop_CommitOnceAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class TransferService
{
    public async Task MoveCommentsAsync(BlogDbContext db, List<Comment> comments, int targetPostId, CancellationToken ct)
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        foreach (var comment in comments)
        {
            comment.PostId = targetPostId;
            db.Comments.Add(new Comment { PostId = comment.PostId, UserId = comment.UserId, Text = "[moved] " + comment.Text });
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task CollectIdsInLoop_SingleExecuteUpdateAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ShipmentConfirmer
{
    public async Task<int> ConfirmAsync(BlogDbContext db, IEnumerable<string> trackingLines, CancellationToken ct)
    {
        var ids = new List<int>();
        foreach (var line in trackingLines)
        {
            var parts = line.Split(',');
            if (parts.Length == 2 && int.TryParse(parts[0], out var orderId))
            {
                ids.Add(orderId);
            }
        }
        return await db.Orders.Where(o => ids.Contains(o.Id)).ExecuteUpdateAsync(s => s.SetProperty(o => o.Shipped, true), ct);
    }
}
""");
    }

    [Fact]
    public async Task AwaitForeachStreamingQueryToCsvWriter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.IO;

public class CsvExport
{
    public async Task WriteAsync(BlogDbContext db, TextWriter writer, CancellationToken ct)
    {
        await writer.WriteLineAsync("id;title;created");
        await foreach (var post in db.Posts.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            await writer.WriteLineAsync($"{post.Id};{post.Title.Replace(';', ',')};{post.CreatedAt:O}");
        }
        await writer.FlushAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task OnModelCreatingLoopOverEntityTypes_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ConventionsContext : DbContext
{
    public DbSet<Post> Posts => Set<Post>();
    public DbSet<Setting> Settings => Set<Setting>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        foreach (var entityType in modelBuilder.Model.GetEntityTypes().ToList())
        {
            entityType.SetTableName(entityType.ClrType.Name.ToLowerInvariant());
            foreach (var property in entityType.GetProperties().Where(p => p.ClrType == typeof(string)).ToList())
            {
                property.SetMaxLength(256);
            }
        }

        var defaults = new[] { ("SiteName", "Blog"), ("PageSize", "20") };
        for (var i = 0; i < defaults.Length; i++)
        {
            modelBuilder.Entity<Setting>().HasData(new Setting { Id = i + 1, Key = defaults[i].Item1, Value = defaults[i].Item2 });
        }
    }
}
""");
    }

    [Fact]
    public async Task ValuesListBuiltInLoop_SingleExecuteSqlRawAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ScoreWriter
{
    public Task<int> WriteAsync(BlogDbContext db, IReadOnlyList<(int PostId, int Score)> scores)
    {
        var rows = new List<string>();
        var parameters = new List<object>();
        for (var i = 0; i < scores.Count; i++)
        {
            rows.Add($"({{{i * 2}}}, {{{i * 2 + 1}}})");
            parameters.Add(scores[i].PostId);
            parameters.Add(scores[i].Score);
        }
        var sql = "INSERT INTO PostScores (PostId, Score) VALUES " + string.Join(", ", rows);
        return db.Database.ExecuteSqlRawAsync(sql, parameters);
    }
}
""");
    }

    [Fact]
    public async Task CorrelatedToListInsideQueryableSelectProjection_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ThreadView
{
    public async Task<List<(string Title, List<string> Comments)>> LoadAsync(BlogDbContext db, int userId)
    {
        var rows = await db.Posts
            .Where(p => p.AuthorId == userId)
            .Select(p => new { p.Title, Comments = db.Comments.Where(c => c.PostId == p.Id).Select(c => c.Text).ToList() })
            .ToListAsync();
        var result = new List<(string, List<string>)>();
        foreach (var row in rows)
        {
            result.Add((row.Title, row.Comments));
        }
        return result;
    }
}
""");
    }
}
