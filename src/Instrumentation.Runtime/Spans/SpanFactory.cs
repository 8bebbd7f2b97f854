using System;
using System.Diagnostics;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Diagnostics;
using Instrumentation.Runtime.Sessions;

namespace Instrumentation.Runtime.Spans;

/// <summary>
/// Starts the <see cref="Activity"/> behind every span type, so parenting, replay timing and session stamping are
/// decided in one place.
/// </summary>
internal static class SpanFactory
{
    public static Activity? Start(string name, string spanType, ActivityKind kind, DateTimeOffset startTime, ActivityContext parent)
    {
        var source = AgentTelemetry.Source;
        if (!source.HasListeners())
        {
            return null;
        }

        try
        {
            Activity? activity;
            if (startTime == default && parent == default && Activity.Current is { } current
                && (!ReferenceEquals(current.Source, source) || current.GetTagItem(MlflowAttributes.SpanType) is null))
            {
                activity = StartBesideMirrors(source, name, spanType, kind, current);
            }
            else if (startTime == default)
            {
                activity = source.StartActivity(name, kind, parent);
            }
            else
            {
                // A span with an explicit start time is a replay of something that already happened (the OpenClaw
                // bridge): it must not become the ambient Activity.Current of the code doing the replay.
                var ambient = Activity.Current;
                activity = source.StartActivity(name, kind, parent, startTime: startTime);
                Activity.Current = ambient;
            }

            if (activity is not { IsAllDataRequested: true })
            {
                return activity;
            }

            activity.SetTag(MlflowAttributes.SpanType, spanType);
            if (TraceSession.Current is { } session)
            {
                StampSessionOnRoot(activity, session);
            }

            return activity;
        }
        catch (Exception ex)
        {
            FailOpen.Report("starting span " + name, ex);
            return null;
        }
    }

    /// <summary>
    /// Starts under <paramref name="current"/>, or, when it is another library's span of the same operation
    /// (<see cref="MirroredSpans"/>), under the nearest enclosing span that is not: the span becomes current, and
    /// when it ends the enclosing span is current again, as if the mirror had not been there.
    /// </summary>
    private static Activity? StartBesideMirrors(ActivitySource source, string name, string spanType, ActivityKind kind, Activity current)
    {
        var enclosing = MirroredSpans.EnclosingNonMirror(current, spanType, out var skipped);
        if (!skipped)
        {
            return source.StartActivity(name, kind);
        }

        // The outermost mirror skipped: its parent is either the enclosing span, a remote parent, or nothing (a root).
        var outermost = current;
        while (outermost.Parent is { } parent && !ReferenceEquals(parent, enclosing))
        {
            outermost = parent;
        }

        ActivityContext context = default;
        if (enclosing is null)
        {
            context = outermost.ParentSpanId != default
                ? new ActivityContext(outermost.TraceId, outermost.ParentSpanId, outermost.ActivityTraceFlags, isRemote: true)
                : new ActivityContext(outermost.TraceId, default, outermost.ActivityTraceFlags);
        }

        Activity.Current = enclosing;
        var activity = source.StartActivity(name, kind, context);
        if (activity is null)
        {
            Activity.Current = current;
        }
        else
        {
            activity.SetCustomProperty(MirroredSpans.ResumeProperty, current);
        }

        return activity;
    }

    /// <summary>
    /// Sets an attribute only when there is a value. <c>SetTag(key, null)</c> is not free: it searches the tag list to
    /// remove the key (about 15 ns each, measured), and a span's optional attributes are usually absent.
    /// </summary>
    public static void SetIfPresent(Activity activity, string key, string? value)
    {
        if (value is not null)
        {
            activity.SetTag(key, value);
        }
    }

    /// <summary>
    /// MLflow reads <c>session.id</c> and <c>user.id</c> from a trace's root span only, so they go on the local root,
    /// which is this span, or the running span of another library that encloses it.
    /// </summary>
    private static void StampSessionOnRoot(Activity activity, TraceSession session)
    {
        var root = activity;
        while (root.Parent is { } parent)
        {
            root = parent;
        }

        if (root.IsStopped)
        {
            return;
        }

        if (session.SessionId is not null && root.GetTagItem(CommonAttributes.SessionId) is null)
        {
            root.SetTag(CommonAttributes.SessionId, session.SessionId);
        }

        if (session.UserId is not null && root.GetTagItem(CommonAttributes.UserId) is null)
        {
            root.SetTag(CommonAttributes.UserId, session.UserId);
        }
    }
}
