using System;
using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// A reusable UTF-8 JSON buffer and writer. One is cached per thread; a caller takes it, so a nested use on the
/// same thread (a property getter that calls another traced method while being serialized) gets a fresh one
/// instead of writing into a buffer in use.
/// </summary>
internal sealed class JsonBuffer
{
    // A buffer that grew past this is dropped rather than cached, so one huge value does not pin memory per thread.
    private const int MaxCachedCapacity = 1024 * 1024;

    private static readonly JsonWriterOptions s_writerOptions = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        SkipValidation = false,
    };

    [ThreadStatic]
    private static JsonBuffer? t_cached;

    private readonly ArrayBufferWriter<byte> _bytes = new(256);

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

    public static JsonBuffer Rent()
    {
        var buffer = t_cached;
        if (buffer is null)
        {
            return new JsonBuffer();
        }

        t_cached = null;
        return buffer;
    }

    public string ToUtf8String() => Encoding.UTF8.GetString(WrittenSpan);

    public void Return()
    {
        Writer.Reset();
        if (_bytes.Capacity > MaxCachedCapacity)
        {
            return;
        }

        _bytes.ResetWrittenCount();
        t_cached = this;
    }
}
