using System;
using System.Globalization;
using System.IO;
using System.Text;
using System.Text.Json;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// The status file of <c>follow --status-file &lt;path&gt;</c>: one small JSON object that the OpenClaw plugin's
/// <c>openclaw mlflow status</c> reads to say whether the bridge runs and what it has done. It is replaced atomically
/// (written next to itself, then renamed), at most once a second while lines arrive, and once more when
/// <c>follow</c> stops, so a reader never sees half a file.
/// </summary>
/// <remarks>
/// Shape (docs/openclaw-bridge.md, "Status file"): <c>{"v":1,"pid":…,"state":"following"|"stopped"|"failed",
/// "startedAt":"ISO 8601","updatedAt":"ISO 8601","spool":"path","eventsRead":…,"linesRead":…,"turnsExported":…,
/// "turnsIncomplete":…,"turnsFailed":…,"spansExported":…,"malformedLines":…,"tracesLost":…,
/// "lastError":{"at":"ISO 8601","message":"…"}|null}</c>. Counts are cumulative for this process.
/// </remarks>
internal sealed class BridgeStatusFile
{
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromSeconds(1);

    private readonly string _path;
    private readonly string _spool;
    private readonly DateTimeOffset _startedAt = DateTimeOffset.UtcNow;
    private DateTimeOffset _lastWrite = DateTimeOffset.MinValue;
    private bool _reportedFailure;

    public BridgeStatusFile(string path, string spool)
    {
        _path = Path.GetFullPath(path);
        _spool = Path.GetFullPath(spool);
    }

    /// <summary>The last line written to standard error, with its time; the status file's <c>lastError</c>.</summary>
    public (DateTimeOffset At, string Message)? LastError { get; set; }

    /// <summary>Writes the status when a second has passed since the last write, or always when <paramref name="force"/>.
    /// A write that fails is reported once on <paramref name="stderr"/> and never stops the bridge.</summary>
    public void Write(string state, ReplayStatistics? stats, bool force, TextWriter stderr)
    {
        var now = DateTimeOffset.UtcNow;
        if (!force && now - _lastWrite < MinimumInterval)
        {
            return;
        }

        _lastWrite = now;
        try
        {
            var directory = Path.GetDirectoryName(_path)!;
            Directory.CreateDirectory(directory);
            var temporary = _path + ".tmp";
            File.WriteAllBytes(temporary, Render(state, stats, now));
            File.Move(temporary, _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            if (!_reportedFailure)
            {
                _reportedFailure = true;
                stderr.WriteLine($"openclaw-bridge: {_path}: cannot write the status file ({ex.Message}); following goes on");
            }
        }
    }

    internal byte[] Render(string state, ReplayStatistics? stats, DateTimeOffset now)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteNumber("v", 1);
            json.WriteNumber("pid", Environment.ProcessId);
            json.WriteString("state", state);
            json.WriteString("startedAt", Iso(_startedAt));
            json.WriteString("updatedAt", Iso(now));
            json.WriteString("spool", _spool);
            json.WriteNumber("eventsRead", stats?.EventsRead ?? 0);
            json.WriteNumber("linesRead", stats?.LinesRead ?? 0);
            json.WriteNumber("turnsExported", stats?.TurnsExported ?? 0);
            json.WriteNumber("turnsIncomplete", stats?.TurnsIncomplete ?? 0);
            json.WriteNumber("turnsFailed", stats?.TurnsFailed ?? 0);
            json.WriteNumber("spansExported", stats?.SpansExported ?? 0);
            json.WriteNumber("malformedLines", stats?.MalformedLines ?? 0);
            json.WriteNumber("tracesLost", stats?.EmitFailures ?? 0);
            if (LastError is { } error)
            {
                json.WriteStartObject("lastError");
                json.WriteString("at", Iso(error.At));
                json.WriteString("message", error.Message);
                json.WriteEndObject();
            }
            else
            {
                json.WriteNull("lastError");
            }

            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private static string Iso(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>Standard error that also remembers its last line for the status file.</summary>
    internal sealed class ErrorRecorder : TextWriter
    {
        private readonly TextWriter _inner;
        private readonly BridgeStatusFile _status;
        private readonly StringBuilder _line = new();

        public ErrorRecorder(TextWriter inner, BridgeStatusFile status)
        {
            _inner = inner;
            _status = status;
        }

        public override Encoding Encoding => _inner.Encoding;

        public override void Write(char value)
        {
            _inner.Write(value);
            if (value == '\n')
            {
                var text = _line.ToString().TrimEnd('\r');
                _line.Clear();
                if (text.Length > 0)
                {
                    _status.LastError = (DateTimeOffset.UtcNow, text);
                }
            }
            else
            {
                _line.Append(value);
            }
        }

        public override void Write(string? value)
        {
            foreach (var c in value ?? "")
            {
                Write(c);
            }
        }

        public override void WriteLine(string? value)
        {
            Write(value);
            Write('\n');
        }

        public override System.Threading.Tasks.Task WriteLineAsync(string? value)
        {
            WriteLine(value);
            return System.Threading.Tasks.Task.CompletedTask;
        }

        public override System.Threading.Tasks.Task WriteAsync(string? value)
        {
            Write(value);
            return System.Threading.Tasks.Task.CompletedTask;
        }

        public override void Flush() => _inner.Flush();
    }
}
