using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using Instrumentation.Runtime.Spans;
using Instrumentation.Testing;

namespace Instrumentation.Runtime.Tests;

/// <summary>How parameters and results become <c>mlflow.spanInputs</c> / <c>mlflow.spanOutputs</c> JSON.</summary>
public sealed class ValueCaptureTests
{
    public sealed class Node
    {
        public string Name { get; set; } = "";

        public Node? Next { get; set; }
    }

    public sealed class Hostile
    {
        public string Ok => "fine";

        public string Broken => throw new InvalidOperationException("getter failed");
    }

    public enum Mood
    {
        Calm,
        Stormy,
    }

    private static string? Output<T>(T value) => Recorded.Output(value);

    private static string? Inputs(Action<CompilerServices.SpanInputs> add) => Recorded.Inputs(add);

    [Fact]
    public void Primitives_strings_and_objects_are_recorded_as_json()
    {
        Assert.Equal("42", Output(42));
        Assert.Equal("true", Output(true));
        Assert.Equal("\"héllo ✓ \\\"quoted\\\"\"", Output("héllo ✓ \"quoted\""));
        Assert.Equal("null", Output<string?>(null));
        Assert.Equal("\"NaN\"", Output(double.NaN));
        Assert.Equal("\"Stormy\"", Output(Mood.Stormy));
        Assert.Equal("""{"Name":"a","Next":null}""", Output(new Node { Name = "a" }));
        Assert.Equal("""{"Mood":"Calm"}""", Output(new Dictionary<string, Mood> { ["Mood"] = Mood.Calm }));
    }

    [Fact]
    public void Inputs_are_an_object_of_parameters_with_redaction_and_placeholders()
    {
        var json = Inputs(inputs =>
        {
            inputs.Add("question", "weather?");
            inputs.Add("limit", 3);
            inputs.AddRedacted("payload");
            inputs.AddSecretLike("apiKey", "sk-123");
            inputs.AddPlaceholder("buffer", "System.Span<byte>");
        });

        Assert.Equal("""{"question":"weather?","limit":3,"payload":"[REDACTED]","apiKey":"[REDACTED]","buffer":"<System.Span<byte>>"}""", json);
    }

    [Fact]
    public void Secret_like_parameters_are_recorded_when_the_option_turns_redaction_off()
    {
        using var _ = new TelemetryOptionsScope(o => o.Redaction.Enabled = false);

        Assert.Equal("""{"apiKey":"sk-123"}""", Inputs(inputs => inputs.AddSecretLike("apiKey", "sk-123")));
    }

    [Fact]
    public void A_reference_cycle_becomes_a_placeholder_naming_the_type_and_is_counted()
    {
        var node = new Node { Name = "loop" };
        node.Next = node;
        var errorsBefore = AgentTelemetry.InternalErrorCount;

        var json = Output(node);

        Assert.Equal("\"<Instrumentation.Runtime.Tests.ValueCaptureTests+Node: not serializable: a reference cycle was detected>\"", json);
        Assert.Equal(errorsBefore + 1, AgentTelemetry.InternalErrorCount);
    }

    [Fact]
    public void A_getter_that_throws_becomes_a_placeholder_and_other_inputs_survive()
    {
        var json = Inputs(inputs =>
        {
            inputs.Add("before", 1);
            inputs.Add("hostile", new Hostile());
            inputs.Add("after", 2);
        });

        Assert.Equal("""{"before":1,"hostile":"<Instrumentation.Runtime.Tests.ValueCaptureTests+Hostile: not serializable: InvalidOperationException: getter failed>","after":2}""", json);
    }

    [Fact]
    public void Streams_delegates_and_tasks_are_recorded_as_their_type_without_being_read()
    {
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes("secret contents"));

        var json = Inputs(inputs =>
        {
            inputs.Add("stream", stream);
            inputs.Add<Func<int>>("callback", () => 1);
            inputs.Add("task", System.Threading.Tasks.Task.FromResult(1));
        });

        Assert.StartsWith("""{"stream":"<System.IO.MemoryStream>","callback":"<System.Func`1[[System.Int32""", json);
        Assert.Contains("\"task\":\"<System.Threading.Tasks.Task`1[[System.Int32", json);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Values_over_the_size_cap_are_cut_with_a_marker_naming_the_full_size()
    {
        using var _ = new TelemetryOptionsScope(o => o.MaxValueBytes = 100);
        var text = new string('a', 150) + "é";
        var list = new List<string>();
        for (var i = 0; i < 50; i++)
        {
            list.Add("item" + i);
        }

        var stringJson = Output(text);
        var listJson = Output(list);

        Assert.Equal("\"" + new string('a', 100) + "…[truncated: 152 bytes]\"", stringJson);
        Assert.StartsWith("\"[\\\"item0\\\",\\\"item1\\\"", listJson);
        Assert.EndsWith("…[truncated: 441 bytes]\"", listJson);
    }

    [Fact]
    public void The_cap_never_splits_a_multibyte_character()
    {
        using var _ = new TelemetryOptionsScope(o => o.MaxValueBytes = 64);
        var text = new string('é', 40);

        var json = Output(text);

        // 32 two-byte characters fit in 64 bytes; a 33rd would not.
        Assert.Equal("\"" + new string('é', 32) + "…[truncated: 80 bytes]\"", json);
    }

    [Fact]
    public void The_size_cap_rejects_values_too_small_to_be_useful()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => AgentTelemetry.Configure(o => o.MaxValueBytes = 10));

        Assert.Equal("MaxValueBytes", error.ParamName);
    }
}
