using Instrumentation.Generator.Diagnostics;
using Microsoft.CodeAnalysis;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// The rule that names the body method a wrapper calls: <c>&lt;Name&gt;Core</c>, unless the attribute names another
/// with <c>Implementation = nameof(...)</c>. The inspector, the diagnostics it reports (their
/// <see cref="DiagnosticIds.ImplementationNameProperty"/>) and the code fixes all ask this class, so the rule is stated once.
/// </summary>
internal static class BodyMethodName
{
    /// <summary>The suffix of the default body method's name.</summary>
    public const string Suffix = "Core";

    /// <summary>The attribute property that names the body method instead.</summary>
    public const string ImplementationArgument = "Implementation";

    /// <summary>The body method's name when the attribute names none: <c>AddCore</c> for <c>Add</c>.</summary>
    public static string Default(string methodName) => methodName + Suffix;

    /// <summary>The body method of <paramref name="method"/>, annotated with <paramref name="attribute"/>.</summary>
    public static string Of(IMethodSymbol method, AttributeData attribute) =>
        MethodInspector.NamedString(attribute, ImplementationArgument) ?? Default(method.Name);

    /// <summary>The body method a diagnostic of ours names (its <see cref="DiagnosticIds.ImplementationNameProperty"/>), or
    /// the default for <paramref name="methodName"/> when it names none.</summary>
    public static string From(Diagnostic diagnostic, string methodName) =>
        diagnostic.Properties.TryGetValue(DiagnosticIds.ImplementationNameProperty, out var name) && name is not null ? name : Default(methodName);
}
