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
/// <para>
/// One pipeline per attribute. <c>ForAttributeWithMetadataName</c> finds the methods; each is combined with the
/// compilation's <see cref="KnownTypes"/> (resolved once per compilation, not once per method) and the inspector turns
/// it into a value-equatable <see cref="InspectedMethod"/>: from that step on nothing of the compilation survives, so an
/// edit elsewhere yields an equal value and the emitter does not run again. The emitter writes one file per method.
/// </para>
/// <para>
/// A method the rules reject yields no source, and the generator reports the errors that say why: unlike an
/// analyzer's, a generator's diagnostics reach a terminal build even when the compiler then stops at the missing
/// implementation (CS8795). The analyzer reports the warnings and notes.
/// </para>
/// </remarks>
[Generator(LanguageNames.CSharp)]
public sealed class InstrumentationGenerator : IIncrementalGenerator
{
    /// <inheritdoc/>
    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        // Lets the shared SDK adapters be [Embedded]: invisible to other assemblies even through InternalsVisibleTo.
        context.RegisterPostInitializationOutput(static output => output.AddEmbeddedAttributeDefinition());

        // Holds symbols, so it is new for every compilation; it is only ever an input of the inspection, never part of its output.
        var knownTypes = context.CompilationProvider
            .Select(static (compilation, _) => new KnownTypes(compilation))
            .WithTrackingName(TrackingNames.KnownTypes);

        Register(context, knownTypes, KnownTypes.AgentSpanAttribute, SpanKind.Agent, TrackingNames.AgentMethods, TrackingNames.AgentModels);
        var llm = Register(context, knownTypes, KnownTypes.LlmCallAttribute, SpanKind.Llm, TrackingNames.LlmMethods, TrackingNames.LlmModels);
        Register(context, knownTypes, KnownTypes.ToolAttribute, SpanKind.Tool, TrackingNames.ToolMethods, TrackingNames.ToolModels);

        // One adapter per SDK the [LlmCall] methods use, emitted once for the whole compilation. The set is sorted so
        // the same SDKs in another order compare equal.
        var sdks = llm
            .SelectMany(static (model, _) => UsedSdks(model))
            .Collect()
            .Select(static (all, _) => all.Distinct().OrderBy(sdk => sdk).ToEquatableArray())
            .WithTrackingName(TrackingNames.SdkAdapters);
        context.RegisterSourceOutput(sdks, static (output, used) =>
        {
            if (used.Count > 0)
            {
                var (failOpenHintName, failOpen) = SdkAdapterEmitter.EmitFailOpen();
                output.AddSource(failOpenHintName, failOpen);
            }

            foreach (var sdk in used)
            {
                var (hintName, source) = SdkAdapterEmitter.Emit(sdk);
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

    private static IncrementalValuesProvider<MethodModel> Register(IncrementalGeneratorInitializationContext context, IncrementalValueProvider<KnownTypes> knownTypes,
        string attributeName, SpanKind kind, string methodsStep, string modelsStep)
    {
        // The attribute context holds the semantic model: it lives only until the inspection below turns it into values.
        var methods = context.SyntaxProvider
            .ForAttributeWithMetadataName(attributeName, static (node, _) => node is MethodDeclarationSyntax, static (syntaxContext, _) => syntaxContext)
            .Combine(knownTypes)
            .Select((pair, cancellationToken) => Transform(pair.Left, pair.Right, attributeName, kind, cancellationToken))
            .WithTrackingName(methodsStep)
            .Where(static method => method is not null)
            .Select(static (method, _) => method!);

        // Diagnostics are built here, when they are reported, from the values the inspection kept.
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

    private static InspectedMethod? Transform(GeneratorAttributeSyntaxContext context, KnownTypes known, string attributeName, SpanKind kind,
        CancellationToken cancellationToken)
    {
        if (context.TargetSymbol is not IMethodSymbol method || context.Attributes.Length == 0)
        {
            return null;
        }

        // Only the visit that reports builds findings; the others only learn whether the method gets a wrapper.
        var reporter = ReportsHere(method, context.TargetNode, attributeName) ? Reporter.Generator : Reporter.None;
        var result = MethodInspector.Inspect(method, context.Attributes[0], kind, known, reporter, cancellationToken);
        var diagnostics = result.Findings.Select(f => f.ToInfo()).ToEquatableArray();
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
