namespace Instrumentation.Generator.Model;

/// <summary>Which attribute marked the method, and so which runtime span type the wrapper starts.</summary>
internal enum SpanKind
{
    Agent,
    Llm,
    Tool,
}
