using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>PERF001 through methods of the compilation: repositories, services, helpers, local functions.</summary>
public class PERF001_InterproceduralTests
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
    public async Task PrivateHelperInSameClass_CalledPerPost_Reports_WithChain()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PostService
{
    private readonly BlogDbContext _db;
    public PostService(BlogDbContext db) => _db = db;

    public async Task<List<string>> BylinesAsync(List<Post> posts)
    {
        var bylines = new List<string>();
        foreach (var post in posts)
        {
            var author = await {|#0:LoadAuthorAsync(post.AuthorId)|};
            bylines.Add($"{post.Title} by {author.Name}");
        }
        return bylines;
    }

    private Task<User> LoadAuthorAsync(int id) => _db.Users.FirstAsync(u => u.Id == id);
}
""", VerifyCS.Diagnostic("PERF001").WithLocation(0).WithArguments("'PostService.LoadAuthorAsync' via DbSet<User>.FirstAsync", "the foreach over 'posts'"));
    }

    [Fact]
    public async Task ServiceCallingRepositoryInterfaceCallingDbContext_ThreeLevels_Reports_WithChain()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface ICustomerRepository
{
    Task<Customer> GetAsync(int id, CancellationToken ct);
}

public class CustomerRepository : ICustomerRepository
{
    private readonly BlogDbContext _db;
    public CustomerRepository(BlogDbContext db) => _db = db;

    public async Task<Customer> GetAsync(int id, CancellationToken ct) => await _db.Customers.FindAsync(new object[] { id }, ct);
}

public class CustomerService
{
    private readonly ICustomerRepository _customers;
    public CustomerService(ICustomerRepository customers) => _customers = customers;

    public async Task<string> DisplayNameAsync(int id, CancellationToken ct)
    {
        var customer = await _customers.GetAsync(id, ct);
        return customer?.Name ?? $"#{id}";
    }
}

public class InvoiceJob
{
    private readonly CustomerService _service;
    public InvoiceJob(CustomerService service) => _service = service;

    public async Task<List<string>> HeadersAsync(IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var headers = new List<string>();
        foreach (var order in orders)
        {
            var name = await {|#0:_service.DisplayNameAsync(order.BuyerId, ct)|};
            headers.Add($"Invoice {order.Id} for {name}");
        }
        return headers;
    }
}
""", VerifyCS.Diagnostic("PERF001").WithLocation(0).WithArguments(
            "'CustomerService.DisplayNameAsync' via ICustomerRepository.GetAsync → CustomerRepository.GetAsync → DbSet<Customer>.FindAsync",
            "the foreach over 'orders'"));
    }

    [Fact]
    public async Task GenericRepositoryInterface_GetByIdAsyncPerLine_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IRepository<T> where T : class
{
    Task<T> GetByIdAsync(int id, CancellationToken ct = default);
    Task<List<T>> ListAsync(CancellationToken ct = default);
}

public class EfRepository<T> : IRepository<T> where T : class
{
    private readonly BlogDbContext _db;
    public EfRepository(BlogDbContext db) => _db = db;

    public async Task<T> GetByIdAsync(int id, CancellationToken ct = default) => await _db.Set<T>().FindAsync(new object[] { id }, ct);
    public Task<List<T>> ListAsync(CancellationToken ct = default) => _db.Set<T>().ToListAsync(ct);
}

public class BasketPricing
{
    private readonly IRepository<Product> _products;
    public BasketPricing(IRepository<Product> products) => _products = products;

