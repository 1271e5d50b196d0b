using Microsoft.EntityFrameworkCore;
using SampleApp.Data;

namespace SampleApp.Repositories;

public sealed class EfUserRepository : IUserRepository
{
    private readonly BlogDbContext _db;

    public EfUserRepository(BlogDbContext db)
    {
        _db = db;
    }

    // One round trip per call: harmless on its own, an N+1 when a caller loops over it.
    public async Task<User?> GetByIdAsync(int id, CancellationToken cancellationToken = default)
    {
        return await _db.Users.FindAsync(new object[] { id }, cancellationToken);
    }

    public async Task<IReadOnlyList<User>> GetByIdsAsync(IReadOnlyCollection<int> ids, CancellationToken cancellationToken = default)
    {
        return await _db.Users.Where(u => ids.Contains(u.Id)).ToListAsync(cancellationToken);
    }
}
