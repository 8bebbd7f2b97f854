using System;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Model;
using Instrumentation.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Instrumentation.Generator.Analyzers;

/// <summary>
/// Reports why a method marked <c>[AgentSpan]</c>, <c>[LlmCall]</c> or <c>[Tool]</c> is not traced, or what its span
/// will not record. The rules are the generator's own (<see cref="MethodInspector"/>): the analyzer reports exactly the
/// inspector's warnings and notes, once per method; the generator reports the errors (see
/// <see cref="DiagnosticDescriptors.ReportedByGenerator"/>) and emits nothing for a method with a warning or an error.
/// </summary>
/// <remarks>
/// The generator only ever looks at method declarations. The analyzer also looks where C# accepts the attributes but
/// the generator never goes: local functions, lambdas, accessors, operators, finalizers.
/// </remarks>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InstrumentedMethodAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = DiagnosticDescriptors.ReportedByAnalyzer;

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        // Analyze, not None: the generator marks its implementation of a traced partial method [GeneratedCode], and
        // attributes of a partial method's two parts merge, so the compiler counts the user's declaration as generated
        // code too. Diagnostics inside generated files are still not reported (no ReportDiagnostics); ours point at
        // the user's declaration.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.Analyze);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            // A compilation that cannot see the attributes has nothing to analyze.
            if (start.Compilation.GetTypeByMetadataName(KnownTypes.ToolAttribute) is null
                && start.Compilation.GetTypeByMetadataName(KnownTypes.AgentSpanAttribute) is null
                && start.Compilation.GetTypeByMetadataName(KnownTypes.LlmCallAttribute) is null)
            {
                return;
            }

            var known = new KnownTypes(start.Compilation);
            start.RegisterSymbolAction(symbolContext =>
            {
                var method = (IMethodSymbol)symbolContext.Symbol;

                // Members declared by their own syntax (accessors, operators, ...) are analyzed from that syntax below;
                // a partial method once, from its defining part.
                if (method.MethodKind is MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation && method.PartialDefinitionPart is null)
                {
                    Analyze(method, known, symbolContext.ReportDiagnostic, symbolContext.CancellationToken);
                }
            }, SymbolKind.Method);

            start.RegisterSyntaxNodeAction(nodeContext =>
            {
                if (AttributeLists(nodeContext.Node).Count == 0)
                {
                    return;
                }

                var symbol = nodeContext.Node is AnonymousFunctionExpressionSyntax lambda
                    ? nodeContext.SemanticModel.GetSymbolInfo(lambda, nodeContext.CancellationToken).Symbol
                    : nodeContext.SemanticModel.GetDeclaredSymbol(nodeContext.Node, nodeContext.CancellationToken);
                if (symbol is IMethodSymbol method)
                {
                    Analyze(method, known, nodeContext.ReportDiagnostic, nodeContext.CancellationToken);
                }
            },
            SyntaxKind.LocalFunctionStatement, SyntaxKind.ParenthesizedLambdaExpression, SyntaxKind.SimpleLambdaExpression,
            SyntaxKind.GetAccessorDeclaration, SyntaxKind.SetAccessorDeclaration, SyntaxKind.InitAccessorDeclaration,
            SyntaxKind.AddAccessorDeclaration, SyntaxKind.RemoveAccessorDeclaration,
            SyntaxKind.OperatorDeclaration, SyntaxKind.ConversionOperatorDeclaration, SyntaxKind.DestructorDeclaration);
        });
    }

    private static SyntaxList<AttributeListSyntax> AttributeLists(SyntaxNode node) => node switch
    {
        LocalFunctionStatementSyntax localFunction => localFunction.AttributeLists,
        LambdaExpressionSyntax lambda => lambda.AttributeLists,
        AccessorDeclarationSyntax accessor => accessor.AttributeLists,
        MemberDeclarationSyntax member => member.AttributeLists,
        _ => default,
    };

    private static void Analyze(IMethodSymbol method, KnownTypes known, Action<Diagnostic> report, CancellationToken cancellationToken)
    {
        // Inspected once per method, whichever and however many instrumentation attributes it has.
        var attribute = method.GetAttributes().FirstOrDefault(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass));
        if (attribute is null)
        {
            return;
        }

        // The inspection keeps only what the analyzer reports: each finding becomes a diagnostic, and is reported.
        var result = MethodInspector.Inspect(method, attribute, KindOf(attribute), known, Reporter.Analyzer, cancellationToken);
        foreach (var finding in result.Findings)
        {
            report(finding.ToDiagnostic());
        }
    }

    private static SpanKind KindOf(AttributeData attribute) => attribute.AttributeClass?.ToDisplayString() switch
    {
        KnownTypes.AgentSpanAttribute => SpanKind.Agent,
        KnownTypes.LlmCallAttribute => SpanKind.Llm,
        _ => SpanKind.Tool,
    };
}