    public async Task<decimal> TotalAsync(IEnumerable<OrderLine> lines, CancellationToken ct)
    {
        var total = 0m;
        foreach (var line in lines)
        {
            var product = await {|PERF001:_products.GetByIdAsync(line.ProductId, ct)|};
            total += product.Price * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task AbstractBaseTemplateMethod_OverrideQueriesPerItem_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public abstract class ReportBase
{
    public async Task<List<string>> RunAsync(IEnumerable<int> customerIds)
    {
        var rows = new List<string>();
        foreach (var customerId in customerIds)
        {
            var value = await {|PERF001:ComputeAsync(customerId)|};
            rows.Add($"{customerId};{value}");
        }
        return rows;
    }

    protected abstract Task<decimal> ComputeAsync(int customerId);
}

public sealed class RevenueReport : ReportBase
{
    private readonly BlogDbContext _db;
    public RevenueReport(BlogDbContext db) => _db = db;

    protected override Task<decimal> ComputeAsync(int customerId)
        => _db.Orders.Where(o => o.BuyerId == customerId && o.Shipped).SumAsync(o => o.Total);
}
""");
    }

    [Fact]
    public async Task LocalFunctionQueryingCommentsCalledPerPost_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ActivityService
{
    public async Task<Dictionary<int, int>> ActivityAsync(BlogDbContext db, List<Post> posts)
    {
        var activity = new Dictionary<int, int>();
        foreach (var post in posts)
        {
            activity[post.Id] = await {|PERF001:CountCommentsAsync(post.Id)|};
        }
        return activity;

        async Task<int> CountCommentsAsync(int postId)
        {
            return await db.Comments.CountAsync(c => c.PostId == postId);
        }
    }
}
""");
    }

    [Fact]
    public async Task RepositoryReturnsIQueryable_ExecutedAtCallSitePerUser_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PostRepository
{
    private readonly BlogDbContext _db;
    public PostRepository(BlogDbContext db) => _db = db;

    public IQueryable<Post> ByAuthor(int authorId) => _db.Posts.Where(p => p.AuthorId == authorId);
}

public class NewsletterBuilder
{
    private readonly PostRepository _posts;
    public NewsletterBuilder(PostRepository posts) => _posts = posts;

    public async Task<Dictionary<string, List<Post>>> BuildAsync(IEnumerable<User> subscribers)
    {
        var result = new Dictionary<string, List<Post>>();
        foreach (var user in subscribers)
        {
            result[user.Email] = await {|PERF001:_posts.ByAuthor(user.Id).OrderByDescending(p => p.CreatedAt).ToListAsync()|};
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task ExtensionMethodOnDbSet_CalledPerEmail_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public static class UserQueries
{
    public static Task<User> ByEmailAsync(this DbSet<User> users, string email, CancellationToken ct = default)
        => users.AsNoTracking().FirstOrDefaultAsync(u => u.Email == email, ct);
}

public class InvitationService
{
    public async Task<List<string>> UnknownAsync(BlogDbContext db, IEnumerable<string> invitees)
    {
        var unknown = new List<string>();
        foreach (var email in invitees)
        {
            if (await {|PERF001:db.Users.ByEmailAsync(email)|} is null)
            {
                unknown.Add(email);
            }
        }
        return unknown;
    }
}
""");
    }

    [Fact]
    public async Task GenericRepositoryUpdateAsyncWithSaveChanges_CalledPerOrder_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IWriteRepository<T> where T : class
{
    Task UpdateAsync(T entity, CancellationToken ct = default);
}

public class EfWriteRepository<T> : IWriteRepository<T> where T : class
{
    private readonly BlogDbContext _db;
    public EfWriteRepository(BlogDbContext db) => _db = db;

    public async Task UpdateAsync(T entity, CancellationToken ct = default)
    {
        _db.Set<T>().Update(entity);
        await _db.SaveChangesAsync(ct);
    }
}

public class ShippingService
{
    private readonly IWriteRepository<Order> _orders;
    public ShippingService(IWriteRepository<Order> orders) => _orders = orders;

    public async Task MarkShippedAsync(IEnumerable<Order> orders, CancellationToken ct)
    {
        foreach (var order in orders)
        {
            order.Shipped = true;
            await {|PERF001:_orders.UpdateAsync(order, ct)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task UnitOfWorkCommitWithoutArguments_CalledPerIteration_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IUnitOfWork
{
    Task<int> CommitAsync(CancellationToken ct = default);
}

public class EfUnitOfWork : IUnitOfWork
{
    private readonly BlogDbContext _db;
    public EfUnitOfWork(BlogDbContext db) => _db = db;
    public Task<int> CommitAsync(CancellationToken ct = default) => _db.SaveChangesAsync(ct);
}

public class RepricingJob
{
    private readonly IUnitOfWork _uow;
    public RepricingJob(IUnitOfWork uow) => _uow = uow;

    public async Task RunAsync(List<Product> products, decimal factor, CancellationToken ct)
    {
        foreach (var product in products)
        {
            product.Price = Math.Round(product.Price * factor, 2);
            await {|PERF001:_uow.CommitAsync(ct)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task DapperRepositoryInterface_CalledInSelectLambda_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.Data;
using Dapper;

public interface IPriceReader
{
    Task<decimal> PriceAsync(int productId);
}

public class DapperPriceReader : IPriceReader
{
    private readonly IDbConnection _conn;
    public DapperPriceReader(IDbConnection conn) => _conn = conn;
    public Task<decimal> PriceAsync(int productId)
        => _conn.ExecuteScalarAsync<decimal>("select price from products where id = @productId", new { productId });
}

public class QuoteService
{
    private readonly IPriceReader _prices;
    public QuoteService(IPriceReader prices) => _prices = prices;

    public async Task<decimal[]> QuoteAsync(IEnumerable<OrderLine> lines)
        => await Task.WhenAll(lines.Select(async line => await {|PERF001:_prices.PriceAsync(line.ProductId)|} * line.Quantity));
}
""");
    }

