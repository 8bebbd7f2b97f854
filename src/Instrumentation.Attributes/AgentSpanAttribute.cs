using System;

namespace Instrumentation;

/// <summary>
/// Traces the method as one run of an agent: an MLflow span of type <c>AGENT</c>
/// (<c>gen_ai.operation.name</c> = <c>invoke_agent</c>). Typically the root of a trace, with the agent's
/// LLM calls and tool calls nested below it.
/// </summary>
/// <example>
/// <code>
/// [AgentSpan]
/// public partial Task&lt;string&gt; RunAsync(string question, CancellationToken ct = default);
///
/// private async Task&lt;string&gt; RunAsyncCore(string question, CancellationToken ct) { ... }
/// </code>
/// </example>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false, Inherited = false)]
public sealed class AgentSpanAttribute : InstrumentedMethodAttribute
{
    /// <summary>
    /// The agent's name, recorded as <c>gen_ai.agent.name</c>. Default: <see cref="InstrumentedMethodAttribute.Name"/>
    /// when set, otherwise the name of the type that declares the method.
    /// </summary>
    public string? AgentName { get; set; }
}
