using System.Linq;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Instrumentation.CodeFixes.Tests;

/// <summary>
/// The errors come from the generator, whose diagnostics are located by file path and span rather than in a syntax
/// tree. A fix attaches to the ID whoever reports it: fed the generator's diagnostic exactly as reported, each fix
/// makes the same change as for the same diagnostic located in the tree, and the result is clean.
/// </summary>
public sealed class GeneratorDiagnosticFixTests
{
    public static TheoryData<string, string> Cases => new()
    {
        { "AIT002", "public partial class C { [Tool] public partial int Add(int a) => a; }" },
        { "AIT003", "public class C { [Tool] public partial int Add(int a); private int AddCore(int a) => a; }" },
        { "AIT004", "public partial class C { [Tool] public partial int Add(int a); }" },
        { "AIT007", "public partial class C { [Tool, AgentSpan] public partial int Add(int a); private int AddCore(int a) => a; }" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task A_fix_applied_to_the_generators_own_diagnostic_makes_the_same_change(string id, string members)
    {
        var project = CodeFixHarness.CreateProject(("Program.cs", "using Instrumentation;\n\nnamespace Demo;\n\n" + members + "\n"));
        var provider = Providers.Single(p => p.FixableDiagnosticIds.Contains(id));

        var raw = Assert.Single(await CodeFixHarness.RawGeneratorDiagnosticsAsync(project), d => d.Id == id);
        Assert.Equal(LocationKind.ExternalFile, raw.Location.Kind);
        var inTree = Assert.Single(await CodeFixHarness.AnalyzeAsync(project), d => d.Id == id);

        var fromRaw = await ApplyFirstAsync(project, provider, raw);
        var fromTree = await ApplyFirstAsync(project, provider, inTree);

        var fixedText = (await CodeFixHarness.TextsAsync(fromRaw, project.Id))["Program.cs"];
        Assert.NotEqual(members, fixedText);
        Assert.Equal((await CodeFixHarness.TextsAsync(fromTree, project.Id))["Program.cs"], fixedText);
        await CodeFixHarness.AssertCleanAndGenerateAsync(fromRaw, project.Id);
    }

    private static readonly CodeFixProvider[] Providers =
    [
        new MakeMethodTracedCodeFixProvider(), new MakeTypePartialCodeFixProvider(), new BodyMethodCodeFixProvider(), new RemoveAttributeCodeFixProvider(),
    ];

    private static async Task<Solution> ApplyFirstAsync(Project project, CodeFixProvider provider, Diagnostic diagnostic)
    {
        var action = (await CodeFixHarness.ActionsAsync(project, provider, diagnostic)).First();
        var operations = await action.GetOperationsAsync(System.Threading.CancellationToken.None);
        return Assert.Single(operations.OfType<ApplyChangesOperation>()).ChangedSolution;
    }
}
