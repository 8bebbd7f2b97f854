using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Engines;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using Instrumentation.OpenClaw;
using Instrumentation.OpenClaw.Input;
using Instrumentation.OpenClaw.Synthetic;
using Instrumentation.Runtime;
using Instrumentation.Testing;

// dotnet run -c Release -- [BenchmarkDotNet args]   : the replay benchmark (short job)
// dotnet run -c Release -- --memory [events]         : one replay of the stream, reporting peak working set and GC heap
if (args.Length > 0 && args[0] == "--memory")
{
    return MemoryReport.Run(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000);
}

BenchmarkRunner.Run<ReplayBenchmark>(
    DefaultConfig.Instance.AddJob(Job.Default.WithStrategy(RunStrategy.Monitoring).WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(3)),
    args);
return 0;

/// <summary>The synthetic stream: copies of the gateway captures with their own ids, interleaved ~30 sessions deep.</summary>
internal static class Stream1M
{
    public static readonly string[] Captures =
    {
        "gateway-tool.jsonl", "gateway-subagent.jsonl", "gateway-error500-retry.jsonl", "gateway-exec-nonzero-exit.jsonl",
        "gateway-toolfail.jsonl", "gateway-simple.jsonl",
    };

    public static string CaptureDirectory() => RepositoryPaths.OpenClawCaptures;

    /// <summary>Writes about <paramref name="events"/> lines to a temp file (once per size) and returns its path.</summary>
    public static string File(int events)
    {
        var path = Path.Combine(Path.GetTempPath(), $"openclaw-bridge-bench-{events}.jsonl");
        if (System.IO.File.Exists(path))
        {
            return path;
        }

        var templates = Captures.Select(c => CaptureTemplate.FromFile(Path.Combine(CaptureDirectory(), c))).ToList();
        var perRound = templates.Sum(t => t.LineCount);
        var copies = (int)Math.Ceiling(events / (double)perRound) * templates.Count;
        using var writer = new StreamWriter(path + ".tmp");
        var written = 0;
        foreach (var line in SyntheticStream.Interleave(templates, copies, staggerMs: 100))
        {
            writer.WriteLine(line);
            if (++written >= events)
            {
                break;
            }
        }

        writer.Close();
        System.IO.File.Move(path + ".tmp", path, overwrite: true);
        return path;
    }
}

/// <summary>Samples every span with all data (so every attribute and content value is built) and drops it when it ends.</summary>
internal sealed class DroppingListener : IDisposable
{
    private readonly ActivityListener _listener;

    public DroppingListener()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == AgentTelemetry.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _ => Spans++,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    public long Spans { get; private set; }

    public void Dispose() => _listener.Dispose();
}

[MemoryDiagnoser]
public class ReplayBenchmark
{
    private string _path = "";
    private DroppingListener? _listener;

    [Params(1_000_000)]
    public int Events { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _path = Stream1M.File(Events);
        _listener = new DroppingListener();
    }

    [GlobalCleanup]
    public void Cleanup() => _listener?.Dispose();

    /// <summary>Read, parse, correlate and emit every span of the stream (spans sampled, then dropped).</summary>
    [Benchmark]
    public long ReplayFile()
    {
        var replay = new OpenClawReplay();
        replay.ProcessAll(HookFileReader.ReadFile(_path));
        replay.Complete();
        return replay.Statistics.SpansExported;
    }

    /// <summary>The reader alone, to see what parsing costs.</summary>
    [Benchmark]
    public long ParseOnly()
    {
        long events = 0;
        foreach (var line in HookFileReader.ReadFile(_path))
        {
            events += line.Event is null ? 0 : 1;
        }

        return events;
    }
}

internal static class MemoryReport
{
    public static int Run(int events)
    {
        var path = Stream1M.File(events);
        using var listener = new DroppingListener();
        var replay = new OpenClawReplay();
        var watch = Stopwatch.StartNew();
        long maxHeap = 0, maxInFlight = 0, n = 0;
        foreach (var line in HookFileReader.ReadFile(path))
        {
            replay.Process(line);
            if (++n % 10_000 == 0)
            {
                maxHeap = Math.Max(maxHeap, GC.GetTotalMemory(false));
                maxInFlight = Math.Max(maxInFlight, replay.TurnsInFlight);
            }
        }

        replay.Complete();
        watch.Stop();
        var stats = replay.Statistics;
        var process = Process.GetCurrentProcess();
        process.Refresh();
        Console.WriteLine($"stream: {path} ({new FileInfo(path).Length / (1024.0 * 1024):0} MiB, {stats.LinesRead:N0} lines)");
        Console.WriteLine($"replayed {stats.EventsRead:N0} events in {watch.Elapsed.TotalSeconds:0.00} s = {stats.EventsRead / watch.Elapsed.TotalSeconds:N0} events/s; " +
            $"{stats.TurnsExported:N0} turns, {stats.SpansExported:N0} spans ({listener.Spans:N0} ended), {stats.TurnsIncomplete} incomplete, {stats.MalformedLines} malformed");
        Console.WriteLine($"max turns in flight: {maxInFlight}; after Complete(): {replay.TurnsInFlight}");
        Console.WriteLine($"GC heap: max sampled {maxHeap / (1024.0 * 1024):0.0} MiB, after replay {GC.GetTotalMemory(false) / (1024.0 * 1024):0.0} MiB, " +
            $"after full collection {GC.GetTotalMemory(true) / (1024.0 * 1024):0.0} MiB; allocated {GC.GetTotalAllocatedBytes() / (1024.0 * 1024 * 1024):0.00} GiB; gen2 collections {GC.CollectionCount(2)}");
        Console.WriteLine($"peak working set: {process.PeakWorkingSet64 / (1024.0 * 1024):0} MiB");
        return 0;
    }
}
