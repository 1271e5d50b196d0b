using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using static Microsoft.CodeAnalysis.CSharp.SyntaxFactory;

namespace PerfAnalyzers.CodeFixes;

/// <summary>Adding a constructor-injected dependency to a class: a readonly field assigned from a new constructor parameter.</summary>
internal static class DependencyInjection
{
    /// <summary>
    /// Adds <c>private readonly {typeName} {fieldName};</c> and a constructor parameter that assigns it: to every
    /// constructor that does not chain to another, to the primary constructor, or to a new constructor when there is none.
    /// </summary>
    public static SyntaxNode AddConstructorDependency(SyntaxNode root, TypeDeclarationSyntax type, string typeName, string fieldName, string parameterName)
    {
        var parameter = Parameter(Identifier(parameterName)).WithType(ParseTypeName(typeName).WithTrailingTrivia(Space));
        var members = type.Members;
        if (type.ParameterList is { } primary)
        {
            // Primary constructor: a parameter, captured by the field initializer.
            var initialized = ParseMemberDeclaration($"private readonly {typeName} {fieldName} = {parameterName};")!;
            var withParameter = type.WithParameterList(primary.AddParameters(primary.Parameters.Count == 0 ? parameter : parameter.WithLeadingTrivia(Space)));
            return root.ReplaceNode(type, Members.InsertFirst(withParameter, initialized));
        }

        var field = ParseMemberDeclaration($"private readonly {typeName} {fieldName};")!;
        var constructors = members.OfType<ConstructorDeclarationSyntax>().Where(c => !c.Modifiers.Any(SyntaxKind.StaticKeyword)).ToList();
        if (constructors.Count == 0)
        {
            var indentation = Members.Indentation(members.FirstOrDefault() ?? (SyntaxNode)type);
            var eol = Members.EndOfLine(type);
            var inner = indentation.ToString() + "    ";
            var constructor = ParseMemberDeclaration(
                $"public {type.Identifier.ValueText}({typeName} {parameterName}){eol}{indentation}{{{eol}{inner}{fieldName} = {parameterName};{eol}{indentation}}}")!;
            var withConstructor = Members.InsertFirst(type, constructor, forceBlankLine: true);
            return root.ReplaceNode(type, Members.InsertFirst(withConstructor, field));
        }

        var updated = type.ReplaceNodes(constructors, (original, _) =>
        {
            if (original.Initializer is { ThisOrBaseKeyword.RawKind: (int)SyntaxKind.ThisKeyword })
            {
                return original; // chains to a constructor that assigns the field
            }

            if (original.Body is null)
            {
                if (original.ExpressionBody is not { } expressionBody)
                {
                    return original;
                }

                // `=> _db = db;` becomes a block, so the new assignment has somewhere to go.
                var outer = Members.Indentation(original).ToString();
                var eol = Members.EndOfLine(original);
                var statement = ExpressionStatement(expressionBody.Expression.WithoutTrivia())
                    .WithLeadingTrivia(Whitespace(outer + "    ")).WithTrailingTrivia(eol);
                var block = Block(SingletonList<StatementSyntax>(statement))
                    .WithOpenBraceToken(Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(Whitespace(outer)).WithTrailingTrivia(eol))
                    .WithCloseBraceToken(Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(Whitespace(outer)).WithTrailingTrivia(original.SemicolonToken.TrailingTrivia));
                original = original.WithExpressionBody(null).WithSemicolonToken(default)
                    .WithParameterList(original.ParameterList.WithTrailingTrivia(eol))
                    .WithBody(block);
            }

            var parameters = original.ParameterList.AddParameters(original.ParameterList.Parameters.Count == 0 ? parameter : parameter.WithLeadingTrivia(Space));
            var last = original.Body!.Statements.LastOrDefault();
            var assignment = ParseStatement($"{fieldName} = {parameterName};")
                .WithLeadingTrivia(last is null ? Whitespace(Members.Indentation(original).ToString() + "    ") : Members.Indentation(last))
                .WithTrailingTrivia(Members.EndOfLine(original));
            return original.WithParameterList(parameters).WithBody(original.Body!.AddStatements(assignment));
        });
        return root.ReplaceNode(type, Members.InsertFirst(updated, field));
    }
}
