using System.Threading.Tasks;
using PerfAnalyzers.CodeFixes.NPlusOne;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.NPlusOneAnalyzer, PerfAnalyzers.CodeFixes.NPlusOne.NPlusOneCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>PERF001 "Fetch all in one query" for Dapper lookups and for repository methods with a bulk sibling.</summary>
public class PERF001_BulkFetchDapperRepositoryTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Data;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Dapper;
using Microsoft.Data.Sqlite;
using Npgsql;
using Blog;

""";

    private static Task FixAsync(string source, string fixedSource)
        => VerifyFix.CodeFixAsync(Usings + source, Usings + fixedSource, equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);

    /// <summary>The site is reported, and "Fetch all in one query" leaves the code as it was (not offered).</summary>
    private static Task NotOfferedAsync(string source)
        => VerifyFix.CodeFixAsync(Usings + source, Usings + source, equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);

    // ---------------------------------------------------------------- Dapper: offered

    [Fact]
    public async Task Dapper_QuerySingleOrDefaultAsyncPerPost_SqliteConnection_InListAndDictionary()
    {
        await FixAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId })|};
        }
    }
}
""", """
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        var authorIds = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById = (await conn.QueryAsync<User>("SELECT * FROM users WHERE id IN @Ids", new { Ids = authorIds })).ToDictionary(u => u.Id);
        foreach (var post in posts)
        {
            post.Author = usersById.GetValueOrDefault(post.AuthorId);
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_QueryFirstOrDefaultAsyncPerLine_NpgsqlConnectionWithTransaction_AnyArrayAndFirstOfLookup()
    {
        await FixAsync("""
