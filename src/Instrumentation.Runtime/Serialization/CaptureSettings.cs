using System.Diagnostics.CodeAnalysis;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Instrumentation.Runtime.Redaction;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// An immutable snapshot of <see cref="AgentTelemetryOptions"/> with the JSON options resolved, read by every span
/// with one volatile field load.
/// </summary>
internal sealed class CaptureSettings
{
    private CaptureSettings(AgentTelemetryOptions options, Redactor? redactor)
    {
        Options = options;
        CaptureContent = options.CaptureContent;
        MaxValueBytes = options.MaxValueBytes;
        Redactor = redactor;
        Json = BuildJsonOptions(options.JsonSerializerOptions, options.MaxValueBytes, redactor);
        TypeShapes = redactor is null ? null : new TypeShapes(Json, redactor);
    }

    public AgentTelemetryOptions Options { get; }

    public bool CaptureContent { get; }

    /// <summary>The redaction policy, or <see langword="null"/> when redaction is off.</summary>
    public Redactor? Redactor { get; }

    /// <summary>What redaction needs to know of each serialized type; <see langword="null"/> when redaction is off.</summary>
    public TypeShapes? TypeShapes { get; }

    public int MaxValueBytes { get; }

    public JsonSerializerOptions Json { get; }

    public static CaptureSettings From(AgentTelemetryOptions options)
    {
        var copy = options.Clone();
        return new CaptureSettings(copy, Redactor.From(copy.Redaction));
    }

    private static JsonSerializerOptions BuildJsonOptions(JsonSerializerOptions? user, int maxValueBytes, Redactor? redactor)
    {
        var json = user is null
            ? new JsonSerializerOptions
            {
                // Traces are read by people in MLflow, not embedded in HTML: keep non-ASCII text readable.
                Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
            }
            : new JsonSerializerOptions(user);

        if (JsonSerializer.IsReflectionEnabledByDefault)
        {
            AddReflectionFallback(json);
        }
        else
        {
            // Reflection is off (Native AOT, or the application's choice): only the user's resolver, if any.
            json.TypeInfoResolver ??= JsonTypeInfoResolver.Combine();
        }

        // Strings inside objects are cut to the cap as they are written, not after the whole value was built, and
        // tested for secret-shaped values on the way (so the object's JSON need not be scanned again).
        json.Converters.Add(new CappedStringConverter(maxValueBytes, redactor));
        json.MakeReadOnly();
        return json;
    }

    [UnconditionalSuppressMessage("Trimming", "IL2026", Justification = "Reached only when JsonSerializer.IsReflectionEnabledByDefault is true, a feature switch the trimmer and the AOT compiler set to false, removing this call.")]
    [UnconditionalSuppressMessage("AOT", "IL3050", Justification = "Reached only when JsonSerializer.IsReflectionEnabledByDefault is true, a feature switch the AOT compiler sets to false, removing this call.")]
    private static void AddReflectionFallback(JsonSerializerOptions json)
    {
        // The user's resolver (a JsonSerializerContext, say) answers first; reflection covers every other type.
        json.TypeInfoResolver = json.TypeInfoResolver is null
            ? new DefaultJsonTypeInfoResolver()
            : JsonTypeInfoResolver.Combine(json.TypeInfoResolver, new DefaultJsonTypeInfoResolver());

        // Enum names read better in a trace than their numbers.
        json.Converters.Add(new JsonStringEnumConverter());
    }
}
