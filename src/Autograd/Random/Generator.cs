namespace Framework.Autograd;

/// <summary>Temporary generator (replaced by the PyTorch-exact one).</summary>
public sealed class Generator
{
    private System.Random rng;
    /// <summary>Seeded generator.</summary>
    public Generator(long seed = 67280421310721) { rng = new System.Random((int)seed); InitialSeed = seed; }
    /// <summary>The global generator.</summary>
    public static Generator Default { get; } = new();
    /// <summary>Seed.</summary>
    public long InitialSeed { get; private set; }
    /// <summary>Reseeds.</summary>
    public Generator ManualSeed(long seed) { rng = new System.Random((int)seed); InitialSeed = seed; return this; }
    internal void FillUniform(Span<float> d, double from = 0, double to = 1) { for (int i = 0; i < d.Length; i++) d[i] = (float)(from + (to - from) * rng.NextDouble()); }
    internal void FillUniform(Span<double> d, double from = 0, double to = 1) { for (int i = 0; i < d.Length; i++) d[i] = from + (to - from) * rng.NextDouble(); }
    internal void FillNormal(Span<float> d, double mean = 0, double std = 1) { for (int i = 0; i < d.Length; i++) d[i] = (float)(mean + std * N()); }
    internal void FillNormal(Span<double> d, double mean = 0, double std = 1) { for (int i = 0; i < d.Length; i++) d[i] = mean + std * N(); }
    internal void FillRandInt(Span<long> d, long low, long high) { for (int i = 0; i < d.Length; i++) d[i] = rng.NextInt64(low, high); }
    internal void RandPerm(Span<long> d) { for (int i = 0; i < d.Length; i++) d[i] = i; for (int i = d.Length - 1; i > 0; i--) { int j = rng.Next(i + 1); (d[i], d[j]) = (d[j], d[i]); } }
    private double N() => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());
}
