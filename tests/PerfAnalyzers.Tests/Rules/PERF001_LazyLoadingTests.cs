using System.Threading.Tasks;
using Xunit;
using VerifyCS = PerfAnalyzers.Tests.Infrastructure.Verify<PerfAnalyzers.Rules.NPlusOneAnalyzer>;

namespace PerfAnalyzers.Tests.Rules;

/// <summary>PERF001 for lazy-loading proxies: a virtual navigation read per element of a query that did not Include it.</summary>
public class PERF001_LazyLoadingTests
{
    private const string Usings = """
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.EntityFrameworkCore;
using Library;

""";

    private const string Entities = """

namespace Library
{
    public class Author
    {
        public int Id { get; set; }
        public string Name { get; set; }
        public virtual ICollection<Book> Books { get; set; } = new List<Book>();
    }

    public class Book
    {
        public int Id { get; set; }
        public string Title { get; set; }
        public bool Published { get; set; }
        public int AuthorId { get; set; }
        public virtual Author Author { get; set; }
        public virtual ICollection<Review> Reviews { get; set; } = new List<Review>();
    }

    public class Review
    {
        public int Id { get; set; }
        public int BookId { get; set; }
        public int Stars { get; set; }
        public string Text { get; set; }
        public virtual Book Book { get; set; }
    }
}
""";

    /// <summary>Entities plus a context that turns lazy-loading proxies on in OnConfiguring.</summary>
    private const string LazyModel = Entities + """

namespace Library
{
    public class LibraryContext : DbContext
    {
        public DbSet<Author> Authors => Set<Author>();
        public DbSet<Book> Books => Set<Book>();
        public DbSet<Review> Reviews => Set<Review>();

        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
            => optionsBuilder.UseLazyLoadingProxies().UseSqlite("Data Source=library.db");
    }
}
""";

    /// <summary>The same entities and context without proxies: virtual navigations are plain properties.</summary>
    private const string EagerModel = Entities + """

namespace Library
{
    public class LibraryContext : DbContext
    {
        public DbSet<Author> Authors => Set<Author>();
        public DbSet<Book> Books => Set<Book>();
        public DbSet<Review> Reviews => Set<Review>();

        protected override void OnConfiguring(DbContextOptionsBuilder optionsBuilder)
            => optionsBuilder.UseSqlite("Data Source=library.db");
    }
}
""";

    // ---------------------------------------------------------------- positives

    [Fact]
    public async Task ForeachOverMaterializedBooks_VirtualAuthorRead_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CatalogPage
{
    public async Task<List<string>> LinesAsync(LibraryContext db)
    {
        var books = await db.Books.Where(b => b.Published).OrderBy(b => b.Title).ToListAsync();
        var lines = new List<string>();
        foreach (var book in books)
        {
            lines.Add(book.Title + " by " + {|#0:book.Author|}.Name);
        }
        return lines;
    }
}
""" + LazyModel, false, VerifyCS.Diagnostic("PERF001").WithLocation(0).WithArguments(
            "'Book.Author' (a lazy-loaded navigation the query did not Include)", "the foreach over 'books'"));
    }

    [Fact]
    public async Task ForeachOverQueryInHeader_VirtualCollectionCount_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuthorStats
{
    public Dictionary<string, int> BooksPerAuthor(LibraryContext db)
    {
        var result = new Dictionary<string, int>();
        foreach (var author in db.Authors.Where(a => a.Name != null))
        {
            result[author.Name] = {|PERF001:author.Books|}.Count;
        }
        return result;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task ForeachOverAwaitedToListInHeader_VirtualReviewsRead_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class RatingService
{
    public async Task<Dictionary<int, double>> AveragesAsync(LibraryContext db)
    {
        var averages = new Dictionary<int, double>();
        foreach (var book in await db.Books.ToListAsync())
        {
            var reviews = {|PERF001:book.Reviews|};
            averages[book.Id] = reviews.Count == 0 ? 0 : reviews.Average(r => r.Stars);
        }
        return averages;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task SelectLambdaOverMaterializedBooks_AuthorName_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Export
{
    public List<string> AuthorNames(LibraryContext db)
    {
        var books = db.Books.ToList();
        return books.Select(b => {|PERF001:b.Author|}.Name).Distinct().ToList();
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task MinimalApiWithLazyProxiesRegisteredInAddDbContext_ReviewBookRead_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

public static class Startup
{
    public static void Configure(WebApplicationBuilder builder)
        => builder.Services.AddDbContext<LibraryContext>(o => o.UseLazyLoadingProxies().UseSqlite("Data Source=library.db"));

    public static void Map(WebApplication app)
    {
        app.MapGet("/reviews/latest", async (LibraryContext db) =>
        {
            var reviews = await db.Reviews.OrderByDescending(r => r.Id).Take(50).ToListAsync();
            var rows = new List<string>();
            foreach (var review in reviews)
            {
                rows.Add({|PERF001:review.Book|}.Title + ": " + review.Text);
            }
            return Results.Ok(rows);
        });
    }
}

namespace Library
{
    public class LibraryContext : DbContext
    {
        public LibraryContext(DbContextOptions<LibraryContext> options) : base(options) { }
        public DbSet<Author> Authors => Set<Author>();
        public DbSet<Book> Books => Set<Book>();
        public DbSet<Review> Reviews => Set<Review>();
    }
}
""" + Entities, false);
    }

