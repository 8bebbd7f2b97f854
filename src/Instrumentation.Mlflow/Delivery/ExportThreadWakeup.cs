using System;
using System.Diagnostics;
using System.Threading;

namespace Instrumentation.Mlflow.Delivery;

/// <summary>
/// How the export thread waits for work and how threads that end spans wake it, so that a lone trace is sent at once
/// and a busy application pays no kernel call per trace.
/// </summary>
/// <remarks>
/// <para>Waking a sleeping thread is a futex system call on the waker's thread: about a microsecond, once per trace
/// root. Issue 16 asks that sending at root end cost the application thread no more than the SDK's batch processor,
/// which never wakes anyone. So after a pass that found work the export thread <em>lingers</em>: it polls the queue
/// itself, 1 ms after the work and then at doubling intervals up to <see cref="MaxPollMilliseconds"/>, for
/// <see cref="DefaultLingerMilliseconds"/> (100 ms). Ending threads see it awake and do not signal. Only after a quiet spell does it
/// sleep until signalled, and the first root after that wakes it at once.</para>
/// <para>The cost of lingering: about ten timed waits after each busy period, on the export thread. A trace ending while
/// the thread lingers waits at most one poll interval (<see cref="MaxPollMilliseconds"/>), well inside the 150 ms
/// time-to-visible goal.</para>
/// </remarks>
internal sealed class ExportThreadWakeup : IDisposable
{
    /// <summary>How long the export thread polls after its last work before it sleeps until signalled, by default.</summary>
    internal const int DefaultLingerMilliseconds = 100;

    /// <summary>The longest poll interval while lingering.</summary>
    internal const int MaxPollMilliseconds = 16;

    private readonly AutoResetEvent _event = new(false);
    private readonly long _lingerTicks;
    private long _lingerUntil;
    private int _pollMilliseconds = 1;
    private int _sleeping;
    private int _signaled;
    private long _signals;

    /// <param name="linger">How long to poll after work (<see cref="MlflowDeliveryOptions.ExportLinger"/>).</param>
    public ExportThreadWakeup(TimeSpan linger) => _lingerTicks = (long)(linger.TotalSeconds * Stopwatch.Frequency);

    /// <summary>Kernel wake-ups requested by ending threads (<see cref="SignalIfSleeping"/>); for tests.</summary>
    internal long Signals => Interlocked.Read(ref _signals);

    /// <summary>Whether the export thread sleeps until signalled (not lingering, not working); for tests.</summary>
    internal bool Sleeping => Volatile.Read(ref _sleeping) == 1;

    /// <summary>On an ending thread: wakes the export thread only when it sleeps until signalled; a lingering or busy
    /// one finds the work on its next look.</summary>
    public void SignalIfSleeping()
    {
        if (Volatile.Read(ref _sleeping) == 1 && Interlocked.Exchange(ref _signaled, 1) == 0)
        {
            Interlocked.Increment(ref _signals);
            _event.Set();
        }
    }

    /// <summary>Wakes the export thread whatever it does (flush and shutdown, which must not wait for a poll).</summary>
    public void SignalNow() => _event.Set();

    /// <summary>On the export thread, after a pass that moved spans: keep polling for the linger.</summary>
    public void WorkDone()
    {
        _lingerUntil = Stopwatch.GetTimestamp() + _lingerTicks;
        _pollMilliseconds = 1;
    }

    /// <summary>On the export thread: waits until there may be work. <paramref name="idle"/> says whether there is
    /// none; it is checked again after the thread announces its sleep, so a span enqueued in between is not missed
    /// (the announcing exchange orders the flag before the check, as the enqueue orders the span before the ending
    /// thread's read of the flag).</summary>
    public void Wait(Func<bool> idle, TimeSpan longestSleep)
    {
        if (!idle())
        {
            return;
        }

        if (Stopwatch.GetTimestamp() < _lingerUntil)
        {
            _event.WaitOne(_pollMilliseconds);
            _pollMilliseconds = Math.Min(_pollMilliseconds * 2, MaxPollMilliseconds);
            return;
        }

        Interlocked.Exchange(ref _sleeping, 1);
        if (idle())
        {
            _event.WaitOne(longestSleep);
        }

        Interlocked.Exchange(ref _sleeping, 0);
        Volatile.Write(ref _signaled, 0);
    }

    public void Dispose() => _event.Dispose();
}
