using System;
using System.Diagnostics;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// A span in progress: what every span type shares (inputs, outputs, errors, end). A thin value over the
/// <see cref="System.Diagnostics.Activity"/> that carries it, so holding one allocates nothing. Every member is
/// fail-open: a failure inside the instrumentation is counted (<see cref="AgentTelemetry.InternalErrorCount"/>) and
/// never thrown into the traced code. A default instance, or one created when nothing listens, does nothing.
/// </summary>
/// <remarks>Start one with <see cref="AgentSpan.Start"/>, <see cref="ToolSpan.Start"/> or <see cref="Start"/>; end it
/// exactly once with <see cref="End"/> or <see cref="Dispose"/>.</remarks>
public readonly struct LiveSpan : IDisposable
{
    internal LiveSpan(Activity? activity)
    {
        Activity = activity;
    }

    /// <summary>The activity behind the span, or <see langword="null"/> when nothing records it.</summary>
    public Activity? Activity { get; }

    /// <summary>
    /// The span of the instrumented method running on this flow: <see cref="System.Diagnostics.Activity.Current"/> when it
    /// comes from <see cref="AgentTelemetry.Source"/>, otherwise a default instance that does nothing. Lets a body add
    /// attributes only it knows: <c>LiveSpan.Current.SetAttribute("app.cache_hit", true)</c>.
    /// </summary>
    public static LiveSpan Current =>
        System.Diagnostics.Activity.Current is { } activity && ReferenceEquals(activity.Source, AgentTelemetry.Source)
            ? new LiveSpan(activity)
            : default;

    /// <summary>Whether the span records attributes (it exists and was sampled with all data requested).</summary>
    public bool IsRecording => Activity is { IsAllDataRequested: true };

    /// <summary>Whether the span records content (inputs, outputs): <see cref="IsRecording"/> and
    /// <see cref="AgentTelemetryOptions.CaptureContent"/>.</summary>
    public bool CapturesContent => IsRecording && AgentTelemetry.Settings.CaptureContent;

    /// <summary>
    /// Starts a span of any MLflow span type, for the types without a factory of their own (<c>CHAIN</c>,
    /// <c>RETRIEVER</c>, ...).
    /// </summary>
    /// <param name="name">The span name shown in MLflow.</param>
    /// <param name="spanType">The MLflow span type, one of <see cref="MlflowSpanTypes"/>.</param>
    /// <param name="kind">The OpenTelemetry span kind.</param>
    /// <param name="startTime">When the span started, for a span replayed from a record; such a span does not become
    /// <see cref="System.Diagnostics.Activity.Current"/>. Default: now, and the span becomes current.</param>
    /// <param name="parent">The parent span's context. Default: <see cref="System.Diagnostics.Activity.Current"/>.</param>
    public static LiveSpan Start(string name, string spanType, ActivityKind kind = ActivityKind.Internal,
        DateTimeOffset startTime = default, ActivityContext parent = default) =>
        new(SpanFactory.Start(name, spanType, kind, startTime, parent));

    /// <summary>
    /// The parent context that makes a span the root of the trace with id <paramref name="traceId"/>: use it to put
    /// replayed spans that belong together into one trace.
    /// </summary>
    public static ActivityContext RootOfTrace(ActivityTraceId traceId) =>
        new(traceId, default, ActivityTraceFlags.Recorded);

    /// <summary>
    /// Starts recording inputs: returns a builder for the <c>{"parameter": value}</c> object, or <see langword="null"/>
    /// when the span does not capture content. Pass the builder to <see cref="SetInputs"/> when done.
    /// </summary>
    internal SpanInputs? BeginInputs() =>
        Activity is { IsAllDataRequested: true } && AgentTelemetry.Settings is { CaptureContent: true } settings
            ? SpanInputs.Rent(settings)
            : null;

    /// <summary>Records the inputs built since <see cref="BeginInputs"/> as <c>mlflow.spanInputs</c>.</summary>
    internal void SetInputs(SpanInputs? inputs)
    {
        if (inputs?.Complete() is { } json)
        {
            Activity?.SetTag(MlflowAttributes.SpanInputs, json);
        }
    }

    /// <summary>
    /// Records inputs that are already JSON text of an object (for example a recorded event's payload) as
    /// <c>mlflow.spanInputs</c>, cut to the size cap.
    /// </summary>
    public void SetInputsJson(string json) => SetContentJson(MlflowAttributes.SpanInputs, json);

    /// <summary>Records the result as <c>mlflow.spanOutputs</c> (JSON; a string result is a JSON string).</summary>
    public void SetOutput<T>(T value)
    {
        if (Activity is not { IsAllDataRequested: true } activity || AgentTelemetry.Settings is not { CaptureContent: true } settings)
        {
            return;
        }

        try
        {
            activity.SetTag(MlflowAttributes.SpanOutputs, SpanJson.ToJson(value, settings));
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording the output of " + activity.DisplayName, ex);
        }
    }

    /// <summary>Records, as <c>mlflow.spanOutputs</c>, the placeholder <c>"&lt;TypeName&gt;"</c> for a result that
    /// cannot be serialized sensibly (a <c>Span&lt;T&gt;</c>).</summary>
    internal void SetOutputPlaceholder(string typeName) => SetOutput(SpanJson.TypePlaceholder(typeName));

    /// <summary>Records outputs that are already JSON text as <c>mlflow.spanOutputs</c>, cut to the size cap.</summary>
    public void SetOutputJson(string json) => SetContentJson(MlflowAttributes.SpanOutputs, json);

    /// <summary>Sets any other attribute. Prefer the typed members; use this for source-specific details (an exit
    /// code, a byte count) under a key namespaced by their source.</summary>
    public void SetAttribute(string key, object? value)
    {
        if (Activity is { IsAllDataRequested: true } activity)
        {
            activity.SetTag(key, value);
        }
    }

    /// <summary>
    /// Records a failure: status Error with the exception's message, <c>error.type</c> = the exception type's full
    /// name, and an <c>exception</c> event with its type, message and stack trace (the OpenTelemetry exception
    /// semantic conventions). <c>exception.stacktrace</c> holds an object whose <c>ToString()</c> is the exception's
    /// <see cref="Exception.ToString"/>, formatted when an exporter first reads it, which keeps the cost of formatting off
    /// the failing call.
    /// Secret-shaped text in the message is redacted (<see cref="AgentTelemetryOptions.Redaction"/>).
    /// </summary>
    public void SetError(Exception exception)
    {
        if (Activity is not { IsStopped: false } activity || exception is null)
        {
            return;
        }

        try
        {
            // A message can quote what failed ("cannot connect with Password=..."): redacted like any recorded text.
            var message = Redact(exception.Message);
            activity.SetStatus(ActivityStatusCode.Error, message);
            if (activity.IsAllDataRequested)
            {
                activity.SetTag(CommonAttributes.ErrorType, exception.GetType().FullName);
                // The stack trace is formatted when exported, not here: see ExceptionText. The message is the redacted one.
                var tags = new TagList { { ExceptionStackTraceKey, new ExceptionText(exception) } };
                if (!ReferenceEquals(message, exception.Message))
                {
                    tags.Add("exception.message", message);
                }

                activity.AddException(exception, tags);
            }
        }
        catch (Exception ex)
        {
            FailOpen.Report("recording an error on " + activity.DisplayName, ex);
        }
    }

    /// <summary>
    /// Records a failure known only by description (a replayed tool error): status Error with
    /// <paramref name="message"/> and <c>error.type</c> = <paramref name="errorType"/>.
    /// </summary>
    /// <param name="errorType">A short class of the error, for example an exception type name or <c>tool_error</c>.</param>
    /// <param name="message">What went wrong, shown as the span's status message.</param>
    public void SetError(string errorType, string? message)
    {
        if (Activity is not { IsStopped: false } activity)
        {
            return;
        }

        activity.SetStatus(ActivityStatusCode.Error, message is null ? null : Redact(message));
        if (activity.IsAllDataRequested)
        {
            activity.SetTag(CommonAttributes.ErrorType, errorType);
        }
    }

    private static string Redact(string text) => AgentTelemetry.Settings.Redactor?.RedactText(text) ?? text;

    /// <summary>
    /// Ends the span: status OK unless an error was recorded. Calling it again does nothing.
    /// </summary>
    /// <param name="endTime">When the span ended, for a replayed span. Default: now.</param>
    public void End(DateTimeOffset endTime = default)
    {
        if (Activity is not { IsStopped: false } activity)
        {
            return;
        }

        try
        {
            if (activity.Status == ActivityStatusCode.Unset)
            {
                activity.SetStatus(ActivityStatusCode.Ok);
            }

            if (endTime != default)
            {
                activity.SetEndTime(endTime.UtcDateTime);
            }

            // Stopping restores Activity.Current to what it was when this span started. That is right when the span is
            // the current one; when it is not (a replayed span), leave the caller's Activity.Current alone.
            var ambient = System.Diagnostics.Activity.Current;
            activity.Stop();
            if (ambient != activity)
            {
                System.Diagnostics.Activity.Current = ambient;
            }
            else if (activity.GetCustomProperty(MirroredSpans.ResumeProperty) is not null)
            {
                // Started beside another library's span: that span's code continues, with its span current.
                System.Diagnostics.Activity.Current = MirroredSpans.ResumeAfter(activity);
            }
        }
        catch (Exception ex)
        {
            FailOpen.Report("ending span " + activity.DisplayName, ex);
        }
    }

    /// <summary>
    /// Stops the span being <see cref="System.Diagnostics.Activity.Current"/> on this flow while it stays open: a
    /// wrapper calls it after the body returned a task that is still running, so the caller does not continue inside
    /// the span. The span still ends with <see cref="End"/>.
    /// </summary>
    internal void Detach()
    {
        if (Activity is { } activity && System.Diagnostics.Activity.Current == activity)
        {
            System.Diagnostics.Activity.Current = MirroredSpans.ResumeAfter(activity);
        }
    }

    /// <summary>
    /// Makes the span <see cref="System.Diagnostics.Activity.Current"/> on this flow again: a streaming wrapper calls it
    /// before each step of the stream it wraps, so spans the body starts while producing an item nest under this one.
    /// </summary>
    internal void MakeCurrent()
    {
        if (Activity is { IsStopped: false } activity && System.Diagnostics.Activity.Current != activity)
        {
            System.Diagnostics.Activity.Current = activity;
        }
    }

    /// <summary>Ends the span now (see <see cref="End"/>).</summary>
    public void Dispose() => End();

    private const string ExceptionStackTraceKey = "exception.stacktrace";

    private void SetContentJson(string key, string json)
    {
        if (Activity is { IsAllDataRequested: true } activity && AgentTelemetry.Settings is { CaptureContent: true } settings)
        {
            activity.SetTag(key, SpanJson.CapJson(json, settings));
        }
    }
}
