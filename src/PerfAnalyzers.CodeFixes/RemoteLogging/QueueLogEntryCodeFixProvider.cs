using System.Collections.Generic;
using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using PerfAnalyzers.CodeFixes.NPlusOne;
using PerfAnalyzers.Core;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes.RemoteLogging;

/// <summary>
/// PERF002 fix, "Queue the log entry": the awaited remote logging call becomes a non-blocking enqueue of the same call
/// (arguments evaluated now, sent later) into a bounded <c>RemoteLogQueue</c> drained by a hosted service. The queue type
/// is added to the project once, injected where the call was, and registered in Program.cs when found.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(QueueLogEntryCodeFixProvider)), Shared]
public sealed class QueueLogEntryCodeFixProvider : CodeFixProvider
{
    public const string QueueKey = "PERF002.Queue";

    private static readonly SolutionSequentialFixAllProvider FixAll = new("Queue the log entries", _ => QueueKey, (_, solution, documentId, span, token) => ApplyAsync(solution, documentId, span, token));

    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create(DiagnosticIds.AwaitedRemoteLogging);

    public override FixAllProvider GetFixAllProvider() => FixAll;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var solution = await ApplyAsync(context.Document.Project.Solution, context.Document.Id, context.Span, context.CancellationToken).ConfigureAwait(false);
        if (solution is not null)
        {
            context.RegisterCodeFix(CodeAction.Create("Queue the log entry", _ => Task.FromResult(solution), QueueKey), context.Diagnostics[0]);
        }
    }

    internal static async Task<Solution?> ApplyAsync(Solution solution, DocumentId documentId, TextSpan span, CancellationToken cancellationToken)
    {
        var document = solution.GetDocument(documentId);
        var root = document is null ? null : await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = document is null ? null : await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (document is null || root is null || model is null
            || root.FindNode(span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } call
            || model.GetOperation(call, cancellationToken) is not IInvocationOperation operation)
        {
            return null;
        }

        // Only `await call;` as a statement: its result is not used, so the request need not wait.
        var outer = PerElementLookup.FindOuter(call, out var awaited);
        if (!awaited || outer.Parent is not ExpressionStatementSyntax statement || statement.Parent is not BlockSyntax)
        {
            return null;
        }

        var handlerLambda = call.Ancestors().OfType<AnonymousFunctionExpressionSyntax>().FirstOrDefault();
        var type = call.FirstAncestorOrSelf<TypeDeclarationSyntax>();
        if (handlerLambda is not null && handlerLambda is not ParenthesizedLambdaExpressionSyntax || handlerLambda is null && (type is not ClassDeclarationSyntax || call.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member || member.Modifiers.Any(SyntaxKind.StaticKeyword)))
        {
            return null;
        }

        var ns = TopNamespace(model, call, cancellationToken);
        var queueType = ns is null ? RemoteLogQueueTemplate.QueueTypeName : ns + "." + RemoteLogQueueTemplate.QueueTypeName;
        var taken = PerElementLookup.NamesInScope(model, call);
        var tokenName = PerElementLookup.UniqueName("cancellationToken", new HashSet<string>(taken));

        // Evaluate the arguments now (into locals), send later with the drainer's token.
        var indentation = Members.Indentation(statement);
        var eol = Members.EndOfLine(statement);
        var captures = new List<StatementSyntax>();
        var arguments = new List<string>();
        foreach (var argument in call.ArgumentList.Arguments)
        {
            var parameter = operation.Arguments.FirstOrDefault(a => a.Syntax == argument)?.Parameter;
            var prefix = argument.NameColon is null ? "" : argument.NameColon.ToString() + " ";
            if (parameter?.Type is INamedTypeSymbol { Name: "CancellationToken" })
            {
                arguments.Add(prefix + tokenName);
            }
            else if (model.GetConstantValue(argument.Expression, cancellationToken).HasValue)
            {
                arguments.Add(prefix + argument.Expression.WithoutTrivia());
            }
            else
            {
                var local = PerElementLookup.UniqueName(parameter?.Name ?? "value", taken);
                captures.Add(ParseStatement($"var {local} = {argument.Expression.WithoutTrivia()};").WithLeadingTrivia(indentation).WithTrailingTrivia(eol));
                arguments.Add(prefix + local);
            }
        }

        // The receiver is evaluated now too, unless it is a field or `this`.
        var receiver = access.Expression.WithoutTrivia().ToString();
        if (model.GetSymbolInfo(access.Expression, cancellationToken).Symbol is not (IFieldSymbol or IPropertySymbol { IsReadOnly: true }) && access.Expression is not ThisExpressionSyntax)
        {
            var local = PerElementLookup.UniqueName("logTarget", taken);
            captures.Insert(0, ParseStatement($"var {local} = {receiver};").WithLeadingTrivia(indentation).WithTrailingTrivia(eol));
            receiver = local;
        }

        var send = $"{receiver}.{access.Name.WithoutTrivia()}({string.Join(", ", arguments)})";
        if (operation.TargetMethod.ReturnType.Name == "ValueTask")
        {
            send += ".AsTask()";
        }

        var queueName = "_remoteLogQueue";
        if (handlerLambda is ParenthesizedLambdaExpressionSyntax lambda)
        {
            queueName = lambda.ParameterList.Parameters.FirstOrDefault(p => p.Type?.ToString() is { } t && t.EndsWith(RemoteLogQueueTemplate.QueueTypeName, System.StringComparison.Ordinal))?.Identifier.ValueText
                ?? PerElementLookup.UniqueName("remoteLogQueue", taken);
        }
        else if (type!.Members.OfType<FieldDeclarationSyntax>().SelectMany(f => f.Declaration.Variables.Select(v => (f.Declaration.Type, v))).FirstOrDefault(f => f.Type.ToString().EndsWith(RemoteLogQueueTemplate.QueueTypeName, System.StringComparison.Ordinal)) is { v: { } existingField })
        {
            queueName = existingField.Identifier.ValueText;
        }
        else
        {
            queueName = PerElementLookup.UniqueName("_remoteLogQueue", taken);
        }

        var enqueue = ParseStatement($"{queueName}.Enqueue({tokenName} => {send});")
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithTrailingTrivia(statement.GetTrailingTrivia());
        if (captures.Count > 0)
        {
            captures[0] = captures[0].WithLeadingTrivia(statement.GetLeadingTrivia());
            enqueue = enqueue.WithLeadingTrivia(indentation);
        }

        var tracked = root.TrackNodes(statement, (SyntaxNode?)handlerLambda ?? type!);
        tracked = tracked.ReplaceNode(tracked.GetCurrentNode(statement)!, captures.Append(enqueue));

        if (handlerLambda is ParenthesizedLambdaExpressionSyntax handler && !handler.ParameterList.Parameters.Any(p => p.Identifier.ValueText == queueName))
        {
            var current = (ParenthesizedLambdaExpressionSyntax)tracked.GetCurrentNode(handler)!;
            var parameter = Parameter(Identifier(queueName)).WithType(ParseTypeName(queueType).WithTrailingTrivia(Space));
            tracked = tracked.ReplaceNode(current, current.WithParameterList(current.ParameterList.AddParameters(current.ParameterList.Parameters.Count == 0 ? parameter : parameter.WithLeadingTrivia(Space))));
        }
        else if (handlerLambda is null && !type!.Members.OfType<FieldDeclarationSyntax>().Any(f => f.Declaration.Variables.Any(v => v.Identifier.ValueText == queueName)))
        {
            tracked = DependencyInjection.AddConstructorDependency(tracked, (TypeDeclarationSyntax)tracked.GetCurrentNode(type)!, queueType, queueName, PerElementLookup.UniqueName("remoteLogQueue", taken));
        }

        solution = solution.WithDocumentSyntaxRoot(document.Id, tracked);
        solution = AddQueueTypeOnce(solution, document.Project.Id, ns, model.Compilation);
        var registrations = new[] { $"AddSingleton<{queueType}>()", $"AddHostedService<{(ns is null ? "" : ns + ".")}{RemoteLogQueueTemplate.DrainerTypeName}>()" };
        return await CompositionRoot.EnsureRegistrationAsync(solution, document.Project.Id, registrations, RemoteLogQueueTemplate.DrainerTypeName, cancellationToken).ConfigureAwait(false);
    }

    private static Solution AddQueueTypeOnce(Solution solution, ProjectId projectId, string? ns, Compilation compilation)
    {
        var project = solution.GetProject(projectId);
        if (project is null || compilation.GetSymbolsWithName(RemoteLogQueueTemplate.QueueTypeName, SymbolFilter.Type).Any()
            || project.Documents.Any(d => d.Name == RemoteLogQueueTemplate.FileName))
        {
            return solution;
        }

        var folder = project.FilePath is { } path ? System.IO.Path.GetDirectoryName(path) : null;
        var document = project.AddDocument(RemoteLogQueueTemplate.FileName, SourceText.From(RemoteLogQueueTemplate.Source(ns), Encoding.UTF8),
            filePath: folder is null ? null : System.IO.Path.Combine(folder, RemoteLogQueueTemplate.FileName));
        return document.Project.Solution;
    }

    /// <summary>The outermost namespace of the site (<c>SampleApp</c> for <c>SampleApp.Controllers</c>), where the queue type goes.</summary>
    private static string? TopNamespace(SemanticModel model, SyntaxNode node, CancellationToken cancellationToken)
    {
        var ns = model.GetEnclosingSymbol(node.SpanStart, cancellationToken)?.ContainingNamespace;
        while (ns is { IsGlobalNamespace: false, ContainingNamespace.IsGlobalNamespace: false })
        {
            ns = ns.ContainingNamespace;
        }

        return ns is null || ns.IsGlobalNamespace ? null : ns.Name;
    }
}
