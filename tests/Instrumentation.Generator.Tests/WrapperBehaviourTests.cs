using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// Compiles a small agent with the generator, runs it under an ActivityListener, and checks what the wrappers record
/// and that they never change what the user's code returns or throws.
/// </summary>
public sealed class WrapperBehaviourTests
{
    private const string Program = """
        using System;
        using System.Threading;
        using System.Threading.Tasks;
        using Instrumentation;

        namespace Demo;

        public sealed class CityNotFoundException : Exception
        {
            public CityNotFoundException(string city) : base("City not found: " + city) { }
        }

        public sealed record Forecast(string City, int TemperatureC);

        public partial class WeatherAgent
        {
            public int RunCalls, ForecastCalls, CompleteCalls, SyncThrowCalls;
            public static readonly Exception Failure = new InvalidOperationException("model exploded");
            public static readonly Task<int> CachedAnswer = Task.FromResult(42);
            public TaskCompletionSource<string> Gate = new();

            [AgentSpan(AgentName = "weather")]
            public partial Task<string> RunAsync(string question, CancellationToken ct = default);

            private async Task<string> RunAsyncCore(string question, CancellationToken ct)
            {
                RunCalls++;
                var paris = await GetForecastAsync("Paris");
                string atlantis;
                try { atlantis = (await GetForecastAsync("Atlantis")).City; }
                catch (CityNotFoundException) { atlantis = "unknown"; }
                var answer = await CompleteAsync($"{paris.City}:{paris.TemperatureC};{atlantis}");
                return answer;
            }

            [Tool(Description = "Looks up the forecast for a city.")]
            public partial Task<Forecast> GetForecastAsync(string city);

            private async Task<Forecast> GetForecastAsyncCore(string city)
            {
                ForecastCalls++;
                await Task.Yield();
                if (city == "Atlantis") throw new CityNotFoundException(city);
                return new Forecast(city, 18);
            }

            [LlmCall(Model = "offline-model", Provider = "offline")]
            public partial ValueTask<string> CompleteAsync(string prompt);

            private async ValueTask<string> CompleteAsyncCore(string prompt)
            {
                CompleteCalls++;
                await Task.Yield();
                return "answer for " + prompt;
            }

            [Tool] public partial Task<int> FailAsync();
            private async Task<int> FailAsyncCore() { await Task.Yield(); throw Failure; }

            [Tool] public partial int FailSync();
            private int FailSyncCore() => throw Failure;

            [Tool] public partial Task<int> ThrowBeforeTaskAsync(string argument);
            private Task<int> ThrowBeforeTaskAsyncCore(string argument)
            {
                SyncThrowCalls++;
                throw new ArgumentException("bad argument", nameof(argument));
            }

            [Tool] public partial Task<int> CachedAsync();
            private Task<int> CachedAsyncCore() => CachedAnswer;

            [Tool] public partial Task<string> WaitAsync();
            private Task<string> WaitAsyncCore() => Gate.Task;

            [Tool] public partial int Add(int a, int b);
            private int AddCore(int a, int b) => a + b;

            [Tool] public partial ValueTask<int> AddValueAsync(int a, int b);
            private ValueTask<int> AddValueAsyncCore(int a, int b) => new(a + b);

            [Tool] public partial Task<int> CanceledAsync(CancellationToken ct);
            private async Task<int> CanceledAsyncCore(CancellationToken ct) { await Task.Delay(Timeout.Infinite, ct); return 0; }
        }
        """;

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(Program).Load());

    private static object NewAgent() => Activator.CreateInstance(s_assembly.Value.GetType("Demo.WeatherAgent")!)!;

    private static int Counter(object agent, string field) => (int)agent.GetType().GetField(field)!.GetValue(agent)!;

    [Fact]
    public async Task An_agent_run_records_a_nested_tree_with_every_attribute()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();

        var answer = await Reflect.AwaitResult(Reflect.Call(agent, "RunAsync", "Weather?", default(System.Threading.CancellationToken)));

        Assert.Equal("answer for Paris:18;unknown", answer);
        Assert.Equal(1, Counter(agent, "RunCalls"));
        Assert.Equal(2, Counter(agent, "ForecastCalls"));
        Assert.Equal(1, Counter(agent, "CompleteCalls"));

        var root = spans.Single("RunAsync");
        var tools = spans.Spans.Where(s => s.DisplayName == "GetForecastAsync").OrderBy(s => s.StartTimeUtc).ToList();
        var llm = spans.Single("CompleteAsync");
        Assert.Equal(4, spans.Spans.Count);
        Assert.Equal(default, root.ParentSpanId);
        Assert.All(tools.Append(llm), child =>
        {
            Assert.Equal(root.TraceId, child.TraceId);
            Assert.Equal(root.SpanId, child.ParentSpanId);
        });

        Assert.Equal("AGENT", root.Tag("mlflow.spanType"));
        Assert.Equal("invoke_agent", root.Tag("gen_ai.operation.name"));
        Assert.Equal("weather", root.Tag("gen_ai.agent.name"));
        Assert.Equal("""{"question":"Weather?"}""", root.Tag("mlflow.spanInputs"));
        Assert.Equal("\"answer for Paris:18;unknown\"", root.Tag("mlflow.spanOutputs"));
        Assert.Equal(ActivityStatusCode.Ok, root.Status);

        var paris = tools[0];
        Assert.Equal("TOOL", paris.Tag("mlflow.spanType"));
        Assert.Equal("execute_tool", paris.Tag("gen_ai.operation.name"));
        Assert.Equal("GetForecastAsync", paris.Tag("gen_ai.tool.name"));
        Assert.Equal("function", paris.Tag("gen_ai.tool.type"));
        Assert.Equal("Looks up the forecast for a city.", paris.Tag("gen_ai.tool.description"));
        Assert.Equal("""{"city":"Paris"}""", paris.Tag("mlflow.spanInputs"));
        Assert.Equal("""{"City":"Paris","TemperatureC":18}""", paris.Tag("mlflow.spanOutputs"));
        Assert.Equal(ActivityStatusCode.Ok, paris.Status);

        var atlantis = tools[1];
        Assert.Equal("""{"city":"Atlantis"}""", atlantis.Tag("mlflow.spanInputs"));
        Assert.Null(atlantis.Tag("mlflow.spanOutputs"));
        Assert.Equal(ActivityStatusCode.Error, atlantis.Status);
        Assert.Equal("City not found: Atlantis", atlantis.StatusDescription);
        Assert.Equal("Demo.CityNotFoundException", atlantis.Tag("error.type"));
        var exception = Assert.Single(atlantis.Events);
        Assert.Equal("exception", exception.Name);
        Assert.Equal("Demo.CityNotFoundException", exception.Tags.Single(t => t.Key == "exception.type").Value);
        Assert.Equal("City not found: Atlantis", exception.Tags.Single(t => t.Key == "exception.message").Value);

        Assert.Equal("LLM", llm.Tag("mlflow.spanType"));
        Assert.Equal(ActivityKind.Client, llm.Kind);
        Assert.Equal("chat", llm.Tag("gen_ai.operation.name"));
        Assert.Equal("offline-model", llm.Tag("gen_ai.request.model"));
        Assert.Equal("offline-model", llm.Tag("mlflow.llm.model"));
        Assert.Equal("offline", llm.Tag("mlflow.llm.provider"));
        Assert.Equal("offline", llm.Tag("gen_ai.provider.name"));
        // A single prompt string is recorded as a one-message conversation, for MLflow's chat view.
        Assert.Equal("""{"messages":[{"role":"user","content":"Paris:18;unknown"}],"model":"offline-model"}""", llm.Tag("mlflow.spanInputs"));
        Assert.Equal("openai", llm.Tag("mlflow.message.format"));
        Assert.Equal("\"answer for Paris:18;unknown\"", llm.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task An_exception_is_rethrown_as_the_same_object_and_the_body_runs_once()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();
        var expected = s_assembly.Value.GetType("Demo.WeatherAgent")!.GetField("Failure")!.GetValue(null);

        var asyncFailure = await Assert.ThrowsAsync<InvalidOperationException>(() => Reflect.AwaitResult(Reflect.Call(agent, "FailAsync")));
        var syncFailure = Assert.Throws<InvalidOperationException>(() => Reflect.Call(agent, "FailSync"));

        Assert.Same(expected, asyncFailure);
        Assert.Same(expected, syncFailure);
        foreach (var name in new[] { "FailAsync", "FailSync" })
        {
            var span = spans.Single(name);
            Assert.Equal(ActivityStatusCode.Error, span.Status);
            Assert.Equal("model exploded", span.StatusDescription);
            Assert.Equal("System.InvalidOperationException", span.Tag("error.type"));
            Assert.Equal("exception", Assert.Single(span.Events).Name);
        }
    }

    [Fact]
    public void A_body_that_throws_before_returning_a_task_throws_synchronously_as_without_tracing()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();

        // The call itself throws: no task comes back to await, exactly as without the wrapper.
        var thrown = Assert.Throws<ArgumentException>(() => Reflect.Call(agent, "ThrowBeforeTaskAsync", "x"));

        Assert.Equal("argument", thrown.ParamName);
        Assert.Equal(1, Counter(agent, "SyncThrowCalls"));
        var span = spans.Single("ThrowBeforeTaskAsync");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.True(span.IsStopped);
        Assert.Null(Activity.Current);
    }

    [Fact]
    public void A_task_that_already_completed_is_returned_as_the_same_object()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();
        var cached = s_assembly.Value.GetType("Demo.WeatherAgent")!.GetField("CachedAnswer")!.GetValue(null);

        var returned = Reflect.Call(agent, "CachedAsync");

        Assert.Same(cached, returned);
        Assert.Equal("42", spans.Single("CachedAsync").Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task A_pending_task_keeps_the_span_open_until_it_completes_without_leaking_Activity_Current()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();
        var gate = (TaskCompletionSource<string>)agent.GetType().GetField("Gate")!.GetValue(agent)!;

        var pending = (Task<string>)Reflect.Call(agent, "WaitAsync")!;

        Assert.Null(Activity.Current);
        Assert.Empty(spans.Spans);
        gate.SetResult("opened");
        Assert.Equal("opened", await pending);
        var span = spans.Single("WaitAsync");
        Assert.Equal("\"opened\"", span.Tag("mlflow.spanOutputs"));
        Assert.Equal(ActivityStatusCode.Ok, span.Status);
    }

    [Fact]
    public async Task Cancellation_ends_the_span_as_an_error_naming_the_cancellation()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();
        using var cancellation = new System.Threading.CancellationTokenSource();

        var pending = (Task<int>)Reflect.Call(agent, "CanceledAsync", cancellation.Token)!;
        cancellation.Cancel();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pending);
        var span = spans.Single("CanceledAsync");
        Assert.Equal(ActivityStatusCode.Error, span.Status);
        Assert.Equal("System.Threading.Tasks.TaskCanceledException", span.Tag("error.type"));
        Assert.Null(span.Tag("mlflow.spanInputs"));
    }

    [Fact]
    public async Task Without_a_listener_wrappers_call_the_body_and_allocate_nothing()
    {
        var agent = NewAgent();
        Assert.False(Instrumentation.Runtime.AgentTelemetry.IsEnabled);
        var add = agent.GetType().GetMethod("Add")!.CreateDelegate<Func<int, int, int>>(agent);
        var cached = agent.GetType().GetMethod("CachedAsync")!.CreateDelegate<Func<Task<int>>>(agent);
        var addValue = agent.GetType().GetMethod("AddValueAsync")!.CreateDelegate<Func<int, int, ValueTask<int>>>(agent);

        // Warm up: the first calls JIT-compile and may allocate.
        for (var i = 0; i < 100; i++)
        {
            add(1, 2);
            await cached();
            await addValue(1, 2);
        }

        var (allocated, sum) = MeasureCompletedCalls(add, cached, addValue);

        Assert.Equal(0, allocated);
        Assert.Equal(Enumerable.Range(0, 1000).Sum(i => (i + 1) + 42 + (i + 1)), sum);
    }

    // Outside the test method: the completed tasks are read synchronously on purpose, to measure only the wrappers.
    private static (long Allocated, int Sum) MeasureCompletedCalls(Func<int, int, int> add, Func<Task<int>> cached, Func<int, int, ValueTask<int>> addValue)
    {
        var sum = 0;
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 1000; i++)
        {
            sum += add(i, 1);
            sum += cached().GetAwaiter().GetResult();
            sum += addValue(i, 1).GetAwaiter().GetResult();
        }

        return (GC.GetAllocatedBytesForCurrentThread() - before, sum);
    }

    [Fact]
    public void A_span_the_sampler_drops_records_nothing_but_the_body_still_runs()
    {
        // The SDK's AlwaysOff sampler: the span exists for context propagation only and is never recorded.
        using var spans = new SpanCollector(new OpenTelemetry.Trace.AlwaysOffSampler());
        var agent = NewAgent();

        var result = Reflect.Call(agent, "Add", 20, 22);

        Assert.Equal(42, result);
        Assert.Empty(spans.Spans);
    }

    [Fact]
    public void A_trace_session_puts_session_and_user_on_the_root_span()
    {
        using var spans = new SpanCollector();
        var agent = NewAgent();

        using (Instrumentation.Runtime.Sessions.TraceSession.Begin("chat-42", userId: "alice"))
        {
            Reflect.Call(agent, "Add", 1, 1);
        }

        var span = spans.Single("Add");
        Assert.Equal("chat-42", span.Tag("session.id"));
        Assert.Equal("alice", span.Tag("user.id"));
    }
}
