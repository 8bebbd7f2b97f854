namespace Instrumentation.Runtime.Chat;

/// <summary>
/// A function tool offered to the model, recorded in <c>mlflow.chat.tools</c> in the OpenAI shape
/// <c>{"type":"function","function":{"name":..,"description":..,"parameters":{..}}}</c>.
/// </summary>
/// <param name="Name">The function's name, as the model calls it.</param>
/// <param name="Description">What the function does, as the model is told.</param>
/// <param name="ParametersJson">The JSON schema of the parameters, as JSON text of an object; <see langword="null"/>
/// when the tool takes none.</param>
public sealed record RecordedTool(string Name, string? Description = null, string? ParametersJson = null);
