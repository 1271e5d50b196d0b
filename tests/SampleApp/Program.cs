using Microsoft.EntityFrameworkCore;
using SampleApp.Data;
using SampleApp.Models;
using SampleApp.Repositories;
using SampleApp.Services;

const string ConnectionString = "Data Source=sample.db";

var builder = WebApplication.CreateBuilder(args);

builder.Services.AddDbContext<BlogDbContext>(options => options.UseSqlite("Data Source=sample.db"));
builder.Services.AddScoped<IUserRepository, EfUserRepository>();
builder.Services.AddScoped<ReportService>();
builder.Services.AddSingleton(new DapperOrderRepository(ConnectionString));
builder.Services.AddSingleton(new CommentStatsReader(ConnectionString));
builder.Services.AddHostedService<OrderArchiveWorker>();
builder.Services.AddHttpClient<SampleApp.Integrations.IAuditLog, SampleApp.Integrations.HttpAuditLog>(c => c.BaseAddress = new Uri("http://localhost:5056/"));
builder.Services.AddHttpClient("carrier", c => c.BaseAddress = new Uri("http://localhost:5055/"));
builder.Services.AddMemoryCache().AddDistributedMemoryCache().AddControllers();

var app = builder.Build();

using (var scope = app.Services.CreateScope())
{
    var db = scope.ServiceProvider.GetRequiredService<BlogDbContext>();
    db.Database.EnsureCreated();
    SeedData.Populate(db);
}

app.MapControllers();

app.MapGet("/", () => "PerfAnalyzers sample: see /api/posts/recent, /api/orders/1, /api/posts/with-comments ...");

// Comments fetched once per post (collection navigation N+1).
app.MapGet("/api/posts/with-comments", async (BlogDbContext db) =>
{
    var posts = await db.Posts.OrderByDescending(p => p.PublishedAt).Take(20).ToListAsync();

    var result = new List<PostWithComments>();
    foreach (var post in posts)
    {
        var comments = await db.Comments.Where(c => c.PostId == post.Id).ToListAsync(); // PERF001
        result.Add(new PostWithComments(post.Id, post.Title, comments.Select(c => c.Body).ToList()));
    }

    return result;
});

// Users by id, one synchronous Find per id.
app.MapGet("/api/users/by-ids", (int[] ids, BlogDbContext db) =>
{
    var users = ids.Select(id => db.Users.Find(id)).OfType<User>().ToList(); // PERF001
    return users.Select(u => new AuthorDto(u.Id, u.DisplayName, u.Email));
});

// Free-text search: the query is composed term by term and executed once.
app.MapGet("/api/posts/search", async (string? q, BlogDbContext db) =>
{
    IQueryable<Post> query = db.Posts.AsNoTracking();
    foreach (var term in (q ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries))
    {
        query = query.Where(p => p.Title.Contains(term) || p.Body.Contains(term)); // ok: IQueryable composition, executed once after the loop
    }

    var hits = await query.OrderBy(p => p.Id).Take(50).ToListAsync();
    return hits.Select(p => new PostSummary(p.Id, p.Title, null));
});

// Titles streamed from a single query.
app.MapGet("/api/posts/titles", async (BlogDbContext db, CancellationToken cancellationToken) =>
{
    var titles = new List<string>();
    await foreach (var post in db.Posts.AsNoTracking().OrderBy(p => p.Id).AsAsyncEnumerable().WithCancellation(cancellationToken)) // ok: one streaming query
    {
        titles.Add(post.Title);
    }

    return titles;
});

app.Run();
