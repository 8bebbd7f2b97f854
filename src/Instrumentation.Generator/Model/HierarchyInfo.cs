using System;

namespace Instrumentation.Generator.Model;

/// <summary>One type declaration the generated member must be nested in, outermost first.</summary>
/// <param name="Keyword">The declaration keyword(s): <c>class</c>, <c>struct</c>, <c>record</c>, <c>record struct</c>,
/// <c>interface</c>; never <c>ref</c> or <c>readonly</c>, which one part of a struct declares for all.</param>
/// <param name="NameWithTypeParameters">The name and its type parameter list, for example <c>Cache&lt;TKey&gt;</c>.</param>
internal sealed record TypeDeclarationInfo(string Keyword, string NameWithTypeParameters) : IEquatable<TypeDeclarationInfo>;

/// <summary>Where the method lives: the namespace and the chain of (possibly nested) partial types.</summary>
/// <param name="Namespace">The namespace, or <see langword="null"/> for the global namespace.</param>
/// <param name="Types">The containing types, outermost first.</param>
internal sealed record HierarchyInfo(string? Namespace, EquatableArray<TypeDeclarationInfo> Types) : IEquatable<HierarchyInfo>;
