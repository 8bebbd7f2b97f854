using System;
using System.Diagnostics;
using System.Globalization;
using System.Threading;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using OpenTelemetry;

namespace Instrumentation.Mlflow.GenAi;

/// <summary>
/// Makes spans of other libraries that follow the OpenTelemetry GenAI semantic conventions (Microsoft.Extensions.AI's
/// and the Agent Framework's <c>UseOpenTelemetry()</c>, say) MLflow-correct before they are exported, and drops those
/// that duplicate one of ours (<see cref="MirroredSpans"/>). Runs in <c>OnEnd</c>, before the export processors
/// <c>AddMlflowExporter()</c> and <c>AddTraceTreeConsoleExporter()</c> add after it; never throws.
/// </summary>
/// <remarks>
/// For a span with <c>gen_ai.operation.name</c> and no <c>mlflow.spanType</c>:
/// <list type="bullet">
/// <item><c>mlflow.spanType</c> from the operation (<see cref="GenAiSpanTypes"/>), <c>UNKNOWN</c> for an unknown one, so
/// MLflow's <c>span.type</c> search finds it.</item>
/// <item>LLM spans: <c>mlflow.chat.tokenUsage</c> from <c>gen_ai.usage.*</c>; inputs and outputs in the OpenAI chat
/// shapes with <c>mlflow.message.format</c> = <c>openai</c> (system instructions first, one message per tool result);
/// <c>mlflow.chat.tools</c> in the OpenAI shape; <c>mlflow.llm.model</c> and <c>mlflow.llm.provider</c>.</item>
/// <item>AGENT spans: the <c>gen_ai.usage.*</c> aggregate of the run moves to <c>instrumentation.aggregate_usage.*</c>,
/// because MLflow adds up the usage of every span and the run's model calls already carry it.</item>
/// <item>TOOL spans: inputs from <c>gen_ai.tool.call.arguments</c>, outputs from <c>gen_ai.tool.call.result</c>.</item>
/// <item><c>gen_ai.conversation.id</c> becomes the trace root's <c>session.id</c> when the root has none.</item>
/// <item>Microsoft.Extensions.AI's <c>orchestrate_tools</c> grouping span becomes a <c>CHAIN</c>, its usage aggregate
/// moved like an agent span's.</item>
/// </list>
/// </remarks>
internal sealed class GenAiSpanProcessor : BaseProcessor<Activity>
{
    private const string ForeignChildrenProperty = "Instrumentation.ForeignChildren";
    private const string CountedProperty = "Instrumentation.CountedOnParent";

    /// <summary>The span Microsoft.Extensions.AI's function invocation groups a request's model and tool calls under
    /// (it has no <c>gen_ai.operation.name</c>): a <c>CHAIN</c> in MLflow when it is kept.</summary>
    private const string OrchestrateToolsSpanName = MirroredSpans.OrchestrateToolsSpanName;

    /// <summary>Counts each foreign span on its parent, so a mirror with children of another library is kept (dropping it
    /// would leave them without their parent).</summary>
    public override void OnStart(Activity data)
    {
        // Both exporters add this processor; a span is counted once however many instances see it.
        if (data.Parent is { } parent && !IsOurs(data) && data.GetCustomProperty(CountedProperty) is null)
        {
            data.SetCustomProperty(CountedProperty, CountedProperty);
            var counter = parent.GetCustomProperty(ForeignChildrenProperty) as StrongBox;
            if (counter is null)
            {
                counter = new StrongBox();
                parent.SetCustomProperty(ForeignChildrenProperty, counter);
            }

            Interlocked.Increment(ref counter.Value);
        }
    }

    public override void OnEnd(Activity data)
    {
        if (!data.Recorded || (ReferenceEquals(data.Source, AgentTelemetry.Source) && !MirroredSpans.IsMirrored(data)
            && data.GetTagItem(GenAiAttributes.OperationName) is null))
        {
            return;
        }

        try
        {
            if (MirroredSpans.IsMirrored(data)
                && (data.GetCustomProperty(ForeignChildrenProperty) as StrongBox)?.Value is null or 0)
            {
                Drop(data);
                return;
            }

            if (data.GetTagItem(MlflowAttributes.SpanType) is not null)
            {
                return;
            }

            if (data.GetTagItem(GenAiAttributes.OperationName) is string operation)
            {
                GenAiSpanTranslation.Apply(data, operation);
            }
            else if (data.DisplayName == OrchestrateToolsSpanName)
            {
                data.SetTag(MlflowAttributes.SpanType, MlflowSpanTypes.Chain);
                GenAiSpanTranslation.MoveAggregateUsage(data);
            }
        }
        catch (Exception ex)
        {
            AgentTelemetry.ReportInternalError("translating GenAI span " + data.DisplayName + " for MLflow", ex);
        }
    }

    /// <summary>A span of this library: from its source and typed at start. Microsoft.Extensions.AI's function invocation
    /// starts its <c>execute_tool</c> spans on the source of the current <c>invoke_agent</c> span, which may be ours:
    /// those have no type and are treated like any other library's.</summary>
    private static bool IsOurs(Activity activity) =>
        ReferenceEquals(activity.Source, AgentTelemetry.Source) && activity.GetTagItem(MlflowAttributes.SpanType) is not null;

    /// <summary>Unsets the span's Recorded flag, which every export processor checks, and takes it off its parent's
    /// count of foreign children.</summary>
    private static void Drop(Activity data)
    {
        data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
        if (data.GetCustomProperty(CountedProperty) is not null && data.Parent?.GetCustomProperty(ForeignChildrenProperty) is StrongBox counter)
        {
            Interlocked.Decrement(ref counter.Value);
        }
    }

    /// <summary>A shared mutable count.</summary>
    private sealed class StrongBox
    {
        public int Value;

        public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
    }
}
