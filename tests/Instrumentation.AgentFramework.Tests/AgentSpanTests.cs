using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Runtime.Sessions;
using Instrumentation.Testing;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Instrumentation.AgentFramework.Tests;

public sealed class AgentSpanTests
{
    private static AIAgent TracedAgent(IChatClient model, string? description = "Answers weather questions.") =>
        new ChatClientAgent(model, new ChatClientAgentOptions
        {
            Id = "weather-1",
            Name = "WeatherAgent",
            Description = description,
            ChatOptions = new ChatOptions { Instructions = "You are a concise weather assistant." },
        }).AsBuilder().UseMlflowTracing().Build();

    [Fact]
    public async Task A_run_is_one_agent_span_with_the_users_messages_the_answer_and_the_agents_identity()
    {
        using var spans = new SpanCollector();
        var agent = TracedAgent(new ScriptedChatClient(ScriptedChatClient.Text("Sunny, 18 °C.")));

        var response = await agent.RunAsync("Weather in Paris?");

        Assert.Equal("Sunny, 18 °C.", response.Text);
        var span = spans.Single("WeatherAgent");
        Assert.Null(span.Parent);
        Assert.Equal(MlflowSpanTypes.Agent, span.Tag(MlflowAttributes.SpanType));
        Assert.Equal("invoke_agent", span.Tag(GenAiAttributes.OperationName));
        Assert.Equal("WeatherAgent", span.Tag(GenAiAttributes.AgentName));
        Assert.Equal("weather-1", span.Tag(GenAiAttributes.AgentId));
        Assert.Equal("Answers weather questions.", span.Tag(GenAiAttributes.AgentDescription));
        Assert.Equal("""{"messages":[{"role":"user","content":"Weather in Paris?"}]}""", span.Tag(MlflowAttributes.SpanInputs));
        Assert.Equal("\"Sunny, 18 °C.\"", span.Tag(MlflowAttributes.SpanOutputs));
        Assert.Null(span.Tag(MlflowAttributes.ChatTokenUsage));

        // The model call happened inside the run.
        Assert.Same(span, spans.Single("model-call").Parent);
    }

    [Fact]
    public async Task Every_run_on_one_session_carries_the_same_session_id_also_after_the_session_is_serialized()
    {
        using var spans = new SpanCollector();
        var agent = TracedAgent(new ScriptedChatClient(
            ScriptedChatClient.Text("One."), ScriptedChatClient.Text("Two."), ScriptedChatClient.Text("Three."), ScriptedChatClient.Text("Other.")));

        var session = await agent.CreateSessionAsync();
        await agent.RunAsync("first", session);
        await agent.RunAsync("second", session);
        var stored = await agent.SerializeSessionAsync(session);
        var restored = await agent.DeserializeSessionAsync(JsonDocument.Parse(stored.GetRawText()).RootElement);
        await agent.RunAsync("third", restored);
        await agent.RunAsync("elsewhere", await agent.CreateSessionAsync());

        var runs = spans.Spans.Where(s => s.DisplayName == "WeatherAgent").ToList();
        Assert.Equal(4, runs.Count);
        var ids = runs.Select(s => s.Tag(CommonAttributes.SessionId)).ToList();
        Assert.Matches("^[0-9a-f]{32}$", ids[0]);
        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(ids[0], ids[2]);
        Assert.NotEqual(ids[0], ids[3]);
        Assert.All(runs, s => Assert.Equal(s.Tag(CommonAttributes.SessionId), s.Tag(GenAiAttributes.ConversationId)));

        // Four runs, four traces: each run is its own root.
        Assert.Equal(4, runs.Select(s => s.TraceId).Distinct().Count());
    }

    [Fact]
    public async Task The_user_and_a_new_sessions_id_come_from_an_open_TraceSession()
    {
        using var spans = new SpanCollector();
        var agent = TracedAgent(new ScriptedChatClient(ScriptedChatClient.Text("One."), ScriptedChatClient.Text("Two.")));
        var session = await agent.CreateSessionAsync();

        using (TraceSession.Begin(sessionId: "chat-42", userId: "alice"))
        {
            await agent.RunAsync("first", session);
        }

        // The session keeps its id when the next run happens under another scope.
        using (TraceSession.Begin(sessionId: "other", userId: "bob"))
        {
            await agent.RunAsync("second", session);
        }

        var runs = spans.Spans.Where(s => s.DisplayName == "WeatherAgent").ToList();
        Assert.Equal(["chat-42", "chat-42"], runs.Select(s => s.Tag(CommonAttributes.SessionId)));
        Assert.Equal(["alice", "bob"], runs.Select(s => s.Tag(CommonAttributes.UserId)));
    }

    [Fact]
    public async Task A_streaming_run_is_one_span_whose_output_is_the_whole_answer_and_which_encloses_the_model_call()
    {
        using var spans = new SpanCollector();
        var agent = TracedAgent(new ScriptedChatClient(ScriptedChatClient.Text("Sunny and warm.")));

        var text = "";
        await foreach (var update in agent.RunStreamingAsync("Weather?"))
        {
            text += update.Text;
            Assert.NotEqual("WeatherAgent", System.Diagnostics.Activity.Current?.DisplayName);
        }

        Assert.Equal("Sunny and warm.", text);
        var span = spans.Single("WeatherAgent");
        Assert.Equal("\"Sunny and warm.\"", span.Tag(MlflowAttributes.SpanOutputs));
        Assert.Same(span, spans.Single("model-call").Parent);
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Ok, span.Status);
    }

    [Fact]
    public async Task A_failing_run_throws_the_same_exception_and_its_span_is_an_error()
    {
        using var spans = new SpanCollector();
        var agent = TracedAgent(new ScriptedChatClient()); // an empty script: the model throws

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => agent.RunAsync("Weather?"));

        Assert.Equal("The script has no more responses.", thrown.Message);
        var span = spans.Single("WeatherAgent");
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Error, span.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, span.Tag(CommonAttributes.ErrorType));
    }

    [Fact]
    public async Task Without_a_listener_the_run_is_the_inner_agents_and_the_session_gets_no_id()
    {
        var agent = TracedAgent(new ScriptedChatClient(ScriptedChatClient.Text("Sunny.")));
        var session = await agent.CreateSessionAsync();

        var response = await agent.RunAsync("Weather?", session);

        Assert.Equal("Sunny.", response.Text);
        Assert.False(session.StateBag.TryGetValue<string>(AgentSessionIds.StateKey, out _));
    }

    [Fact]
    public async Task A_span_name_given_through_the_Instrumentation_namespace_names_the_span()
    {
        using var spans = new SpanCollector();
        var agent = Instrumentation.InstrumentationAgentBuilderExtensions.UseMlflowTracing(
            new ChatClientAgent(new ScriptedChatClient(ScriptedChatClient.Text("Hi."))).AsBuilder(), "support-turn").Build();

        await agent.RunAsync("Hello");

        var span = spans.Single("support-turn");
        Assert.Null(span.Tag(GenAiAttributes.AgentName));
        Assert.NotNull(span.Tag(GenAiAttributes.AgentId));
    }
}
