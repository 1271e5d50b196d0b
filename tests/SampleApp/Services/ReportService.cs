using Microsoft.EntityFrameworkCore;
using SampleApp.Data;
using SampleApp.Models;
using SampleApp.Repositories;

namespace SampleApp.Services;

public sealed class ReportService
{
    private const int BatchSize = 200;

    private readonly BlogDbContext _db;
    private readonly IUserRepository _users;

    public ReportService(BlogDbContext db, IUserRepository users)
    {
        _db = db;
        _users = users;
    }

    /// <summary>Authors of the latest posts, resolved one at a time through the repository.</summary>
    public async Task<List<AuthorDto>> GetRecentAuthorsAsync(CancellationToken cancellationToken)
    {
        var posts = await _db.Posts.OrderByDescending(p => p.PublishedAt).Take(25).ToListAsync(cancellationToken);

        var authors = new Dictionary<int, AuthorDto>();
        foreach (var post in posts)
        {
            var user = await _users.GetByIdAsync(post.AuthorId, cancellationToken); // PERF001
            if (user is not null)
            {
                authors.TryAdd(user.Id, new AuthorDto(user.Id, user.DisplayName, user.Email));
            }
        }

        return authors.Values.ToList();
    }

    /// <summary>"Parallel" lookups: still one round trip per id (and it races on the scoped DbContext).</summary>
    public async Task<List<AuthorDto>> LoadAuthorsAsync(IReadOnlyList<int> ids, CancellationToken cancellationToken)
    {
        var users = await Task.WhenAll(ids.Select(async id => await _users.GetByIdAsync(id, cancellationToken))); // PERF001
        return users.OfType<User>().Select(u => new AuthorDto(u.Id, u.DisplayName, u.Email)).ToList();
    }

    /// <summary>Walks every order line in fixed-size keyset batches.</summary>
    public async Task<decimal> ComputeRevenueAsync(CancellationToken cancellationToken)
    {
        var total = 0m;
        var lastId = 0;
        while (true)
        {
            var batch = await _db.OrderLines.Where(l => l.Id > lastId).OrderBy(l => l.Id).Take(BatchSize).ToListAsync(cancellationToken); // ok: keyset batching, one query per 200 rows
            if (batch.Count == 0)
            {
                break;
            }

            total += batch.Sum(l => l.UnitPrice * l.Quantity);
            lastId = batch[^1].Id;
        }

        return total;
    }

    /// <summary>Revenue per customer from a single query.</summary>
    public async Task<Dictionary<string, decimal>> GetCustomerTotalsAsync(CancellationToken cancellationToken)
    {
        var totals = new Dictionary<string, decimal>();
        foreach (var order in await _db.Orders.Include(o => o.Customer).Include(o => o.Lines).Where(o => o.Status != OrderStatus.Cancelled).ToListAsync(cancellationToken)) // ok: query in the foreach header runs once
        {
            var name = order.Customer?.Name ?? "(unknown)";
            totals[name] = totals.GetValueOrDefault(name) + order.Lines.Sum(l => l.UnitPrice * l.Quantity);
        }

        return totals;
    }

    /// <summary>Applies a price factor to many products, 500 ids per query.</summary>
    public async Task<int> RepriceAsync(IReadOnlyCollection<int> productIds, decimal factor, CancellationToken cancellationToken)
    {
        foreach (var chunk in productIds.Chunk(500))
        {
            var products = await _db.Products.Where(p => chunk.Contains(p.Id)).ToListAsync(cancellationToken); // ok: Chunk(500) batching with Contains
            foreach (var product in products)
            {
                product.Price = decimal.Round(product.Price * factor, 2);
            }
        }

        return await _db.SaveChangesAsync(cancellationToken);
    }
}
