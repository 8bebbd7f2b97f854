namespace Instrumentation.Generator;

/// <summary>Names of the pipeline steps, so tests can assert each one is cached after an unrelated edit.</summary>
internal static class TrackingNames
{
    public const string AgentMethods = nameof(AgentMethods);
    public const string LlmMethods = nameof(LlmMethods);
    public const string ToolMethods = nameof(ToolMethods);
    public const string AgentModels = nameof(AgentModels);
    public const string LlmModels = nameof(LlmModels);
    public const string ToolModels = nameof(ToolModels);
    public const string SdkAdapters = nameof(SdkAdapters);

    /// <summary>The well-known types of the compilation: new for every compilation, an input of the inspection only.</summary>
    public const string KnownTypes = nameof(KnownTypes);
}
