using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Testing.FakeMlflow;

/// <summary>
/// Token usage summed the way MLflow computes a trace's <c>mlflow.trace.tokenUsage</c>: over every span that carries
/// <c>mlflow.chat.tokenUsage</c>, or, failing that, GenAI <c>gen_ai.usage.*</c> counts (so usage on a root and on its LLM
/// child counts twice, as on the real server).
/// </summary>
public sealed record FakeTokenUsage(long InputTokens, long OutputTokens, long TotalTokens, long CacheReadInputTokens, long CacheCreationInputTokens);

/// <summary>
/// What MLflow would show for one trace, derived from the spans the fake accepted, following the contract's
/// trace-level rules: id <c>tr-&lt;32 hex&gt;</c>; <c>IN_PROGRESS</c> until a root span (no parent) arrives, then
/// <c>ERROR</c> when the root's status is Error and <c>OK</c> otherwise; name, previews, session and user from the
/// root; token usage summed over every span.
/// </summary>
public sealed class FakeTrace
{
    /// <summary>How long MLflow's request and response previews may be.</summary>
    public const int PreviewLength = 1000;

    internal FakeTrace(string otlpTraceId, IReadOnlyList<ReceivedSpan> spans)
    {
        OtlpTraceId = otlpTraceId;
        Spans = spans;
    }

    /// <summary>MLflow's trace id: <c>tr-</c> and the 32 hex digits of the OTLP trace id.</summary>
    public string TraceId => "tr-" + OtlpTraceId;

    /// <summary>The OTLP trace id, 32 lowercase hex digits.</summary>
    public string OtlpTraceId { get; }

    /// <summary>The spans received for the trace, in arrival order.</summary>
    public IReadOnlyList<ReceivedSpan> Spans { get; }

    /// <summary>The experiment of the trace's first span (the trace row is created by its first span).</summary>
    public string ExperimentId => Spans[0].ExperimentId;

    /// <summary>The root span (no parent), once it has arrived.</summary>
    public ReceivedSpan? Root => Spans.FirstOrDefault(s => s.IsRoot);

    /// <summary><c>IN_PROGRESS</c> without a root; with one, <c>ERROR</c> for an Error root and <c>OK</c> for Ok or Unset.</summary>
    public string State => Root switch
    {
        null => "IN_PROGRESS",
        { Status: ReceivedStatus.Error } => "ERROR",
        _ => "OK",
    };

    /// <summary>The trace name: the root span's name.</summary>
    public string? Name => Root?.Name;

    /// <summary>The <c>request_preview</c>: the root's inputs, cut to 1000 characters (for a long chat request, the
    /// last user message), empty without inputs.</summary>
    public string RequestPreview => Preview(Root?.Attribute(MlflowAttributes.SpanInputs), "user");

    /// <summary>The <c>response_preview</c>: the root's outputs, cut like <see cref="RequestPreview"/>.</summary>
    public string ResponsePreview => Preview(Root?.Attribute(MlflowAttributes.SpanOutputs), "assistant");

    /// <summary>The trace metadata <c>mlflow.trace.session</c>: the root span's <c>session.id</c>.</summary>
    public string? Session => Root?.Attribute(CommonAttributes.SessionId);

    /// <summary>The trace metadata <c>mlflow.trace.user</c>: the root span's <c>user.id</c>.</summary>
    public string? User => Root?.Attribute(CommonAttributes.UserId);

