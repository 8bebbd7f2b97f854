using System;
using System.CommandLine;
using System.Text.RegularExpressions;
using Instrumentation.Runtime;

namespace Instrumentation.OpenClaw.Cli;

/// <summary>
/// The bridge's redaction options, which set the runtime's <see cref="AgentTelemetryOptions.Redaction"/> for every span
/// it emits (docs/redaction.md). The OpenClaw plugin passes its own <c>redaction</c> config through them, so the
/// spool and the traces are redacted alike.
/// </summary>
internal sealed class RedactionCliOptions
{
    public Option<bool> NoRedaction { get; } = new("--no-redaction") { Description = "Record every value as it is: no secret is redacted." };

    public Option<string[]> Names { get; } = new("--redact-name")
    {
        Description = "Another secret key name (one or more words, any spelling), redacted with the built-in ones. Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<string[]> Patterns { get; } = new("--redact-pattern")
    {
        Description = "Another secret-value regular expression (group 1 is kept). Repeatable.",
        Arity = ArgumentArity.OneOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public RedactionCliOptions()
    {
        Patterns.Validators.Add(result =>
        {
            foreach (var token in result.Tokens)
            {
                try
                {
                    _ = new Regex(token.Value, RegexOptions.CultureInvariant);
                }
                catch (ArgumentException ex)
                {
                    result.AddError($"--redact-pattern '{token.Value}' is not a valid regular expression: {ex.Message}");
                }
            }
        });
    }

    public void AddTo(Command command)
    {
        command.Add(NoRedaction);
        command.Add(Names);
        command.Add(Patterns);
    }

    /// <summary>Makes the parsed options the runtime's redaction policy, replacing any set before.</summary>
    public void Apply(ParseResult parse) => AgentTelemetry.Configure(options =>
    {
        options.Redaction.Enabled = !parse.GetValue(NoRedaction);
        options.Redaction.SecretNames.Clear();
        options.Redaction.SecretValuePatterns.Clear();
        foreach (var name in parse.GetValue(Names) ?? [])
        {
            options.Redaction.SecretNames.Add(name);
        }

        foreach (var pattern in parse.GetValue(Patterns) ?? [])
        {
            options.Redaction.SecretValuePatterns.Add(pattern);
        }
    });
}
