using System;
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
    public static PooledResourceKind Classify(IOperation operation, WellKnownTypes types, LocalDataFlow flow, out string description)
    {
        description = "";
        switch (operation)
        {
            case IObjectCreationOperation creation when creation.Type is INamedTypeSymbol type:
                if (type.InheritsFromOrEquals(types.HttpClient))
                {
                    // new HttpClient(sharedHandler): the pool lives in the handler, which is shared.
                    var handler = creation.Arguments.Length > 0 ? creation.Arguments[0].Value.WalkDownConversions() : null;
                    if (handler is not null and not IObjectCreationOperation)
                    {
                        return PooledResourceKind.None;
                    }

                    description = "'new HttpClient()'";
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

                    if (VariesPerRequest(connectionString))
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

    /// <summary>An interpolated or concatenated connection string that reads a parameter or the HTTP request.</summary>
    private static bool VariesPerRequest(IOperation connectionString)
    {
        var value = connectionString.WalkDownConversions();
        if (value is not (IInterpolatedStringOperation or IBinaryOperation { OperatorKind: BinaryOperatorKind.Add }))
        {
            return false;
        }

        foreach (var operation in value.Descendants())
        {
            if (operation is IParameterReferenceOperation
                || operation.Type?.Name is "HttpContext" or "HttpRequest" or "ClaimsPrincipal")
            {
                return true;
            }
        }

        return false;
    }
}
