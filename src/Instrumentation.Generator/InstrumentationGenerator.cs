using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
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
/// a value-equatable <see cref="MethodModel"/> (nothing from the compilation survives that step), and the emitter
/// writes one file per method. A method the rules reject yields no model and no source; the analyzer explains why.
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
        var models = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                attributeName,
                static (node, _) => node is MethodDeclarationSyntax,
                (syntaxContext, cancellationToken) => Transform(syntaxContext, kind, cancellationToken))
            .WithTrackingName(methodsStep)
            .Where(static model => model is not null)
            .Select(static (model, _) => model!)
            .WithTrackingName(modelsStep);

        context.RegisterSourceOutput(models, static (output, model) =>
            output.AddSource(model.HintName, WrapperEmitter.Emit(model)));
        return models;
    }

    private static MethodModel? Transform(GeneratorAttributeSyntaxContext context, SpanKind kind, CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length == 0)
        {
            return null;
        }

        return MethodInspector.Inspect(method, context.Attributes[0], kind, context.SemanticModel.Compilation, cancellationToken).Model;
    }
}
