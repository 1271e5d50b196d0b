using PerfAnalyzers.CodeFixes.NPlusOne;
using Xunit;

namespace PerfAnalyzers.Tests.CodeFixes;

/// <summary>The SQL shape the Dapper bulk rewrite accepts: one table, one <c>column = @Param</c> predicate, nothing else.</summary>
public class KeyedSelectSqlTests
{
    [Theory]
    [InlineData("SELECT * FROM users WHERE id = @Id", "id", "Id", "id", "SELECT * FROM users WHERE id IN @Ids")]
    [InlineData("select u.* from users u where u.id = @id;", "id", "id", "id", "select u.* from users u where u.id IN @ids;")]
    [InlineData("SELECT Id, Name FROM dbo.Users AS u WHERE @Id = u.Id", "Id", "Id", "Id", "SELECT Id, Name FROM dbo.Users AS u WHERE u.Id IN @Ids")]
    [InlineData("SELECT author_id AS AuthorId, title FROM posts WHERE author_id = @AuthorId", "author_id", "AuthorId", "AuthorId", "SELECT author_id AS AuthorId, title FROM posts WHERE author_id IN @AuthorIds")]
    [InlineData("SELECT \"Id\", \"Name\" FROM \"Users\" WHERE \"Id\" = @Id", "Id", "Id", "Id", "SELECT \"Id\", \"Name\" FROM \"Users\" WHERE \"Id\" IN @Ids")]
    [InlineData("SELECT [Id], [Name] FROM [Users] WHERE [Id] = @Id", "Id", "Id", "Id", "SELECT [Id], [Name] FROM [Users] WHERE [Id] IN @Ids")]
    public void KeyedSelect_Parses_AndRewritesPredicate(string sql, string column, string parameter, string selectedName, string rewritten)
    {
        var parsed = KeyedSelectSql.TryParse(sql);

        Assert.NotNull(parsed);
        Assert.Equal(column, parsed!.Column);
        Assert.Equal(parameter, parsed.Parameter);
        Assert.Equal(selectedName, parsed.SelectedName);
        Assert.Equal(rewritten, parsed.WithListPredicate(parameter + "s", useAny: false));
    }

    [Fact]
    public void KeyedSelect_Npgsql_AnyWithArrayParameter()
        => Assert.Equal("select * from products p where p.id = ANY(@ids)", KeyedSelectSql.TryParse("select * from products p where p.id = @id")!.WithListPredicate("ids", useAny: true));

    [Fact]
    public void KeyedSelect_ColumnNotSelected_NoSelectedName()
        => Assert.Null(KeyedSelectSql.TryParse("SELECT name FROM users WHERE id = @Id")!.SelectedName);

    [Theory]
    [InlineData("")]
    [InlineData("UPDATE users SET name = @Name WHERE id = @Id")]
    [InlineData("DELETE FROM users WHERE id = @Id")]
    [InlineData("SELECT * FROM users")]
    [InlineData("SELECT * FROM users WHERE id = @Id AND tenant = @Tenant")]
    [InlineData("SELECT * FROM users WHERE id = @Id OR id = @Other")]
    [InlineData("SELECT * FROM users WHERE NOT id = @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id ORDER BY id")]
    [InlineData("SELECT * FROM users WHERE id = @Id LIMIT 1")]
    [InlineData("SELECT * FROM users WHERE id = @Id OFFSET 0 ROWS FETCH NEXT 1 ROWS ONLY")]
    [InlineData("SELECT TOP 1 * FROM users WHERE id = @Id")]
    [InlineData("SELECT TOP(1) * FROM users WHERE id = @Id")]
    [InlineData("SELECT DISTINCT * FROM users WHERE id = @Id")]
    [InlineData("SELECT count(*) FROM users WHERE id = @Id")]
    [InlineData("SELECT * FROM users u JOIN posts p ON p.author_id = u.id WHERE u.id = @Id")]
    [InlineData("SELECT * FROM users u INNER JOIN posts p ON p.author_id = u.id WHERE u.id = @Id")]
    [InlineData("SELECT * FROM users, posts WHERE users.id = @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id GROUP BY id")]
    [InlineData("SELECT * FROM users WHERE id = @Id UNION SELECT * FROM admins WHERE id = @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id; DELETE FROM users")]
    [InlineData("SELECT * FROM users WHERE id = @Id -- comment")]
    [InlineData("SELECT * FROM users /* c */ WHERE id = @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id FOR UPDATE")]
    [InlineData("SELECT * FROM users WHERE name = 'x'")]
    [InlineData("SELECT * FROM users WHERE id = :Id")]
    [InlineData("SELECT * FROM users WHERE id = ?")]
    [InlineData("SELECT * FROM users WHERE id = $1")]
    [InlineData("SELECT * FROM users WHERE id IN @Ids")]
    [InlineData("SELECT * FROM users WHERE id >= @Id")]
    [InlineData("SELECT * FROM users WHERE id = @Id + 1")]
    [InlineData("SELECT * FROM users WHERE lower(email) = @Email")]
    [InlineData("SELECT * FROM users WHERE id = (SELECT author_id FROM posts WHERE id = @Id)")]
    [InlineData("WITH u AS (SELECT * FROM users) SELECT * FROM u WHERE id = @Id")]
    [InlineData("SELECT * INTO copy FROM users WHERE id = @Id")]
    [InlineData("SELECT * FROM users WHERE \"id = @Id")]
    public void OtherShapes_DoNotParse(string sql)
        => Assert.Null(KeyedSelectSql.TryParse(sql));
}
