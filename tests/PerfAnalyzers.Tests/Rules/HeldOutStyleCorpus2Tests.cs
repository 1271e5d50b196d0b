using System.Threading.Tasks;
using Microsoft.CodeAnalysis.Testing;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>
/// A second, independent held-out-style corpus for PERF001-PERF004, written from the rule pages without looking at
/// the analyzers: mediator handlers and pipeline behaviors, endpoint classes, page models, gRPC services, hubs,
/// minimal API groups and filters, streaming endpoints, Dapper/ADO.NET batching and EF bulk operations. Every case
/// runs all four analyzers, so each look-alike also proves the other rules stay quiet.
/// </summary>
public class HeldOutStyleCorpus2Tests
{
    private const string Usings = """
using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Diagnostics;
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
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.SignalR;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using StackExchange.Redis;
using Blog;
using Order = Blog.Order;

""";

    /// <summary>A MediatR-like mediator as application code declares it (no package).</summary>
    private const string Mediator = """

public interface IRequest<TResponse> { }

public interface IRequestHandler<TRequest, TResponse> where TRequest : IRequest<TResponse>
{
    Task<TResponse> Handle(TRequest request, CancellationToken cancellationToken);
}

public delegate Task<TResponse> RequestHandlerDelegate<TResponse>();

public interface IPipelineBehavior<TRequest, TResponse>
{
    Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken);
}
""";

    /// <summary>A FastEndpoints-like base class written in the application.</summary>
    private const string Endpoints = """

public abstract class Endpoint<TRequest, TResponse>
{
    public abstract Task<TResponse> HandleAsync(TRequest request, CancellationToken ct);
}
""";

    /// <summary>A generated-gRPC-like service base: the attribute the generator emits marks the binding class.</summary>
    private const string GrpcBase = """

public sealed record OrderReply(int Id, decimal Total);
public sealed record GetOrderRequest(int Id);

public static partial class OrderGrpc
{
    [Grpc.Core.BindServiceMethod(typeof(OrderGrpc), "BindService")]
    public abstract partial class OrderGrpcBase
    {
        public virtual Task<OrderReply> GetOrder(GetOrderRequest request, Grpc.Core.ServerCallContext context)
            => throw new Grpc.Core.RpcException(new Grpc.Core.Status(Grpc.Core.StatusCode.Unimplemented, ""));
    }

    public static Grpc.Core.ServerServiceDefinition BindService(OrderGrpcBase serviceImpl) => Grpc.Core.ServerServiceDefinition.CreateBuilder().Build();
}
""";

    /// <summary>An audit client that ships entries over HTTP.</summary>
    private const string AuditClient = """

public sealed record AuditEntry(string Action, string Subject, string Actor, DateTimeOffset At);

public interface IAuditClient
{
    Task WriteAuditAsync(AuditEntry entry, CancellationToken ct = default);
}

public sealed class HttpAuditClient(HttpClient http) : IAuditClient
{
    public async Task WriteAuditAsync(AuditEntry entry, CancellationToken ct = default)
    {
        using var response = await http.PostAsJsonAsync("api/audit", entry, ct);
        response.EnsureSuccessStatusCode();
    }
}
""";

    /// <summary>A generic repository over EF Core.</summary>
    private const string Repository = """

public interface IRepository<T> where T : class
{
    Task<T> GetByIdAsync(int id, CancellationToken ct = default);
    Task AddAsync(T entity, CancellationToken ct = default);
}

public sealed class EfRepository<T>(BlogDbContext db) : IRepository<T> where T : class
{
    public async Task<T> GetByIdAsync(int id, CancellationToken ct = default) => await db.Set<T>().FindAsync(new object[] { id }, ct);

    public async Task AddAsync(T entity, CancellationToken ct = default) => await db.Set<T>().AddAsync(entity, ct);
}

public interface IUnitOfWork
{
    Task<int> SaveChangesAsync(CancellationToken ct = default);
}

public sealed class EfUnitOfWork(BlogDbContext db) : IUnitOfWork
{
    public Task<int> SaveChangesAsync(CancellationToken ct = default) => db.SaveChangesAsync(ct);
}
""";

    private static Task Run(string code, params DiagnosticResult[] expected)
        => CorpusTest.RunAsync(CorpusTest.FirstFourRules(), new[] { ("Model.cs", TestModel.Source) }, Usings + code, expected);

    private static DiagnosticResult Warn(string id, int markup) => CorpusTest.Warn(id, markup);

    private static DiagnosticResult Repeat(int repeat, int first) => CorpusTest.Repeat(repeat, first);

    // ================================================================================================
    // PERF001 — positives
    // ================================================================================================

