using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Threading.Tasks;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Llm;
using Instrumentation.Testing;
using Meai = Microsoft.Extensions.AI;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// The provider-call middleware of [LlmCall] methods: one call id per invocation across its phases, exactly one
/// terminal phase, fail-open observers, policies, and retries that share a logical call id.
/// </summary>
public sealed class MiddlewareTests
{
    private sealed class Recorder : ILlmCallObserver
    {
        public ConcurrentQueue<(string CallId, string Phase, LlmCallInfo Call, object? Detail)> Phases { get; } = new();

        public void OnBefore(LlmCallInfo call) => Phases.Enqueue((call.CallId, "before", call, null));

        public void OnChunk(LlmCallInfo call, object? chunk, int index) => Phases.Enqueue((call.CallId, "chunk", call, index));

        public void OnAfter(LlmCallInfo call, LlmCallResult result) => Phases.Enqueue((call.CallId, "after", call, result));

        public void OnError(LlmCallInfo call, LlmCallFailure failure) => Phases.Enqueue((call.CallId, "error", call, failure));
    }

    private sealed class Throwing : ILlmCallObserver
    {
        public void OnBefore(LlmCallInfo call) => throw new InvalidOperationException("observer bug");

        public void OnAfter(LlmCallInfo call, LlmCallResult result) => throw new InvalidOperationException("observer bug");
    }

    private sealed class Policy(Func<LlmCallInfo, LlmCallDecision> decide) : ILlmCallPolicy
    {
        public LlmCallDecision Decide(LlmCallInfo call) => decide(call);
    }

    private static Meai.ChatResponse Response(long input, long output) =>
        new(new Meai.ChatMessage(Meai.ChatRole.Assistant, "ok")) { Usage = new Meai.UsageDetails { InputTokenCount = input, OutputTokenCount = output } };

    private static List<Meai.ChatMessage> Conversation(string text) => [new(Meai.ChatRole.User, text)];

    [Fact]
    public async Task Every_call_gets_one_before_and_exactly_one_terminal_phase_under_many_concurrent_calls()
    {
        using var spans = new SpanCollector();
        var recorder = new Recorder();
        using var registration = LlmCallObservers.Add(recorder);
        var models = LlmPrograms.NewModels();
        models.Next = Response(100, 5);
        models.FailAttempt = (Func<int, Exception?>)(call => call % 5 == 0 ? new TimeoutException("slow") : null);

        var calls = Enumerable.Range(0, 200).Select(async i =>
        {
            try
            {
                await (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("q" + i));
            }
            catch (TimeoutException)
            {
            }
        });
        await Task.WhenAll(calls);

        var byCall = recorder.Phases.GroupBy(p => p.CallId).ToList();
        Assert.Equal(200, byCall.Count);
        Assert.All(byCall, call =>
        {
            var phases = call.Select(p => p.Phase).ToList();
            Assert.Equal(2, phases.Count);
            Assert.Equal("before", phases[0]);
            Assert.Contains(phases[1], new[] { "after", "error" });
        });
        Assert.Equal(40, byCall.Count(c => c.Last().Phase == "error"));

        // The call id is the LLM span's id: observers and traces line up.
        var spanIds = spans.Spans.Where(s => s.DisplayName == "MeaiAsync").Select(s => s.SpanId.ToHexString()).ToHashSet();
        Assert.True(spanIds.SetEquals(byCall.Select(c => c.Key)));
    }

    [Fact]
    public async Task The_after_phase_carries_usage_the_provider_object_the_messages_and_their_fingerprint()
    {
        var recorder = new Recorder();
        using var registration = LlmCallObservers.Add(recorder);
        var models = LlmPrograms.NewModels();
        var response = Response(300, 12);
        models.Next = response;

        await (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("Weather in Paris?"));
        await (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("Weather in Paris?"));
        await (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("Weather in Rome?"));

        var afters = recorder.Phases.Where(p => p.Phase == "after").ToList();
        var first = (LlmCallResult)afters[0].Detail!;
        Assert.Equal(300, first.Usage.InputTokens);
        Assert.Equal(12, first.Usage.OutputTokens);
        Assert.Same(response.Usage, first.ProviderUsage);
        Assert.Same(response, first.Response);
        Assert.True(first.Latency > TimeSpan.Zero);
        var call = afters[0].Call;
        Assert.Equal("azure.ai.inference", call.Provider);
        Assert.Equal("Weather in Paris?", Assert.Single(call.Messages!).Content);
        Assert.Matches("^[0-9a-f]{32}$", call.MessagesFingerprint);
        Assert.Equal(call.MessagesFingerprint, afters[1].Call.MessagesFingerprint);
        Assert.NotEqual(call.MessagesFingerprint, afters[2].Call.MessagesFingerprint);
    }

    [Fact]
    public async Task Observers_see_calls_even_when_no_span_is_recorded()
    {
        var recorder = new Recorder();
        using var registration = LlmCallObservers.Add(recorder);
        var models = LlmPrograms.NewModels();
        models.Next = Response(1, 1);
        Assert.False(AgentTelemetry.IsEnabled);

        await (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("q"));

        Assert.Equal(["before", "after"], recorder.Phases.Select(p => p.Phase));
        Assert.Matches("^[0-9a-f]{16}$", recorder.Phases.First().CallId);
    }

