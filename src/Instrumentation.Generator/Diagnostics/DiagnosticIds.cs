namespace Instrumentation.Generator.Diagnostics;

/// <summary>
/// The ID of every diagnostic, shared by the analyzer, the generator and the code fixes. The prefix is <c>AIT</c>
/// ("agent instrumentation tracing"); IDs are never reused.
/// </summary>
internal static class DiagnosticIds
{
    public const string Prefix = "AIT";

    public const string NotPartial = "AIT001";
    public const string PartialWithBody = "AIT002";
    public const string ContainingTypeNotPartial = "AIT003";
    public const string ImplementationMissing = "AIT004";
    public const string ImplementationMismatch = "AIT005";
    public const string UnsupportedSignature = "AIT006";
    public const string DuplicateAttributes = "AIT007";
    public const string ValueRecordedAsPlaceholder = "AIT008";
    public const string NoTokenUsage = "AIT009";
    public const string RuntimeNotReferenced = "AIT010";
    public const string AttributeHasNoEffect = "AIT011";
    public const string AsyncVoidBody = "AIT012";

    /// <summary>Diagnostic property: the name of the body method the generator calls (<c>&lt;Name&gt;Core</c> or <c>Implementation</c>).</summary>
    public const string ImplementationNameProperty = "ImplementationName";
}
