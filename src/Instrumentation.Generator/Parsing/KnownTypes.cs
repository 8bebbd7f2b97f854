using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>The types the rules recognise, looked up by metadata name once per inspection.</summary>
internal sealed class KnownTypes
{
    public const string AgentSpanAttribute = "Instrumentation.AgentSpanAttribute";
    public const string LlmCallAttribute = "Instrumentation.LlmCallAttribute";
    public const string ToolAttribute = "Instrumentation.ToolAttribute";
    public const string NotTracedAttribute = "Instrumentation.NotTracedAttribute";
    public const string RedactAttribute = "Instrumentation.RedactAttribute";
    public const string RuntimeEntryPoint = "Instrumentation.Runtime.AgentTelemetry";

    public KnownTypes(Compilation compilation)
    {
        Task = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task");
        TaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.Task`1");
        ValueTask = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask");
        ValueTaskOfT = compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask`1");
        AsyncEnumerableOfT = compilation.GetTypeByMetadataName("System.Collections.Generic.IAsyncEnumerable`1");
        CancellationToken = compilation.GetTypeByMetadataName("System.Threading.CancellationToken");
        Stream = compilation.GetTypeByMetadataName("System.IO.Stream");
        NotTraced = compilation.GetTypeByMetadataName(NotTracedAttribute);
        Redact = compilation.GetTypeByMetadataName(RedactAttribute);
        HasRuntime = compilation.GetTypeByMetadataName(RuntimeEntryPoint) is not null;
    }

    public INamedTypeSymbol? Task { get; }

    public INamedTypeSymbol? TaskOfT { get; }

    public INamedTypeSymbol? ValueTask { get; }

    public INamedTypeSymbol? ValueTaskOfT { get; }

    public INamedTypeSymbol? AsyncEnumerableOfT { get; }

    public INamedTypeSymbol? CancellationToken { get; }

    public INamedTypeSymbol? Stream { get; }

    public INamedTypeSymbol? NotTraced { get; }

    public INamedTypeSymbol? Redact { get; }

    public bool HasRuntime { get; }

    public static bool IsInstrumentationAttribute(INamedTypeSymbol? type) =>
        type?.ToDisplayString() is AgentSpanAttribute or LlmCallAttribute or ToolAttribute;
}
