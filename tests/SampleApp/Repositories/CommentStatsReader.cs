using Microsoft.Data.Sqlite;

namespace SampleApp.Repositories;

/// <summary>Plain ADO.NET (Microsoft.Data.Sqlite) reporting queries.</summary>
public sealed class CommentStatsReader
{
    private readonly string _connectionString;

    public CommentStatsReader(string connectionString)
    {
        _connectionString = connectionString;
    }

    public async Task<Dictionary<int, long>> CountPerPostAsync(IEnumerable<int> postIds, CancellationToken cancellationToken)
    {
        await using var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(cancellationToken);

        var counts = new Dictionary<int, long>();
        foreach (var postId in postIds)
        {
            await using var cmd = new SqliteCommand("select count(*) from Comments where PostId = $postId", conn);
            cmd.Parameters.AddWithValue("$postId", postId);
            counts[postId] = (long)(await cmd.ExecuteScalarAsync(cancellationToken) ?? 0L); // PERF001
        }

        return counts;
    }

    public async Task<Dictionary<int, long>> CountGroupedAsync(CancellationToken cancellationToken)
    {
        await using var conn = new SqliteConnection(_connectionString);
        await conn.OpenAsync(cancellationToken);
        await using var cmd = new SqliteCommand("select PostId, count(*) from Comments group by PostId", conn);
        await using var reader = await cmd.ExecuteReaderAsync(cancellationToken);

        var counts = new Dictionary<int, long>();
        while (await reader.ReadAsync(cancellationToken)) // ok: reads rows of one result set
        {
            counts[reader.GetInt32(0)] = reader.GetInt64(1);
        }

        return counts;
    }
}
