using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using PerfAnalyzers.Core;
using Xunit;

namespace PerfAnalyzers.Tests.Meta;

/// <summary>
/// The syntax-first subtype index answers exactly what binding every source type answers, in the same order
/// (file path, then position), including aliases, partial types, nested types, records, structs, generic
/// interfaces, same-named look-alike types and referenced (metadata) base types.
/// </summary>
public class SubtypeIndexTests
{
    private const string FirstFile = """
        using Alias = Shop.IRepo;
        using GenericAlias = Shop.IGeneric<int>;

        namespace Shop
        {
            public interface IRepo { void Get(); }
            public interface IGeneric<T> { }
            public interface IDerivedRepo : IRepo { }
            public abstract class RepoBase : IDerivedRepo { public abstract void Get(); }
            public class Outer { public class NestedRepo : Shop.IRepo { public void Get() { } } }
            public partial class SplitRepo { }
            public class ViaAlias : Alias { public void Get() { } }
            public struct StructRepo : IRepo { public void Get() { } }
            public abstract record RecordBase : IRepo { public abstract void Get(); }
            public record RecordRepo(int X) : RecordBase { public override void Get() { } }
            public class GenericImpl : GenericAlias { }
            public class OpenGenericImpl<T> : IGeneric<T> { }
            public class Disposable : System.IDisposable { public void Dispose() { } }
            public class Unrelated { }
        }
        """;

    private const string SecondFile = """
        namespace Shop
        {
            public partial class SplitRepo : IRepo { public void Get() { } }
            public class Leaf : RepoBase { public override void Get() { } }
            public class StreamLike : System.IO.MemoryStream { }

            namespace Other
            {
                public interface IRepo { }
                public class LookAlike : IRepo { }
            }
        }
        """;

    [Theory]
    [InlineData("Shop.IRepo")]
    [InlineData("Shop.IGeneric`1")]
    [InlineData("Shop.IDerivedRepo")]
    [InlineData("Shop.RepoBase")]
    [InlineData("Shop.Other.IRepo")]
    [InlineData("Shop.Unrelated")]
    [InlineData("System.IDisposable")]
    [InlineData("System.IO.Stream")]
    public void SubtypesOf_MatchesBindingEverySourceType_InDeclarationOrder(string metadataName)
    {
        var compilation = Compile();
        var type = compilation.GetTypeByMetadataName(metadataName);
        Assert.NotNull(type);

        var index = new SubtypeIndex(compilation, tree => compilation.GetSemanticModel(tree));
        var expected = BindEverySourceType(compilation, type!);
        var actual = index.SubtypesOf(type!);

        Assert.Equal(expected.Select(t => t.ToDisplayString()), actual.Select(t => t.ToDisplayString()));
    }

    [Fact]
    public void SubtypesOf_Interface_FindsAliasPartialNestedStructRecordAndTransitiveSubtypes()
    {
        var compilation = Compile();
        var index = new SubtypeIndex(compilation, tree => compilation.GetSemanticModel(tree));

        var names = index.SubtypesOf(compilation.GetTypeByMetadataName("Shop.IRepo")!).Select(t => t.Name).ToList();

        Assert.Equal(new[] { "RepoBase", "NestedRepo", "SplitRepo", "ViaAlias", "StructRepo", "RecordBase", "RecordRepo", "Leaf" }, names);
    }

    private static CSharpCompilation Compile()
    {
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(path => Path.GetFileName(path) is "System.Runtime.dll" or "System.Private.CoreLib.dll" or "netstandard.dll")
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "Subtypes",
            new[] { CSharpSyntaxTree.ParseText(FirstFile, path: "A.cs"), CSharpSyntaxTree.ParseText(SecondFile, path: "B.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        return compilation;
    }

    /// <summary>The reference answer: every source class or struct, bound, in declaration order.</summary>
    private static List<INamedTypeSymbol> BindEverySourceType(Compilation compilation, INamedTypeSymbol type)
    {
        var all = new List<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container)
                {
                    pending.Push(container);
                }

                if (member is INamedTypeSymbol named)
                {
                    all.Add(named);
                }
            }
        }

        return all
            .Where(t => t.TypeKind is TypeKind.Class or TypeKind.Struct && Derives(t, type.OriginalDefinition))
            .OrderBy(t => t.Locations.FirstOrDefault()?.SourceTree?.FilePath, StringComparer.Ordinal)
            .ThenBy(t => t.Locations.FirstOrDefault()?.SourceSpan.Start ?? 0)
            .ToList();
    }

    private static bool Derives(INamedTypeSymbol candidate, INamedTypeSymbol type)
    {
        if (candidate.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i.OriginalDefinition, type)))
        {
            return true;
        }

        for (var baseType = candidate.BaseType; baseType is not null && baseType.SpecialType != SpecialType.System_Object; baseType = baseType.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(baseType.OriginalDefinition, type))
            {
                return true;
            }
        }

        return false;
    }
}
