using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// An independent held-out-style corpus for PERF001-PERF004: realistic multi-class application code (controllers,
/// minimal APIs, mediator handlers, repositories, background services) written against the rule pages, not against
/// the analyzers. Every case runs all four analyzers, so a look-alike for one rule also proves the other three stay
/// quiet, and a positive proves no second rule reports the same site.
/// </summary>
public class HeldOutStyleCorpusTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Dapper;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using Blog;

""";

    /// <summary>A mediator abstraction as application code declares it (no package).</summary>
    private const string Mediator = """

public interface IRequest<TResponse> { }

public interface IRequestHandler<TRequest, TResponse> where TRequest : IRequest<TResponse>
{
    Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken);
}
""";

    /// <summary>An audit trail shipped over HTTP, shared by the PERF002 cases.</summary>
    private const string AuditTrail = """

public interface IAuditTrail
{
    Task RecordAsync(string action, string subject, CancellationToken ct);
}

public sealed class HttpAuditTrail(IHttpClientFactory factory) : IAuditTrail
{
    public async Task RecordAsync(string action, string subject, CancellationToken ct)
    {
        var client = factory.CreateClient("audit");
        using var response = await client.PostAsJsonAsync("/entries", new { action, subject, at = DateTimeOffset.UtcNow }, ct);
        response.EnsureSuccessStatusCode();
    }
}
""";

    /// <summary>A Serilog-like sink abstraction written in the application.</summary>
    private const string LogSinks = """

public sealed record LogEvent(string Level, string Message, DateTimeOffset Timestamp);

public interface ILogEventSink
{
    Task EmitAsync(LogEvent logEvent, CancellationToken ct = default);
}
""";

    private static Task Run(string code, params DiagnosticResult[] expected) => RunWith(string.Empty, code, expected);

    private static Task RunWith(string extraUsings, string code, params DiagnosticResult[] expected)
        => CorpusTest.RunAsync(CorpusTest.FirstFourRules(), new[] { ("Model.cs", TestModel.Source) }, extraUsings + Usings + code, expected);

    private static DiagnosticResult Warn(string id, int markup) => CorpusTest.Warn(id, markup);

    private static DiagnosticResult Repeat(int repeat, int first) => CorpusTest.Repeat(repeat, first);

    // ================================================================================================
    // PERF001 — positives: a round trip per element, in shapes real services use
    // ================================================================================================

    [Fact]
    public Task MediatorHandler_ForeachOverOrders_FirstOrDefaultAsyncCustomerByBuyerId_Reports() => Run(Mediator + """

public sealed record GetOrderSummaries(bool OpenOnly) : IRequest<List<OrderSummary>>;

public sealed record OrderSummary(int OrderId, string CustomerName, decimal Total);