    [Fact]
    public async Task GenericRepositoryQueryReturningDbSetAsQueryable_ExecutedPerPost_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Repository<T> where T : class
{
    private readonly BlogDbContext _db;
    public Repository(BlogDbContext db) => _db = db;

    public IQueryable<T> Query() => _db.Set<T>().AsQueryable();
}

public class CommentSummary
{
    private readonly Repository<Comment> _comments;
    public CommentSummary(Repository<Comment> comments) => _comments = comments;

    public async Task<Dictionary<int, List<Comment>>> LatestAsync(IEnumerable<Post> posts)
    {
        var result = new Dictionary<int, List<Comment>>();
        foreach (var post in posts)
        {
            result[post.Id] = await {|PERF001:_comments.Query().Where(c => c.PostId == post.Id).OrderByDescending(c => c.Id).ToListAsync()|};
        }
        return result;
    }
}
""");
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task CacheAsideRepositoryWithTryGetValue_CalledInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.Extensions.Caching.Memory;

public class CachedUserRepository
{
    private readonly BlogDbContext _db;
    private readonly IMemoryCache _cache;
    public CachedUserRepository(BlogDbContext db, IMemoryCache cache) { _db = db; _cache = cache; }

    public async Task<User> GetAsync(int id)
    {
        if (_cache.TryGetValue($"user:{id}", out User cached))
        {
            return cached;
        }

        var user = await _db.Users.FindAsync(id);
        _cache.Set($"user:{id}", user, TimeSpan.FromMinutes(5));
        return user;
    }
}

public class CommentRenderer
{
    private readonly CachedUserRepository _users;
    public CommentRenderer(CachedUserRepository users) => _users = users;

    public async Task<List<string>> RenderAsync(IEnumerable<Comment> comments)
    {
        var html = new List<string>();
        foreach (var comment in comments)
        {
            var user = await _users.GetAsync(comment.UserId);
            html.Add($"<b>{user?.Name}</b> {comment.Text}");
        }
        return html;
    }
}
""");
    }

    [Fact]
    public async Task CacheAsideWithGetOrCreateAsync_CalledInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.Extensions.Caching.Memory;

