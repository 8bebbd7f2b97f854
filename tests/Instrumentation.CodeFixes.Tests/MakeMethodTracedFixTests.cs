using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// AIT001 and AIT002: the fix that turns an annotated method with a body into the partial declaration and its body
/// method. Each test asserts the exact text, that the result has no diagnostic of ours and compiles with the
/// generator without a warning, and that the compiled program emits the span.
/// </summary>
public sealed partial class MakeMethodTracedFixTests
{
    private static readonly MakeMethodTracedCodeFixProvider Provider = new();

    [Fact]
    public async Task A_user_who_writes_Tool_on_an_ordinary_method_sees_one_warning_whose_fix_makes_it_traced()
    {
        var project = CodeFixHarness.CreateProject(("Calculator.cs", """
            using Instrumentation;

            namespace Demo;

            public class Calculator
            {
                [Tool]
                public int Add(int a, int b) => a + b;
            }
            """));

        // One warning, nothing from the compiler, and one fix for it.
        var diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(project));
        Assert.Equal(("AIT001", DiagnosticSeverity.Warning), (diagnostic.Id, diagnostic.Severity));
        Assert.DoesNotContain((await project.GetCompilationAsync())!.GetDiagnostics(), d => d.Severity >= DiagnosticSeverity.Warning);
        var action = Assert.Single(await CodeFixHarness.ActionsAsync(project, Provider, diagnostic));
        Assert.Equal("Trace 'Add': make it partial and move its body into 'AddCore'", action.Title);

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey);

        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool]
                public partial int Add(int a, int b);

                private int AddCore(int a, int b) => a + b;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Calculator.cs"]);
        var span = await CodeFixHarness.AssertTracedCallAsync(fixedSolution, project.Id, "Demo.Calculator", "Add", [2, 3], 5, "Add", "5");
        Assert.Equal("TOOL", span.Tag("mlflow.spanType"));
        Assert.Equal("{\"a\":2,\"b\":3}", span.Tag("mlflow.spanInputs"));
    }

    [Fact]
    public async Task The_fix_keeps_docs_attributes_defaults_and_async_and_makes_the_body_method_private()
    {
        var project = CodeFixHarness.CreateProject(("WeatherAgent.cs", """
            using System.Threading;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public class WeatherAgent
            {
                private readonly string _prefix = "sunny in ";

                /// <summary>Looks up the forecast.</summary>
                /// <param name="city">The city.</param>
                [Tool(Description = "Looks up the forecast for a city.")]
                public async Task<string> GetForecastAsync(string city, [NotTraced] int days = 3, CancellationToken ct = default)
                {
                    await Task.Delay(1, ct);
                    return _prefix + city + " for " + days + " days"; // the body, unchanged
                }

                public int Other() => 1;
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey);

        Assert.Equal("""
            using System.Threading;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class WeatherAgent
            {
                private readonly string _prefix = "sunny in ";

                /// <summary>Looks up the forecast.</summary>
                /// <param name="city">The city.</param>
                [Tool(Description = "Looks up the forecast for a city.")]
                public partial Task<string> GetForecastAsync(string city, [NotTraced] int days = 3, CancellationToken ct = default);

                private async Task<string> GetForecastAsyncCore(string city, int days, CancellationToken ct)
                {
                    await Task.Delay(1, ct);
                    return _prefix + city + " for " + days + " days"; // the body, unchanged
                }

                public int Other() => 1;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["WeatherAgent.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var agent = CodeFixHarness.Instance(run.Load(), "Demo.WeatherAgent");
        using var spans = new SpanCollector();

        // The default value still works for callers: the declaration kept it.
        var result = await Reflect.AwaitResult(Reflect.Call(agent, "GetForecastAsync", "Paris", System.Type.Missing, System.Type.Missing));

        Assert.Equal("sunny in Paris for 3 days", result);
        var span = spans.Single("GetForecastAsync");
        Assert.Equal("{\"city\":\"Paris\"}", span.Tag("mlflow.spanInputs"));
        Assert.Equal("Looks up the forecast for a city.", span.Tag("gen_ai.tool.description"));
    }

    [Fact]
    public async Task The_fix_handles_static_generic_methods_with_constraints_in_nested_types_and_implicit_private_methods()
    {
        var project = CodeFixHarness.CreateProject(("Store.cs", """
            using System;
            using Instrumentation;

            namespace Demo;

            public static class Outer
            {
                [Serializable]
                internal sealed class Store
                {
                    [AgentSpan(Name = "pick")]
                    public static T Pick<T>(T first, T second) where T : IComparable<T>
                        => first.CompareTo(second) >= 0 ? first : second;

                    [Tool] int Twice(int value) { return value * 2; }

                    public int CallTwice(int value) => Twice(value);
                }
            }
            """));

        // Both methods in one go (fix-all in the document); the types become partial once.
        var fixedSolution = await CodeFixHarness.ApplyFixAllAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey,
            FixAllScope.Document, "Store.cs");

        Assert.Equal("""
            using System;
            using Instrumentation;

            namespace Demo;

            public static partial class Outer
            {
                [Serializable]
                internal sealed partial class Store
                {
                    [AgentSpan(Name = "pick")]
                    public static partial T Pick<T>(T first, T second) where T : IComparable<T>;

                    private static T PickCore<T>(T first, T second) where T : IComparable<T>
                        => first.CompareTo(second) >= 0 ? first : second;

                    [Tool] private partial int Twice(int value);

                    private int TwiceCore(int value) { return value * 2; }

                    public int CallTwice(int value) => Twice(value);
                }
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Store.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var assembly = run.Load();
        var store = CodeFixHarness.Instance(assembly, "Demo.Outer+Store");
        using var spans = new SpanCollector();

        var pick = store.GetType().GetMethod("Pick")!.MakeGenericMethod(typeof(string));
        Assert.Equal("b", pick.Invoke(null, new object[] { "a", "b" }));
        Assert.Equal(8, Reflect.Call(store, "CallTwice", 4));

        Assert.Equal("AGENT", spans.Single("pick").Tag("mlflow.spanType"));
        Assert.Equal("{\"value\":4}", spans.Single("Twice").Tag("mlflow.spanInputs"));
    }

    [Fact]
    public async Task An_async_iterator_keeps_its_cancellation_attribute_on_the_body_method()
    {
        var project = CodeFixHarness.CreateProject(("Feed.cs", """
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            using System.Threading;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class Feed
            {
                [Tool]
                public async IAsyncEnumerable<int> CountAsync(int to, [EnumeratorCancellation] CancellationToken ct = default)
                {
                    for (var i = 1; i <= to; i++)
                    {
                        await Task.Yield();
                        yield return i;
                    }
                }
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey);

        Assert.Equal("""
            using System.Collections.Generic;
            using System.Runtime.CompilerServices;
            using System.Threading;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class Feed
            {
                [Tool]
                public partial IAsyncEnumerable<int> CountAsync(int to, CancellationToken ct = default);

                private async IAsyncEnumerable<int> CountAsyncCore(int to, [EnumeratorCancellation] CancellationToken ct)
                {
                    for (var i = 1; i <= to; i++)
                    {
                        await Task.Yield();
                        yield return i;
                    }
                }
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Feed.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var feed = CodeFixHarness.Instance(run.Load(), "Demo.Feed");
        using var spans = new SpanCollector();

        var items = new List<int>();
        await foreach (var item in (IAsyncEnumerable<int>)Reflect.Call(feed, "CountAsync", 3, CancellationToken.None)!)
        {
            items.Add(item);
        }

        Assert.Equal(new[] { 1, 2, 3 }, items);
        Assert.Equal("[1,2,3]", spans.Single("CountAsync").Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task A_taken_body_name_gets_a_free_one_named_by_Implementation()
    {
        var project = CodeFixHarness.CreateProject(("Calculator.cs", """
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool(Name = "add")]
                public int Add(int a, int b) => AddCore(a, b) + 1;

                private int AddCore(int a, int b) => a + b;

                private string AddCore(string a) => a;
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey);

        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool(Name = "add", Implementation = nameof(AddCore2))]
                public partial int Add(int a, int b);

                private int AddCore2(int a, int b) => AddCore(a, b) + 1;

                private int AddCore(int a, int b) => a + b;

                private string AddCore(string a) => a;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Calculator.cs"]);
        await CodeFixHarness.AssertTracedCallAsync(fixedSolution, project.Id, "Demo.Calculator", "Add", [2, 3], 6, "add", "6");
    }

    [Fact]
    public async Task The_Implementation_the_attribute_names_is_the_body_method_the_fix_writes()
    {
        var project = CodeFixHarness.CreateProject(("Agent.cs", """
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public class Agent
            {
                [AgentSpan(Implementation = nameof(Work))]
                public Task<string> RunAsync(string question) => Task.FromResult("answer to " + question);
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey);

        Assert.Equal("""
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class Agent
            {
                [AgentSpan(Implementation = nameof(Work))]
                public partial Task<string> RunAsync(string question);

                private Task<string> Work(string question) => Task.FromResult("answer to " + question);
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Agent.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var agent = CodeFixHarness.Instance(run.Load(), "Demo.Agent");
        using var spans = new SpanCollector();

        Assert.Equal("answer to why", await Reflect.AwaitResult(Reflect.Call(agent, "RunAsync", "why")));
        Assert.Equal("AGENT", spans.Single("RunAsync").Tag("mlflow.spanType"));
    }

    [Fact]
    public async Task Every_declaration_of_a_type_split_across_files_becomes_partial()
    {
        var project = CodeFixHarness.CreateProject(
            ("Agent.Tools.cs", """
                using Instrumentation;

                namespace Demo;

                public class Agent
                {
                    [Tool]
                    public string Echo(string text) => text;
                }
                """),
            ("Agent.State.cs", """
                namespace Demo;

                public partial class Agent
                {
                    public int Calls;
                }
                """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT001", MakeMethodTracedCodeFixProvider.MakeTracedKey);

        var texts = await CodeFixHarness.TextsAsync(fixedSolution, project.Id);
        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Agent
            {
                [Tool]
                public partial string Echo(string text);

                private string EchoCore(string text) => text;
            }
            """, texts["Agent.Tools.cs"]);
        Assert.Equal("""
            namespace Demo;

            public partial class Agent
            {
                public int Calls;
            }
            """, texts["Agent.State.cs"]);
        await CodeFixHarness.AssertTracedCallAsync(fixedSolution, project.Id, "Demo.Agent", "Echo", ["hi"], "hi", "Echo", "\"hi\"");
    }
}
