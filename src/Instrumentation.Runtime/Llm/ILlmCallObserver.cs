namespace Instrumentation.Runtime.Llm;

/// <summary>
/// Receives the phases of every <c>[LlmCall]</c> invocation: <see cref="OnBefore"/>, then <see cref="OnChunk"/> for each
/// chunk of a streaming call, then exactly one of <see cref="OnAfter"/> or <see cref="OnError"/>. Register with
/// <see cref="LlmCallObservers.Add"/>. Observers are fail-open: one that throws is skipped for that phase and counted
/// (<see cref="AgentTelemetry.InternalErrorCount"/>); the call goes on unchanged. Calls run concurrently, so observers
/// must be thread-safe. Every method has an empty default: implement the phases you need.
/// </summary>
public interface ILlmCallObserver
{
    /// <summary>The call is about to be sent.</summary>
    void OnBefore(LlmCallInfo call)
    {
    }

    /// <summary>A streaming call produced a chunk.</summary>
    /// <param name="call">The call.</param>
    /// <param name="chunk">The chunk as the body yielded it.</param>
    /// <param name="index">The chunk's position, from 0.</param>
    void OnChunk(LlmCallInfo call, object? chunk, int index)
    {
    }

    /// <summary>The call completed.</summary>
    void OnAfter(LlmCallInfo call, LlmCallResult result)
    {
    }

    /// <summary>The call failed.</summary>
    void OnError(LlmCallInfo call, LlmCallFailure failure)
    {
    }
}

/// <summary>
/// An observer that may also stop a call before it is sent: block it, or answer it with a substitute response (a cached
/// answer, say). Register with <see cref="LlmCallObservers.AddPolicy"/>; only policies may change a call.
/// </summary>
public interface ILlmCallPolicy : ILlmCallObserver
{
    /// <summary>Decides whether the call goes ahead. Called after <see cref="ILlmCallObserver.OnBefore"/>. A policy that
    /// throws is counted and treated as <see cref="LlmCallDecision.Continue"/>.</summary>
    LlmCallDecision Decide(LlmCallInfo call);
}
