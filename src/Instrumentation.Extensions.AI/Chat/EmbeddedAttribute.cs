using System;

namespace Microsoft.CodeAnalysis;

/// <summary>
/// The attribute the shared SDK adapter files carry (see the project file: this package compiles the generator's
/// Microsoft.Extensions.AI adapter rather than keeping a copy). In a user's assembly the generator defines it; here,
/// without the generator, this project does.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Enum | AttributeTargets.Interface | AttributeTargets.Delegate)]
internal sealed class EmbeddedAttribute : Attribute
{
}