public sealed class GetOrderSummariesHandler(BlogDbContext db) : IRequestHandler<GetOrderSummaries, List<OrderSummary>>
{
    public async Task<List<OrderSummary>> Handle(GetOrderSummaries request, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => !request.OpenOnly || !o.Shipped).ToListAsync(cancellationToken);
        var result = new List<OrderSummary>(orders.Count);
        foreach (var order in orders)
        {
            var customer = await {|#0:db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Id == order.BuyerId, cancellationToken)|};
            result.Add(new OrderSummary(order.Id, customer?.Name ?? "(unknown)", order.Total));
        }

        return result;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task AsyncIteratorOverAsAsyncEnumerable_LinesToListAsyncPerOrder_Reports() => Run("""
public sealed record OrderExport(int Id, decimal Total, int LineCount);

public sealed class OrderExportStream(BlogDbContext db)
{
    public async IAsyncEnumerable<OrderExport> ReadAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var order in db.Orders.AsNoTracking().OrderBy(o => o.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            var lines = await {|#0:db.OrderLines.Where(l => l.OrderId == order.Id).ToListAsync(ct)|};
            yield return new OrderExport(order.Id, order.Total, lines.Count);
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task SpecificationRepository_FirstOrDefaultWithSpecOfBuyerIdPerOrder_Reports() => Run("""
public interface ISpecification<T>
{
    IQueryable<T> Apply(IQueryable<T> query);
}

public sealed class CustomerByIdSpec(int id) : ISpecification<Customer>
{
    public IQueryable<Customer> Apply(IQueryable<Customer> query) => query.Where(c => c.Id == id);
}

public interface IReadRepository<T> where T : class
{
    Task<T> FirstOrDefaultAsync(ISpecification<T> spec, CancellationToken ct = default);
    Task<List<T>> ListAsync(ISpecification<T> spec, CancellationToken ct = default);
}

public sealed class EfReadRepository<T>(BlogDbContext db) : IReadRepository<T> where T : class
{
    public Task<T> FirstOrDefaultAsync(ISpecification<T> spec, CancellationToken ct = default)
        => spec.Apply(db.Set<T>().AsNoTracking()).FirstOrDefaultAsync(ct);

    public Task<List<T>> ListAsync(ISpecification<T> spec, CancellationToken ct = default)
        => spec.Apply(db.Set<T>().AsNoTracking()).ToListAsync(ct);
}

public sealed class InvoiceHeaderService(IReadRepository<Customer> customers)
{
    public async Task<List<string>> HeadersAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var headers = new List<string>();
        foreach (var order in orders)
        {
            var buyer = await {|#0:customers.FirstOrDefaultAsync(new CustomerByIdSpec(order.BuyerId), ct)|};
            headers.Add($"Invoice {order.Id} for {buyer?.Name}");
        }

        return headers;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ParallelForEachAsync_DapperExecutePerInvoiceOnDataSourceConnection_Reports() => Run("""
public sealed class InvoiceReminderJob(NpgsqlDataSource dataSource)
{
    public async Task MarkRemindedAsync(IReadOnlyList<int> invoiceIds, CancellationToken ct)
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = 4, CancellationToken = ct };
        await Parallel.ForEachAsync(invoiceIds, options, async (invoiceId, token) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            await {|#0:connection.ExecuteAsync("update invoices set reminded_at = now() where id = @invoiceId", new { invoiceId })|};
        });
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task RecursiveDapperReplyLoader_CalledPerReply_Reports() => Run("""
public sealed class ThreadNode
{
    public int Id { get; set; }
    public string Text { get; set; }
    public List<ThreadNode> Replies { get; set; } = new();
}

public sealed class CommentThreadReader(IDbConnection connection)
{
    public async Task<List<ThreadNode>> LoadRepliesAsync(int parentId)
    {
        var replies = (await connection.QueryAsync<ThreadNode>(
            "select id, text from comments where parent_id = @parentId order by id", new { parentId })).ToList();
        foreach (var reply in replies)
        {
            reply.Replies = await {|#0:LoadRepliesAsync(reply.Id)|};
        }

        return replies;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task SwitchExpressionArmInForeach_SingleAsyncPricePerItem_Reports() => Run("""
public sealed record CartItem(string Kind, int RefId, int Quantity);

public sealed class CartPricer(BlogDbContext db)
{
    public async Task<decimal> TotalAsync(IEnumerable<CartItem> items, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var item in items)
        {
            total += item.Kind switch
            {
                "product" => await {|#0:db.Products.Where(p => p.Id == item.RefId).Select(p => p.Price).SingleAsync(ct)|} * item.Quantity,
                "gift" => 0m,
                _ => throw new InvalidOperationException($"Unknown item kind {item.Kind}"),
            };
        }

        return total;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task MinimalApi_SelectOverMaterializedUsers_SyncCountPerUser_Reports() => Run("""
public static class AuthorEndpoints
{
    public static IEndpointRouteBuilder MapAuthorEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/authors", async (BlogDbContext db, CancellationToken ct) =>
        {
            var users = await db.Users.AsNoTracking().OrderBy(u => u.Name).ToListAsync(ct);
            return Results.Ok(users.Select(u => new { u.Id, u.Name, Posts = {|#0:db.Posts.Count(p => p.AuthorId == u.Id)|} }).ToList());
        });

        return app;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task BackgroundSweeper_ExecuteUpdateAsyncPerDueOrderInsidePollingLoop_Reports() => Run("""
public sealed class ShipmentSweeper(IServiceScopeFactory scopes, ILogger<ShipmentSweeper> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(1));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
            var due = await db.Orders.Where(o => !o.Shipped && o.Total > 0).Select(o => o.Id).ToListAsync(stoppingToken);
            foreach (var orderId in due)
            {
                var changed = await {|#0:db.Orders.Where(o => o.Id == orderId).ExecuteUpdateAsync(s => s.SetProperty(o => o.Shipped, true), stoppingToken)|};
                logger.LogInformation("Order {OrderId} marked shipped ({Changed})", orderId, changed);
            }
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task PropertyPatternOverDomainEvents_FindAsyncPerShippedEvent_Reports() => Run("""
public abstract record DomainEvent;
public sealed record OrderShipped(int OrderId, DateTime At) : DomainEvent;
public sealed record OrderCancelled(int OrderId, string Reason) : DomainEvent;

public sealed class ShippingProjection(BlogDbContext db)
{
    public async Task ApplyAsync(IReadOnlyList<DomainEvent> events, CancellationToken ct)
    {
        foreach (var evt in events)
        {
            if (evt is OrderShipped { OrderId: var orderId })
            {
                var order = await {|#0:db.Orders.FindAsync(new object[] { orderId }, ct)|};
                if (order is not null)
                {
                    order.Shipped = true;
                }
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ForWithIndex_LocalFunctionWithDapperPriceLookupPerLine_Reports() => Run("""
public sealed class QuoteCalculator(NpgsqlConnection connection)
{
    public async Task<decimal> QuoteAsync(IReadOnlyList<OrderLine> lines)
    {
        decimal total = 0;
        for (var i = 0; i < lines.Count; i++)
        {
            total += await {|#0:LinePriceAsync(lines[i])|};
        }

        return total;

        async Task<decimal> LinePriceAsync(OrderLine line)
        {
            var price = await connection.ExecuteScalarAsync<decimal>("select price from products where id = @id", new { id = line.ProductId });
            return price * line.Quantity;
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task InMemorySumLambda_DbSetFirstPerLine_Reports() => Run("""
public sealed class OrderTotals(BlogDbContext db)
{
    public decimal Recalculate(Order order)
        => order.Lines.Sum(line => {|#0:db.Products.Where(p => p.Id == line.ProductId).Select(p => p.Price).First()|} * line.Quantity);
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ChannelDrainer_SaveChangesAsyncPerQueuedComment_Reports() => Run("""
public sealed class CommentQueue
{
    public Channel<Comment> Pending { get; } = Channel.CreateUnbounded<Comment>();
}

public sealed class CommentWriter(CommentQueue queue, IDbContextFactory<BlogDbContext> contexts) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var db = await contexts.CreateDbContextAsync(stoppingToken);
        await foreach (var comment in queue.Pending.Reader.ReadAllAsync(stoppingToken))
        {
            db.Comments.Add(comment);
            await {|#0:db.SaveChangesAsync(stoppingToken)|};
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task NestedForLoops_CountAsyncPerCustomerProductPair_WithExpressionSubquery_ReportsOnce() => Run("""
public sealed class SalesMatrix(BlogDbContext db)
{
    public async Task<int[,]> BuildAsync(IReadOnlyList<Customer> customers, IReadOnlyList<Product> products, CancellationToken ct)
    {
        var matrix = new int[customers.Count, products.Count];
        for (var c = 0; c < customers.Count; c++)
        {
            for (var p = 0; p < products.Count; p++)
            {
                var customerId = customers[c].Id;
                var productId = products[p].Id;
                matrix[c, p] = await {|#0:db.OrderLines.CountAsync(l => l.ProductId == productId && db.Orders.Any(o => o.Id == l.OrderId && o.BuyerId == customerId), ct)|};
            }
        }

        return matrix;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ControllerWhenAllOverSelect_GenericRepositoryGetByIdPerId_Reports() => Run("""
public interface IRepository<T> where T : class
{
    Task<T> GetByIdAsync(int id, CancellationToken ct = default);
    Task AddAsync(T entity, CancellationToken ct = default);
}

public class EfRepository<T>(BlogDbContext db) : IRepository<T> where T : class
{
    public virtual async Task<T> GetByIdAsync(int id, CancellationToken ct = default)
        => await db.Set<T>().FindAsync(new object[] { id }, ct);

    public virtual async Task AddAsync(T entity, CancellationToken ct = default)
        => await db.Set<T>().AddAsync(entity, ct);
}

[ApiController]
[Route("api/products")]
public sealed class ProductsController(IRepository<Product> products) : ControllerBase
{
    [HttpPost("batch")]
    public async Task<IActionResult> GetMany([FromBody] int[] ids, CancellationToken ct)
    {
        var found = await Task.WhenAll(ids.Select(id => {|#0:products.GetByIdAsync(id, ct)|}));
        return Ok(found.Where(p => p is not null));
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task KeysetPagingLoop_LatestPostQueriedPerUserOfPage_ReportsInnerOnly() => Run("""
public sealed class NewsletterJob(BlogDbContext db, ILogger<NewsletterJob> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var lastId = 0;
        while (true)
        {
            var batch = await db.Users.AsNoTracking().Where(u => u.Id > lastId).OrderBy(u => u.Id).Take(200).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            foreach (var user in batch)
            {
                var latest = await {|#0:db.Posts.Where(p => p.AuthorId == user.Id).OrderByDescending(p => p.CreatedAt).Select(p => p.Title).FirstOrDefaultAsync(ct)|};
                logger.LogInformation("Newsletter for {Email}: {Title}", user.Email, latest);
            }

            lastId = batch[^1].Id;
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task CompiledAsyncQueryInvokedPerPost_Reports() => Run("""
public sealed class AuthorDirectory(BlogDbContext db)
{
    private static readonly Func<BlogDbContext, int, Task<User>> UserById =
        EF.CompileAsyncQuery((BlogDbContext ctx, int id) => ctx.Users.AsNoTracking().FirstOrDefault(u => u.Id == id));

    public async Task<Dictionary<int, string>> NamesAsync(IEnumerable<Post> posts)
    {
        var names = new Dictionary<int, string>();
        foreach (var post in posts)
        {
            if (names.ContainsKey(post.AuthorId))
            {
                continue;
            }

            var user = await {|#0:UserById(db, post.AuthorId)|};
            names[post.AuthorId] = user?.Name ?? "unknown";
        }

        return names;
    }
}
""", Warn("PERF001", 0));

    // ================================================================================================
    // PERF001 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task IncludeThenIncludeSplitQuery_NestedLoopsOverNavigations_DoesNotReport() => Run("""
public sealed class FeedBuilder(BlogDbContext db)
{
    public async Task<List<string>> BuildAsync(int authorId, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking()
            .Where(p => p.AuthorId == authorId)
            .Include(p => p.Author)
            .Include(p => p.Comments).ThenInclude(c => c.Post)
            .AsSplitQuery()
            .ToListAsync(ct);

        var lines = new List<string>();
        foreach (var post in posts)
        {
            foreach (var comment in post.Comments)
            {
                lines.Add($"{post.Author.Name}: {post.Title} <- {comment.Text}");
            }
        }

        return lines;
    }
}
""");

    [Fact]
    public Task CompiledAsyncQueryStreamedOnce_AwaitForeachBuildsList_DoesNotReport() => Run("""
public sealed class AuthorPosts(BlogDbContext db)
{
    private static readonly Func<BlogDbContext, int, IAsyncEnumerable<Post>> PostsByAuthor =
        EF.CompileAsyncQuery<BlogDbContext, int, Post>((BlogDbContext ctx, int authorId) => ctx.Posts.Where(p => p.AuthorId == authorId).OrderBy(p => p.Id));

    public async Task<List<string>> TitlesAsync(int authorId, CancellationToken ct)
    {
        var titles = new List<string>();
        await foreach (var post in PostsByAuthor(db, authorId).WithCancellation(ct))
        {
            titles.Add(post.Title);
        }

        return titles;
    }
}
""");

    [Fact]
    public Task ToDictionaryAsyncOfContainedIds_ThenTryGetValuePerLine_DoesNotReport() => Run("""
public sealed class CartRepricer(BlogDbContext db)
{
    public async Task<decimal> RepriceAsync(IReadOnlyList<OrderLine> lines, CancellationToken ct)
    {
        var productIds = lines.Select(l => l.ProductId).Distinct().ToList();
        var prices = await db.Products.Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, p => p.Price, ct);

        decimal total = 0;
        foreach (var line in lines)
        {
            if (prices.TryGetValue(line.ProductId, out var price))
            {
                total += price * line.Quantity;
            }
        }

        return total;
    }
}
""");

    [Fact]
    public Task ChunkedDapperAnyArrayQuery_OneQueryPerThousandIds_DoesNotReport() => Run("""
public sealed class StockReader(NpgsqlConnection connection)
{
    public async Task<Dictionary<int, int>> LoadStockAsync(IEnumerable<int> productIds)
    {
        var stock = new Dictionary<int, int>();
        foreach (var chunk in productIds.Chunk(1000))
        {
            var rows = await connection.QueryAsync<(int Id, int Quantity)>(
                "select product_id, quantity from stock where product_id = any(@ids)", new { ids = chunk });
            foreach (var row in rows)
            {
                stock[row.Id] = row.Quantity;
            }
        }

        return stock;
    }
}
""");

    [Fact]
    public Task FilterObjectsComposedIntoQueryInLoop_ExecutedOncePaged_DoesNotReport() => Run("""
public interface IPostFilter
{
    IQueryable<Post> Apply(IQueryable<Post> posts);
}

public sealed class TitleContains(string term) : IPostFilter
{
    public IQueryable<Post> Apply(IQueryable<Post> posts) => posts.Where(p => p.Title.Contains(term));
}

public sealed class ByAuthor(int authorId) : IPostFilter
{
    public IQueryable<Post> Apply(IQueryable<Post> posts) => posts.Where(p => p.AuthorId == authorId);
}

public sealed class PostSearch(BlogDbContext db)
{
    public Task<List<Post>> SearchAsync(IEnumerable<IPostFilter> filters, int page, CancellationToken ct)
    {
        IQueryable<Post> query = db.Posts.AsNoTracking();
        foreach (var filter in filters)
        {
            query = filter.Apply(query);
        }

        return query.OrderByDescending(p => p.CreatedAt).Skip(page * 20).Take(20).ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task ValidationPipeline_ForeachOverInjectedValidators_OneOfThemQueries_DoesNotReport() => Run("""
public sealed record RegisterUser(string Email, string Name);

public interface IValidator<T>
{
    Task<string> ValidateAsync(T command, CancellationToken ct);
}

public sealed class UniqueEmailValidator(BlogDbContext db) : IValidator<RegisterUser>
{
    public async Task<string> ValidateAsync(RegisterUser command, CancellationToken ct)
        => await db.Users.AnyAsync(u => u.Email == command.Email, ct) ? "Email already registered" : null;
}

public sealed class NameLengthValidator : IValidator<RegisterUser>
{
    public Task<string> ValidateAsync(RegisterUser command, CancellationToken ct)
        => Task.FromResult(command.Name.Length > 100 ? "Name too long" : null);
}

public sealed class ValidationBehavior(IEnumerable<IValidator<RegisterUser>> validators)
{
    public async Task<List<string>> ValidateAsync(RegisterUser command, CancellationToken ct)
    {
        var errors = new List<string>();
        foreach (var validator in validators)
        {
            var error = await validator.ValidateAsync(command, ct);
            if (error is not null)
            {
                errors.Add(error);
            }
        }

        return errors;
    }
}
""");

    [Fact]
    public Task InMemoryValidationLoop_ThenOneBulkExecuteUpdateAsync_DoesNotReport() => Run("""
[ApiController]
[Route("api/orders")]
public sealed class ShippingController(BlogDbContext db) : ControllerBase
{
    [HttpPost("ship")]
    public async Task<IActionResult> Ship([FromBody] List<int> orderIds, CancellationToken ct)
    {
        var invalid = new List<int>();
        foreach (var id in orderIds)
        {
            if (id <= 0)
            {
                invalid.Add(id);
            }
        }

        if (invalid.Count > 0)
        {
            return BadRequest(invalid);
        }

        var updated = await db.Orders
            .Where(o => orderIds.Contains(o.Id) && !o.Shipped)
            .ExecuteUpdateAsync(s => s.SetProperty(o => o.Shipped, true), ct);
        return Ok(updated);
    }
}
""");

    [Fact]
    public Task SelectAsyncWhenAllOverTypedHttpClient_NoDatabase_DoesNotReport() => Run("""
public sealed class ExchangeRateClient(HttpClient http)
{
    public Task<decimal> GetRateAsync(string currency, CancellationToken ct)
        => http.GetFromJsonAsync<decimal>($"rates/{currency}", ct);
}

public sealed class PriceConverter(ExchangeRateClient rates)
{
    public async Task<Dictionary<string, decimal>> RatesAsync(IEnumerable<string> currencies, CancellationToken ct)
    {
        var pairs = await Task.WhenAll(currencies.Select(async currency => (Currency: currency, Rate: await rates.GetRateAsync(currency, ct))));
        return pairs.ToDictionary(p => p.Currency, p => p.Rate);
    }
}
""");

    [Fact]
    public Task GroupByCountInDatabase_ThenNamesByContains_ThenInMemoryProjection_DoesNotReport() => Run("""
public sealed class DashboardService(BlogDbContext db)
{
    public async Task<List<string>> AuthorStatsAsync(CancellationToken ct)
    {
        var counts = await db.Posts
            .GroupBy(p => p.AuthorId)
            .Select(g => new { AuthorId = g.Key, Count = g.Count() })
            .ToListAsync(ct);
        var authorIds = counts.Select(c => c.AuthorId).ToList();
        var names = await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Name, ct);
        return counts.Select(c => $"{names.GetValueOrDefault(c.AuthorId, "?")}: {c.Count}").ToList();
    }
}
""");

    [Fact]
    public Task MemoryCacheGetOrCreateAsyncPerProductInLoop_CacheAside_DoesNotReport() => Run("""
public sealed class ProductSkuResolver(BlogDbContext db, IMemoryCache cache)
{
    public async Task<List<string>> SkusAsync(IEnumerable<OrderLine> lines, CancellationToken ct)
    {
        var skus = new List<string>();
        foreach (var line in lines)
        {
            var sku = await cache.GetOrCreateAsync($"product-sku:{line.ProductId}", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
                return await db.Products.Where(p => p.Id == line.ProductId).Select(p => p.Sku).FirstOrDefaultAsync(ct);
            });
            skus.Add(sku);
        }

        return skus;
    }
}
""");

    [Fact]
    public Task ChangeTrackerEntryChecksInLoop_NoLoad_SingleSaveAfter_DoesNotReport() => Run("""
public sealed class PostRetitler(BlogDbContext db)
{
    public async Task<List<int>> RetitleAsync(List<Post> posts, string suffix, CancellationToken ct)
    {
        var withoutAuthor = new List<int>();
        foreach (var post in posts)
        {
            var author = db.Entry(post).Reference(p => p.Author);
            if (!author.IsLoaded)
            {
                withoutAuthor.Add(post.Id);
            }

            post.Title += suffix;
            db.Entry(post).Property(p => p.Title).IsModified = true;
        }

        await db.SaveChangesAsync(ct);
        return withoutAuthor;
    }
}
""");

    [Fact]
    public Task CommentsLoadedOnceToLookup_RecordDtosMappedPerPost_DoesNotReport() => Run("""
public sealed record CommentDto(int Id, string Text);
public sealed record PostDto(int Id, string Title, IReadOnlyList<CommentDto> Comments);

public sealed class PostDtoReader(BlogDbContext db)
{
    public async Task<List<PostDto>> ReadAsync(int authorId, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().Where(p => p.AuthorId == authorId).ToListAsync(ct);
        var postIds = posts.Select(p => p.Id).ToArray();
        var comments = (await db.Comments.AsNoTracking().Where(c => postIds.Contains(c.PostId)).ToListAsync(ct))
            .ToLookup(c => c.PostId);

        var result = new List<PostDto>();
        foreach (var post in posts)
        {
            result.Add(new PostDto(post.Id, post.Title, comments[post.Id].Select(c => new CommentDto(c.Id, c.Text)).ToList()));
        }

        return result;
    }
}
""");

    [Fact]
    public Task OutboxRelay_TakeBatchPublishEachThenOneExecuteUpdate_DoesNotReport() => Run("""
public sealed record PostPublished(int PostId, string Title);

public sealed class OutboxRelay(IDbContextFactory<BlogDbContext> contexts, Channel<PostPublished> bus, ILogger<OutboxRelay> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            await using var db = await contexts.CreateDbContextAsync(stoppingToken);
            var pending = await db.Posts.Where(p => p.EditorId == null).OrderBy(p => p.Id).Take(100).ToListAsync(stoppingToken);
            foreach (var post in pending)
            {
                await bus.Writer.WriteAsync(new PostPublished(post.Id, post.Title), stoppingToken);
            }

            var ids = pending.Select(p => p.Id).ToList();
            await db.Posts.Where(p => ids.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.EditorId, 0), stoppingToken);
            logger.LogInformation("Relayed {Count} posts", ids.Count);
            await Task.Delay(TimeSpan.FromSeconds(5), stoppingToken);
        }
    }
}
""");

    // ================================================================================================
    // PERF002 — positives: the response waits for a log/audit/telemetry endpoint
    // ================================================================================================

    [Fact]
    public Task ControllerAction_AwaitsSeqLikeHttpLogSinkAfterSave_Reports() => Run(LogSinks + """

public sealed class SeqHttpSink(HttpClient http) : ILogEventSink
{
    public async Task EmitAsync(LogEvent logEvent, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("api/events/raw", logEvent, ct);
        response.EnsureSuccessStatusCode();
    }
}

[ApiController]
[Route("api/payments")]
public sealed class PaymentsController(ILogEventSink sink, BlogDbContext db) : ControllerBase
{
    [HttpPost("{orderId:int}/capture")]
    public async Task<IActionResult> Capture(int orderId, CancellationToken ct)
    {
        var order = await db.Orders.FindAsync(new object[] { orderId }, ct);
        if (order is null)
        {
            return NotFound();
        }

        order.Shipped = true;
        await db.SaveChangesAsync(ct);
        await {|#0:sink.EmitAsync(new LogEvent("Information", $"Captured {orderId}", DateTimeOffset.UtcNow), ct)|};
        return NoContent();
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task Middleware_AwaitsRequestTelemetryPostAfterNext_Reports() => Run("""
public sealed class RequestTelemetryClient(HttpClient http)
{
    public Task TrackRequestAsync(string path, int status, TimeSpan elapsed, CancellationToken ct)
        => http.PostAsJsonAsync("v1/requests", new { path, status, elapsedMs = elapsed.TotalMilliseconds }, ct);
}

public sealed class RequestTimingMiddleware(RequestDelegate next, RequestTelemetryClient telemetry)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        await next(context);
        await {|#0:telemetry.TrackRequestAsync(context.Request.Path, context.Response.StatusCode, Stopwatch.GetElapsedTime(started), context.RequestAborted)|};
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task ServiceReachedFromController_AwaitsHttpAuditTrail_Reports() => Run(AuditTrail + """

public sealed class AccountService(BlogDbContext db, IAuditTrail audit)
{
    public async Task RenameAsync(int userId, string name, CancellationToken ct)
    {
        var user = await db.Users.FindAsync(new object[] { userId }, ct);
        user.Name = name;
        await db.SaveChangesAsync(ct);
        await {|#0:audit.RecordAsync("user.renamed", userId.ToString(), ct)|};
    }
}

[ApiController]
[Route("api/account")]
public sealed class AccountController(AccountService accounts) : ControllerBase
{
    [HttpPut("{id:int}/name")]
    public async Task<IActionResult> Rename(int id, [FromBody] string name, CancellationToken ct)
    {
        await accounts.RenameAsync(id, name, ct);
        return NoContent();
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task MinimalApiLambda_BlocksOnAuditTrailWithGetResult_Reports() => Run(AuditTrail + """

public static class PostAdminEndpoints
{
    public static void MapPostAdmin(this IEndpointRouteBuilder app)
    {
        app.MapDelete("/api/posts/{id:int}", (int id, BlogDbContext db, IAuditTrail audit) =>
        {
            var deleted = db.Posts.Where(p => p.Id == id).ExecuteDelete();
            {|#0:audit.RecordAsync("post.deleted", id.ToString(), CancellationToken.None)|}.GetAwaiter().GetResult();
            return deleted == 0 ? Results.NotFound() : Results.NoContent();
        });
    }
}
""", Warn("PERF002", 0));

    // ================================================================================================
    // PERF002 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task StructuredILoggerScopesActivitySourceAndMeter_InController_DoesNotReport() => Run("""
[ApiController]
public sealed class CheckoutController(ILogger<CheckoutController> logger, BlogDbContext db) : ControllerBase
{
    private static readonly ActivitySource Source = new("Shop.Checkout");
    private static readonly Meter Meter = new("Shop.Checkout");
    private static readonly Counter<long> Checkouts = Meter.CreateCounter<long>("checkouts");

    [HttpPost("api/checkout/{orderId:int}")]
    public async Task<IActionResult> Checkout(int orderId, CancellationToken ct)
    {
        using var activity = Source.StartActivity("checkout");
        activity?.SetTag("order.id", orderId);

        var order = await db.Orders.FindAsync(new object[] { orderId }, ct);
        if (order is null)
        {
            logger.LogWarning("Order {OrderId} not found", orderId);
            return NotFound();
        }

        using (logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = orderId }))
        {
            logger.LogInformation("Checking out order {OrderId} for {Total}", orderId, order.Total);
        }

        Checkouts.Add(1, new KeyValuePair<string, object>("currency", "EUR"));
        activity?.AddEvent(new ActivityEvent("checked-out"));
        return Ok();
    }
}
""");

    [Fact]
    public Task AuditRecordWrittenToChannel_ForwardedByBackgroundService_DoesNotReport() => Run(AuditTrail + """

public sealed record AuditRecord(string Action, string Subject);

public sealed class AuditChannel
{
    private readonly Channel<AuditRecord> _channel = Channel.CreateBounded<AuditRecord>(1000);
    public ChannelWriter<AuditRecord> Writer => _channel.Writer;
    public ChannelReader<AuditRecord> Reader => _channel.Reader;
}

public sealed class AuditForwarder(AuditChannel channel, IAuditTrail trail, ILogger<AuditForwarder> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var record in channel.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await trail.RecordAsync(record.Action, record.Subject, stoppingToken);
            }
            catch (HttpRequestException ex)
            {
                logger.LogWarning(ex, "Audit record {Action} dropped", record.Action);
            }
        }
    }
}

[ApiController]
[Route("api/posts")]
public sealed class PostsAdminController(AuditChannel audit, BlogDbContext db) : ControllerBase
{
    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var deleted = await db.Posts.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        await audit.Writer.WriteAsync(new AuditRecord("post.deleted", id.ToString()), ct);
        return deleted == 0 ? NotFound() : NoContent();
    }
}
""");

    [Fact]
    public Task RollingFileLogSink_OnlyImplementation_AwaitedInController_DoesNotReport() => Run(LogSinks + """

public sealed class RollingFileLogSink : ILogEventSink
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task EmitAsync(LogEvent logEvent, CancellationToken ct = default)
    {
        await _gate.WaitAsync(ct);
        try
        {
            await File.AppendAllTextAsync(
                $"logs/app-{DateTime.UtcNow:yyyyMMdd}.log",
                $"{logEvent.Timestamp:O} {logEvent.Level} {logEvent.Message}{Environment.NewLine}",
                ct);
        }
        finally
        {
            _gate.Release();
        }
    }
}

[ApiController]
[Route("api/newsletter")]
public sealed class NewsletterController(ILogEventSink sink) : ControllerBase
{
    [HttpPost("subscribe")]
    public async Task<IActionResult> Subscribe([FromBody] string email, CancellationToken ct)
    {
        await sink.EmitAsync(new LogEvent("Information", "subscribed " + email, DateTimeOffset.UtcNow), ct);
        return Accepted();
    }
}
""");

    [Fact]
    public Task CarrierTrackShipmentAsync_BusinessReadReturningStatus_DoesNotReport() => Run("""
public sealed record ShipmentStatus(string TrackingNumber, string State, DateTimeOffset? DeliveredAt);

public sealed class CarrierClient(HttpClient http)
{
    public async Task<ShipmentStatus> TrackShipmentAsync(string trackingNumber, CancellationToken ct)
        => await http.GetFromJsonAsync<ShipmentStatus>($"v2/shipments/{Uri.EscapeDataString(trackingNumber)}", ct);
}

[ApiController]
[Route("api/shipments")]
public sealed class ShipmentsController(CarrierClient carrier) : ControllerBase
{
    [HttpGet("{trackingNumber}")]
    public async Task<ActionResult<ShipmentStatus>> Get(string trackingNumber, CancellationToken ct)
        => Ok(await carrier.TrackShipmentAsync(trackingNumber, ct));
}
""");

    [Fact]
    public Task AuditRowsSavedThroughEfWithTheRequest_DoesNotReport() => Run("""
public sealed class AuditLogEntry
{
    public int Id { get; set; }
    public string Action { get; set; }
    public string Subject { get; set; }
    public DateTime At { get; set; }
}

public sealed class AuditDbContext(DbContextOptions<AuditDbContext> options) : DbContext(options)
{
    public DbSet<AuditLogEntry> Entries => Set<AuditLogEntry>();
}

public interface IAuditLogRepository
{
    Task AppendAsync(string action, string subject, CancellationToken ct);
}

public sealed class EfAuditLogRepository(AuditDbContext db) : IAuditLogRepository
{
    public async Task AppendAsync(string action, string subject, CancellationToken ct)
    {
        db.Entries.Add(new AuditLogEntry { Action = action, Subject = subject, At = DateTime.UtcNow });
        await db.SaveChangesAsync(ct);
    }
}

[ApiController]
[Route("api/users")]
public sealed class UserAdminController(BlogDbContext db, IAuditLogRepository auditLog) : ControllerBase
{
    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var removed = await db.Users.Where(u => u.Id == id).ExecuteDeleteAsync(ct);
        await auditLog.AppendAsync("user.deleted", id.ToString(), ct);
        return removed == 0 ? NotFound() : NoContent();
    }
}
""");

    [Fact]
    public Task LoginAlertAndBlogPublishHttpCalls_WordsContainingLog_DoesNotReport() => Run("""
public sealed class SecurityNotifications(HttpClient http)
{
    public Task SendLoginAlertAsync(string email, string ip, CancellationToken ct)
        => http.PostAsJsonAsync("notifications/login-alert", new { email, ip }, ct);
}

public sealed class BlogSyndicationClient(HttpClient http)
{
    public Task PublishAsync(int postId, string title, CancellationToken ct)
        => http.PostAsJsonAsync("syndication/posts", new { postId, title }, ct);
}

[ApiController]
[Route("api/session")]
public sealed class SessionController(SecurityNotifications notifications, BlogSyndicationClient syndication) : ControllerBase
{
    [HttpPost("login")]
    public async Task<IActionResult> Login([FromBody] string email, CancellationToken ct)
    {
        await notifications.SendLoginAlertAsync(email, HttpContext.Connection.RemoteIpAddress?.ToString(), ct);
        return Ok();
    }

    [HttpPost("posts/{id:int}/publish")]
    public async Task<IActionResult> Publish(int id, [FromBody] string title, CancellationToken ct)
    {
        await syndication.PublishAsync(id, title, ct);
        return Accepted();
    }
}
""");

    [Fact]
    public Task SynchronousInProcessTelemetryBuffer_InMinimalApi_DoesNotReport() => Run("""
public sealed class TelemetryBuffer
{
    private readonly Channel<(string Name, double Value)> _pending = Channel.CreateUnbounded<(string, double)>();

    public void TrackMetric(string name, double value) => _pending.Writer.TryWrite((name, value));

    public ValueTask TrackEventAsync(string name) => _pending.Writer.WriteAsync((name, 1));
}

public static class SearchEndpoints
{
    public static void MapSearch(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/search", async (string q, BlogDbContext db, TelemetryBuffer telemetry, CancellationToken ct) =>
        {
            var hits = await db.Posts.AsNoTracking().Where(p => p.Title.Contains(q)).Take(20).ToListAsync(ct);
            telemetry.TrackMetric("search.hits", hits.Count);
            await telemetry.TrackEventAsync("search");
            return Results.Ok(hits);
        });
    }
}
""");

    // ================================================================================================
    // PERF003 — positives: a connection pool created per request or per iteration
    // ================================================================================================

    [Fact]
    public Task ServiceReachedFromController_NewHttpClientPerCall_Reports() => Run("""
public sealed class GeoLookupService
{
    public async Task<string> CountryOfAsync(string ip, CancellationToken ct)
    {
        using var client = {|#0:new HttpClient()|};
        client.BaseAddress = new Uri("https://geo.example.com/");
        return await client.GetStringAsync($"country/{ip}", ct);
    }
}

[ApiController]
[Route("api/geo")]
public sealed class GeoController(GeoLookupService geo) : ControllerBase
{
    [HttpGet]
    public async Task<string> Get(CancellationToken ct)
        => await geo.CountryOfAsync(HttpContext.Connection.RemoteIpAddress?.ToString() ?? string.Empty, ct);
}
""", Warn("PERF003", 0));

    [Fact]
    public Task MinimalApi_ConnectionMultiplexerConnectAsyncPerRequest_Reports() => RunWith("using StackExchange.Redis;\n", """
public static class PresenceEndpoints
{
    public static void MapPresence(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/online/{userId}", async (string userId, IConfiguration config) =>
        {
            await using var redis = await {|#0:ConnectionMultiplexer.ConnectAsync(config.GetConnectionString("redis"))|};
            var seen = await redis.GetDatabase().StringGetAsync($"presence:{userId}");
            return seen.HasValue ? Results.Ok((string)seen) : Results.NotFound();
        });
    }
}
""", Warn("PERF003", 0));

    [Fact(Skip = "known: a per-request connection string built from a parameter is reported only in the handler itself (or when it reads HttpContext); following the argument from the handler's route value into the repository needs call-site argument flow")]
    public Task TenantDatabaseInterpolatedIntoConnectionString_InRepositoryReachedFromController_Reports() => Run("""
public sealed class TenantReportRepository
{
    public async Task<int> CountOrdersAsync(string tenant, CancellationToken ct)
    {
        await using var connection = {|#0:new NpgsqlConnection($"Host=db;Database=shop_{tenant};Username=app")|};
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from orders", cancellationToken: ct));
    }
}

[ApiController]
[Route("api/{tenant}/reports")]
public sealed class TenantReportsController(TenantReportRepository reports) : ControllerBase
{
    [HttpGet("orders")]
    public Task<int> Orders(string tenant, CancellationToken ct) => reports.CountOrdersAsync(tenant, ct);
}
""", Warn("PERF003", 0));

    [Fact]
    public Task ControllerAction_NpgsqlDataSourceCreatePerRequest_Reports() => Run("""
[ApiController]
[Route("api/health/db")]
public sealed class DbHealthController(IConfiguration config) : ControllerBase
{
    [HttpGet]
    public async Task<IActionResult> Get(CancellationToken ct)
    {
        await using var dataSource = {|#0:NpgsqlDataSource.Create(config.GetConnectionString("main"))|};
        await using var command = dataSource.CreateCommand("select 1");
        var one = await command.ExecuteScalarAsync(ct);
        return Ok(one);
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task BackgroundWebhookFanOut_NewHttpClientPerSubscriber_Reports() => Run("""
public sealed record Webhook(string Url, string Secret);

public sealed class WebhookDispatcher(ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private readonly List<Webhook> _subscribers = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var hook in _subscribers)
        {
            using var http = {|#0:new HttpClient()|};
            using var response = await http.PostAsync(hook.Url, new StringContent("{}"), stoppingToken);
            logger.LogInformation("Webhook {Url}: {Status}", hook.Url, response.StatusCode);
        }
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task ControllerAction_NewDbContextWithOptionsBuiltPerCall_Reports() => Run("""
[ApiController]
[Route("api/archive")]
public sealed class ArchiveController(IConfiguration config) : ControllerBase
{
    [HttpGet("posts/count")]
    public async Task<int> Count(CancellationToken ct)
    {
        var options = new DbContextOptionsBuilder<BlogDbContext>().UseSqlite(config.GetConnectionString("archive")).Options;
        await using var db = {|#0:new BlogDbContext(options)|};
        return await db.Posts.CountAsync(ct);
    }
}
""", Warn("PERF003", 0));

    // ================================================================================================
    // PERF003 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task TypedClientRegisteredWithAddHttpClientAndFactoryNamedClient_DoesNotReport() => Run("""
public sealed class GitHubClient(HttpClient http)
{
    public Task<string> RepoAsync(string name, CancellationToken ct) => http.GetStringAsync($"repos/{name}", ct);
}

public static class GitHubRegistration
{
    public static IServiceCollection AddGitHub(this IServiceCollection services)
    {
        services.AddHttpClient<GitHubClient>(c =>
            {
                c.BaseAddress = new Uri("https://api.github.com/");
                c.DefaultRequestHeaders.UserAgent.ParseAdd("shop");
            })
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(2) });
        return services;
    }
}

[ApiController]
[Route("api/repos")]
public sealed class ReposController(GitHubClient github, IHttpClientFactory factory) : ControllerBase
{
    [HttpGet("{name}")]
    public async Task<string> Get(string name, CancellationToken ct)
    {
        var status = factory.CreateClient("status");
        var up = await status.GetStringAsync("ping", ct);
        return up + await github.RepoAsync(name, ct);
    }
}
""");

    [Fact]
    public Task StaticReadonlyHttpClientWithSocketsHandler_UsedFromController_DoesNotReport() => Run("""
public static class Gravatar
{
    private static readonly HttpClient Http = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    {
        BaseAddress = new Uri("https://www.gravatar.com/"),
    };

    public static Task<byte[]> AvatarAsync(string hash, CancellationToken ct) => Http.GetByteArrayAsync($"avatar/{hash}", ct);
}

[ApiController]
[Route("api/avatars")]
public sealed class AvatarsController : ControllerBase
{
    [HttpGet("{hash}")]
    public async Task<IActionResult> Get(string hash, CancellationToken ct) => File(await Gravatar.AvatarAsync(hash, ct), "image/png");
}
""");

    [Fact]
    public Task MultiplexerRegisteredAsSingleton_InjectedIntoController_DoesNotReport() => RunWith("using StackExchange.Redis;\n", """
public static class RedisSetup
{
    public static IServiceCollection AddRedis(this IServiceCollection services, string configuration)
        => services.AddSingleton<IConnectionMultiplexer>(_ => ConnectionMultiplexer.Connect(configuration));
}

[ApiController]
public sealed class PresenceController(IConnectionMultiplexer redis) : ControllerBase
{
    [HttpPost("api/presence/{userId}")]
    public async Task<IActionResult> Ping(string userId)
    {
        await redis.GetDatabase().StringSetAsync($"presence:{userId}", DateTimeOffset.UtcNow.ToUnixTimeSeconds(), TimeSpan.FromMinutes(5));
        return NoContent();
    }
}
""");

    [Fact]
    public Task StaticLazyMultiplexerInHelper_UsedFromMinimalApi_DoesNotReport() => RunWith("using StackExchange.Redis;\n", """
public static class RedisConnection
{
    private static readonly Lazy<ConnectionMultiplexer> Shared =
        new(() => ConnectionMultiplexer.Connect("localhost:6379,abortConnect=false"));

    public static IDatabase Database => Shared.Value.GetDatabase();
}

public static class FlagEndpoints
{
    public static void MapFlags(this IEndpointRouteBuilder app)
        => app.MapGet("/api/flags/{name}", async (string name) => (string)await RedisConnection.Database.StringGetAsync("flag:" + name));
}
""");

    [Fact]
    public Task AddDbContextPoolInExtension_FactoryContextPerCallInSingleton_DoesNotReport() => Run("""
public static class DataSetup
{
    public static IServiceCollection AddData(this IServiceCollection services, string connectionString)
    {
        services.AddDbContextPool<BlogDbContext>(o => o.UseSqlite(connectionString));
        services.AddPooledDbContextFactory<BlogDbContext>(o => o.UseSqlite(connectionString));
        services.AddSingleton<PostCounter>();
        return services;
    }
}

public sealed class PostCounter(IDbContextFactory<BlogDbContext> factory)
{
    public async Task<int> CountAsync(int authorId, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.Posts.CountAsync(p => p.AuthorId == authorId, ct);
    }
}

[ApiController]
[Route("api/authors")]
public sealed class AuthorStatsController(PostCounter counter, BlogDbContext db) : ControllerBase
{
    [HttpGet("{id:int}/posts/count")]
    public async Task<IActionResult> Count(int id, CancellationToken ct)
        => await db.Users.AnyAsync(u => u.Id == id, ct) ? Ok(await counter.CountAsync(id, ct)) : NotFound();
}
""");

    [Fact]
    public Task FixedConnectionStringFromOptions_NewNpgsqlConnectionPerCall_DoesNotReport() => Run("""
public sealed class DatabaseOptions
{
    public string ConnectionString { get; set; }
}

public sealed class OrderQueries(IOptions<DatabaseOptions> options)
{
    private readonly string _connectionString = options.Value.ConnectionString;

    public async Task<int> OpenOrdersAsync(CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        return await connection.ExecuteScalarAsync<int>(new CommandDefinition("select count(*) from orders where shipped = false", cancellationToken: ct));
    }
}

[ApiController]
[Route("api/orders")]
public sealed class OrderStatsController(OrderQueries queries) : ControllerBase
{
    [HttpGet("open/count")]
    public Task<int> Open(CancellationToken ct) => queries.OpenOrdersAsync(ct);
}
""");

    [Fact]
    public Task NewHttpClientOverStaticSharedHandler_PerRequest_DoesNotReport() => Run("""
[ApiController]
public sealed class AvatarProxyController : ControllerBase
{
    private static readonly SocketsHttpHandler SharedHandler = new() { PooledConnectionLifetime = TimeSpan.FromMinutes(2) };

    [HttpGet("api/avatar/{hash}")]
    public async Task<IActionResult> Get(string hash, CancellationToken ct)
    {
        using var client = new HttpClient(SharedHandler, disposeHandler: false);
        var bytes = await client.GetByteArrayAsync($"https://cdn.example.com/{hash}", ct);
        return File(bytes, "image/png");
    }
}
""");

    [Fact]
    public Task SqliteAndNpgsqlConnectionsWithConstantPooledStrings_InController_DoesNotReport() => Run("""
[ApiController]
[Route("api/legacy")]
public sealed class LegacyReportsController : ControllerBase
{
    private const string Reporting = "Host=reporting;Database=shop;Pooling=true;Maximum Pool Size=50";

    [HttpGet("orders")]
    public async Task<IActionResult> Orders(CancellationToken ct)
    {
        await using var pg = new NpgsqlConnection(Reporting);
        var orders = await pg.ExecuteScalarAsync<long>("select count(*) from orders");

        using var local = new SqliteConnection("Data Source=cache.db");
        var cached = await local.ExecuteScalarAsync<long>("select count(*) from cached_orders");
        return Ok(new { orders, cached });
    }
}
""");

    [Fact]
    public Task SingletonServiceOwningHttpClientField_InjectedIntoController_DoesNotReport() => Run("""
public sealed class PricingFeed
{
    private readonly HttpClient _http = new() { BaseAddress = new Uri("https://prices.example.com/") };

    public Task<decimal> PriceAsync(string sku, CancellationToken ct) => _http.GetFromJsonAsync<decimal>($"sku/{sku}", ct);
}

public static class PricingSetup
{
    public static IServiceCollection AddPricing(this IServiceCollection services) => services.AddSingleton<PricingFeed>();
}

[ApiController]
[Route("api/prices")]
public sealed class PricesController(PricingFeed feed) : ControllerBase
{
    [HttpGet("{sku}")]
    public Task<decimal> Get(string sku, CancellationToken ct) => feed.PriceAsync(sku, ct);
}
""");

    [Fact]
    public Task HostedServiceStartAsync_CreatesHttpClientOnce_DoesNotReport() => Run("""
public sealed class ConfigWarmup(ILogger<ConfigWarmup> logger) : IHostedService
{
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri("https://config.example.com/") };
        var config = await http.GetStringAsync("bootstrap", cancellationToken);
        logger.LogInformation("Loaded {Length} bytes of configuration", config.Length);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
""");

    // ================================================================================================
    // PERF004 — positives: the same lookup again for an answer the code already had
    // ================================================================================================

    [Fact]
    public Task DapperTaxRateByRegionParameter_InsideForeachOverLines_Reports() => Run("""
public sealed class TaxCalculator(IDbConnection connection)
{
    public async Task<decimal> TotalWithTaxAsync(IReadOnlyList<OrderLine> lines, string region)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var rate = await {|#0:connection.ExecuteScalarAsync<decimal>("select rate from tax_rates where region = @region", new { region })|};
            total += line.Quantity * (1 + rate);
        }

        return total;
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task SettingsRepositoryConstantKey_InsideForeachOverOrders_Reports() => Run("""
public interface ISettingsRepository
{
    Task<string> GetValueAsync(string key, CancellationToken ct);
}

public sealed class EfSettingsRepository(BlogDbContext db) : ISettingsRepository
{
    public async Task<string> GetValueAsync(string key, CancellationToken ct)
        => await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).SingleOrDefaultAsync(ct);
}

public sealed class ReceiptFormatter(ISettingsRepository settings)
{
    public async Task<List<string>> FormatAsync(IEnumerable<Order> orders, CancellationToken ct)
    {
        var receipts = new List<string>();
        foreach (var order in orders)
        {
            var footer = await {|#0:settings.GetValueAsync("receipt.footer", ct)|};
            receipts.Add($"Order {order.Id}: {order.Total:C}\n{footer}");
        }

        return receipts;
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task MinimalApi_SameUserByEmailQueriedTwice_ReportsRepeat() => Run("""
public static class ProfileEndpoints
{
    public static void MapProfile(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/profile/{email}", async (string email, BlogDbContext db, CancellationToken ct) =>
        {
            var user = await {|#1:db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct)|};
            if (user is null)
            {
                return Results.NotFound();
            }

            var postCount = await db.Posts.CountAsync(p => p.AuthorId == user.Id, ct);
            var display = (await {|#0:db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct)|})?.Name ?? email;
            return Results.Ok(new { display, postCount });
        });
    }
}
""", Repeat(0, 1));

    [Fact]
    public Task ForOverWeekDays_CapacitySettingInvariant_CountPerDayVaries_ReportsBothRules() => Run("""
public sealed class CapacityPlanner(BlogDbContext db)
{
    public async Task<(int Capacity, int Booked)[]> WeekAsync(DateTime monday, CancellationToken ct)
    {
        var result = new (int Capacity, int Booked)[7];
        for (var day = 0; day < 7; day++)
        {
            var from = monday.AddDays(day);
            var to = from.AddDays(1);
            var capacity = await {|#0:db.Settings.Where(s => s.Key == "daily.capacity").Select(s => s.Value).FirstAsync(ct)|};
            var booked = await {|#1:db.Posts.CountAsync(p => p.CreatedAt >= from && p.CreatedAt < to, ct)|};
            result[day] = (int.Parse(capacity), booked);
        }

        return result;
    }
}
""", Warn("PERF004", 0), Warn("PERF001", 1));

    // ================================================================================================
    // PERF004 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task FindAsyncSameKeyTwiceOnOneContext_DoesNotReport() => Run("""
public sealed class OrderWorkflow(BlogDbContext db, ILogger<OrderWorkflow> logger)
{
    public async Task<bool> ShipAsync(int orderId, CancellationToken ct)
    {
        var order = await db.Orders.FindAsync(new object[] { orderId }, ct);
        if (order is null || order.Shipped)
        {
            return false;
        }

        logger.LogInformation("Shipping {OrderId}", orderId);
        var tracked = await db.Orders.FindAsync(new object[] { orderId }, ct);
        tracked.Shipped = true;
        await db.SaveChangesAsync(ct);
        return true;
    }
}
""");

    [Fact]
    public Task PriceReadAgainAfterExecuteUpdateAsync_DoesNotReport() => Run("""
public sealed class PriceAdjuster(BlogDbContext db)
{
    public async Task<(decimal Before, decimal After)> RaiseAsync(string sku, CancellationToken ct)
    {
        var before = await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => p.Price).SingleAsync(ct);
        await db.Products.Where(p => p.Sku == sku).ExecuteUpdateAsync(s => s.SetProperty(p => p.Price, p => p.Price * 1.1m), ct);
        var after = await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => p.Price).SingleAsync(ct);
        return (before, after);
    }
}
""");

    [Fact]
    public Task SameLookupInMutuallyExclusiveSwitchArms_DoesNotReport() => Run("""
public sealed class UserFinder(BlogDbContext db)
{
    public async Task<User> FindAsync(string kind, string value, CancellationToken ct)
        => kind switch
        {
            "email" => await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == value, ct),
            "name" => await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Name == value, ct),
            _ => await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == value, ct),
        };
}
""");

    [Fact]
    public Task AdvisoryLockPollingLoopWithDelay_DoesNotReport() => Run("""
public sealed class MigrationLock(NpgsqlConnection connection)
{
    public async Task AcquireAsync(CancellationToken ct)
    {
        while (!await connection.ExecuteScalarAsync<bool>("select pg_try_advisory_lock(42)"))
        {
            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }
}
""");

    [Fact]
    public Task MemoryCacheGetOrCreateAsyncConstantKeyInLoop_DoesNotReport() => Run("""
public sealed class InvoiceTotals(BlogDbContext db, IMemoryCache cache)
{
    public async Task<List<string>> FormatAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var order in orders)
        {
            var currency = await cache.GetOrCreateAsync("settings:currency", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(30);
                return await db.Settings.AsNoTracking().Where(s => s.Key == "currency").Select(s => s.Value).FirstAsync(ct);
            });
            lines.Add($"{order.Id}: {order.Total} {currency}");
        }

        return lines;
    }
}
""");

    [Fact]
    public Task PagedListCountThenPageOfSameFilteredQuery_DoesNotReport() => Run("""
public sealed record Page<T>(IReadOnlyList<T> Items, int Total);

[ApiController]
[Route("api/authors/{authorId:int}/posts")]
public sealed class AuthorPostsController(BlogDbContext db) : ControllerBase
{
    [HttpGet]
    public async Task<Page<Post>> Get(int authorId, int page = 1, int size = 20, CancellationToken ct = default)
    {
        var query = db.Posts.AsNoTracking().Where(p => p.AuthorId == authorId);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(p => p.CreatedAt).Skip((page - 1) * size).Take(size).ToListAsync(ct);
        return new Page<Post>(items, total);
    }
}
""");

    // ================================================================================================
    // More look-alikes across the four rules
    // ================================================================================================

    [Fact]
    public Task GenericRepositoryAddAsyncPerImportedRow_OneSaveAfter_DoesNotReport() => Run("""
public interface IRepository<T> where T : class
{
    Task AddAsync(T entity, CancellationToken ct = default);
}

public sealed class EfRepository<T>(BlogDbContext db) : IRepository<T> where T : class
{
    public async Task AddAsync(T entity, CancellationToken ct = default) => await db.Set<T>().AddAsync(entity, ct);
}

public sealed record ProductRow(string Sku, decimal Price);

public sealed class ProductImporter(IRepository<Product> products, BlogDbContext db)
{
    public async Task<int> ImportAsync(IAsyncEnumerable<ProductRow> rows, CancellationToken ct)
    {
        var count = 0;
        await foreach (var row in rows.WithCancellation(ct))
        {
            await products.AddAsync(new Product { Sku = row.Sku, Price = row.Price }, ct);
            count++;
        }

        await db.SaveChangesAsync(ct);
        return count;
    }
}
""");

    [Fact]
    public Task QueriesUnionedPerAuthorInLoop_ExecutedOnceAfter_DoesNotReport() => Run("""
public sealed class MultiAuthorFeed(BlogDbContext db)
{
    public async Task<List<Post>> LatestAsync(IReadOnlyList<int> authorIds, CancellationToken ct)
    {
        IQueryable<Post> feed = db.Posts.Where(p => false);
        foreach (var authorId in authorIds)
        {
            var id = authorId;
            feed = feed.Union(db.Posts.Where(p => p.AuthorId == id).OrderByDescending(p => p.CreatedAt).Take(3));
        }

        return await feed.AsNoTracking().ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task CategoriesLoadedOnce_RecursiveInMemoryTreeBuild_DoesNotReport() => Run("""
public sealed class Category
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public string Name { get; set; }
}

public sealed record CategoryNode(int Id, string Name, IReadOnlyList<CategoryNode> Children);

public sealed class CategoryTreeReader(IDbConnection connection)
{
    public async Task<IReadOnlyList<CategoryNode>> ReadAsync()
    {
        var all = (await connection.QueryAsync<Category>("select id, parent_id, name from categories")).ToList();
        return Build(all, null);
    }

    private static IReadOnlyList<CategoryNode> Build(List<Category> all, int? parentId)
    {
        var nodes = new List<CategoryNode>();
        foreach (var category in all.Where(c => c.ParentId == parentId))
        {
            nodes.Add(new CategoryNode(category.Id, category.Name, Build(all, category.Id)));
        }

        return nodes;
    }
}
""");

    [Fact]
    public Task SameLookupOnPrimaryThenReadReplicaContext_DoesNotReport() => Run("""
public sealed class ReplicaDbContext(DbContextOptions<ReplicaDbContext> options) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();
}

public sealed class ConsistencyProbe(BlogDbContext primary, ReplicaDbContext replica)
{
    public async Task<bool> ReplicaCaughtUpAsync(string email, CancellationToken ct)
    {
        var onPrimary = await primary.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct);
        var onReplica = await replica.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct);
        return onPrimary?.Name == onReplica?.Name;
    }
}
""");

    [Fact]
    public Task SameLookupInTryAndInCatchFallback_DoesNotReport() => Run("""
public sealed class SettingReader(BlogDbContext db, ILogger<SettingReader> logger)
{
    public async Task<string> ReadAsync(string key, CancellationToken ct)
    {
        try
        {
            return await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).SingleAsync(ct);
        }
        catch (InvalidOperationException ex)
        {
            logger.LogWarning(ex, "Setting {Key} is duplicated; using the first", key);
            return await db.Settings.AsNoTracking().Where(s => s.Key == key).Select(s => s.Value).FirstAsync(ct);
        }
    }
}
""");

    [Fact]
    public Task LogisticsAndCatalogHttpClientsAwaitedInController_DoesNotReport() => Run("""
public sealed class LogisticsClient(HttpClient http)
{
    public Task<HttpResponseMessage> BookPickupAsync(int orderId, CancellationToken ct)
        => http.PostAsJsonAsync("pickups", new { orderId }, ct);
}

public sealed class CatalogClient(HttpClient http)
{
    public Task<HttpResponseMessage> PublishProductAsync(string sku, CancellationToken ct)
        => http.PostAsJsonAsync("catalog/products", new { sku }, ct);
}

[ApiController]
[Route("api/fulfilment")]
public sealed class FulfilmentController(LogisticsClient logistics, CatalogClient catalog) : ControllerBase
{
    [HttpPost("{orderId:int}/pickup")]
    public async Task<IActionResult> Pickup(int orderId, CancellationToken ct)
    {
        using var response = await logistics.BookPickupAsync(orderId, ct);
        return StatusCode((int)response.StatusCode);
    }

    [HttpPost("products/{sku}")]
    public async Task<IActionResult> Publish(string sku, CancellationToken ct)
    {
        using var response = await catalog.PublishProductAsync(sku, ct);
        return StatusCode((int)response.StatusCode);
    }
}
""");

    [Fact]
    public Task NightlyJobAwaitsHttpAuditTrail_NoRequestHandlerReachesIt_DoesNotReport() => Run(AuditTrail + """

public sealed class NightlyPurgeJob(BlogDbContext db, IAuditTrail audit)
{
    public async Task RunAsync(CancellationToken ct)
    {
        var cutoff = DateTime.UtcNow.AddYears(-2);
        var purged = await db.Posts.Where(p => p.CreatedAt < cutoff).ExecuteDeleteAsync(ct);
        await audit.RecordAsync("posts.purged", purged.ToString(), ct);
    }
}

public sealed class NightlyPurgeWorker(IServiceScopeFactory scopes) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(24));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<NightlyPurgeJob>().RunAsync(stoppingToken);
        }
    }
}
""");

    [Fact]
    public Task DataSourceBuiltInsideSingletonRegistration_DoesNotReport() => Run("""
public static class PostgresSetup
{
    public static IServiceCollection AddPostgres(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(_ =>
        {
            var builder = new NpgsqlDataSourceBuilder(configuration.GetConnectionString("main"));
            builder.EnableParameterLogging(false);
            return builder.Build();
        });
        return services;
    }
}

[ApiController]
[Route("api/stats")]
public sealed class StatsController(NpgsqlDataSource dataSource) : ControllerBase
{
    [HttpGet("users")]
    public async Task<long> Users(CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>("select count(*) from users");
    }
}
""");

    [Fact]
    public Task DesignTimeDbContextFactory_NewContextForMigrations_DoesNotReport() => Run("""
public sealed class BlogDesignTimeFactory : Microsoft.EntityFrameworkCore.Design.IDesignTimeDbContextFactory<BlogDbContext>
{
    public BlogDbContext CreateDbContext(string[] args)
    {
        var options = new DbContextOptionsBuilder<BlogDbContext>().UseSqlite("Data Source=design.db").Options;
        return new BlogDbContext(options);
    }
}
""");

    [Fact]
    public Task FixedConnectionStringConnectionPerTenantInBackgroundLoop_NoPerf003_QueryPerTenantReportsPerf001() => Run("""
public sealed class TenantUsageCollector(IConfiguration configuration, ILogger<TenantUsageCollector> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var connectionString = configuration.GetConnectionString("main");
        var tenants = new[] { "north", "south" };
        foreach (var tenant in tenants)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            var rows = await {|#0:connection.ExecuteScalarAsync<long>("select count(*) from usage where tenant = @tenant", new { tenant })|};
            logger.LogInformation("Tenant {Tenant}: {Rows} usage rows", tenant, rows);
        }
    }
}
""", Warn("PERF001", 0));

    // ================================================================================================
    // Second batch: more entry points, syntax shapes and look-alikes
    // ================================================================================================

    [Fact]
    public Task LinqQuerySyntaxLetOverMaterializedOrders_FirstPerOrder_Reports() => Run("""
public sealed class OrderReport(BlogDbContext db)
{
    public async Task<List<string>> LinesAsync(CancellationToken ct)
    {
        var orders = await db.Orders.AsNoTracking().Where(o => o.Total > 100).ToListAsync(ct);
        var lines =
            from order in orders
            let buyer = {|#0:db.Customers.AsNoTracking().First(c => c.Id == order.BuyerId)|}
            orderby buyer.Name
            select $"{buyer.Name}: {order.Total}";
        return lines.ToList();
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task InvariantSettingLookupInsideSelectLambda_ReportsRepeatedLookup() => Run("""
public sealed record PricedOrder(int Id, decimal Gross);

public sealed class GrossPricer(BlogDbContext db)
{
    public List<PricedOrder> Price(IEnumerable<Order> orders)
        => orders.Select(o => new PricedOrder(o.Id, o.Total * (1 + decimal.Parse({|#0:db.Settings.AsNoTracking().First(s => s.Key == "vat")|}.Value)))).ToList();
}
""", Warn("PERF004", 0));

    [Fact]
    public Task SameNoTrackingRepositoryLookupTwiceInHandler_ReportsRepeat() => Run("""
public interface ICustomerReader
{
    Task<Customer> ByNameAsync(string name, CancellationToken ct);
}

public sealed class CustomerReader(BlogDbContext db) : ICustomerReader
{
    public Task<Customer> ByNameAsync(string name, CancellationToken ct)
        => db.Customers.AsNoTracking().FirstOrDefaultAsync(c => c.Name == name, ct);
}

[ApiController]
[Route("api/customers")]
public sealed class CustomerLookupController(ICustomerReader customers) : ControllerBase
{
    [HttpGet("{name}/summary")]
    public async Task<IActionResult> Summary(string name, CancellationToken ct)
    {
        if (await {|#1:customers.ByNameAsync(name, ct)|} is null)
        {
            return NotFound();
        }

        var customer = await {|#0:customers.ByNameAsync(name, ct)|};
        return Ok(new { customer.Id, customer.Name });
    }
}
""", Repeat(0, 1));

    [Fact]
    public Task RazorPageOnPostAsync_AwaitsHttpAuditTrail_Reports() => Run(AuditTrail + """

public sealed class DeletePostModel(BlogDbContext db, IAuditTrail audit) : Microsoft.AspNetCore.Mvc.RazorPages.PageModel
{
    public async Task<IActionResult> OnPostAsync(int id, CancellationToken ct)
    {
        await db.Posts.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        await {|#0:audit.RecordAsync("post.deleted", id.ToString(), ct)|};
        return RedirectToPage("/Index");
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task AsyncActionFilter_AwaitsAuditAfterNext_Reports() => Run(AuditTrail + """

public sealed class AuditActionFilter(IAuditTrail audit) : Microsoft.AspNetCore.Mvc.Filters.IAsyncActionFilter
{
    public async Task OnActionExecutionAsync(Microsoft.AspNetCore.Mvc.Filters.ActionExecutingContext context, Microsoft.AspNetCore.Mvc.Filters.ActionExecutionDelegate next)
    {
        var executed = await next();
        await {|#0:audit.RecordAsync(context.ActionDescriptor.DisplayName, executed.HttpContext.User.Identity?.Name ?? "anonymous", context.HttpContext.RequestAborted)|};
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task SignalRHubMethod_ConnectionMultiplexerConnectPerCall_Reports() => RunWith("using StackExchange.Redis;\n", """
public sealed class ChatHub : Microsoft.AspNetCore.SignalR.Hub
{
    public async Task Send(string room, string message)
    {
        using var redis = {|#0:ConnectionMultiplexer.Connect("localhost:6379")|};
        await redis.GetSubscriber().PublishAsync(RedisChannel.Literal("chat:" + room), message);
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task StaticHelperCalledFromController_NewHttpClientPerCall_Reports() => Run("""
public static class WebhookPinger
{
    public static async Task<bool> PingAsync(string url, CancellationToken ct)
    {
        using var client = {|#0:new HttpClient { Timeout = TimeSpan.FromSeconds(3) }|};
        using var response = await client.GetAsync(url, ct);
        return response.IsSuccessStatusCode;
    }
}

[ApiController]
[Route("api/webhooks")]
public sealed class WebhooksController : ControllerBase
{
    [HttpPost("test")]
    public async Task<IActionResult> Test([FromBody] string url, CancellationToken ct)
        => await WebhookPinger.PingAsync(url, ct) ? Ok() : BadRequest();
}
""", Warn("PERF003", 0));

    [Fact]
    public Task SwitchStatementTypePatternOverEvents_FindAsyncPerCancelledOrder_Reports() => Run("""
public abstract record OrderEvent(int OrderId);
public sealed record OrderPaid(int OrderId, decimal Amount) : OrderEvent(OrderId);
public sealed record OrderRefunded(int OrderId, decimal Amount) : OrderEvent(OrderId);

public sealed class PaymentLedger(BlogDbContext db)
{
    public async Task<decimal> ApplyAsync(IEnumerable<OrderEvent> events, CancellationToken ct)
    {
        decimal refunded = 0;
        foreach (var evt in events)
        {
            switch (evt)
            {
                case OrderRefunded refund:
                    var order = await {|#0:db.Orders.FindAsync(new object[] { refund.OrderId }, ct)|};
                    refunded += order is null ? 0 : refund.Amount;
                    break;
                case OrderPaid:
                    break;
            }
        }

        return refunded;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task WhileTryDequeue_InvariantCurrencyLookupPerItem_ReportsRepeatedLookup() => Run("""
public sealed class InvoiceQueueProcessor(BlogDbContext db)
{
    public async Task<List<string>> DrainAsync(Queue<Order> pending, CancellationToken ct)
    {
        var invoices = new List<string>();
        while (pending.TryDequeue(out var order))
        {
            var currency = await {|#0:db.Settings.AsNoTracking().Where(s => s.Key == "currency").Select(s => s.Value).FirstAsync(ct)|};
            invoices.Add($"{order.Id}: {order.Total} {currency}");
        }

        return invoices;
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task TelemetryExporterAwaitedInBackgroundBatchLoop_DoesNotReport() => Run("""
public sealed class TelemetryExporter(HttpClient http)
{
    public Task ExportTelemetryAsync(IReadOnlyList<string> spans, CancellationToken ct) => http.PostAsJsonAsync("v1/traces", spans, ct);
}

public sealed class TelemetryExportWorker(Channel<string> spans, TelemetryExporter exporter) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var batch = new List<string>(512);
        while (await spans.Reader.WaitToReadAsync(stoppingToken))
        {
            while (batch.Count < 512 && spans.Reader.TryRead(out var span))
            {
                batch.Add(span);
            }

            await exporter.ExportTelemetryAsync(batch, stoppingToken);
            batch.Clear();
        }
    }
}
""");

    [Fact]
    public Task EnumerableRangeSelectPages_SkipTakePerPage_DoesNotReport() => Run("""
public sealed class SitemapBuilder(BlogDbContext db)
{
    public async Task<List<List<string>>> PagesAsync(CancellationToken ct)
    {
        const int pageSize = 5000;
        var total = await db.Posts.CountAsync(ct);
        var pageCount = (total + pageSize - 1) / pageSize;
        return Enumerable.Range(0, pageCount)
            .Select(page => db.Posts.AsNoTracking().OrderBy(p => p.Id).Skip(page * pageSize).Take(pageSize).Select(p => p.Title).ToList())
            .ToList();
    }
}
""");

    [Fact]
    public Task AuditTrailImplementedByInProcessChannel_AwaitedInController_DoesNotReport() => Run("""
public interface IAuditTrail
{
    Task RecordAsync(string action, string subject, CancellationToken ct);
}

public sealed class QueuedAuditTrail : IAuditTrail
{
    private readonly Channel<(string Action, string Subject)> _queue = Channel.CreateBounded<(string, string)>(10_000);

    public ChannelReader<(string Action, string Subject)> Reader => _queue.Reader;

    public async Task RecordAsync(string action, string subject, CancellationToken ct)
        => await _queue.Writer.WriteAsync((action, subject), ct);
}

[ApiController]
[Route("api/orders")]
public sealed class OrderCancelController(BlogDbContext db, IAuditTrail audit) : ControllerBase
{
    [HttpPost("{id:int}/cancel")]
    public async Task<IActionResult> Cancel(int id, CancellationToken ct)
    {
        var removed = await db.Orders.Where(o => o.Id == id && !o.Shipped).ExecuteDeleteAsync(ct);
        await audit.RecordAsync("order.cancelled", id.ToString(), ct);
        return removed == 0 ? Conflict() : NoContent();
    }
}
""");

    [Fact]
    public Task TelemetryPostedFromResponseOnCompletedCallback_DoesNotReport() => Run("""
public sealed class RequestTelemetryClient(HttpClient http)
{
    public Task TrackRequestAsync(string path, int status) => http.PostAsJsonAsync("v1/requests", new { path, status });
}

public sealed class CompletionTelemetryMiddleware(RequestDelegate next, RequestTelemetryClient telemetry)
{
    public async Task InvokeAsync(HttpContext context)
    {
        context.Response.OnCompleted(async () => await telemetry.TrackRequestAsync(context.Request.Path, context.Response.StatusCode));
        await next(context);
    }
}
""");

    [Fact]
    public Task HostedPollerOwningOneHttpClientFromConstructor_DoesNotReport() => Run("""
public sealed class ExchangeRatePoller : BackgroundService
{
    private readonly HttpClient _http;
    private readonly ILogger<ExchangeRatePoller> _logger;

    public ExchangeRatePoller(ILogger<ExchangeRatePoller> logger)
    {
        _logger = logger;
        _http = new HttpClient { BaseAddress = new Uri("https://rates.example.com/") };
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(15));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var rates = await _http.GetStringAsync("latest", stoppingToken);
            _logger.LogInformation("Fetched {Length} bytes of rates", rates.Length);
        }
    }
}

public static class RatesSetup
{
    public static IServiceCollection AddRates(this IServiceCollection services) => services.AddHostedService<ExchangeRatePoller>();
}
""");

    [Fact]
    public Task MultiplexerCreatedInStaticConstructor_UsedFromController_DoesNotReport() => RunWith("using StackExchange.Redis;\n", """
public static class Sessions
{
    private static readonly ConnectionMultiplexer Redis;

    static Sessions()
    {
        Redis = ConnectionMultiplexer.Connect("localhost:6379,abortConnect=false");
    }

    public static Task<RedisValue> GetAsync(string id) => Redis.GetDatabase().StringGetAsync("session:" + id);
}

[ApiController]
public sealed class SessionInfoController : ControllerBase
{
    [HttpGet("api/sessions/{id}")]
    public async Task<IActionResult> Get(string id) => (await Sessions.GetAsync(id)) is { HasValue: true } value ? Ok((string)value) : NotFound();
}
""");

    [Fact]
    public Task ExactThenNormalizedEmailLookup_ArgumentReassignedBetween_DoesNotReport() => Run("""
public sealed class LoginService(BlogDbContext db)
{
    public async Task<User> FindForLoginAsync(string email, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct);
        if (user is not null)
        {
            return user;
        }

        email = email.Trim().ToLowerInvariant();
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct);
    }
}
""");

    [Fact]
    public Task ParallelForEachAsyncOverFiles_FileIoOnly_DoesNotReport() => Run("""
public sealed class ImportFileScanner(ILogger<ImportFileScanner> logger)
{
    public async Task<long> CountLinesAsync(IEnumerable<string> files, CancellationToken ct)
    {
        long total = 0;
        await Parallel.ForEachAsync(files, ct, async (file, token) =>
        {
            var lines = await File.ReadAllLinesAsync(file, token);
            Interlocked.Add(ref total, lines.Length);
            logger.LogDebug("{File}: {Lines} lines", file, lines.Length);
        });
        return total;
    }
}
""");

    [Fact]
    public Task SearchIndexHttpClientCalledPerPost_NoDatabase_DoesNotReport() => Run("""
public sealed class SearchIndexClient(HttpClient http)
{
    public Task IndexAsync(Post post, CancellationToken ct) => http.PutAsJsonAsync($"posts/_doc/{post.Id}", new { post.Title, post.CreatedAt }, ct);
}

public sealed class Reindexer(BlogDbContext db, SearchIndexClient search)
{
    public async Task ReindexAsync(int authorId, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().Where(p => p.AuthorId == authorId).ToListAsync(ct);
        foreach (var post in posts)
        {
            await search.IndexAsync(post, ct);
        }
    }
}
""");

    [Fact]
    public Task MetricsRecorderWritingHistogram_AwaitedInController_DoesNotReport() => Run("""
public sealed class RequestMetrics
{
    private static readonly Meter Meter = new("Shop.Requests");
    private static readonly Histogram<double> Duration = Meter.CreateHistogram<double>("request.duration");

    public Task TrackDurationAsync(string route, TimeSpan elapsed)
    {
        Duration.Record(elapsed.TotalMilliseconds, new KeyValuePair<string, object>("route", route));
        return Task.CompletedTask;
    }
}

[ApiController]
[Route("api/ping")]
public sealed class PingController(RequestMetrics metrics) : ControllerBase
{
    [HttpGet]
    public async Task<IActionResult> Get()
    {
        var started = Stopwatch.GetTimestamp();
        var result = Ok("pong");
        await metrics.TrackDurationAsync("ping", Stopwatch.GetElapsedTime(started));
        return result;
    }
}
""");

    // ================================================================================================
    // Third batch
    // ================================================================================================

    [Fact]
    public Task InlineMemoryCacheTryGetValueThenFindPerId_CacheAside_DoesNotReport() => Run("""
public sealed class ProductLookup(BlogDbContext db, IMemoryCache cache)
{
    public async Task<List<Product>> ResolveAsync(IEnumerable<int> ids, CancellationToken ct)
    {
        var result = new List<Product>();
        foreach (var id in ids)
        {
            if (!cache.TryGetValue(("product", id), out Product product))
            {
                product = await db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
                cache.Set(("product", id), product, TimeSpan.FromMinutes(5));
            }

            result.Add(product);
        }

        return result;
    }
}
""");

    [Fact]
    public Task LazyInitializedHeaderInLoopWithNullCoalescingAssignment_RunsOnce_DoesNotReport() => Run("""
public sealed class StatementWriter(BlogDbContext db)
{
    public async Task<List<string>> WriteAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var lines = new List<string>();
        string footer = null;
        foreach (var order in orders)
        {
            if (order.Total <= 0)
            {
                continue;
            }

            footer ??= await db.Settings.AsNoTracking().Where(s => s.Key == "statement.footer").Select(s => s.Value).FirstOrDefaultAsync(ct);
            lines.Add($"{order.Id}: {order.Total}");
        }

        lines.Add(footer ?? string.Empty);
        return lines;
    }
}
""");

    [Fact]
    public Task CountBeforeAndAfterImportServiceThatSaves_DoesNotReport() => Run("""
public sealed class UserImportService(BlogDbContext db)
{
    public async Task ImportAsync(IEnumerable<string> emails, CancellationToken ct)
    {
        foreach (var email in emails)
        {
            db.Users.Add(new User { Email = email, Name = email });
        }

        await db.SaveChangesAsync(ct);
    }
}

[ApiController]
[Route("api/users/import")]
public sealed class UserImportController(BlogDbContext db, UserImportService import) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> Import([FromBody] List<string> emails, CancellationToken ct)
    {
        var before = await db.Users.CountAsync(ct);
        await import.ImportAsync(emails, ct);
        var after = await db.Users.CountAsync(ct);
        return Ok(new { imported = after - before });
    }
}
""");

    [Fact]
    public Task SameQueryInTwoMinimalApiLambdasOfOneMapMethod_DoesNotReport() => Run("""
public static class SettingsEndpoints
{
    public static void MapSettings(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/settings/currency", async (BlogDbContext db, CancellationToken ct) =>
            await db.Settings.AsNoTracking().Where(s => s.Key == "currency").Select(s => s.Value).FirstOrDefaultAsync(ct));

        app.MapGet("/api/checkout/config", async (BlogDbContext db, CancellationToken ct) =>
            new { currency = await db.Settings.AsNoTracking().Where(s => s.Key == "currency").Select(s => s.Value).FirstOrDefaultAsync(ct) });
    }
}
""");

    [Fact]
    public Task ConnectionStringInterpolatedFromInjectedEnvironment_DoesNotReport() => Run("""
public sealed class LocalCacheStore(IHostEnvironment environment)
{
    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={environment.ContentRootPath}/cache.db");
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition("select count(*) from entries", cancellationToken: ct));
    }
}

[ApiController]
[Route("api/cache")]
public sealed class CacheStatsController(LocalCacheStore store) : ControllerBase
{
    [HttpGet("count")]
    public Task<long> Count(CancellationToken ct) => store.CountAsync(ct);
}
""");

    [Fact]
    public Task ConnectionStringBuilderDatabaseFromRouteTenant_InController_Reports() => Run("""
[ApiController]
[Route("api/{tenant}/orders")]
public sealed class TenantOrdersController(IConfiguration configuration) : ControllerBase
{
    [HttpGet("count")]
    public async Task<long> Count(string tenant, CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("main")) { Database = "shop_" + tenant };
        await using var connection = {|#0:new NpgsqlConnection(builder.ConnectionString)|};
        return await connection.ExecuteScalarAsync<long>("select count(*) from orders");
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task ListForEachAsyncLambda_CommentsToListPerPost_Reports() => Run("""
public sealed class CommentPreloader(BlogDbContext db)
{
    public void Preload(List<Post> posts)
    {
        posts.ForEach(async post => post.Comments = await {|#0:db.Comments.Where(c => c.PostId == post.Id).ToListAsync()|});
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ForeachInsideTaskRunLambda_FindAsyncPerId_Reports() => Run("""
public sealed class WarmupService(IDbContextFactory<BlogDbContext> contexts)
{
    public Task WarmAsync(IReadOnlyList<int> userIds, CancellationToken ct)
        => Task.Run(async () =>
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            foreach (var id in userIds)
            {
                await {|#0:db.Users.FindAsync(new object[] { id }, ct)|};
            }
        }, ct);
}
""", Warn("PERF001", 0));

    [Fact]
    public Task AwaitForeachOverRepositoryStream_CustomerRepositoryCallPerOrder_Reports() => Run("""
public interface IOrderStream
{
    IAsyncEnumerable<Order> OpenOrdersAsync(CancellationToken ct);
}

public sealed class EfOrderStream(BlogDbContext db) : IOrderStream
{
    public IAsyncEnumerable<Order> OpenOrdersAsync(CancellationToken ct) => db.Orders.AsNoTracking().Where(o => !o.Shipped).AsAsyncEnumerable();
}

public interface ICustomerRepository
{
    Task<Customer> GetAsync(int id, CancellationToken ct);
}

public sealed class EfCustomerRepository(BlogDbContext db) : ICustomerRepository
{
    public Task<Customer> GetAsync(int id, CancellationToken ct) => db.Customers.AsNoTracking().SingleOrDefaultAsync(c => c.Id == id, ct);
}

public sealed class DunningRun(IOrderStream orders, ICustomerRepository customers, ILogger<DunningRun> logger)
{
    public async Task RunAsync(CancellationToken ct)
    {
        await foreach (var order in orders.OpenOrdersAsync(ct))
        {
            var customer = await {|#0:customers.GetAsync(order.BuyerId, ct)|};
            logger.LogInformation("Reminder to {Customer} for order {OrderId}", customer?.Name, order.Id);
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task IncludedCommentsFilteredInMemoryPerPost_DoesNotReport() => Run("""
public sealed class ModerationReport(BlogDbContext db)
{
    public async Task<Dictionary<int, int>> CommentsByUserAsync(int userId, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().Include(p => p.Comments).Where(p => p.Comments.Any(c => c.UserId == userId)).ToListAsync(ct);
        var counts = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            counts[post.Id] = post.Comments.Where(c => c.UserId == userId).Count();
        }

        return counts;
    }
}
""");

    // ================================================================================================
    // Fourth batch
    // ================================================================================================

    [Fact]
    public Task TasksCollectedPerIdInLoop_WhenAllAfter_ReportsCallInLoop() => Run("""
public sealed class ProfileLoader(IDbContextFactory<BlogDbContext> contexts)
{
    public async Task<User[]> LoadAsync(IEnumerable<int> ids, CancellationToken ct)
    {
        var tasks = new List<Task<User>>();
        foreach (var id in ids)
        {
            tasks.Add({|#0:LoadOneAsync(id, ct)|});
        }

        return await Task.WhenAll(tasks);
    }

    private async Task<User> LoadOneAsync(int id, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == id, ct);
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task DashboardSameDapperCountConstantTwice_ReportsRepeat() => Run("""
public sealed class DashboardQueries(NpgsqlConnection connection)
{
    private const string ActiveUsers = "select count(*) from users where last_seen > now() - interval '1 day'";

    public async Task<(long Active, double Ratio)> ActivityAsync()
    {
        var active = await {|#1:connection.ExecuteScalarAsync<long>(ActiveUsers)|};
        var total = await connection.ExecuteScalarAsync<long>("select count(*) from users");
        var activeAgain = await {|#0:connection.ExecuteScalarAsync<long>(ActiveUsers)|};
        return (active, total == 0 ? 0 : (double)activeAgain / total);
    }
}
""", Repeat(0, 1));

    [Fact]
    public Task TwoDifferentDapperCountsInOneMethod_DoesNotReport() => Run("""
public sealed class UserCounts(NpgsqlConnection connection)
{
    public async Task<(long Active, long Total)> CountAsync()
    {
        var active = await connection.ExecuteScalarAsync<long>("select count(*) from users where active");
        var total = await connection.ExecuteScalarAsync<long>("select count(*) from users");
        return (active, total);
    }
}
""");

    [Fact]
    public Task SameDapperReadBeforeAndAfterExecuteInTransaction_DoesNotReport() => Run("""
public sealed class StockAdjuster(NpgsqlConnection connection)
{
    public async Task<(int Before, int After)> AdjustAsync(int productId, int delta)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var before = await connection.ExecuteScalarAsync<int>("select quantity from stock where product_id = @productId", new { productId }, transaction);
        await connection.ExecuteAsync("update stock set quantity = quantity + @delta where product_id = @productId", new { productId, delta }, transaction);
        var after = await connection.ExecuteScalarAsync<int>("select quantity from stock where product_id = @productId", new { productId }, transaction);
        await transaction.CommitAsync();
        return (before, after);
    }
}
""");

    [Fact]
    public Task SlackNotificationAwaitedInController_BusinessCall_DoesNotReport() => Run("""
public sealed class SlackNotifier(HttpClient http)
{
    public Task PostMessageAsync(string channel, string text, CancellationToken ct)
        => http.PostAsJsonAsync("api/chat.postMessage", new { channel, text }, ct);
}

[ApiController]
[Route("api/support")]
public sealed class SupportController(SlackNotifier slack) : ControllerBase
{
    [HttpPost("escalate")]
    public async Task<IActionResult> Escalate([FromBody] string ticket, CancellationToken ct)
    {
        await slack.PostMessageAsync("#support", "Escalated: " + ticket, ct);
        return Accepted();
    }
}
""");

    [Fact]
    public Task PredicatesBuiltPerIdInSelect_CombinedIntoOneQuery_DoesNotReport() => Run("""
public sealed class AuthorFilter(BlogDbContext db)
{
    public Task<List<Post>> ByAuthorsAsync(IEnumerable<int> authorIds, CancellationToken ct)
    {
        var predicates = authorIds.Select(id => (System.Linq.Expressions.Expression<Func<Post, bool>>)(p => p.AuthorId == id)).ToList();
        IQueryable<Post> query = db.Posts.AsNoTracking();
        if (predicates.Count > 0)
        {
            query = query.Where(predicates[0]);
        }

        return query.ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task DapperKeysetLoopWithLimitSqlFromAnotherClassConstant_DoesNotReport() => Run("""
public static class ExportSql
{
    public const string NextPage = "select id, title from posts where id > @afterId order by id limit 1000";
}

public sealed record PostRow(int Id, string Title);

public sealed class PostExporter(NpgsqlConnection connection)
{
    public async Task<int> ExportAsync(TextWriter writer)
    {
        var afterId = 0;
        var written = 0;
        while (true)
        {
            var page = (await connection.QueryAsync<PostRow>(ExportSql.NextPage, new { afterId })).ToList();
            if (page.Count == 0)
            {
                return written;
            }

            foreach (var row in page)
            {
                await writer.WriteLineAsync($"{row.Id};{row.Title}");
            }

            written += page.Count;
            afterId = page[^1].Id;
        }
    }
}
""");

    [Fact]
    public Task ForWithIndex_InvariantAdminLookupPerRow_ReportsRepeatedLookup() => Run("""
public sealed class ReviewAssigner(BlogDbContext db)
{
    public async Task AssignAsync(IList<Post> posts, string adminEmail, CancellationToken ct)
    {
        for (var i = 0; i < posts.Count; i++)
        {
            var admin = await {|#0:db.Users.AsNoTracking().FirstAsync(u => u.Email == adminEmail, ct)|};
            posts[i].EditorId = admin.Id;
        }
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task ConcurrencyConflictReloadPerEntryInCatch_DoesNotReport() => Run("""
public sealed class OrderSaver(BlogDbContext db, ILogger<OrderSaver> logger)
{
    public async Task SaveAsync(CancellationToken ct)
    {
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            foreach (var entry in ex.Entries)
            {
                await entry.ReloadAsync(ct);
                logger.LogWarning("Reloaded {Entity} after a concurrency conflict", entry.Metadata.Name);
            }
        }
    }
}
""");

    [Fact]
    public Task ChangeTrackerEntriesGetDatabaseValuesPerModifiedOrder_Reports() => Run("""
public sealed class OrderChangeAuditor(BlogDbContext db, ILogger<OrderChangeAuditor> logger)
{
    public async Task AuditAsync(CancellationToken ct)
    {
        foreach (var entry in db.ChangeTracker.Entries<Order>().Where(e => e.State == EntityState.Modified).ToList())
        {
            var original = await {|#0:entry.GetDatabaseValuesAsync(ct)|};
            logger.LogInformation("Order {Id}: total {Old} -> {New}", entry.Entity.Id, original?["Total"], entry.Entity.Total);
        }
    }
}
""", Warn("PERF001", 0));

    // ================================================================================================
    // Fifth batch
    // ================================================================================================

    [Fact]
    public Task CsvImportWhileReadLineAsync_FirstOrDefaultBySkuPerLine_Reports() => Run("""
public sealed class PriceImport(BlogDbContext db)
{
    public async Task<int> ImportAsync(Stream csv, CancellationToken ct)
    {
        using var reader = new StreamReader(csv);
        var updated = 0;
        string line;
        while ((line = await reader.ReadLineAsync(ct)) is not null)
        {
            var parts = line.Split(';');
            var sku = parts[0];
            var product = await {|#0:db.Products.FirstOrDefaultAsync(p => p.Sku == sku, ct)|};
            if (product is not null)
            {
                product.Price = decimal.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
                updated++;
            }
        }

        await db.SaveChangesAsync(ct);
        return updated;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task HttpPagesLoop_FindAsyncPerRowOfEachPage_ReportsInner() => Run("""
public sealed record RemoteRow(int Id, decimal Price);

public sealed class SupplierSync(HttpClient http, BlogDbContext db)
{
    public async Task SyncAsync(int totalPages, CancellationToken ct)
    {
        for (var page = 1; page <= totalPages; page++)
        {
            var rows = await http.GetFromJsonAsync<List<RemoteRow>>($"products?page={page}", ct) ?? new List<RemoteRow>();
            foreach (var row in rows)
            {
                var product = await {|#0:db.Products.FindAsync(new object[] { row.Id }, ct)|};
                if (product is not null)
                {
                    product.Price = row.Price;
                }
            }

            await db.SaveChangesAsync(ct);
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ConventionMiddlewareConstructorCreatesHttpClientOnce_DoesNotReport() => Run("""
public sealed class GeoHeaderMiddleware
{
    private readonly RequestDelegate _next;
    private readonly HttpClient _geo;

    public GeoHeaderMiddleware(RequestDelegate next)
    {
        _next = next;
        _geo = new HttpClient { BaseAddress = new Uri("https://geo.example.com/") };
    }

    public async Task InvokeAsync(HttpContext context)
    {
        var country = await _geo.GetStringAsync("country/" + context.Connection.RemoteIpAddress, context.RequestAborted);
        context.Response.Headers["X-Country"] = country;
        await _next(context);
    }
}
""");

    [Fact]
    public Task FactoryMiddleware_AwaitsHttpAuditTrailAfterNext_Reports() => Run(AuditTrail + """

public sealed class AdminAuditMiddleware(IAuditTrail audit) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        await next(context);
        if (context.Request.Path.StartsWithSegments("/admin"))
        {
            await {|#0:audit.RecordAsync("admin.request", context.Request.Path, context.RequestAborted)|};
        }
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task AnyThenFirstWithSamePredicate_DifferentOperators_DoesNotReport() => Run("""
public sealed class InviteService(BlogDbContext db)
{
    public async Task<int?> ExistingUserIdAsync(string email, CancellationToken ct)
    {
        if (!await db.Users.AnyAsync(u => u.Email == email, ct))
        {
            return null;
        }

        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Email == email, ct);
        return user.Id;
    }
}
""");

    [Fact]
    public Task ParallelForEachCpuOnlySlugging_DoesNotReport() => Run("""
public sealed class SlugService(BlogDbContext db)
{
    public async Task RegenerateAsync(int authorId, CancellationToken ct)
    {
        var posts = await db.Posts.Where(p => p.AuthorId == authorId).ToListAsync(ct);
        Parallel.ForEach(posts, post => post.Title = post.Title.Trim().ToLowerInvariant().Replace(' ', '-'));
        await db.SaveChangesAsync(ct);
    }
}
""");

    [Fact]
    public Task InMemoryGroupBySelect_FindCustomerPerGroup_Reports() => Run("""
public sealed class BuyerTotals(BlogDbContext db)
{
    public List<(string Name, decimal Total)> Summarize(IEnumerable<Order> orders)
        => orders.GroupBy(o => o.BuyerId)
            .Select(g => ({|#0:db.Customers.Find(g.Key)|}?.Name ?? "?", g.Sum(o => o.Total)))
            .ToList();
}
""", Warn("PERF001", 0));

    [Fact]
    public Task GroupByInDatabase_ThenOneCustomerQuery_JoinInMemory_DoesNotReport() => Run("""
public sealed class BuyerTotalsQuery(BlogDbContext db)
{
    public async Task<List<(string Name, decimal Total)>> SummarizeAsync(CancellationToken ct)
    {
        var totals = await db.Orders.GroupBy(o => o.BuyerId).Select(g => new { BuyerId = g.Key, Total = g.Sum(o => o.Total) }).ToListAsync(ct);
        var buyerIds = totals.Select(t => t.BuyerId).ToList();
        var names = await db.Customers.Where(c => buyerIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Name, ct);
        return totals.Select(t => (names.TryGetValue(t.BuyerId, out var name) ? name : "?", t.Total)).ToList();
    }
}
""");

    [Fact]
    public Task LocalFunctionWithInvariantSettingLookup_CalledPerOrder_ReportsRepeatedLookup() => Run("""
public sealed class PackingSlips(BlogDbContext db)
{
    public async Task<List<string>> BuildAsync(IEnumerable<Order> orders, CancellationToken ct)
    {
        var slips = new List<string>();
        foreach (var order in orders)
        {
            slips.Add($"{order.Id}\n{await {|#0:FooterAsync()|}}");
        }

        return slips;

        async Task<string> FooterAsync()
            => (await db.Settings.AsNoTracking().FirstAsync(s => s.Key == "slip.footer", ct)).Value;
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task BackgroundServiceCreatesOneDbContextOutsideLoop_DoesNotReport() => Run("""
public sealed class SeedWorker(DbContextOptions<BlogDbContext> options, ILogger<SeedWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var db = new BlogDbContext(options);
        if (!await db.Settings.AnyAsync(stoppingToken))
        {
            db.Settings.Add(new Setting { Key = "currency", Value = "EUR" });
            await db.SaveChangesAsync(stoppingToken);
            logger.LogInformation("Seeded settings");
        }
    }
}
""");

    // ================================================================================================
    // Sixth batch
    // ================================================================================================

    [Fact]
    public Task DapperQueryMultipleAsyncPerCustomer_Reports() => Run("""
public sealed record CustomerCard(int Id, string Name, int Orders);

public sealed class CustomerCards(IDbConnection connection)
{
    public async Task<List<CustomerCard>> BuildAsync(IEnumerable<Customer> customers)
    {
        var cards = new List<CustomerCard>();
        foreach (var customer in customers)
        {
            using var grid = await {|#0:connection.QueryMultipleAsync("select count(*) from orders where buyer_id = @id; select 1", new { id = customer.Id })|};
            var orders = await grid.ReadSingleAsync<int>();
            cards.Add(new CustomerCard(customer.Id, customer.Name, orders));
        }

        return cards;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task DapperExecuteWithListParameterAfterMappingLoop_DoesNotReport() => Run("""
public sealed record LineRow(int OrderId, int ProductId, int Quantity);

public sealed class LineWriter(NpgsqlConnection connection)
{
    public Task<int> WriteAsync(Order order)
    {
        var rows = new List<LineRow>();
        foreach (var line in order.Lines)
        {
            rows.Add(new LineRow(order.Id, line.ProductId, line.Quantity));
        }

        return connection.ExecuteAsync("insert into order_lines (order_id, product_id, quantity) values (@OrderId, @ProductId, @Quantity)", rows);
    }
}
""");

    [Fact]
    public Task LoadAsyncOnceThenLoopOverLocalView_DoesNotReport() => Run("""
public sealed class DraftCleaner(BlogDbContext db)
{
    public async Task<int> CleanAsync(int authorId, CancellationToken ct)
    {
        await db.Posts.Where(p => p.AuthorId == authorId).LoadAsync(ct);
        var removed = 0;
        foreach (var post in db.Posts.Local.Where(p => string.IsNullOrWhiteSpace(p.Title)).ToList())
        {
            db.Posts.Remove(post);
            removed++;
        }

        await db.SaveChangesAsync(ct);
        return removed;
    }
}
""");

    [Fact]
    public Task DescendingForOverRecordArray_SingleOrDefaultAsyncPerItem_Reports() => Run("""
public sealed record StockCheck(int ProductId, int Requested);

public sealed class StockChecker(BlogDbContext db)
{
    public async Task<List<int>> MissingAsync(StockCheck[] checks, CancellationToken ct)
    {
        var missing = new List<int>();
        for (var i = checks.Length - 1; i >= 0; i--)
        {
            var product = await {|#0:db.Products.AsNoTracking().SingleOrDefaultAsync(p => p.Id == checks[i].ProductId, ct)|};
            if (product is null)
            {
                missing.Add(checks[i].ProductId);
            }
        }

        return missing;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task SameLookupAfterBranchThatReturns_DoesNotReport() => Run("""
public sealed class PriceQuote(BlogDbContext db)
{
    public async Task<decimal> QuoteAsync(string sku, bool preview, CancellationToken ct)
    {
        if (preview)
        {
            return await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => p.Price).FirstOrDefaultAsync(ct);
        }

        var price = await db.Products.AsNoTracking().Where(p => p.Sku == sku).Select(p => p.Price).FirstOrDefaultAsync(ct);
        return price * 1.2m;
    }
}
""");

    [Fact]
    public Task SyncControllerAction_WaitsOnTelemetryWithWait_Reports() => Run("""
public sealed class UsageTelemetry(HttpClient http)
{
    public Task TrackUsageAsync(string feature) => http.PostAsJsonAsync("usage", new { feature });
}

[ApiController]
[Route("api/features")]
public sealed class FeaturesController(UsageTelemetry telemetry) : ControllerBase
{
    [HttpPost("{name}/use")]
    public IActionResult Use(string name)
    {
        {|#0:telemetry.TrackUsageAsync(name)|}.Wait();
        return NoContent();
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task ControllerAction_DbProviderFactoryCreateDataSourcePerRequest_Reports() => Run("""
[ApiController]
[Route("api/reports")]
public sealed class RawReportsController(IConfiguration configuration) : ControllerBase
{
    [HttpGet("posts")]
    public async Task<IActionResult> Posts(CancellationToken ct)
    {
        await using var dataSource = {|#0:NpgsqlFactory.Instance.CreateDataSource(configuration.GetConnectionString("reports"))|};
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return Ok(await connection.ExecuteScalarAsync<long>("select count(*) from posts"));
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task SameCountForValidationAndResponse_ReportsRepeat() => Run("""
[ApiController]
[Route("api/catalog")]
public sealed class CatalogCountController(BlogDbContext db) : ControllerBase
{
    [HttpGet("expensive/count")]
    public async Task<IActionResult> Expensive(decimal min, CancellationToken ct)
    {
        if (await {|#1:db.Products.AsNoTracking().CountAsync(p => p.Price > min, ct)|} > 10_000)
        {
            return BadRequest("Narrow the filter");
        }

        return Ok(new { count = await {|#0:db.Products.AsNoTracking().CountAsync(p => p.Price > min, ct)|} });
    }
}
""", Repeat(0, 1));

    [Fact]
    public Task SelectOverChunks_ContainsQueryPerChunk_DoesNotReport() => Run("""
public sealed class CommentBatchLoader(BlogDbContext db)
{
    public List<Comment> Load(IEnumerable<Post> posts)
        => posts.Select(p => p.Id).Chunk(100)
            .SelectMany(chunk => db.Comments.AsNoTracking().Where(c => chunk.Contains(c.PostId)).ToList())
            .ToList();
}
""");

    [Fact]
    public Task StaticLazyDataSourceInRepository_DoesNotReport() => Run("""
public sealed class LegacyOrderRepository
{
    private static readonly Lazy<NpgsqlDataSource> DataSource =
        new(() => new NpgsqlDataSourceBuilder("Host=legacy;Database=orders").Build());

    public async Task<long> CountAsync(CancellationToken ct)
    {
        await using var connection = await DataSource.Value.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>("select count(*) from orders");
    }
}

[ApiController]
[Route("api/legacy/orders")]
public sealed class LegacyOrdersController(LegacyOrderRepository orders) : ControllerBase
{
    [HttpGet("count")]
    public Task<long> Count(CancellationToken ct) => orders.CountAsync(ct);
}
""");

    // ================================================================================================
    // Seventh batch
    // ================================================================================================

    [Fact]
    public Task ScopePerItemInLoop_FindAsyncByItemId_Reports() => Run("""
public sealed class RecalculationJob(IServiceScopeFactory scopes)
{
    public async Task RunAsync(IReadOnlyList<int> orderIds, CancellationToken ct)
    {
        foreach (var orderId in orderIds)
        {
            using var scope = scopes.CreateScope();
            var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
            var order = await {|#0:db.Orders.FindAsync(new object[] { orderId }, ct)|};
            if (order is not null)
            {
                order.Total = Math.Round(order.Total, 2);
            }
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task GenericRepositoryFindByKeyTwiceOnScopedContext_DoesNotReport() => Run("""
public interface IRepository<T> where T : class
{
    ValueTask<T> FindAsync(int id, CancellationToken ct);
}

public sealed class EfRepository<T>(BlogDbContext db) : IRepository<T> where T : class
{
    public ValueTask<T> FindAsync(int id, CancellationToken ct) => db.Set<T>().FindAsync(new object[] { id }, ct);
}

public sealed class OrderApproval(IRepository<Order> orders)
{
    public async Task<bool> ApproveAsync(int id, CancellationToken ct)
    {
        var order = await orders.FindAsync(id, ct);
        if (order is null || order.Shipped)
        {
            return false;
        }

        var same = await orders.FindAsync(id, ct);
        same.Shipped = true;
        return true;
    }
}
""");

    [Fact]
    public Task IntegrationEventHandlerAwaitingAudit_OnlyReachedFromBackgroundConsumer_DoesNotReport() => Run(AuditTrail + """

public sealed record OrderPlaced(int OrderId);

public sealed class OrderPlacedHandler(IAuditTrail audit)
{
    public Task HandleAsync(OrderPlaced message, CancellationToken ct) => audit.RecordAsync("order.placed", message.OrderId.ToString(), ct);
}

public sealed class OrderPlacedConsumer(Channel<OrderPlaced> inbox, OrderPlacedHandler handler) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var message in inbox.Reader.ReadAllAsync(stoppingToken))
        {
            await handler.HandleAsync(message, stoppingToken);
        }
    }
}
""");

    [Fact]
    public Task MinimalApiMethodGroupHandler_NewHttpClientPerRequest_Reports() => Run("""
public static class WeatherEndpoints
{
    public static void MapWeather(this IEndpointRouteBuilder app) => app.MapGet("/api/weather/{city}", GetWeatherAsync);

    private static async Task<string> GetWeatherAsync(string city, CancellationToken ct)
    {
        using var client = {|#0:new HttpClient()|};
        return await client.GetStringAsync($"https://weather.example.com/{Uri.EscapeDataString(city)}", ct);
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task FilteredIncludeThenLoopOverCommentsOfUser_DoesNotReport() => Run("""
public sealed class UserActivity(BlogDbContext db)
{
    public async Task<List<string>> RecentAsync(int userId, CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking()
            .Include(p => p.Comments.Where(c => c.UserId == userId))
            .Where(p => p.Comments.Any(c => c.UserId == userId))
            .ToListAsync(ct);
        var lines = new List<string>();
        foreach (var post in posts)
        {
            foreach (var comment in post.Comments)
            {
                lines.Add(post.Title + ": " + comment.Text);
            }
        }

        return lines;
    }
}
""");

    [Fact]
    public Task InvariantExtensionMethodOnDbSetInsideForeach_ReportsRepeatedLookup() => Run("""
public static class SettingQueries
{
    public static Task<bool> IsEnabledAsync(this DbSet<Setting> settings, string key, CancellationToken ct)
        => settings.AnyAsync(s => s.Key == key && s.Value == "true", ct);
}

public sealed class NotificationPlanner(BlogDbContext db)
{
    public async Task<List<int>> PlanAsync(IEnumerable<User> users, CancellationToken ct)
    {
        var planned = new List<int>();
        foreach (var user in users)
        {
            if (await {|#0:db.Settings.IsEnabledAsync("notifications.email", ct)|})
            {
                planned.Add(user.Id);
            }
        }

        return planned;
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task WhenAllOverChunksCallingBulkRepositoryMethod_DoesNotReport() => Run("""
public interface IProductReader
{
    Task<List<Product>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken ct);
}

public sealed class EfProductReader(IDbContextFactory<BlogDbContext> contexts) : IProductReader
{
    public async Task<List<Product>> GetManyAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Products.AsNoTracking().Where(p => ids.Contains(p.Id)).ToListAsync(ct);
    }
}

public sealed class CatalogExport(IProductReader products)
{
    public async Task<List<Product>> LoadAsync(IEnumerable<int> ids, CancellationToken ct)
    {
        var batches = await Task.WhenAll(ids.Chunk(500).Select(chunk => products.GetManyAsync(chunk, ct)));
        return batches.SelectMany(b => b).ToList();
    }
}
""");
}
