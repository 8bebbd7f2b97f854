using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Instrumentation.Runtime.Redaction;

/// <summary>
/// Which serialized types can carry a secret-named key, decided once per type from its JSON contract, so the JSON of a
/// type that cannot (<c>{"city":..,"days":..}</c>) is copied without being read again. A type can when one of its
/// properties, at any depth, has a secret name, or when its keys are only known at run time: a dictionary, an
/// <see cref="object"/>, a <see cref="JsonElement"/> or JSON node, a polymorphic type, or a type with a custom
/// converter.
/// </summary>
internal sealed class SecretKeyShapes
{
    private const int RecentSlots = 64;

    private readonly ConcurrentDictionary<Type, bool> _cache = new();

    // In front of the dictionary, the types met last, by reference: a direct-mapped array of immutable entries (no
    // lock), because even a dictionary lookup was a tenth of what redaction added to a small object's capture.
    private readonly Recent?[] _recent = new Recent?[RecentSlots];
    private readonly JsonSerializerOptions _json;
    private readonly Redactor _redactor;

    public SecretKeyShapes(JsonSerializerOptions json, Redactor redactor)
    {
        _json = json;
        _redactor = redactor;
    }

    public bool MayHaveSecretKeys(Type type)
    {
        ref var slot = ref _recent[RuntimeHelpers.GetHashCode(type) & (RecentSlots - 1)];
        if (slot is { } entry && ReferenceEquals(entry.Type, type))
        {
            return entry.MayHaveSecretKeys;
        }

        var decided = _cache.TryGetValue(type, out var known) ? known : _cache.GetOrAdd(type, Compute(type, new HashSet<Type>()));
        slot = new Recent(type, decided);
        return decided;
    }

    private bool Compute(Type type, HashSet<Type> visiting)
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

        JsonTypeInfo info;
        try
        {
            info = _json.GetTypeInfo(underlying);
        }
        catch (Exception)
        {
            // No contract: the value becomes a placeholder, which holds no key.
            return false;
        }

        if (info.PolymorphismOptions is not null)
        {
            return true;
        }

        switch (info.Kind)
        {
            case JsonTypeInfoKind.Enumerable:
                return ElementTypeOf(underlying) is not { } element || Compute(element, visiting);
            case JsonTypeInfoKind.Object:
                foreach (var property in info.Properties)
                {
                    if (_redactor.IsSecretName(property.Name) || Compute(property.PropertyType, visiting))
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

    // JsonTypeInfo.ElementType is .NET 9; the element of an array or a one-argument generic collection is enough here
    // (anything else is walked).
    private static Type? ElementTypeOf(Type type) =>
        type.IsArray ? type.GetElementType()
        : type.IsGenericType && type.GetGenericArguments() is [var element] ? element
        : null;

    private static bool IsScalar(Type type) =>
        type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(decimal) || type == typeof(DateTime)
        || type == typeof(DateTimeOffset) || type == typeof(TimeSpan) || type == typeof(Guid) || type == typeof(Uri)
        || type == typeof(DateOnly) || type == typeof(TimeOnly) || type == typeof(Version);

    private sealed record Recent(Type Type, bool MayHaveSecretKeys);
}
