using System.Threading;
using Instrumentation.OpenClaw.Cli;

// Ctrl+C (SIGINT) and SIGTERM stop `follow` cleanly: open turns are closed as incomplete and every span is flushed
// before exit. The source is never disposed: Cancel() runs the stop inline, up to Main's return, on the signal's thread,
// so disposing it there made Cancel() itself throw (a stack trace after the summary). The process ends right after.
var cancellation = new CancellationTokenSource();
System.Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
System.AppDomain.CurrentDomain.ProcessExit += (_, _) => cancellation.Cancel();

return await BridgeCli.RunAsync(args, System.Console.Out, System.Console.Error, cancellation.Token).ConfigureAwait(false);
