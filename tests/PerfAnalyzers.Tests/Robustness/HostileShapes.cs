using System;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;

namespace PerfAnalyzers.Tests.Robustness;

/// <summary>Generated sources of shapes that stress recursion, bounds and caches. Each compiles with the shared test model.</summary>
internal static class HostileShapes
{
    /// <param name="AllowErrors">The shape is meant not to compile; otherwise it must compile cleanly, so the analyzers see the real shape.</param>
    public sealed record Shape(string Name, string Source, OutputKind OutputKind = OutputKind.DynamicallyLinkedLibrary, bool AllowErrors = false);

    public static IEnumerable<Shape> All()
    {
        yield return new Shape("empty file", "", AllowErrors: false);
        yield return new Shape("only errors", """
}}}{{{ class 12 @@@ ;;; foreach ( => => await new new ) ] [ #endregion
namespace { public void ( int class ) => foreach foreach for while { await }
""", AllowErrors: true);
        yield return new Shape("10,000-statement method", TenThousandStatements());
        yield return new Shape("loops nested 200 deep", NestedLoops(200));
        yield return new Shape("lambdas nested 100 deep (per-element ForEach)", NestedPerElementLambdas(100));
        yield return new Shape("lambdas nested 100 deep (delegates)", NestedDelegateLambdas(100));
        yield return new Shape("mutual recursion through interfaces, each call in a loop", InterfaceRing(24));
        yield return new Shape("mutual recursion through virtual calls, each call in a loop", VirtualRing(24));
        yield return new Shape("self recursion (direct, interface, virtual, local function)", SelfRecursion());
        yield return new Shape("partial classes and partial methods", Partials());
        yield return new Shape("partial methods without or with two implementations, unclosed partial class", PartialsIncomplete(), AllowErrors: true);
        yield return new Shape("generic methods and extension methods", GenericsAndExtensions());
        yield return new Shape("local functions", LocalFunctions());
        yield return new Shape("top-level statements", TopLevelStatements(), OutputKind.ConsoleApplication);
        yield return new Shape("#if'ed-out regions", IfDefedOut());
        yield return new Shape("dynamic", Dynamic());
        yield return new Shape("1,000-step reassignment chain in a loop (distinct locals)", ReassignmentChain(1000, distinctLocals: true));
        yield return new Shape("1,000-step reassignment chain in a loop (one local)", ReassignmentChain(1000, distinctLocals: false));
    }

    private static string Wrap(string members) => RobustnessEnvironment.TestUsings + "public partial class Hostile\n{\n" + members + "\n}\n";

    private static string TenThousandStatements()
    {
        var body = new StringBuilder();
        body.AppendLine("    public async Task<int> BigAsync(BlogDbContext db, List<int> ids)");
        body.AppendLine("    {");
        body.AppendLine("        var total = 0;");
        body.AppendLine("        foreach (var id in ids)");
        body.AppendLine("        {");
        for (var i = 0; i < 10_000; i++)
        {
            // Mostly cheap-to-bind statements (the compiler's cost is not what is measured); a lambda every 100.
            switch (i % 5)
            {
                case 0: body.AppendLine($"            var u{i} = db.Users.Find(id + {i});"); break;
                case 1: body.AppendLine($"            total += u{i - 1}?.Id ?? {i};"); break;
                case 2: body.AppendLine(i % 100 == 2 ? $"            var q{i} = db.Posts.Where(p => p.AuthorId == id + {i});" : $"            var q{i} = db.Posts.Skip(id + {i});"); break;
                case 3: body.AppendLine(i % 100 == 3 ? $"            total += await q{i - 1}.CountAsync();" : $"            total += q{i - 1}.Count();"); break;
                default: body.AppendLine($"            if (total > {i}) total -= id;"); break;
            }
        }

        body.AppendLine("        }");
        body.AppendLine("        return total;");
        body.AppendLine("    }");
        return Wrap(body.ToString());
    }

    private static string NestedLoops(int depth)
    {
        var body = new StringBuilder();
        body.AppendLine("    public void Deep(BlogDbContext db, List<int> ids)");
        body.AppendLine("    {");
        for (var i = 0; i < depth; i++)
        {
            var indent = new string(' ', 8 + (i % 40));
            body.AppendLine((i % 4) switch
            {
                0 => $"{indent}foreach (var x{i} in ids)",
                1 => $"{indent}for (var x{i} = 0; x{i} < ids.Count; x{i}++)",
                2 => $"{indent}while (ids.Count > {i})",
                _ => $"{indent}foreach (var x{i} in ids.Where(v => v > {i}))",
            });
            body.AppendLine(indent + "{");
            if (i % 10 == 0)
            {
                body.AppendLine($"{indent}    var hit{i} = db.Users.Find(x{i - (i % 4)});");
            }
        }

        body.AppendLine(new string(' ', 8) + $"db.Users.Find(x{depth - 4}); db.SaveChanges();");
        for (var i = depth - 1; i >= 0; i--)
        {
            body.AppendLine(new string(' ', 8 + (i % 40)) + "}");
        }

        body.AppendLine("    }");
        return Wrap(body.ToString());
    }

