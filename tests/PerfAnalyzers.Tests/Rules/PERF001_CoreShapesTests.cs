using System.Threading.Tasks;
using PerfAnalyzers.Rules;
using PerfAnalyzers.Tests.Infrastructure;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

public class PERF001_CoreShapesTests
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

    [Fact]
    public async Task ForeachOverPosts_FindAsyncByAuthorId_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class PostService
{
    private readonly BlogDbContext _db;
    public PostService(BlogDbContext db) => _db = db;

    public async Task<List<Post>> GetPostsAsync()
    {
        var posts = await _db.Posts.Where(p => p.CreatedAt > DateTime.UtcNow.AddDays(-7)).ToListAsync();
        foreach (var post in posts)
        {
            post.Author = await {|#0:_db.Users.FindAsync(post.AuthorId)|};
        }
        return posts;
    }
}
""", VerifyCS.Diagnostic("PERF001").WithLocation(0).WithArguments("'DbSet<User>.FindAsync'", "the foreach over 'posts'"));
    }

    [Fact]
    public async Task ForeachOverPosts_FindAsyncWithConstantKey_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class PostService
{
    private readonly BlogDbContext _db;
    public PostService(BlogDbContext db) => _db = db;

    public async Task RunAsync(List<Post> posts)
    {
        foreach (var post in posts)
        {
            var admin = await _db.Users.FindAsync(1);
            post.Title = admin.Name + post.Title;
        }
    }
}
""");
    }

    [Fact]
    public async Task ForeachOverPosts_QueryBeforeLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class PostService
{
    public async Task<int> CountAsync(BlogDbContext db, List<int> ids)
    {
        var users = await db.Users.Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        var count = 0;
        foreach (var id in ids)
        {
            if (users.TryGetValue(id, out var user) && user.Name.Length > 3) count++;
        }
        return count;
    }
}
""");
    }

    [Fact]
    public async Task RepositoryInterfaceCallInLoop_Reports_WithChain()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public interface IUserRepository { Task<User> GetByIdAsync(int id, CancellationToken ct = default); }

public class UserRepository : IUserRepository
{
    private readonly BlogDbContext _db;
    public UserRepository(BlogDbContext db) => _db = db;
    public async Task<User> GetByIdAsync(int id, CancellationToken ct = default) => await _db.Users.FindAsync(new object[] { id }, ct);
}

public class Report
{
    private readonly IUserRepository _users;
    public Report(IUserRepository users) => _users = users;

    public async Task<List<string>> NamesAsync(IEnumerable<Post> posts, CancellationToken ct)
    {
        var names = new List<string>();
        foreach (var post in posts)
        {
            var user = await {|#0:_users.GetByIdAsync(post.AuthorId, ct)|};
            names.Add(user.Name);
        }
        return names;
    }
}
""", VerifyCS.Diagnostic("PERF001").WithLocation(0).WithArguments("'IUserRepository.GetByIdAsync' via UserRepository.GetByIdAsync → DbSet<User>.FindAsync", "the foreach over 'posts'"));
    }

    [Fact]
    public async Task PagingWhileLoop_SkipTake_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Exporter
{
    public async Task ExportAsync(BlogDbContext db)
    {
        var page = 0;
        const int size = 100;
        while (true)
        {
            var batch = await db.Posts.OrderBy(p => p.Id).Skip(page * size).Take(size).ToListAsync();
            if (batch.Count == 0) break;
            page++;
        }
    }
}
""");
    }

    [Fact]
    public async Task SelectLambdaOverIds_Find_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Loader
{
    public List<User> Load(BlogDbContext db, int[] ids) => ids.Select(id => {|PERF001:db.Users.Find(id)|}).ToList();
}
""");
    }

    [Fact]
    public async Task QueryableSelectSubquery_ExpressionTree_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Loader
{
    public object Load(BlogDbContext db) => db.Posts.Select(p => new { p.Id, Count = db.Comments.Count(c => c.PostId == p.Id) }).ToList();
}
""");
    }

    [Fact]
    public async Task SaveChangesInsideForeach_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
class Shipper
{
    public async Task ShipAsync(BlogDbContext db, List<Order> orders)
    {
        foreach (var order in orders)
        {
            order.Shipped = true;
            await {|PERF001:db.SaveChangesAsync()|};
        }
    }
}
""");
    }

    [Fact]
    public async Task DapperQueryPerLine_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using System.Data;
using Dapper;

class PriceReader
{
    public async Task<decimal> TotalAsync(IDbConnection conn, List<OrderLine> lines)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = await {|PERF001:conn.QueryFirstOrDefaultAsync<Product>("select * from Products where Id = @id", new { id = line.ProductId })|};
            total += product.Price * line.Quantity;
        }
        return total;
    }
}
""");
    }

    [Fact]
    public async Task AdoNetCommandPerItem_ParametersSetInLoop_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.Data.Sqlite;

class Archiver
{
    public void Archive(SqliteConnection conn, List<int> ids)
    {
        using var cmd = conn.CreateCommand();
        cmd.CommandText = "update Orders set Archived = 1 where Id = $id";
        var p = cmd.Parameters.Add("$id", SqliteType.Integer);
        foreach (var id in ids)
        {
            p.Value = id;
            {|PERF001:cmd.ExecuteNonQuery()|};
        }
    }
}
""");
    }
}
