using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Instrumentation.Runtime.Serialization;

namespace Instrumentation.Runtime.Redaction;

/// <summary>What redaction needs to know of a serialized type, decided once per type from its JSON contract.</summary>
/// <param name="MayHaveSecretKeys">Whether its JSON can carry a secret-named key: one of its properties, at any depth,
/// has a secret name, or its keys are only known at run time (a dictionary, an <see cref="object"/>, a
/// <see cref="JsonElement"/> or JSON node, a polymorphic type, a type with a custom converter).</param>
/// <param name="StringsScannedAsWritten">Whether every string in its JSON is written by the capped string converter,
/// which tests each for secret-shaped values as it writes it (<see cref="CappedStringConverter"/>), and everything else
/// is a number, a flag, a date, a time or a GUID, which no rule can match. The JSON of such a type need not be
/// scanned again. A <see cref="Uri"/>, an enum's name, or anything a custom converter writes is not such a string.</param>
internal sealed record TypeShape(bool MayHaveSecretKeys, bool StringsScannedAsWritten);

/// <summary>
/// The <see cref="TypeShape"/> of each serialized type, so the JSON of a type that needs nothing
/// (<c>{"city":..,"days":..}</c>) is recorded without being read again.
/// </summary>
internal sealed class TypeShapes
{
    private const int RecentSlots = 64;

    private readonly ConcurrentDictionary<Type, TypeShape> _cache = new();

    // In front of the dictionary, the types met last, by reference: a direct-mapped array of immutable entries (no
    // lock), because even a dictionary lookup was a tenth of what redaction added to a small object's capture.
    private readonly Recent?[] _recent = new Recent?[RecentSlots];
    private readonly JsonSerializerOptions _json;
    private readonly Redactor _redactor;

    public TypeShapes(JsonSerializerOptions json, Redactor redactor)
    {
        _json = json;
        _redactor = redactor;
    }

    public TypeShape Of(Type type)
    {
        ref var slot = ref _recent[RuntimeHelpers.GetHashCode(type) & (RecentSlots - 1)];
        if (slot is { } entry && ReferenceEquals(entry.Type, type))
        {
            return entry.Shape;
        }

        var shape = _cache.TryGetValue(type, out var cached)
            ? cached
            : _cache.GetOrAdd(type, new TypeShape(MayHaveSecretKeys(type, new HashSet<Type>()), IsScannedAsWritten(type, new HashSet<Type>())));
        slot = new Recent(type, shape);
        return shape;
    }

    private bool MayHaveSecretKeys(Type type, HashSet<Type> visiting)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (IsScalar(underlying) || !visiting.Add(underlying))
        {
            // A type already being visited adds nothing new: its own properties are checked where it was first met.
            return false;
        }

        // An object-typed value is written as whatever it holds at run time; every other property by its declared
        // type's contract (interfaces and abstract classes included), which is what is checked here.
        if (underlying == typeof(object))
        {
            return true;
        }

        if (ContractOf(underlying) is not { } info)
        {
            return false;
        }

        if (info.PolymorphismOptions is not null)
        {
            return true;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                return ElementTypeOf(underlying) is not { } element || MayHaveSecretKeys(element, visiting);
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (_redactor.IsSecretName(property.Name) || MayHaveSecretKeys(property.PropertyType, visiting))
                    {
                        return true;
                    }
                }

                return false;
            default:
                // Dictionaries, and types written by a converter (JsonElement, JsonNode, a user's converter).
                return true;
        }
    }

    private bool IsScannedAsWritten(Type type, HashSet<Type> visiting)
    {
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying == typeof(string))
        {
            // Unless the user's options bring a string converter of their own, which comes first.
            return ContractOf(typeof(string))?.Converter is CappedStringConverter;
        }

        if (IsUnmatchable(underlying))
        {
            // Written by the serializer's own converter, unless the user's options replace it.
            return ContractOf(underlying)?.Converter.GetType().Assembly == typeof(JsonSerializer).Assembly;
        }

        if (!visiting.Add(underlying))
        {
            return true;
        }

        if (underlying == typeof(object) || underlying.IsEnum || ContractOf(underlying) is not { PolymorphismOptions: null } info)
        {
            return false;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                return ElementTypeOf(underlying) is { } element && IsScannedAsWritten(element, visiting);
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (property.CustomConverter is not null || !IsScannedAsWritten(property.PropertyType, visiting))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return false;
        }
    }

    private JsonTypeInfo? ContractOf(Type type)
    {
        try
        {
            return _json.GetTypeInfo(type);
        }
        catch (Exception)
        {
            // No contract: the value becomes a placeholder, which holds no key and no string.
            return null;
        }
    }

    // JsonTypeInfo.ElementType is .NET 9; the element of an array or a one-argument generic collection is enough here
    // (anything else is walked).
    private static Type? ElementTypeOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] ? element
        : null;

    private static bool IsScalar(Type type) =>
        IsUnmatchable(type) || type.IsEnum || type == typeof(string) || type == typeof(Uri) || type == typeof(Version);

    // Values the serializer writes as digits, signs, dots, colons, dashes and hex letters, or true and false: no rule
    // matches those (every rule needs a letter a GUID's hex lacks, or a prefix such as sk- or ://).
    private static bool IsUnmatchable(Type type) =>
        type.IsPrimitive || type == typeof(decimal) || type == typeof(DateTime) || type == typeof(DateTimeOffset)
        || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(DateOnly) || type == typeof(TimeOnly)
        || type == typeof(Half) || type == typeof(Int128) || type == typeof(UInt128);

    private sealed record Recent(Type Type, TypeShape Shape);
}
