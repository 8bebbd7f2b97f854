using System;
using System.Diagnostics.Tracing;

namespace Instrumentation.Runtime.Diagnostics;

/// <summary>
/// Reports failures inside the instrumentation itself (a serializer that threw, an observer that threw) without
/// ever throwing into the traced method. Listen with <c>dotnet-trace</c> or an <see cref="EventListener"/> on
/// the source named <c>Instrumentation-Agents</c>, the same way OpenTelemetry .NET reports its own faults.
/// </summary>
[EventSource(Name = "Instrumentation-Agents")]
internal sealed class InstrumentationEventSource : EventSource
{
    public static readonly InstrumentationEventSource Log = new();

    [NonEvent]
    public void InternalError(string operation, Exception exception)
    {
        if (IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            InternalError(operation, exception.GetType().FullName ?? exception.GetType().Name, exception.Message);
        }
    }

    [Event(1, Level = EventLevel.Warning, Message = "Instrumentation failed in {0} and was skipped: {1}: {2}")]
    public void InternalError(string operation, string exceptionType, string message) =>
        WriteEvent(1, operation, exceptionType, message);
}
