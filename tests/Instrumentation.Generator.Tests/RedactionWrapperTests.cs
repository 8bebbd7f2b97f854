using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// Secrets never reach a trace through generated wrappers (issue 14): each case leaked before the runtime's redaction
/// policy, because the generator's compile-time name check saw only top-level parameter names from a short list.
/// </summary>
public sealed class RedactionWrapperTests
{
    private const string Program = """
        using System.Collections.Generic;
        using System.Threading.Tasks;
        using Instrumentation;

        namespace Demo;

        public sealed class ServiceSettings
        {
            public string Endpoint { get; set; } = "";
            public string ApiKey { get; set; } = "";
        }

        public partial class Tools
        {
            [Tool] public partial int Migrate(string connectionString, int batchSize);
            private int MigrateCore(string connectionString, int batchSize) => batchSize;

            [Tool] public partial string Configure(ServiceSettings settings);
            private string ConfigureCore(ServiceSettings settings) => settings.Endpoint;

            [Tool] public partial int Fetch(string url, Dictionary<string, string> headers);
            private int FetchCore(string url, Dictionary<string, string> headers) => headers.Count;

            [Tool] public partial ServiceSettings Load(string name);
            private ServiceSettings LoadCore(string name) => new() { Endpoint = name, ApiKey = "abc123" };

            [LlmCall(Model = "m", Provider = "p")]
            public partial Task<string> AskAsync(string prompt);
            private Task<string> AskAsyncCore(string prompt) => Task.FromResult("use sk-proj-AbCdEf0123456789abcdefXYZ");
        }
        """;

    private static readonly Lazy<Assembly> s_assembly = new(() => GeneratorHarness.Run(Program).Load());

    private static object NewTools() => Activator.CreateInstance(s_assembly.Value.GetType("Demo.Tools")!)!;

    [Fact]
    public void A_connection_string_parameter_is_redacted_and_a_count_beside_it_kept()
    {
        using var spans = new SpanCollector();

        Assert.Equal(500, Reflect.Call(NewTools(), "Migrate", "Server=db;Password=hunter2", 500));

        Assert.Equal("""{"connectionString":"[REDACTED]","batchSize":500}""", spans.Single("Migrate").Tag("mlflow.spanInputs"));
    }

    [Fact]
    public void An_objects_ApiKey_property_is_redacted_in_inputs_and_outputs()
    {
        using var spans = new SpanCollector();
        var settingsType = s_assembly.Value.GetType("Demo.ServiceSettings")!;
        var settings = Activator.CreateInstance(settingsType)!;
        settingsType.GetProperty("Endpoint")!.SetValue(settings, "https://api.example.com");
        settingsType.GetProperty("ApiKey")!.SetValue(settings, "abc123");

        Reflect.Call(NewTools(), "Configure", settings);
        Reflect.Call(NewTools(), "Load", "svc");

        Assert.Equal("""{"settings":{"Endpoint":"https://api.example.com","ApiKey":"[REDACTED]"}}""", spans.Single("Configure").Tag("mlflow.spanInputs"));
        Assert.Equal("""{"Endpoint":"svc","ApiKey":"[REDACTED]"}""", spans.Single("Load").Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public void A_dictionarys_Authorization_header_is_redacted()
    {
        using var spans = new SpanCollector();
        var headers = new Dictionary<string, string> { ["Authorization"] = "Bearer abcdef1234567890XYZ", ["Accept"] = "text/plain" };

        Reflect.Call(NewTools(), "Fetch", "https://example.com", headers);

        Assert.Equal("""{"url":"https://example.com","headers":{"Authorization":"[REDACTED]","Accept":"text/plain"}}""", spans.Single("Fetch").Tag("mlflow.spanInputs"));
    }

    [Fact]
    public async Task A_bearer_token_in_a_prompt_and_a_key_in_the_answer_are_redacted()
    {
        using var spans = new SpanCollector();

        var answer = await Reflect.AwaitResult(Reflect.Call(NewTools(), "AskAsync", "Call it with Authorization: Bearer abcdef1234567890XYZ"));

        // The user's code gets the answer unchanged; only the recorded copy is redacted.
        Assert.Equal("use sk-proj-AbCdEf0123456789abcdefXYZ", answer);
        var llm = spans.Single("AskAsync");
        Assert.Equal("""{"messages":[{"role":"user","content":"Call it with Authorization: Bearer [REDACTED]"}],"model":"m"}""", llm.Tag("mlflow.spanInputs"));
        Assert.Equal("\"use [REDACTED]\"", llm.Tag("mlflow.spanOutputs"));
    }
}
