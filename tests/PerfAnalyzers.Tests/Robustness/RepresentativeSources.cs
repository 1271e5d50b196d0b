using System.Collections.Immutable;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>
/// Sources for the robustness suite that cover what the harvested test strings and the sample app may not:
/// each compiled with the shared test model (namespace Blog) unless it declares its own.
/// </summary>
internal static class RepresentativeSources
{
    public static ImmutableArray<(string Name, string Source)> All { get; } = ImmutableArray.Create(
        ("EfCoreShapes", RobustnessEnvironment.TestUsings + """
public sealed class PostQueries
{
    private readonly BlogDbContext _db;
    public PostQueries(BlogDbContext db) => _db = db;

    public async Task<List<string>> AuthorsAsync(CancellationToken ct)
    {
        var posts = await _db.Posts.Where(p => p.CreatedAt > DateTime.UtcNow.AddDays(-7)).ToListAsync(ct);
        var names = new List<string>();
        foreach (var post in posts)
        {
            var author = await _db.Users.FirstOrDefaultAsync(u => u.Id == post.AuthorId, ct);
            names.Add(author?.Name ?? "?");
            var comments = await _db.Comments.Where(c => c.PostId == post.Id).ToListAsync(ct);
            names.AddRange(comments.Select(c => c.Text));
        }

        for (var i = 0; i < posts.Count; i++)
        {
            await _db.Posts.Where(p => p.Id == posts[i].Id).ExecuteUpdateAsync(s => s.SetProperty(p => p.Title, p => p.Title + "!"), ct);
        }

        await Parallel.ForEachAsync(posts, ct, async (post, token) => await _db.Users.FindAsync(new object[] { post.AuthorId }, token));
        var byId = posts.Select(p => _db.Users.Find(p.AuthorId)).ToList();
        await foreach (var user in _db.Users.AsAsyncEnumerable().WithCancellation(ct))
        {
            user.Name = user.Name?.Trim();
            _db.Entry(user).Collection(u => u.Posts).Load();
            await _db.SaveChangesAsync(ct);
        }

        var page = 0;
        while (true)
        {
            var batch = await _db.Posts.OrderBy(p => p.Id).Skip(page++ * 50).Take(50).ToListAsync(ct);
            if (batch.Count == 0) break;
        }

        return names;
    }
}
"""),
        ("DapperAndAdoNet", """
using System.Collections.Generic;
using System.Data;
using System.Data.Common;
using System.Linq;
using System.Threading.Tasks;
using Dapper;
using Microsoft.Data.Sqlite;

public sealed class OrderReader
{
    private readonly string _connectionString;
    public OrderReader(string connectionString) => _connectionString = connectionString;

    public async Task<List<(int Id, string Name)>> ReadAsync(IEnumerable<int> ids)
    {
        using var connection = new SqliteConnection(_connectionString);
        var result = new List<(int, string)>();
        foreach (var id in ids)
        {
            var name = await connection.QuerySingleOrDefaultAsync<string>("select Name from Products where Id = @id", new { id });
            result.Add((id, name));
            using var command = connection.CreateCommand();
            command.CommandText = "select count(*) from Lines where ProductId = $id";
            command.Parameters.AddWithValue("$id", id);
            var count = (long)(command.ExecuteScalar() ?? 0L);
            IDbCommand legacy = command;
            legacy.ExecuteNonQuery();
        }

        for (var offset = 0; ; offset += 100)
        {
            var rows = (await connection.QueryAsync<int>("select Id from Products order by Id limit 100 offset @offset", new { offset })).ToList();
            if (rows.Count == 0) break;
        }

        return result;
    }
}
"""),
        ("LazyLoadingProxies", """
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.EntityFrameworkCore;

namespace Lazy
{
    public class Author { public int Id { get; set; } public string Name { get; set; } public virtual ICollection<Book> Books { get; set; } }
    public class Book { public int Id { get; set; } public int AuthorId { get; set; } public virtual Author Author { get; set; } public string Title { get; set; } }

    public class LibraryContext : DbContext
    {
        public DbSet<Author> Authors => Set<Author>();
        public DbSet<Book> Books => Set<Book>();
        protected override void OnConfiguring(DbContextOptionsBuilder options) => options.UseLazyLoadingProxies();
    }

    public static class Catalog
    {
        public static List<string> Titles(LibraryContext db)
        {
            var titles = new List<string>();
            foreach (var book in db.Books.ToList())
            {
                titles.Add(book.Title + " by " + book.Author.Name);
            }

            var authors = db.Authors.Include(a => a.Books).ToList();
            authors.ForEach(a => titles.AddRange(a.Books.Select(b => b.Title)));
            return db.Authors.ToList().Select(a => a.Books.Count + " books").ToList();
        }
    }
}
"""),
        ("Interprocedural", RobustnessEnvironment.TestUsings + """
public interface IUsers { Task<User> GetAsync(int id); User Get(int id); IQueryable<User> Active { get; } }

public class Users : IUsers
{
    private readonly BlogDbContext _db;
    public Users(BlogDbContext db) => _db = db;
    public Task<User> GetAsync(int id) => _db.Users.FindAsync(id).AsTask();
    public User Get(int id) => Cached(id) ?? _db.Users.Find(id);
    public IQueryable<User> Active => _db.Users.Where(u => u.Name != null);
    private User Cached(int id) => null;
}

public abstract class Handler
{
    public abstract Task HandleAsync(Post post);
    public async Task RunAsync(IEnumerable<Post> posts)
    {
        foreach (var post in posts) await HandleAsync(post);
    }
}

public sealed class SavingHandler : Handler
{
    private readonly BlogDbContext _db;
    public SavingHandler(BlogDbContext db) => _db = db;
    public override async Task HandleAsync(Post post)
    {
        post.Title = post.Title.Trim();
        await _db.SaveChangesAsync();
    }
}

public static class UserExtensions
{
    public static User Load(this BlogDbContext db, int id) => db.Users.Find(id);
    public static async Task<int> CountAllAsync(this IUsers users, IEnumerable<int> ids)
    {
        var count = 0;
        foreach (var id in ids)
        {
            if (await users.GetAsync(id) is not null) count++;
            foreach (var user in users.Active.Where(u => u.Id == id)) count++;
        }

        return count;
    }
}
"""),
        ("LocalFunctionsAndPatterns", RobustnessEnvironment.TestUsings + """
public class Mixed
{
    public async Task<int> RunAsync(BlogDbContext db, int[] ids)
    {
        var total = 0;
        foreach (var (id, index) in ids.Select((id, index) => (id, index)))
        {
            total += await CountAsync(id);
            if (await db.Users.FindAsync(id) is { Name: var name } && name.Length > index) total++;
            switch (await db.Posts.FirstOrDefaultAsync(p => p.AuthorId == id))
            {
                case { Title: { Length: > 10 } title }: total += title.Length; break;
                case null: break;
            }
        }

        return total;

        async Task<int> CountAsync(int authorId) => await db.Posts.CountAsync(p => p.AuthorId == authorId);
    }
}
"""));
}
