using System;
using System.Buffers;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// A growable byte buffer with a limit: once more than <see cref="Limit"/> bytes were written, it throws
/// <see cref="CapReachedException"/>, so a serializer writing a huge value stops there instead of building the whole
/// value only for it to be cut to the size cap. What was written stays readable. The check is on what was written, not
/// on what the writer asks room for: <see cref="System.Text.Json.Utf8JsonWriter"/> asks for more than it needs (4 KiB
/// at a time, three bytes per character of a string). Growth rents from <see cref="ArrayPool{T}.Shared"/>.
/// </summary>
internal sealed class CappedBufferWriter : IBufferWriter<byte>
{
    private byte[] _buffer;
    private int _written;

    public CappedBufferWriter(int initialCapacity)
    {
        _buffer = new byte[initialCapacity];
    }

    /// <summary>The most bytes the buffer may hold; <see cref="int.MaxValue"/> for no limit.</summary>
    public int Limit { get; set; } = int.MaxValue;

    public int Capacity => _buffer.Length;

    public int WrittenCount => _written;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _written);

    public void Advance(int count)
    {
        if (count < 0 || _written + count > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        _written += count;
        if (_written > Limit)
        {
            throw CapReachedException.Instance;
        }
    }

    public Memory<byte> GetMemory(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public Span<byte> GetSpan(int sizeHint = 0)
    {
        Ensure(sizeHint);
        return _buffer.AsSpan(_written);
    }

    /// <summary>Empties the buffer and lifts the limit. Returns a rented array to the pool once it grew past
    /// <paramref name="keepCapacity"/>, keeping a fresh small one.</summary>
    public void Reset(int keepCapacity)
    {
        _written = 0;
        Limit = int.MaxValue;
        if (_buffer.Length > keepCapacity)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = new byte[256];
        }
    }

    private void Ensure(int sizeHint)
    {
        sizeHint = Math.Max(sizeHint, 1);
        if (_buffer.Length - _written >= sizeHint)
        {
            return;
        }

        var needed = (long)_written + sizeHint;
        var size = (int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Array.MaxLength);
        var grown = ArrayPool<byte>.Shared.Rent(size);
        _buffer.AsSpan(0, _written).CopyTo(grown);
        if (_buffer.Length > 256)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
        }

        _buffer = grown;
    }
}

/// <summary>Thrown by <see cref="CappedBufferWriter"/> at its limit; caught by the code that set the limit. One
/// instance, so reaching the cap allocates nothing.</summary>
internal sealed class CapReachedException : Exception
{
    public static readonly CapReachedException Instance = new();

    private CapReachedException()
        : base("The recorded value reached the size cap.")
    {
    }
}
