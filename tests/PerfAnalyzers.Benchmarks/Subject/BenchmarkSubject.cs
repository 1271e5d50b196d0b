using System;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;
using PerfAnalyzers.Benchmarks.Generation;

namespace PerfAnalyzers.Benchmarks.Subject;

/// <summary>
/// The generated application of one size, parsed once and compiled against the real assemblies (C# 12, nullable
/// disabled, single-threaded build so compile-only and analyzer timings are comparable CPU times). Every measurement
/// starts from a fresh compilation (<see cref="Compilation.Clone"/> or <see cref="Compilation.ReplaceSyntaxTree"/>),
/// so nothing bound or cached by one iteration carries into the next.
/// </summary>
public sealed class BenchmarkSubject
{
    private static readonly ConcurrentDictionary<int, Lazy<BenchmarkSubject>> Cache = new();

    private readonly SourceText _editedText;

    private BenchmarkSubject(GeneratedApp app)
    {
        App = app;
        var parseOptions = new CSharpParseOptions(LanguageVersion.CSharp12);
        var trees = app.Files
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, Encoding.UTF8), parseOptions, f.Path))
            .ToImmutableArray();
        var options = new CSharpCompilationOptions(
            OutputKind.ConsoleApplication,
            nullableContextOptions: NullableContextOptions.Disable,
            concurrentBuild: false);
        Compilation = CSharpCompilation.Create("Contoso.Shop", trees, References.All, options);

        HotTree = trees.Single(t => t.FilePath == app.HotDocumentPath);
        HotDocumentLines = HotTree.GetText().Lines.Count - 1;

        // The IDE case: a keystroke-sized edit inside the hot document (a statement added before the last action's
        // final return, after every planted finding of that action, so no planted line moves), reparsed incrementally,
        // as the IDE does. The statement needs no local, so it fits whichever template the last action is.
        var text = HotTree.GetText();
        var lastReturn = text.ToString().LastIndexOf("\n        return ", StringComparison.Ordinal);
        var insertAt = lastReturn >= 0 ? lastReturn + 1 : text.ToString().LastIndexOf('}');
        _editedText = text.WithChanges(new TextChange(new TextSpan(insertAt, 0), "        var edited = DateTime.UtcNow.Ticks; // typed in the editor\n"));
    }

    public GeneratedApp App { get; }

    public CSharpCompilation Compilation { get; }

    public SyntaxTree HotTree { get; }

    public int HotDocumentLines { get; }

    public string Label => GeneratedApp.SizeLabel(App.TargetLines);

    public static BenchmarkSubject Get(int targetLines)
        => Cache.GetOrAdd(targetLines, lines => new Lazy<BenchmarkSubject>(() => new BenchmarkSubject(GeneratedApp.Generate(lines)))).Value;

    /// <summary>
    /// A fresh compilation with the hot document replaced by its edited version. The edit is reparsed every time, so the
    /// edited tree is a new object, as after a keystroke: caches keyed by syntax tree know the other trees, not this one.
    /// </summary>
    public (CSharpCompilation Compilation, SyntaxTree Document) CompilationAfterEdit()
    {
        var edited = HotTree.WithChangedText(_editedText);
        return (Compilation.ReplaceSyntaxTree(HotTree, edited), edited);
    }
}
