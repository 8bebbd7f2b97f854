using System;

namespace Instrumentation.Generator.Model;

/// <summary>
/// Everything the emitter needs to write one wrapper, as strings and enums only: no symbol, syntax node or
/// compilation survives past the parser, so an unchanged method yields an equal model and the pipeline stays cached.
/// </summary>
/// <param name="Hierarchy">The namespace and containing types.</param>
/// <param name="HintName">A unique, deterministic file name for the generated source.</param>
/// <param name="Modifiers">The declaration's modifiers, as written, without <c>partial</c> (<c>public static</c>).</param>
/// <param name="ReturnType">The fully qualified return type.</param>
/// <param name="Name">The method's name.</param>
/// <param name="TypeParameters">The type parameter list (<c>&lt;T&gt;</c>) or empty.</param>
/// <param name="Constraints">The constraint clauses (<c>where T : class</c>).</param>
/// <param name="Parameters">The parameters.</param>
/// <param name="Shape">How the result is awaited and recorded.</param>
/// <param name="ResultType">The awaited result type of <c>Task&lt;T&gt;</c> / <c>ValueTask&lt;T&gt;</c>, else the return type.</param>
/// <param name="ResultDisplayType">The readable result type, recorded as the placeholder of a <c>ref struct</c> result.</param>
/// <param name="ImplementationName">The body method to call.</param>
/// <param name="ImplementationTypeArguments">The type argument list passed to the body method (<c>&lt;T&gt;</c>) or empty.</param>
/// <param name="Kind">The span type.</param>
/// <param name="SpanName">The span name.</param>
/// <param name="AgentName">For agent spans: <c>gen_ai.agent.name</c>.</param>
/// <param name="Model">For LLM spans: the requested model.</param>
/// <param name="Provider">For LLM spans: the provider.</param>
/// <param name="Description">For tool spans: the tool's description.</param>
/// <param name="Llm">For LLM spans: the request, response and stream kinds.</param>
internal sealed record MethodModel(
    HierarchyInfo Hierarchy,
    string HintName,
    string Modifiers,
    string ReturnType,
    string Name,
    string TypeParameters,
    EquatableArray<string> Constraints,
    EquatableArray<ParameterModel> Parameters,
    ReturnShape Shape,
    string ResultType,
    string ResultDisplayType,
    string ImplementationName,
    string ImplementationTypeArguments,
    SpanKind Kind,
    string SpanName,
    string? AgentName,
    string? Model,
    string? Provider,
    string? Description,
    LlmModel? Llm) : IEquatable<MethodModel>;