public interface IProductCatalog
{
    Task<Product> GetAsync(int id);
}

public class CachedProductCatalog : IProductCatalog
{
    private readonly BlogDbContext _db;
    private readonly IMemoryCache _cache;
    public CachedProductCatalog(BlogDbContext db, IMemoryCache cache) { _db = db; _cache = cache; }

    public Task<Product> GetAsync(int id)
        => _cache.GetOrCreateAsync(("product", id), entry =>
        {
            entry.AbsoluteExpirationRelativeToNow = TimeSpan.FromMinutes(10);
            return _db.Products.AsNoTracking().FirstOrDefaultAsync(p => p.Id == id);
        });
}

public class CartService
{
    private readonly IProductCatalog _catalog;
    public CartService(IProductCatalog catalog) => _catalog = catalog;

    public async Task<decimal> TotalAsync(IEnumerable<OrderLine> lines)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = await _catalog.GetAsync(line.ProductId);
            total += product.Price * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task BulkRepositoryMethodBeforeLoop_InMemoryJoin_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IUserRepository
{
    Task<Dictionary<int, User>> GetByIdsAsync(IReadOnlyCollection<int> ids, CancellationToken ct);
}

public class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;

    public Task<Dictionary<int, User>> GetByIdsAsync(IReadOnlyCollection<int> ids, CancellationToken ct)
        => _db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, ct);
}

public class TimelineService
{
    private readonly IUserRepository _users;
    public TimelineService(IUserRepository users) => _users = users;

    public async Task<List<string>> RenderAsync(List<Post> posts, CancellationToken ct)
    {
        var authors = await _users.GetByIdsAsync(posts.Select(p => p.AuthorId).Distinct().ToList(), ct);
        var lines = new List<string>();
        foreach (var post in posts)
        {
            lines.Add($"{authors[post.AuthorId].Name}: {post.Title}");
        }
        return lines;
    }
}
""");
    }

    [Fact]
    public async Task InMemoryHelperNamedFindUser_CalledInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class MentionResolver
{
    private readonly List<User> _users;
    public MentionResolver(List<User> users) => _users = users;

    public List<User> Resolve(IEnumerable<string> handles)
    {
        var found = new List<User>();
        foreach (var handle in handles)
        {
            var user = FindUser(handle);
            if (user != null) found.Add(user);
        }
        return found;
    }

    private User FindUser(string name) => _users.Find(u => string.Equals(u.Name, name, StringComparison.OrdinalIgnoreCase));
}
""");
    }

    [Fact]
    public async Task InterfaceWithOnlyInMemoryImplementation_CalledInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IDiscountPolicy
{
    Task<decimal> DiscountForAsync(Order order);
}

public class VolumeDiscountPolicy : IDiscountPolicy
{
    public Task<decimal> DiscountForAsync(Order order)
        => Task.FromResult(order.Lines.Sum(l => l.Quantity) > 10 ? order.Total * 0.05m : 0m);
}

public class CheckoutService
{
    private readonly IDiscountPolicy _policy;
    private readonly BlogDbContext _db;
    public CheckoutService(IDiscountPolicy policy, BlogDbContext db) { _policy = policy; _db = db; }

