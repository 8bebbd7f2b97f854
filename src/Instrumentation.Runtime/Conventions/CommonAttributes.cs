namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// General OpenTelemetry attribute keys the spans carry.
/// </summary>
public static class CommonAttributes
{
    /// <summary>
    /// <c>session.id</c> (OpenTelemetry semantic conventions). On a trace's root span MLflow maps it to the trace
    /// metadata <c>mlflow.trace.session</c>.
    /// </summary>
    public const string SessionId = "session.id";

    /// <summary>
    /// <c>user.id</c> (OpenTelemetry semantic conventions). On a trace's root span MLflow maps it to the trace
    /// metadata <c>mlflow.trace.user</c>.
    /// </summary>
    public const string UserId = "user.id";

    /// <summary><c>error.type</c>: the exception type's full name, or a short error class when there is no exception.</summary>
    public const string ErrorType = "error.type";
}
