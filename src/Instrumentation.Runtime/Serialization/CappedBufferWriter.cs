using System;
using System.Buffers;

namespace Instrumentation.Runtime.Serialization;

/// <summary>
/// A growable byte buffer that refuses to grow past a limit: asked for more, it throws <see cref="CapReachedException"/>,
/// so a serializer writing a huge value stops there instead of building the whole value only for it to be cut to the
/// size cap. What was written before stays readable. Growth rents from <see cref="ArrayPool{T}.Shared"/>.
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
        if (needed > Limit)
        {
            throw CapReachedException.Instance;
        }

        var size = (int)Math.Min(Math.Max(needed, (long)_buffer.Length * 2), Math.Min(Limit, Array.MaxLength));
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
