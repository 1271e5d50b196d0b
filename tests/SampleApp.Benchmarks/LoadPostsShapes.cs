using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Benchmarks;

/// <summary>
/// Four shapes of "load the posts with their authors and comments" (plus one extra N+1 variant).
/// Every shape returns the same data: all posts, ordered by Id, each with Author set and its comments.
/// </summary>
public static class LoadPostsShapes
{
    /// <summary>1. N+1, the PERF001 example: one query for the posts, then a Find and a query per post.</summary>
    /// <remarks>
    /// FindAsync looks in the change tracker first, so once an author is loaded the next post by the same author
    /// costs no round trip: 1 + (distinct authors) + (posts) round trips, not 1 + 2 × posts.
    /// </remarks>
    public static async Task<List<Post>> NPlusOneFindAsync(BlogDbContext db, CancellationToken ct = default)
    {
        var posts = await db.Posts.OrderBy(p => p.Id).ToListAsync(ct);
        foreach (var post in posts)
        {
            post.Author = await db.Users.FindAsync(post.AuthorId);                               // PERF001
            post.Comments = await db.Comments.Where(c => c.PostId == post.Id).ToListAsync(ct);   // PERF001
        }

        return posts;
    }

    /// <summary>
    /// Extra N+1 variant: FirstOrDefaultAsync always queries (it does not consult the change tracker first),
    /// so this is the 1 + 2 × posts worst case.
    /// </summary>
    public static async Task<List<Post>> NPlusOneFirstOrDefaultAsync(BlogDbContext db, CancellationToken ct = default)
    {
        var posts = await db.Posts.OrderBy(p => p.Id).ToListAsync(ct);
        foreach (var post in posts)
        {
            post.Author = await db.Users.FirstOrDefaultAsync(u => u.Id == post.AuthorId, ct);    // PERF001
            post.Comments = await db.Comments.Where(c => c.PostId == post.Id).ToListAsync(ct);   // PERF001
        }

        return posts;
    }

    /// <summary>2. Include: one query (posts JOIN users LEFT JOIN comments).</summary>
    public static Task<List<Post>> IncludeAsync(BlogDbContext db, CancellationToken ct = default)
        => db.Posts
            .OrderBy(p => p.Id)
            .Include(p => p.Author)
            .Include(p => p.Comments)
            .ToListAsync(ct);

    /// <summary>
    /// 2b. Include + AsSplitQuery: the reference navigation (Author) stays a JOIN in the posts query and each
    /// collection navigation gets its own query, so two round trips here.
    /// </summary>
    public static Task<List<Post>> IncludeSplitAsync(BlogDbContext db, CancellationToken ct = default)
        => db.Posts
            .OrderBy(p => p.Id)
            .Include(p => p.Author)
            .Include(p => p.Comments)
            .AsSplitQuery()
            .ToListAsync(ct);

    /// <summary>
    /// 3. Bulk fetch: <see cref="NPlusOneFindAsync"/> after PERF001's "Fetch all in one query" fix. The two
    /// statements before the loop and the loop body are the fix's output, verbatim: <c>dotnet format analyzers
    /// --diagnostics PERF001</c> on the N+1 loop of <see cref="FillAsync"/> produced exactly these lines.
    /// </summary>
    public static async Task<List<Post>> BulkFetchAsync(BlogDbContext db, CancellationToken ct = default)
    {
        var posts = await db.Posts.OrderBy(p => p.Id).ToListAsync(ct);
        return await FillAsync(db, posts, ct);
    }

    // The loop walks a List<Post> parameter, the shape for which the fix offers "Fetch all in one query".
    private static async Task<List<Post>> FillAsync(BlogDbContext db, List<Post> posts, CancellationToken ct)
    {
        var authorIds = posts.Select(post => post.AuthorId).Distinct().ToList();
        var usersById = await db.Users.Where(u => authorIds.Contains(u.Id)).ToDictionaryAsync(u => u.Id);
        var postIds = posts.Select(post => post.Id).Distinct().ToList();
        var commentsByPostId = (await db.Comments.Where(c => postIds.Contains(c.PostId)).ToListAsync(ct)).ToLookup(c => c.PostId);
        foreach (var post in posts)
        {
            post.Author = usersById.GetValueOrDefault(post.AuthorId);
            post.Comments = commentsByPostId[post.Id].ToList();
        }

        return posts;
    }
}
