using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Diagnostics;

/// <summary>
/// Every diagnostic the instrumentation reports. Each has an entry in <c>docs/diagnostics.md</c> with a wrong example,
/// the reason and the fix, and a row in <c>AnalyzerReleases.Unshipped.md</c>.
/// </summary>
/// <remarks>
/// Severities follow one rule. <b>Error</b>: the method is declared for the generator (a <c>partial</c> declaration)
/// and something stops it from being implemented, so the build would fail anyway (C# requires an implementation). <b>Warning</b>: the
/// code compiles but the attribute silently does nothing (an ordinary method, a local function), or an LLM span silently
/// misses what it is for (token usage, AIT009), which a terminal build must show. <b>Info</b>: the method is traced, and
/// something about what its span records is worth knowing. Any warning or error of ours, except the Recording category's,
/// means the generator writes nothing for that method, so no compiler error ever points into a generated file.
/// </remarks>
internal static class DiagnosticDescriptors
{
    /// <summary>The attribute is in the wrong place or the declaration is not one the generator can implement.</summary>
    public const string UsageCategory = "Instrumentation.Usage";

    /// <summary>The signature has a shape the wrapper cannot reproduce (by-reference returns, pointers, <c>__arglist</c>, ...).</summary>
    public const string DesignCategory = "Instrumentation.Design";

    /// <summary>The method is traced; something about what its span records.</summary>
    public const string RecordingCategory = "Instrumentation.Recording";

    private const string HelpBase = "https://github.com/instrumentation-agents/instrumentation/blob/main/docs/diagnostics.md#";

    public static readonly DiagnosticDescriptor NotPartial = Create(
        DiagnosticIds.NotPartial, DiagnosticSeverity.Warning, UsageCategory,
        "Instrumented method is not partial, so it is not traced",
        "'{0}' has [{1}] but is an ordinary method, so it is not traced: declare it 'partial' without a body and move the body into a private method '{2}' with the same signature",
        "The generator traces a method by writing the body of its partial declaration; an ordinary method keeps its own body and is never traced. The code fix turns the method into the partial declaration plus the body method, and makes every containing type partial.");

    public static readonly DiagnosticDescriptor PartialWithBody = Create(
        DiagnosticIds.PartialWithBody, DiagnosticSeverity.Error, UsageCategory,
        "Instrumented partial method must not have a body",
        "'{0}' has [{1}] and a body of its own, but the generator writes that body: move yours into a private method '{2}' with the same signature and end the declaration of '{0}' with ';'",
        "A partial method has exactly one implementation; for an instrumented method the generator writes it (it opens the span and calls the body method). The code fix moves the body into the body method.");

    public static readonly DiagnosticDescriptor ContainingTypeNotPartial = Create(
        DiagnosticIds.ContainingTypeNotPartial, DiagnosticSeverity.Error, UsageCategory,
        "Type containing an instrumented method must be partial",
        "Add 'partial' to type '{0}': the generator adds the traced body of [{1}] '{2}' to it in another file, which C# only allows for a partial type",
        "Partial methods live in partial types, and so does the generated half of an instrumented method: the type that declares it and every type that encloses it must be declared 'partial' (all their declarations). The code fix adds the modifier.");

    public static readonly DiagnosticDescriptor ImplementationMissing = Create(
        DiagnosticIds.ImplementationMissing, DiagnosticSeverity.Error, UsageCategory,
        "Body method not found",
        "'{0}' has no body method: add a method '{1}' to '{2}' with the same parameters, return type, static-ness and type parameters as '{0}', or name another method with Implementation = nameof(...)",
        "The generated wrapper opens the span and calls the body method: '<Name>Core' by default, or the method named by the attribute's Implementation property. The code fixes create the method, or rename a method whose signature already matches.");

    public static readonly DiagnosticDescriptor ImplementationMismatch = Create(
        DiagnosticIds.ImplementationMismatch, DiagnosticSeverity.Error, UsageCategory,
        "Body method does not match the traced method",
        "Body method '{0}' does not match '{1}': {2}. Give '{0}' the parameters, return type, static-ness, type parameters and constraints of '{1}'.",
        "The wrapper passes its arguments to the body method and returns what it returns, so the two signatures must agree, nullable annotations included.");

    public static readonly DiagnosticDescriptor UnsupportedSignature = Create(
        DiagnosticIds.UnsupportedSignature, DiagnosticSeverity.Error, DesignCategory,
        "Method cannot be traced as declared",
        "'{0}' cannot be traced: {1}",
        "Some signatures cannot be wrapped: by-reference returns, ref and out parameters, pointers, __arglist, awaitables other than Task and ValueTask, ref struct parameters of streams, methods of file-local types. The message says what to change.");

