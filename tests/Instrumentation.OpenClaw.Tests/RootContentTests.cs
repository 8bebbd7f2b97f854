using Instrumentation.Testing;

namespace Instrumentation.OpenClaw.Tests;

/// <summary>The exact JSON of a turn's AGENT span inputs and outputs: the OpenAI chat shapes MLflow previews as the
/// trace's request and response (docs/mlflow-contract.md §3), written by the runtime's chat codec.</summary>
public sealed class RootContentTests
{
    [Fact]
    public void The_root_records_the_user_message_and_the_final_answer_in_the_chat_shapes()
    {
        var root = Assert.Single(ReplayRun.OfCapture("gateway-tool.jsonl").Roots);

        Assert.Equal("""{"messages":[{"role":"user","content":"SCENARIO:tool Read notes.txt and tell me what it says."}]}""",
            root.Tag("mlflow.spanInputs"));
        Assert.Equal("""{"choices":[{"index":0,"message":{"role":"assistant","content":"The file notes.txt was read successfully."}}]}""",
            root.Tag("mlflow.spanOutputs"));
    }
}
