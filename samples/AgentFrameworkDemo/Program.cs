using System;
using System.Threading.Tasks;
using AgentDemo;
using Instrumentation.Runtime.Sessions;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;
using OpenTelemetry.Trace;

// The Agent Framework demo: a ChatClientAgent answers two questions in one session, traced end to end.
//   dotnet run --project samples/AgentFrameworkDemo
// Offline by default. OPENAI_BASE_URL + OPENAI_API_KEY + OPENAI_MODEL switch to a real OpenAI-compatible model;
// MLFLOW_TRACKING_URI (+ MLFLOW_EXPERIMENT_ID or MLFLOW_EXPERIMENT_NAME) also sends the traces to MLflow.
string[] questions =
[
    "What's the weather in Paris and Atlantis today?",
    "And in Lisbon, in Fahrenheit?",
];

if (!DemoStartup.TryStart(out var model, out var tracing))
{
    return DemoStartup.BadSettingsExitCode;
}

using (tracing)
{
    var tools = new WeatherTools();

    // LLM spans per model call and TOOL spans per function call: UseMlflowTracing() after UseFunctionInvocation().
    // IncludeDetailedErrors: the model sees why a tool failed ("City not found: Atlantis"), not only that it did.
    var chat = model.AsBuilder().UseFunctionInvocation(configure: f => f.IncludeDetailedErrors = true).UseMlflowTracing().Build();

    // One AGENT span per run; every run on the session shares its session id.
    var agent = new ChatClientAgent(chat, new ChatClientAgentOptions
    {
        Name = "WeatherAgent",
        Description = "Answers questions about today's weather.",
        ChatOptions = new ChatOptions
        {
            Instructions = "You are a concise weather assistant. Call get_forecast for every city the user names, and "
                + "convert_temperature when they ask for Fahrenheit or Kelvin. When a tool fails, say which city and why.",
            Tools =
            [
                AIFunctionFactory.Create(tools.GetForecastAsync, "get_forecast", "Gets today's forecast for a city.", DemoJson.Options),
                AIFunctionFactory.Create(tools.ConvertTemperature, "convert_temperature", "Converts a Celsius temperature to Fahrenheit or Kelvin.", DemoJson.Options),
            ],
        },
    }).AsBuilder().UseMlflowTracing().Build();

    try
    {
        var session = await agent.CreateSessionAsync();

        // The user of every trace; the session id comes from the AgentSession (set here so the output is stable).
        using (TraceSession.Begin(sessionId: "demo-af-session", userId: Environment.UserName))
        {
            foreach (var question in questions)
            {
                Console.WriteLine($"Q: {question}");
                var response = await agent.RunAsync(question, session);
                Console.WriteLine($"A: {response.Text}");
                Console.WriteLine();
            }
        }
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"The agent failed: {ex.GetType().Name}: {ex.Message}");
        tracing.ForceFlush();
        return 1;
    }

    tracing.ForceFlush();
}

return 0;
