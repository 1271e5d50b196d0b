using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace PerfAnalyzers.Core;

internal enum RequestEntryKind
{
    None,
    ControllerAction,
    RazorPageHandler,
    MinimalApiHandler,
    Middleware,
    Filter,
    HubMethod,
    GrpcMethod,
    ViewComponent,
}

/// <summary>
/// What runs per HTTP request (or per hub/gRPC call): controller actions, Razor Pages handlers, minimal API
/// handlers, middleware, filters, SignalR hub methods, gRPC service overrides and view components.
/// Hosted/background services, startup code and static initializers are not request paths.
/// </summary>
internal sealed class RequestPaths
{
    private readonly WellKnownTypes _types;

    public RequestPaths(WellKnownTypes types) => _types = types;

    public bool HasAspNetCore => _types.HttpContext is not null || _types.ControllerBase is not null;

    /// <summary>Is the method itself a request entry point?</summary>
    public RequestEntryKind GetEntryKind(IMethodSymbol method)
    {
        var type = method.ContainingType;
        if (type is null || method.MethodKind != MethodKind.Ordinary || method.IsStatic && type.TypeKind != TypeKind.Class)
        {
            return RequestEntryKind.None;
        }

        if (IsBackgroundType(type))
        {
            return RequestEntryKind.None;
        }

        if (method.DeclaredAccessibility == Accessibility.Public && !method.IsStatic && !method.IsAbstract && IsController(type) && !HasAttribute(method, _types.NonActionAttribute))
        {
            return RequestEntryKind.ControllerAction;
        }

        if (type.InheritsFromOrEquals(_types.PageModel) && method.Name.StartsWith("On", StringComparison.Ordinal) && !method.IsStatic)
        {
            return RequestEntryKind.RazorPageHandler;
        }

        if (method.Name is "Invoke" or "InvokeAsync")
        {
            if (type.InheritsFromOrEquals(_types.ViewComponent) || HasAttribute(type, _types.ViewComponentAttribute))
            {
                return RequestEntryKind.ViewComponent;
            }

            if (type.Implements(_types.IMiddleware) || method.Parameters.Length > 0 && method.Parameters[0].Type.IsType(_types.HttpContext))
            {
                return RequestEntryKind.Middleware;
            }
        }

        if (IsFilterMethod(method, type))
        {
            return RequestEntryKind.Filter;
        }

        if (type.InheritsFromOrEquals(_types.Hub) && method.DeclaredAccessibility == Accessibility.Public && !method.IsStatic
            && method.Name is not ("OnConnectedAsync" or "OnDisconnectedAsync" or "Dispose"))
        {
            return RequestEntryKind.HubMethod;
        }

        // Grpc.Tools puts [BindServiceMethod] on the generated service base class (nested in the static service class).
        if (method.IsOverride && method.OverriddenMethod?.ContainingType is { } grpcBase
            && (HasAttribute(grpcBase, _types.GrpcBindServiceMethodAttribute) || grpcBase.ContainingType is { } outer && HasAttribute(outer, _types.GrpcBindServiceMethodAttribute)))
        {
            return RequestEntryKind.GrpcMethod;
        }

        return RequestEntryKind.None;
    }

    /// <summary>
    /// A readable name for a request entry point (<c>OrdersController.Get</c>), or null when the method is not one.
    /// Constructors of controllers, page models, hubs and view components count: they are created per request.
    /// </summary>
    public string? DescribeEntry(IMethodSymbol method)
    {
        if (method.MethodKind == MethodKind.Constructor && method.ContainingType is { } type && !method.IsStatic
            && (IsController(type) || type.InheritsFromOrEquals(_types.PageModel) || type.InheritsFromOrEquals(_types.Hub) || type.InheritsFromOrEquals(_types.ViewComponent)))
        {
            return type.Name + " (constructed per request)";
        }

        return GetEntryKind(method) == RequestEntryKind.None ? null : method.ToMessageName();
    }

    /// <summary>Is the lambda or method group a handler passed to a <c>Map*</c> endpoint method, or an <c>AddEndpointFilter</c> filter?</summary>
    public bool IsMinimalApiHandler(IOperation handler)
    {
        IOperation? current = handler.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation)
        {
            current = current.Parent;
        }

        if (current is not IArgumentOperation { Parent: IInvocationOperation invocation } argument)
        {
            return false;
        }

        var method = invocation.TargetMethod;

        // builder.AddEndpointFilter(async (context, next) => ...): an endpoint filter runs per request, like the handler.
        if (method.Name == "AddEndpointFilter" && method.ContainingType.IsType(_types.EndpointFilterExtensions))
        {
            return true;
        }

        return method.Name.StartsWith("Map", StringComparison.Ordinal)
            && argument.Parameter?.Type.Name == "Delegate"
            && (method.ContainingType.IsType(_types.EndpointRouteBuilderExtensions) || invocation.GetReceiver()?.Type.Implements(_types.IEndpointRouteBuilder) == true);
    }

    /// <summary>
    /// The line of the minimal API handler lambda the operation runs in directly (the innermost enclosing lambda is
    /// the handler), or null.
    /// </summary>
    public int? GetEnclosingMinimalApiHandlerLine(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation lambda)
            {
                return IsMinimalApiHandler(lambda) ? lambda.Syntax.GetLocation().GetLineSpan().StartLinePosition.Line + 1 : null;
            }
        }

        return null;
    }

    public bool IsBackgroundType(INamedTypeSymbol type) => type.Implements(_types.IHostedService);

    private bool IsController(INamedTypeSymbol type)
    {
        if (type.IsAbstract || type.IsStatic || HasAttribute(type, _types.NonControllerAttribute))
        {
            return false;
        }

        return type.InheritsFromOrEquals(_types.ControllerBase) || HasAttribute(type, _types.ControllerAttribute);
    }

    private bool IsFilterMethod(IMethodSymbol method, INamedTypeSymbol type)
    {
        return method.Name switch
        {
            "InvokeAsync" => type.Implements(_types.IEndpointFilter),
            "OnActionExecuting" or "OnActionExecuted" => type.Implements(_types.IActionFilter),
            "OnActionExecutionAsync" => type.Implements(_types.IAsyncActionFilter),
            "OnResultExecuting" or "OnResultExecuted" => type.Implements(_types.IResultFilter),
            "OnResultExecutionAsync" => type.Implements(_types.IAsyncResultFilter),
            "OnResourceExecuting" or "OnResourceExecuted" => type.Implements(_types.IResourceFilter),
            "OnResourceExecutionAsync" => type.Implements(_types.IAsyncResourceFilter),
            "OnAuthorization" => type.Implements(_types.IAuthorizationFilter),
            "OnAuthorizationAsync" => type.Implements(_types.IAsyncAuthorizationFilter),
            "OnException" => type.Implements(_types.IExceptionFilter),
            "OnExceptionAsync" => type.Implements(_types.IAsyncExceptionFilter),
            _ => false,
        };
    }

    private static bool HasAttribute(ISymbol symbol, INamedTypeSymbol? attribute)
    {
        if (attribute is null)
        {
            return false;
        }

        for (var current = symbol; current is not null; current = (current as INamedTypeSymbol)?.BaseType)
        {
            foreach (var data in current.GetAttributes())
            {
                if (data.AttributeClass.InheritsFromOrEquals(attribute))
                {
                    return true;
                }
            }

            if (current is not INamedTypeSymbol)
            {
                break;
            }
        }

        return false;
    }
}
