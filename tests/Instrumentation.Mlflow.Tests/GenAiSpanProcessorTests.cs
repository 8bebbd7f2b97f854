using System.Diagnostics;
using System.Linq;
using Instrumentation.Mlflow.GenAi;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;

namespace Instrumentation.Mlflow.Tests;

/// <summary>The GenAI processor on hand-made foreign spans: what it drops, what it keeps, what it translates.</summary>
public sealed class GenAiSpanProcessorTests
{
    private static readonly ActivitySource s_foreign = new("Tests.Mlflow.ForeignGenAi");

    private static ActivityListener ListenToForeign(GenAiSpanProcessor processor) => new()
    {
        ShouldListenTo = source => source.Name == "Tests.Mlflow.ForeignGenAi",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        ActivityStarted = processor.OnStart,
        ActivityStopped = processor.OnEnd,
    };

    private static Activity StartForeign(string name, string? operation)
    {
        var activity = s_foreign.StartActivity(name)!;
        if (operation is not null)
        {
            activity.SetTag(GenAiAttributes.OperationName, operation);
        }

        return activity;
    }

    [Fact]
    public void A_childless_mirror_is_dropped_and_one_with_a_foreign_child_is_kept_without_its_usage()
    {
        using var spans = new SpanCollector();
        var processor = new GenAiSpanProcessor();
        using var listener = ListenToForeign(processor);
        ActivitySource.AddActivityListener(listener);

        var agent = AgentSpan.Start("run");
        var empty = StartForeign("invoke_agent a", GenAiAttributes.Operations.InvokeAgent);
        empty.Stop();

        var busy = StartForeign("invoke_agent b", GenAiAttributes.Operations.InvokeAgent);
        busy.SetTag(GenAiAttributes.UsageInputTokens, 30);
        busy.SetTag(GenAiAttributes.UsageOutputTokens, 4);
        var http = StartForeign("GET /weather", operation: null);
        http.Stop();
        busy.Stop();
        agent.End();

        Assert.False(empty.Recorded);
        Assert.True(busy.Recorded);
        Assert.Equal(MlflowSpanTypes.Agent, busy.GetTagItem(MlflowAttributes.SpanType));
        Assert.Null(busy.GetTagItem(GenAiAttributes.UsageInputTokens));
        Assert.Equal(30, busy.GetTagItem(GenAiSpanTranslation.AggregateUsagePrefix + "input_tokens"));
        Assert.True(http.Recorded);
        Assert.Null(http.GetTagItem(MlflowAttributes.SpanType));
    }

    [Fact]
    public void A_translated_chat_span_gets_usage_model_and_an_unknown_operation_gets_UNKNOWN()
    {
        var processor = new GenAiSpanProcessor();
        using var listener = ListenToForeign(processor);
        ActivitySource.AddActivityListener(listener);

        var chat = StartForeign("chat m", GenAiAttributes.Operations.Chat);
        chat.SetTag(GenAiAttributes.RequestModel, "m-1");
        chat.SetTag(GenAiAttributes.ProviderName, "acme");
        chat.SetTag(GenAiAttributes.UsageInputTokens, 12);
        chat.SetTag(GenAiAttributes.UsageOutputTokens, 7);
        chat.SetTag("gen_ai.input.messages", "not json");
        chat.Stop();
        var other = StartForeign("rerank", "rerank");
        other.Stop();

        Assert.Equal(MlflowSpanTypes.Llm, chat.GetTagItem(MlflowAttributes.SpanType));
        Assert.Equal("""{"input_tokens":12,"output_tokens":7,"total_tokens":19}""", chat.GetTagItem(MlflowAttributes.ChatTokenUsage));
        Assert.Equal("m-1", chat.GetTagItem(MlflowAttributes.LlmModel));
        Assert.Equal("acme", chat.GetTagItem(MlflowAttributes.LlmProvider));
        Assert.Null(chat.GetTagItem(MlflowAttributes.SpanInputs)); // unreadable messages are left as they were
        Assert.Null(chat.GetTagItem(MlflowAttributes.MessageFormat));
        Assert.Equal(MlflowSpanTypes.Unknown, other.GetTagItem(MlflowAttributes.SpanType));
    }
}
