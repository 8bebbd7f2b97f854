using System.Reflection;

namespace Instrumentation.Generator.Emitting;

/// <summary>
/// The <c>[GeneratedCode]</c> attribute every emitted member carries, naming this generator and its assembly version,
/// as the runtime's own generators (LoggerMessage, System.Text.Json) mark theirs: tools that skip generated code
/// (coverage, code metrics) skip it, and the analyzer recognises an implementation this generator wrote by it.
/// </summary>
internal static class GeneratedCode
{
    private static readonly AssemblyName Generator = typeof(GeneratedCode).Assembly.GetName();

    /// <summary>The tool name the attribute carries: the generator's assembly name, <c>Instrumentation.Generator</c>.</summary>
    public static string Tool { get; } = Generator.Name!;

    /// <summary>The tool version the attribute carries: the generator's assembly version.</summary>
    public static string Version { get; } = Generator.Version?.ToString() ?? "0.0.0.0";

    /// <summary>The attribute, as a line of C#.</summary>
    public static string Attribute { get; } = "[global::System.CodeDom.Compiler.GeneratedCode(\"" + Tool + "\", \"" + Version + "\")]";
}
