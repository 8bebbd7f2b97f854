using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Text;

namespace Instrumentation.Testing.FakeMlflow;

/// <summary>One HTTP request the fake MLflow server received, and what it answered.</summary>
public sealed class RecordedRequest
{
    internal RecordedRequest(string method, string path, string relativePath, string query, IReadOnlyDictionary<string, string> headers, byte[] body)
    {
        Method = method;
        Path = path;
        RelativePath = relativePath;
        Query = query;
        Headers = headers;
        Body = body;
        ReceivedTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>When the request's body had been read, as a <see cref="Stopwatch.GetTimestamp"/> value (for measuring
    /// how long a span took to arrive; never asserted as a timing in tests).</summary>
    public long ReceivedTimestamp { get; }

    /// <summary>The HTTP method, for example <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>The full path, base path included, for example <c>/mlflow/v1/traces</c>.</summary>
    public string Path { get; }

    /// <summary>The path under the server's base path, without a leading slash, for example <c>v1/traces</c>.</summary>
    public string RelativePath { get; }

    /// <summary>The query string, with its leading <c>?</c>, or empty.</summary>
    public string Query { get; }

    /// <summary>The request headers (names compared ignoring case; repeated headers joined with <c>,</c>).</summary>
    public IReadOnlyDictionary<string, string> Headers { get; }

    /// <summary>The body exactly as received (still compressed when it was sent with a <c>Content-Encoding</c>).</summary>
    public byte[] Body { get; }

    /// <summary>The body after undoing <c>Content-Encoding</c> (gzip, deflate), when that succeeded.</summary>
    public byte[]? DecodedBody { get; internal set; }

    /// <summary>The status code the fake answered.</summary>
    public int ResponseStatus { get; internal set; }

    /// <summary>The body the fake answered (JSON or text; empty for a successful trace export).</summary>
    public string ResponseBody { get; internal set; } = string.Empty;

    /// <summary>Spans the request carried and the fake accepted (a trace export answered 200); otherwise empty.</summary>
    public IReadOnlyList<ReceivedSpan> Spans { get; internal set; } = Array.Empty<ReceivedSpan>();

    /// <summary>The value of header <paramref name="name"/>, or <see langword="null"/>.</summary>
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>The content type without parameters, for example <c>application/json</c>.</summary>
    public string? MediaType => Header("Content-Type")?.Split(';')[0].Trim();

    /// <summary>The (decoded) body as UTF-8 text.</summary>
    public string BodyText => Encoding.UTF8.GetString(DecodedBody ?? Body);

    /// <inheritdoc/>
    public override string ToString() => $"{Method} {Path}{Query} -> {ResponseStatus}";
}

/// <summary>An answer the test makes the fake give instead of its own (see <see cref="FakeMlflowServer.Intercept"/>).</summary>
/// <param name="Status">The HTTP status code.</param>
/// <param name="Body">The body text.</param>
/// <param name="ContentType">The content type of <paramref name="Body"/>.</param>
public sealed record FakeResponse(int Status, string Body = "", string ContentType = "application/json");
