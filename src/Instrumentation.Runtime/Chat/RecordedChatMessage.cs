using System.Collections.Generic;

namespace Instrumentation.Runtime.Chat;

/// <summary>
/// One chat message as recorded on an LLM span, in the OpenAI chat-completions shape MLflow's chat view renders
/// (<c>{"role":..,"content":..,"tool_calls":[..]}</c>). Every SDK's message type is converted to this, so a trace looks
/// the same whatever produced it.
/// </summary>
/// <param name="Role"><c>system</c>, <c>user</c>, <c>assistant</c> or <c>tool</c>.</param>
/// <param name="Content">The text; <see langword="null"/> for an assistant message that only calls tools.</param>
/// <param name="ToolCalls">The tool calls an assistant message asks for.</param>
/// <param name="ToolCallId">For a <c>tool</c> message: the id of the call it answers.</param>
/// <param name="Name">An optional participant or tool name.</param>
public sealed record RecordedChatMessage(
    string Role,
    string? Content,
    IReadOnlyList<RecordedToolCall>? ToolCalls = null,
    string? ToolCallId = null,
    string? Name = null);

/// <summary>A tool call requested by the model, in the OpenAI shape
/// <c>{"id":..,"type":"function","function":{"name":..,"arguments":"&lt;JSON text&gt;"}}</c>.</summary>
/// <param name="Id">The provider's id for the call, which the tool result's <c>tool_call_id</c> repeats.</param>
/// <param name="Name">The tool's name.</param>
/// <param name="ArgumentsJson">The arguments as JSON text (OpenAI sends them as a string).</param>
public sealed record RecordedToolCall(string? Id, string Name, string? ArgumentsJson);