    public static readonly DiagnosticDescriptor DuplicateAttributes = Create(
        DiagnosticIds.DuplicateAttributes, DiagnosticSeverity.Error, UsageCategory,
        "Method has more than one instrumentation attribute",
        "'{0}' has both [{1}] and [{2}], but a method is traced as one kind of span: remove one of them",
        "[AgentSpan], [LlmCall] and [Tool] each give the span a different MLflow type; a method gets exactly one. The code fix removes the extra attribute.");

    public static readonly DiagnosticDescriptor ValueRecordedAsPlaceholder = Create(
        DiagnosticIds.ValueRecordedAsPlaceholder, DiagnosticSeverity.Info, RecordingCategory,
        "Value is recorded as a type placeholder",
        "{0} of type '{1}' is recorded as a placeholder naming its type, not its content{2}",
        "Streams, delegates, tasks, spans and other values whose content cannot be serialized without reading, running or copying them are recorded as their type name. Nothing needs fixing; mark a parameter [NotTraced] to leave it out of the inputs entirely.");

    public static readonly DiagnosticDescriptor NoTokenUsage = Create(
        DiagnosticIds.NoTokenUsage, DiagnosticSeverity.Warning, RecordingCategory,
        "LLM call's return type exposes no token usage",
        "[LlmCall] '{0}' returns '{1}', which exposes no token usage, so its span records none: {2}",
        "The LLM span records token usage, the model and the finish reason from the known SDK response types and from any type implementing Instrumentation.Runtime.Llm.ILlmResponse; for any other type it records the output as JSON only.");

    public static readonly DiagnosticDescriptor RuntimeNotReferenced = Create(
        DiagnosticIds.RuntimeNotReferenced, DiagnosticSeverity.Error, UsageCategory,
        "Instrumentation runtime not referenced",
        "[{0}] on '{1}' needs the Instrumentation.Runtime assembly, which this project does not reference: add a reference to the Instrumentation package",
        "The generated wrappers call the span types in Instrumentation.Runtime; without it the generator writes nothing.");

    public static readonly DiagnosticDescriptor AttributeHasNoEffect = Create(
        DiagnosticIds.AttributeHasNoEffect, DiagnosticSeverity.Warning, UsageCategory,
        "Instrumentation attribute has no effect here",
        "[{0}] has no effect on {1}: it is {2}; {3}",
        "The generator traces partial methods of classes and structs. C# accepts the attribute on local functions, lambdas, accessors, operators, abstract, extern and interface methods too, but nothing traces them.");

    /// <summary>
    /// Whether the generator reports this diagnostic, rather than the analyzer: every error. Each of them stops the
    /// generator from writing a partial method's implementation, and then the compiler stops at its own declaration
    /// errors (CS8795, CS0751) before it runs any analyzer, so only the generator's diagnostics reach a terminal build.
    /// Each ID has exactly one reporter, so the IDE, which runs both, shows each problem once.
    /// </summary>
    public static bool ReportedByGenerator(DiagnosticDescriptor descriptor) => descriptor.DefaultSeverity == DiagnosticSeverity.Error;

    /// <summary>The descriptors the analyzer reports: the warnings and notes, for code that compiles.</summary>
    public static ImmutableArray<DiagnosticDescriptor> ReportedByAnalyzer => All.Where(d => !ReportedByGenerator(d)).ToImmutableArray();

    public static readonly DiagnosticDescriptor AsyncVoidBody = Create(
        DiagnosticIds.AsyncVoidBody, DiagnosticSeverity.Error, DesignCategory,
        "Traced method's body is async void",
        "'{0}' is 'async void', so the span of '{1}' would end at its first 'await', before the work is done, and an exception thrown after that would crash the process instead of failing the span: make '{0}' 'async Task' and '{1}' return Task",
        "The wrapper of a void method ends the span when the body returns, and an async void body returns at its first await; what it throws later reaches no caller. Returning Task lets the wrapper await the work. An event handler that must be async void can call a traced method that returns Task.");

    /// <summary>Every descriptor, in ID order.</summary>
    public static readonly ImmutableArray<DiagnosticDescriptor> All = ImmutableArray.Create(
        NotPartial, PartialWithBody, ContainingTypeNotPartial, ImplementationMissing, ImplementationMismatch,
        UnsupportedSignature, DuplicateAttributes, ValueRecordedAsPlaceholder, NoTokenUsage, RuntimeNotReferenced,
        AttributeHasNoEffect, AsyncVoidBody);

    private static DiagnosticDescriptor Create(string id, DiagnosticSeverity severity, string category, string title, string message, string description) =>
        new(id, title, message, category, severity, isEnabledByDefault: true, description: description,
            helpLinkUri: HelpBase + id.ToLowerInvariant());
}
