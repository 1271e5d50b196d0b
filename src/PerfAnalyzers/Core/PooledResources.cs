using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

internal enum PooledResourceKind
{
    None,
    HttpClient,
    HttpHandler,
    RedisMultiplexer,
    DataSource,
    ConnectionWithPoolingOff,
    ConnectionWithPerRequestString,
    DbContext,
    CloudClient,
}

/// <summary>
/// Objects that own sockets or a connection pool and are meant to live for the application: what creates one.
/// <c>new SqlConnection(cs)</c>/<c>new NpgsqlConnection(cs)</c> with a fixed string is NOT one: providers pool per
/// connection string, so that is the recommended pattern.
/// </summary>
internal static class PooledResources
{
    /// <summary>The factory and registration calls the rule looks at besides object creations (the syntax gate of PERF003).</summary>
    private static readonly HashSet<string> FactoryMethodNames = new(StringComparer.Ordinal)
    {
        "Connect", "ConnectAsync", "SentinelConnect", "SentinelConnectAsync", "Create", "Build", "BuildMultiHost", "CreateDataSource", "AddDbContext",
    };

    /// <summary>
    /// Can this code block create a pooled resource, judged from syntax? It calls one of the factories, or creates a type
    /// that owns a pool: the clients and handlers recognised below, a DbContext, HttpClient or handler subclass of the
    /// compilation, or an ADO.NET connection (their names end in "Connection"); <c>new()</c> names no type, so it counts.
    /// </summary>
    public static bool MayCreate(BodySyntax body, PerfCompilationContext perf)
    {
        if (body.InvokesAny(FactoryMethodNames) || body.References(BodySyntax.ImplicitCreation))
        {
            return true;
        }

        if (body.CreatedTypeNames.Count == 0)
        {
            return false;
        }

        var names = perf.PooledTypeNames;
        foreach (var created in body.CreatedTypeNames)
        {
            if (names.Contains(created) || created.EndsWith("Connection", StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The simple names of the pool-owning types <see cref="Classify"/> knows, with the names of source types deriving from them.</summary>
    public static ImmutableHashSet<string> PooledTypeNames(WellKnownTypes types, InterproceduralSummaries summaries)
    {
        var names = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var type in new[] { types.HttpClient, types.HttpClientHandler, types.SocketsHttpHandler, types.MongoClient, types.CosmosClient, types.ServiceBusClient, types.BlobServiceClient, types.DbContext, types.DbConnection })
        {
            if (type is null)
            {
                continue;
            }

            // From syntax: binding every type of the solution for a gate would cost the IDE on every keystroke.
            names.Add(type.Name);
            names.UnionWith(summaries.CandidateSubtypeNames(type.Name));
        }

        return names.ToImmutable();
    }

    public static PooledResourceKind Classify(IOperation operation, WellKnownTypes types, LocalDataFlow flow, out string description)
    {
        description = "";
        switch (operation)
        {
            case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol type:
                if (type.InheritsFromOrEquals(types.HttpClient))
                {
                    // new HttpClient(sharedHandler): the pool lives in the handler, which is shared.
                    // new HttpClient(sharedHandler) or a delegating handler over a shared inner one: the pool is shared.
                    var handler = creation.Arguments.Length > 0 ? creation.Arguments[0].Value.WalkDownConversions() : null;
                    if (handler is not null && !CreatesPoolOwningHandler(handler, types))
                    {
                        return PooledResourceKind.None;
                    }

                    description = handler is null ? "'new HttpClient()'" : "'new HttpClient(new " + handler.Type?.Name + "(...))'";
                    return PooledResourceKind.HttpClient;
                }

                if (type.InheritsFromOrEquals(types.HttpClientHandler) || type.InheritsFromOrEquals(types.SocketsHttpHandler))
                {
                    if (IsArgumentOfHttpClientCreation(creation, types))
                    {
                        return PooledResourceKind.None; // reported once, at the HttpClient
                    }

                    description = "'new " + type.Name + "()'";
                    return PooledResourceKind.HttpHandler;
                }

                if (type.InheritsFromOrEquals(types.MongoClient) || type.InheritsFromOrEquals(types.CosmosClient) || type.InheritsFromOrEquals(types.ServiceBusClient) || type.InheritsFromOrEquals(types.BlobServiceClient))
                {
                    description = "'new " + type.Name + "()'";
                    return PooledResourceKind.CloudClient;
                }

                if (type.InheritsFromOrEquals(types.DbContext))
                {
                    description = "'new " + type.Name + "()' (bypassing DI and context pooling)";
                    return PooledResourceKind.DbContext;
                }

                if (type.InheritsFromOrEquals(types.DbConnection) && creation.Arguments.Length > 0)
                {
                    var connectionString = creation.Arguments[0].Value;
                    if (TurnsPoolingOff(connectionString, types, flow))
                    {
                        description = "'new " + type.Name + "(...)' with Pooling=false";
                        return PooledResourceKind.ConnectionWithPoolingOff;
                    }

                    if (VariesPerRequest(connectionString, types, flow, 0))
                    {
                        description = "'new " + type.Name + "(...)' with a connection string built from request data (each distinct string gets its own pool)";
                        return PooledResourceKind.ConnectionWithPerRequestString;
                    }
                }

                return PooledResourceKind.None;

            case IInvocationOperation invocation:
                var method = invocation.TargetMethod;
                var containing = method.ContainingType?.OriginalDefinition;
                if (containing.IsType(types.ConnectionMultiplexer) && method.Name is "Connect" or "ConnectAsync" or "SentinelConnect" or "SentinelConnectAsync")
                {
                    description = "'ConnectionMultiplexer." + method.Name + "'";
                    return PooledResourceKind.RedisMultiplexer;
                }

                if ((containing.IsType(types.NpgsqlDataSource) && method.Name == "Create")
                    || (containing.InheritsFromOrEquals(types.NpgsqlDataSourceBuilder) && method.Name is "Build" or "BuildMultiHost")
                    || (containing.InheritsFromOrEquals(types.DbProviderFactory) && method.Name == "CreateDataSource"))
                {
                    description = "'" + containing!.Name + "." + method.Name + "' (a data source owns a connection pool)";
                    return PooledResourceKind.DataSource;
                }

                return PooledResourceKind.None;
        }

        return PooledResourceKind.None;
    }

    private static bool IsArgumentOfHttpClientCreation(IOperation operation, WellKnownTypes types)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IObjectCreationOperation outer } && outer.Type.InheritsFromOrEquals(types.HttpClient);
    }

    /// <summary><c>"...;Pooling=false"</c> as a constant, or a connection-string builder with <c>Pooling = false</c>.</summary>
    private static bool TurnsPoolingOff(IOperation connectionString, WellKnownTypes types, LocalDataFlow flow)
    {
        var value = connectionString.WalkDownConversions();
        if (value?.ConstantValue is { HasValue: true, Value: string text })
        {
            return SaysPoolingFalse(text);
        }

        // builder.ConnectionString / builder.ToString() where builder sets Pooling = false.
        var builderLocal = value switch
        {
            IPropertyReferenceOperation { Property.Name: "ConnectionString", Instance: ILocalReferenceOperation local } => local.Local,
            IInvocationOperation { TargetMethod.Name: "ToString", Instance: ILocalReferenceOperation local } => local.Local,
            _ => null,
        };
        if (builderLocal is null || !builderLocal.Type.InheritsFromOrEquals(types.DbConnectionStringBuilder))
        {
            return false;
        }

        foreach (var definition in flow.GetDefinitions(builderLocal))
        {
            if (definition.Value is IObjectCreationOperation { Initializer: { } initializer })
            {
                foreach (var member in initializer.Initializers)
                {
                    if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Pooling" }, Value.ConstantValue: { HasValue: true, Value: false } })
                    {
                        return true;
                    }
                }
            }

            if (definition.Site is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "Pooling" }, Value.ConstantValue: { HasValue: true, Value: false } })
            {
                return true;
            }
        }

