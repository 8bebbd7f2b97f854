namespace Instrumentation.Runtime.Usage;

/// <summary>
/// What one model call cost, in US dollars, recorded as <c>mlflow.llm.cost</c>
/// (<c>{"input_cost":x,"output_cost":y,"total_cost":z}</c>).
/// </summary>
/// <param name="InputCost">The prompt's cost in USD, cache reads and writes included.</param>
/// <param name="OutputCost">The completion's cost in USD.</param>
/// <param name="TotalCost">The whole call's cost in USD; usually input plus output.</param>
public readonly record struct LlmCost(decimal InputCost, decimal OutputCost, decimal TotalCost);
