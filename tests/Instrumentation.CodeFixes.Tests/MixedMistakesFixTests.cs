using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using Instrumentation.Generator.Tests.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// No fix breaks another method: the AIT004 rename never takes another traced method's body, and fixing every
/// mistake of a file, one fix-all per ID, ends with no diagnostic of ours, a clean compile and every method working.
/// </summary>
public sealed class MixedMistakesFixTests
{
    private const string Forecasts = """
        using System.Threading.Tasks;
        using Instrumentation;

        namespace Demo;

        public partial class Forecasts
        {
            [Tool] public partial Task<string> GetForecastAsync(string city);
            private Task<string> GetForecastAsyncCore(string city) => Task.FromResult("sunny in " + city);

            [Tool] public partial Task<string> GetForecastsAsync(string city);
        }
        """;

    [Fact]
    public async Task AIT004_rename_is_never_offered_for_the_body_method_of_another_traced_method()
    {
        var project = CodeFixHarness.CreateProject(("Forecasts.cs", Forecasts));
        var provider = new BodyMethodCodeFixProvider();

        // GetForecastAsyncCore matches GetForecastsAsync's signature and is one letter from its body name, but it is
        // GetForecastAsync's body: renaming it would leave GetForecastAsync without one. Only "create" is offered.
        var diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(project));
        Assert.Equal("AIT004", diagnostic.Id);
        Assert.Equal(new[] { "Create the body method 'GetForecastsAsyncCore'" },
            (await CodeFixHarness.ActionsAsync(project, provider, diagnostic)).Select(a => a.Title));
    }

    [Fact]
    public async Task AIT004_rename_is_still_offered_for_a_method_no_traced_method_uses()
    {
        var project = CodeFixHarness.CreateProject(("Forecasts.cs", Forecasts.Replace(
            "private Task<string> GetForecastAsyncCore(string city) => Task.FromResult(\"sunny in \" + city);",
            "private Task<string> GetForecastAsyncCore(string city) => Task.FromResult(\"sunny in \" + city);\n    private Task<string> GetForecastsAsyncCroe(string city) => Task.FromResult(city);",
            StringComparison.Ordinal)));

        var diagnostic = Assert.Single(await CodeFixHarness.AnalyzeAsync(project));
        Assert.Equal(new[] { "Create the body method 'GetForecastsAsyncCore'", "Rename 'GetForecastsAsyncCroe' to 'GetForecastsAsyncCore'" },
            (await CodeFixHarness.ActionsAsync(project, new BodyMethodCodeFixProvider(), diagnostic)).Select(a => a.Title));
    }

    /// <summary>The fix-all each fixable ID gets, as a user picks it from the light bulb.</summary>
    private static readonly Dictionary<string, (CodeFixProvider Provider, string Key)> FixAll = new()
    {
        ["AIT001"] = (new MakeMethodTracedCodeFixProvider(), MakeMethodTracedCodeFixProvider.MakeTracedKey),
        ["AIT002"] = (new MakeMethodTracedCodeFixProvider(), MakeMethodTracedCodeFixProvider.MoveBodyKey),
        ["AIT003"] = (new MakeTypePartialCodeFixProvider(), MakeTypePartialCodeFixProvider.Key),
        ["AIT004"] = (new BodyMethodCodeFixProvider(), BodyMethodCodeFixProvider.CreateKey),
        ["AIT007"] = (new RemoveAttributeCodeFixProvider(), RemoveAttributeCodeFixProvider.RemoveDuplicateKey),
        ["AIT008"] = (new NotTracedCodeFixProvider(), NotTracedCodeFixProvider.Key),
        ["AIT011"] = (new RemoveAttributeCodeFixProvider(), RemoveAttributeCodeFixProvider.RemoveNoEffectKey),
    };

    [Fact]
    public async Task Fixing_all_of_a_file_of_mixed_mistakes_leaves_no_diagnostic_no_error_and_every_method_working()
    {
        const string mixed = """
            using System.IO;
            using System.Threading.Tasks;
            using Instrumentation;

            namespace Demo;

            public class Forecasts
            {
                [Tool] public partial Task<string> GetForecastAsync(string city);
                private Task<string> GetForecastAsyncCore(string city) => Task.FromResult("sunny in " + city);

                [Tool] public partial Task<string> GetForecastsAsync(string city);
            }

            public class Tools
            {
                [Tool] public int Add(int a, int b) => a + b;

                [Tool] public partial int Sub(int a, int b) => a - b;

                [Tool, AgentSpan] public partial int Mul(int a, int b);
                private int MulCore(int a, int b) => a * b;

                [Tool] public partial long Size(Stream data);
                private long SizeCore(Stream data) => data.Length;

                public int Four()
                {
                    [Tool] int Twice(int x) => x * 2;
                    return Twice(2);
                }
            }
            """;
        var project = CodeFixHarness.CreateProject(("Mixed.cs", mixed));
        var solution = project.Solution;
        var seen = new HashSet<string>();

        // One fix-all per ID, in the order the diagnostics appear, until none is left; bounded, since a fix that
        // produced the diagnostic it fixes would loop.
        for (var round = 0; round < 2 * FixAll.Count; round++)
        {
            var diagnostics = await CodeFixHarness.AnalyzeAsync(solution.GetProject(project.Id)!);
            if (diagnostics.Length == 0)
            {
                break;
            }

            var id = diagnostics.Select(d => d.Id).First(FixAll.ContainsKey);
            seen.Add(id);
            var (provider, key) = FixAll[id];
            solution = await CodeFixHarness.ApplyFixAllAsync(solution.GetProject(project.Id)!, provider, id, key, FixAllScope.Document, "Mixed.cs");
        }

        Assert.Equal(FixAll.Keys.OrderBy(k => k, StringComparer.Ordinal), seen.OrderBy(k => k, StringComparer.Ordinal));
        var run = await CodeFixHarness.AssertCleanAndGenerateAsync(solution, project.Id);

        // Every method does what it did: the fixes moved bodies, never lost or swapped one.
        var assembly = run.Load();
        var forecasts = CodeFixHarness.Instance(assembly, "Demo.Forecasts");
        Assert.Equal("sunny in Oslo", await (Task<string>)Reflect.Call(forecasts, "GetForecastAsync", "Oslo")!);
        Assert.Throws<NotImplementedException>(() => Reflect.Call(forecasts, "GetForecastsAsync", "Oslo"));
        var tools = CodeFixHarness.Instance(assembly, "Demo.Tools");
        Assert.Equal(5, Reflect.Call(tools, "Add", 2, 3));
        Assert.Equal(-1, Reflect.Call(tools, "Sub", 2, 3));
        Assert.Equal(6, Reflect.Call(tools, "Mul", 2, 3));
        Assert.Equal(3L, Reflect.Call(tools, "Size", new System.IO.MemoryStream(new byte[3])));
        Assert.Equal(4, Reflect.Call(tools, "Four"));
    }
}
