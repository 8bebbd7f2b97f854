using System.Text.Json;
using Instrumentation.Runtime.Serialization;
using Instrumentation.Runtime.Usage;

namespace Instrumentation.Runtime.Conventions;

/// <summary>
/// The one codec of MLflow's cost shape, the value of <see cref="MlflowAttributes.LlmCost"/> (<c>mlflow.llm.cost</c>):
/// the JSON object text <c>{"input_cost":x,"output_cost":y,"total_cost":z}</c>, amounts in USD. Source: the project's
/// MLflow contract (<c>docs/mlflow-contract.md</c>, section 2). The runtime writes it on LLM spans; the console trace
/// tree reads it back.
/// </summary>
public static class MlflowCostJson
{
    private const string InputCost = "input_cost";
    private const string OutputCost = "output_cost";
    private const string TotalCost = "total_cost";

    /// <summary>Writes <paramref name="cost"/> in the shape above, all three members, as exact decimals.</summary>
    /// <param name="cost">The amounts, in USD.</param>
    /// <returns>JSON object text.</returns>
    public static string Write(in LlmCost cost)
    {
        var buffer = JsonBuffer.Rent();
        try
        {
            var writer = buffer.Writer;
            writer.WriteStartObject();
            writer.WriteNumber(InputCost, cost.InputCost);
            writer.WriteNumber(OutputCost, cost.OutputCost);
            writer.WriteNumber(TotalCost, cost.TotalCost);
            writer.WriteEndObject();
            return buffer.ToUtf8String();
        }
        finally
        {
            buffer.Return();
        }
    }

    /// <summary>
    /// Reads the total back, in USD: <c>total_cost</c> when it is a number, otherwise the sum of whichever of
    /// <c>input_cost</c> and <c>output_cost</c> are numbers. Never throws: text that is not a JSON object, or an object
    /// with none of the three as a number, gives <see langword="null"/>.
    /// </summary>
    /// <param name="json">The attribute's value.</param>
    public static double? ReadTotalUsd(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (ReadAmount(root, TotalCost) is { } total)
            {
                return total;
            }

            var input = ReadAmount(root, InputCost);
            var output = ReadAmount(root, OutputCost);
            return input is null && output is null ? null : (input ?? 0) + (output ?? 0);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static double? ReadAmount(JsonElement root, string name) =>
        root.TryGetProperty(name, out var element) && element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var value)
            ? value
            : null;
}
