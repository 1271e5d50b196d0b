using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Testing;

namespace PerfAnalyzers.Tests.Infrastructure;

/// <summary>
/// What test sources compile against: the .NET 10 reference pack plus the real EF Core, Dapper, Npgsql,
/// StackExchange.Redis, gRPC (Grpc.Net.Client, Grpc.Core.Api, Google.Protobuf), Refit and ASP.NET Core assemblies this test project references (no hand-written stubs).
/// </summary>
public static class ReferenceSet
{
    public static readonly ReferenceAssemblies Net10 = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.15"),
        Path.Combine("ref", "net10.0"));

    /// <summary>Assemblies (by simple name prefix) copied to the test output by the real package references.</summary>
    private static readonly string[] PackageAssemblyPrefixes =
    {
        "Microsoft.EntityFrameworkCore",
        "Microsoft.Data.Sqlite",
        "Dapper",
        "Npgsql",
        "StackExchange.Redis",
        "Pipelines.Sockets.Unofficial",
        "Castle.Core",
        "Grpc.Core.Api",
        "Grpc.Net.Client",
        "Grpc.Net.Common",
        "Google.Protobuf",
        "Refit",
        "ReactiveUI.Primitives",
    };

    public static ImmutableArray<MetadataReference> Libraries { get; } = Load();

    private static ImmutableArray<MetadataReference> Load()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);

        // ASP.NET Core shared framework (also carries Microsoft.Extensions.*), one consistent set.
        var aspNetDirectory = Path.GetDirectoryName(typeof(Microsoft.AspNetCore.Mvc.ControllerBase).Assembly.Location)!;
        foreach (var file in Directory.GetFiles(aspNetDirectory, "*.dll"))
        {
            byName[Path.GetFileNameWithoutExtension(file)] = file;
        }

        foreach (var file in Directory.GetFiles(AppContext.BaseDirectory, "*.dll"))
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (PackageAssemblyPrefixes.Any(prefix => name.StartsWith(prefix, StringComparison.OrdinalIgnoreCase)) && !byName.ContainsKey(name))
            {
                byName[name] = file;
            }
        }

        return byName.Values.OrderBy(p => p, StringComparer.Ordinal).Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToImmutableArray();
    }
}
