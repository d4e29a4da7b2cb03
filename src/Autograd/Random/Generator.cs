using System.Numerics;
using System.Runtime.InteropServices;

namespace Framework.Autograd;

/// <summary>A CPU random generator that reproduces PyTorch's CPU streams (mt19937 plus PyTorch's distribution transforms).</summary>
public sealed class Generator
{
    /// <summary>From this many elements PyTorch 2.x (not 1.13) switches randperm to an inside-out shuffle on <c>random64()</c>.</summary>
    internal const long RandPermSmallLimit = uint.MaxValue / 20;

    /// <summary>Serialises draws, as PyTorch holds the generator's mutex while filling a tensor.</summary>
    private readonly Lock gate = new();
    /// <summary>The underlying Mersenne Twister.</summary>
    private MersenneTwister engine;
    /// <summary>The second Box–Muller value cached by the scalar (fewer than 16 elements) normal path.</summary>
    private double? nextDoubleNormal;
    /// <summary>PyTorch's float cache; kept for parity (CPU kernels draw normals through the double cache).</summary>
    private float? nextFloatNormal;

    /// <summary>A generator seeded with <paramref name="seed"/> (PyTorch's default seed when omitted).</summary>
    public Generator(long seed = 67280421310721)
    {
        engine = new MersenneTwister((ulong)seed);
        InitialSeed = seed;
    }

    /// <summary>Copy constructor used by <see cref="Clone"/>.</summary>
    private Generator(Generator other)
    {
        lock (other.gate)
        {
            engine = other.engine.Clone();
            nextDoubleNormal = other.nextDoubleNormal;
            nextFloatNormal = other.nextFloatNormal;
            InitialSeed = other.InitialSeed;
        }
    }

    /// <summary>The global generator behind <see cref="Tensor.ManualSeed"/>.</summary>
    public static Generator Default { get; } = new();

    /// <summary>The seed last passed to the constructor or <see cref="ManualSeed"/>.</summary>
    public long InitialSeed { get; private set; }

    /// <summary>Reseeds the engine and drops any cached normal values, as PyTorch's <c>manual_seed</c> does; returns this.</summary>
    public Generator ManualSeed(long seed)
    {
        lock (gate)
        {
            engine = new MersenneTwister((ulong)seed);
            nextDoubleNormal = null;
            nextFloatNormal = null;
            InitialSeed = seed;
        }
        return this;
    }

    /// <summary>An independent generator with the same engine state and cached normals.</summary>
    internal Generator Clone() => new(this);

    /// <summary>A snapshot of the whole state (engine and cached normals), as torch.Generator.get_state; SetState goes back to it.</summary>
    public GeneratorState GetState() => new(Clone());

    /// <summary>Restores a state taken by GetState (of this or any generator), as torch.Generator.set_state; returns this.</summary>
    public Generator SetState(GeneratorState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var s = state.Snapshot;
        lock (gate)
        {
            engine = s.engine.Clone();
            nextDoubleNormal = s.nextDoubleNormal;
            nextFloatNormal = s.nextFloatNormal;
            InitialSeed = s.InitialSeed;
        }
        return this;
    }

    /// <summary>Whether a Box–Muller value is cached for the next scalar normal draw.</summary>
    internal bool HasCachedNormal => nextDoubleNormal.HasValue || nextFloatNormal.HasValue;

    /// <summary>One 32-bit draw (PyTorch's <c>random()</c>).</summary>
    internal uint NextUInt32() { lock (gate) return engine.NextUInt32(); }

    /// <summary>One 64-bit draw (PyTorch's <c>random64()</c>).</summary>
    internal ulong NextUInt64() { lock (gate) return engine.NextUInt64(); }

    /// <summary>Equals <c>torch.empty((), dtype=torch.int64).random_(generator=g).item()</c>: random64 reduced modulo 2^63.</summary>
    public long RandomInt64() { lock (gate) return (long)(engine.NextUInt64() & long.MaxValue); }

    /// <summary>Uniform float32 values on [from, to): 24 random bits, scaled in double, as <c>uniform_</c>/<c>torch.rand</c>.</summary>
    internal void FillUniform(Span<float> d, double from = 0, double to = 1)
    {
        float lo = (float)from, hi = (float)to;
        double width = hi - lo;
        lock (gate)
            for (int i = 0; i < d.Length; i++) d[i] = (float)Math.FusedMultiplyAdd(Unit24(engine.NextUInt32()), width, lo);
    }

