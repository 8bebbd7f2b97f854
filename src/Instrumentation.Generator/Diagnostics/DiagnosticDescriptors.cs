using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the instrumentation reports. IDs are <c>AIT</c> ("agent instrumentation tracing") plus three
/// digits; each has an entry in <c>docs/diagnostics.md</c> with a wrong example, the reason and the fix.
/// </summary>
internal static class DiagnosticDescriptors
{
    public const string Category = "Instrumentation";
    private const string HelpBase = "https://github.com/instrumentation/instrumentation/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        "AIT001", DiagnosticSeverity.Warning,
        "Instrumented method must be a partial declaration",
        "'{0}' has [{1}] but is an ordinary method, so it is not traced: declare it 'partial' without a body and move the body into '{2}'");

    public static readonly DiagnosticDescriptor PartialWithBody = Create(
        "AIT002", DiagnosticSeverity.Error,
        "Instrumented partial method must not have a body",
        "'{0}' has [{1}] and a body of its own; the generator writes the body: move yours into '{2}'");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Create(
        "AIT003", DiagnosticSeverity.Error,
        "Type containing an instrumented method must be partial",
        "Type '{0}' must be declared 'partial' for [{1}] on '{2}' to be traced");

    public static readonly DiagnosticDescriptor ImplementationMissing = Create(
        "AIT004", DiagnosticSeverity.Error,
        "Body method not found",
        "'{0}' needs a body method '{1}' in the same type with the same parameters and return type");

    public static readonly DiagnosticDescriptor ImplementationMismatch = Create(
        "AIT005", DiagnosticSeverity.Error,
        "Body method does not match",
        "Body method '{0}' does not match '{1}': {2}");

    public static readonly DiagnosticDescriptor UnsupportedShape = Create(
        "AIT006", DiagnosticSeverity.Error,
        "Method shape cannot be traced",
        "'{0}' cannot be traced: {1}");

    public static readonly DiagnosticDescriptor DuplicateAttributes = Create(
        "AIT007", DiagnosticSeverity.Error,
        "More than one instrumentation attribute",
        "'{0}' has both [{1}] and [{2}]; a method is one kind of span: keep one");

    public static readonly DiagnosticDescriptor ValueRecordedAsPlaceholder = Create(
        "AIT008", DiagnosticSeverity.Info,
        "Value is recorded as a type placeholder",
        "The {0} '{1}' of type '{2}' cannot be recorded sensibly and is recorded as '<{2}>'; mark it [NotTraced] to leave it out");

    public static readonly DiagnosticDescriptor NoTokenUsage = Create(
        "AIT009", DiagnosticSeverity.Info,
        "LLM call's return type exposes no token usage",
        "[LlmCall] '{0}' returns '{1}', which exposes no token usage, so none will be recorded; return a known response type or implement Instrumentation.Runtime.Llm.ILlmResponse");

    public static readonly DiagnosticDescriptor RuntimeNotReferenced = Create(
        "AIT010", DiagnosticSeverity.Error,
        "Instrumentation runtime not referenced",
        "[{0}] on '{1}' needs the Instrumentation.Runtime assembly, which this project does not reference: add the Instrumentation package");

    private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, string title, string message) =>
        new(id, title, message, Category, severity, isEnabledByDefault: true, helpLinkUri: HelpBase + id.ToLowerInvariant());
}
