using System;
using System.Linq;
using Microsoft.Extensions.AI;

namespace AgentDemo;

/// <summary>Chooses the model: the offline one, or an OpenAI-compatible endpoint when all three variables are set.</summary>
public static class ModelSelection
{
    public const string BaseUrlVariable = "OPENAI_BASE_URL";
    public const string ApiKeyVariable = "OPENAI_API_KEY";
    public const string ModelVariable = "OPENAI_MODEL";

    /// <exception cref="InvalidOperationException">Only some of the variables are set, or the base URL is not an absolute URI.</exception>
    public static IChatClient FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        string[] names = [BaseUrlVariable, ApiKeyVariable, ModelVariable];
        var values = names.Select(name => string.IsNullOrWhiteSpace(read(name)) ? null : read(name)!.Trim()).ToArray();
        if (values.All(v => v is null))
        {
            return new OfflineChatClient();
        }

        var missing = names.Where((_, i) => values[i] is null).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"To use an OpenAI-compatible model set all of {string.Join(", ", names)}; missing: {string.Join(", ", missing)}. Unset them all to run offline.");
        }

        if (!Uri.TryCreate(values[0], UriKind.Absolute, out var baseUrl) || baseUrl.Scheme is not ("http" or "https"))
        {
            throw new InvalidOperationException($"{BaseUrlVariable} '{values[0]}' is not an absolute http(s) URL; expected something like https://api.openai.com/v1.");
        }

        return new OpenAIChatClientAdapter(baseUrl, values[1]!, values[2]!);
    }
}