    [Fact]
    public Task MediatorHandler_EntryReferenceLoadAsyncPerOrder_Reports() => Run(Mediator + """

public sealed record GetInvoices(int Year) : IRequest<List<string>>;

public sealed class GetInvoicesHandler(BlogDbContext db) : IRequestHandler<GetInvoices, List<string>>
{
    public async Task<List<string>> Handle(GetInvoices request, CancellationToken cancellationToken)
    {
        var orders = await db.Orders.Where(o => o.Total > 0).ToListAsync(cancellationToken);
        var lines = new List<string>();
        foreach (var order in orders)
        {
            await {|#0:db.Entry(order).Reference(o => o.Buyer).LoadAsync(cancellationToken)|};
            lines.Add($"{order.Id};{order.Buyer?.Name};{order.Total}");
        }

        return lines;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task PipelineBehavior_ProductExistsCheckPerLine_Reports() => Run(Mediator + """

public interface IHasLines
{
    IReadOnlyList<OrderLine> Lines { get; }
}

public sealed class ProductsExistBehavior<TRequest, TResponse>(BlogDbContext db) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IHasLines
{
    public async Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        foreach (var line in request.Lines)
        {
            if (!await {|#0:db.Products.AnyAsync(p => p.Id == line.ProductId, cancellationToken)|})
            {
                throw new InvalidOperationException($"Unknown product {line.ProductId}");
            }
        }

        return await next();
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task RazorPageOnGetAsync_CommentCountPerPost_Reports() => Run("""
public sealed class IndexModel(BlogDbContext db) : PageModel
{
    public List<(Post Post, int Comments)> Rows { get; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().OrderByDescending(p => p.CreatedAt).Take(20).ToListAsync(ct);
        foreach (var post in posts)
        {
            Rows.Add((post, await {|#0:db.Comments.CountAsync(c => c.PostId == post.Id, ct)|}));
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task FastEndpointLikeClass_FindAsyncPerRequestedId_Reports() => Run(Endpoints + """

public sealed record ProductsRequest(int[] Ids);
public sealed record ProductsResponse(List<string> Skus);

public sealed class GetProductsEndpoint(BlogDbContext db) : Endpoint<ProductsRequest, ProductsResponse>
{
    public override async Task<ProductsResponse> HandleAsync(ProductsRequest request, CancellationToken ct)
    {
        var skus = new List<string>();
        foreach (var id in request.Ids)
        {
            var product = await {|#0:db.Products.FindAsync(new object[] { id }, ct)|};
            if (product is not null)
            {
                skus.Add(product.Sku);
            }
        }

        return new ProductsResponse(skus);
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task SignalRHub_MemberNamesLoadedOneByOne_Reports() => Run("""
public sealed class RoomHub(BlogDbContext db) : Hub
{
    public async Task<List<string>> Members(int[] memberIds)
    {
        var names = new List<string>();
        for (var i = 0; i < memberIds.Length; i++)
        {
            var name = await {|#0:db.Users.Where(u => u.Id == memberIds[i]).Select(u => u.Name).SingleOrDefaultAsync()|};
            names.Add(name ?? "?");
        }

        return names;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ControllerFromServicesGenericRepository_GetByIdPerLine_Reports() => Run(Repository + """

[ApiController]
[Route("api/quotes")]
public sealed class QuotesController : ControllerBase
{
    [HttpPost]
    public async Task<decimal> Quote([FromBody] List<OrderLine> lines, [FromServices] IRepository<Product> products, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = await {|#0:products.GetByIdAsync(line.ProductId, ct)|};
            total += (product?.Price ?? 0) * line.Quantity;
        }

        return total;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task MinimalApiRouteGroup_CommentsPerPostInHandler_Reports() => Run("""
public static class FeedEndpoints
{
    public static RouteGroupBuilder MapFeed(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/api/feed").WithTags("feed");
        group.MapGet("/{authorId:int}", async (int authorId, BlogDbContext db, CancellationToken ct) =>
        {
            var posts = await db.Posts.Where(p => p.AuthorId == authorId).ToListAsync(ct);
            var feed = new List<object>();
            foreach (var post in posts)
            {
                var comments = await {|#0:db.Comments.Where(c => c.PostId == post.Id).Select(c => c.Text).ToListAsync(ct)|};
                feed.Add(new { post.Title, comments });
            }

            return Results.Ok(feed);
        });
        return group;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task AsyncEnumerableControllerAction_AuthorQueriedPerYieldedPost_Reports() => Run("""
public sealed record PostRow(int Id, string Title, string Author);

[ApiController]
[Route("api/posts")]
public sealed class PostStreamController(BlogDbContext db) : ControllerBase
{
    [HttpGet("stream")]
    public async IAsyncEnumerable<PostRow> Stream([EnumeratorCancellation] CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().ToListAsync(ct);
        foreach (var post in posts)
        {
            var author = await {|#0:db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.Id == post.AuthorId, ct)|};
            yield return new PostRow(post.Id, post.Title, author?.Name);
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task WhenAllOverSelectAsyncLambda_DapperQuerySinglePerId_Reports() => Run("""
public sealed class StockReader(NpgsqlDataSource dataSource)
{
    public async Task<int[]> StockAsync(IEnumerable<int> productIds)
    {
        return await Task.WhenAll(productIds.Select(async productId =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            return await {|#0:connection.QuerySingleAsync<int>("select on_hand from stock where product_id = @productId", new { productId })|};
        }));
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ForeachOverDictionaryDeconstructed_FindCustomerPerKey_Reports() => Run("""
public sealed class StatementService(BlogDbContext db)
{
    public async Task<List<string>> BuildAsync(Dictionary<int, decimal> totalsByCustomer, CancellationToken ct)
    {
        var statements = new List<string>();
        foreach (var (customerId, total) in totalsByCustomer)
        {
            var customer = await {|#0:db.Customers.FindAsync(new object[] { customerId }, ct)|};
            statements.Add($"{customer?.Name}: {total:C}");
        }

        return statements;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ForeachOverInMemoryGroupBy_ProductPricePerGroupKey_Reports() => Run("""
public sealed class RestockPlanner(BlogDbContext db)
{
    public async Task<decimal> CostAsync(IReadOnlyList<OrderLine> lines, CancellationToken ct)
    {
        decimal cost = 0;
        foreach (var group in lines.GroupBy(l => l.ProductId))
        {
            var price = await {|#0:db.Products.Where(p => p.Id == group.Key).Select(p => p.Price).FirstAsync(ct)|};
            cost += price * group.Sum(l => l.Quantity);
        }

        return cost;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task WhileReaderReadAsync_NestedScalarCommandPerRow_Reports() => Run("""
public sealed class LegacyReport(NpgsqlDataSource dataSource)
{
    public async Task<Dictionary<int, long>> CommentCountsAsync(CancellationToken ct)
    {
        var counts = new Dictionary<int, long>();
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var posts = new NpgsqlCommand("select id from posts", connection);
        await using var reader = await posts.ExecuteReaderAsync(ct);
        await using var countConnection = await dataSource.OpenConnectionAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            var postId = reader.GetInt32(0);
            await using var count = new NpgsqlCommand("select count(*) from comments where post_id = @id", countConnection);
            count.Parameters.AddWithValue("id", postId);
            counts[postId] = (long)await {|#0:count.ExecuteScalarAsync(ct)|};
        }

        return counts;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task NpgsqlBatchExecutedPerOrder_Reports() => Run("""
public sealed class OrderArchiver(NpgsqlDataSource dataSource)
{
    public async Task ArchiveAsync(IReadOnlyList<int> orderIds, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        foreach (var orderId in orderIds)
        {
            await using var batch = new NpgsqlBatch(connection)
            {
                BatchCommands =
                {
                    new NpgsqlBatchCommand("insert into orders_archive select * from orders where id = $1") { Parameters = { new() { Value = orderId } } },
                    new NpgsqlBatchCommand("delete from orders where id = $1") { Parameters = { new() { Value = orderId } } },
                },
            };
            await {|#0:batch.ExecuteNonQueryAsync(ct)|};
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ExecuteDeleteAsyncPerPost_Reports() => Run("""
public sealed class ModerationService(BlogDbContext db)
{
    public async Task PurgeCommentsAsync(IEnumerable<Post> flagged, CancellationToken ct)
    {
        foreach (var post in flagged)
        {
            await {|#0:db.Comments.Where(c => c.PostId == post.Id).ExecuteDeleteAsync(ct)|};
        }
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task CompiledAsyncQueryStaticField_InvokedPerIndexInForLoop_Reports() => Run("""
public static class CompiledQueries
{
    public static readonly Func<BlogDbContext, int, Task<Customer>> CustomerById =
        EF.CompileAsyncQuery((BlogDbContext db, int id) => db.Customers.FirstOrDefault(c => c.Id == id));
}

public sealed class LabelPrinter(BlogDbContext db)
{
    public async Task<string[]> LabelsAsync(Order[] orders)
    {
        var labels = new string[orders.Length];
        for (var i = 0; i < orders.Length; i++)
        {
            var customer = await {|#0:CompiledQueries.CustomerById(db, orders[i].BuyerId)|};
            labels[i] = $"{customer?.Name} #{orders[i].Id}";
        }

        return labels;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task MediatorCommand_SaveChangesAsyncPerImportedItem_Reports() => Run(Mediator + """

public sealed record ImportProducts(List<(string Sku, decimal Price)> Rows) : IRequest<int>;

public sealed class ImportProductsHandler(BlogDbContext db) : IRequestHandler<ImportProducts, int>
{
    public async Task<int> Handle(ImportProducts request, CancellationToken cancellationToken)
    {
        var saved = 0;
        foreach (var (sku, price) in request.Rows)
        {
            db.Products.Add(new Product { Sku = sku, Price = price });
            saved += await {|#0:db.SaveChangesAsync(cancellationToken)|};
        }

        return saved;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task FromSqlInterpolatedPerLine_Reports() => Run("""
public sealed class SkuResolver(BlogDbContext db)
{
    public async Task<List<Product>> ResolveAsync(IEnumerable<string> skus, CancellationToken ct)
    {
        var products = new List<Product>();
        foreach (var sku in skus)
        {
            var product = await {|#0:db.Products.FromSqlInterpolated($"select * from products where sku = {sku}").AsNoTracking().FirstOrDefaultAsync(ct)|};
            if (product is not null)
            {
                products.Add(product);
            }
        }

        return products;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task RetryLoopNestedInForeach_FindPerItemStillRepeatsPerElement_Reports() => Run("""
public sealed class ResilientLoader(BlogDbContext db)
{
    public async Task<List<User>> LoadAsync(IReadOnlyList<int> userIds, CancellationToken ct)
    {
        var users = new List<User>();
        foreach (var userId in userIds)
        {
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    users.Add(await {|#0:db.Users.AsNoTracking().SingleAsync(u => u.Id == userId, ct)|});
                    break;
                }
                catch (TimeoutException) when (attempt < 3)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), ct);
                }
            }
        }

        return users;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task GrpcLikeService_OrderLinesQueriedPerOrderOfCustomer_Reports() => Run(GrpcBase + """

public sealed class OrderService(BlogDbContext db) : OrderGrpc.OrderGrpcBase
{
    public override async Task<OrderReply> GetOrder(GetOrderRequest request, Grpc.Core.ServerCallContext context)
    {
        var orders = await db.Orders.Where(o => o.BuyerId == request.Id).ToListAsync(context.CancellationToken);
        decimal total = 0;
        foreach (var order in orders)
        {
            total += await {|#0:db.OrderLines.Where(l => l.OrderId == order.Id).SumAsync(l => l.Quantity, context.CancellationToken)|};
        }

        return new OrderReply(request.Id, total);
    }
}
""", Warn("PERF001", 0));

    // ================================================================================================
    // PERF001 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task DapperQueryWithInIds_OnceThenDictionaryPerLine_DoesNotReport() => Run("""
public sealed class PriceList(IDbConnection connection)
{
    public async Task<decimal> TotalAsync(IReadOnlyList<OrderLine> lines)
    {
        var ids = lines.Select(l => l.ProductId).Distinct().ToList();
        var prices = (await connection.QueryAsync<Product>("select Id, Price from Products where Id in @ids", new { ids }))
            .ToDictionary(p => p.Id, p => p.Price);
        decimal total = 0;
        foreach (var line in lines)
        {
            total += prices.TryGetValue(line.ProductId, out var price) ? price * line.Quantity : 0;
        }

        return total;
    }
}
""");

    [Fact]
    public Task DapperQueryMultipleOnce_GridsJoinedInMemoryPerOrder_DoesNotReport() => Run("""
public sealed class OrderDetailsReader(IDbConnection connection)
{
    public async Task<List<(Order Order, List<OrderLine> Lines)>> ReadAsync(int buyerId)
    {
        using var grid = await connection.QueryMultipleAsync(
            "select * from Orders where BuyerId = @buyerId; select l.* from OrderLines l join Orders o on o.Id = l.OrderId where o.BuyerId = @buyerId",
            new { buyerId });
        var orders = (await grid.ReadAsync<Order>()).ToList();
        var lines = (await grid.ReadAsync<OrderLine>()).ToLookup(l => l.OrderId);
        var result = new List<(Order, List<OrderLine>)>();
        foreach (var order in orders)
        {
            result.Add((order, lines[order.Id].ToList()));
        }

        return result;
    }
}
""");

    [Fact]
    public Task NpgsqlBatchCommandsAddedPerItem_ExecutedOnceAfterLoop_DoesNotReport() => Run("""
public sealed class StockWriter(NpgsqlDataSource dataSource)
{
    public async Task WriteAsync(IReadOnlyList<(int ProductId, int OnHand)> levels, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        foreach (var (productId, onHand) in levels)
        {
            var command = new NpgsqlBatchCommand("update stock set on_hand = $2 where product_id = $1");
            command.Parameters.Add(new NpgsqlParameter { Value = productId });
            command.Parameters.Add(new NpgsqlParameter { Value = onHand });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }
}
""");

    [Fact]
    public Task ExecuteUpdateAsyncOnceWithContainsAfterValidationLoop_DoesNotReport() => Run("""
public sealed class PublishingService(BlogDbContext db)
{
    public async Task<int> PublishAsync(IReadOnlyList<int> postIds, DateTime at, CancellationToken ct)
    {
        foreach (var id in postIds)
        {
            if (id <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(postIds));
            }
        }

        return await db.Posts.Where(p => postIds.Contains(p.Id)).ExecuteUpdateAsync(s => s.SetProperty(p => p.CreatedAt, at), ct);
    }
}
""");

    [Fact]
    public Task IncludeAsSplitQueryInPageModel_NavigationsReadPerPost_DoesNotReport() => Run("""
public sealed class AuthorModel(BlogDbContext db) : PageModel
{
    public List<string> Lines { get; } = new();

    public async Task OnGetAsync(int id, CancellationToken ct)
    {
        var posts = await db.Posts
            .Include(p => p.Author)
            .Include(p => p.Comments)
            .AsSplitQuery()
            .Where(p => p.AuthorId == id)
            .ToListAsync(ct);
        foreach (var post in posts)
        {
            Lines.Add($"{post.Title} by {post.Author.Name}: {post.Comments.Count} comments");
        }
    }
}
""");

    [Fact]
    public Task FromSqlInterpolatedOnceBeforeLoop_InMemoryMatchPerSku_DoesNotReport() => Run("""
public sealed class CatalogSearch(BlogDbContext db)
{
    public async Task<List<string>> MatchAsync(string prefix, IEnumerable<string> wanted, CancellationToken ct)
    {
        var candidates = await db.Products.FromSqlInterpolated($"select * from products where sku like {prefix + "%"}").AsNoTracking().ToListAsync(ct);
        var found = new List<string>();
        foreach (var sku in wanted)
        {
            var product = candidates.FirstOrDefault(p => p.Sku == sku);
            if (product is not null)
            {
                found.Add(product.Sku);
            }
        }

        return found;
    }
}
""");

    [Fact]
    public Task CompiledAsyncEnumerableQueryRunOnce_LoopOverResults_DoesNotReport() => Run("""
public sealed class OpenOrdersReport(BlogDbContext db)
{
    private static readonly Func<BlogDbContext, int, IAsyncEnumerable<Order>> OrdersOfBuyer =
        EF.CompileAsyncQuery((BlogDbContext context, int buyerId) => context.Orders.Where(o => o.BuyerId == buyerId && !o.Shipped));

    public async Task<decimal> OutstandingAsync(int buyerId)
    {
        decimal outstanding = 0;
        await foreach (var order in OrdersOfBuyer(db, buyerId))
        {
            outstanding += order.Total;
        }

        return outstanding;
    }
}
""");

    [Fact]
    public Task WhileReaderReadAsync_CollectsIdsThenOneBulkQuery_DoesNotReport() => Run("""
public sealed class FlaggedUsers(NpgsqlDataSource dataSource, BlogDbContext db)
{
    public async Task<List<User>> LoadAsync(CancellationToken ct)
    {
        var ids = new List<int>();
        await using var command = dataSource.CreateCommand("select user_id from flags where resolved = false");
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            ids.Add(reader.GetInt32(0));
        }

        return await db.Users.Where(u => ids.Contains(u.Id)).ToListAsync(ct);
    }
}
""");

    [Fact]
    public Task GroupByInDatabase_ForeachOverGroupsFormatsInMemory_DoesNotReport() => Run("""
public sealed class SalesByProduct(BlogDbContext db)
{
    public async Task<List<string>> ReportAsync(CancellationToken ct)
    {
        var groups = await db.OrderLines
            .GroupBy(l => l.ProductId)
            .Select(g => new { ProductId = g.Key, Units = g.Sum(l => l.Quantity) })
            .ToListAsync(ct);
        var rows = new List<string>();
        foreach (var group in groups.OrderByDescending(g => g.Units))
        {
            rows.Add($"{group.ProductId}: {group.Units}");
        }

        return rows;
    }
}
""");

    [Fact]
    public Task PipelineBehaviorsChainedWithAggregate_AuthorizationQueryOncePerRequest_DoesNotReport() => Run(Mediator + """

public interface IHasUser
{
    int UserId { get; }
}

public sealed class UserExistsBehavior<TRequest, TResponse>(BlogDbContext db) : IPipelineBehavior<TRequest, TResponse>
    where TRequest : IHasUser
{
    public async Task<TResponse> Handle(TRequest request, RequestHandlerDelegate<TResponse> next, CancellationToken cancellationToken)
    {
        if (!await db.Users.AnyAsync(u => u.Id == request.UserId, cancellationToken))
        {
            throw new UnauthorizedAccessException();
        }

        return await next();
    }
}

public sealed class Mediator(IServiceProvider services)
{
    public Task<TResponse> Send<TRequest, TResponse>(TRequest request, CancellationToken ct) where TRequest : IRequest<TResponse>
    {
        var handler = services.GetRequiredService<IRequestHandler<TRequest, TResponse>>();
        var behaviors = services.GetServices<IPipelineBehavior<TRequest, TResponse>>();
        RequestHandlerDelegate<TResponse> core = () => handler.Handle(request, ct);
        return behaviors.Reverse().Aggregate(core, (next, behavior) => () => behavior.Handle(request, next, ct))();
    }
}
""");

    [Fact]
    public Task ForeachOverDictionary_AttachAndMarkModified_OneSave_DoesNotReport() => Run("""
public sealed class PriceUpdater(BlogDbContext db)
{
    public async Task ApplyAsync(Dictionary<int, decimal> newPrices, CancellationToken ct)
    {
        foreach (var (productId, price) in newPrices)
        {
            var product = new Product { Id = productId, Price = price };
            db.Products.Attach(product);
            db.Entry(product).Property(p => p.Price).IsModified = true;
        }

        await db.SaveChangesAsync(ct);
    }
}
""");

    [Fact]
    public Task FastEndpointLikeClass_IncludedLinesSummedPerOrder_DoesNotReport() => Run(Endpoints + """

public sealed record BuyerRequest(int BuyerId);

public sealed class BuyerTotalsEndpoint(BlogDbContext db) : Endpoint<BuyerRequest, Dictionary<int, int>>
{
    public override async Task<Dictionary<int, int>> HandleAsync(BuyerRequest request, CancellationToken ct)
    {
        var orders = await db.Orders.Include(o => o.Lines).Where(o => o.BuyerId == request.BuyerId).ToListAsync(ct);
        var units = new Dictionary<int, int>();
        foreach (var order in orders)
        {
            units[order.Id] = order.Lines.Sum(l => l.Quantity);
        }

        return units;
    }
}
""");

    [Fact]
    public Task AsyncEnumerableEndpoint_StreamsQueryDirectly_DoesNotReport() => Run("""
public static class ExportEndpoints
{
    public static void MapExports(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/export").MapGet("/posts", (BlogDbContext db, CancellationToken ct) => StreamPosts(db, ct));
    }

    private static async IAsyncEnumerable<string> StreamPosts(BlogDbContext db, [EnumeratorCancellation] CancellationToken ct)
    {
        await foreach (var post in db.Posts.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(ct))
        {
            yield return $"{post.Id};{post.Title}";
        }
    }
}
""");

    [Fact]
    public Task ParallelForEachAsyncOverHttpOnly_FactoryClients_DoesNotReport() => Run("""
public sealed class LinkChecker(IHttpClientFactory factory)
{
    public async Task<ConcurrentBag<string>> BrokenAsync(IEnumerable<string> urls, CancellationToken ct)
    {
        var broken = new ConcurrentBag<string>();
        await Parallel.ForEachAsync(urls, ct, async (url, token) =>
        {
            var client = factory.CreateClient("links");
            using var response = await client.SendAsync(new HttpRequestMessage(HttpMethod.Head, url), token);
            if (!response.IsSuccessStatusCode)
            {
                broken.Add(url);
            }
        });
        return broken;
    }
}
""");

    [Fact]
    public Task GenericRepositoryTracksPerRow_UnitOfWorkSavesOnceInHandler_DoesNotReport() => Run(Mediator + Repository + """

public sealed record AddComments(int PostId, List<string> Texts) : IRequest<int>;

public sealed class AddCommentsHandler(IRepository<Comment> comments, IUnitOfWork unitOfWork) : IRequestHandler<AddComments, int>
{
    public async Task<int> Handle(AddComments request, CancellationToken cancellationToken)
    {
        foreach (var text in request.Texts)
        {
            await comments.AddAsync(new Comment { PostId = request.PostId, Text = text }, cancellationToken);
        }

        return await unitOfWork.SaveChangesAsync(cancellationToken);
    }
}
""");

    // ================================================================================================
    // PERF002 — positives
    // ================================================================================================

    [Fact]
    public Task ControllerFromServicesAuditClient_AwaitedAfterDelete_Reports() => Run(AuditClient + """

[ApiController]
[Route("api/posts")]
public sealed class PostAdminController(BlogDbContext db) : ControllerBase
{
    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Delete(int id, [FromServices] IAuditClient audit, CancellationToken ct)
    {
        var deleted = await db.Posts.Where(p => p.Id == id).ExecuteDeleteAsync(ct);
        if (deleted == 0)
        {
            return NotFound();
        }

        await {|#0:audit.WriteAuditAsync(new AuditEntry("post.deleted", id.ToString(), User.Identity?.Name ?? "anonymous", DateTimeOffset.UtcNow), ct)|};
        return NoContent();
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task EndpointFilterClassOnRouteGroup_AwaitsAuditAfterNext_Reports() => Run(AuditClient + """

public sealed class AuditFilter(IAuditClient audit) : IEndpointFilter
{
    public async ValueTask<object> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        var http = context.HttpContext;
        await {|#0:audit.WriteAuditAsync(new AuditEntry(http.Request.Method, http.Request.Path, http.User.Identity?.Name, DateTimeOffset.UtcNow), http.RequestAborted)|};
        return result;
    }
}

public static class AdminEndpoints
{
    public static void MapAdmin(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/api/admin").AddEndpointFilter<AuditFilter>();
        admin.MapPost("/reindex", () => Results.Accepted());
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task GrpcLikeServiceOverride_AwaitsAuditClient_Reports() => Run(GrpcBase + AuditClient + """

public sealed class AuditedOrderService(BlogDbContext db, IAuditClient audit) : OrderGrpc.OrderGrpcBase
{
    public override async Task<OrderReply> GetOrder(GetOrderRequest request, Grpc.Core.ServerCallContext context)
    {
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == request.Id, context.CancellationToken);
        await {|#0:audit.WriteAuditAsync(new AuditEntry("order.read", request.Id.ToString(), context.Peer, DateTimeOffset.UtcNow), context.CancellationToken)|};
        return new OrderReply(order.Id, order.Total);
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task HubMethod_PostsToNamedAuditLogClientDirectly_Reports() => Run("""
public sealed class SupportHub(IHttpClientFactory factory) : Hub
{
    public async Task CloseTicket(int ticketId)
    {
        var client = factory.CreateClient("audit-log");
        await {|#0:client.PostAsJsonAsync("entries", new { action = "ticket.closed", ticketId, by = Context.UserIdentifier })|};
        await Clients.Group($"ticket-{ticketId}").SendAsync("closed", ticketId);
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task HandlerInjectedIntoController_AwaitsAuditClient_Reports() => Run(Mediator + AuditClient + """

public sealed record ShipOrder(int OrderId) : IRequest<bool>;

public sealed class ShipOrderHandler(BlogDbContext db, IAuditClient audit) : IRequestHandler<ShipOrder, bool>
{
    public async Task<bool> Handle(ShipOrder request, CancellationToken cancellationToken)
    {
        var order = await db.Orders.FindAsync(new object[] { request.OrderId }, cancellationToken);
        if (order is null)
        {
            return false;
        }

        order.Shipped = true;
        await db.SaveChangesAsync(cancellationToken);
        await {|#0:audit.WriteAuditAsync(new AuditEntry("order.shipped", order.Id.ToString(), "system", DateTimeOffset.UtcNow), cancellationToken)|};
        return true;
    }
}

[ApiController]
[Route("api/orders")]
public sealed class ShippingController(IRequestHandler<ShipOrder, bool> ship) : ControllerBase
{
    [HttpPost("{id:int}/ship")]
    public async Task<IActionResult> Ship(int id, CancellationToken ct) => await ship.Handle(new ShipOrder(id), ct) ? NoContent() : NotFound();
}
""", Warn("PERF002", 0));

    // ================================================================================================
    // PERF002 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task GrpcLikeService_AuditEntryWrittenToChannel_DoesNotReport() => Run(GrpcBase + """

public sealed record AuditEntry(string Action, string Subject);

public sealed class ChannelAuditedOrderService(BlogDbContext db, Channel<AuditEntry> audit) : OrderGrpc.OrderGrpcBase
{
    public override async Task<OrderReply> GetOrder(GetOrderRequest request, Grpc.Core.ServerCallContext context)
    {
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == request.Id, context.CancellationToken);
        await audit.Writer.WriteAsync(new AuditEntry("order.read", request.Id.ToString()), context.CancellationToken);
        return new OrderReply(order.Id, order.Total);
    }
}
""");

    [Fact]
    public Task LoggerScopesAndActivityTags_InController_DoesNotReport() => Run("""
[ApiController]
[Route("api/checkout")]
public sealed class CheckoutController(BlogDbContext db, ILogger<CheckoutController> logger) : ControllerBase
{
    private static readonly ActivitySource Source = new("Shop.Checkout");

    [HttpPost("{orderId:int}")]
    public async Task<IActionResult> Pay(int orderId, CancellationToken ct)
    {
        using var scope = logger.BeginScope(new Dictionary<string, object> { ["OrderId"] = orderId });
        using var activity = Source.StartActivity("checkout.pay");
        activity?.SetTag("order.id", orderId);
        var order = await db.Orders.FindAsync(new object[] { orderId }, ct);
        if (order is null)
        {
            logger.LogWarning("Order {OrderId} not found", orderId);
            return NotFound();
        }

        Activity.Current?.AddEvent(new ActivityEvent("order.loaded"));
        logger.LogInformation("Paying {Total} for order {OrderId}", order.Total, orderId);
        return Ok();
    }
}
""");

    [Fact]
    public Task LogSearchClientReadingLogsBack_AwaitedInController_DoesNotReport() => Run("""
public sealed record LogLine(DateTimeOffset At, string Level, string Message);

public interface ILogQueryClient
{
    Task<List<LogLine>> QueryLogsAsync(string filter, CancellationToken ct);
}

public sealed class LokiLogQueryClient(HttpClient http) : ILogQueryClient
{
    public async Task<List<LogLine>> QueryLogsAsync(string filter, CancellationToken ct)
        => await http.GetFromJsonAsync<List<LogLine>>($"loki/api/v1/query?query={Uri.EscapeDataString(filter)}", ct) ?? new();
}

[ApiController]
[Route("api/logs")]
public sealed class LogsController(ILogQueryClient logs) : ControllerBase
{
    [HttpGet]
    public async Task<List<LogLine>> Search(string filter, CancellationToken ct) => await logs.QueryLogsAsync(filter, ct);
}
""");

    [Fact]
    public Task LogStreamHub_BroadcastsLogLinesToClients_DoesNotReport() => Run("""
public sealed class LogStreamHub(ILogger<LogStreamHub> logger) : Hub
{
    public async Task PublishLog(string level, string message)
    {
        logger.LogDebug("Relaying a {Level} line", level);
        await Clients.Group("operators").SendAsync("logLine", new { level, message, at = DateTimeOffset.UtcNow });
    }
}
""");

    [Fact]
    public Task AuditFireAndForgetWithTaskRun_InController_DoesNotReport() => Run(AuditClient + """

[ApiController]
[Route("api/users")]
public sealed class UsersController(BlogDbContext db, IAuditClient audit, ILogger<UsersController> logger) : ControllerBase
{
    [HttpPost("{id:int}/lock")]
    public async Task<IActionResult> Lock(int id, CancellationToken ct)
    {
        var user = await db.Users.FindAsync(new object[] { id }, ct);
        if (user is null)
        {
            return NotFound();
        }

        user.Name = "[locked] " + user.Name;
        await db.SaveChangesAsync(ct);
        var entry = new AuditEntry("user.locked", id.ToString(), User.Identity?.Name, DateTimeOffset.UtcNow);
        _ = Task.Run(async () =>
        {
            try
            {
                await audit.WriteAuditAsync(entry);
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Audit failed");
            }
        });
        return NoContent();
    }
}
""");

    [Fact]
    public Task TimingEndpointFilterWritingILoggerOnly_DoesNotReport() => Run("""
public sealed class TimingFilter(ILogger<TimingFilter> logger) : IEndpointFilter
{
    public async ValueTask<object> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var started = Stopwatch.GetTimestamp();
        var result = await next(context);
        logger.LogInformation("{Path} took {Elapsed} ms", context.HttpContext.Request.Path, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return result;
    }
}

public static class TimedEndpoints
{
    public static void MapTimed(this IEndpointRouteBuilder app)
        => app.MapGroup("/api/timed").AddEndpointFilter<TimingFilter>().MapGet("/ping", () => "pong");
}
""");

    [Fact]
    public Task AuditRowsInsertedWithDapperIntoOwnDatabase_AwaitedInAction_DoesNotReport() => Run("""
public interface IAuditStore
{
    Task WriteAuditAsync(string action, string subject, CancellationToken ct);
}

public sealed class SqlAuditStore(NpgsqlDataSource dataSource) : IAuditStore
{
    public async Task WriteAuditAsync(string action, string subject, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(
            "insert into audit_log(action, subject, at) values (@action, @subject, now())", new { action, subject }, cancellationToken: ct));
    }
}

[ApiController]
[Route("api/settings")]
public sealed class SettingsController(BlogDbContext db, IAuditStore audit) : ControllerBase
{
    [HttpPut("{key}")]
    public async Task<IActionResult> Put(string key, [FromBody] string value, CancellationToken ct)
    {
        db.Settings.Add(new Setting { Key = key, Value = value });
        await db.SaveChangesAsync(ct);
        await audit.WriteAuditAsync("setting.changed", key, ct);
        return NoContent();
    }
}
""");

    // ================================================================================================
    // PERF003 — positives
    // ================================================================================================

    [Fact]
    public Task TypedClientMethodCreatingItsOwnHttpClient_ReachedFromController_Reports() => Run("""
public sealed class InvoicePdfClient(HttpClient http)
{
    public Task<string> StatusAsync(int invoiceId, CancellationToken ct) => http.GetStringAsync($"invoices/{invoiceId}/status", ct);

    public async Task<byte[]> DownloadAsync(string signedUrl, CancellationToken ct)
    {
        using var raw = {|#0:new HttpClient()|};
        return await raw.GetByteArrayAsync(signedUrl, ct);
    }
}

public static class InvoiceRegistration
{
    public static IServiceCollection AddInvoices(this IServiceCollection services)
    {
        services.AddHttpClient<InvoicePdfClient>(c => c.BaseAddress = new Uri("https://invoices.internal/"));
        return services;
    }
}

[ApiController]
[Route("api/invoices")]
public sealed class InvoicesController(InvoicePdfClient invoices) : ControllerBase
{
    [HttpGet("{id:int}/pdf")]
    public async Task<IActionResult> Pdf(int id, CancellationToken ct)
    {
        var url = await invoices.StatusAsync(id, ct);
        return File(await invoices.DownloadAsync(url, ct), "application/pdf");
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task RepositoryCreatingDataSourcePerCall_ReachedFromRouteGroupHandler_Reports() => Run("""
public sealed class ReportRepository(IConfiguration configuration)
{
    public async Task<long> OrdersAsync(CancellationToken ct)
    {
        await using var dataSource = {|#0:NpgsqlDataSource.Create(configuration.GetConnectionString("Reports"))|};
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<long>("select count(*) from orders");
    }
}

public static class ReportEndpoints
{
    public static void MapReports(this IEndpointRouteBuilder app)
    {
        var reports = app.MapGroup("/api/reports");
        reports.MapGet("/orders", async (ReportRepository repository, CancellationToken ct) => Results.Ok(await repository.OrdersAsync(ct)));
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task PageModelOnGetAsync_ConnectionMultiplexerConnectPerRequest_Reports() => Run("""
public sealed class StatusModel(IConfiguration configuration) : PageModel
{
    public string LastDeploy { get; private set; }

    public async Task OnGetAsync()
    {
        using var redis = {|#0:ConnectionMultiplexer.Connect(configuration["Redis:Configuration"])|};
        LastDeploy = await redis.GetDatabase().StringGetAsync("deploy:last");
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task BackgroundJobParallelForEachAsync_NewHttpClientPerWebhook_Reports() => Run("""
public sealed record Webhook(string Url, string Secret);

public sealed class WebhookDispatcher(ILogger<WebhookDispatcher> logger) : BackgroundService
{
    public IReadOnlyList<Webhook> Hooks { get; set; } = Array.Empty<Webhook>();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Parallel.ForEachAsync(Hooks, stoppingToken, async (hook, token) =>
        {
            using var client = {|#0:new HttpClient()|};
            client.DefaultRequestHeaders.Add("X-Signature", hook.Secret);
            using var response = await client.PostAsync(hook.Url, new StringContent("{}"), token);
            logger.LogInformation("{Url}: {Status}", hook.Url, response.StatusCode);
        });
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task ScopedRedisConnectionFactory_ConnectPerCall_ReachedFromController_Reports() => Run("""
public interface IRedisConnectionFactory
{
    IConnectionMultiplexer Connect();
}

public sealed class RedisConnectionFactory(IConfiguration configuration) : IRedisConnectionFactory
{
    public IConnectionMultiplexer Connect() => {|#0:ConnectionMultiplexer.Connect(configuration.GetConnectionString("redis"))|};
}

public static class RedisRegistration
{
    public static IServiceCollection AddRedis(this IServiceCollection services)
        => services.AddScoped<IRedisConnectionFactory, RedisConnectionFactory>();
}

[ApiController]
[Route("api/carts")]
public sealed class CartController(IRedisConnectionFactory redisFactory) : ControllerBase
{
    [HttpGet("{id}")]
    public async Task<IActionResult> Get(string id)
    {
        using var redis = redisFactory.Connect();
        var cart = await redis.GetDatabase().StringGetAsync($"cart:{id}");
        return cart.HasValue ? Ok((string)cart) : NotFound();
    }
}
""", Warn("PERF003", 0));

    [Fact]
    public Task GrpcLikeService_NewDbContextPerCall_Reports() => Run(GrpcBase + """

public sealed class StandaloneOrderService(DbContextOptions<BlogDbContext> options) : OrderGrpc.OrderGrpcBase
{
    public override async Task<OrderReply> GetOrder(GetOrderRequest request, Grpc.Core.ServerCallContext context)
    {
        await using var db = {|#0:new BlogDbContext(options)|};
        var order = await db.Orders.AsNoTracking().SingleAsync(o => o.Id == request.Id, context.CancellationToken);
        return new OrderReply(order.Id, order.Total);
    }
}
""", Warn("PERF003", 0));

    // ================================================================================================
    // PERF003 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task DbContextFactoryCreateDbContextPerRequest_InController_DoesNotReport() => Run("""
[ApiController]
[Route("api/dashboard")]
public sealed class DashboardController(IDbContextFactory<BlogDbContext> contexts) : ControllerBase
{
    [HttpGet]
    public async Task<IActionResult> Get(CancellationToken ct)
    {
        await using var users = contexts.CreateDbContext();
        await using var orders = await contexts.CreateDbContextAsync(ct);
        var userCount = users.Users.CountAsync(ct);
        var orderCount = orders.Orders.CountAsync(ct);
        return Ok(new { users = await userCount, orders = await orderCount });
    }
}
""");

    [Fact]
    public Task NewNpgsqlConnectionFromConfiguredString_InRepositoryReachedFromController_DoesNotReport() => Run("""
public sealed class CustomerReadRepository(IConfiguration configuration)
{
    private readonly string _connectionString = configuration.GetConnectionString("Main");

    public async Task<Customer> ByIdAsync(int id)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        return await connection.QuerySingleOrDefaultAsync<Customer>("select id, name from customers where id = @id", new { id });
    }
}

[ApiController]
[Route("api/customers")]
public sealed class CustomersController(CustomerReadRepository customers) : ControllerBase
{
    [HttpGet("{id:int}")]
    public async Task<IActionResult> Get(int id) => await customers.ByIdAsync(id) is { } customer ? Ok(customer) : NotFound();
}
""");

    [Fact]
    public Task SingletonRedisProviderConnectsInConstructor_UsedFromController_DoesNotReport() => Run("""
public sealed class RedisProvider
{
    public RedisProvider(IConfiguration configuration)
        => Connection = ConnectionMultiplexer.Connect(configuration.GetConnectionString("redis"));

    public IConnectionMultiplexer Connection { get; }
}

public static class RedisSetup
{
    public static IServiceCollection AddRedisProvider(this IServiceCollection services) => services.AddSingleton<RedisProvider>();
}

[ApiController]
[Route("api/flags")]
public sealed class FlagsController(RedisProvider redis) : ControllerBase
{
    [HttpGet("{name}")]
    public async Task<bool> Get(string name) => await redis.Connection.GetDatabase().KeyExistsAsync($"flag:{name}");
}
""");

    [Fact]
    public Task InjectedDataSourceCreateConnectionPerCall_InGrpcLikeService_DoesNotReport() => Run(GrpcBase + """

public sealed class DapperOrderService(NpgsqlDataSource dataSource) : OrderGrpc.OrderGrpcBase
{
    public override async Task<OrderReply> GetOrder(GetOrderRequest request, Grpc.Core.ServerCallContext context)
    {
        await using var connection = dataSource.CreateConnection();
        var total = await connection.ExecuteScalarAsync<decimal>("select total from orders where id = @Id", new { request.Id });
        return new OrderReply(request.Id, total);
    }
}
""");

    [Fact]
    public Task NewDbContextInHostedServiceOutsideLoop_DoesNotReport() => Run("""
public sealed class MigrationRunner(DbContextOptions<BlogDbContext> options, ILogger<MigrationRunner> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var db = new BlogDbContext(options);
        await db.Database.MigrateAsync(stoppingToken);
        logger.LogInformation("Database migrated");
    }
}
""");

    [Fact]
    public Task TypedClientInjectedIntoHub_DoesNotReport() => Run("""
public sealed class TranslationClient(HttpClient http)
{
    public async Task<string> TranslateAsync(string text, string to)
        => await (await http.PostAsJsonAsync($"translate?to={to}", new { text })).Content.ReadAsStringAsync();
}

public sealed class ChatHub(TranslationClient translator) : Hub
{
    public async Task Send(string room, string message, string language)
        => await Clients.Group(room).SendAsync("message", await translator.TranslateAsync(message, language));
}
""");

    [Fact]
    public Task FactoryClientCreatedPerItemInControllerLoop_DoesNotReport() => Run("""
[ApiController]
[Route("api/health")]
public sealed class DependencyHealthController(IHttpClientFactory factory) : ControllerBase
{
    private static readonly string[] Dependencies = { "catalog", "payments", "shipping" };

    [HttpGet]
    public async Task<Dictionary<string, bool>> Get(CancellationToken ct)
    {
        var health = new Dictionary<string, bool>();
        foreach (var name in Dependencies)
        {
            var client = factory.CreateClient(name);
            using var response = await client.GetAsync("health", ct);
            health[name] = response.IsSuccessStatusCode;
        }

        return health;
    }
}
""");

    // ================================================================================================
    // PERF004 — positives
    // ================================================================================================

    [Fact]
    public Task SameFilterThroughTwoQueryLocals_AnyAsyncTwice_ReportsRepeat() => Run("""
public sealed class RegistrationService(BlogDbContext db)
{
    public async Task<string> RegisterAsync(string email, string name, CancellationToken ct)
    {
        var existing = db.Users.AsNoTracking().Where(u => u.Email == email);
        if (name.Length > 100)
        {
            return "name too long";
        }

        var taken = await {|#1:existing.AnyAsync(ct)|};
        var duplicates = db.Users.AsNoTracking().Where(u => u.Email == email);
        var stillTaken = await {|#0:duplicates.AnyAsync(ct)|};
        return taken || stillTaken ? "taken" : "ok";
    }
}
""", Repeat(0, 1));

    [Fact]
    public Task PageModelLoop_CurrencySettingQueriedPerPost_Reports() => Run("""
public sealed class PricesModel(BlogDbContext db) : PageModel
{
    public List<string> Prices { get; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var products = await db.Products.AsNoTracking().ToListAsync(ct);
        foreach (var product in products)
        {
            var currency = await {|#0:db.Settings.Where(s => s.Key == "currency").Select(s => s.Value).FirstAsync(ct)|};
            Prices.Add($"{product.Sku}: {product.Price} {currency}");
        }
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task HubLoop_SenderLoadedThroughNoTrackingRepositoryPerMessage_Reports() => Run("""
public interface IUserDirectory
{
    Task<string> DisplayNameAsync(int userId);
}

public sealed class EfUserDirectory(BlogDbContext db) : IUserDirectory
{
    public Task<string> DisplayNameAsync(int userId)
        => db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => u.Name).FirstOrDefaultAsync();
}

public sealed class BroadcastHub(IUserDirectory users) : Hub
{
    public async Task Broadcast(int senderId, string[] messages)
    {
        foreach (var message in messages)
        {
            var sender = await {|#0:users.DisplayNameAsync(senderId)|};
            await Clients.All.SendAsync("message", sender, message);
        }
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task ParallelForEachAsync_InvariantExchangeRateQueryPerOrder_Reports() => Run("""
public sealed class OrderConverter(NpgsqlDataSource dataSource)
{
    public async Task ConvertAsync(IReadOnlyList<Order> orders, string currency, CancellationToken ct)
    {
        await Parallel.ForEachAsync(orders, ct, async (order, token) =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(token);
            var rate = await {|#0:connection.ExecuteScalarAsync<decimal>("select rate from fx_rates where code = @currency", new { currency })|};
            order.Total *= rate;
        });
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task ForeachOverGroupBy_InvariantVatSettingPerGroup_Reports() => Run("""
public sealed class VatReport(BlogDbContext db)
{
    public async Task<Dictionary<int, decimal>> ByBuyerAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var result = new Dictionary<int, decimal>();
        foreach (var buyer in orders.GroupBy(o => o.BuyerId))
        {
            var vat = await {|#0:db.Settings.AsNoTracking().SingleAsync(s => s.Key == "vat", ct)|};
            result[buyer.Key] = buyer.Sum(o => o.Total) * decimal.Parse(vat.Value);
        }

        return result;
    }
}
""", Warn("PERF004", 0));

    [Fact]
    public Task ControllerValidatesThenRechecksSameSkuCount_ReportsRepeat() => Run("""
[ApiController]
[Route("api/products")]
public sealed class ProductsController(BlogDbContext db) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> Create([FromBody] Product product, CancellationToken ct)
    {
        if (await {|#1:db.Products.CountAsync(p => p.Sku == product.Sku, ct)|} > 0)
        {
            return Conflict();
        }

        var similar = await db.Products.CountAsync(p => p.Price == product.Price, ct);
        var sameSku = await {|#0:db.Products.CountAsync(p => p.Sku == product.Sku, ct)|};
        return Ok(new { similar, sameSku });
    }
}
""", Repeat(0, 1));

    // ================================================================================================
    // PERF004 — look-alikes that must stay quiet
    // ================================================================================================

    [Fact]
    public Task HubLoop_SenderFoundThroughGenericRepositoryFindAsync_ChangeTrackerAnswers_DoesNotReport() => Run(Repository + """

public sealed class AnnouncementHub(IRepository<User> users) : Hub
{
    public async Task Announce(int senderId, string[] messages)
    {
        foreach (var message in messages)
        {
            var sender = await users.GetByIdAsync(senderId);
            await Clients.All.SendAsync("announcement", sender?.Name, message);
        }
    }
}
""");

    [Fact]
    public Task SameRepositoryCallInBothBranchesOfIf_DoesNotReport() => Run(Repository + """

public sealed class ProfileService(IRepository<User> users)
{
    public async Task<string> GreetingAsync(int userId, bool formal, CancellationToken ct)
    {
        if (formal)
        {
            var user = await users.GetByIdAsync(userId, ct);
            return $"Dear {user?.Name}";
        }
        else
        {
            var user = await users.GetByIdAsync(userId, ct);
            return $"Hi {user?.Name}";
        }
    }
}
""");

    [Fact]
    public Task SameCountBeforeAndAfterSaveChanges_DoesNotReport() => Run("""
public sealed class CommentService(BlogDbContext db)
{
    public async Task<(int Before, int After)> AddAsync(int postId, string text, CancellationToken ct)
    {
        var before = await db.Comments.AsNoTracking().CountAsync(c => c.PostId == postId, ct);
        db.Comments.Add(new Comment { PostId = postId, Text = text });
        await db.SaveChangesAsync(ct);
        var after = await db.Comments.AsNoTracking().CountAsync(c => c.PostId == postId, ct);
        return (before, after);
    }
}
""");

    [Fact]
    public Task SenderAndRecipientLookups_DifferentKeys_DoesNotReport() => Run("""
public sealed class TransferService(BlogDbContext db)
{
    public async Task<bool> BothExistAsync(int senderId, int recipientId, CancellationToken ct)
    {
        var sender = await db.Users.AsNoTracking().Where(u => u.Id == senderId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        var recipient = await db.Users.AsNoTracking().Where(u => u.Id == recipientId).Select(u => u.Name).FirstOrDefaultAsync(ct);
        return sender is not null && recipient is not null;
    }
}
""");

    [Fact]
    public Task MemoryCacheGetOrCreateAsyncAroundSettingPerRequest_DoesNotReport() => Run("""
public static class BannerEndpoints
{
    public static void MapBanner(this IEndpointRouteBuilder app)
    {
        app.MapGroup("/api/site").MapGet("/banner", async (BlogDbContext db, IMemoryCache cache, CancellationToken ct) =>
        {
            var banner = await cache.GetOrCreateAsync("site:banner", async entry =>
            {
                entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
                return await db.Settings.AsNoTracking().Where(s => s.Key == "banner").Select(s => s.Value).FirstOrDefaultAsync(ct);
            });
            return Results.Ok(banner);
        });
    }
}
""");

    [Fact]
    public Task SameQueryInOnGetAndOnPostHandlers_DoesNotReport() => Run("""
public sealed class EditPostModel(BlogDbContext db) : PageModel
{
    public Post Post { get; private set; }

    public async Task<IActionResult> OnGetAsync(int id, CancellationToken ct)
    {
        Post = await db.Posts.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id, ct);
        return Post is null ? NotFound() : Page();
    }

    public async Task<IActionResult> OnPostAsync(int id, string title, CancellationToken ct)
    {
        var post = await db.Posts.FirstOrDefaultAsync(p => p.Id == id, ct);
        if (post is null)
        {
            return NotFound();
        }

        post.Title = title;
        await db.SaveChangesAsync(ct);
        return RedirectToPage("Index");
    }
}
""");

    [Fact]
    public Task PeriodicTimerPollingPendingCount_DoesNotReport() => Run("""
public sealed class BacklogMonitor(IServiceScopeFactory scopes, ILogger<BacklogMonitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(30));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
            var pending = await db.Orders.CountAsync(o => !o.Shipped, stoppingToken);
            logger.LogInformation("{Pending} orders waiting", pending);
        }
    }
}
""");

    [Fact]
    public Task CountOnMaterializedListTwice_InMemory_DoesNotReport() => Run("""
public sealed class CartSummary(BlogDbContext db)
{
    public async Task<string> SummaryAsync(int orderId, CancellationToken ct)
    {
        var lines = await db.OrderLines.AsNoTracking().Where(l => l.OrderId == orderId).ToListAsync(ct);
        var big = lines.Count(l => l.Quantity > 10);
        var header = $"{lines.Count} lines";
        return header + $", {lines.Count(l => l.Quantity > 10)} bulk (was {big})";
    }
}
""");

    [Fact]
    public Task SameExistsCheckInValidatorAndHandler_DifferentMethods_DoesNotReport() => Run(Mediator + """

public sealed record RenameUser(int UserId, string Name) : IRequest<bool>;

public sealed class RenameUserValidator(BlogDbContext db)
{
    public Task<bool> IsValidAsync(RenameUser command, CancellationToken ct)
        => db.Users.AnyAsync(u => u.Id == command.UserId, ct);
}

public sealed class RenameUserHandler(BlogDbContext db, RenameUserValidator validator) : IRequestHandler<RenameUser, bool>
{
    public async Task<bool> Handle(RenameUser request, CancellationToken cancellationToken)
    {
        if (!await validator.IsValidAsync(request, cancellationToken))
        {
            return false;
        }

        var updated = await db.Users.Where(u => u.Id == request.UserId)
            .ExecuteUpdateAsync(s => s.SetProperty(u => u.Name, request.Name), cancellationToken);
        return updated > 0;
    }
}
""");

    // ================================================================================================
    // Later additions
    // ================================================================================================

    [Fact]
    public Task RetryPolicyWrittenInSource_WrapsOneQueryPerRequest_DoesNotReport() => Run("""
public sealed class RetryPolicy
{
    public async Task<T> ExecuteAsync<T>(Func<CancellationToken, Task<T>> action, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await action(ct);
            }
            catch (TimeoutException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(200 * attempt), ct);
            }
        }
    }
}

[ApiController]
[Route("api/orders")]
public sealed class OrderLookupController(BlogDbContext db, RetryPolicy retry) : ControllerBase
{
    [HttpGet("{id:int}")]
    public async Task<IActionResult> Get(int id, CancellationToken ct)
    {
        var order = await retry.ExecuteAsync(token => db.Orders.AsNoTracking().FirstOrDefaultAsync(o => o.Id == id, token), ct);
        return order is null ? NotFound() : Ok(order);
    }
}
""");

    [Fact]
    public Task EndpointFilterLambdaOnRouteGroup_AwaitsAuditClient_Reports() => Run(AuditClient + """

public static class BillingEndpoints
{
    public static void MapBilling(this IEndpointRouteBuilder app)
    {
        var billing = app.MapGroup("/api/billing");
        billing.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var audit = context.HttpContext.RequestServices.GetRequiredService<IAuditClient>();
            await {|#0:audit.WriteAuditAsync(new AuditEntry("billing", context.HttpContext.Request.Path, context.HttpContext.User.Identity?.Name, DateTimeOffset.UtcNow))|};
            return result;
        });
        billing.MapPost("/refund/{id:int}", (int id) => Results.Accepted());
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task ControllerExecuteUpdateAsyncPerPriceChange_Reports() => Run("""
public sealed record PriceChange(int ProductId, decimal Price);

[ApiController]
[Route("api/prices")]
public sealed class PricesController(BlogDbContext db) : ControllerBase
{
    [HttpPut]
    public async Task<IActionResult> Put([FromBody] List<PriceChange> changes, CancellationToken ct)
    {
        foreach (var change in changes)
        {
            await {|#0:db.Products.Where(p => p.Id == change.ProductId).ExecuteUpdateAsync(s => s.SetProperty(p => p.Price, change.Price), ct)|};
        }

        return NoContent();
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task QueryLocalReassignedFilterBetweenExecutions_DoesNotReport() => Run("""
public sealed class PostSearch(BlogDbContext db)
{
    public async Task<(int All, int Matching)> CountAsync(string term, CancellationToken ct)
    {
        var all = db.Posts.AsNoTracking().Where(p => p.Title.Contains(term));
        var total = await all.CountAsync(ct);
        term = term.Trim();
        var again = db.Posts.AsNoTracking().Where(p => p.Title.Contains(term));
        var matching = await again.CountAsync(ct);
        return (total, matching);
    }
}
""");

    [Fact]
    public Task PageModelParallelForEachAsync_FactoryContextCountPerCategory_Reports() => Run("""
public sealed record Category(int Id, string Name);

public sealed class CategoriesModel(IDbContextFactory<BlogDbContext> contexts) : PageModel
{
    public ConcurrentDictionary<string, int> Counts { get; } = new();

    public async Task OnGetAsync(CancellationToken ct)
    {
        var categories = new[] { new Category(1, "news"), new Category(2, "guides") };
        await Parallel.ForEachAsync(categories, ct, async (category, token) =>
        {
            await using var db = await contexts.CreateDbContextAsync(token);
            Counts[category.Name] = await {|#0:db.Posts.CountAsync(p => p.AuthorId == category.Id, token)|};
        });
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task ShipmentTrackingEmailSentThroughMailApi_BusinessCall_DoesNotReport() => Run("""
public interface ICustomerNotifier
{
    Task SendTrackingEmailAsync(string email, string trackingNumber, CancellationToken ct);
}

public sealed class MailApiNotifier(HttpClient http) : ICustomerNotifier
{
    public async Task SendTrackingEmailAsync(string email, string trackingNumber, CancellationToken ct)
    {
        using var response = await http.PostAsJsonAsync("v3/mail/send", new { to = email, template = "shipped", trackingNumber }, ct);
        response.EnsureSuccessStatusCode();
    }
}

[ApiController]
[Route("api/shipments")]
public sealed class ShipmentsController(BlogDbContext db, ICustomerNotifier notifier) : ControllerBase
{
    [HttpPost("{orderId:int}")]
    public async Task<IActionResult> Ship(int orderId, [FromBody] string trackingNumber, CancellationToken ct)
    {
        var order = await db.Orders.Include(o => o.Buyer).SingleAsync(o => o.Id == orderId, ct);
        order.Shipped = true;
        await db.SaveChangesAsync(ct);
        await notifier.SendTrackingEmailAsync(order.Buyer.Name, trackingNumber, ct);
        return NoContent();
    }
}
""");

    [Fact]
    public Task InMemoryAsyncSlugServicePerPost_NoDatabase_DoesNotReport() => Run("""
public interface ISlugService
{
    ValueTask<string> SlugAsync(string title);
}

public sealed class SlugService : ISlugService
{
    public ValueTask<string> SlugAsync(string title) => ValueTask.FromResult(title.Trim().ToLowerInvariant().Replace(' ', '-'));
}

public sealed class SlugBackfill(BlogDbContext db, ISlugService slugs)
{
    public async Task<Dictionary<int, string>> RunAsync(CancellationToken ct)
    {
        var posts = await db.Posts.AsNoTracking().ToListAsync(ct);
        var result = new Dictionary<int, string>();
        foreach (var post in posts)
        {
            result[post.Id] = await slugs.SlugAsync(post.Title);
        }

        return result;
    }
}
""");

    [Fact]
    public Task ConnectionStringBuilderWithConstantApplicationName_PerRequest_DoesNotReport() => Run("""
[ApiController]
[Route("api/stats")]
public sealed class StatsController(IConfiguration configuration) : ControllerBase
{
    [HttpGet]
    public async Task<long> Get(CancellationToken ct)
    {
        var builder = new NpgsqlConnectionStringBuilder(configuration.GetConnectionString("Main")) { ApplicationName = "stats-api", Timeout = 5 };
        await using var connection = new NpgsqlConnection(builder.ConnectionString);
        return await connection.ExecuteScalarAsync<long>("select count(*) from orders");
    }
}
""");

    [Fact]
    public Task AdminHubSendsAuditEntriesToCaller_SignalRPush_DoesNotReport() => Run("""
public sealed record AuditEntry(string Action, string Subject, DateTimeOffset At);

public sealed class AdminHub(BlogDbContext db) : Hub
{
    public async Task RecentActivity(int take)
    {
        var entries = await db.Settings.AsNoTracking().OrderByDescending(s => s.Id).Take(take)
            .Select(s => new AuditEntry(s.Key, s.Value, DateTimeOffset.UtcNow)).ToListAsync();
        await Clients.Caller.SendAsync("auditTrail", entries);
    }
}
""");

    [Fact]
    public Task AuditHttpClientGetFromJsonInController_ReadsEntriesBack_DoesNotReport() => Run("""
public sealed record AuditEntry(string Action, string Subject, DateTimeOffset At);

[ApiController]
[Route("api/audit")]
public sealed class AuditViewerController(IHttpClientFactory factory) : ControllerBase
{
    private readonly HttpClient _auditHttp = factory.CreateClient("audit");

    [HttpGet("{subject}")]
    public async Task<List<AuditEntry>> Get(string subject, CancellationToken ct)
        => await _auditHttp.GetFromJsonAsync<List<AuditEntry>>($"entries?subject={Uri.EscapeDataString(subject)}", ct) ?? new();
}
""");

    [Fact]
    public Task ControllerPostsLogEntryPayloadThroughGenericClient_Reports() => Run("""
public sealed record LogEntry(string Level, string Message, string TraceId);

[ApiController]
[Route("api/imports")]
public sealed class ImportsController(HttpClient http, BlogDbContext db) : ControllerBase
{
    [HttpPost]
    public async Task<IActionResult> Import([FromBody] List<Product> products, CancellationToken ct)
    {
        db.Products.AddRange(products);
        await db.SaveChangesAsync(ct);
        await {|#0:http.PostAsJsonAsync("https://logs.internal/ingest", new LogEntry("Information", $"Imported {products.Count} products", HttpContext.TraceIdentifier), ct)|};
        return Ok();
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task QueryLocalNarrowedIntoSecondLocal_CountsOfBoth_DoesNotReport() => Run("""
public sealed class InboxService(BlogDbContext db)
{
    public async Task<(int Total, int Flagged)> CountsAsync(int userId, CancellationToken ct)
    {
        var mine = db.Comments.AsNoTracking().Where(c => c.UserId == userId);
        var flagged = mine.Where(c => c.Text.StartsWith("[flag]"));
        var total = await mine.CountAsync(ct);
        var flaggedCount = await flagged.CountAsync(ct);
        return (total, flaggedCount);
    }
}
""");

    [Fact]
    public Task HubNotifiesEachConnectionOfGroup_NoDatabase_DoesNotReport() => Run("""
public sealed class PresenceHub : Hub
{
    private static readonly ConcurrentDictionary<string, string> Connections = new();

    public async Task Announce(string user)
    {
        foreach (var (connectionId, name) in Connections)
        {
            if (name != user)
            {
                await Clients.Client(connectionId).SendAsync("online", user);
            }
        }
    }
}
""");

    [Fact]
    public Task LocalViewLookupPerId_InMemoryChangeTracker_DoesNotReport() => Run("""
public sealed class CartMerger(BlogDbContext db)
{
    public async Task MergeAsync(IReadOnlyList<OrderLine> incoming, CancellationToken ct)
    {
        await db.OrderLines.Where(l => l.OrderId == incoming[0].OrderId).LoadAsync(ct);
        foreach (var line in incoming)
        {
            var existing = db.OrderLines.Local.FirstOrDefault(l => l.ProductId == line.ProductId);
            if (existing is null)
            {
                db.OrderLines.Add(line);
            }
            else
            {
                existing.Quantity += line.Quantity;
            }
        }

        await db.SaveChangesAsync(ct);
    }
}
""");

    [Fact]
    public Task ChannelOfBatches_SaveChangesOncePerBatch_DoesNotReport() => Run("""
public sealed class OrderIngestWorker(Channel<IReadOnlyList<Order>> batches, IServiceScopeFactory scopes) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var batch in batches.Reader.ReadAllAsync(stoppingToken))
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
            db.Orders.AddRange(batch);
            await db.SaveChangesAsync(stoppingToken);
        }
    }
}
""");

    [Fact]
    public Task SequenceAllocatorLoop_ReadThenIncrementEachPass_DoesNotReport() => Run("""
public sealed class InvoiceNumberAllocator(BlogDbContext db)
{
    public async Task<List<string>> AllocateAsync(int count, CancellationToken ct)
    {
        var numbers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var current = await db.Settings.AsNoTracking().SingleAsync(s => s.Key == "invoice.seq", ct);
            await db.Settings.Where(s => s.Key == "invoice.seq")
                .ExecuteUpdateAsync(s => s.SetProperty(x => x.Value, (int.Parse(current.Value) + 1).ToString()), ct);
            numbers.Add("INV-" + current.Value);
        }

        return numbers;
    }
}
""");

    [Fact]
    public Task PageModelConstructor_NewHttpClientPerRequest_Reports() => Run("""
public sealed class WeatherModel : PageModel
{
    private readonly HttpClient _http;

    public WeatherModel()
    {
        _http = {|#0:new HttpClient()|};
        _http.BaseAddress = new Uri("https://weather.example.com/");
    }

    public string Forecast { get; private set; }

    public async Task OnGetAsync(string city) => Forecast = await _http.GetStringAsync($"forecast/{city}");
}
""", Warn("PERF003", 0));

    [Fact]
    public Task IMiddlewareClass_AwaitsAuditClientBeforeNext_Reports() => Run(AuditClient + """

public sealed class AdminAccessAuditMiddleware(IAuditClient audit) : IMiddleware
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments("/admin"))
        {
            await {|#0:audit.WriteAuditAsync(new AuditEntry("admin.access", context.Request.Path, context.User.Identity?.Name, DateTimeOffset.UtcNow), context.RequestAborted)|};
        }

        await next(context);
    }
}
""", Warn("PERF002", 0));

    [Fact]
    public Task AuditOutboxRowAddedToRequestContext_AwaitedInController_DoesNotReport() => Run("""
public interface IAuditOutbox
{
    Task EnqueueAuditAsync(string action, string subject, CancellationToken ct);
}

public sealed class EfAuditOutbox(BlogDbContext db) : IAuditOutbox
{
    public async Task EnqueueAuditAsync(string action, string subject, CancellationToken ct)
        => await db.Settings.AddAsync(new Setting { Key = "audit:" + action, Value = subject }, ct);
}

[ApiController]
[Route("api/customers")]
public sealed class CustomerAdminController(BlogDbContext db, IAuditOutbox audit) : ControllerBase
{
    [HttpDelete("{id:int}")]
    public async Task<IActionResult> Delete(int id, CancellationToken ct)
    {
        var customer = await db.Customers.FindAsync(new object[] { id }, ct);
        if (customer is null)
        {
            return NotFound();
        }

        db.Customers.Remove(customer);
        await audit.EnqueueAuditAsync("customer.deleted", id.ToString(), ct);
        await db.SaveChangesAsync(ct);
        return NoContent();
    }
}
""");

    [Fact]
    public Task EntryCollectionQueryCountAsyncPerPost_Reports() => Run("""
public sealed class PostStats(BlogDbContext db)
{
    public async Task<Dictionary<int, int>> CommentCountsAsync(List<Post> posts, CancellationToken ct)
    {
        var counts = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            counts[post.Id] = await {|#0:db.Entry(post).Collection(p => p.Comments).Query().CountAsync(ct)|};
        }

        return counts;
    }
}
""", Warn("PERF001", 0));

    [Fact]
    public Task MultiRowInsertBuiltInLoop_ExecutedOnceWithDynamicParameters_DoesNotReport() => Run("""
public sealed class LineWriter(IDbConnection connection)
{
    public async Task<int> InsertAsync(int orderId, IReadOnlyList<OrderLine> lines)
    {
        var sql = new System.Text.StringBuilder("insert into OrderLines (OrderId, ProductId, Quantity) values ");
        var parameters = new DynamicParameters();
        parameters.Add("orderId", orderId);
        for (var i = 0; i < lines.Count; i++)
        {
            sql.Append(i == 0 ? "" : ", ").Append($"(@orderId, @p{i}, @q{i})");
            parameters.Add($"p{i}", lines[i].ProductId);
            parameters.Add($"q{i}", lines[i].Quantity);
        }

        return await connection.ExecuteAsync(sql.ToString(), parameters);
    }
}
""");

    [Fact]
    public Task HttpClientOverFactoryHandlerPerRequest_PoolInHandler_DoesNotReport() => Run("""
[ApiController]
[Route("api/proxy")]
public sealed class ProxyController(IHttpMessageHandlerFactory handlers) : ControllerBase
{
    [HttpGet("{*path}")]
    public async Task<IActionResult> Get(string path, CancellationToken ct)
    {
        using var client = new HttpClient(handlers.CreateHandler("upstream"), disposeHandler: false) { BaseAddress = new Uri("https://upstream.internal/") };
        return Content(await client.GetStringAsync(path, ct), "application/json");
    }
}
""");

    [Fact]
    public Task SameDapperScalarOnPrimaryAndReplicaConnections_DoesNotReport() => Run("""
public sealed class ReplicationProbe(NpgsqlDataSource primaryDataSource, IConfiguration configuration)
{
    public async Task<long> LagAsync(NpgsqlDataSource replicaDataSource, CancellationToken ct)
    {
        await using var primary = await primaryDataSource.OpenConnectionAsync(ct);
        await using var replica = await replicaDataSource.OpenConnectionAsync(ct);
        var primaryMax = await primary.ExecuteScalarAsync<long>("select max(id) from orders");
        var replicaMax = await replica.ExecuteScalarAsync<long>("select max(id) from orders");
        return primaryMax - replicaMax;
    }
}
""");

    [Fact]
    public Task PageModelConstructor_FactoryCreateClient_DoesNotReport() => Run("""
public sealed class RatesModel : PageModel
{
    private readonly HttpClient _http;

    public RatesModel(IHttpClientFactory factory) => _http = factory.CreateClient("rates");

    public string Rates { get; private set; }

    public async Task OnGetAsync() => Rates = await _http.GetStringAsync("latest");
}
""");

    [Fact]
    public Task PrimaryHandlerConfiguredInAddHttpClient_DoesNotReport() => Run("""
public sealed class PartnerClient(HttpClient http)
{
    public Task<string> PingAsync(CancellationToken ct) => http.GetStringAsync("ping", ct);
}

public static class PartnerRegistration
{
    public static IServiceCollection AddPartner(this IServiceCollection services)
    {
        services.AddHttpClient<PartnerClient>(c => c.BaseAddress = new Uri("https://partner.example.com/"))
            .ConfigurePrimaryHttpMessageHandler(() => new HttpClientHandler { AllowAutoRedirect = false, MaxConnectionsPerServer = 20 });
        return services;
    }
}

[ApiController]
[Route("api/partner")]
public sealed class PartnerController(PartnerClient partner) : ControllerBase
{
    [HttpGet("ping")]
    public Task<string> Ping(CancellationToken ct) => partner.PingAsync(ct);
}
""");

    [Fact]
    public Task ForeachOverInMemoryGroupBy_SaveChangesPerBuyerGroup_Reports() => Run("""
public sealed class LoyaltyPoints(BlogDbContext db)
{
    public async Task AwardAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        foreach (var buyerOrders in orders.GroupBy(o => o.BuyerId))
        {
            db.Settings.Add(new Setting { Key = $"points:{buyerOrders.Key}", Value = buyerOrders.Sum(o => o.Total).ToString() });
            await {|#0:db.SaveChangesAsync(ct)|};
        }
    }
}
""", Warn("PERF001", 0));
}
