using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

/// <summary>
/// Code that runs once for the application, not per request: static initializers and constructors,
/// <c>Lazy&lt;T&gt;</c> factories, singleton registration factories, startup code (top-level statements,
/// Program/Startup, IServiceCollection extensions), and assignments into static fields.
/// </summary>
internal static class ApplicationLifetime
{
    public static bool IsSingletonFactory(IAnonymousFunctionOperation lambda, WellKnownTypes types)
    {
        IOperation? parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation argument)
        {
            return false;
        }

        return argument.Parent switch
        {
            IObjectCreationOperation creation => creation.Type.IsType(types.LazyOfT),
            IInvocationOperation invocation => invocation.TargetMethod.Name is "AddSingleton" or "TryAddSingleton" or "AddHostedService" or "AddKeyedSingleton"
                    or "GetOrAdd" or "GetOrCreate" or "GetOrCreateAsync" or "AddOrUpdate"
                || invocation.TargetMethod.Name.StartsWith("AddHttpClient", StringComparison.Ordinal) || invocation.TargetMethod.Name is "ConfigurePrimaryHttpMessageHandler" or "ConfigureHttpClient",
            _ => false,
        };
    }

    /// <summary>A lambda handed to <c>Task.Run</c>/<c>StartNew</c>/the thread pool: the caller does not wait for it.</summary>
    public static bool IsDetachedWork(IAnonymousFunctionOperation lambda)
    {
        IOperation? parent = lambda.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        return parent is IArgumentOperation { Parent: IInvocationOperation invocation }
            && (invocation.TargetMethod.Name is "Run" or "StartNew" && invocation.TargetMethod.ContainingType?.Name is "Task" or "TaskFactory"
                || invocation.TargetMethod.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem");
    }

    /// <summary>Does the operation run once for the application (startup, static, lazily-once, singleton factory)?</summary>
    public static bool RunsOnce(IOperation operation, ISymbol owner, WellKnownTypes types, RequestPaths requestPaths)
    {
        // A minimal API handler lambda runs per request even when it is declared in startup code.
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation handler)
            {
                if (requestPaths.IsMinimalApiHandler(handler))
                {
                    return false;
                }

                break;
            }
        }

        if (owner.IsStatic && owner is IFieldSymbol or IPropertySymbol || owner is IMethodSymbol { MethodKind: MethodKind.StaticConstructor })
        {
            return true;
        }

        if (owner is IMethodSymbol method && IsStartupCode(method, types))
        {
            return true;
        }

        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda when IsSingletonFactory(lambda, types):
                    return true;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation { Field.IsStatic: true } }:
                case ICoalesceAssignmentOperation { Target: IFieldReferenceOperation }:
                    // _client ??= ...: created once and cached in the field.
                    return true;
                case IVariableInitializerOperation when current.Parent is IFieldInitializerOperation fieldInitializer && fieldInitializer.InitializedFields.Length > 0 && fieldInitializer.InitializedFields[0].IsStatic:
                    return true;
            }
        }

        return false;
    }

    private static bool IsStartupCode(IMethodSymbol method, WellKnownTypes types)
    {
        if (method.Name is "<Main>$" or "Main" || method.ContainingType?.Name is "Program" or "Startup")
        {
            return true;
        }

        if (method.Name is "ConfigureServices" or "Configure" or "ConfigureContainer")
        {
            return true;
        }

        return method.IsExtensionMethod && method.Parameters.Length > 0 && (method.Parameters[0].Type.IsType(types.IServiceCollection)
            || method.Parameters[0].Type.Name is "WebApplicationBuilder" or "IHostBuilder" or "IHostApplicationBuilder" or "WebApplication" or "IApplicationBuilder");
    }
}
