using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Model;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Instrumentation.Generator.Parsing;

/// <summary>
/// Applies every rule to one method carrying an instrumentation attribute and, when it can be wrapped, builds the
/// <see cref="MethodModel"/> the emitter turns into source.
/// </summary>
internal static class MethodInspector
{
    public static InspectionResult Inspect(IMethodSymbol method, AttributeData attribute, SpanKind kind, Compilation compilation, CancellationToken cancellationToken)
    {
        var known = new KnownTypes(compilation);
        var diagnostics = ImmutableArray.CreateBuilder<Diagnostic>();
        var location = method.Locations.FirstOrDefault() ?? Location.None;
        var attributeName = ShortAttributeName(attribute);
        var implementationName = NamedString(attribute, "Implementation") ?? method.Name + "Core";

        if (!known.HasRuntime)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.RuntimeNotReferenced, location, attributeName, method.Name));
        }

        var others = method.GetAttributes()
            .Where(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass) && !SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute.AttributeClass))
            .ToList();
        if (others.Count > 0)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.DuplicateAttributes, location, method.Name, attributeName, ShortAttributeName(others[0])));
        }

        CheckDeclaration(method, attributeName, implementationName, location, diagnostics, cancellationToken);
        var shape = CheckShape(method, known, location, diagnostics, out var resultType);

        var body = ImplementationMatcher.Find(method, implementationName, out var anyCandidate, out var mismatch);
        if (body is null)
        {
            diagnostics.Add(anyCandidate
                ? Diagnostic.Create(DiagnosticDescriptors.ImplementationMismatch, location, implementationName, method.Name, mismatch)
                : Diagnostic.Create(DiagnosticDescriptors.ImplementationMissing, location, method.Name, implementationName));
        }

        var parameters = BuildParameters(method, known, diagnostics);
        if (shape is not { } returnShape || diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return new InspectionResult(null, diagnostics.ToImmutable());
        }

        LlmModel? llm = null;
        if (kind == SpanKind.Llm)
        {
            llm = LlmAnalysis.Analyze(method, returnShape, resultType, known, parameters);
            if (!LlmAnalysis.ExposesUsage(llm, returnShape) && returnShape is not (ReturnShape.Void or ReturnShape.Task or ReturnShape.ValueTask))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NoTokenUsage, location, method.Name, method.ReturnType.ToDisplayString(TypeDisplay.Short)));
            }
        }

        var model = new MethodModel(
            Hierarchy: BuildHierarchy(method),
            HintName: BuildHintName(method),
            Modifiers: DeclaredModifiers(method, cancellationToken),
            ReturnType: TypeDisplay.Qualified(method.ReturnType),
            Name: TypeDisplay.Identifier(method.Name),
            TypeParameters: TypeParameterList(method),
            Constraints: ConstraintClauses(method).ToEquatableArray(),
            Parameters: parameters,
            Shape: returnShape,
            ResultType: TypeDisplay.Qualified(resultType),
            ResultDisplayType: resultType.ToDisplayString(),
            ImplementationName: TypeDisplay.Identifier(implementationName),
            ImplementationTypeArguments: TypeParameterList(method),
            Kind: kind,
            SpanName: NamedString(attribute, "Name") ?? method.Name,
            AgentName: kind == SpanKind.Agent ? NamedString(attribute, "AgentName") ?? NamedString(attribute, "Name") ?? method.ContainingType.Name : null,
            Model: NamedString(attribute, "Model"),
            Provider: NamedString(attribute, "Provider"),
            Description: NamedString(attribute, "Description"),
            Llm: llm);
        return new InspectionResult(model, diagnostics.ToImmutable());
    }

    private static void CheckDeclaration(IMethodSymbol method, string attributeName, string implementationName, Location location,
        ImmutableArray<Diagnostic>.Builder diagnostics, CancellationToken cancellationToken)
    {
        if (method.ContainingType.TypeKind == TypeKind.Interface)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedShape, location, method.Name,
                "interface members cannot be traced: put the attribute on the method of the type that implements it"));
            return;
        }

        if (method.IsAbstract || method.IsExtern)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedShape, location, method.Name,
                method.IsAbstract ? "it is abstract: put the attribute on the overriding method" : "it is extern"));
            return;
        }

        var syntax = method.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<MethodDeclarationSyntax>()
            .FirstOrDefault();
        if (syntax is null)
        {
            return;
        }

        var isPartial = syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        if (!isPartial)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.NotPartial, location, method.Name, attributeName, implementationName));
        }
        else if (syntax.Body is not null || syntax.ExpressionBody is not null || method.PartialImplementationPart is not null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.PartialWithBody, location, method.Name, attributeName, implementationName));
        }

        // A partial method needs every enclosing type to be partial; an ordinary method is reported once, above, and
        // its fix makes the types partial too.
        if (isPartial)
        {
            for (var type = method.ContainingType; type is not null; type = type.ContainingType)
            {
                if (!IsPartial(type, cancellationToken))
                {
                    diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.ContainingTypeNotPartial, location, type.Name, attributeName, method.Name));
                }
            }
        }
    }

    internal static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Length > 0 && type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .All(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static ReturnShape? CheckShape(IMethodSymbol method, KnownTypes known, Location location,
        ImmutableArray<Diagnostic>.Builder diagnostics, out ITypeSymbol resultType)
    {
        var shape = ReturnShapes.Classify(method, known, out resultType, out var problem);
        if (problem is not null)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedShape, location, method.Name, problem));
        }

        if (method.IsVararg)
        {
            diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedShape, location, method.Name, "it takes __arglist"));
        }

        foreach (var parameter in method.Parameters)
        {
            var reason = parameter.RefKind switch
            {
                RefKind.Ref => $"parameter '{parameter.Name}' is passed by 'ref'",
                RefKind.Out => $"parameter '{parameter.Name}' is an 'out' parameter",
                RefKind.RefReadOnlyParameter => $"parameter '{parameter.Name}' is passed by 'ref readonly': use 'in'",
                _ when parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer => $"parameter '{parameter.Name}' is a pointer",
                _ => null,
            };
            if (reason is null && shape == ReturnShape.AsyncEnumerable && parameter.Type.IsRefLikeType)
            {
                reason = $"parameter '{parameter.Name}' is a ref struct, which the wrapper of a stream (an async iterator) cannot hold";
            }

            if (reason is not null)
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.UnsupportedShape, parameter.Locations.FirstOrDefault() ?? location, method.Name, reason));
            }
        }

        return shape;
    }

    private static EquatableArray<ParameterModel> BuildParameters(IMethodSymbol method, KnownTypes known, ImmutableArray<Diagnostic>.Builder diagnostics)
    {
        var parameters = ImmutableArray.CreateBuilder<ParameterModel>(method.Parameters.Length);
        foreach (var parameter in method.Parameters)
        {
            var capture = Capture(parameter, known);
            if (capture == CaptureMode.Placeholder || (capture == CaptureMode.Record && IsNotRecordable(parameter.Type, known)))
            {
                diagnostics.Add(Diagnostic.Create(DiagnosticDescriptors.ValueRecordedAsPlaceholder,
                    parameter.Locations.FirstOrDefault() ?? Location.None, "parameter", parameter.Name, parameter.Type.ToDisplayString()));
            }

            parameters.Add(new ParameterModel(
                Name: TypeDisplay.Identifier(parameter.Name),
                JsonName: parameter.Name,
                Type: TypeDisplay.Qualified(parameter.Type),
                Modifiers: ParameterModifiers(method, parameter),
                Capture: capture,
                DisplayType: parameter.Type.ToDisplayString()));
        }

        return parameters.ToImmutable().ToEquatableArray();
    }

    private static CaptureMode Capture(IParameterSymbol parameter, KnownTypes known)
    {
        if (SymbolEqualityComparer.Default.Equals(parameter.Type, known.CancellationToken) || HasAttribute(parameter, known.NotTraced))
        {
            return CaptureMode.Skip;
        }

        if (HasAttribute(parameter, known.Redact))
        {
            return CaptureMode.Redact;
        }

        if (parameter.Type.IsRefLikeType)
        {
            return CaptureMode.Placeholder;
        }

        return SecretNames.LooksSecret(parameter.Name, parameter.Type) ? CaptureMode.SecretLike : CaptureMode.Record;
    }

    /// <summary>Types the runtime records as a placeholder (streams, delegates): worth an info diagnostic.</summary>
    private static bool IsNotRecordable(ITypeSymbol type, KnownTypes known)
    {
        if (type.TypeKind == TypeKind.Delegate)
        {
            return true;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, known.Stream))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAttribute(IParameterSymbol parameter, INamedTypeSymbol? attribute) =>
        attribute is not null && parameter.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

    private static string ParameterModifiers(IMethodSymbol method, IParameterSymbol parameter)
    {
        var modifiers = new StringBuilder();
        if (method.IsExtensionMethod && parameter.Ordinal == 0)
        {
            modifiers.Append("this ");
        }

        if (parameter.ScopedKind == ScopedKind.ScopedValue)
        {
            modifiers.Append("scoped ");
        }

        if (parameter.IsParams)
        {
            modifiers.Append("params ");
        }

        if (parameter.RefKind == RefKind.In)
        {
            modifiers.Append("in ");
        }

        return modifiers.ToString();
    }

    private static HierarchyInfo BuildHierarchy(IMethodSymbol method)
    {
        var types = ImmutableArray.CreateBuilder<TypeDeclarationInfo>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, new TypeDeclarationInfo(TypeKeyword(type), TypeDisplay.Identifier(type.Name) + TypeParameterList(type.TypeParameters)));
        }

        var ns = method.ContainingNamespace is { IsGlobalNamespace: false } n ? n.ToDisplayString() : null;
        return new HierarchyInfo(ns, types.ToImmutable().ToEquatableArray());
    }

    private static string TypeKeyword(INamedTypeSymbol type)
    {
        var keyword = type.TypeKind switch
        {
            TypeKind.Struct when type.IsRecord => "record struct",
            TypeKind.Struct => "struct",
            TypeKind.Interface => "interface",
            _ when type.IsRecord => "record",
            _ => "class",
        };

        if (type.TypeKind == TypeKind.Struct)
        {
            keyword = (type.IsRefLikeType ? "ref " : string.Empty) + keyword;
            keyword = (type.IsReadOnly ? "readonly " : string.Empty) + keyword;
        }

        return keyword;
    }

    private static string BuildHintName(IMethodSymbol method)
    {
        var name = new StringBuilder();
        name.Append(method.ContainingNamespace is { IsGlobalNamespace: false } ns ? ns.ToDisplayString() : "global");
        var types = new System.Collections.Generic.List<string>();
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            types.Insert(0, type.Arity > 0 ? type.Name + "_" + type.Arity : type.Name);
        }

        foreach (var type in types)
        {
            name.Append('.').Append(type);
        }

        name.Append('.').Append(method.Name);

        // Overloads share a name: a stable hash of the full signature tells them apart, the same in every build.
        name.Append('.').Append(Fnv1a(method.ToDisplayString(SignatureFormat)).ToString("x8"));
        return name.Append(".g.cs").ToString();
    }

    private static readonly SymbolDisplayFormat SignatureFormat = SymbolDisplayFormat.FullyQualifiedFormat
        .WithMemberOptions(SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeContainingType
            | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeRef)
        .WithParameterOptions(SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeParamsRefOut
            | SymbolDisplayParameterOptions.IncludeExtensionThis);

    private static uint Fnv1a(string text)
    {
        var hash = 2166136261u;
        foreach (var c in text)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        return hash;
    }

    private static string DeclaredModifiers(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();
        if (syntax is null)
        {
            return string.Empty;
        }

        return string.Join(" ", syntax.Modifiers
            .Where(m => !m.IsKind(SyntaxKind.PartialKeyword) && !m.IsKind(SyntaxKind.AsyncKeyword))
            .Select(m => m.Text));
    }

    private static string TypeParameterList(IMethodSymbol method) => TypeParameterList(method.TypeParameters);

    private static string TypeParameterList(ImmutableArray<ITypeParameterSymbol> parameters) =>
        parameters.Length == 0 ? string.Empty : "<" + string.Join(", ", parameters.Select(p => TypeDisplay.Identifier(p.Name))) + ">";

    private static System.Collections.Generic.IEnumerable<string> ConstraintClauses(IMethodSymbol method)
    {
        foreach (var parameter in method.TypeParameters)
        {
            var parts = new System.Collections.Generic.List<string>();
            if (parameter.HasReferenceTypeConstraint)
            {
                parts.Add(parameter.ReferenceTypeConstraintNullableAnnotation == NullableAnnotation.Annotated ? "class?" : "class");
            }
            else if (parameter.HasUnmanagedTypeConstraint)
            {
                parts.Add("unmanaged");
            }
            else if (parameter.HasValueTypeConstraint)
            {
                parts.Add("struct");
            }
            else if (parameter.HasNotNullConstraint)
            {
                parts.Add("notnull");
            }

            for (var i = 0; i < parameter.ConstraintTypes.Length; i++)
            {
                var type = parameter.ConstraintTypes[i].WithNullableAnnotation(parameter.ConstraintNullableAnnotations[i]);
                parts.Add(TypeDisplay.Qualified(type));
            }

            if (parameter.HasConstructorConstraint)
            {
                parts.Add("new()");
            }

            if (parameter.AllowsRefLikeType)
            {
                parts.Add("allows ref struct");
            }

            if (parts.Count > 0)
            {
                yield return "where " + TypeDisplay.Identifier(parameter.Name) + " : " + string.Join(", ", parts);
            }
        }
    }

    internal static string? NamedString(AttributeData attribute, string name)
    {
        foreach (var argument in attribute.NamedArguments)
        {
            if (argument.Key == name && argument.Value.Value is string value)
            {
                return value;
            }
        }

        return null;
    }

    private static string ShortAttributeName(AttributeData attribute)
    {
        var name = attribute.AttributeClass?.Name ?? "?";
        return name.EndsWith("Attribute", StringComparison.Ordinal) ? name.Substring(0, name.Length - "Attribute".Length) : name;
    }
}
