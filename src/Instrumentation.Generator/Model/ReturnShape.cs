namespace Instrumentation.Generator.Model;

/// <summary>How the wrapper must treat the return value: whether it awaits, and what it records as output.</summary>
internal enum ReturnShape
{
    /// <summary><c>void</c>: no output.</summary>
    Void,

    /// <summary>Any other synchronous value: recorded as output.</summary>
    Value,

    /// <summary>A synchronous <c>ref struct</c> value (a <c>Span&lt;T&gt;</c>): recorded as a type placeholder.</summary>
    RefLikeValue,

    /// <summary><c>Task</c>: awaited, no output.</summary>
    Task,

    /// <summary><c>Task&lt;T&gt;</c>: awaited, the result recorded.</summary>
    TaskOfT,

    /// <summary><c>ValueTask</c>: awaited, no output.</summary>
    ValueTask,

    /// <summary><c>ValueTask&lt;T&gt;</c>: awaited, the result recorded.</summary>
    ValueTaskOfT,

    /// <summary><c>IAsyncEnumerable&lt;T&gt;</c>: the span stays open while it is enumerated; the items are recorded.</summary>
    AsyncEnumerable,
}