    public async Task ApplyAsync(int buyerId)
    {
        var orders = await _db.Orders.Include(o => o.Lines).Where(o => o.BuyerId == buyerId).ToListAsync();
        foreach (var order in orders)
        {
            order.Total -= await _policy.DiscountForAsync(order);
        }
        await _db.SaveChangesAsync();
    }
}
""");
    }

    [Fact]
    public async Task RepositoryAddWithoutSaveInLoop_UnitOfWorkSaveAfter_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CommentRepository
{
    private readonly BlogDbContext _db;
    public CommentRepository(BlogDbContext db) => _db = db;

    public void Add(Comment comment) => _db.Comments.Add(comment);
    public Task<int> SaveAsync(CancellationToken ct) => _db.SaveChangesAsync(ct);
}

public class ReplyService
{
    private readonly CommentRepository _comments;
    public ReplyService(CommentRepository comments) => _comments = comments;

    public async Task ReplyToAllAsync(IEnumerable<Post> posts, int userId, string text, CancellationToken ct)
    {
        foreach (var post in posts)
        {
            _comments.Add(new Comment { PostId = post.Id, UserId = userId, Text = text });
        }
        await _comments.SaveAsync(ct);
    }
}
""");
    }

    [Fact]
    public async Task SpecificationHelperReturningIQueryable_ComposedInLoop_ExecutedOnce_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PostQueries
{
    private readonly BlogDbContext _db;
    public PostQueries(BlogDbContext db) => _db = db;

    public IQueryable<Post> All() => _db.Posts.AsNoTracking();

    public static IQueryable<Post> WithTag(IQueryable<Post> source, string tag) => source.Where(p => p.Title.Contains(tag));

    public Task<List<Post>> SearchAsync(IEnumerable<string> tags)
    {
        var query = All();
        foreach (var tag in tags)
        {
            query = WithTag(query, tag);
        }
        return query.ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task RepositoryGetPageInWhileLoop_Paging_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class OrderRepository
{
    private readonly BlogDbContext _db;
    public OrderRepository(BlogDbContext db) => _db = db;

    public Task<List<Order>> GetPageAsync(int skip, int take, CancellationToken ct)
        => _db.Orders.AsNoTracking().OrderBy(o => o.Id).Skip(skip).Take(take).ToListAsync(ct);
}

public class OrderExport
{
    private readonly OrderRepository _orders;
    public OrderExport(OrderRepository orders) => _orders = orders;

    public async Task<decimal> SumAsync(CancellationToken ct)
    {
        const int size = 200;
        var skip = 0;
        var sum = 0m;
        while (true)
        {
            var page = await _orders.GetPageAsync(skip, size, ct);
            if (page.Count == 0) break;
            sum += page.Sum(o => o.Total);
            skip += size;
        }
        return sum;
    }
}
""");
    }

    [Fact]
    public async Task LoopInvariantRepositoryCallInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class SettingsRepository
{
    private readonly BlogDbContext _db;
    public SettingsRepository(BlogDbContext db) => _db = db;

    public async Task<string> GetAsync(string key)
        => (await _db.Settings.FirstOrDefaultAsync(s => s.Key == key))?.Value;
}

public class SignatureAppender
{
    private readonly SettingsRepository _settings;
    public SignatureAppender(SettingsRepository settings) => _settings = settings;

    public async Task AppendAsync(List<Comment> comments)
    {
        foreach (var comment in comments)
        {
            var signature = await _settings.GetAsync("CommentSignature");
            comment.Text += "\n" + signature;
        }
    }
}
""");
    }

    [Fact]
    public async Task InMemoryLocalFunctionCalledPerElement_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class SlugService
{
    public async Task<List<string>> SlugsAsync(BlogDbContext db)
    {
        var posts = await db.Posts.AsNoTracking().ToListAsync();
        var slugs = new List<string>();
        foreach (var post in posts)
        {
            slugs.Add(Slugify(post.Title, post.Id));
        }
        return slugs;

        static string Slugify(string title, int id)
            => new string(title.ToLowerInvariant().Select(ch => char.IsLetterOrDigit(ch) ? ch : '-').ToArray()) + "-" + id;
    }
}
""");
    }

    [Fact]
    public async Task RepositoryBulkMethodCalledPerChunk_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ProductRepository
{
    private readonly BlogDbContext _db;
    public ProductRepository(BlogDbContext db) => _db = db;

    public Task<List<Product>> GetManyAsync(IEnumerable<int> ids, CancellationToken ct)
        => _db.Products.Where(p => ids.Contains(p.Id)).ToListAsync(ct);
}

public class PriceAudit
{
    private readonly ProductRepository _products;
    public PriceAudit(ProductRepository products) => _products = products;

    public async Task<List<Product>> ZeroPricedAsync(IReadOnlyList<int> productIds, CancellationToken ct)
    {
        var result = new List<Product>();
        foreach (var chunk in productIds.Chunk(500))
        {
            var products = await _products.GetManyAsync(chunk, ct);
            result.AddRange(products.Where(p => p.Price == 0));
        }
        return result;
    }
}
""");
    }

    [Fact]
    public async Task ExternalInterfaceWithoutImplementationInCompilation_CalledInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.Extensions.Logging;