    /// <summary>Uniform float64 values on [from, to): 53 bits of one random64 draw each.</summary>
    internal void FillUniform(Span<double> d, double from = 0, double to = 1)
    {
        double width = to - from;
        lock (gate)
            for (int i = 0; i < d.Length; i++) d[i] = Math.FusedMultiplyAdd(Unit53(engine.NextUInt64()), width, from);
    }

    /// <summary>Normal float32 values as <c>normal_</c>/<c>torch.randn</c>: scalar Box–Muller below 16 elements, the AVX2 16-lane transform otherwise.</summary>
    internal void FillNormal(Span<float> d, double mean = 0, double std = 1) => FillNormal(d, mean, std, avx2: true);

    /// <summary>Float32 normals with the vectorised kernel chosen: AVX2 (this machine's torch) or the generic scalar kernel (ATEN_CPU_CAPABILITY=default).</summary>
    internal void FillNormal(Span<float> d, double mean, double std, bool avx2)
    {
        CheckStd(std);
        lock (gate)
        {
            if (d.Length < 16)
            {
                for (int i = 0; i < d.Length; i++) d[i] = (float)NextScalarNormal(mean, std);
                return;
            }
            float m = (float)mean, s = (float)std;
            FillUnitFloats(d);
            for (int i = 0; i + 16 <= d.Length; i += 16) Transform16(d.Slice(i, 16), m, s, avx2);
            if (d.Length % 16 != 0)
            {
                // Like PyTorch: redraw the last 16 slots and transform them again (overlapping the last full block).
                var tail = d[^16..];
                FillUnitFloats(tail);
                Transform16(tail, m, s, avx2);
            }
        }
    }

    /// <summary>Normal float64 values: scalar Box–Muller (with cache) below 16 elements, the 16-element vectorised transform otherwise.</summary>
    internal void FillNormal(Span<double> d, double mean = 0, double std = 1)
    {
        CheckStd(std);
        lock (gate)
        {
            if (d.Length < 16)
            {
                for (int i = 0; i < d.Length; i++) d[i] = NextScalarNormal(mean, std);
                return;
            }
            FillUnitDoubles(d);
            for (int i = 0; i + 16 <= d.Length; i += 16) Transform16(d.Slice(i, 16), mean, std);
            if (d.Length % 16 != 0)
            {
                var tail = d[^16..];
                FillUnitDoubles(tail);
                Transform16(tail, mean, std);
            }
        }
    }

