using System.Diagnostics;
using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Mlflow;

/// <summary>
/// The line of one span: type (<c>mlflow.spanType</c>, else the span kind), name, duration, status, incomplete mark,
/// model, tokens, cost, session, user, and a mark when its parent was not seen.
/// </summary>
internal static class SpanLine
{
    public static void Write(TreeWriter writer, string guide, TraceTreeSpan span, bool parentMissing)
    {
        var max = writer.Options.MaxValueChars;
        var type = DisplayText.AsText(span.GetAttribute(MlflowAttributes.SpanType)) is { Length: > 0 } spanType
            ? DisplayText.OneLine(spanType)
            : span.Kind.ToString().ToUpperInvariant();
        writer.Guide(guide).Append(TypeColor(type), type).Append(" ").Append(DisplayText.OneLine(span.Name));
        writer.Fact(DisplayText.Duration(span.Duration));

        switch (span.Status)
        {
            case ActivityStatusCode.Ok:
                writer.Fact(TreeWriter.Green, "OK");
                break;
            case ActivityStatusCode.Error:
                var message = span.StatusDescription is { Length: > 0 } description
                    ? description
                    : DisplayText.AsText(span.GetAttribute(CommonAttributes.ErrorType));
                writer.Fact(TreeWriter.Red, message is { Length: > 0 } ? "ERROR " + DisplayText.OneLine(message, max) : "ERROR");
                break;
        }

        if (DisplayText.IsTrue(span.GetAttribute(InstrumentationAttributes.Incomplete)))
        {
            var reason = DisplayText.AsText(span.GetAttribute(InstrumentationAttributes.IncompleteReason));
            writer.Fact(TreeWriter.Yellow, reason is { Length: > 0 } ? "INCOMPLETE: " + DisplayText.OneLine(reason, max) : "INCOMPLETE");
        }

        if (DisplayText.AsText(span.GetAttribute(MlflowAttributes.LlmModel)) is { Length: > 0 } model)
        {
            writer.Fact(DisplayText.OneLine(model));
        }

        var usage = UsageSummary.Of(span);
        if (usage.TokensText() is { Length: > 0 } tokenText)
        {
            writer.Fact(tokenText);
        }

        if (usage.CostText() is { } cost)
        {
            writer.Fact(cost);
        }

        if (DisplayText.AsText(span.GetAttribute(CommonAttributes.SessionId)) is { Length: > 0 } session)
        {
            writer.Fact("session " + DisplayText.OneLine(session));
        }

        if (DisplayText.AsText(span.GetAttribute(CommonAttributes.UserId)) is { Length: > 0 } user)
        {
            writer.Fact("user " + DisplayText.OneLine(user));
        }

        if (parentMissing)
        {
            writer.Fact(TreeWriter.Yellow, "parent not seen");
        }

        writer.EndLine();
    }

    private static string TypeColor(string type) => type switch
    {
        MlflowSpanTypes.Agent => "\u001b[1;35m",
        MlflowSpanTypes.Llm or MlflowSpanTypes.ChatModel => "\u001b[1;36m",
        MlflowSpanTypes.Tool => "\u001b[1;33m",
        MlflowSpanTypes.Retriever or MlflowSpanTypes.Embedding or MlflowSpanTypes.Reranker => "\u001b[1;34m",
        _ => TreeWriter.Bold,
    };
}
