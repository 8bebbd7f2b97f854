using System;

namespace Instrumentation;

/// <summary>
/// Traces the method as one tool execution: an MLflow span of type <c>TOOL</c>
/// (<c>gen_ai.operation.name</c> = <c>execute_tool</c>, <c>gen_ai.tool.name</c> = the span name).
/// The span lives inside the method, so every way of calling the tool is traced, including reflection-based
/// dispatch by agent frameworks.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class ToolAttribute : InstrumentedMethodAttribute
{
    /// <summary>
    /// What the tool does, recorded as <c>gen_ai.tool.description</c>.
    /// </summary>
    public string? Description { get; set; }
}
