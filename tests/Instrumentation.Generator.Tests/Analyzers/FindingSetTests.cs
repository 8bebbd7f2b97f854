using System.Linq;
using Instrumentation.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Tests.Analyzers;

/// <summary>
/// An inspection builds only the findings its reporter reports: the generator's errors, the analyzer's warnings and
/// notes, none for a visit that reports nothing. Whether generation stops is known in every case.
/// </summary>
public sealed class FindingSetTests
{
    [Theory]
    [InlineData(nameof(Reporter.Generator), "AIT004")]
    [InlineData(nameof(Reporter.Analyzer), "AIT001,AIT008")]
    [InlineData(nameof(Reporter.None), "")]
    public void Each_reporter_keeps_only_what_it_reports_and_every_one_knows_what_blocks(string reporter, string kept)
    {
        var findings = new FindingSet(System.Enum.Parse<Reporter>(reporter));

        findings.Add(DiagnosticDescriptors.ValueRecordedAsPlaceholder, Location.None, "Parameter 'log'", "Stream", string.Empty);
        findings.Add(DiagnosticDescriptors.ImplementationMissing, Location.None, "Add", "AddCore", "Calculator");
        findings.Add(DiagnosticDescriptors.NotPartial, Location.None, "Add", "Tool", "AddCore");

        Assert.Equal(kept, string.Join(",", findings.ToSortedArray().Select(f => f.Descriptor.Id)));
        Assert.Equal(3, findings.Count);
        Assert.True(findings.Blocked);
    }

    [Fact]
    public void A_recording_note_alone_never_blocks_generation()
    {
        var findings = new FindingSet(Reporter.None);

        findings.Add(DiagnosticDescriptors.NoTokenUsage, Location.None, "Complete", "string", "return a ChatResponse");
        findings.Add(DiagnosticDescriptors.ValueRecordedAsPlaceholder, Location.None, "Parameter 'log'", "Stream", string.Empty);

        Assert.False(findings.Blocked);
        Assert.Empty(findings.ToSortedArray());
    }
}