    /// <summary>Normal values of mean a and std b, or uniform values on [a, b), by the draw of T's dtype (float or double; see the overloads).</summary>
    internal void Fill<T>(Span<T> d, bool normal, double a, double b) where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(float))
        {
            var f = MemoryMarshal.Cast<T, float>(d);
            if (normal) FillNormal(f, a, b); else FillUniform(f, a, b);
        }
        else if (typeof(T) == typeof(double))
        {
            var f = MemoryMarshal.Cast<T, double>(d);
            if (normal) FillNormal(f, a, b); else FillUniform(f, a, b);
        }
        else throw new NotSupportedException($"no random draw for {typeof(T).Name}");
    }

    /// <summary>Int64 values uniform on [low, high): <c>random() % range</c>, or <c>random64() % range</c> when the range reaches 2^32.</summary>
    internal void FillRandInt(Span<long> d, long low, long high)
    {
        if (low >= high) throw new ArgumentException($"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}");
        ulong range = unchecked((ulong)high - (ulong)low);
        lock (gate)
        {
            if (range >= 1UL << 32)
                for (int i = 0; i < d.Length; i++) d[i] = unchecked((long)(engine.NextUInt64() % range) + low);
            else
                for (int i = 0; i < d.Length; i++) d[i] = unchecked((long)(engine.NextUInt32() % range) + low);
        }
    }

    /// <summary>A random permutation of 0..n−1 in <paramref name="d"/> as PyTorch 1.13's <c>torch.randperm(n)</c>: the swap algorithm for every n (checked at n = 214,748,365).</summary>
    public void RandPerm(Span<long> d) => RandPerm(d, largeAlgorithm: UseLargeRandPerm && d.Length >= RandPermSmallLimit);

    /// <summary>Opt in to newer PyTorch's (2.x) large-n randperm branch; off to match the installed 1.13.</summary>
    internal static bool UseLargeRandPerm;

    /// <summary>randperm with the algorithm chosen explicitly: 1.13's swap-with-random()%(n−i), or 2.x's inside-out shuffle on random64.</summary>
    internal void RandPerm(Span<long> d, bool largeAlgorithm)
    {
        long n = d.Length;
        lock (gate)
        {
            if (!largeAlgorithm)
            {
                for (int i = 0; i < d.Length; i++) d[i] = i;
                for (long i = 0; i < n - 1; i++)
                {
                    long z = engine.NextUInt32() % (n - i);
                    (d[(int)i], d[(int)(z + i)]) = (d[(int)(z + i)], d[(int)i]);
                }
                return;
            }
            // Inside-out Fisher–Yates on 64-bit draws.
            for (long i = 0; i < n; i++)
            {
                long z = (long)(engine.NextUInt64() % (ulong)(i + 1));
                d[(int)i] = d[(int)z];
                d[(int)z] = i;
            }
        }
    }

    /// <summary>One value of PyTorch's <c>normal_distribution&lt;double&gt;</c>: returns the cached sine half if present, else draws two uniforms.</summary>
    private double NextScalarNormal(double mean, double std)
    {
        if (nextDoubleNormal is double cached)
        {
            nextDoubleNormal = null;
            return Math.FusedMultiplyAdd(cached, std, mean);
        }
        double u1 = Unit53(engine.NextUInt64());
        double u2 = Unit53(engine.NextUInt64());
        double r = Math.Sqrt(-2.0 * Math.Log(1.0 - u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * Math.Sin(theta);
        return Math.FusedMultiplyAdd(r * Math.Cos(theta), std, mean);
    }

    /// <summary>Fills with float32 uniforms on [0, 1) (the first stage of the vectorised normal path).</summary>
    private void FillUnitFloats(Span<float> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = (float)Unit24(engine.NextUInt32());
    }

    /// <summary>Fills with float64 uniforms on [0, 1).</summary>
    private void FillUnitDoubles(Span<double> d)
    {
        for (int i = 0; i < d.Length; i++) d[i] = Unit53(engine.NextUInt64());
    }

    /// <summary>Box–Muller on 16 float64 uniforms: slot j pairs with slot j+8 giving cosine and sine halves.</summary>
    private static void Transform16(Span<double> d, double mean, double std)
    {
        for (int j = 0; j < 8; j++)
        {
            double u1 = 1 - d[j];
            double u2 = d[j + 8];
            double radius = Math.Sqrt(-2 * Math.Log(u1));
            double theta = 2.0 * Math.PI * u2;
            d[j] = Math.FusedMultiplyAdd(radius * Math.Cos(theta), std, mean);
            d[j + 8] = Math.FusedMultiplyAdd(radius * Math.Sin(theta), std, mean);
        }
    }

    /// <summary>Box–Muller on 16 float32 uniforms, by the AVX2 kernel or the generic one (float logf/cosf/sinf, θ rounded from double).</summary>
    private static void Transform16(Span<float> d, float mean, float std, bool avx2)
    {
        if (avx2)
        {
            BoxMullerAvx2.Transform16(d, mean, std);
            return;
        }
        for (int j = 0; j < 8; j++)
        {
            float u1 = 1 - d[j];
            float u2 = d[j + 8];
            float radius = MathF.Sqrt(-2 * MathF.Log(u1));
            float theta = (float)(2.0 * Math.PI * u2);
            d[j] = radius * MathF.Cos(theta) * std + mean;
            d[j + 8] = radius * MathF.Sin(theta) * std + mean;
        }
    }

    /// <summary>The low 24 bits of a 32-bit draw as a double in [0, 1).</summary>
    private static double Unit24(uint bits) => (bits & 0xFFFFFFu) * (1.0 / (1 << 24));

    /// <summary>The low 53 bits of a 64-bit draw as a double in [0, 1).</summary>
    private static double Unit53(ulong bits) => (bits & ((1UL << 53) - 1)) * (1.0 / (1UL << 53));

    /// <summary>Rejects a negative standard deviation with PyTorch's message.</summary>
    private static void CheckStd(double std)
    {
        if (!(std >= 0)) throw new ArgumentException($"normal expects std >= 0.0, but found std {std}");
    }
}

/// <summary>An opaque, immutable snapshot of a <see cref="Generator"/>'s state (Generator.GetState / SetState).</summary>
public sealed class GeneratorState
{
    internal GeneratorState(Generator snapshot) => Snapshot = snapshot;

    internal Generator Snapshot { get; }
}
