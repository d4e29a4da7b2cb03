namespace Framework.Autograd;

/// <summary>The 32-bit Mersenne Twister (MT19937) seeded the way PyTorch's CPU generator seeds it.</summary>
internal sealed class MersenneTwister
{
    /// <summary>Number of 32-bit words in the state.</summary>
    private const int N = 624;
    /// <summary>Offset of the word mixed into each twisted word.</summary>
    private const int M = 397;
    /// <summary>The twist matrix constant.</summary>
    private const uint MatrixA = 0x9908b0dfu;

    /// <summary>The 624-word state.</summary>
    private readonly uint[] state = new uint[N];
    /// <summary>Index of the next state word to temper.</summary>
    private int next;
    /// <summary>Words left before the state must be regenerated (PyTorch's countdown convention).</summary>
    private int left;

    /// <summary>Creates an engine seeded with <paramref name="seed"/>.</summary>
    public MersenneTwister(ulong seed) => Seed(seed);

    /// <summary>Copy constructor used by <see cref="Clone"/>.</summary>
    private MersenneTwister(MersenneTwister other)
    {
        Array.Copy(other.state, state, N);
        next = other.next;
        left = other.left;
    }

    /// <summary>Reseeds: only the low 32 bits of the seed enter the state, as in PyTorch.</summary>
    public void Seed(ulong seed)
    {
        state[0] = (uint)seed;
        for (int j = 1; j < N; j++)
        {
            uint prev = state[j - 1];
            state[j] = unchecked(1812433253u * (prev ^ (prev >> 30)) + (uint)j);
        }
        left = 1;
        next = 0;
    }

    /// <summary>An independent copy with identical state.</summary>
    public MersenneTwister Clone() => new(this);

    /// <summary>The next tempered 32-bit output (PyTorch's <c>random()</c>).</summary>
    public uint NextUInt32()
    {
        if (--left == 0) Regenerate();
        uint y = state[next++];
        y ^= y >> 11;
        y ^= (y << 7) & 0x9d2c5680u;
        y ^= (y << 15) & 0xefc60000u;
        y ^= y >> 18;
        return y;
    }

    /// <summary>Two consecutive outputs joined, the first as the high word (PyTorch's <c>random64()</c>).</summary>
    public ulong NextUInt64()
    {
        ulong hi = NextUInt32();
        ulong lo = NextUInt32();
        return (hi << 32) | lo;
    }

    /// <summary>Twists all 624 words into the next block of state.</summary>
    private void Regenerate()
    {
        var s = state;
        int k = 0;
        for (; k < N - M; k++) s[k] = s[k + M] ^ Twist(s[k], s[k + 1]);
        for (; k < N - 1; k++) s[k] = s[k + M - N] ^ Twist(s[k], s[k + 1]);
        s[N - 1] = s[M - 1] ^ Twist(s[N - 1], s[0]);
        left = N;
        next = 0;
    }

    /// <summary>Combines the top bit of <paramref name="u"/> with the low bits of <paramref name="v"/> and applies the matrix.</summary>
    private static uint Twist(uint u, uint v)
    {
        uint mixed = (u & 0x80000000u) | (v & 0x7fffffffu);
        return (mixed >> 1) ^ ((v & 1u) != 0 ? MatrixA : 0u);
    }
}
