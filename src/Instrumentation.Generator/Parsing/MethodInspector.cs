using System;
using System.Collections.Immutable;
using System.Linq;
using System.Text;
using System.Threading;
using Instrumentation.Generator.Diagnostics;
using Instrumentation.Generator.Emitting;
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
    /// <summary>
    /// Inspects <paramref name="method"/>, annotated with <paramref name="attribute"/>, keeping the findings
    /// <paramref name="reporter"/> reports. The findings are the same whichever of a method's instrumentation attributes
    /// is passed, and whichever part of a partial method.
    /// </summary>
    public static InspectionResult Inspect(IMethodSymbol method, AttributeData attribute, SpanKind kind, KnownTypes known, Reporter reporter,
        CancellationToken cancellationToken)
    {
        // Both parts of a partial method carry the same attributes: always inspect the defining part.
        method = method.PartialDefinitionPart ?? method;
        var findings = new FindingSet(reporter);
        var location = method.Locations.FirstOrDefault() ?? Location.None;
        var instrumentation = method.GetAttributes().Where(a => KnownTypes.IsInstrumentationAttribute(a.AttributeClass)).ToList();
        var primary = instrumentation.Count > 0 ? instrumentation[0] : attribute;
        var attributeName = ShortAttributeName(primary);
        var implementationName = BodyMethodName.Of(method, primary);

        // Members the generator never implements: one warning, on the attribute, and nothing else to say.
        if (MembersNeverTraced.Reason(method) is { } noEffect)
        {
            findings.Add(DiagnosticDescriptors.AttributeHasNoEffect, AttributeLocation(primary, location, cancellationToken),
                attributeName, MembersNeverTraced.Describe(method), noEffect.What, noEffect.Remedy);
            return new InspectionResult(null, findings);
        }

        // The compiler already says what is wrong, on the user's line; a wrapper would repeat it in the generated file.
        if (CompilerReported.HasErrorType(method) || CompilerReported.IsLaterDuplicate(method, cancellationToken))
        {
            return new InspectionResult(null, findings);
        }

        // The rules below see one annotated method of a class or struct, partial or not.
        var syntax = DeclarationSyntax(method, cancellationToken);
        var isPartial = syntax is null || syntax.Modifiers.Any(SyntaxKind.PartialKeyword);
        var properties = ImmutableDictionary<string, string?>.Empty.Add(DiagnosticIds.ImplementationNameProperty, implementationName);

        // Problems that no rewrite of the declaration can solve.
        for (var i = 1; i < instrumentation.Count; i++)
        {
            findings.Add(DiagnosticDescriptors.DuplicateAttributes, AttributeLocation(instrumentation[i], location, cancellationToken),
                method.Name, attributeName, ShortAttributeName(instrumentation[i]));
        }

        if (!known.HasRuntime)
        {
            findings.Add(DiagnosticDescriptors.RuntimeNotReferenced, location, attributeName, method.Name);
        }

        CheckContainingTypes(method, location, findings);
        var shape = CheckShape(method, known, location, findings, out var resultType);

        if (!isPartial)
        {
            // An ordinary method: one warning, whose fix writes the partial declaration, the body method and the partial
            // types; unless the method could not be traced even then, which the errors above say.
            if (findings.Count == 0)
            {
                // Made partial, an async void method would become an async void body, which AIT012 rejects: say that now.
                if (method is { IsAsync: true, ReturnsVoid: true })
                {
                    findings.Add(DiagnosticDescriptors.AsyncVoidBody, location, method.Name, method.Name);
                }
                else
                {
                    findings.Add(DiagnosticDescriptors.NotPartial, location, properties, method.Name, attributeName, implementationName);
                }
            }

            return new InspectionResult(null, findings);
        }

        var hasBody = CheckPartialDeclaration(method, syntax!, attributeName, implementationName, location, properties, findings, cancellationToken);

        // A body written on the partial method is reported above, and its fix creates the body method: no second error.
        var body = ImplementationMatcher.Find(method, implementationName, known.Compilation, out var anyCandidate, out var mismatch);
        if (body is null && !hasBody && method.ContainingType.GetMembers(implementationName).OfType<IMethodSymbol>().Any(CompilerReported.HasErrorType))
        {
            // The body method names a type the compiler cannot find: that error is the one to fix, and nothing is generated.
            return new InspectionResult(null, findings);
        }

        if (body is null && !hasBody)
        {
            if (anyCandidate)
            {
                findings.Add(DiagnosticDescriptors.ImplementationMismatch, location,
                    method.ContainingType.GetMembers(implementationName).SelectMany(m => m.Locations).Where(l => l.IsInSource), properties,
                    implementationName, method.Name, mismatch);
            }
            else
            {
                findings.Add(DiagnosticDescriptors.ImplementationMissing, location, properties, method.Name, implementationName, method.ContainingType.Name);
            }
        }

        // The wrapper of a void method ends the span when the body returns: an async void body returns at its first await.
        if (body is { IsAsync: true, ReturnsVoid: true })
        {
            findings.Add(DiagnosticDescriptors.AsyncVoidBody, location, body.Locations.Where(l => l.IsInSource), body.Name, method.Name);
        }

        if (shape is not { } returnShape || findings.Blocked)
        {
            return new InspectionResult(null, findings);
        }

        var parameters = BuildParameters(method, known);
        ReportPlaceholders(method, parameters, known, findings);

        var returnLocation = syntax?.ReturnType.GetLocation() ?? location;
        if (kind != SpanKind.Llm && RecordsResultAsPlaceholder(returnShape, resultType, known))
        {
            findings.Add(DiagnosticDescriptors.ValueRecordedAsPlaceholder, returnLocation,
                "The result of '" + method.Name + "'", resultType.ToDisplayString(TypeDisplay.Short), string.Empty);
        }

        LlmModel? llm = null;
        if (kind == SpanKind.Llm)
        {
            llm = LlmAnalysis.Analyze(method, returnShape, resultType, known, parameters);
            if (!LlmAnalysis.ExposesUsage(llm, returnShape) && returnShape is not (ReturnShape.Void or ReturnShape.Task or ReturnShape.ValueTask))
            {
                var remedy = returnShape == ReturnShape.AsyncEnumerable
                    ? "stream Microsoft.Extensions.AI ChatResponseUpdate or OpenAI StreamingChatCompletionUpdate items to have it recorded"
                    : "return a Microsoft.Extensions.AI ChatResponse, an OpenAI ChatCompletion or an Anthropic Message, or a type of yours that implements Instrumentation.Runtime.Llm.ILlmResponse";
                findings.Add(DiagnosticDescriptors.NoTokenUsage, returnLocation, method.Name, method.ReturnType.ToDisplayString(TypeDisplay.Short), remedy);
            }
        }
        var model = new MethodModel(
            Hierarchy: DeclarationText.BuildHierarchy(method),
            HintName: DeclarationText.BuildHintName(method),
            Modifiers: DeclarationText.DeclaredModifiers(method, cancellationToken),
            ReturnType: TypeDisplay.Qualified(method.ReturnType),
            Name: TypeDisplay.Identifier(method.Name),
            TypeParameters: DeclarationText.TypeParameterList(method),
            Constraints: DeclarationText.ConstraintClauses(method).ToEquatableArray(),
            Parameters: parameters,
            Shape: returnShape,
            ResultType: TypeDisplay.Qualified(resultType),
            ResultDisplayType: resultType.ToDisplayString(),
            ImplementationName: TypeDisplay.Identifier(implementationName),
            ImplementationTypeArguments: DeclarationText.TypeParameterList(method),
            Kind: kind,
            SpanName: NamedString(attribute, "Name") ?? method.Name,
            AgentName: kind == SpanKind.Agent ? NamedString(attribute, "AgentName") ?? NamedString(attribute, "Name") ?? method.ContainingType.Name : null,
            Model: NamedString(attribute, "Model"),
            Provider: NamedString(attribute, "Provider"),
            Description: NamedString(attribute, "Description"),
            Llm: llm);
        return new InspectionResult(model, findings);
    }

    private static MethodDeclarationSyntax? DeclarationSyntax(IMethodSymbol method, CancellationToken cancellationToken) =>
        method.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken)).OfType<MethodDeclarationSyntax>().FirstOrDefault();

    private static Location AttributeLocation(AttributeData attribute, Location fallback, CancellationToken cancellationToken) =>
        attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken).GetLocation() ?? fallback;

    private static void CheckContainingTypes(IMethodSymbol method, Location location, FindingSet findings)
    {
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (type.IsFileLocal)
            {
                findings.Add(DiagnosticDescriptors.UnsupportedSignature, location, method.Name,
                    $"type '{type.Name}' is file-local, and the generated half of the method is in another file: remove the 'file' modifier (make it 'internal')");
            }
        }
    }

    /// <summary>Checks a partial declaration and its containing types; returns whether the user wrote a body for it.</summary>
    private static bool CheckPartialDeclaration(IMethodSymbol method, MethodDeclarationSyntax syntax, string attributeName, string implementationName,
        Location location, ImmutableDictionary<string, string?> properties, FindingSet findings, CancellationToken cancellationToken)
    {
        // The body the user wrote: on this declaration, or on an implementing declaration of theirs (not the generated one).
        var hasBody = true;
        if (syntax.Body is not null || syntax.ExpressionBody is not null)
        {
            findings.Add(DiagnosticDescriptors.PartialWithBody, location, properties, method.Name, attributeName, implementationName);
        }
        else if (method.PartialImplementationPart is { } implementation && !IsGeneratedByUs(implementation)
            && implementation.Locations.FirstOrDefault() is { } implementationLocation)
        {
            findings.Add(DiagnosticDescriptors.PartialWithBody, implementationLocation, new[] { location }, properties,
                method.Name, attributeName, implementationName);
        }

        else
        {
            hasBody = false;

            // 'async' belongs to a method with a body: the body method. (With a body of its own, the rule above says it all.)
            if (syntax.Modifiers.Any(SyntaxKind.AsyncKeyword))
            {
                findings.Add(DiagnosticDescriptors.UnsupportedSignature, location, method.Name,
                    $"a partial declaration cannot be 'async': remove 'async' here and keep it on the body method '{implementationName}'");
            }
        }

        // C# requires an accessibility modifier of a partial method that returns a value, has out parameters or other
        // modifiers; and of the generated half, which repeats the declaration's modifiers.
        if (!syntax.Modifiers.Any(m => m.Kind() is SyntaxKind.PublicKeyword or SyntaxKind.InternalKeyword or SyntaxKind.ProtectedKeyword or SyntaxKind.PrivateKeyword)
            && (!method.ReturnsVoid || syntax.Modifiers.Any(m => m.Kind() is SyntaxKind.VirtualKeyword or SyntaxKind.OverrideKeyword
                or SyntaxKind.SealedKeyword or SyntaxKind.NewKeyword or SyntaxKind.ExternKeyword)))
        {
            findings.Add(DiagnosticDescriptors.UnsupportedSignature, location, method.Name,
                "C# requires an accessibility modifier on a partial method that returns a value or is virtual, override, sealed or new: declare it 'private' (or 'public', 'internal', 'protected')");
        }

        // Every enclosing type must be partial for the generated half to join it.
        for (var type = method.ContainingType; type is not null; type = type.ContainingType)
        {
            if (!IsPartial(type, cancellationToken))
            {
                var declarations = type.DeclaringSyntaxReferences
                    .Select(r => r.GetSyntax(cancellationToken))
                    .OfType<TypeDeclarationSyntax>()
                    .Where(t => !t.Modifiers.Any(SyntaxKind.PartialKeyword))
                    .Select(t => t.Identifier.GetLocation());
                findings.Add(DiagnosticDescriptors.ContainingTypeNotPartial, location, declarations,
                    type.Name, attributeName, method.Name);
            }
        }

        return hasBody;
    }

    /// <summary>
    /// Whether a partial method's implementing part is the one this generator wrote (the analyzer sees a compilation
    /// that holds the generated sources, in the IDE and the build): its declaration carries the <c>[GeneratedCode]</c>
    /// attribute naming this generator, which the emitter writes on it. Not its file's path, which a user's file may
    /// share, nor an <c>&lt;auto-generated&gt;</c> header, which any tool's file may carry.
    /// </summary>
    private static bool IsGeneratedByUs(IMethodSymbol implementation) =>
        implementation.GetAttributes().Any(attribute =>
            attribute.AttributeClass?.ToDisplayString() == KnownTypes.GeneratedCodeAttribute
            && attribute.ConstructorArguments.Length > 0
            && attribute.ConstructorArguments[0].Value as string == GeneratedCode.Tool
            && attribute.ApplicationSyntaxReference is { } applied
            && implementation.DeclaringSyntaxReferences.Any(d => d.SyntaxTree == applied.SyntaxTree && d.Span.Contains(applied.Span)));

    internal static bool IsPartial(INamedTypeSymbol type, CancellationToken cancellationToken) =>
        type.DeclaringSyntaxReferences.Length > 0 && type.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<TypeDeclarationSyntax>()
            .All(t => t.Modifiers.Any(SyntaxKind.PartialKeyword));

    private static ReturnShape? CheckShape(IMethodSymbol method, KnownTypes known, Location location,
        FindingSet findings, out ITypeSymbol resultType)
    {
        var shape = ReturnShapes.Classify(method, known, out resultType, out var problem);
        if (problem is not null)
        {
            findings.Add(DiagnosticDescriptors.UnsupportedSignature, location, method.Name, problem);
        }

        if (method.IsVararg)
        {
            findings.Add(DiagnosticDescriptors.UnsupportedSignature, location, method.Name,
                "it takes __arglist, which a wrapper cannot pass on: take a 'params' array instead");
        }

        foreach (var parameter in method.Parameters)
        {
            var reason = parameter.RefKind switch
            {
                RefKind.Ref => $"parameter '{parameter.Name}' is passed by 'ref', which the wrapper does not pass on: pass it by value or 'in' and return what changes",
                RefKind.Out => $"parameter '{parameter.Name}' is an 'out' parameter, which the wrapper does not pass on: return the value (a tuple or a record) instead",
                RefKind.RefReadOnlyParameter => $"parameter '{parameter.Name}' is passed by 'ref readonly': use 'in'",
                _ when parameter.Type.TypeKind is TypeKind.Pointer or TypeKind.FunctionPointer =>
                    $"parameter '{parameter.Name}' is a pointer, which the wrapper's generic recording code cannot take: pass an 'nint' or a Span<T> instead",
                _ => null,
            };
            if (reason is null && shape == ReturnShape.AsyncEnumerable && ReturnShapes.IsRefLike(parameter.Type))
            {
                reason = $"parameter '{parameter.Name}' is a ref struct, which the wrapper of a stream (an async iterator) cannot hold: pass a Memory<T>, an array or a string instead";
            }

            if (reason is not null)
            {
                findings.Add(DiagnosticDescriptors.UnsupportedSignature, parameter.Locations.FirstOrDefault() ?? location, method.Name, reason);
            }
        }

        return shape;
    }

    private static EquatableArray<ParameterModel> BuildParameters(IMethodSymbol method, KnownTypes known)
    {
        var parameters = ImmutableArray.CreateBuilder<ParameterModel>(method.Parameters.Length);
        foreach (var parameter in method.Parameters)
        {
            parameters.Add(new ParameterModel(
                Name: TypeDisplay.Identifier(parameter.Name),
                JsonName: parameter.Name,
                Type: TypeDisplay.Qualified(parameter.Type),
                Modifiers: DeclarationText.ParameterModifiers(method, parameter),
                Capture: Capture(parameter, known),
                DisplayType: parameter.Type.ToDisplayString()));
        }

        return parameters.ToImmutable().ToEquatableArray();
    }

    /// <summary>An info diagnostic for each parameter recorded as a placeholder rather than its value.</summary>
    private static void ReportPlaceholders(IMethodSymbol method, EquatableArray<ParameterModel> parameters, KnownTypes known,
        FindingSet findings)
    {
        for (var i = 0; i < method.Parameters.Length; i++)
        {
            var parameter = method.Parameters[i];
            var capture = parameters[i].Capture;
            if (capture == CaptureMode.Placeholder || (capture is CaptureMode.Record or CaptureMode.SecretLike && IsNotRecordable(parameter.Type, known)))
            {
                findings.Add(DiagnosticDescriptors.ValueRecordedAsPlaceholder,
                    parameter.Locations.FirstOrDefault() ?? Location.None, "Parameter '" + parameter.Name + "'",
                    parameter.Type.ToDisplayString(TypeDisplay.Short), "; mark it [NotTraced] to leave it out of the inputs");
            }
        }
    }

    private static bool RecordsResultAsPlaceholder(ReturnShape shape, ITypeSymbol resultType, KnownTypes known) => shape switch
    {
        ReturnShape.RefLikeValue => true,
        ReturnShape.Value or ReturnShape.TaskOfT or ReturnShape.ValueTaskOfT => IsNotRecordable(resultType, known),
        _ => false,
    };

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

        if (ReturnShapes.IsRefLike(parameter.Type))
        {
            return CaptureMode.Placeholder;
        }

        return SecretNames.LooksSecret(parameter.Name, parameter.Type) ? CaptureMode.SecretLike : CaptureMode.Record;
    }

    /// <summary>
    /// Types the runtime records as a placeholder naming the type, never reading them (streams, delegates, tasks,
    /// reflection objects, wait handles, native integers): worth an info diagnostic. Mirrors the runtime's own list.
    /// </summary>
    private static bool IsNotRecordable(ITypeSymbol type, KnownTypes known)
    {
        if (type.TypeKind is TypeKind.Delegate
            || type.SpecialType is SpecialType.System_Delegate or SpecialType.System_MulticastDelegate or SpecialType.System_IntPtr or SpecialType.System_UIntPtr
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known.ValueTask)
            || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, known.ValueTaskOfT))
        {
            return true;
        }

        for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
        {
            var definition = current.OriginalDefinition;
            if (Is(definition, known.Stream) || Is(definition, known.Task) || Is(definition, known.MemberInfo) || Is(definition, known.Assembly)
                || Is(definition, known.WaitHandle) || Is(definition, known.CancellationTokenSource))
            {
                return true;
            }
        }

        return false;

        static bool Is(ITypeSymbol type, INamedTypeSymbol? known) => SymbolEqualityComparer.Default.Equals(type, known);
    }

    private static bool HasAttribute(IParameterSymbol parameter, INamedTypeSymbol? attribute) =>
        attribute is not null && parameter.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, attribute));

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
