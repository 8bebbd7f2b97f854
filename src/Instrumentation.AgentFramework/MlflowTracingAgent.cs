using System;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Instrumentation.Runtime;
using Microsoft.Agents.AI;
using Microsoft.Extensions.AI;

namespace Instrumentation.AgentFramework;

/// <summary>
/// The agent <c>UseMlflowTracing()</c> adds: one AGENT span around each run of the inner agent
/// (<see cref="AgentRunSpan"/>). Everything else (sessions, services, serialization) is the inner agent's.
/// </summary>
internal sealed class MlflowTracingAgent : DelegatingAIAgent
{
    private readonly string? _spanName;

    public MlflowTracingAgent(AIAgent innerAgent, string? spanName = null)
        : base(innerAgent)
    {
        _spanName = string.IsNullOrWhiteSpace(spanName) ? null : spanName;
    }

    protected override async Task<AgentResponse> RunCoreAsync(IEnumerable<ChatMessage> messages, AgentSession? session = null,
        AgentRunOptions? options = null, CancellationToken cancellationToken = default)
    {
        if (!AgentTelemetry.IsEnabled)
        {
            return await base.RunCoreAsync(messages, session, options, cancellationToken).ConfigureAwait(false);
        }

        // Read once: the span records the messages and the inner agent gets the same ones.
        var input = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var run = AgentRunSpan.Start(this, _spanName, input, session);
        using var scope = run.EnterRun();
        AgentResponse response;
        try
        {
            response = await base.RunCoreAsync(input, session, options, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            run.Fail(ex);
            throw;
        }

        run.Complete(response.Text);
        return response;
    }

    protected override async IAsyncEnumerable<AgentResponseUpdate> RunCoreStreamingAsync(IEnumerable<ChatMessage> messages,
        AgentSession? session = null, AgentRunOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (!AgentTelemetry.IsEnabled)
        {
            await foreach (var update in base.RunCoreStreamingAsync(messages, session, options, cancellationToken).ConfigureAwait(false))
            {
                yield return update;
            }

            yield break;
        }

        var input = messages as IReadOnlyCollection<ChatMessage> ?? messages.ToList();
        var run = AgentRunSpan.Start(this, _spanName, input, session);
        var answer = new StringBuilder();
        IAsyncEnumerator<AgentResponseUpdate> updates;
        using (run.EnterStep())
        {
            updates = base.RunCoreStreamingAsync(input, session, options, cancellationToken).GetAsyncEnumerator(cancellationToken);
        }

        try
        {
            while (true)
            {
                using (run.EnterStep())
                {
                    try
                    {
                        if (!await updates.MoveNextAsync().ConfigureAwait(false))
                        {
                            break;
                        }
                    }
                    catch (Exception ex)
                    {
                        run.Fail(ex);
                        throw;
                    }
                }

                var update = updates.Current;
                if (update.Role is null || update.Role == ChatRole.Assistant)
                {
                    answer.Append(update.Text);
                }

                yield return update;
            }
        }
        finally
        {
            await updates.DisposeAsync().ConfigureAwait(false);

            // A consumer that stops early still ends the span, with what the stream had produced so far.
            run.Complete(answer.ToString());
        }
    }
}