class OrderService
{
    public async Task<decimal> TotalAsync(NpgsqlConnection conn, IDbTransaction tx, OrderLine[] lines)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = await {|PERF001:conn.QueryFirstOrDefaultAsync<Product>("select id, sku, price from products p where p.id = @id", new { id = line.ProductId }, tx)|}.ConfigureAwait(false);
            total += (product?.Price ?? 0) * line.Quantity;
        }
        return total;
    }
}
""", """
class OrderService
{
    public async Task<decimal> TotalAsync(NpgsqlConnection conn, IDbTransaction tx, OrderLine[] lines)
    {
        decimal total = 0;
        var productIds = lines.Select(line => line.ProductId).Distinct().ToArray();
        var productsById = (await conn.QueryAsync<Product>("select id, sku, price from products p where p.id = ANY(@ids)", new { ids = productIds }, tx).ConfigureAwait(false)).ToLookup(p => p.Id);
        foreach (var line in lines)
        {
            var product = productsById[line.ProductId].FirstOrDefault();
            total += (product?.Price ?? 0) * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_QueryAsyncCommentsPerPost_UnderscoreColumnWithMatchNamesWithUnderscores_LookupKeepsSequence()
    {
        await FixAsync("""
static class DapperSetup
{
    public static void Configure() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}

class CommentService
{
    public async Task<int> CountAsync(SqliteConnection conn, List<Post> posts)
    {
        var total = 0;
        foreach (var post in posts)
        {
            var comments = await {|PERF001:conn.QueryAsync<Comment>("SELECT * FROM comments WHERE post_id = @PostId", new { PostId = post.Id })|};
            total += comments.Count();
        }
        return total;
    }
}
""", """
static class DapperSetup
{
    public static void Configure() => DefaultTypeMap.MatchNamesWithUnderscores = true;
}

class CommentService
{
    public async Task<int> CountAsync(SqliteConnection conn, List<Post> posts)
    {
        var total = 0;
        var postIds = posts.Select(post => post.Id).Distinct().ToList();
        var commentsByPostId = (await conn.QueryAsync<Comment>("SELECT * FROM comments WHERE post_id IN @PostIds", new { PostIds = postIds })).ToLookup(c => c.PostId);
        foreach (var post in posts)
        {
            var comments = commentsByPostId[post.Id];
            total += comments.Count();
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_SyncQuerySingleOrDefault_VerbatimSqlWithTimeout_KeepsLayoutAndNamesTimeout()
    {
        await FixAsync("""
class UserNames
{
    public List<string> Names(SqliteConnection conn, IDbTransaction tx, int[] userIds)
    {
        var names = new List<string>();
        foreach (var userId in userIds)
        {
            var user = {|PERF001:conn.QuerySingleOrDefault<User>(@"
                SELECT Id, Name
                FROM Users
                WHERE Id = @userId", new { userId }, tx, 30)|};
            names.Add(user?.Name ?? "?");
        }
        return names;
    }
}
""", """
class UserNames
{
    public List<string> Names(SqliteConnection conn, IDbTransaction tx, int[] userIds)
    {
        var names = new List<string>();
        var distinctUserIds = userIds.Distinct().ToList();
        var usersById = conn.Query<User>(@"
                SELECT Id, Name
                FROM Users
                WHERE Id IN @userIds", new { userIds = distinctUserIds }, tx, commandTimeout: 30).ToDictionary(u => u.Id);
        foreach (var userId in userIds)
        {
            var user = usersById.GetValueOrDefault(userId);
            names.Add(user?.Name ?? "?");
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_CommandDefinitionWithToken_ConstantSql_KeepsTokenAndTransaction()
    {
        await FixAsync("""
class OrderBuyers
{
    private const string BuyerSql = "select Id, Name from customers where Id = @Id";

    public async Task<List<string>> NamesAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var order in orders)
        {
            var buyer = await {|PERF001:conn.QuerySingleOrDefaultAsync<Customer>(new CommandDefinition(BuyerSql, new { Id = order.BuyerId }, tx, cancellationToken: ct))|};
            names.Add(buyer?.Name);
        }
        return names;
    }
}
""", """
class OrderBuyers
{
    private const string BuyerSql = "select Id, Name from customers where Id = @Id";

    public async Task<List<string>> NamesAsync(SqliteConnection conn, SqliteTransaction tx, IReadOnlyList<Order> orders, CancellationToken ct)
    {
        var names = new List<string>();
        var buyerIds = orders.Select(order => order.BuyerId).Distinct().ToList();
        var customersById = (await conn.QueryAsync<Customer>(new CommandDefinition("select Id, Name from customers where Id IN @Ids", new { Ids = buyerIds }, tx, cancellationToken: ct))).ToDictionary(c => c.Id);
        foreach (var order in orders)
        {
            var buyer = customersById.GetValueOrDefault(order.BuyerId);
            names.Add(buyer?.Name);
        }
        return names;
    }
}
""");
    }

    // ---------------------------------------------------------------- Dapper: not offered

    [Fact]
    public async Task Dapper_InterpolatedSql_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts, string table)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>($"SELECT * FROM {table} WHERE id = @Id", new { Id = post.AuthorId })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_SqlInNonConstantLocal_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts, bool active)
    {
        var sql = active ? "SELECT * FROM users WHERE id = @Id" : "SELECT * FROM archived_users WHERE id = @Id";
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>(sql, new { Id = post.AuthorId })|};
        }
    }
}
""");
    }

    [Theory]
    [InlineData("SELECT * FROM users WHERE id = @Id AND deleted = 0")]
    [InlineData("SELECT * FROM users WHERE id = @Id OR name = 'admin'")]
    [InlineData("SELECT * FROM users WHERE id = @Id ORDER BY name")]
    [InlineData("SELECT * FROM users WHERE id = @Id LIMIT 1")]
    [InlineData("SELECT TOP 1 * FROM users WHERE id = @Id")]
    [InlineData("SELECT u.* FROM users u JOIN posts p ON p.author_id = u.id WHERE u.id = @Id")]
    [InlineData("SELECT u.* FROM users u, posts p WHERE u.id = @Id")]
    [InlineData("SELECT max(id) AS Id FROM users WHERE id = @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id; SELECT 1")]
    [InlineData("SELECT * FROM users WHERE id = @Id -- newest")]
    [InlineData("SELECT * FROM users WHERE id IN (SELECT author_id FROM posts WHERE id = @Id)")]
    [InlineData("SELECT * FROM users WHERE id > @Id")]
    [InlineData("SELECT Name FROM users WHERE id = @Id")]
    [InlineData("SELECT * FROM users WHERE user_id = @Id")]
    [InlineData("SELECT DISTINCT * FROM users WHERE id = @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id FOR UPDATE")]
    [InlineData("SELECT * FROM users WHERE id = @Other")]
    public async Task Dapper_SqlOutsideTheKeyedSelectShape_NotOffered(string sql)
    {
        await NotOfferedAsync($$"""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("{{sql}}", new { Id = post.AuthorId })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_ParameterObjectWithSecondMember_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId, Title = post.Title })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_KeyComputedInLoopNotReadFromElement_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            var id = post.AuthorId + 1;
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = id })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_IDbConnectionInProjectUsingNpgsql_ProviderUnknown_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(IDbConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_UnderscoreColumnWithoutMatchNamesWithUnderscores_NotOffered()
    {
        await NotOfferedAsync("""
class CommentService
{
    public async Task<int> CountAsync(SqliteConnection conn, List<Post> posts)
    {
        var total = 0;
        foreach (var post in posts)
        {
            var comments = await {|PERF001:conn.QueryAsync<Comment>("SELECT * FROM comments WHERE post_id = @PostId", new { PostId = post.Id })|};
            total += comments.Count();
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_CustomTypeMapInProject_NotOffered()
    {
        await NotOfferedAsync("""
static class DapperSetup
{
    public static void Configure() => SqlMapper.SetTypeMap(typeof(User), new CustomPropertyTypeMap(typeof(User), (type, column) => type.GetProperty("Name")));
}

class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_StringKey_CollationMayDiffer_NotOffered()
    {
        await NotOfferedAsync("""
class PriceList
{
    public decimal Total(SqliteConnection conn, List<string> skus)
    {
        decimal total = 0;
        foreach (var sku in skus)
        {
            var product = {|PERF001:conn.QueryFirstOrDefault<Product>("select * from products where sku = @sku", new { sku })|};
            total += product?.Price ?? 0;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_ExplicitCommandType_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId }, commandType: CommandType.Text)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_ThrowingQuerySingle_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:conn.QuerySingleAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId })|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Dapper_ScalarResultType_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task<List<string>> NamesAsync(SqliteConnection conn, List<Post> posts)
    {
        var names = new List<string>();
        foreach (var post in posts)
        {
            names.Add(await {|PERF001:conn.QueryFirstOrDefaultAsync<string>("SELECT Name FROM users WHERE Id = @Id", new { Id = post.AuthorId })|});
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_LoopOverLazilyEnumeratedRows_NotOffered()
    {
        await NotOfferedAsync("""
class OrderService
{
    public async Task<List<string>> NamesAsync(SqliteConnection conn, int orderId)
    {
        var names = new List<string>();
        var lines = await conn.QueryAsync<OrderLine>("select * from OrderLines where OrderId = @orderId", new { orderId });
        foreach (var line in lines)
        {
            var product = await {|PERF001:conn.QueryFirstOrDefaultAsync<Product>("select * from Products where Id = @id", new { id = line.ProductId })|};
            names.Add(product?.Sku);
        }
        return names;
    }
}
""");
    }

    [Fact]
    public async Task Dapper_TransactionDeclaredInLoop_NotOffered()
    {
        await NotOfferedAsync("""
class PostService
{
    public async Task FillAsync(SqliteConnection conn, List<Post> posts)
    {
        foreach (var post in posts)
        {
            using var tx = conn.BeginTransaction();
            post.Author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId }, tx)|};
            tx.Commit();
        }
    }
}
""");
    }

    // ---------------------------------------------------------------- repositories

    private const string UserRepository = """
public interface IUserRepository
{
    Task<User> GetByIdAsync(int id, CancellationToken ct = default);
    Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids, CancellationToken ct = default);
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;

    public async Task<User> GetByIdAsync(int id, CancellationToken ct = default)
        => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(_db.Users, u => u.Id == id, ct);

    public async Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids, CancellationToken ct = default)
        => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(_db.Users.Where(u => ids.Contains(u.Id)), ct);
}

""";

    [Fact]
    public async Task Repository_GetByIdAsyncWithBulkSibling_OneCallAndDictionaryByImplementationKey()
    {
        await FixAsync(UserRepository + """
public class PostService
{
    private readonly IUserRepository _users;
    public PostService(IUserRepository users) => _users = users;

    public async Task FillAsync(List<Post> posts, CancellationToken ct)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:_users.GetByIdAsync(post.AuthorId, ct)|};
        }
    }
}
""", UserRepository + """
public class PostService
{
    private readonly IUserRepository _users;
    public PostService(IUserRepository users) => _users = users;