    /// <summary>The trace's token usage (see <see cref="FakeTokenUsage"/>), or <see langword="null"/> when no span carries any.</summary>
    public FakeTokenUsage? TokenUsage
    {
        get
        {
            FakeTokenUsage? total = null;
            foreach (var span in Spans)
            {
                if ((span.Attribute(MlflowAttributes.ChatTokenUsage) ?? TranslatedGenAiUsage(span)) is not { } json)
                {
                    continue;
                }

                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                var input = Read(root, "input_tokens");
                var output = Read(root, "output_tokens");
                var usage = new FakeTokenUsage(
                    input,
                    output,
                    root.TryGetProperty("total_tokens", out _) ? Read(root, "total_tokens") : input + output,
                    Read(root, "cache_read_input_tokens"),
                    Read(root, "cache_creation_input_tokens"));
                total = total is null
                    ? usage
                    : new FakeTokenUsage(
                        total.InputTokens + usage.InputTokens,
                        total.OutputTokens + usage.OutputTokens,
                        total.TotalTokens + usage.TotalTokens,
                        total.CacheReadInputTokens + usage.CacheReadInputTokens,
                        total.CacheCreationInputTokens + usage.CacheCreationInputTokens);
            }

            return total;
        }
    }

    /// <summary>The one span named <paramref name="name"/>; throws when there is none or several.</summary>
    public ReceivedSpan Span(string name)
    {
        var matches = Spans.Where(s => s.Name == name).ToList();
        return matches.Count == 1
            ? matches[0]
            : throw new InvalidOperationException($"Expected one span named '{name}' in {TraceId}, found {matches.Count}: {string.Join(", ", Spans.Select(s => s.Name))}");
    }

    /// <summary>The spans whose parent is <paramref name="parent"/>, in start order.</summary>
    public IReadOnlyList<ReceivedSpan> ChildrenOf(ReceivedSpan parent) =>
        Spans.Where(s => s.ParentSpanId == parent.SpanId).OrderBy(s => s.StartTimeUnixNano).ToList();

    /// <inheritdoc/>
    public override string ToString() => $"{TraceId} {Name ?? "(no root yet)"} {State}, {Spans.Count} spans";

    /// <summary>
    /// The usage MLflow's GenAI semantic-convention translation derives at ingestion from a span without
    /// <c>mlflow.chat.tokenUsage</c>: <c>gen_ai.usage.input_tokens</c> and <c>gen_ai.usage.output_tokens</c>, on any
    /// span (so an agent span's aggregate is counted again beside its model calls, as reported from a real server
    /// with Microsoft's <c>UseOpenTelemetry()</c> spans).
    /// </summary>
    private static string? TranslatedGenAiUsage(ReceivedSpan span)
    {
        var input = span.Attribute(GenAiAttributes.UsageInputTokens);
        var output = span.Attribute(GenAiAttributes.UsageOutputTokens);
        if (input is null && output is null)
        {
            return null;
        }

        return $"{{\"input_tokens\":{input ?? "0"},\"output_tokens\":{output ?? "0"}}}";
    }

    private static long Read(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetInt64() : 0;

    private static string Preview(string? text, string role)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        if (text.Length <= PreviewLength)
        {
            return text;
        }

        var content = LastMessageContent(text, role) ?? text;
        return content.Length <= PreviewLength ? content : content[..(PreviewLength - 3)] + "...";
    }

    /// <summary>The content of the last chat message with <paramref name="role"/> in OpenAI request or response shape.</summary>
    private static string? LastMessageContent(string json, string role)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            IEnumerable<JsonElement> messages = Enumerable.Empty<JsonElement>();
            if (root.TryGetProperty("messages", out var list) && list.ValueKind == JsonValueKind.Array)
            {
                messages = list.EnumerateArray().ToList();
            }
            else if (root.TryGetProperty("choices", out var choices) && choices.ValueKind == JsonValueKind.Array)
            {
                messages = choices.EnumerateArray()
                    .Where(c => c.ValueKind == JsonValueKind.Object && c.TryGetProperty("message", out _))
                    .Select(c => c.GetProperty("message"))
                    .ToList();
            }

            return messages
                .Where(m => m.ValueKind == JsonValueKind.Object && m.TryGetProperty("role", out var r) && r.GetString() == role
                    && m.TryGetProperty("content", out var c) && c.ValueKind == JsonValueKind.String)
                .Select(m => m.GetProperty("content").GetString())
                .LastOrDefault();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
