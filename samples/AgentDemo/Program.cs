using System;
using System.Threading.Tasks;
using AgentDemo;
using Instrumentation.Runtime.Sessions;
using Microsoft.Extensions.AI;
using OpenTelemetry.Trace;

// The demo: one question to a tool-using weather agent, traced end to end.
//   dotnet run --project samples/AgentDemo [-- "your question"]
// Offline by default. OPENAI_BASE_URL + OPENAI_API_KEY + OPENAI_MODEL switch to a real OpenAI-compatible model;
// MLFLOW_TRACKING_URI (+ MLFLOW_EXPERIMENT_ID or MLFLOW_EXPERIMENT_NAME) also sends the trace to MLflow.
var question = args.Length > 0 ? string.Join(' ', args) : "What's the weather in Paris and Atlantis today, in Fahrenheit?";

if (!DemoStartup.TryStart(out var model, out var tracing))
{
    return DemoStartup.BadSettingsExitCode;
}

using (tracing)
{
    var agent = new WeatherAgent(model, new WeatherTools());
    Console.WriteLine($"Q: {question}");
    try
    {
        // One conversation: MLflow groups the trace under this session and user.
        using (TraceSession.Begin(sessionId: "demo-session", userId: Environment.UserName))
        {
            var answer = await agent.RunAsync(question);
            Console.WriteLine($"A: {answer}");
            Console.WriteLine();
        }
    }
    catch (Exception ex)
    {
        Console.Error.WriteLine($"The agent failed: {ex.GetType().Name}: {ex.Message}");
        tracing.ForceFlush();
        return 1;
    }

    // Export everything before the process exits.
    tracing.ForceFlush();
}

return 0;