    [Fact]
    public async Task ForeachOverInMemoryFilterOfMaterializedBooks_AuthorRead_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Shelf
{
    public async Task<List<string>> PublishedAsync(LibraryContext db)
    {
        var books = await db.Books.ToListAsync();
        var names = new List<string>();
        foreach (var book in books.Where(b => b.Published))
        {
            names.Add({|PERF001:book.Author|}.Name);
        }
        return names;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task NestedLoopOverIncludedBooks_ReviewsNotThenIncluded_Reports()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuthorPage
{
    public async Task<int> TotalReviewsAsync(LibraryContext db)
    {
        var authors = await db.Authors.Include(a => a.Books).ToListAsync();
        var total = 0;
        foreach (var author in authors)
        {
            foreach (var book in author.Books)
            {
                total += {|PERF001:book.Reviews|}.Count;
            }
        }
        return total;
    }
}
""" + LazyModel, false);
    }

    // ---------------------------------------------------------------- negatives

    [Fact]
    public async Task ForeachOverBooksWithIncludeAuthor_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CatalogPage
{
    public async Task<List<string>> LinesAsync(LibraryContext db)
    {
        var books = await db.Books.Include(b => b.Author).Where(b => b.Published).ToListAsync();
        var lines = new List<string>();
        foreach (var book in books)
        {
            lines.Add($"{book.Title} by {book.Author.Name}");
        }
        return lines;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task ForeachOverBooksWithStringInclude_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class ReviewDigest
{
    public List<string> Digest(LibraryContext db)
    {
        var digest = new List<string>();
        foreach (var book in db.Books.Include("Reviews").AsSplitQuery())
        {
            digest.Add($"{book.Title}: {book.Reviews.Count} reviews");
        }
        return digest;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task IncludeOnQueryLocal_ThenFilteredAndMaterialized_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class AuthorIndex
{
    public async Task<List<string>> IndexAsync(LibraryContext db, string prefix)
    {
        var query = db.Authors.Include(a => a.Books).ThenInclude(b => b.Reviews).AsQueryable();
        if (!string.IsNullOrEmpty(prefix))
        {
            query = query.Where(a => a.Name.StartsWith(prefix));
        }
        var authors = await query.ToListAsync();
        var lines = new List<string>();
        foreach (var author in authors)
        {
            lines.Add($"{author.Name} ({author.Books.Count})");
        }
        return lines;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task WithoutLazyLoadingProxies_VirtualNavigationReadInLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class CatalogPage
{
    public async Task<List<string>> LinesAsync(LibraryContext db)
    {
        var books = await db.Books.Where(b => b.Published).ToListAsync();
        var lines = new List<string>();
        foreach (var book in books)
        {
            lines.Add($"{book.Title} by {book.Author?.Name} ({book.Reviews.Count})");
        }
        return lines;
    }
}
""" + EagerModel, false);
    }

    [Fact]
    public async Task SingleEntityNavigationRead_NoLoop_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BookDetails
{
    public async Task<string> HeadlineAsync(LibraryContext db, int id)
    {
        var book = await db.Books.FindAsync(id);
        return $"{book.Title} by {book.Author.Name}, {book.Reviews.Count} reviews";
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task LoopOverNewlyConstructedEntities_NavigationRead_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class Seeder
{
    public void Seed(LibraryContext db)
    {
        var author = new Author { Name = "Ann" };
        var books = new List<Book>
        {
            new Book { Title = "One", Author = author },
            new Book { Title = "Two", Author = author },
        };
        foreach (var book in books)
        {
            Console.WriteLine(book.Author.Name);
            db.Books.Add(book);
        }
        db.SaveChanges();
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task ProjectionToDtoInQuery_ThenLoopOverDtos_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public record BookRow(string Title, string AuthorName, int Reviews);

public class BookList
{
    public async Task<List<string>> RowsAsync(LibraryContext db)
    {
        var rows = await db.Books
            .Select(b => new BookRow(b.Title, b.Author.Name, b.Reviews.Count))
            .ToListAsync();
        var lines = new List<string>();
        foreach (var row in rows)
        {
            lines.Add($"{row.Title};{row.AuthorName};{row.Reviews}");
        }
        return lines;
    }
}
""" + LazyModel, false);
    }

    [Fact]
    public async Task LoopReadsOnlyScalarsAndForeignKeys_DoesNotReport()
    {
        await VerifyCS.AnalyzerAsync(Usings + """
public class BookKeys
{
    public async Task<Dictionary<int, int>> AuthorByBookAsync(LibraryContext db)
    {
        var books = await db.Books.AsNoTracking().ToListAsync();
        var map = new Dictionary<int, int>();
        foreach (var book in books)
        {
            map[book.Id] = book.AuthorId;
        }
        return map;
    }
}
""" + LazyModel, false);
    }
}