        return false;
    }

    private static bool SaysPoolingFalse(string connectionString)
    {
        foreach (var part in connectionString.Split(';'))
        {
            var pair = part.Split('=');
            if (pair.Length == 2 && pair[0].Trim().Equals("Pooling", StringComparison.OrdinalIgnoreCase) && pair[1].Trim().Equals("false", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Does the handler expression create a handler that owns connections (HttpClientHandler/SocketsHttpHandler), itself or as an inner handler?</summary>
    private static bool CreatesPoolOwningHandler(IOperation handler, WellKnownTypes types)
    {
        foreach (var operation in handler.DescendantsAndSelf())
        {
            if (operation is IObjectCreationOperation created
                && (created.Type.InheritsFromOrEquals(types.HttpClientHandler) || created.Type.InheritsFromOrEquals(types.SocketsHttpHandler)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// An interpolated or concatenated connection string built from request data: a scalar parameter (route or query
    /// value such as a tenant id) or the HTTP request/user, directly or through locals; or a connection-string builder
    /// whose members are set from request data (<c>new NpgsqlConnectionStringBuilder(cs) { Database = tenant }</c>).
    /// Injected services and configuration are not request data.
    /// </summary>
    private static bool VariesPerRequest(IOperation connectionString, WellKnownTypes types, LocalDataFlow flow, int depth)
    {
        var value = connectionString.WalkDownConversions();
        if (value is ILocalReferenceOperation local && depth < 4)
        {
            foreach (var definition in flow.GetDefinitions(local.Local))
            {
                if (!definition.IsMutation && definition.Value is not null && VariesPerRequest(definition.Value, types, flow, depth + 1))
                {
                    return true;
                }
            }

            return false;
        }

        var builder = value switch
        {
            IPropertyReferenceOperation { Property.Name: "ConnectionString", Instance: ILocalReferenceOperation builderLocal } => builderLocal.Local,
            IInvocationOperation { TargetMethod.Name: "ToString", Instance: ILocalReferenceOperation builderLocal } => builderLocal.Local,
            _ => null,
        };
        if (builder is not null)
        {
            if (depth >= 4 || !builder.Type.InheritsFromOrEquals(types.DbConnectionStringBuilder))
            {
                return false;
            }

            // The constructor's base string is configuration; what the initializer or later assignments put in may be request data.
            foreach (var definition in flow.GetDefinitions(builder))
            {
                var setMembers = definition.IsMutation ? definition.Value : (definition.Value as IObjectCreationOperation)?.Initializer;
                if (setMembers is not null && ReadsRequestData(setMembers, types, flow, depth + 1))
                {
                    return true;
                }
            }

            return false;
        }

        return value is IInterpolatedStringOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.Add } && ReadsRequestData(value, types, flow, depth);
    }

    private static bool ReadsRequestData(IOperation value, WellKnownTypes types, LocalDataFlow flow, int depth)
    {
        foreach (var operation in value.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IParameterReferenceOperation parameter when parameter.Type is { } type && (type.SpecialType != SpecialType.None || type.IsValueType):
                case IPropertyReferenceOperation property when property.Type?.Name is "HttpContext" or "HttpRequest" or "ClaimsPrincipal" || property.Instance?.Type?.Name is "HttpContext" or "HttpRequest" or "ClaimsPrincipal":
                    return true;
                case ILocalReferenceOperation nested when depth < 4 && VariesPerRequest(nested, types, flow, depth + 1):
                    return true;
            }
        }

        return false;
    }
}