    [Fact]
    public async Task A_throwing_observer_changes_nothing_for_the_call_and_is_counted()
    {
        using var spans = new SpanCollector();
        var recorder = new Recorder();
        using var bad = LlmCallObservers.Add(new Throwing());
        using var good = LlmCallObservers.Add(recorder);
        var models = LlmPrograms.NewModels();
        var response = Response(7, 3);
        models.Next = response;
        var errorsBefore = AgentTelemetry.InternalErrorCount;

        Meai.ChatResponse result = await models.MeaiAsync(Conversation("q"));

        Assert.Same(response, result);
        Assert.Equal(errorsBefore + 2, AgentTelemetry.InternalErrorCount);
        Assert.Equal(["before", "after"], recorder.Phases.Select(p => p.Phase));
        Assert.Equal(ActivityStatusCode.Ok, spans.Single("MeaiAsync").Status);
    }

    [Fact]
    public async Task Retries_inside_a_scope_share_a_logical_call_id_and_number_their_attempts()
    {
        using var spans = new SpanCollector();
        var recorder = new Recorder();
        using var registration = LlmCallObservers.Add(recorder);
        var models = LlmPrograms.NewModels();
        models.Next = Response(50, 5);
        models.FailAttempt = (Func<int, Exception?>)(call => call < 3 ? new HttpRequestException("server error", null, HttpStatusCode.InternalServerError) : null);

        Meai.ChatResponse? answer = null;
        using (var scope = LlmRetryScope.Begin("summarize-doc-7"))
        {
            for (var attempt = 1; answer is null; attempt++)
            {
                try
                {
                    answer = await models.MeaiAsync(Conversation("Summarize."));
                }
                catch (HttpRequestException) when (attempt < 3)
                {
                }
            }

            Assert.Equal(3, scope.Attempts);
        }

        var terminal = recorder.Phases.Where(p => p.Phase is "after" or "error").ToList();
        Assert.Equal(["error", "error", "after"], terminal.Select(p => p.Phase));
        Assert.All(terminal, p => Assert.Equal("summarize-doc-7", p.Call.LogicalCallId));
        Assert.Equal([1, 2, 3], terminal.Select(p => p.Call.Attempt));
        Assert.Equal(500, ((LlmCallFailure)terminal[0].Detail!).StatusCode);
        Assert.Equal("System.Net.Http.HttpRequestException", ((LlmCallFailure)terminal[0].Detail!).ErrorType);
        var attempts = spans.Spans.Where(s => s.DisplayName == "MeaiAsync").ToList();
        Assert.Equal(["1", "2", "3"], attempts.Select(s => s.Tag("instrumentation.llm.attempt")));
        Assert.All(attempts, s => Assert.Equal("summarize-doc-7", s.Tag("instrumentation.llm.logical_call_id")));
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Error, ActivityStatusCode.Ok], attempts.Select(s => s.Status));
    }

    [Fact]
    public async Task A_policy_can_block_a_call_before_the_body_runs()
    {
        using var spans = new SpanCollector();
        using var registration = LlmCallObservers.AddPolicy(new Policy(call => call.Messages![0].Content!.Contains("secret")
            ? LlmCallDecision.Block("The prompt contains a secret.")
            : LlmCallDecision.Continue));
        var models = LlmPrograms.NewModels();
        models.Next = Response(1, 1);

        var blocked = await Assert.ThrowsAsync<LlmCallBlockedException>(() => (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("my secret is 42")));
        await (Task<Meai.ChatResponse>)models.MeaiAsync(Conversation("hello"));

        Assert.Equal("The prompt contains a secret.", blocked.Message);
        Assert.Equal(1, (int)models.Calls);
        var spansByStatus = spans.Spans.Where(s => s.DisplayName == "MeaiAsync").Select(s => s.Status).ToList();
        Assert.Equal([ActivityStatusCode.Error, ActivityStatusCode.Ok], spansByStatus);
    }

    [Fact]
    public async Task A_policy_can_answer_with_a_substitute_and_a_wrongly_typed_one_is_ignored()
    {
        using var spans = new SpanCollector();
        var cached = Response(0, 0);
        var substitute = true;
        using var registration = LlmCallObservers.AddPolicy(new Policy(_ => LlmCallDecision.Substitute(substitute ? cached : "not a ChatResponse")));
        var models = LlmPrograms.NewModels();
        var live = Response(10, 2);
        models.Next = live;
        var errorsBefore = AgentTelemetry.InternalErrorCount;

        Meai.ChatResponse first = await models.MeaiAsync(Conversation("q"));
        substitute = false;
        Meai.ChatResponse second = await models.MeaiAsync(Conversation("q"));

        Assert.Same(cached, first);
        Assert.Same(live, second);
        Assert.Equal(1, (int)models.Calls);
        Assert.Equal(errorsBefore + 1, AgentTelemetry.InternalErrorCount);
        Assert.Equal(["""{"input_tokens":0,"output_tokens":0,"total_tokens":0}""", """{"input_tokens":10,"output_tokens":2,"total_tokens":12}"""],
            spans.Spans.Where(s => s.DisplayName == "MeaiAsync").Select(s => s.Tag("mlflow.chat.tokenUsage")));
    }

    [Fact]
    public async Task A_stream_reports_each_chunk_to_observers_between_before_and_after()
    {
        var recorder = new Recorder();
        using var registration = LlmCallObservers.Add(recorder);
        var models = LlmPrograms.NewModels();
        models.StreamItems.AddRange(new object[] { "a", "b", "c" });

        await foreach (var _ in (IAsyncEnumerable<string>)models.TextStream("hi"))
        {
        }

        Assert.Equal(["before", "chunk", "chunk", "chunk", "after"], recorder.Phases.Select(p => p.Phase));
        Assert.Equal([0, 1, 2], recorder.Phases.Where(p => p.Phase == "chunk").Select(p => (int)p.Detail!));
        Assert.NotNull(((LlmCallResult)recorder.Phases.Last().Detail!).TimeToFirstChunk);
    }
}
