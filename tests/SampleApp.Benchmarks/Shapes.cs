using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using SampleApp.Data;

namespace SampleApp.Benchmarks;

/// <summary>One measured shape: its name, its code, and the exact number of round trips it must make.</summary>
public sealed record Shape(string Method, string Label, Func<BlogDbContext, Task<List<Post>>> Run, int ExpectedRoundTrips, string Why)
{
    /// <summary>Modelled network round-trip time per database command (a typical same-region RTT to a database server).</summary>
    public const double ModelRttMs = 1.0;

    private const int Authors = BlogDatabase.Authors;
    private const int Posts = BlogDatabase.Posts;

    public static readonly IReadOnlyList<Shape> All = new Shape[]
    {
        new(nameof(LoadPostsBenchmarks.NPlusOne_FindAsync), "N+1 (FindAsync + Where/ToListAsync per post)",
            db => LoadPostsShapes.NPlusOneFindAsync(db), 1 + Authors + Posts,
            $"1 posts query + {Authors} FindAsync (the other {Posts - Authors} are answered by the change tracker) + {Posts} comment queries"),
        new(nameof(LoadPostsBenchmarks.NPlusOne_FirstOrDefaultAsync), "N+1 (FirstOrDefaultAsync + Where/ToListAsync per post), extra",
            db => LoadPostsShapes.NPlusOneFirstOrDefaultAsync(db), 1 + Posts + Posts,
            $"1 posts query + {Posts} author queries + {Posts} comment queries"),
        new(nameof(LoadPostsBenchmarks.Include), "Include(Author).Include(Comments)",
            db => LoadPostsShapes.IncludeAsync(db), 1,
            "one JOIN query"),
        new(nameof(LoadPostsBenchmarks.Include_SplitQuery), "Include + AsSplitQuery",
            db => LoadPostsShapes.IncludeSplitAsync(db), 2,
            "posts JOIN author, then one query for the one collection (comments)"),
        new(nameof(LoadPostsBenchmarks.BulkFetch), "Bulk fetch (\"Fetch all in one query\" fix)",
            db => LoadPostsShapes.BulkFetchAsync(db), 3,
            "posts, authors by id (ToDictionaryAsync), comments by post id (ToListAsync + ToLookup)"),
    };

    public static Shape ByMethod(string method) => All.Single(s => s.Method == method);

    /// <summary>
    /// Runs the shape once on a fresh context, checks the data it loaded and asserts the round-trip count.
    /// Returns the measured count.
    /// </summary>
    public int VerifyOnce(BlogDatabase database)
    {
        database.Counter.Reset();
        List<Post> posts;
        using (var db = database.NewContext())
        {
            posts = Run(db).GetAwaiter().GetResult();
        }

        var roundTrips = database.Counter.Count;
        if (posts.Count != Posts
            || posts.Select(p => p.Id).Distinct().Count() != Posts
            || posts.Any(p => p.Author is null || p.Author.Id != p.AuthorId)
            || posts.Select(p => p.AuthorId).Distinct().Count() != Authors
            || posts.Any(p => p.Comments.Count != BlogDatabase.CommentsPerPost || p.Comments.Any(c => c.PostId != p.Id)))
        {
            throw new InvalidOperationException($"{Method}: loaded data is wrong ({posts.Count} posts).");
        }

        if (roundTrips != ExpectedRoundTrips)
        {
            throw new InvalidOperationException(
                $"{Method}: expected exactly {ExpectedRoundTrips} round trips ({Why}), counted {roundTrips}.");
        }

        return roundTrips;
    }

    public static void VerifyAll(BlogDatabase database, bool print)
    {
        foreach (var shape in All)
        {
            var roundTrips = shape.VerifyOnce(database);
            if (print)
            {
                Console.WriteLine($"  ok  {shape.Method,-30} {roundTrips,4} round trips = {shape.Why}");
            }
        }
    }
}
