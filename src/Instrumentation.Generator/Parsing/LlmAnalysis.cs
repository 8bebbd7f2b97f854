using System.Collections.Generic;
using System.Linq;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// Reads, from types alone, what an <c>[LlmCall]</c> method's parameters and result carry: a conversation, tool
/// definitions, and a response whose usage, model and answer can be read with plain property access.
/// </summary>
internal static class LlmAnalysis
{
    public static LlmModel Analyze(IMethodSymbol method, ReturnShape shape, ITypeSymbol resultType, KnownTypes known,
        IReadOnlyList<ParameterModel> parameters)
    {
        var (request, requestParameter) = FindRequest(method, known, parameters);

        // Tool definitions travel in the SDK's own options type, beside the messages of the same SDK.
        var toolsParameter = request switch
        {
            RequestKind.MicrosoftExtensionsAI => method.Parameters.FirstOrDefault(p => Is(p.Type, known.MeaiChatOptions))?.Name,
            RequestKind.OpenAI => method.Parameters.FirstOrDefault(p => Is(p.Type, known.OpenAIChatCompletionOptions))?.Name,
            _ => null,
        };

        return new LlmModel(
            Response: shape == ReturnShape.AsyncEnumerable ? ResponseKind.Generic : ClassifyResponse(resultType, known),
            Stream: shape == ReturnShape.AsyncEnumerable ? ClassifyStream(resultType, known) : StreamKind.Items,
            Request: request,
            RequestParameter: requestParameter is null ? null : TypeDisplay.Identifier(requestParameter),
            ToolsParameter: toolsParameter is null ? null : TypeDisplay.Identifier(toolsParameter));
    }

    /// <summary>Whether the result exposes token usage; when not, the analyzer reports AIT009.</summary>
    public static bool ExposesUsage(LlmModel model, ReturnShape shape) => shape == ReturnShape.AsyncEnumerable
        ? model.Stream is StreamKind.MicrosoftExtensionsAI or StreamKind.OpenAI
        : model.Response != ResponseKind.Generic;

    private static ResponseKind ClassifyResponse(ITypeSymbol type, KnownTypes known)
    {
        if (Is(type, known.MeaiChatResponse))
        {
            return ResponseKind.MicrosoftExtensionsAI;
        }

        if (Is(type, known.OpenAIChatCompletion))
        {
            return ResponseKind.OpenAI;
        }

        if (type is INamedTypeSymbol { IsGenericType: true } named
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, known.ClientResultOfT)
            && Is(named.TypeArguments[0], known.OpenAIChatCompletion))
        {
            return ResponseKind.OpenAIClientResult;
        }

        if (Is(type, known.AnthropicMessage))
        {
            return ResponseKind.Anthropic;
        }

        return known.LlmResponseInterface is { } contract && (Is(type, contract) || type.AllInterfaces.Any(i => Is(i, contract)))
            ? ResponseKind.Custom
            : ResponseKind.Generic;
    }

    private static StreamKind ClassifyStream(ITypeSymbol item, KnownTypes known)
    {
        if (Is(item, known.MeaiChatResponseUpdate))
        {
            return StreamKind.MicrosoftExtensionsAI;
        }

        if (Is(item, known.OpenAIStreamingUpdate))
        {
            return StreamKind.OpenAI;
        }

        return item.SpecialType == SpecialType.System_String ? StreamKind.Text : StreamKind.Items;
    }

    private static (RequestKind Kind, string? Parameter) FindRequest(IMethodSymbol method, KnownTypes known, IReadOnlyList<ParameterModel> parameters)
    {
        foreach (var parameter in method.Parameters)
        {
            if (IsSequenceOf(parameter.Type, known.MeaiChatMessage, known))
            {
                return (RequestKind.MicrosoftExtensionsAI, parameter.Name);
            }

            if (IsSequenceOf(parameter.Type, known.OpenAIChatMessage, known))
            {
                return (RequestKind.OpenAI, parameter.Name);
            }

            if (Is(parameter.Type, known.AnthropicMessageCreateParams))
            {
                return (RequestKind.Anthropic, parameter.Name);
            }
        }

        // A single recorded string parameter is the prompt; with two or more, which is which is a guess we do not make.
        var strings = method.Parameters
            .Where((p, i) => p.Type.SpecialType == SpecialType.System_String && parameters[i].Capture == CaptureMode.Record)
            .ToList();
        return strings.Count == 1 ? (RequestKind.Prompt, strings[0].Name) : (RequestKind.None, null);
    }

    private static bool IsSequenceOf(ITypeSymbol type, INamedTypeSymbol? element, KnownTypes known)
    {
        if (element is null || known.IEnumerableOfT is null)
        {
            return false;
        }

        bool IsEnumerableOfElement(ITypeSymbol candidate) =>
            candidate is INamedTypeSymbol { IsGenericType: true } named
            && SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, known.IEnumerableOfT)
            && Is(named.TypeArguments[0], element);

        return IsEnumerableOfElement(type) || type.AllInterfaces.Any(IsEnumerableOfElement);
    }

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known) =>
        known is not null && SymbolEqualityComparer.Default.Equals(type.WithNullableAnnotation(NullableAnnotation.NotAnnotated), known);
}