    private static string NestedPerElementLambdas(int depth)
    {
        var open = new StringBuilder();
        var close = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            open.Append($"ids.ForEach(x{i} => ");
            close.Append(')');
        }

        return Wrap($$"""
    public void Deep(BlogDbContext db, List<int> ids)
    {
        {{open}}db.Users.Find(x{{depth - 1}} + x0){{close}};
    }
""");
    }

    private static string NestedDelegateLambdas(int depth)
    {
        var body = new StringBuilder();
        for (var i = 0; i < depth; i++)
        {
            body.Append($"Action a{i} = () => {{ ");
        }

        body.Append($"var user = db.Users.Find(id); db.SaveChanges(); ");
        for (var i = depth - 1; i >= 0; i--)
        {
            body.Append($"}}; a{i}(); ");
        }

        return Wrap($$"""
    public void Deep(BlogDbContext db, List<int> ids)
    {
        foreach (var id in ids)
        {
            {{body}}
        }
    }
""");
    }

    /// <summary>I0.Step → I1.Step → ... → I(n-1).Step → I0.Step, each call inside a loop, one implementation querying.</summary>
    private static string InterfaceRing(int size)
    {
        var source = new StringBuilder(RobustnessEnvironment.TestUsings);
        for (var i = 0; i < size; i++)
        {
            var next = (i + 1) % size;
            source.AppendLine($"public interface IStep{i} {{ Task<int> StepAsync(int n); IQueryable<Post> Query(int n); }}");
            source.AppendLine($$"""
public sealed class Step{{i}} : IStep{{i}}
{
    private readonly IStep{{next}} _next;
    private readonly BlogDbContext _db;
    public Step{{i}}(IStep{{next}} next, BlogDbContext db) { _next = next; _db = db; }
    public async Task<int> StepAsync(int n)
    {
        var total = 0;
        foreach (var post in _next.Query(n))
        {
            total += await _next.StepAsync(post.Id);
        }
        {{(i == size / 2 ? "total += (await _db.Users.FindAsync(n))?.Id ?? 0;" : "")}}
        return total;
    }
    public IQueryable<Post> Query(int n) => {{(i == size - 1 ? "_db.Posts.Where(p => p.AuthorId == n)" : "_next.Query(n + 1)")}};
}
""");
        }

        source.AppendLine("""
public sealed class RingDriver
{
    public async Task<int> RunAsync(IStep0 first, List<int> ids)
    {
        var total = 0;
        foreach (var id in ids) total += await first.StepAsync(id);
        return total;
    }
}
""");
        return source.ToString();
    }

    /// <summary>Virtual (and abstract, and overridden-again) methods calling the next class's method in a loop, closing a cycle.</summary>
    private static string VirtualRing(int size)
    {
        var source = new StringBuilder(RobustnessEnvironment.TestUsings);
        source.AppendLine("""
public abstract class Node
{
    public Node Next { get; set; }
    public abstract int Visit(int n);
    public virtual int Walk(List<int> ids) { var t = 0; for (var i = 0; i < ids.Count; i++) t += Next.Walk(ids) + Visit(ids[i]); return t; }
}
""");
        for (var i = 0; i < size; i++)
        {
            var baseType = i % 3 == 2 ? $"Node{i - 1}" : "Node";
            var baseCall = i % 3 == 2 ? " : base(db)" : "";
            source.AppendLine($$"""
public class Node{{i}} : {{baseType}}
{
    private readonly BlogDbContext _db;
    public Node{{i}}(BlogDbContext db){{baseCall}} { _db = db; }
    public override int Visit(int n)
    {
        var t = 0;
        while (t < n) { t += Next.Visit(n - 1); {{(i == size - 1 ? "_db.SaveChanges();" : "")}} }
        return t;
    }
    public override int Walk(List<int> ids) { var t = 0; foreach (var id in ids) t += base.Walk(ids) + Next.Walk(ids) + (_db.Users.Find(id)?.Id ?? 0); return t; }
}
""");
        }

        return source.ToString();
    }

    private static string SelfRecursion() => RobustnessEnvironment.TestUsings + """
public interface ISelf { int Again(int n); }
public class Self : ISelf
{
    private readonly BlogDbContext _db;
    private readonly ISelf _self;
    public Self(BlogDbContext db, ISelf self) { _db = db; _self = self; }
    public int Direct(int n) { var t = 0; foreach (var i in Enumerable.Range(0, n)) t += Direct(i); return t + (_db.Users.Find(n)?.Id ?? 0); }
    public int Again(int n) { var t = 0; for (var i = 0; i < n; i++) t += _self.Again(i) + this.Again(i); return t; }
    public virtual int Virtual(int n) { var t = 0; while (t < n) t += Virtual(n - 1); return t; }
    public IQueryable<Post> Query(int n) => n == 0 ? _db.Posts : Query(n - 1).Where(p => p.Id > n);
    public IQueryable<Post> Ping(int n) => Pong(n);
    public IQueryable<Post> Pong(int n) => Ping(n);
    public int Local(List<int> ids)
    {
        return Recurse(ids.Count);
        int Recurse(int n) { var t = 0; foreach (var id in ids) t += n == 0 ? _db.Posts.Count(p => p.AuthorId == id) : Recurse(n - 1); return t; }
    }
    public int Use(List<int> ids) { var t = 0; foreach (var id in ids) { t += Direct(id) + Again(id) + Virtual(id) + Query(id).Count() + Ping(id).Count(); } return t; }
}
public class SelfDerived : Self
{
    public SelfDerived(BlogDbContext db, ISelf self) : base(db, self) { }
    public override int Virtual(int n) { var t = 0; foreach (var i in Enumerable.Range(0, n)) t += base.Virtual(i) + Virtual(i); return t; }
}
""";

    private static string Partials() => RobustnessEnvironment.TestUsings + """
public partial class Split
{
    private readonly BlogDbContext _db;
    public Split(BlogDbContext db) => _db = db;
    partial void OnLoaded(int id);
    private partial User Load(int id);
    public partial int Count(List<int> ids);
    public void Run(List<int> ids) { foreach (var id in ids) { OnLoaded(id); Load(id); Declared(id); } }
    partial void Declared(int id);
}

public partial class Split
{
    private partial User Load(int id) => _db.Users.Find(id);
    public partial int Count(List<int> ids) { var t = 0; foreach (var id in ids) t += Load(id)?.Id ?? 0; return t; }
    partial void OnLoaded(int id) { for (var i = 0; i < id; i++) _db.SaveChanges(); }
}

public partial class Hostile { }
""";

    private static string PartialsIncomplete() => RobustnessEnvironment.TestUsings + """
public partial class Half
{
    private readonly BlogDbContext _db;
    public partial int Missing(int id);
    public partial List<User> Load(List<int> ids);
    public int Run(List<int> ids) { var t = 0; foreach (var id in ids) t += Missing(id) + Load(ids).Count; return t; }
}

public partial class Half
{
    public partial List<User> Load(List<int> ids)
    {
        foreach (var id in ids) _db.Users.Find(id)
    }

    public partial List<User> Load(List<int> ids) => ids.Select(id => _db.Users.Find(id)).ToList();
""";

    private static string GenericsAndExtensions() => RobustnessEnvironment.TestUsings + """
public interface IRepository<T> where T : class { T Get(int id); IQueryable<T> All { get; } }
public class Repository<T> : IRepository<T> where T : class
{
    private readonly BlogDbContext _db;
    public Repository(BlogDbContext db) => _db = db;
    public T Get(int id) => _db.Set<T>().Find(id);
    public IQueryable<T> All => _db.Set<T>();
}

public static class Extensions
{
    public static T Fetch<T>(this BlogDbContext db, int id) where T : class => db.Set<T>().Find(id);
    public static TResult Pipe<T, TResult>(this T value, Func<T, TResult> f) => f(value);
    public static IEnumerable<TOut> Each<TIn, TOut>(this IEnumerable<TIn> source, Func<TIn, TOut> f) { foreach (var x in source) yield return f(x); }
    public static List<T> Many<T, TKey>(this IRepository<T> repo, IEnumerable<TKey> keys, Func<TKey, int> id) where T : class
    {
        var result = new List<T>();
        foreach (var key in keys) result.Add(repo.Get(id(key)));
        return result;
    }
}

public class GenericUse
{
    public List<User> Run<TKey>(BlogDbContext db, IRepository<User> users, List<TKey> keys, Func<TKey, int> id)
    {
        var a = keys.Select(k => db.Fetch<User>(id(k))).ToList();
        var b = keys.Each(k => id(k).Pipe(db.Fetch<Post>)).ToList();
        foreach (var k in keys) { users.All.Where(u => u.Id == id(k)).ToList(); db.Fetch<Comment>(id(k)); }
        return users.Many(keys, id);
    }
}
""";

    private static string LocalFunctions() => Wrap("""
    public async Task<int> Run(BlogDbContext db, List<int> ids)
    {
        var total = 0;
        foreach (var id in ids)
        {
            total += Load(id) + await LoadAsync(id) + Static(db, id) + Nested(id);
        }

        ids.ForEach(id => total += Load(id));
        return total;

        int Load(int id) => db.Users.Find(id)?.Id ?? 0;
        async Task<int> LoadAsync(int id) { await Task.Yield(); return (await db.Users.FindAsync(id))?.Id ?? Load(id - 1); }
        static int Static(BlogDbContext context, int id) => context.Posts.Count(p => p.AuthorId == id);
        int Nested(int id)
        {
            return Inner(id);
            int Inner(int n) { foreach (var x in ids) n += Inner2(x); return n; }
            int Inner2(int n) => n > 0 ? Inner(n - 1) : Load(n);
        }
    }
""");

    private static string TopLevelStatements() => """
using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.EntityFrameworkCore;
using Blog;

var db = new BlogDbContext(new DbContextOptionsBuilder<BlogDbContext>().Options);
var ids = args.Select(int.Parse).ToList();
foreach (var id in ids)
{
    var user = db.Users.Find(id);
    Console.WriteLine(user?.Name ?? Lookup(id));
}

await foreach (var post in db.Posts.AsAsyncEnumerable())
{
    await db.Comments.Where(c => c.PostId == post.Id).ToListAsync();
}

string Lookup(int id) => db.Posts.FirstOrDefault(p => p.AuthorId == id)?.Title;
""";

    private static string IfDefedOut() => Wrap("""
    public void Run(BlogDbContext db, List<int> ids)
    {
#if NEVER_DEFINED
        foreach (var id in ids)
        {
            db.Users.Find(id
#endif
        foreach (var id in ids)
        {
#if false
            db.Users.Find(id);
        }
    }
#else
            db.Users.Find(id);
#endif
        }
#region unbalanced
#if !NEVER_DEFINED
        for (var i = 0; i < ids.Count; i++) db.SaveChanges();
#elif RELEASE
        for (var i = 0; i < ids.Count; i++) {
#endif
#endregion
    }
""");

    private static string Dynamic() => Wrap("""
    public void Run(BlogDbContext db, dynamic ids, dynamic context)
    {
        foreach (var id in ids)
        {
            db.Users.Find(id);
            context.Users.Find(id);
            dynamic set = db.Users;
            set.Find(id);
            int key = id;
            var q = db.Posts.Where(p => p.AuthorId == key);
            q.ToList();
        }

        foreach (dynamic post in db.Posts.ToList())
        {
            db.Users.Find(post.AuthorId);
            int postId = post.Id;
            db.Comments.Where(c => c.PostId == postId).ToList();
        }
    }
""");

    private static string ReassignmentChain(int length, bool distinctLocals)
    {
        var body = new StringBuilder();
        body.AppendLine("    public List<Post> Chain(BlogDbContext db, List<int> ids)");
        body.AppendLine("    {");
        body.AppendLine("        var result = new List<Post>();");
        body.AppendLine("        foreach (var id in ids)");
        body.AppendLine("        {");
        if (distinctLocals)
        {
            body.AppendLine("            var q0 = db.Posts;");
            for (var i = 1; i < length; i++)
            {
                body.AppendLine(i == length / 2
                    ? $"            var q{i} = q{i - 1}.Where(p => p.AuthorId == id);"
                    : $"            var q{i} = q{i - 1}.Where(p => p.Id > {i});");
            }

            body.AppendLine($"            result.AddRange(q{length - 1}.ToList());");
        }
        else
        {
            body.AppendLine("            IQueryable<Post> q = db.Posts;");
            for (var i = 1; i < length; i++)
            {
                body.AppendLine(i == length / 2
                    ? "            q = q.Where(p => p.AuthorId == id);"
                    : $"            q = q.Where(p => p.Id > {i});");
            }

            body.AppendLine("            result.AddRange(q.ToList());");
        }

        body.AppendLine("        }");
        body.AppendLine("        return result;");
        body.AppendLine("    }");
        return Wrap(body.ToString());
    }
}
