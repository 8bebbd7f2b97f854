using System;
using System.Diagnostics.CodeAnalysis;
using Instrumentation.Mlflow;
using Instrumentation.Runtime;
using Microsoft.Extensions.AI;
using OpenTelemetry;
using OpenTelemetry.Trace;

namespace AgentDemo;

/// <summary>What every demo does first: the demo's JSON contracts, the model from the environment, and tracing to the
/// console tree (and to MLflow when configured). Shared by samples/AgentDemo and samples/AgentFrameworkDemo.</summary>
internal static class DemoStartup
{
    /// <summary>The exit code for bad settings: the sentence saying why is already on standard error.</summary>
    public const int BadSettingsExitCode = 2;

    /// <summary>Sets up the model and tracing; on bad settings writes the reason to standard error and returns
    /// <see langword="false"/>.</summary>
    public static bool TryStart([NotNullWhen(true)] out IChatClient? model, [NotNullWhen(true)] out TracerProvider? tracing)
    {
        // Record the demo's own types with their compile-time JSON contracts: reflection-based JSON is off when trimmed.
        AgentTelemetry.Configure(options => options.JsonSerializerOptions = DemoJson.Options);
        tracing = null;
        try
        {
            model = ModelSelection.FromEnvironment();
        }
        catch (InvalidOperationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            model = null;
            return false;
        }

        try
        {
            // The console tree is what you would otherwise open MLflow's trace view for; MLflow export is added when configured.
            tracing = Sdk.CreateTracerProviderBuilder()
                .AddTraceTreeConsoleExporter()
                .AddMlflowExporter()
                .Build()!;
            return true;
        }
        catch (MlflowConfigurationException ex)
        {
            Console.Error.WriteLine(ex.Message);
            return false;
        }
    }
}
