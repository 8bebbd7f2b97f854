using Instrumentation.Runtime.Conventions;

namespace Instrumentation.Mlflow;

/// <summary>
/// The <c>in:</c> and <c>out:</c> lines under a span: <c>mlflow.spanInputs</c> and <c>mlflow.spanOutputs</c> as
/// recorded (JSON text, shown as is), on one line cut to <see cref="TraceTreeOptions.MaxValueChars"/> characters.
/// </summary>
internal static class SpanContentLines
{
    public static void Write(TreeWriter writer, string guide, TraceTreeSpan span)
    {
        Write(writer, guide, "in:  ", span.GetAttribute(MlflowAttributes.SpanInputs));
        Write(writer, guide, "out: ", span.GetAttribute(MlflowAttributes.SpanOutputs));
    }

    private static void Write(TreeWriter writer, string guide, string label, object? value)
    {
        if (DisplayText.AsText(value) is not { Length: > 0 } text)
        {
            return;
        }

        writer.Guide(guide).Append(TreeWriter.Dim, label).Append(DisplayText.OneLine(text, writer.Options.MaxValueChars)).EndLine();
    }
}
