using System;
using System.Threading;
using Instrumentation.OpenClaw.Cli;

// Ctrl+C stops `follow` cleanly: open turns are closed as incomplete and every span is flushed before exit.
using var cancellation = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancellation.Cancel();
};
AppDomain.CurrentDomain.ProcessExit += (_, _) =>
{
    try
    {
        cancellation.Cancel();
    }
    catch (ObjectDisposedException)
    {
        // Exiting after Main returned: nothing left to stop.
    }
};

return await BridgeCli.RunAsync(args, Console.Out, Console.Error, cancellation.Token).ConfigureAwait(false);
