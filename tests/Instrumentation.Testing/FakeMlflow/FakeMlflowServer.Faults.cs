using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Threading;
using System.Threading.Tasks;

namespace Instrumentation.Testing.FakeMlflow;

/// <summary>What the fake does to one trace export instead of handling it (see <see cref="FakeMlflowServer.FailNextExports"/>).</summary>
public abstract record FakeFault
{
    private FakeFault()
    {
    }

    /// <summary>Answers with an error status, optionally with a <c>Retry-After</c> header in whole seconds (as MLflow
    /// behind a proxy or a rate limiter does).</summary>
    public static FakeFault Status(int status, int? retryAfterSeconds = null) => new StatusFault(status, retryAfterSeconds);

    /// <summary>Closes the connection without an answer (the client sees a reset or an early end of the response).</summary>
    public static FakeFault Reset { get; } = new ResetFault();

    /// <summary>Accepts the request and never answers, until <see cref="FakeMlflowServer.ReleaseHungExports"/> or the
    /// server is disposed; then closes the connection.</summary>
    public static FakeFault Hang { get; } = new HangFault();

    /// <summary>Stores the trace, as MLflow commits it, and then never answers, until
    /// <see cref="FakeMlflowServer.ReleaseHungExports"/> or the server is disposed; then closes the connection. The
    /// sender cannot tell that the trace arrived: what a client killed between MLflow's commit and its answer sees.</summary>
    public static FakeFault AcceptThenHang { get; } = new AcceptThenHangFault();

    internal sealed record AcceptThenHangFault : FakeFault;

    internal sealed record StatusFault(int Code, int? RetryAfterSeconds) : FakeFault;

    internal sealed record ResetFault : FakeFault;

    internal sealed record HangFault : FakeFault;
}

/// <content>Fault injection: scripted failures of <c>v1/traces</c>, a server that goes down and comes back.</content>
public sealed partial class FakeMlflowServer
{
    private readonly Queue<FakeFault> _faults = new();
    private FakeFault? _everyExport;
    private CancellationTokenSource _releaseHung = new();
    private int _hung;
    private int _faulted;

    /// <summary>Trace exports the fake answered with a fault instead of handling them.</summary>
    public int FaultedExports => Volatile.Read(ref _faulted);

    /// <summary>Trace exports hanging now (<see cref="FakeFault.Hang"/>).</summary>
    public int HungExports => Volatile.Read(ref _hung);

    /// <summary>Whether the port is closed (<see cref="GoDown"/>).</summary>
    public bool IsDown { get; private set; }

    /// <summary>The next <paramref name="count"/> trace exports get <paramref name="fault"/>, then the fake handles
    /// them normally again. Calls add up, in order.</summary>
    public void FailNextExports(int count, FakeFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        lock (_faults)
        {
            for (var i = 0; i < count; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Every trace export gets <paramref name="fault"/> (after any scripted by <see cref="FailNextExports"/>),
    /// until called with <see langword="null"/>.</summary>
    public void FailEveryExport(FakeFault? fault)
    {
        lock (_faults)
        {
            _everyExport = fault;
        }
    }

    /// <summary>Lets every hanging export end (its connection is closed without an answer).</summary>
    public void ReleaseHungExports()
    {
        CancellationTokenSource old;
        lock (_faults)
        {
            old = _releaseHung;
            _releaseHung = new CancellationTokenSource();
        }

        old.Cancel();
        old.Dispose();
    }

    /// <summary>Closes the port, as a stopped MLflow: new connections are refused. Records and experiments stay.</summary>
    public void GoDown()
    {
        lock (_faults)
        {
            if (IsDown)
            {
                return;
            }

            IsDown = true;
        }

        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    /// <summary>Listens on the same port again, as a restarted MLflow with the same store.</summary>
    public void ComeBack()
    {
        lock (_faults)
        {
            if (!IsDown)
            {
                return;
            }

            IsDown = false;
        }

        var listener = new HttpListener();
        listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        listener.Start();
        _listener = listener;
        _loop = Task.Run(AcceptLoop);
    }

    /// <summary>
    /// Closes the request's TCP connection with a reset and no answer. <see cref="HttpListenerResponse.Abort"/> cannot
    /// do it: on Linux and macOS (the managed HttpListener) closing the response first sends a default <c>200</c>, which
    /// a client takes for success. So the socket is taken from the listener's connection by reflection (test code
    /// only), and the test fails loudly if the runtime's internals change.
    /// </summary>
    private static void ResetConnection(HttpListenerContext context)
    {
        const BindingFlags Instance = BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public;
        var connection = context.GetType().GetProperty("Connection", Instance)?.GetValue(context)
            ?? context.GetType().GetField("_connection", Instance)?.GetValue(context);
        var socket = connection?.GetType().GetField("_socket", Instance)?.GetValue(connection) as Socket
            ?? throw new InvalidOperationException("FakeMlflowServer cannot reach the connection's socket to reset it (HttpListener internals changed).");
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }

    private void HangThenReset(HttpListenerContext context, RecordedRequest record)
    {
        CancellationToken release;
        lock (_faults)
        {
            release = _releaseHung.Token;
        }

        Interlocked.Increment(ref _hung);
        try
        {
            release.WaitHandle.WaitOne();
        }
        finally
        {
            Interlocked.Decrement(ref _hung);
        }

        record.ResponseStatus = 0;
        ResetConnection(context);
    }

    private FakeFault? TakeFault()
    {
        lock (_faults)
        {
            return _faults.Count > 0 ? _faults.Dequeue() : _everyExport;
        }
    }

    /// <summary>Carries out <paramref name="fault"/>; true when the request is dealt with.</summary>
    private bool ApplyFault(FakeFault fault, HttpListenerContext context, RecordedRequest record)
    {
        Interlocked.Increment(ref _faulted);
        switch (fault)
        {
            case FakeFault.StatusFault status:
                record.ResponseStatus = status.Code;
                record.ResponseBody = "injected fault";
                Send(context.Response, new FakeResponse(status.Code, "injected fault", "text/plain"),
                    status.RetryAfterSeconds?.ToString(CultureInfo.InvariantCulture));
                return true;
            case FakeFault.ResetFault:
                record.ResponseStatus = 0;
                ResetConnection(context);
                return true;
            case FakeFault.AcceptThenHangFault:
                var accepted = Handle(record);
                if (accepted.Status != 200)
                {
                    throw new InvalidOperationException($"FakeMlflowServer: the export held by AcceptThenHang was refused ({accepted.Status}): {accepted.Body}");
                }

                HangThenReset(context, record);
                return true;
            case FakeFault.HangFault:
                HangThenReset(context, record);
                return true;
            default:
                return false;
        }
    }
}