public interface IEmailSender
{
    Task SendAsync(string to, string subject, string body, CancellationToken ct);
}

public class WelcomeMailer
{
    private readonly IEmailSender _email;
    private readonly ILogger<WelcomeMailer> _logger;
    public WelcomeMailer(IEmailSender email, ILogger<WelcomeMailer> logger) { _email = email; _logger = logger; }

    public async Task SendAsync(IEnumerable<User> users, CancellationToken ct)
    {
        foreach (var user in users)
        {
            _logger.LogInformation("Sending welcome mail to {UserId}", user.Id);
            await _email.SendAsync(user.Email, "Welcome", $"Hello {user.Name}", ct);
        }
    }
}
""");
    }

    [Fact]
    public async Task RecursiveCategoryLoader_CalledPerChild_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Node
{
    public int Id { get; set; }
    public int? ParentId { get; set; }
    public List<Node> Children { get; set; } = new();
}

public class TreeContext : DbContext
{
    public DbSet<Node> Nodes => Set<Node>();
}

public class TreeLoader
{
    public async Task LoadChildrenAsync(TreeContext db, Node node)
    {
        node.Children = await db.Nodes.Where(n => n.ParentId == node.Id).ToListAsync();
        foreach (var child in node.Children)
        {
            await {|PERF001:LoadChildrenAsync(db, child)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task QueryFilterHelperWithSubqueryInExpressionTree_ComposedInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class PostFilters
{
    private readonly BlogDbContext _db;
    public PostFilters(BlogDbContext db) => _db = db;

    public IQueryable<Post> CommentedBy(IQueryable<Post> source, int userId)
        => source.Where(p => _db.Comments.Any(c => c.PostId == p.Id && c.UserId == userId));

    public Task<List<Post>> CommentedByAllAsync(IEnumerable<int> userIds)
    {
        IQueryable<Post> query = _db.Posts;
        foreach (var userId in userIds)
        {
            query = CommentedBy(query, userId);
        }
        return query.ToListAsync();
    }
}
""");
    }

    [Fact]
    public async Task InMemoryMappingExtensionAndMapperServiceCalledPerElement_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record PostDto(int Id, string Title, string Author, int Comments);

public static class PostMapping
{
    public static PostDto ToDto(this Post post)
        => new PostDto(post.Id, post.Title, post.Author?.Name, post.Comments.Count);
}

public interface IPostMapper { PostDto Map(Post post); }

public class PostMapper : IPostMapper
{
    public PostDto Map(Post post) => post.ToDto() with { Title = post.Title.Trim() };
}

public class PostQueryService
{
    private readonly BlogDbContext _db;
    private readonly IPostMapper _mapper;
    public PostQueryService(BlogDbContext db, IPostMapper mapper) { _db = db; _mapper = mapper; }

    public async Task<List<PostDto>> LatestAsync()
    {
        var posts = await _db.Posts.Include(p => p.Author).Include(p => p.Comments).OrderByDescending(p => p.CreatedAt).Take(20).ToListAsync();
        var dtos = new List<PostDto>();
        foreach (var post in posts)
        {
            dtos.Add(_mapper.Map(post));
        }
        return posts.Select(p => p.ToDto()).Concat(dtos).ToList();
    }
}
""");
    }
}
