using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Emitting;
using Instrumentation.Generator.Model;
using Instrumentation.Generator.Parsing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Instrumentation.Generator;

/// <summary>
/// Writes the implementing half of each partial method marked <c>[AgentSpan]</c>, <c>[LlmCall]</c> or <c>[Tool]</c>.
/// </summary>
/// <remarks>
/// One pipeline per attribute: <c>ForAttributeWithMetadataName</c> finds the methods, the inspector turns each into
/// a value-equatable <see cref="InspectedMethod"/> (nothing from the compilation survives that step), and the emitter
/// writes one file per method. A method the rules reject yields no source, and the generator reports the errors that
/// say why: unlike an analyzer's, a generator's diagnostics reach a terminal build even when the compiler then stops
/// at the missing implementation (CS8795). The analyzer reports the warnings and notes.
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class InstrumentationGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Lets the shared SDK adapters be [Embedded]: invisible to other assemblies even through InternalsVisibleTo.
        context.RegisterPostInitializationOutput(static output => output.AddEmbeddedAttributeDefinition());

        Register(context, KnownTypes.AgentSpanAttribute, SpanKind.Agent, TrackingNames.AgentMethods, TrackingNames.AgentModels);
        var llm = Register(context, KnownTypes.LlmCallAttribute, SpanKind.Llm, TrackingNames.LlmMethods, TrackingNames.LlmModels);
        Register(context, KnownTypes.ToolAttribute, SpanKind.Tool, TrackingNames.ToolMethods, TrackingNames.ToolModels);

        // One adapter per SDK the [LlmCall] methods use, emitted once for the whole compilation.
        var sdks = llm
            .SelectMany(static (model, _) => UsedSdks(model))
            .Collect()
            .Select(static (all, _) => string.Join(",", all.Distinct().OrderBy(sdk => sdk).Select(sdk => sdk.ToString())))
            .WithTrackingName(TrackingNames.SdkAdapters);
        context.RegisterSourceOutput(sdks, static (output, names) =>
        {
            foreach (var name in names.Split(new[] { ',' }, StringSplitOptions.RemoveEmptyEntries))
            {
                var (hintName, source) = SdkAdapterEmitter.Emit((LlmSdk)Enum.Parse(typeof(LlmSdk), name));
                output.AddSource(hintName, source);
            }
        });
    }

    private static IEnumerable<LlmSdk> UsedSdks(MethodModel model)
    {
        if (model.Llm is not { } llm)
        {
            yield break;
        }

        if (llm.RequestSdk != LlmSdk.None)
        {
            yield return llm.RequestSdk;
        }

        var response = llm.ResponseSdk(streaming: model.Shape == ReturnShape.AsyncEnumerable);
        if (response != LlmSdk.None)
        {
            yield return response;
        }
    }

    private static IncrementalValuesProvider<MethodModel> Register(IncrementalGeneratorInitializationContext context, string attributeName, SpanKind kind,
        string methodsStep, string modelsStep)
    {
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                (syntaxContext, cancellationToken) => Transform(syntaxContext, attributeName, kind, cancellationToken))
            .Where(static method => method is not null)
            .Select(static (method, _) => method!)
            .WithTrackingName(methodsStep);

        context.RegisterSourceOutput(methods, static (output, method) =>
        {
            foreach (var diagnostic in method.Diagnostics)
            {
                output.ReportDiagnostic(diagnostic.ToDiagnostic());
            }
        });

        var models = methods
            .Where(static method => method.Model is not null)
            .Select(static (method, _) => method.Model!)
            .WithTrackingName(modelsStep);
        context.RegisterSourceOutput(models, static (output, model) => output.AddSource(model.HintName, WrapperEmitter.Emit(model)));
        return models;
    }

    private static InspectedMethod? Transform(GeneratorAttributeSyntaxContext context, string attributeName, SpanKind kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length == 0)
        {
            return null;
        }

        var result = MethodInspector.Inspect(method, context.Attributes[0], kind, context.SemanticModel.Compilation, cancellationToken);
        var diagnostics = ReportsHere(method, context.TargetNode, attributeName)
            ? result.Findings.Where(f => DiagnosticDescriptors.ReportedByGenerator(f.Descriptor)).Select(f => f.ToInfo()).ToEquatableArray()
            : EquatableArray<DiagnosticInfo>.Empty;
        return result.Model is null && diagnostics.Count == 0 ? null : new InspectedMethod(result.Model, diagnostics);
    }

    /// <summary>
    /// Whether this pipeline, at this declaration, reports the method's diagnostics. A method is reached once per
    /// attribute it carries and once per partial part that carries one ([Tool, LlmCall], attributes on both parts);
    /// exactly one of those visits reports: the one at the method's first instrumentation attribute, which sits in one
    /// declaration and names one attribute.
    /// </summary>
    private static bool ReportsHere(IMethodSymbol method, SyntaxNode node, string attributeName)
    {
        var primary = (method.PartialDefinitionPart ?? method).GetAttributes().FirstOrDefault(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass));
        return primary?.ApplicationSyntaxReference is { } reference
            && primary.AttributeClass?.ToDisplayString() == attributeName
            && reference.SyntaxTree == node.SyntaxTree
            && node.Span.Contains(reference.Span);
    }
}
