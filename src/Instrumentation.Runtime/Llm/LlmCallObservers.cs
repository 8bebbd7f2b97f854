using System;
using System.Threading;
using Instrumentation.Runtime.Diagnostics;

namespace Instrumentation.Runtime.Llm;

/// <summary>
/// The registry of <see cref="ILlmCallObserver"/>s and <see cref="ILlmCallPolicy"/>s: the provider-call middleware of
/// <c>[LlmCall]</c> methods. Registering works with or without an OpenTelemetry listener: observers see calls even when
/// no span is recorded.
/// </summary>
/// <example>
/// <code>
/// using var registration = LlmCallObservers.Add(new CostBudgetObserver());
/// </code>
/// </example>
public static class LlmCallObservers
{
    private static Entry[] s_entries = [];

    /// <summary>Whether any observer or policy is registered. Read on every call; cheap.</summary>
    public static bool HasAny => Volatile.Read(ref s_entries).Length > 0;

    /// <summary>Registers an observer. It sees every phase and cannot change the call.</summary>
    /// <returns>Dispose it to unregister the observer.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="observer"/> is <see langword="null"/>.</exception>
    public static IDisposable Add(ILlmCallObserver observer) =>
        Register(new Entry(observer ?? throw new ArgumentNullException(nameof(observer)), null));

    /// <summary>Registers a policy: an observer that may also block a call or answer it with a substitute response.</summary>
    /// <returns>Dispose it to unregister the policy.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="policy"/> is <see langword="null"/>.</exception>
    public static IDisposable AddPolicy(ILlmCallPolicy policy) =>
        Register(new Entry(policy ?? throw new ArgumentNullException(nameof(policy)), policy));

    internal static Entry[] Snapshot => Volatile.Read(ref s_entries);

    private static IDisposable Register(Entry entry)
    {
        Update(entries =>
        {
            var grown = new Entry[entries.Length + 1];
            entries.CopyTo(grown, 0);
            grown[^1] = entry;
            return grown;
        });
        return new Registration(entry);
    }

    private static void Update(Func<Entry[], Entry[]> change)
    {
        // Copy on write: calls iterate a snapshot and never lock.
        while (true)
        {
            var current = Volatile.Read(ref s_entries);
            if (Interlocked.CompareExchange(ref s_entries, change(current), current) == current)
            {
                return;
            }
        }
    }

    internal static void Notify(Action<ILlmCallObserver> phase, string phaseName)
    {
        foreach (var entry in Snapshot)
        {
            try
            {
                phase(entry.Observer);
            }
            catch (Exception ex)
            {
                FailOpen.Report("LLM call observer " + entry.Observer.GetType().Name + " in phase " + phaseName, ex);
            }
        }
    }

    internal sealed class Entry
    {
        public Entry(ILlmCallObserver observer, ILlmCallPolicy? policy)
        {
            Observer = observer;
            Policy = policy;
        }

        public ILlmCallObserver Observer { get; }

        public ILlmCallPolicy? Policy { get; }
    }

    private sealed class Registration : IDisposable
    {
        private Entry? _entry;

        public Registration(Entry entry) => _entry = entry;

        public void Dispose()
        {
            var entry = Interlocked.Exchange(ref _entry, null);
            if (entry is not null)
            {
                Update(entries => Array.FindAll(entries, e => !ReferenceEquals(e, entry)));
            }
        }
    }
}
