using System;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// A reusable UTF-8 JSON buffer and writer. Two are cached per thread, because one level of nesting is the normal
/// case: a span's JSON (inputs, chat messages) is being written while a non-primitive value in it is serialized apart
/// first (<see cref="SpanJson"/>), so it can be capped or replaced by a placeholder. With one cached buffer, that
/// scratch buffer was a new allocation (a writer and its 256-byte array) for every such value. A caller takes a buffer, so a deeper
/// use on the same thread (a property getter that calls another traced method while being serialized) gets a fresh
/// one instead of writing into a buffer in use.
/// </summary>
internal sealed class JsonBuffer
{
    // A buffer that grew past this goes back to the pool rather than staying cached, so one huge value does not pin
    // memory per thread.
    private const int MaxCachedCapacity = 1024 * 1024;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    [ThreadStatic]
    private static JsonBuffer? t_first;

    [ThreadStatic]
    private static JsonBuffer? t_second;

    private readonly CappedBufferWriter _bytes = new(256);

    private JsonBuffer()
    {
        Writer = new Utf8JsonWriter(_bytes, s_writerOptions);
    }

    public Utf8JsonWriter Writer { get; }

    public int WrittenCount
    {
        get
        {
            Writer.Flush();
            return _bytes.WrittenCount;
        }
    }

    public ReadOnlySpan<byte> WrittenSpan
    {
        get
        {
            Writer.Flush();
            return _bytes.WrittenSpan;
        }
    }

    /// <summary>The most bytes this buffer may hold before writing throws <see cref="CapReachedException"/>; reset
    /// to no limit by <see cref="Return"/>.</summary>
    public int Limit
    {
        get => _bytes.Limit;
        set => _bytes.Limit = value;
    }

    /// <summary>What reached the buffer, without flushing the writer: after <see cref="CapReachedException"/> the
    /// writer's state is not to be trusted, the buffer's is.</summary>
    public ReadOnlySpan<byte> CommittedSpan => _bytes.WrittenSpan;

    public static JsonBuffer Rent()
    {
        var buffer = t_first;
        if (buffer is not null)
        {
            t_first = null;
            return buffer;
        }

        buffer = t_second;
        if (buffer is not null)
        {
            t_second = null;
            return buffer;
        }

        return new JsonBuffer();
    }

    public string ToUtf8String() => Encoding.UTF8.GetString(WrittenSpan);

    public void Return()
    {
        Writer.Reset();
        _bytes.Reset(MaxCachedCapacity);
        if (t_first is null)
        {
            t_first = this;
        }
        else
        {
            t_second ??= this;
        }
    }
}
