using System.Buffers.Binary;

namespace AgentMark.Storage.Embedded;

/// <summary>
/// A fixed log-linear latency histogram: exact buckets below 16 ms, then 16 equal sub-buckets per
/// power of two, so a bucket is at most 1/16 of its value wide and a percentile read from its
/// midpoint is within ~3% of the true value. Fixed boundaries make histograms of different hours
/// (and models) merge by adding counts, which is what lets percentiles come from hourly rollups.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int ExactBuckets = 16;
    private const int SubBuckets = 16;
    /// <summary>Latencies are clamped to 2^36 ms (about two years).</summary>
    private const int MaxExponent = 35;
    public const int BucketCount = ExactBuckets + (MaxExponent - 3) * SubBuckets;

    /// <summary>Bytes per stored entry: bucket (u16) and count (i32), little-endian.</summary>
    private const int EntrySize = 6;

    private readonly long[] _counts = new long[BucketCount];

    public long Count { get; private set; }

    /// <summary>True when every bucket is zero (a +1 and a −1 in different buckets is not).</summary>
    public bool IsZero => Array.TrueForAll(_counts, c => c == 0);

    public static int Bucket(long latencyMs)
    {
        if (latencyMs < ExactBuckets) return latencyMs <= 0 ? 0 : (int)latencyMs;
        var value = Math.Min(latencyMs, (1L << (MaxExponent + 1)) - 1);
        var exponent = 63 - (int)long.LeadingZeroCount(value); // >= 4
        var sub = (int)(value >> (exponent - 4)) & (SubBuckets - 1);
        return ExactBuckets + (exponent - 4) * SubBuckets + sub;
    }

    /// <summary>The value a bucket stands for: itself when exact, else the middle of its range.</summary>
    public static double Representative(int bucket)
    {
        if (bucket < ExactBuckets) return bucket;
        var exponent = (bucket - ExactBuckets) / SubBuckets + 4;
        var sub = (bucket - ExactBuckets) % SubBuckets;
        var width = 1L << (exponent - 4);
        var lower = (long)(SubBuckets + sub) << (exponent - 4);
        return lower + (width - 1) / 2.0;
    }

    public void Add(long latencyMs, long count = 1)
    {
        _counts[Bucket(latencyMs)] += count;
        Count += count;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    /// <summary>Adds a stored histogram (see <see cref="Encode"/>).</summary>
    public void AddEncoded(ReadOnlySpan<byte> encoded)
    {
        for (var at = 0; at + EntrySize <= encoded.Length; at += EntrySize)
        {
            var bucket = BinaryPrimitives.ReadUInt16LittleEndian(encoded[at..]);
            var count = BinaryPrimitives.ReadInt32LittleEndian(encoded[(at + 2)..]);
            if (bucket >= BucketCount) continue;
            _counts[bucket] += count;
            Count += count;
        }
    }

    public void AddTo(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++) other._counts[i] += _counts[i];
        other.Count += Count;
    }

    /// <summary>Sparse encoding of the non-zero buckets, a few hundred bytes for a typical hour.</summary>
    public byte[] Encode()
    {
        var used = 0;
        foreach (var count in _counts) if (count != 0) used++;
        var bytes = new byte[used * EntrySize];
        var at = 0;
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            if (_counts[bucket] == 0) continue;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)bucket);
            BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(at + 2), (int)Math.Clamp(_counts[bucket], int.MinValue, int.MaxValue));
            at += EntrySize;
        }
        return bytes;
    }

    /// <summary>Nearest-rank percentile (0 &lt; <paramref name="quantile"/> ≤ 1); 0 when empty.</summary>
    public double Percentile(double quantile)
    {
        if (Count <= 0) return 0;
        var rank = Math.Max(1, (long)Math.Ceiling(quantile * Count));
        long seen = 0;
        for (var bucket = 0; bucket < BucketCount; bucket++)
        {
            seen += _counts[bucket];
            if (seen >= rank) return Representative(bucket);
        }
        return Representative(BucketCount - 1);
    }
}
