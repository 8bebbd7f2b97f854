using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing.FakeMlflow;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace Instrumentation.AgentFramework.Tests;

/// <summary>
/// Microsoft's own <c>UseOpenTelemetry()</c> on the chat client and the agent, exported alone through
/// <c>AddMlflowExporter()</c> into the strict fake MLflow: the exporter's GenAI translation makes the spans MLflow-correct.
/// </summary>
public sealed class MicrosoftTelemetryExportTests
{
    private static async Task<FakeMlflowServer> ExportMicrosoftOnlyAsync()
    {
        var mlflow = FakeMlflowServer.Start();
        using (var provider = WeatherScenario.Provider(mlflow))
        {
            await WeatherScenario.RunTwoTurnsAsync(WeatherScenario.Agent(WeatherScenario.Model(), microsoft: true, ours: false));
            Assert.True(provider.ForceFlush(10_000));
        }

        return mlflow;
    }

    [Fact]
    public async Task Every_span_gets_a_searchable_span_type_from_its_GenAI_operation()
    {
        using var mlflow = await ExportMicrosoftOnlyAsync();

        Assert.Equal(2, mlflow.Traces.Count);
        var first = mlflow.Traces.Single(t => t.Spans.Count > 2);
        Assert.Equal("AGENT", first.Root!.SpanType);
        Assert.Equal(["AGENT", "LLM", "LLM", "TOOL", "TOOL"], first.Spans.Select(s => s.SpanType!).Order());
        Assert.All(mlflow.Traces.SelectMany(t => t.Spans), s => Assert.NotNull(s.SpanType));
    }

    [Fact]
    public async Task Token_usage_is_counted_once_the_agent_spans_aggregate_is_not_added_again()
    {
        using var mlflow = await ExportMicrosoftOnlyAsync();

        var usage = mlflow.Traces.Select(t => t.TokenUsage!).ToList();
        Assert.Equal(WeatherScenario.InputTokens, usage.Sum(u => u.InputTokens));
        Assert.Equal(WeatherScenario.OutputTokens, usage.Sum(u => u.OutputTokens));
        Assert.Equal(40, usage.Sum(u => u.CacheReadInputTokens));

        // The run's aggregate is still on the agent span, where MLflow does not add it up.
        var agent = mlflow.Traces.Single(t => t.Spans.Count > 2).Root!;
        Assert.Null(agent.Attribute(GenAiAttributes.UsageInputTokens));
        Assert.Equal("250", agent.Attribute("instrumentation.aggregate_usage.input_tokens"));
    }

    [Fact]
    public async Task Model_calls_are_in_the_chat_view_with_the_system_prompt_each_tool_result_and_OpenAI_tool_definitions()
    {
        using var mlflow = await ExportMicrosoftOnlyAsync();

        var first = mlflow.Traces.Single(t => t.Spans.Count > 2);
        var answer = first.Spans.Where(s => s.SpanType == "LLM").OrderBy(s => s.StartTimeUnixNano).Last();
        Assert.Equal("openai", answer.Attribute(MlflowAttributes.MessageFormat));

        using var inputs = JsonDocument.Parse(answer.Attribute(MlflowAttributes.SpanInputs)!);
        var messages = inputs.RootElement.GetProperty("messages").EnumerateArray().ToList();
        Assert.Equal(["system", "user", "assistant", "tool", "tool"], messages.Select(m => m.GetProperty("role").GetString()!));
        Assert.Equal("You are a concise weather assistant.", messages[0].GetProperty("content").GetString());
        Assert.Equal("call_1", messages[3].GetProperty("tool_call_id").GetString());
        Assert.Equal("sunny, 18 °C", messages[3].GetProperty("content").GetString());
        Assert.Equal("call_2", messages[4].GetProperty("tool_call_id").GetString());
        Assert.StartsWith("Error:", messages[4].GetProperty("content").GetString()); // FunctionInvokingChatClient hides the exception's message
        var calls = messages[2].GetProperty("tool_calls").EnumerateArray().ToList();
        Assert.Equal("get_forecast", calls[1].GetProperty("function").GetProperty("name").GetString());
        Assert.Equal("""{"city":"Atlantis"}""", calls[1].GetProperty("function").GetProperty("arguments").GetString());

        using var outputs = JsonDocument.Parse(answer.Attribute(MlflowAttributes.SpanOutputs)!);
        var choice = outputs.RootElement.GetProperty("choices")[0];
        Assert.Equal("Paris: sunny. Atlantis: not found.", choice.GetProperty("message").GetProperty("content").GetString());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());

        using var tools = JsonDocument.Parse(answer.Attribute("mlflow.chat.tools")!);
        var function = tools.RootElement[0].GetProperty("function");
        Assert.Equal("get_forecast", function.GetProperty("name").GetString());
        Assert.Equal("object", function.GetProperty("parameters").GetProperty("type").GetString());
        Assert.Equal("{\"input_tokens\":150,\"output_tokens\":30,\"total_tokens\":180,\"cache_read_input_tokens\":40}", answer.Attribute(MlflowAttributes.ChatTokenUsage));
    }

    [Fact]
    public async Task Tool_spans_record_arguments_and_results_and_the_agent_span_the_question_and_answer()
    {
        using var mlflow = await ExportMicrosoftOnlyAsync();

        var first = mlflow.Traces.Single(t => t.Spans.Count > 2);
        var tools = first.Spans.Where(s => s.SpanType == "TOOL").OrderBy(s => s.StartTimeUnixNano).ToList();
        Assert.Equal("""{"city":"Paris"}""", tools[0].Attribute(MlflowAttributes.SpanInputs));
        Assert.Equal("\"sunny, 18 °C\"", tools[0].Attribute(MlflowAttributes.SpanOutputs));
        Assert.Equal(ReceivedStatus.Error, tools[1].Status);

        Assert.Equal("""{"messages":[{"role":"user","content":"What's the weather in Paris and Atlantis?"}]}""", first.Root!.Attribute(MlflowAttributes.SpanInputs));
        Assert.Equal("\"Paris: sunny. Atlantis: not found.\"", first.Root!.Attribute(MlflowAttributes.SpanOutputs));
    }

    [Fact]
    public async Task A_conversation_id_becomes_the_traces_session()
    {
        using var mlflow = FakeMlflowServer.Start();
        var model = new ScriptedChatClient(ScriptedChatClient.Text("One.", 10, 2), ScriptedChatClient.Text("Two.", 10, 2))
        {
            StartsSpans = false,
            ConversationId = "conv-7",
        };
        using (var provider = WeatherScenario.Provider(mlflow))
        {
            await WeatherScenario.RunTwoTurnsAsync(WeatherScenario.Agent(model, microsoft: true, ours: false));
            Assert.True(provider.ForceFlush(10_000));
        }

        // The first call has no conversation yet; from the second turn on the agent passes the service's id.
        var second = mlflow.Traces.OrderBy(t => t.Root!.StartTimeUnixNano).Last();
        Assert.Equal("conv-7", second.Session);
    }
}
