using System;
using System.Collections.Generic;
using System.Linq;
using Instrumentation.Runtime.CompilerServices;
using Instrumentation.Runtime.Chat;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// Secrets never reach a span (issue 14): each leak measured before the redaction policy existed is one test here, on
/// the span API the generated wrappers and the OpenClaw bridge both record through.
/// </summary>
public sealed class RedactionTests
{
    private const string OpenAiKey = "sk-proj-AbCdEf0123456789abcdefXYZ";

    public sealed class ServiceSettings
    {
        public string Endpoint { get; set; } = "";

        public string ApiKey { get; set; } = "";

        public int MaxTokens { get; set; }
    }

    public sealed class Envelope
    {
        public string Name { get; set; } = "";

        public string Body { get; set; } = "";
    }

    private static string? Output<T>(T value) => Recorded.Output(value);

    private static string? Inputs(Action<CompilerServices.SpanInputs> add) => Recorded.Inputs(add);

    [Fact]
    public void A_connection_string_parameter_is_redacted_by_its_name_and_its_password_by_its_shape()
    {
        var json = Inputs(inputs =>
        {
            inputs.Add("connectionString", "Server=db;Password=hunter2");
            inputs.Add("query", "Server=db;Password=hunter2");
            inputs.Add("maxTokens", 256);
        });

        Assert.Equal("""{"connectionString":"[REDACTED]","query":"Server=db;Password=[REDACTED]","maxTokens":256}""", json);
    }

    [Fact]
    public void An_objects_secret_named_property_is_redacted_and_its_other_properties_kept()
    {
        var json = Output(new ServiceSettings { Endpoint = "https://api.example.com", ApiKey = "abc123", MaxTokens = 512 });

        Assert.Equal("""{"Endpoint":"https://api.example.com","ApiKey":"[REDACTED]","MaxTokens":512}""", json);
    }

    [Fact]
    public void A_dictionarys_authorization_header_is_redacted_at_any_depth()
    {
        var headers = new Dictionary<string, string> { ["Authorization"] = "Basic dXNlcjpwYXNz", ["Accept"] = "application/json" };

        var json = Inputs(inputs => inputs.Add("request", new Dictionary<string, object> { ["url"] = "/v1", ["headers"] = headers }));

        Assert.Equal("""{"request":{"url":"/v1","headers":{"Authorization":"[REDACTED]","Accept":"application/json"}}}""", json);
    }

    [Fact]
    public void A_bearer_token_inside_an_LLM_message_is_redacted_and_the_message_kept()
    {
        using var spans = new SpanCollector();
        using (var span = LlmSpan.Start("chat", "gpt-test"))
        {
            span.SetChatInputs([new RecordedChatMessage("user", "Call it with Authorization: Bearer abcdef1234567890XYZ please")]);
        }

        Assert.Equal(
            """{"messages":[{"role":"user","content":"Call it with Authorization: Bearer [REDACTED] please"}],"model":null}""".Replace(",\"model\":null", ""),
            spans.Single("chat").Tag("mlflow.spanInputs"));
    }

    [Fact]
    public void A_key_written_in_free_text_is_redacted_in_outputs_and_inside_objects()
    {
        Assert.Equal("\"my key is [REDACTED], keep it safe\"", Output("my key is " + OpenAiKey + ", keep it safe"));
        Assert.Equal("""{"Name":"note","Body":"use [REDACTED] now"}""", Output(new Envelope { Name = "note", Body = "use " + OpenAiKey + " now" }));
    }

    [Fact]
    public void A_case_sensitive_prefix_met_first_in_another_case_does_not_hide_the_secret_after_it()
    {
        // "Asia" and "EYJ" are the case-sensitive prefixes ASIA and eyJ in another case (EYJ even has eyJ's anchor,
        // J): the pre-filter must pass over them and still find the key later in the same text.
        const string AwsKey = "AKIAIOSFODNN7EXAMPLE";
        Assert.Equal("\"Asia and EYJ, then [REDACTED]\"", Output("Asia and EYJ, then " + AwsKey));
        Assert.Equal("""{"Name":"asia","Body":"Asia and EYJ, then [REDACTED]"}""", Output(new Envelope { Name = "asia", Body = "Asia and EYJ, then " + AwsKey }));
        Assert.Equal("\"Asia and EYJ, no key\"", Output("Asia and EYJ, no key"));
    }

    public sealed record Endpoint(string Name, Uri Address);

