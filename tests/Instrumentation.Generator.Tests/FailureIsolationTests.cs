using System;
using System.Text.Json;
using System.Text.Json.Serialization;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Runtime;
using Instrumentation.Testing;

namespace Instrumentation.Generator.Tests;

/// <summary>
/// Telemetry never changes what the user's method returns or throws: a self-referencing argument, a serializer that
/// throws, a getter that throws. The method returns the same object; the span carries a placeholder instead.
/// </summary>
public sealed class FailureIsolationTests
{
    private const string Program = """
        using System;
        using Instrumentation;

        namespace Isolation;

        public sealed class Node
        {
            public string Name { get; set; } = "";
            public Node? Next { get; set; }
        }

        public sealed class Secretive
        {
            public int Visible => 1;
            public int Explodes => throw new InvalidOperationException("getter exploded");
        }

        public sealed class Money { public decimal Amount { get; set; } }

        public partial class Tools
        {
            [Tool] public partial Node Walk(Node start);
            private Node WalkCore(Node start) => start.Next!;

            [Tool] public partial Secretive Inspect(Secretive value);
            private Secretive InspectCore(Secretive value) => value;

            [Tool] public partial Money Pay(Money money);
            private Money PayCore(Money money) => money;
        }
        """;

    private static readonly Lazy<System.Reflection.Assembly> s_assembly = new(() => GeneratorHarness.Run(Program).Load());

    private sealed class ThrowingConverterFactory : JsonConverterFactory
    {
        public override bool CanConvert(Type typeToConvert) => typeToConvert.Name == "Money";

        public override JsonConverter CreateConverter(Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("this serializer always fails");
    }

    [Fact]
    public void A_self_referencing_argument_is_recorded_as_a_placeholder_and_the_result_is_unchanged()
    {
        using var spans = new SpanCollector();
        var tools = Activator.CreateInstance(s_assembly.Value.GetType("Isolation.Tools")!)!;
        dynamic loop = Activator.CreateInstance(s_assembly.Value.GetType("Isolation.Node")!)!;
        loop.Name = "loop";
        loop.Next = loop;

        var result = Reflect.Call(tools, "Walk", (object)loop);

        Assert.Same(loop, result);
        var span = spans.Single("Walk");
        Assert.Equal(System.Diagnostics.ActivityStatusCode.Ok, span.Status);
        Assert.Equal("""{"start":"<Isolation.Node: not serializable: a reference cycle was detected>"}""", span.Tag("mlflow.spanInputs"));
        Assert.Equal("\"<Isolation.Node: not serializable: a reference cycle was detected>\"", span.Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public void A_getter_that_throws_is_recorded_as_a_placeholder_and_the_result_is_unchanged()
    {
        using var spans = new SpanCollector();
        var tools = Activator.CreateInstance(s_assembly.Value.GetType("Isolation.Tools")!)!;
        var value = Activator.CreateInstance(s_assembly.Value.GetType("Isolation.Secretive")!)!;

        var result = Reflect.Call(tools, "Inspect", value);

        Assert.Same(value, result);
        Assert.Contains("not serializable: InvalidOperationException: getter exploded", spans.Single("Inspect").Tag("mlflow.spanInputs"));
    }

    [Fact]
    public void A_serializer_that_throws_is_contained_and_the_result_is_unchanged()
    {
        var previous = AgentTelemetry.Options.JsonSerializerOptions;
        AgentTelemetry.Configure(o => o.JsonSerializerOptions = new JsonSerializerOptions { Converters = { new ThrowingConverterFactory() } });
        try
        {
            using var spans = new SpanCollector();
            var tools = Activator.CreateInstance(s_assembly.Value.GetType("Isolation.Tools")!)!;
            dynamic money = Activator.CreateInstance(s_assembly.Value.GetType("Isolation.Money")!)!;
            money.Amount = 12.5m;
            var errorsBefore = AgentTelemetry.InternalErrorCount;

            var result = Reflect.Call(tools, "Pay", (object)money);

            Assert.Same(money, result);
            Assert.Equal("""{"money":"<Isolation.Money: not serializable: NotSupportedException: this serializer always fails>"}""", spans.Single("Pay").Tag("mlflow.spanInputs"));
            Assert.Equal(errorsBefore + 2, AgentTelemetry.InternalErrorCount);
        }
        finally
        {
            AgentTelemetry.Configure(o => o.JsonSerializerOptions = previous);
        }
    }
}
