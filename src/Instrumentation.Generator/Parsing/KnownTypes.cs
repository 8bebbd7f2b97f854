using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// The types the rules recognise, looked up by metadata name once per compilation: the generator builds one from its
/// compilation provider, the analyzer one per compilation start. It holds symbols, so it is an input of the
/// inspection and never part of a cached model.
/// </summary>
internal sealed class KnownTypes
{
    public const string AgentSpanAttribute = "Instrumentation.AgentSpanAttribute";
    public const string LlmCallAttribute = "Instrumentation.LlmCallAttribute";
    public const string ToolAttribute = "Instrumentation.ToolAttribute";
    public const string NotTracedAttribute = "Instrumentation.NotTracedAttribute";
    public const string RedactAttribute = "Instrumentation.RedactAttribute";
    /// <summary>The attribute the emitter puts on what it writes; compared by name, as the instrumentation attributes are.</summary>
    public const string GeneratedCodeAttribute = "System.CodeDom.Compiler.GeneratedCodeAttribute";
    public const string RuntimeEntryPoint = "Instrumentation.Runtime.AgentTelemetry";

    public KnownTypes(Compilation compilation)
    {
        Compilation = compilation;
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        MemberInfo = compilation.GetTypeByMetadataName("System.Reflection.MemberInfo");
        Assembly = compilation.GetTypeByMetadataName("System.Reflection.Assembly");
        WaitHandle = compilation.GetTypeByMetadataName("System.Threading.WaitHandle");
        CancellationTokenSource = compilation.GetTypeByMetadataName("System.Threading.CancellationTokenSource");
        NotTraced = compilation.GetTypeByMetadataName(NotTracedAttribute);
        Redact = compilation.GetTypeByMetadataName(RedactAttribute);
        HasRuntime = compilation.GetTypeByMetadataName(RuntimeEntryPoint) is not null;
        LlmResponseInterface = compilation.GetTypeByMetadataName("Instrumentation.Runtime.Llm.ILlmResponse");
        IEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IEnumerable`1");
        MeaiChatResponse = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatResponse");
        MeaiChatResponseUpdate = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatResponseUpdate");
        MeaiChatMessage = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatMessage");
        MeaiChatOptions = compilation.GetTypeByMetadataName("Microsoft.Extensions.AI.ChatOptions");
        OpenAIChatCompletion = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatCompletion");
        OpenAIStreamingUpdate = compilation.GetTypeByMetadataName("OpenAI.Chat.StreamingChatCompletionUpdate");
        OpenAIChatMessage = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatMessage");
        OpenAIChatCompletionOptions = compilation.GetTypeByMetadataName("OpenAI.Chat.ChatCompletionOptions");
        ClientResultOfT = compilation.GetTypeByMetadataName("System.ClientModel.ClientResult`1");
        AnthropicMessage = compilation.GetTypeByMetadataName("Anthropic.Models.Messages.Message");
        AnthropicMessageCreateParams = compilation.GetTypeByMetadataName("Anthropic.Models.Messages.MessageCreateParams");
    }

    /// <summary>The compilation the types were looked up in.</summary>
    public Compilation Compilation { get; }

    public INamedTypeSymbol? LlmResponseInterface { get; }

    public INamedTypeSymbol? IEnumerableOfT { get; }

    public INamedTypeSymbol? MeaiChatResponse { get; }

    public INamedTypeSymbol? MeaiChatResponseUpdate { get; }

    public INamedTypeSymbol? MeaiChatMessage { get; }

    public INamedTypeSymbol? MeaiChatOptions { get; }

    public INamedTypeSymbol? OpenAIChatCompletion { get; }

    public INamedTypeSymbol? OpenAIStreamingUpdate { get; }

    public INamedTypeSymbol? OpenAIChatMessage { get; }

    public INamedTypeSymbol? OpenAIChatCompletionOptions { get; }

    public INamedTypeSymbol? ClientResultOfT { get; }

    public INamedTypeSymbol? AnthropicMessage { get; }

    public INamedTypeSymbol? AnthropicMessageCreateParams { get; }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? AsyncEnumerableOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Stream { get; }

    public INamedTypeSymbol? MemberInfo { get; }

    public INamedTypeSymbol? Assembly { get; }

    public INamedTypeSymbol? WaitHandle { get; }

    public INamedTypeSymbol? CancellationTokenSource { get; }

    public INamedTypeSymbol? NotTraced { get; }

    public INamedTypeSymbol? Redact { get; }

    public bool HasRuntime { get; }

    public static bool IsInstrumentationAttribute(INamedTypeSymbol? type) =>
        type?.ToDisplayString() is AgentSpanAttribute or LlmCallAttribute or ToolAttribute;
}