    [Fact]
    public void Credentials_in_a_Uri_property_are_redacted_though_the_string_converter_never_writes_it()
    {
        // A Uri is written by its own converter, not the capped string one: only the scan of the object's JSON sees it.
        Assert.Equal(
            """{"Name":"db","Address":"https://admin:[REDACTED]@db.example.com/"}""",
            Output(new Endpoint("db", new Uri("https://admin:hunter2@db.example.com/"))));
    }

    [Fact]
    public void Tool_call_arguments_are_redacted_by_key_in_the_model_output()
    {
        using var spans = new SpanCollector();
        using (var span = LlmSpan.Start("chat"))
        {
            var call = new RecordedToolCall("c1", "deploy", """{"apiKey":"abc123","region":"eu"}""");
            span.SetChatOutput(new RecordedChatMessage("assistant", null, [call]));
        }

        var outputs = spans.Single("chat").Tag("mlflow.spanOutputs")!;
        var arguments = System.Text.Json.Nodes.JsonNode.Parse(outputs)!["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>();
        Assert.Equal("""{"apiKey":"[REDACTED]","region":"eu"}""", arguments);
        Assert.DoesNotContain("abc123", outputs, StringComparison.Ordinal);
    }

    [Fact]
    public void Tool_call_argument_maps_are_redacted_by_key()
    {
        var json = ChatRequests.ArgumentsJson(new Dictionary<string, object?> { ["password"] = "pw", ["city"] = "Paris", ["token_count"] = 3 });

        Assert.Equal("""{"password":"[REDACTED]","city":"Paris","token_count":3}""", json);
    }

    [Fact]
    public void Json_text_recorded_as_is_is_redacted_by_key_and_by_shape()
    {
        using var spans = new SpanCollector();
        using (var span = ToolSpan.Start("t"))
        {
            span.SetInputsJson("""{"apiKey":"abc123","command":"curl -H 'Authorization: Bearer abcdef1234567890XYZ'"}""");
            span.SetOutputJson("\"done with " + OpenAiKey + "\"");
        }

        var recorded = spans.Single("t");
        Assert.Equal("""{"apiKey":"[REDACTED]","command":"curl -H 'Authorization: Bearer [REDACTED]'"}""", recorded.Tag("mlflow.spanInputs"));
        Assert.Equal("\"done with [REDACTED]\"", recorded.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public void A_secret_quoted_in_an_error_message_is_redacted_in_the_status_and_the_exception_event()
    {
        using var spans = new SpanCollector();
        using (var span = ToolSpan.Start("t"))
        {
            span.SetError(new InvalidOperationException("cannot open Server=db;Password=hunter2;"));
        }

        using (var span = ToolSpan.Start("u"))
        {
            span.SetError("tool_error", "curl failed: Authorization: Bearer abcdef1234567890XYZ");
        }

        var failed = spans.Single("t");
        Assert.Equal("cannot open Server=db;Password=[REDACTED];", failed.StatusDescription);
        Assert.Equal("cannot open Server=db;Password=[REDACTED];", Assert.Single(failed.Events).Tags.Single(t => t.Key == "exception.message").Value);
        Assert.Equal("curl failed: Authorization: Bearer [REDACTED]", spans.Single("u").StatusDescription);
    }

    [Fact]
    public void Request_fingerprints_for_observers_see_the_secrets_the_spans_never_record()
    {
        // Two requests that differ only in a key must not look like the same request to a caching policy.
        var first = Llm.Fingerprint.Of([new RecordedChatMessage("user", "use " + OpenAiKey)]);
        var second = Llm.Fingerprint.Of([new RecordedChatMessage("user", "use " + OpenAiKey.Replace('A', 'B'))]);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void Turning_redaction_off_records_values_as_they_are()
    {
        using var _ = new TelemetryOptionsScope(o => o.Redaction.Enabled = false);

        Assert.Equal("""{"apiKey":"abc123"}""", Inputs(inputs => inputs.Add("apiKey", "abc123")));
        Assert.Equal("\"" + OpenAiKey + "\"", Output(OpenAiKey));
    }

    [Fact]
    public void Extra_names_and_patterns_from_the_options_are_redacted_too()
    {
        using var _ = new TelemetryOptionsScope(o =>
        {
            o.Redaction.SecretNames.Add("social security number");
            o.Redaction.SecretValuePatterns.Add("(ACME-)[0-9]{6}");
        });

        var json = Inputs(inputs =>
        {
            inputs.Add("socialSecurityNumber", "123-45-6789");
            inputs.Add("ticket", "see ACME-123456");
            inputs.Add("password", "still redacted");
        });

        Assert.Equal("""{"socialSecurityNumber":"[REDACTED]","ticket":"see ACME-[REDACTED]","password":"[REDACTED]"}""", json);
    }

    [Fact]
    public void A_custom_redactor_sees_every_string_after_the_rules_and_a_failing_one_records_the_marker()
    {
        using (new TelemetryOptionsScope(o => o.Redaction.CustomRedactor = text => text.Replace("Alice", "[NAME]", StringComparison.Ordinal)))
        {
            Assert.Equal("\"[NAME] used [REDACTED]\"", Output("Alice used " + OpenAiKey));
            Assert.Equal("""{"Name":"[NAME]","Body":"hi"}""", Output(new Envelope { Name = "Alice", Body = "hi" }));
        }

        using (new TelemetryOptionsScope(o => o.Redaction.CustomRedactor = _ => throw new InvalidOperationException("redactor bug")))
        {
            var errors = AgentTelemetry.InternalErrorCount;

            Assert.Equal("\"[REDACTED]\"", Output("Alice"));
            Assert.True(AgentTelemetry.InternalErrorCount > errors);
        }
    }

    [Fact]
    public void An_invalid_extra_pattern_is_refused_by_Configure_naming_the_pattern_and_the_options_stay()
    {
        var error = Assert.Throws<ArgumentException>(() => AgentTelemetry.Configure(o => o.Redaction.SecretValuePatterns.Add("([unclosed")));

        Assert.Contains("AgentTelemetryOptions.Redaction.SecretValuePatterns[0]", error.Message, StringComparison.Ordinal);
        Assert.Contains("'([unclosed'", error.Message, StringComparison.Ordinal);
        Assert.Empty(AgentTelemetry.Options.Redaction.SecretValuePatterns);
    }

    [Fact]
    public void The_options_copy_is_deep_so_changing_it_changes_nothing()
    {
        var copy = AgentTelemetry.Options;
        copy.Redaction.SecretNames.Add("city");

        Assert.Equal("""{"city":"Paris"}""", Inputs(inputs => inputs.Add("city", "Paris")));
    }

    [Fact]
    public void A_secret_across_the_size_cap_leaves_no_prefix_of_itself_in_the_cut_value()
    {
        using var _ = new TelemetryOptionsScope(o => o.MaxValueBytes = 100);
        var text = new string('a', 90) + " " + OpenAiKey + " " + new string('b', 200);

        var json = Output(text)!;

        Assert.DoesNotContain("sk-", json, StringComparison.Ordinal);
        // Redacted first, then cut at 100 bytes: the cut falls inside the marker.
        Assert.StartsWith("\"" + new string('a', 90) + " [REDACTED…", json, StringComparison.Ordinal);
        // The marker names the size of the redacted value: 90 + 1 + 10 + 1 + 200 bytes.
        Assert.EndsWith("…[truncated: 302 bytes]\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_huge_string_inside_an_object_stops_serialization_at_the_cap()
    {
        var huge = new Envelope { Name = "dump", Body = new string('x', 50 * 1024 * 1024) };

        var json = Output(huge)!;

        // The string is cut as it is written, then the object at the cap; the marker still names the object's full size:
        // the 50 MiB of the string and the 25 bytes around it.
        var cap = AgentTelemetryOptions.DefaultMaxValueBytes;
        Assert.StartsWith("\"{\\\"Name\\\":\\\"dump\\\",\\\"Body\\\":\\\"xxxx", json, StringComparison.Ordinal);
        Assert.InRange(json.Length, cap, cap + 200);
        Assert.EndsWith("x…[truncated: " + (50 * 1024 * 1024 + 25) + " bytes]\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void A_value_far_over_the_cap_is_cut_once_serialization_passes_eight_times_the_cap()
    {
        using var _ = new TelemetryOptionsScope(o => o.MaxValueBytes = 1000);
        var many = Enumerable.Range(0, 100_000).Select(i => "item" + i).ToList();

        var json = Output(many)!;

        Assert.StartsWith("\"[\\\"item0\\\",\\\"item1\\\"", json, StringComparison.Ordinal);
        Assert.EndsWith("…[truncated: more than 8000 bytes]\"", json, StringComparison.Ordinal);
    }
}
