using System;
using System.Buffers;
using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Instrumentation.Benchmarks.HandWritten;

/// <summary>
/// What a careful author writes by hand: an <see cref="ActivitySource"/> of their own (the tracer provider listens to it
/// exactly as to the runtime's, through the same single SDK listener, so neither side gets a cheaper StartActivity),
/// and a content-capture switch read once per span, as the runtime reads its options.
/// </summary>
public static class HandWrittenSource
{
    public const string Name = "Instrumentation.Benchmarks.HandWritten";

    public static readonly ActivitySource Source = new(Name);

    /// <summary>The counterpart of <c>AgentTelemetryOptions.CaptureContent</c>.</summary>
    public static volatile bool CaptureContent = true;
}

/// <summary>
/// A pooled UTF-8 JSON writer: an <see cref="ArrayBufferWriter{T}"/> and a <see cref="Utf8JsonWriter"/> per thread,
/// reset between values, so writing a value allocates only its final string. Same encoder as the runtime (relaxed
/// escaping), so both sides produce the same text. Two per thread: <see cref="Main"/> for an attribute value, and
/// <see cref="Scratch"/> for a JSON text nested inside it as a string (tool-call arguments).
/// </summary>
public sealed class PooledJson
{
    [ThreadStatic]
    private static PooledJson? t_main;

    [ThreadStatic]
    private static PooledJson? t_scratch;

    private readonly ArrayBufferWriter<byte> _buffer = new(256);

    private PooledJson() =>
        Writer = new Utf8JsonWriter(_buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static PooledJson Main => t_main ??= new PooledJson();

    public static PooledJson Scratch => t_scratch ??= new PooledJson();

    /// <summary>The writer; empty after <see cref="ToStringAndReset"/>.</summary>
    public Utf8JsonWriter Writer { get; }

    /// <summary>The text written so far; resets the writer for the next value.</summary>
    public string ToStringAndReset()
    {
        Writer.Flush();
        var text = Encoding.UTF8.GetString(_buffer.WrittenSpan);
        _buffer.ResetWrittenCount();
        Writer.Reset();
        return text;
    }
}
