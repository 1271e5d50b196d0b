using System;
using System.IO;
using System.Linq;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Benchmarks;

/// <summary>
/// A SQLite FILE database in a fresh temp folder, seeded with <see cref="Authors"/> authors,
/// <see cref="Posts"/> posts (round-robin over the authors) and <see cref="CommentsPerPost"/> comments per post.
/// Every operation gets a fresh <see cref="BlogDbContext"/> from <see cref="NewContext"/> (no change-tracker
/// state survives between operations); the options, and so EF Core's model and query caches, are shared.
/// </summary>
public sealed class BlogDatabase : IDisposable
{
    public const int Authors = 20;
    public const int Posts = 100;
    public const int CommentsPerPost = 5;

    private readonly DbContextOptions<BlogDbContext> _options;

    private BlogDatabase(string directory)
    {
        Directory = directory;
        FilePath = Path.Combine(directory, "blog.db");
        Counter = new RoundTripCounter();
        _options = new DbContextOptionsBuilder<BlogDbContext>()
            .UseSqlite($"Data Source={FilePath}")
            .AddInterceptors(Counter)
            .Options;
    }

    public string Directory { get; }

    public string FilePath { get; }

    public RoundTripCounter Counter { get; }

    public BlogDbContext NewContext() => new(_options);

    public static BlogDatabase CreateSeeded()
    {
        var directory = Path.Combine(Path.GetTempPath(), "perf001-bench-" + Guid.NewGuid().ToString("N"));
        System.IO.Directory.CreateDirectory(directory);
        var database = new BlogDatabase(directory);
        database.Seed();
        return database;
    }

    private void Seed()
    {
        using var db = NewContext();
        db.Database.EnsureCreated();

        var start = new DateTime(2025, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var users = Enumerable.Range(1, Authors)
            .Select(i => new User { Email = $"author{i:00}@example.com", DisplayName = $"Author {i:00}" })
            .ToArray();
        db.Users.AddRange(users);

        for (var i = 0; i < Posts; i++)
        {
            var post = new Post
            {
                Title = $"Post #{i + 1}",
                Body = $"Body of post {i + 1}. " + new string('x', 200),
                PublishedAt = start.AddHours(i),
                Author = users[i % Authors],
            };
            for (var c = 0; c < CommentsPerPost; c++)
            {
                post.Comments.Add(new Comment
                {
                    AuthorName = $"reader{c}",
                    Body = $"Comment {c + 1} on post {i + 1}.",
                    CreatedAt = start.AddHours(i).AddMinutes(c + 1),
                });
            }

            db.Posts.Add(post);
        }

        db.SaveChanges();
        Counter.Reset();
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a leftover temp folder is harmless.
        }
    }
}