    public async Task FillAsync(List<Post> posts, CancellationToken ct)
    {
        var authorIds = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById = (await _users.GetByIdsAsync(authorIds, ct)).ToDictionary(u => u.Id);
        foreach (var post in posts)
        {
            post.Author = usersById.GetValueOrDefault(post.AuthorId);
        }
    }
}
""");
    }

    private const string ProductCatalog = """
public class ProductCatalog
{
    private readonly SqliteConnection _conn;
    public ProductCatalog(SqliteConnection conn) => _conn = conn;

    public Product GetProduct(int productId) => _conn.QuerySingleOrDefault<Product>("select * from products where id = @productId", new { productId });

    public Dictionary<int, Product> GetProducts(int[] productIds)
        => _conn.Query<Product>("select * from products where id in @productIds", new { productIds }).ToDictionary(p => p.Id);
}

""";

    [Fact]
    public async Task Repository_SyncClassSiblingReturningDictionaryTakingArray_UsesDictionary()
    {
        await FixAsync(ProductCatalog + """
public class Basket
{
    public decimal Total(ProductCatalog catalog, List<OrderLine> lines)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = {|PERF001:catalog.GetProduct(line.ProductId)|};
            total += (product?.Price ?? 0) * line.Quantity;
        }
        return total;
    }
}
""", ProductCatalog + """
public class Basket
{
    public decimal Total(ProductCatalog catalog, List<OrderLine> lines)
    {
        decimal total = 0;
        var productIds = lines.Select(line => line.ProductId).Distinct().ToArray();
        var productsById = catalog.GetProducts(productIds);
        foreach (var line in lines)
        {
            var product = productsById.GetValueOrDefault(line.ProductId);
            total += (product?.Price ?? 0) * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task Repository_GenericRepositoryNoVisibleKeyQuery_KeyByParameterName()
    {
        const string repository = """
public interface IRepository<T> where T : class
{
    Task<T> GetByIdAsync(int id, CancellationToken ct = default);
    Task<List<T>> GetByIdsAsync(IReadOnlyCollection<int> ids, CancellationToken ct = default);
}

""";
        await FixAsync(repository + """
public class Pricing
{
    private readonly IRepository<Product> _products;
    public Pricing(IRepository<Product> products) => _products = products;

    public async Task<decimal> TotalAsync(List<OrderLine> lines)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = await {|PERF001:_products.GetByIdAsync(line.ProductId)|};
            total += product.Price * line.Quantity;
        }
        return total;
    }
}

public class EfRepository<T> : IRepository<T> where T : class
{
    private readonly BlogDbContext _db;
    public EfRepository(BlogDbContext db) => _db = db;
    public async Task<T> GetByIdAsync(int id, CancellationToken ct = default) => await _db.Set<T>().FindAsync(new object[] { id }, ct);
    public Task<List<T>> GetByIdsAsync(IReadOnlyCollection<int> ids, CancellationToken ct = default) => throw new NotImplementedException();
}
""", repository + """
public class Pricing
{
    private readonly IRepository<Product> _products;
    public Pricing(IRepository<Product> products) => _products = products;

    public async Task<decimal> TotalAsync(List<OrderLine> lines)
    {
        decimal total = 0;
        var productIds = lines.Select(line => line.ProductId).Distinct().ToList();
        var productsById = (await _products.GetByIdsAsync(productIds)).ToDictionary(p => p.Id);
        foreach (var line in lines)
        {
            var product = productsById.GetValueOrDefault(line.ProductId);
            total += product.Price * line.Quantity;
        }
        return total;
    }
}

public class EfRepository<T> : IRepository<T> where T : class
{
    private readonly BlogDbContext _db;
    public EfRepository(BlogDbContext db) => _db = db;
    public async Task<T> GetByIdAsync(int id, CancellationToken ct = default) => await _db.Set<T>().FindAsync(new object[] { id }, ct);
    public Task<List<T>> GetByIdsAsync(IReadOnlyCollection<int> ids, CancellationToken ct = default) => throw new NotImplementedException();
}
""");
    }

    private const string KeyedFinder = """
public class UserFinder
{
    private readonly BlogDbContext _db;
    public UserFinder(BlogDbContext db) => _db = db;

    public User FindUser(int key) => _db.Users.FirstOrDefault(u => key == u.Id);

    public List<User> FindUsers(IEnumerable<int> keys) => _db.Users.Where(u => keys.Contains(u.Id)).ToList();
}

""";

    [Fact]
    public async Task Repository_KeyPropertyFromImplementationQuery_ParameterNameUnrelated()
    {
        await FixAsync(KeyedFinder + """
public class Inbox
{
    public List<string> Senders(UserFinder finder, List<Comment> comments)
    {
        var authorIds = new List<int>();
        var senders = new List<string>();
        foreach (var comment in comments)
        {
            senders.Add({|PERF001:finder.FindUser(comment.UserId)|}?.Name);
        }
        return senders;
    }
}
""", KeyedFinder + """
public class Inbox
{
    public List<string> Senders(UserFinder finder, List<Comment> comments)
    {
        var authorIds = new List<int>();
        var senders = new List<string>();
        var userIds = comments.Select(comment => comment.UserId).Distinct().ToList();
        var usersById = finder.FindUsers(userIds).ToDictionary(u => u.Id);
        foreach (var comment in comments)
        {
            senders.Add(usersById.GetValueOrDefault(comment.UserId)?.Name);
        }
        return senders;
    }
}
""");
    }

    [Fact]
    public async Task Repository_NoBulkSibling_NotOffered()
    {
        await NotOfferedAsync("""
public interface IUserRepository
{
    Task<User> GetByIdAsync(int id, CancellationToken ct = default);
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetByIdAsync(int id, CancellationToken ct = default) => await _db.Users.FindAsync(new object[] { id }, ct);
}

public class PostService
{
    public async Task FillAsync(IUserRepository users, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:users.GetByIdAsync(post.AuthorId)|};
        }
    }
}
""");
    }

    [Theory]
    [InlineData("Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<long> ids)")]
    [InlineData("Task<IReadOnlyList<Customer>> GetByIdsAsync(IEnumerable<int> ids)")]
    [InlineData("Task<IReadOnlyList<User>> GetFriendsAsync(IEnumerable<int> ids)")]
    [InlineData("IReadOnlyList<User> GetByIds(IEnumerable<int> ids)")]
    [InlineData("Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids, bool includeDeleted)")]
    [InlineData("Task<IDictionary<int, User>> GetByIdsAsync(IEnumerable<int> ids)")]
    [InlineData("Task<IReadOnlyList<User>> GetByIdsAsync(HashSet<int> ids)")]
    public async Task Repository_SiblingThatDoesNotFit_NotOffered(string sibling)
    {
        await NotOfferedAsync($$"""
public interface IUserRepository
{
    Task<User> GetByIdAsync(int id);
    {{sibling}};
}

public class PostService
{
    public async Task FillAsync(IUserRepository users, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:users.GetByIdAsync(post.AuthorId)|};
        }
    }
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetByIdAsync(int id) => await _db.Users.FindAsync(id);
    public {{sibling}} => throw new NotImplementedException();
}
""");
    }

    [Fact]
    public async Task Repository_TwoFittingSiblings_Ambiguous_NotOffered()
    {
        await NotOfferedAsync("""
public interface IUserRepository
{
    Task<User> GetByIdAsync(int id);
    Task<List<User>> GetByIdsAsync(IEnumerable<int> ids);
    Task<List<User>> GetsByIdAsync(IEnumerable<int> ids);
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetByIdAsync(int id) => await _db.Users.FindAsync(id);
    public Task<List<User>> GetByIdsAsync(IEnumerable<int> ids) => throw new NotImplementedException();
    public Task<List<User>> GetsByIdAsync(IEnumerable<int> ids) => throw new NotImplementedException();
}

public class PostService
{
    public async Task FillAsync(IUserRepository users, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:users.GetByIdAsync(post.AuthorId)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Repository_ImplementationThrowsWhenMissing_NotOffered()
    {
        await NotOfferedAsync("""
public interface IUserRepository
{
    Task<User> GetByIdAsync(int id);
    Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids);
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetByIdAsync(int id) => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.SingleAsync(_db.Users, u => u.Id == id);
    public async Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids) => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(_db.Users.Where(u => ids.Contains(u.Id)));
}

public class PostService
{
    public async Task FillAsync(IUserRepository users, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:users.GetByIdAsync(post.AuthorId)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Repository_KeyPropertyUndeterminable_NotOffered()
    {
        // The implementation's query is not a plain key comparison, and no property of User is called "key".
        await NotOfferedAsync("""
public interface IUserRepository
{
    Task<User> GetAsync(int key);
    Task<IReadOnlyList<User>> GetsAsync(IEnumerable<int> keys);
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetAsync(int key) => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.FirstOrDefaultAsync(_db.Users, u => u.Id == key && u.Email != null);
    public async Task<IReadOnlyList<User>> GetsAsync(IEnumerable<int> keys) => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(_db.Users.Where(u => keys.Contains(u.Id)));
}

public class PostService
{
    public async Task FillAsync(IUserRepository users, List<Post> posts, int tenant)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:users.GetAsync(post.AuthorId)|};
        }
    }
}
""");
    }

    [Fact]
    public async Task Repository_ExtraPerElementArgument_NotOffered()
    {
        await NotOfferedAsync("""
public interface IUserRepository
{
    Task<User> GetByIdAsync(int id, string title);
    Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids);
}

public sealed class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetByIdAsync(int id, string title) => await _db.Users.FindAsync(id);
    public async Task<IReadOnlyList<User>> GetByIdsAsync(IEnumerable<int> ids) => await Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToListAsync(_db.Users.Where(u => ids.Contains(u.Id)));
}

public class PostService
{
    public async Task FillAsync(IUserRepository users, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:users.GetByIdAsync(post.AuthorId, post.Title)|};
        }
    }
}
""");
    }

    // ---------------------------------------------------------------- Fix All

    [Fact]
    public async Task FixAll_DapperAndRepositorySitesInOneFile_DistinctNamesAndCompiles()
    {
        await VerifyFix.CodeFixAsync(Usings + UserRepository + """
public class Report
{
    private readonly IUserRepository _users;
    public Report(IUserRepository users) => _users = users;

    public async Task<List<string>> LinesAsync(SqliteConnection conn, List<Post> posts, CancellationToken ct)
    {
        var lines = new List<string>();
        foreach (var post in posts)
        {
            var author = await {|PERF001:conn.QuerySingleOrDefaultAsync<User>("SELECT * FROM users WHERE id = @Id", new { Id = post.AuthorId })|};
            var sameAuthor = await {|PERF001:_users.GetByIdAsync(post.AuthorId, ct)|};
            var comments = await {|PERF001:conn.QueryAsync<Comment>("SELECT * FROM comments WHERE PostId = @PostId", new { post.PostIdForComments })|};
            lines.Add(author?.Name + sameAuthor?.Email + comments.Count());
        }
        return lines;
    }
}
""".Replace("post.PostIdForComments", "PostId = post.Id"), Usings + UserRepository + """
public class Report
{
    private readonly IUserRepository _users;
    public Report(IUserRepository users) => _users = users;

    public async Task<List<string>> LinesAsync(SqliteConnection conn, List<Post> posts, CancellationToken ct)
    {
        var lines = new List<string>();
        var authorIds = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById = (await conn.QueryAsync<User>("SELECT * FROM users WHERE id IN @Ids", new { Ids = authorIds })).ToDictionary(u => u.Id);
        var authorIds2 = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById2 = (await _users.GetByIdsAsync(authorIds2, ct)).ToDictionary(u => u.Id);
        var postIds = posts.Select(post => post.Id).Distinct().ToList();
        var commentsByPostId = (await conn.QueryAsync<Comment>("SELECT * FROM comments WHERE PostId IN @PostIds", new { PostIds = postIds })).ToLookup(c => c.PostId);
        foreach (var post in posts)
        {
            var author = usersById.GetValueOrDefault(post.AuthorId);
            var sameAuthor = usersById2.GetValueOrDefault(post.AuthorId);
            var comments = commentsByPostId[post.Id];
            lines.Add(author?.Name + sameAuthor?.Email + comments.Count());
        }
        return lines;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);
    }
}
