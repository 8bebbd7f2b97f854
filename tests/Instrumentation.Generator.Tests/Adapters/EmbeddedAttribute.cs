using System;

namespace Microsoft.CodeAnalysis;

/// <summary>
/// The attribute the generated SDK adapters carry. In a user's assembly the generator defines it (its post-initialization
/// output); this project compiles the adapter files directly, without the generator, so it defines it the same way.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Interface | AttributeTargets.Delegate)]
internal sealed class EmbeddedAttribute : Attribute
{
}
