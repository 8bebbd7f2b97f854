using System;
using System.IO;
using System.Text.Json;
using System.Threading;
using Instrumentation.Testing.FakeMlflow;

// Runs the fake MLflow server (tests/Instrumentation.Testing/FakeMlflow) on a free port of 127.0.0.1 until SIGTERM,
// Ctrl+C, or the lifetime ends. Usage: fake-mlflow <info-file> [experiment-name] [lifetime-seconds]
// Writes {"trackingUri":"http://127.0.0.1:N/","experimentId":"1"} to <info-file> once it listens (the experiment is
// created when a name is given, else Default "0").
if (args.Length is < 1 or > 3)
{
    Console.Error.WriteLine("usage: Instrumentation.FakeMlflow.Host <info-file> [experiment-name] [lifetime-seconds]");
    return 2;
}

var lifetime = TimeSpan.FromSeconds(args.Length > 2 && int.TryParse(args[2], out var seconds) && seconds > 0 ? seconds : 900);
using var server = FakeMlflowServer.Start();
var experimentId = args.Length > 1 ? server.CreateExperiment(args[1]) : "0";
var info = JsonSerializer.Serialize(new { trackingUri = server.TrackingUri.ToString(), experimentId });
File.WriteAllText(args[0] + ".tmp", info);
File.Move(args[0] + ".tmp", args[0], overwrite: true);
Console.WriteLine("fake MLflow listening: " + info);

using var stop = new CancellationTokenSource(lifetime);
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) => stop.Cancel();
stop.Token.WaitHandle.WaitOne();
Console.WriteLine($"fake MLflow stopping: {server.Traces.Count} traces, {server.Spans.Count} spans received");
return 0;
