using System;
using System.Threading.Tasks;
using AgentDemo;
using Instrumentation.Mlflow;
using Instrumentation.Runtime;
using Instrumentation.Runtime.Sessions;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

// The demo: one question to a tool-using weather agent, traced end to end.
//   dotnet run --project samples/AgentDemo [-- "your question"]
// Offline by default. OPENAI_BASE_URL + OPENAI_API_KEY + OPENAI_MODEL switch to a real OpenAI-compatible model;
// MLFLOW_TRACKING_URI (+ MLFLOW_EXPERIMENT_ID or MLFLOW_EXPERIMENT_NAME) also sends the trace to MLflow.
var question = args.Length > 0 ? string.Join(' ', args) : "What's the weather in Paris and Atlantis today, in Fahrenheit?";

// Record the demo's own types with their compile-time JSON contracts: reflection-based JSON is off when trimmed.
AgentTelemetry.Configure(options => options.JsonSerializerOptions = DemoJson.Options);

IChatClient model;
try
{
    model = ModelSelection.FromEnvironment();
}
catch (InvalidOperationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
}

TracerProvider tracing;
try
{
    // The console tree is what you would otherwise open MLflow's trace view for; MLflow export is added when configured.
    tracing = Sdk.CreateTracerProviderBuilder()
        .AddTraceTreeConsoleExporter()
        .AddMlflowExporter()
        .Build();
}
catch (MlflowConfigurationException ex)
{
    Console.Error.WriteLine(ex.Message);
    return 2;
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
