using System.ComponentModel;
using System;
using System.Text;
using System.Text.Json;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Spans;

namespace Instrumentation.Runtime.CompilerServices;

/// <summary>
/// Records a streamed result (<c>IAsyncEnumerable&lt;T&gt;</c>) on the span that stays open while it is enumerated: counts
/// the items, times the first one on an LLM span, accumulates them into the output within the size cap, and on
/// <see cref="Complete"/> records the output and how the stream ended. Used by generated wrappers; fail-open.
/// </summary>
/// <typeparam name="T">The item type.</typeparam>
/// <remarks>Exists for the code the Instrumentation generator emits into your assembly; not for direct use.</remarks>
[EditorBrowsable(EditorBrowsableState.Never)]
public sealed class StreamRecorder<T>
{
    private readonly LiveSpan _span;
    private readonly LlmSpan _llm;
    private readonly bool _isLlm;
    private readonly bool _adapted;
    private readonly CaptureSettings _settings;
    private readonly JsonBuffer? _items;
    private readonly StringBuilder? _text;
    private int _count;
    private int _droppedItems;
    private long _droppedChars;

    private StreamRecorder(LiveSpan span, LlmSpan llm, bool isLlm, bool adapted)
    {
        _span = span;
        _llm = llm;
        _isLlm = isLlm;
        _adapted = adapted;
        _settings = AgentTelemetry.Settings;
        if (isLlm)
        {
            Chat = new ChatStreamAccumulator(_settings.MaxValueBytes);
        }

        if (adapted || !span.CapturesContent)
        {
            return;
        }

        if (typeof(T) == typeof(string))
        {
            if (!isLlm)
            {
                _text = new StringBuilder();
            }
        }
        else
        {
            _items = JsonBuffer.Rent();
            _items.Writer.WriteStartArray();
        }
    }

    /// <summary>The chat answer being rebuilt, for an LLM span; generated SDK adapters write into it.</summary>
    public ChatStreamAccumulator? Chat { get; }

    /// <summary>Records a stream on an agent or tool span.</summary>
    public static StreamRecorder<T> For(LiveSpan span) => new(span, default, isLlm: false, adapted: false);

    /// <summary>Records a stream on an LLM span.</summary>
    /// <param name="span">The span.</param>
    /// <param name="adapted">Whether a generated SDK adapter feeds <see cref="Chat"/> from each item; otherwise string
    /// items are the answer's text and other items are recorded as a JSON array.</param>
    public static StreamRecorder<T> For(LlmSpan span, bool adapted) => new(span.Span, span, isLlm: true, adapted);

    /// <summary>Notes one item as it is yielded.</summary>
    public void OnItem(T item)
    {
        var index = _count++;
        try
        {
            if (_isLlm)
            {
                _llm.RecordChunk(item, index);
                if (!_adapted && item is string text)
                {
                    Chat!.AppendText(text);
                    return;
                }
            }

            if (_text is not null)
            {
                AppendText((string)(object)item!);
            }
            else if (_items is { } items)
            {
                AppendItem(items, item);
            }
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording a streamed item on " + _span.Activity?.DisplayName, ex);
        }
    }

    /// <summary>Records the output and the outcome; called once, when enumeration ends however it ends.</summary>
    public void Complete(StreamOutcome outcome)
    {
        try
        {
            _span.SetAttribute(InstrumentationAttributes.StreamOutcome, outcome switch
            {
                StreamOutcome.Completed => "completed",
                StreamOutcome.Failed => "failed",
                _ => "abandoned",
            });
            _span.SetAttribute(InstrumentationAttributes.StreamChunks, _count);

            if (Chat is { } chat && (chat.HasContent || chat.HasUsage || chat.Model is not null))
            {
                if (chat.HasUsage)
                {
                    _llm.SetUsage(chat.Usage, chat.ProviderUsage);
                }

                _llm.SetResponse(chat.Model, chat.ResponseId, chat.FinishReason);
                if (chat.HasContent)
                {
                    _llm.SetChatOutput(chat.ToMessage(), chat.FinishReason);
                }
            }
            else if (_text is not null)
            {
                var text = _text.ToString();
                _span.SetOutput(_droppedChars == 0 ? text : text + "…[truncated: " + _droppedChars + " more characters]");
            }
            else if (_items is { } items)
            {
                if (_droppedItems > 0)
                {
                    items.Writer.WriteStringValue("…[" + _droppedItems + " more items not recorded]");
                }

                items.Writer.WriteEndArray();
                _span.SetOutputJson(items.ToUtf8String());
            }
        }
        catch (Exception ex)
        {
            FailOpen.Report("completing a stream on " + _span.Activity?.DisplayName, ex);
        }
        finally
        {
            _items?.Return();
        }
    }

    private void AppendText(string text)
    {
        var room = _settings.MaxValueBytes - _text!.Length;
        if (room >= text.Length)
        {
            _text.Append(text);
            return;
        }

        _text.Append(text, 0, Math.Max(room, 0));
        _droppedChars += text.Length - Math.Max(room, 0);
    }

    private void AppendItem(JsonBuffer items, T item)
    {
        // Once the array reaches the cap, later items are counted, not recorded, so the JSON stays whole.
        if (_droppedItems > 0 || items.WrittenCount >= _settings.MaxValueBytes)
        {
            _droppedItems++;
            return;
        }

        SpanJson.WriteValue(items.Writer, item, _settings);
    }
}
