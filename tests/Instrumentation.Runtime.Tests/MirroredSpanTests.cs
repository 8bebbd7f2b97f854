using System.Diagnostics;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;

namespace Instrumentation.Runtime.Tests;

/// <summary>Our span inside another library's span of the same GenAI operation starts beside it (MirroredSpans).</summary>
public sealed class MirroredSpanTests
{
    private static readonly ActivitySource s_foreign = new("Tests.ForeignGenAi");

    private static ActivityListener ListenToForeign() => new()
    {
        // By name: a source created after the listener is listened to as well.
        ShouldListenTo = source => source.Name == "Tests.ForeignGenAi",
        Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
    };

    [Fact]
    public void An_LLM_span_inside_a_foreign_chat_span_starts_under_that_spans_parent_and_marks_it()
    {
        using var spans = new SpanCollector();
        using var listener = ListenToForeign();
        ActivitySource.AddActivityListener(listener);

        var agent = AgentSpan.Start("run");
        using var chat = s_foreign.StartActivity("chat gpt-4o")!;
        chat.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.Chat);

        var llm = LlmSpan.Start("chat");
        Assert.Same(agent.Activity, llm.Activity!.Parent);
        Assert.Same(llm.Activity, Activity.Current);
        llm.End();

        // The foreign span is current again for the code that started it, and is known as a mirror.
        Assert.Same(chat, Activity.Current);
        Assert.True(MirroredSpans.IsMirrored(chat));
        chat.Stop();
        agent.End();
    }

    [Fact]
    public void A_span_of_another_operation_inside_a_foreign_span_nests_under_it()
    {
        using var spans = new SpanCollector();
        using var listener = ListenToForeign();
        ActivitySource.AddActivityListener(listener);

        using var foreignTool = s_foreign.StartActivity("execute_tool lookup")!;
        foreignTool.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.ExecuteTool);

        var llm = LlmSpan.Start("chat");
        Assert.Same(foreignTool, llm.Activity!.Parent);
        llm.End();
        Assert.False(MirroredSpans.IsMirrored(foreignTool));
    }

    [Fact]
    public void Beside_a_foreign_root_of_the_same_operation_our_span_is_the_root_of_the_same_trace()
    {
        using var spans = new SpanCollector();
        using var listener = ListenToForeign();
        ActivitySource.AddActivityListener(listener);

        using var foreignAgent = s_foreign.StartActivity("invoke_agent helper")!;
        foreignAgent.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.InvokeAgent);

        var agent = AgentSpan.Start("helper");
        Assert.Null(agent.Activity!.Parent);
        Assert.Equal(default, agent.Activity.ParentSpanId);
        Assert.Equal(foreignAgent.TraceId, agent.Activity.TraceId);
        agent.End();
        Assert.True(MirroredSpans.IsMirrored(foreignAgent));
    }

    [Fact]
    public void A_foreign_span_directly_inside_ours_of_the_same_type_is_a_mirror()
    {
        using var spans = new SpanCollector();
        using var listener = ListenToForeign();
        ActivitySource.AddActivityListener(listener);

        var tool = ToolSpan.Start("lookup");
        using var foreignTool = s_foreign.StartActivity("execute_tool lookup")!;
        foreignTool.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.ExecuteTool);
        using var foreignChat = s_foreign.StartActivity("chat")!;
        foreignChat.SetTag(GenAiAttributes.OperationName, GenAiAttributes.Operations.Chat);

        Assert.True(MirroredSpans.IsMirrored(foreignTool));
        Assert.False(MirroredSpans.IsMirrored(foreignChat));
        foreignChat.Stop();
        foreignTool.Stop();
        tool.End();
    }
}
