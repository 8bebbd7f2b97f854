using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Extensions.AI;

namespace AgentDemo;

/// <summary>
/// The JSON contracts of the demo's own types, generated at compile time, so the demo also runs trimmed (where
/// reflection-based JSON is off): Microsoft.Extensions.AI uses them to call the tools, and the instrumentation uses
/// them to record the tools' inputs and outputs.
/// </summary>
[JsonSerializable(typeof(Forecast))]
[JsonSerializable(typeof(IDictionary<string, object?>))]
[JsonSerializable(typeof(Dictionary<string, object?>))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(string))]
internal sealed partial class DemoJsonContext : JsonSerializerContext
{
}

internal static class DemoJson
{
    /// <summary>The demo's contracts first, then Microsoft.Extensions.AI's own (messages, contents, JSON elements).</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Tool-call arguments as JSON text.</summary>
    public static string Serialize(IDictionary<string, object?>? arguments) =>
        arguments is null ? "{}" : JsonSerializer.Serialize(arguments, (JsonTypeInfo<IDictionary<string, object?>>)Options.GetTypeInfo(typeof(IDictionary<string, object?>)));

    /// <summary>Tool-call arguments from JSON text.</summary>
    public static Dictionary<string, object?>? DeserializeArguments(string json) =>
        JsonSerializer.Deserialize(json, (JsonTypeInfo<Dictionary<string, object?>>)Options.GetTypeInfo(typeof(Dictionary<string, object?>)));

    private static JsonSerializerOptions Create()
    {
        var options = new JsonSerializerOptions(AIJsonUtilities.DefaultOptions)
        {
            TypeInfoResolver = JsonTypeInfoResolver.Combine(DemoJsonContext.Default, AIJsonUtilities.DefaultOptions.TypeInfoResolver),
        };
        options.MakeReadOnly();
        return options;
    }
}
