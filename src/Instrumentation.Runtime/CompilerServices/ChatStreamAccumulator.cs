using System.ComponentModel;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.CompilerServices;

/// <summary>
/// Rebuilds the assistant message of a streamed chat response from its chunks: text, tool calls (assembled from their
/// deltas), usage, model, response id and finish reason. Generated code feeds it from each SDK's update type; the text it
/// keeps is bounded by <see cref="AgentTelemetryOptions.MaxValueBytes"/> characters.
/// </summary>
/// <remarks>Exists for the code the Instrumentation generator emits into your assembly; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class ChatStreamAccumulator
{
    private readonly int _maxChars;
    private readonly StringBuilder _text = new();
    private readonly SortedDictionary<int, ToolCallParts> _toolCalls = new();
    private long _droppedChars;
    private bool _hasUsage;

    internal ChatStreamAccumulator(int maxChars) => _maxChars = maxChars;

    /// <summary>The usage reported so far: later reports fill in or replace counts field by field.</summary>
    public TokenUsage Usage { get; private set; }

    /// <summary>The provider's own usage object from the last chunk that carried one.</summary>
    public object? ProviderUsage { get; private set; }

    /// <summary>The model that answered.</summary>
    public string? Model { get; set; }

    /// <summary>The provider's response id.</summary>
    public string? ResponseId { get; set; }

    /// <summary>Why the model stopped.</summary>
    public string? FinishReason { get; set; }

    internal bool HasContent => _text.Length > 0 || _droppedChars > 0 || _toolCalls.Count > 0;

    internal bool HasUsage => _hasUsage;

    /// <summary>Appends a chunk of the answer's text.</summary>
    public void AppendText(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        var room = _maxChars - _text.Length;
        if (room >= text.Length)
        {
            _text.Append(text);
        }
        else
        {
            _text.Append(text, 0, System.Math.Max(room, 0));
            _droppedChars += text.Length - System.Math.Max(room, 0);
        }
    }

    /// <summary>Adds a piece of the tool call at <paramref name="index"/>: the first piece usually brings the id and name,
    /// later ones more of the arguments' JSON text.</summary>
    public void AppendToolCall(int index, string? id, string? name, string? argumentsDelta)
    {
        if (!_toolCalls.TryGetValue(index, out var parts))
        {
            parts = new ToolCallParts();
            _toolCalls.Add(index, parts);
        }

        parts.Id ??= id;
        parts.Name ??= name;
        parts.Arguments.Append(argumentsDelta);
    }

    /// <summary>Adds a tool call that arrived whole.</summary>
    public void AddToolCall(string? id, string name, string? argumentsJson) =>
        AppendToolCall(_toolCalls.Count == 0 ? 0 : _toolCalls.Keys.Max() + 1, id, name, argumentsJson);

    /// <summary>Records usage from a chunk; counts it leaves unknown keep their earlier value.</summary>
    public void SetUsage(in TokenUsage usage, object? providerUsage = null)
    {
        var previous = Usage;
        Usage = new TokenUsage
        {
            InputTokens = usage.InputTokens ?? previous.InputTokens,
            OutputTokens = usage.OutputTokens ?? previous.OutputTokens,
            TotalTokens = usage.TotalTokens ?? previous.TotalTokens,
            CacheReadInputTokens = usage.CacheReadInputTokens ?? previous.CacheReadInputTokens,
            CacheCreationInputTokens = usage.CacheCreationInputTokens ?? previous.CacheCreationInputTokens,
            ReasoningOutputTokens = usage.ReasoningOutputTokens ?? previous.ReasoningOutputTokens,
        };
        ProviderUsage = providerUsage ?? ProviderUsage;
        _hasUsage |= usage.HasAny;
    }

    internal RecordedChatMessage ToMessage()
    {
        var text = _text.Length == 0 && _droppedChars == 0 ? null : _text.ToString();
        if (_droppedChars > 0)
        {
            text += "…[truncated: " + _droppedChars + " more characters]";
        }

        var calls = _toolCalls.Values.Select(p => new RecordedToolCall(p.Id, p.Name ?? "?", p.Arguments.Length == 0 ? null : p.Arguments.ToString())).ToList();
        return new RecordedChatMessage("assistant", text, calls.Count == 0 ? null : calls);
    }

    private sealed class ToolCallParts
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public StringBuilder Arguments { get; } = new();
    }
}
