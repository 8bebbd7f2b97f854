using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Runtime.Conventions;
using Instrumentation.Testing;

// Only `using Instrumentation;`: UseMlflowTracing must be found without Microsoft.Extensions.AI's namespace.
namespace Instrumentation.Extensions.AI.Tests.OnlyInstrumentationNamespace
{
    using Instrumentation;

    public sealed class ReachabilityTests
    {
        [Fact]
        public async Task UseMlflowTracing_is_found_with_using_Instrumentation_and_names_a_provider_the_client_does_not_report()
        {
            using var spans = new SpanCollector();
            var model = new ScriptedChatClient(new[] { Script.Answer("resp-1", "Hi.", 5, 0, 1) }, provider: null);
            var client = new Microsoft.Extensions.AI.ChatClientBuilder(model).UseMlflowTracing(providerName: "ollama").Build();

            await client.GetResponseAsync(new[] { new Microsoft.Extensions.AI.ChatMessage(Microsoft.Extensions.AI.ChatRole.User, "Hello") });

            Assert.Equal("ollama", Assert.Single(spans.OfType(MlflowSpanTypes.Llm)).Tag(MlflowAttributes.LlmProvider));
        }
    }
}

// Both usings: the call must not be ambiguous (CS0121), and the provider the client reports wins.
namespace Instrumentation.Extensions.AI.Tests.BothNamespaces
{
    using Instrumentation;
    using Microsoft.Extensions.AI;

    public sealed class ReachabilityTests
    {
        [Fact]
        public async Task UseMlflowTracing_with_both_usings_resolves_and_the_reported_provider_wins()
        {
            using var spans = new SpanCollector();
            var model = new ScriptedChatClient(new[] { Script.Answer("resp-1", "Hi.", 5, 0, 1), Script.Answer("resp-2", "Hi.", 5, 0, 1) });

            await model.AsBuilder().UseMlflowTracing().Build().GetResponseAsync("Hello");
            await model.AsBuilder().UseMlflowTracing(providerName: "ollama").Build().GetResponseAsync("Hello");

            Assert.All(spans.OfType(MlflowSpanTypes.Llm), l => Assert.Equal("openai", l.Tag(MlflowAttributes.LlmProvider)));
        }
    }
}
