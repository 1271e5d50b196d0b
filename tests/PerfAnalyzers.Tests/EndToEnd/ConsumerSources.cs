using System;
using System.Collections.Generic;
using System.Linq;

namespace PerfAnalyzers.Tests.EndToEnd;

/// <summary>A source file written into a consumer project.</summary>
public sealed record SourceFile(string Name, string Text)
{
    /// <summary>1-based line and column of the first occurrence of <paramref name="snippet"/>, as the compiler reports them.</summary>
    public (int Line, int Column) Locate(string snippet)
    {
        var lines = Text.Replace("\r\n", "\n").Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var column = lines[i].IndexOf(snippet, StringComparison.Ordinal);
            if (column >= 0)
            {
                return (i + 1, column + 1);
            }
        }

        throw new InvalidOperationException($"'{snippet}' does not occur in {Name}.");
    }
}

/// <summary>
/// One way users silence PERF001. <see cref="Suppressed"/> files go into the baseline build (no PERF001 expected from
/// them); <see cref="Control"/> is the same N+1 code without the suppression, built in the control build, where it must warn.
/// </summary>
public sealed record SuppressionCase(string Name, IReadOnlyList<SourceFile> Suppressed, SourceFile Control)
{
    public override string ToString() => Name;
}

/// <summary>The consumer class library and the downstream project that references it.</summary>
public static class ConsumerSources
{
    /// <summary>Pinned explicitly (the repo's Directory.Packages.props does not apply to consumers).</summary>
    public const string EfCoreVersion = "10.0.15";

    /// <summary>The N+1 round trip every positive case contains; diagnostics start at this expression.</summary>
    public const string NPlusOneCall = "db.Users.Find(p.AuthorId)";

    /// <summary>Before <c>dotnet add package PerfAnalyzers</c> adds the analyzer reference.</summary>
    public static string ConsumerProject => $"""
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>disable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <PackageReference Include="Microsoft.EntityFrameworkCore.Sqlite" Version="{EfCoreVersion}" />
  </ItemGroup>
</Project>
""";

    public static readonly SourceFile Model = new("Model.cs", """
using Microsoft.EntityFrameworkCore;

namespace Consumer;

public class User
{
    public int Id { get; set; }
    public string Name { get; set; }
}

public class Post
{
    public int Id { get; set; }
    public int AuthorId { get; set; }
    public string Title { get; set; }
}

public class BlogContext : DbContext
{
    public DbSet<User> Users { get; set; }
    public DbSet<Post> Posts { get; set; }
}
""");

    /// <summary>One real N+1 (reported) and one look-alike: <c>List&lt;T&gt;.Find</c> in memory (quiet).</summary>
    public static readonly SourceFile Report = new("Report.cs", """
using System.Collections.Generic;
using System.Linq;

namespace Consumer;

public static class Report
{
    public static void AuthorsOfPosts(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }

    public static void AuthorsOfPostsFromMemory(BlogContext db)
    {
        var posts = db.Posts.ToList();
        List<User> users = db.Users.ToList();
        foreach (var p in posts) { var u = users.Find(x => x.Id == p.AuthorId); }
    }
}
""");

    public static readonly SuppressionCase Pragma = new(
        "#pragma warning disable",
        new[]
        {
            new SourceFile("PragmaSuppressed.cs", """
using System.Linq;

namespace Consumer;

public static class PragmaSuppressed
{
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
#pragma warning disable PERF001 // one-off seeding tool
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
#pragma warning restore PERF001
    }
}
"""),
        },
        new SourceFile("PragmaSuppressed.cs", """
using System.Linq;

namespace Consumer;

public static class PragmaSuppressed
{
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
"""));

    public static readonly SuppressionCase SuppressMessageAttribute = new(
        "[SuppressMessage] on the method",
        new[]
        {
            new SourceFile("AttributeSuppressed.cs", """
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace Consumer;

public static class AttributeSuppressed
{
    [SuppressMessage("Performance", "PERF001", Justification = "One-off seeding tool.")]
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
"""),
        },
        new SourceFile("AttributeSuppressed.cs", """
using System.Diagnostics.CodeAnalysis;
using System.Linq;

namespace Consumer;

public static class AttributeSuppressed
{
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
"""));

    private const string GloballySuppressedSource = """
using System.Linq;

namespace Consumer;

public static class GloballySuppressed
{
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
""";

    public static readonly SuppressionCase GlobalSuppressions = new(
        "GlobalSuppressions.cs",
        new[]
        {
            new SourceFile("GloballySuppressed.cs", GloballySuppressedSource),
            new SourceFile("GlobalSuppressions.cs", """
using System.Diagnostics.CodeAnalysis;

[assembly: SuppressMessage("Performance", "PERF001", Justification = "One-off seeding tool.", Scope = "member", Target = "~M:Consumer.GloballySuppressed.Load(Consumer.BlogContext)")]
"""),
        },
        new SourceFile("GloballySuppressed.cs", GloballySuppressedSource));

    private const string GeneratedClassSource = """
using System.Linq;

namespace Consumer;

public static partial class GeneratedQueries
{
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
""";

    public static readonly SuppressionCase GeneratedFileName = new(
        "*.g.cs file name",
        new[] { new SourceFile("GeneratedQueries.g.cs", GeneratedClassSource) },
        new SourceFile("GeneratedQueries.cs", GeneratedClassSource));

    private const string HeaderGeneratedBody = """
using System.Linq;

namespace Consumer;

public static class HeaderGenerated
{
    public static void Load(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
""";

    public static readonly SuppressionCase AutoGeneratedHeader = new(
        "// <auto-generated/> header",
        new[] { new SourceFile("HeaderGenerated.cs", "// <auto-generated/>\n" + HeaderGeneratedBody) },
        new SourceFile("HeaderGenerated.cs", "// Written by hand.\n" + HeaderGeneratedBody));

    public static IReadOnlyList<SuppressionCase> SuppressionCases { get; } = new[]
    {
        Pragma, SuppressMessageAttribute, GlobalSuppressions, GeneratedFileName, AutoGeneratedHeader,
    };

    /// <summary>The consumer as shipped: one unsuppressed N+1 in Report.cs, every other N+1 suppressed or generated.</summary>
    public static IReadOnlyList<SourceFile> Baseline { get; } =
        new[] { Model, Report }.Concat(SuppressionCases.SelectMany(c => c.Suppressed)).ToList();

    /// <summary>The same code with every suppression removed: each case's N+1 must now warn.</summary>
    public static IReadOnlyList<SourceFile> Control { get; } =
        new[] { Model, Report }.Concat(SuppressionCases.Select(c => c.Control)).ToList();

    public static string DownstreamProject => """
<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup>
    <TargetFramework>net10.0</TargetFramework>
    <Nullable>disable</Nullable>
    <ImplicitUsings>disable</ImplicitUsings>
  </PropertyGroup>
  <ItemGroup>
    <ProjectReference Include="../consumer/Consumer.csproj" />
  </ItemGroup>
</Project>
""";

    /// <summary>The downstream project's own N+1, identical in shape to the one reported in the consumer.</summary>
    public static readonly SourceFile Downstream = new("DownstreamReport.cs", """
using System.Linq;
using Consumer;

namespace Downstream;

public static class DownstreamReport
{
    public static void AuthorsOfPosts(BlogContext db)
    {
        var posts = db.Posts.ToList();
        foreach (var p in posts) { var u = db.Users.Find(p.AuthorId); }
    }
}
""");
}
