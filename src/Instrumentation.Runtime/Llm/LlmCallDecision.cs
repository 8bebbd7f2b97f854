using System;

namespace Instrumentation.Runtime.Llm;

/// <summary>What a <see cref="ILlmCallPolicy"/> decided about a call.</summary>
public readonly struct LlmCallDecision
{
    private LlmCallDecision(LlmCallAction action, string? reason, object? substitute)
    {
        Action = action;
        Reason = reason;
        SubstituteResponse = substitute;
    }

    /// <summary>Send the call.</summary>
    public static LlmCallDecision Continue => default;

    /// <summary>What to do.</summary>
    public LlmCallAction Action { get; }

    /// <summary>Why, for a blocked call: the message of the <see cref="LlmCallBlockedException"/>.</summary>
    public string? Reason { get; }

    /// <summary>The response to return instead of calling the model.</summary>
    public object? SubstituteResponse { get; }

    /// <summary>Do not send the call: the <c>[LlmCall]</c> method throws <see cref="LlmCallBlockedException"/>.</summary>
    public static LlmCallDecision Block(string reason) => new(LlmCallAction.Block, reason, null);

    /// <summary>Do not send the call: the <c>[LlmCall]</c> method returns <paramref name="response"/>, which must be of the
    /// method's result type (for <c>Task&lt;ChatResponse&gt;</c>, a <c>ChatResponse</c>). A response of another type is
    /// counted as a policy fault and the call is sent. Not supported for streaming calls, which are sent.</summary>
    public static LlmCallDecision Substitute(object response) =>
        new(LlmCallAction.Substitute, null, response ?? throw new ArgumentNullException(nameof(response)));

    /// <summary>Whether the call is sent.</summary>
    public bool IsContinue => Action == LlmCallAction.Continue;

    /// <summary>
    /// The value the wrapper returns instead of calling the body: the substitute, or, for a blocked call, throws.
    /// </summary>
    /// <exception cref="LlmCallBlockedException">The call was blocked.</exception>
    internal T Resolve<T>() => Action switch
    {
        LlmCallAction.Block => throw new LlmCallBlockedException(Reason ?? "Blocked by an LLM call policy."),
        _ => (T)SubstituteResponse!,
    };
}

/// <summary>The actions of an <see cref="LlmCallDecision"/>.</summary>
public enum LlmCallAction
{
    /// <summary>Send the call.</summary>
    Continue,

    /// <summary>Do not send it; the method throws <see cref="LlmCallBlockedException"/>.</summary>
    Block,

    /// <summary>Do not send it; the method returns the substitute response.</summary>
    Substitute,
}

/// <summary>Thrown by an <c>[LlmCall]</c> method whose call a policy blocked.</summary>
public sealed class LlmCallBlockedException : Exception
{
    /// <summary>Creates the exception with the policy's reason.</summary>
    public LlmCallBlockedException(string reason)
        : base(reason)
    {
    }
}
