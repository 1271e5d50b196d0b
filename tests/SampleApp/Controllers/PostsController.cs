using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;
using SampleApp.Models;
using SampleApp.Repositories;
using SampleApp.Services;

namespace SampleApp.Controllers;

[ApiController]
[Route("api/posts")]
public sealed class PostsController : ControllerBase
{
    private readonly BlogDbContext _db;
    private readonly ReportService _reports;
    private readonly CommentStatsReader _stats;

    public PostsController(BlogDbContext db, ReportService reports, CommentStatsReader stats)
    {
        _db = db;
        _reports = reports;
        _stats = stats;
    }

    // Classic N+1, fixable with Include(p => p.Author).
    [HttpGet("recent")]
    public async Task<ActionResult<List<PostSummary>>> GetRecent(CancellationToken cancellationToken)
    {
        var since = DateTime.UtcNow.AddDays(-30);
        var posts = await _db.Posts.Where(p => p.PublishedAt >= since).OrderByDescending(p => p.PublishedAt).ToListAsync(cancellationToken);

        foreach (var post in posts)
        {
            post.Author = await _db.Users.FindAsync(post.AuthorId); // PERF001
        }

        return posts.Select(p => new PostSummary(p.Id, p.Title, p.Author?.DisplayName)).ToList();
    }

    // Same data done right.
    [HttpGet("recent-included")]
    public async Task<ActionResult<List<PostSummary>>> GetRecentIncluded(CancellationToken cancellationToken)
    {
        var since = DateTime.UtcNow.AddDays(-30);
        var posts = await _db.Posts.Include(p => p.Author).Where(p => p.PublishedAt >= since).ToListAsync(cancellationToken);

        var result = new List<PostSummary>();
        foreach (var post in posts)
        {
            result.Add(new PostSummary(post.Id, post.Title, post.Author?.DisplayName)); // ok: Author loaded by Include
        }

        return result;
    }

    [HttpGet("by-tag/{tag}")]
    public async Task<ActionResult<List<AuthorDto>>> GetAuthorsForTag(string tag, CancellationToken cancellationToken)
    {
        var posts = await _db.Posts.Where(p => p.Tags.Any(t => t.Name == tag)).ToListAsync(cancellationToken);

        var result = new List<AuthorDto>();
        foreach (var post in posts)
        {
            var author = await _db.Users.FirstOrDefaultAsync(u => u.Id == post.AuthorId, cancellationToken); // PERF001
            if (author is not null)
            {
                result.Add(new AuthorDto(author.Id, author.DisplayName, author.Email));
            }
        }

        return result;
    }

    // Comments for a page of posts: one query, then grouped in memory.
    [HttpGet("previews")]
    public async Task<ActionResult<List<PostWithComments>>> GetPreviews(CancellationToken cancellationToken)
    {
        var posts = await _db.Posts.OrderByDescending(p => p.PublishedAt).Take(10).ToListAsync(cancellationToken);
        var postIds = posts.Select(p => p.Id).ToList();
        var comments = await _db.Comments.Where(c => postIds.Contains(c.PostId)).ToListAsync(cancellationToken);

        var result = new List<PostWithComments>();
        foreach (var post in posts)
        {
            var mine = comments.Where(c => c.PostId == post.Id).Select(c => c.Body).ToList(); // ok: in-memory LINQ over a List
            result.Add(new PostWithComments(post.Id, post.Title, mine));
        }

        return result;
    }

    [HttpGet("comment-counts")]
    public async Task<ActionResult<List<PostCommentCount>>> GetCommentCounts([FromQuery] bool grouped, CancellationToken cancellationToken)
    {
        var posts = await _db.Posts.AsNoTracking().ToListAsync(cancellationToken);
        var counts = grouped
            ? await _stats.CountGroupedAsync(cancellationToken)
            : await _stats.CountPerPostAsync(posts.Select(p => p.Id), cancellationToken);

        return posts.Select(p => new PostCommentCount(p.Id, p.Title, counts.GetValueOrDefault(p.Id))).ToList();
    }

    // Streams every post as CSV, one page at a time.
    [HttpGet("export")]
    public async Task Export(CancellationToken cancellationToken)
    {
        const int PageSize = 100;
        Response.ContentType = "text/csv";
        await using var writer = new StreamWriter(Response.Body);
        await writer.WriteLineAsync("id,title,published");

        var page = 0;
        while (true)
        {
            var rows = await _db.Posts.AsNoTracking().OrderBy(p => p.Id).Skip(page * PageSize).Take(PageSize).ToListAsync(cancellationToken); // ok: paging loop, one query per page
            if (rows.Count == 0)
            {
                break;
            }

            foreach (var row in rows)
            {
                await writer.WriteLineAsync($"{row.Id},\"{row.Title}\",{row.PublishedAt:O}"); // ok: writes to the response, not a database call
            }

            page++;
        }
    }

    [HttpGet("authors")]
    public Task<List<AuthorDto>> GetRecentAuthors(CancellationToken cancellationToken) =>
        _reports.GetRecentAuthorsAsync(cancellationToken);

    [HttpPost("authors/lookup")]
    public Task<List<AuthorDto>> LookupAuthors([FromBody] List<int> ids, CancellationToken cancellationToken) =>
        _reports.LoadAuthorsAsync(ids, cancellationToken);
}
