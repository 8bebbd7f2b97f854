using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Instrumentation.CodeFixes.Tests;

// AIT002 (a partial method with a body of its own), fix-all across documents, and where the fix is not offered.
public sealed partial class MakeMethodTracedFixTests
{
    [Fact]
    public async Task AIT002_fix_moves_the_body_of_a_partial_method_into_the_body_method()
    {
        var project = CodeFixHarness.CreateProject(("Calculator.cs", """
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool]
                public partial int Add(int a, int b)
                {
                    return a + b;
                }
            }
            """));

        var actions = await CodeFixHarness.ActionsAsync(project, Provider, Assert.Single(await CodeFixHarness.AnalyzeAsync(project)));
        Assert.Equal("Move the body of 'Add' into 'AddCore'", Assert.Single(actions).Title);
        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT002", MakeMethodTracedCodeFixProvider.MoveBodyKey);

        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool]
                public partial int Add(int a, int b);

                private int AddCore(int a, int b)
                {
                    return a + b;
                }
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Calculator.cs"]);
        await CodeFixHarness.AssertTracedCallAsync(fixedSolution, project.Id, "Demo.Calculator", "Add", [2, 3], 5, "Add", "5");
    }

    [Fact]
    public async Task AIT002_fix_turns_the_users_implementing_declaration_into_the_body_method()
    {
        var project = CodeFixHarness.CreateProject(("Calculator.cs", """
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool]
                public partial int Add(int a, int b);

                /// <summary>The sum.</summary>
                public partial int Add(int a, int b) => a + b;
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, Provider, "AIT002", MakeMethodTracedCodeFixProvider.MoveBodyKey);

        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool]
                public partial int Add(int a, int b);

                /// <summary>The sum.</summary>
                private int AddCore(int a, int b) => a + b;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Calculator.cs"]);
        await CodeFixHarness.AssertTracedCallAsync(fixedSolution, project.Id, "Demo.Calculator", "Add", [3, 4], 7, "Add", "7");
    }

    [Fact]
    public async Task Fix_all_in_a_document_fixes_that_document_and_in_the_project_every_document()
    {
        var files = new[]
        {
            ("Tools.cs", """
                using Instrumentation;

                namespace Demo;

                public class Tools
                {
                    [Tool] public int Get(int id) => id;

                    [Tool] public int Get(string name) => name.Length;
                }
                """),
            ("Agent.cs", """
                using System.Threading.Tasks;
                using Instrumentation;

                namespace Demo;

                public class Agent
                {
                    [AgentSpan] public async Task<int> RunAsync(int id) { await Task.Yield(); return id; }
                }
                """),
        };
        var project = CodeFixHarness.CreateProject(files);

        var documentOnly = await CodeFixHarness.TextsAsync(await CodeFixHarness.ApplyFixAllAsync(project, Provider, "AIT001",
            MakeMethodTracedCodeFixProvider.MakeTracedKey, FixAllScope.Document, "Tools.cs"), project.Id);
        var wholeProject = await CodeFixHarness.ApplyFixAllAsync(project, Provider, "AIT001",
            MakeMethodTracedCodeFixProvider.MakeTracedKey, FixAllScope.Project);

        const string fixedTools = """
            using Instrumentation;

            namespace Demo;

            public partial class Tools
            {
                [Tool] public partial int Get(int id);

                private int GetCore(int id) => id;

                [Tool] public partial int Get(string name);

                private int GetCore(string name) => name.Length;
            }
            """;
        Assert.Equal(fixedTools, documentOnly["Tools.cs"]);
        Assert.Equal(files[1].Item2, documentOnly["Agent.cs"]);
        var texts = await CodeFixHarness.TextsAsync(wholeProject, project.Id);
        Assert.Equal(fixedTools, texts["Tools.cs"]);
        Assert.Equal("""
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class Agent
            {
                [AgentSpan] public partial Task<int> RunAsync(int id);

                private async Task<int> RunAsyncCore(int id) { await Task.Yield(); return id; }
            }
            """, texts["Agent.cs"]);

        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(wholeProject, project.Id);
        var assembly = run.Load();
        using var spans = new SpanCollector();
        var tools = CodeFixHarness.Instance(assembly, "Demo.Tools");
        tools.GetType().GetMethod("Get", new[] { typeof(int) })!.Invoke(tools, new object[] { 7 });
        tools.GetType().GetMethod("Get", new[] { typeof(string) })!.Invoke(tools, new object[] { "seven" });
        await Reflect.AwaitResult(Reflect.Call(CodeFixHarness.Instance(assembly, "Demo.Agent"), "RunAsync", 1));

        Assert.Equal(new[] { "{\"id\":7}", "{\"name\":\"seven\"}" }, spans.Spans.Where(s => s.DisplayName == "Get").Select(s => s.Tag("mlflow.spanInputs")));
        Assert.Equal("AGENT", spans.Single("RunAsync").Tag("mlflow.spanType"));
    }

    [Fact]
    public async Task The_fix_is_not_offered_where_it_could_not_make_the_method_traced()
    {
        // A ref parameter: AIT006 instead of AIT001, and no rewrite.
        var project = CodeFixHarness.CreateProject(("Counter.cs", """
            using Instrumentation;
            namespace Demo;
            public class Counter { [Tool] public int Increment(ref int value) => ++value; }
            """));

        var diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(project));

        Assert.Equal("AIT006", diagnostic.Id);
        Assert.DoesNotContain("AIT006", Provider.FixableDiagnosticIds);
    }
}
