using System;
using System.Collections.Generic;

namespace Instrumentation.OpenClaw.Correlation;

/// <summary>A set of keys that forgets them after a time, and beyond a capacity, oldest first: bounded memory.</summary>
internal sealed class RecentKeys
{
    private readonly int _capacity;
    private readonly HashSet<string> _keys = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset Added)> _order = new();

    public RecentKeys(int capacity)
    {
        _capacity = capacity;
    }

    public int Count => _keys.Count;

    public bool Contains(string key) => _keys.Contains(key);

    public void Add(string key, DateTimeOffset now)
    {
        if (_keys.Add(key))
        {
            _order.Enqueue((key, now));
            while (_keys.Count > _capacity && _order.TryDequeue(out var oldest))
            {
                _keys.Remove(oldest.Key);
            }
        }
    }

    public void ExpireBefore(DateTimeOffset cutoff)
    {
        while (_order.TryPeek(out var oldest) && oldest.Added < cutoff)
        {
            _order.Dequeue();
            _keys.Remove(oldest.Key);
        }
    }

    public void Clear()
    {
        _keys.Clear();
        _order.Clear();
    }
}
