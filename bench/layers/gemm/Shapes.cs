namespace GemmBench;

/// <summary>The products the models issue: C[m,n] = op(A)[m,k]·op(B)[k,n], with count products per call (a bmm batch).</summary>
public static class Shapes
{
    /// <summary>Name, m, n, k, op(A) transposed, op(B) transposed, batch.</summary>
    public static readonly (string Name, int M, int N, int K, bool TA, bool TB, int Batch)[] All =
    [
        ("mlp64 fwd1 x.Wt", 64, 256, 784, false, true, 1),
        ("mlp64 fwd2 h.Wt", 64, 10, 256, false, true, 1),
        ("mlp64 bwd2 g.W", 64, 256, 10, false, false, 1),
        ("mlp64 bwd1 gt.x", 256, 784, 64, true, false, 1),
        ("mlp64 bwd2 gt.h", 10, 256, 64, true, false, 1),
        ("mlp64 g.W1", 64, 784, 256, false, false, 1),
        ("mlp512 fwd1 x.Wt", 512, 256, 784, false, true, 1),
        ("mlp512 fwd2 h.Wt", 512, 10, 256, false, true, 1),
        ("mlp512 bwd2 g.W", 512, 256, 10, false, false, 1),
        ("mlp512 bwd1 gt.x", 256, 784, 512, true, false, 1),
        ("mlp512 bwd2 gt.h", 10, 256, 512, true, false, 1),
        ("lstm fwd h.Wt", 32, 1024, 256, false, true, 1),
        ("lstm bwd g.W", 32, 256, 1024, false, false, 1),
        ("lstm bwd gt.h", 1024, 256, 2048, true, false, 1),
        ("gpt 2048x64x64", 2048, 64, 64, false, true, 1),
        ("gpt 2048x192x64", 2048, 192, 64, false, true, 1),
        ("gpt 2048x256x64", 2048, 256, 64, false, true, 1),
        ("gpt 2048x27x64", 2048, 27, 64, false, true, 1),
        ("gpt 2048x64x256", 2048, 64, 256, false, false, 1),
        ("gpt gt.x 64x256x2048", 64, 256, 2048, true, false, 1),
        ("gpt attn q.kt 128x32x32x16", 32, 32, 16, false, true, 128),
        ("gpt attn a.v 128x32x16x32", 32, 16, 32, false, false, 128),
        ("gpt attn bwd g.k 128x32x16x32", 32, 16, 32, false, false, 128),
        ("gpt attn bwd qt.g 128x16x32x32", 16, 32, 32, true, false, 128),
        ("gpt attn bwd at.g 128x32x16x32", 32, 16, 32, true, false, 128),
        ("bmm 8x64x64x64", 64, 64, 64, false, false, 8),
        ("square 64", 64, 64, 64, false, false, 1),
        ("square 128", 128, 128, 128, false, false, 1),
        ("square 256", 256, 256, 256, false, false, 1),
        ("square 512", 512, 512, 512, false, false, 1),
    ];
}
