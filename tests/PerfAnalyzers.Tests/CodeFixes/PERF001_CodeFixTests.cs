using System.Threading.Tasks;
using PerfAnalyzers.CodeFixes.NPlusOne;
using Xunit;
using VerifyFix = PerfAnalyzers.Tests.Infrastructure.VerifyFix<PerfAnalyzers.Rules.NPlusOneAnalyzer, PerfAnalyzers.CodeFixes.NPlusOne.NPlusOneCodeFixProvider>;

namespace PerfAnalyzers.Tests.CodeFixes;

public class PERF001_CodeFixTests
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
    public async Task IncludeFix_AssignmentOfNavigation_RemovesLoopAndAddsInclude()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class PostService
{
    public async Task<List<Post>> GetAsync(BlogDbContext db)
    {
        var posts = await db.Posts.AsNoTracking().Where(p => p.Title != null).OrderBy(p => p.Id).ToListAsync();
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:db.Users.FindAsync(post.AuthorId)|};
        }
        return posts;
    }
}
""", Usings + """
class PostService
{
    public async Task<List<Post>> GetAsync(BlogDbContext db)
    {
        var posts = await db.Posts.AsNoTracking().Where(p => p.Title != null).OrderBy(p => p.Id).Include(p => p.Author).ToListAsync();
        return posts;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.IncludeKey);
    }

    [Fact]
    public async Task IncludeFix_LocalBoundToLookup_ReadsNavigation()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class PostService
{
    public async Task<List<string>> NamesAsync(BlogDbContext db)
    {
        var names = new List<string>();
        foreach (var post in await db.Posts.ToListAsync())
        {
            var author = await {|PERF001:db.Users.FirstOrDefaultAsync(u => u.Id == post.AuthorId)|};
            names.Add(post.Title + " by " + author?.Name);
        }
        return names;
    }
}
""", Usings + """
class PostService
{
    public async Task<List<string>> NamesAsync(BlogDbContext db)
    {
        var names = new List<string>();
        foreach (var post in await db.Posts.Include(p => p.Author).ToListAsync())
        {
            var author = post.Author;
            names.Add(post.Title + " by " + author?.Name);
        }
        return names;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.IncludeKey);
    }

    [Fact]
    public async Task IncludeFix_CollectionNavigation_ReadsCollection()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class PostService
{
    public int CountComments(BlogDbContext db)
    {
        var total = 0;
        var posts = db.Posts.ToList();
        foreach (var post in posts)
        {
            var comments = {|PERF001:db.Comments.Where(c => c.PostId == post.Id).ToList()|};
            total += comments.Count;
        }
        return total;
    }
}
""", Usings + """
class PostService
{
    public int CountComments(BlogDbContext db)
    {
        var total = 0;
        var posts = db.Posts.Include(p => p.Comments).ToList();
        foreach (var post in posts)
        {
            var comments = post.Comments;
            total += comments.Count;
        }
        return total;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.IncludeKey);
    }

    [Fact]
    public async Task BulkFetchFix_FindAsyncPerPost_DictionaryBeforeLoop()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class PostService
{
    public async Task FillAsync(BlogDbContext db, List<Post> posts)
    {
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:db.Users.FindAsync(post.AuthorId)|};
        }
    }
}
""", Usings + """
class PostService
{
    public async Task FillAsync(BlogDbContext db, List<Post> posts)
    {
        var authorIds = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById = await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        foreach (var post in posts)
        {
            post.Author = usersById.GetValueOrDefault(post.AuthorId);
        }
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);
    }

    [Fact]
    public async Task BulkFetchFix_FirstOrDefaultAsyncWithToken_KeepsToken()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class OrderService
{
    public async Task<decimal> TotalAsync(BlogDbContext db, OrderLine[] lines, CancellationToken ct)
    {
        decimal total = 0;
        foreach (var line in lines)
        {
            var product = await {|PERF001:db.Products.FirstOrDefaultAsync(p => p.Id == line.ProductId, ct)|};
            total += (product?.Price ?? 0) * line.Quantity;
        }
        return total;
    }
}
""", Usings + """
class OrderService
{
    public async Task<decimal> TotalAsync(BlogDbContext db, OrderLine[] lines, CancellationToken ct)
    {
        decimal total = 0;
        var productIds = lines.Select(line => line.ProductId).Distinct().ToList();
        var productsById = await db.Products.Where(p => productIds.Contains(p.Id)).ToDictionaryAsync(p => p.Id, ct);
        foreach (var line in lines)
        {
            var product = productsById.GetValueOrDefault(line.ProductId);
            total += (product?.Price ?? 0) * line.Quantity;
        }
        return total;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);
    }

    [Fact]
    public async Task BulkFetchFix_CommentsPerPost_LookupBeforeLoop()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class PostService
{
    public async Task<int> CountAsync(BlogDbContext db, List<Post> posts)
    {
        var total = 0;
        foreach (var post in posts)
        {
            var comments = await {|PERF001:db.Comments.Where(c => c.PostId == post.Id).ToListAsync()|};
            total += comments.Count;
        }
        return total;
    }
}
""", Usings + """
class PostService
{
    public async Task<int> CountAsync(BlogDbContext db, List<Post> posts)
    {
        var total = 0;
        var postIds = posts.Select(post => post.Id).Distinct().ToList();
        var commentsByPostId = (await db.Comments.Where(c => postIds.Contains(c.PostId)).ToListAsync()).ToLookup(c => c.PostId);
        foreach (var post in posts)
        {
            var comments = commentsByPostId[post.Id].ToList();
            total += comments.Count;
        }
        return total;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.BulkFetchKey);
    }

    [Fact]
    public async Task IncludeFix_FixAll_TwoNavigationsOnOneQuery_OneIncludeEach()
    {
        await VerifyFix.CodeFixAsync(Usings + """
class PostService
{
    public async Task<List<Post>> GetAsync(BlogDbContext db)
    {
        var posts = await db.Posts.ToListAsync();
        foreach (var post in posts)
        {
            post.Author = await {|PERF001:db.Users.FindAsync(post.AuthorId)|};
            post.Comments = await {|PERF001:db.Comments.Where(c => c.PostId == post.Id).ToListAsync()|};
        }
        return posts;
    }
}
""", Usings + """
class PostService
{
    public async Task<List<Post>> GetAsync(BlogDbContext db)
    {
        var posts = await db.Posts.Include(p => p.Author).Include(p => p.Comments).ToListAsync();
        return posts;
    }
}
""", equivalenceKey: NPlusOneCodeFixProvider.IncludeKey);
    }
}
