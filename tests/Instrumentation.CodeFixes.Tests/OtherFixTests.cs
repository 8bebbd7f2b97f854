using System;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Instrumentation.Testing;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// The smaller fixes: make a type partial (AIT003), create or rename the body method (AIT004), remove an attribute
/// (AIT007, AIT011), mark a parameter [NotTraced] (AIT008). Each asserts the exact text, a clean compile with the
/// generator, and the span the program then emits.
/// </summary>
public sealed class OtherFixTests
{
    // ---- AIT003 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AIT003_fix_makes_the_named_type_partial_and_fix_all_every_one()
    {
        const string source = """
            using Instrumentation;

            namespace Demo;

            public class Outer
            {
                public readonly ref struct Inner
                {
                    [Tool] public static partial int Twice(int value);
                    private static int TwiceCore(int value) => value * 2;
                }

                public static int Call(int value) => Inner.Twice(value);
            }
            """;
        var project = CodeFixHarness.CreateProject(("Outer.cs", source));
        var provider = new MakeTypePartialCodeFixProvider();

        var first = await CodeFixHarness.ApplyFixAsync(project, provider, "AIT003", MakeTypePartialCodeFixProvider.Key, occurrence: 0);
        var all = await CodeFixHarness.ApplyFixAllAsync(project, provider, "AIT003", MakeTypePartialCodeFixProvider.Key, FixAllScope.Document, "Outer.cs");

        // The first AIT003 (in source order, then by message) names 'Inner'.
        Assert.Equal(source.Replace("public readonly ref struct Inner", "public readonly ref partial struct Inner"),
            (await CodeFixHarness.TextsAsync(first, project.Id))["Outer.cs"]);
        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Outer
            {
                public readonly ref partial struct Inner
                {
                    [Tool] public static partial int Twice(int value);
                    private static int TwiceCore(int value) => value * 2;
                }

                public static int Call(int value) => Inner.Twice(value);
            }
            """, (await CodeFixHarness.TextsAsync(all, project.Id))["Outer.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(all, project.Id);
        var outer = run.Load().GetType("Demo.Outer")!;
        using var spans = new SpanCollector();

        // Through the class: reflection cannot invoke a ref struct's members.
        Assert.Equal(6, Reflect.CallStatic(outer, "Call", 3));
        Assert.Equal("6", spans.Single("Twice").Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task AIT003_fix_adds_partial_to_the_type_in_every_file()
    {
        var project = CodeFixHarness.CreateProject(
            ("A.cs", """
                using Instrumentation;
                namespace Demo;
                [System.Obsolete("old")]
                class Service
                {
                    [Tool] public partial string Echo(string text);
                    private string EchoCore(string text) => text;
                }
                """),
            ("B.cs", """
                namespace Demo;
                partial class Service { public int Calls { get; set; } }
                """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, new MakeTypePartialCodeFixProvider(), "AIT003", MakeTypePartialCodeFixProvider.Key);

        Assert.Equal("""
            using Instrumentation;
            namespace Demo;
            [System.Obsolete("old")]
            partial class Service
            {
                [Tool] public partial string Echo(string text);
                private string EchoCore(string text) => text;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["A.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var service = CodeFixHarness.Instance(run.Load(), "Demo.Service");
        using var spans = new SpanCollector();

        Assert.Equal("hi", Reflect.Call(service, "Echo", "hi"));
        Assert.Equal("{\"text\":\"hi\"}", spans.Single("Echo").Tag("mlflow.spanInputs"));
    }

    // ---- AIT004 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AIT004_fix_creates_the_body_method_below_the_declaration()
    {
        var project = CodeFixHarness.CreateProject(("Store.cs", """
            using System;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class Store
            {
                [Tool]
                public static partial Task<T?> LoadAsync<T>(string key, int attempts = 3) where T : class;

                public int Other() => 1;
            }
            """));
        var provider = new BodyMethodCodeFixProvider();

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, provider, "AIT004", BodyMethodCodeFixProvider.CreateKey);

        Assert.Equal("""
            using System;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public partial class Store
            {
                [Tool]
                public static partial Task<T?> LoadAsync<T>(string key, int attempts = 3) where T : class;

                private static Task<T?> LoadAsyncCore<T>(string key, int attempts) where T : class
                {
                    throw new System.NotImplementedException();
                }

                public int Other() => 1;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Store.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var load = run.Load().GetType("Demo.Store")!.GetMethod("LoadAsync")!.MakeGenericMethod(typeof(string));
        using var spans = new SpanCollector();

        // Traced: the span records the body's NotImplementedException, which reaches the caller unchanged.
        var thrown = Assert.Throws<System.Reflection.TargetInvocationException>(() => load.Invoke(null, new object[] { "k", 1 }));
        Assert.IsType<NotImplementedException>(thrown.InnerException);
        Assert.Equal("System.NotImplementedException", spans.Single("LoadAsync").Tag("error.type"));
    }

    [Fact]
    public async Task AIT004_fix_renames_a_misspelt_body_method_and_its_references()
    {
        var project = CodeFixHarness.CreateProject(("Calculator.cs", """
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);

                private int AddCroe(int a, int b) => a + b;

                public int Direct(int a) => AddCroe(a, a);
            }
            """));
        var provider = new BodyMethodCodeFixProvider();

        var diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(project));
        Assert.Equal(new[] { "Create the body method 'AddCore'", "Rename 'AddCroe' to 'AddCore'" },
            (await CodeFixHarness.ActionsAsync(project, provider, diagnostic)).Select(a => a.Title));
        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, provider, "AIT004", BodyMethodCodeFixProvider.RenameKeyPrefix + "AddCroe");

        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);

                private int AddCore(int a, int b) => a + b;

                public int Direct(int a) => AddCore(a, a);
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Calculator.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var calculator = CodeFixHarness.Instance(run.Load(), "Demo.Calculator");
        using var spans = new SpanCollector();

        Assert.Equal(9, Reflect.Call(calculator, "Add", 4, 5));
        Assert.Equal("9", spans.Single("Add").Tag("mlflow.spanOutputs"));
    }

    [Fact]
    public async Task AIT004_rename_is_not_offered_for_a_method_whose_signature_differs()
    {
        var project = CodeFixHarness.CreateProject(("Calculator.cs", """
            using Instrumentation;
            namespace Demo;
            public partial class Calculator
            {
                [Tool] public partial int Add(int a, int b);
                private long AddCroe(int a, int b) => a + b;
            }
            """));

        var actions = await CodeFixHarness.ActionsAsync(project, new BodyMethodCodeFixProvider(), Assert.Single(await CodeFixHarness.AnalyzeAsync(project)));

        Assert.Equal(new[] { BodyMethodCodeFixProvider.CreateKey }, actions.Select(a => a.EquivalenceKey));
    }

    [Fact]
    public async Task AIT004_fix_all_in_the_project_creates_every_body_method()
    {
        var project = CodeFixHarness.CreateProject(
            ("A.cs", """
                using Instrumentation;
                namespace Demo;
                public partial class A
                {
                    [Tool] public partial void Log(string line);
                    [Tool] public partial void Log(int code);
                }
                """),
            ("B.cs", """
                using Instrumentation;
                namespace Demo;
                public partial class B
                {
                    [AgentSpan] internal partial string Run(string q);
                }
                """));

        var fixedSolution = await CodeFixHarness.ApplyFixAllAsync(project, new BodyMethodCodeFixProvider(), "AIT004", BodyMethodCodeFixProvider.CreateKey, FixAllScope.Project);

        var texts = await CodeFixHarness.TextsAsync(fixedSolution, project.Id);
        Assert.Equal("""
            using Instrumentation;
            namespace Demo;
            public partial class A
            {
                [Tool] public partial void Log(string line);

                private void LogCore(string line)
                {
                    throw new System.NotImplementedException();
                }
                [Tool] public partial void Log(int code);

                private void LogCore(int code)
                {
                    throw new System.NotImplementedException();
                }
            }
            """, texts["A.cs"]);
        Assert.Equal("""
            using Instrumentation;
            namespace Demo;
            public partial class B
            {
                [AgentSpan] internal partial string Run(string q);

                private string RunCore(string q)
                {
                    throw new System.NotImplementedException();
                }
            }
            """, texts["B.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        Assert.Equal(3, run.GeneratedSources.Count);
    }

    // ---- AIT007 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AIT007_fix_removes_the_extra_attribute_and_fix_all_every_one()
    {
        var project = CodeFixHarness.CreateProject(("Model.cs", """
            using Instrumentation;

            namespace Demo;

            public partial class Model
            {
                [Tool(Name = "ask"), LlmCall(Model = "m")]
                [AgentSpan]
                public partial string Ask(string prompt);
                private string AskCore(string prompt) => "answer";

                [AgentSpan][Tool] public partial int Count(string text);
                private int CountCore(string text) => text.Length;
            }
            """));
        var provider = new RemoveAttributeCodeFixProvider();

        var diagnostics = (await CodeFixHarness.AnalyzeAsync(project)).Where(d => d.Id == "AIT007").ToList();
        Assert.Equal(3, diagnostics.Count);
        Assert.Equal("Remove [LlmCall]", Assert.Single(await CodeFixHarness.ActionsAsync(project, provider, diagnostics[0])).Title);
        var fixedSolution = await CodeFixHarness.ApplyFixAllAsync(project, provider, "AIT007", RemoveAttributeCodeFixProvider.RemoveDuplicateKey, FixAllScope.Document, "Model.cs");

        Assert.Equal("""
            using Instrumentation;

            namespace Demo;

            public partial class Model
            {
                [Tool(Name = "ask")]
                public partial string Ask(string prompt);
                private string AskCore(string prompt) => "answer";

                [AgentSpan] public partial int Count(string text);
                private int CountCore(string text) => text.Length;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Model.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var model = CodeFixHarness.Instance(run.Load(), "Demo.Model");
        using var spans = new SpanCollector();

        Reflect.Call(model, "Ask", "why");
        Reflect.Call(model, "Count", "four");

        Assert.Equal("TOOL", spans.Single("ask").Tag("mlflow.spanType"));
        Assert.Equal("AGENT", spans.Single("Count").Tag("mlflow.spanType"));
    }

    // ---- AIT011 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AIT011_fix_removes_an_attribute_that_has_no_effect()
    {
        var project = CodeFixHarness.CreateProject(("Runner.cs", """
            using System;
            using Instrumentation;

            namespace Demo;

            public class Runner
            {
                public int Run()
                {
                    [Tool]
                    int Twice(int value) => value * 2;

                    Func<int, int> thrice = [Tool] (int value) => value * 3;
                    return Twice(1) + thrice(1);
                }
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAllAsync(project, new RemoveAttributeCodeFixProvider(), "AIT011",
            RemoveAttributeCodeFixProvider.RemoveNoEffectKey, FixAllScope.Project);

        Assert.Equal("""
            using System;
            using Instrumentation;

            namespace Demo;

            public class Runner
            {
                public int Run()
                {
                    int Twice(int value) => value * 2;

                    Func<int, int> thrice = (int value) => value * 3;
                    return Twice(1) + thrice(1);
                }
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Runner.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        Assert.Equal(5, Reflect.Call(CodeFixHarness.Instance(run.Load(), "Demo.Runner"), "Run"));
    }

    // ---- AIT008 ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task AIT008_fix_marks_the_parameter_NotTraced()
    {
        var project = CodeFixHarness.CreateProject(("Files.cs", """
            using System.IO;

            namespace Demo;

            public partial class Files
            {
                [Instrumentation.Tool]
                public partial int Measure(
                    string name,
                    Stream content);

                private int MeasureCore(string name, Stream content) => (int)content.Length;
            }
            """));

        var fixedSolution = await CodeFixHarness.ApplyFixAsync(project, new NotTracedCodeFixProvider(), "AIT008", NotTracedCodeFixProvider.Key);

        Assert.Equal("""
            using System.IO;

            namespace Demo;

            public partial class Files
            {
                [Instrumentation.Tool]
                public partial int Measure(
                    string name,
                    [global::Instrumentation.NotTraced] Stream content);

                private int MeasureCore(string name, Stream content) => (int)content.Length;
            }
            """, (await CodeFixHarness.TextsAsync(fixedSolution, project.Id))["Files.cs"]);
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(fixedSolution, project.Id);
        var files = CodeFixHarness.Instance(run.Load(), "Demo.Files");
        using var spans = new SpanCollector();

        Assert.Equal(3, Reflect.Call(files, "Measure", "a.txt", new System.IO.MemoryStream(new byte[3])));
        Assert.Equal("{\"name\":\"a.txt\"}", spans.Single("Measure").Tag("mlflow.spanInputs"));
    }
}
