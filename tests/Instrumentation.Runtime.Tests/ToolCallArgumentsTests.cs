using System;
using System.Collections;
using System.Collections.Generic;
using System.Text.Json;
using Instrumentation.Runtime.CompilerServices;

namespace Instrumentation.Runtime.Tests;

/// <summary>
/// <c>ChatRequests.ArgumentsJson</c> for Microsoft.Extensions.AI tool-call arguments (an
/// <c>IDictionary&lt;string, object?&gt;</c>): the <c>arguments</c> string of an OpenAI-shaped tool call in
/// <c>mlflow.spanOutputs</c> and in chat inputs. Written entry by entry rather than through the serializer, so these
/// pin down that the JSON is the same, the cap and placeholders still hold, and the model's names are kept.
/// </summary>
public sealed class ToolCallArgumentsTests
{
    [Fact]
    public void Arguments_of_every_common_kind_are_written_as_one_JSON_object_in_order()
    {
        var arguments = new Dictionary<string, object?>
        {
            ["city"] = "Paris",
            ["days"] = 3,
            ["threshold"] = 0.5,
            ["metric"] = true,
            ["note"] = null,
            ["hours"] = new List<int> { 9, 12 },
            ["raw"] = JsonDocument.Parse("""{"a":[1,2]}""").RootElement,
            ["ville"] = "Besançon",
        };

        var json = ChatRequests.ArgumentsJson(arguments);

        Assert.Equal("""{"city":"Paris","days":3,"threshold":0.5,"metric":true,"note":null,"hours":[9,12],"raw":{"a":[1,2]},"ville":"Besançon"}""", json);
    }

    [Fact]
    public void Null_arguments_are_JSON_null_and_an_empty_map_an_empty_object()
    {
        Assert.Equal("null", ChatRequests.ArgumentsJson((IDictionary<string, object?>?)null));
        Assert.Equal("{}", ChatRequests.ArgumentsJson(new Dictionary<string, object?>()));
    }

    [Fact]
    public void Names_are_kept_as_the_model_wrote_them_even_when_the_options_rename_dictionary_keys()
    {
        using var _ = new TelemetryOptionsScope(o => o.JsonSerializerOptions = new JsonSerializerOptions
        {
            DictionaryKeyPolicy = JsonNamingPolicy.SnakeCaseLower,
            TypeInfoResolver = new System.Text.Json.Serialization.Metadata.DefaultJsonTypeInfoResolver(),
        });

        var json = ChatRequests.ArgumentsJson(new Dictionary<string, object?> { ["cityName"] = "Paris" });

        Assert.Equal("""{"cityName":"Paris"}""", json);
    }

    [Fact]
    public void Arguments_over_the_size_cap_become_a_string_cut_at_the_cap_with_the_full_size()
    {
        using var _ = new TelemetryOptionsScope(o => o.MaxValueBytes = 64);
        var arguments = new Dictionary<string, object?> { ["text"] = new string('x', 40), ["more"] = new string('y', 40) };

        var json = ChatRequests.ArgumentsJson(arguments);

        // The whole object, 101 bytes, becomes a JSON string of its first 64 bytes and a marker naming the full size.
        var full = "{\"text\":\"" + new string('x', 40) + "\",\"more\":\"" + new string('y', 40) + "\"}";
        Assert.Equal(101, full.Length);
        Assert.Equal("\"" + full[..64].Replace("\"", "\\\"") + "…[truncated: 101 bytes]\"", json);
    }

    [Fact]
    public void A_map_that_throws_while_enumerated_becomes_a_placeholder_naming_its_type()
    {
        var json = ChatRequests.ArgumentsJson(new ThrowingMap());

        var text = JsonSerializer.Deserialize<string>(json);
        Assert.NotNull(text);
        Assert.StartsWith("<" + typeof(ThrowingMap).FullName + ": not serializable", text);
        Assert.Contains("enumeration failed", text);
    }

    /// <summary>A dictionary whose enumeration fails, as a user's map modified during the call would.</summary>
    private sealed class ThrowingMap : IDictionary<string, object?>
    {
        private readonly Dictionary<string, object?> _inner = new() { ["a"] = 1 };

        public object? this[string key] { get => _inner[key]; set => _inner[key] = value; }

        public ICollection<string> Keys => _inner.Keys;

        public ICollection<object?> Values => _inner.Values;

        public int Count => _inner.Count;

        public bool IsReadOnly => false;

        public void Add(string key, object? value) => _inner.Add(key, value);

        public void Add(KeyValuePair<string, object?> item) => _inner.Add(item.Key, item.Value);

        public void Clear() => _inner.Clear();

        public bool Contains(KeyValuePair<string, object?> item) => _inner.ContainsKey(item.Key);

        public bool ContainsKey(string key) => _inner.ContainsKey(key);

        public void CopyTo(KeyValuePair<string, object?>[] array, int arrayIndex) => throw new NotSupportedException();

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => throw new InvalidOperationException("enumeration failed");

        public bool Remove(string key) => _inner.Remove(key);

        public bool Remove(KeyValuePair<string, object?> item) => _inner.Remove(item.Key);

        public bool TryGetValue(string key, out object? value) => _inner.TryGetValue(key, out value);

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
