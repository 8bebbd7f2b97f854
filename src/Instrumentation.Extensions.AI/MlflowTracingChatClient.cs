using Microsoft.Extensions.AI;

namespace Instrumentation.Extensions.AI;

/// <summary>The chat client <see cref="MlflowTracingChatClientBuilderExtensions.UseMlflowTracing"/> adds.</summary>
internal sealed class MlflowTracingChatClient : DelegatingChatClient
{
    public MlflowTracingChatClient(IChatClient innerClient)
        : base(innerClient)
    {
    }
}
