namespace Framework.Autograd;

/// <summary>Scalar re-enactment of PyTorch's AVX2 float32 Box–Muller block (cephes-style log and sincos in single precision).</summary>
internal static class BoxMullerAvx2
{
    /// <summary>2π rounded from double to float, the constant PyTorch broadcasts.</summary>
    private const float TwoPi = (float)(2.0 * Math.PI);

    // Constants are written as doubles and narrowed, matching C's double-literal-to-float conversion.
    /// <summary>√½, the mantissa split point of the log reduction.</summary>
    private const float SqrtHalf = (float)0.707106781186547524;
    /// <summary>Coefficients of the log polynomial, highest degree first.</summary>
    private const float L0 = (float)7.0376836292E-2, L1 = (float)-1.1514610310E-1, L2 = (float)1.1676998740E-1,
        L3 = (float)-1.2420140846E-1, L4 = (float)1.4249322787E-1, L5 = (float)-1.6668057665E-1,
        L6 = (float)2.0000714765E-1, L7 = (float)-2.4999993993E-1, L8 = (float)3.3333331174E-1;
    /// <summary>ln 2 split into a small and an exactly representable part.</summary>
    private const float Ln2Lo = (float)-2.12194440e-4, Ln2Hi = (float)0.693359375;
    /// <summary>−π/4 split into three parts for the extended-precision argument reduction.</summary>
    private const float Dp1 = (float)-0.78515625, Dp2 = (float)-2.4187564849853515625e-4, Dp3 = (float)-3.77489497744594108e-8;
    /// <summary>Sine polynomial coefficients.</summary>
    private const float S0 = (float)-1.9515295891E-4, S1 = (float)8.3321608736E-3, S2 = (float)-1.6666654611E-1;
    /// <summary>Cosine polynomial coefficients.</summary>
    private const float C0 = (float)2.443315711809948E-005, C1 = (float)-1.388731625493765E-003, C2 = (float)4.166664568298827E-002;
    /// <summary>4/π.</summary>
    private const float FourOverPi = (float)1.27323954473516;

    /// <summary>Turns 16 uniforms into 16 normals: lanes j and j+8 share a radius and take cosine and sine.</summary>
    public static void Transform16(Span<float> d, float mean, float std)
    {
        for (int j = 0; j < 8; j++)
        {
            float u1 = 1.0f - d[j];
            float u2 = d[j + 8];
            float radius = MathF.Sqrt(-2.0f * Log(u1));
            SinCos(TwoPi * u2, out float sin, out float cos);
            d[j] = MathF.FusedMultiplyAdd(radius * cos, std, mean);
            d[j + 8] = MathF.FusedMultiplyAdd(radius * sin, std, mean);
        }
    }

    /// <summary>Single-precision natural log by exponent extraction and a degree-9 polynomial (NaN for x ≤ 0).</summary>
    internal static float Log(float x)
    {
        if (!(x > 0)) return float.NaN;
        x = MathF.Max(x, BitConverter.UInt32BitsToSingle(0x00800000u));
        uint bits = BitConverter.SingleToUInt32Bits(x);
        float e = (int)(bits >> 23) - 0x7f;
        e += 1.0f;
        x = BitConverter.UInt32BitsToSingle((bits & ~0x7f800000u) | 0x3f000000u);
        bool small = x < SqrtHalf;
        float tmp = small ? x : 0f;
        x -= 1.0f;
        if (small) e -= 1.0f;
        x += tmp;

        float z = x * x;
        float y = Fma(L0, x, L1);
        y = Fma(y, x, L2);
        y = Fma(y, x, L3);
        y = Fma(y, x, L4);
        y = Fma(y, x, L5);
        y = Fma(y, x, L6);
        y = Fma(y, x, L7);
        y = Fma(y, x, L8);
        y *= x;
        y = Fma(y, z, e * Ln2Lo);
        y = Fma(z, -0.5f, y);
        x += y;
        x = Fma(e, Ln2Hi, x);
        return x;
    }

    /// <summary>Single-precision sine and cosine with octant reduction and two short polynomials.</summary>
    internal static void SinCos(float x, out float sin, out float cos)
    {
        uint signSin = BitConverter.SingleToUInt32Bits(x) & 0x80000000u;
        x = MathF.Abs(x);
        int j = (int)(x * FourOverPi);
        j = (j + 1) & ~1;
        float y = j;
        uint swapSin = (uint)(j & 4) << 29;
        bool sinPoly = (j & 2) == 0;
        x = Fma(y, Dp1, x);
        x = Fma(y, Dp2, x);
        x = Fma(y, Dp3, x);
        uint signCos = (uint)(~(j - 2) & 4) << 29;
        signSin ^= swapSin;

        float z = x * x;
        float yc = Fma(C0, z, C1);
        yc = Fma(yc, z, C2);
        yc *= z;
        yc = Fma(yc, z, -(z * 0.5f));
        yc += 1.0f;

        float ys = Fma(S0, z, S1);
        ys = Fma(ys, z, S2);
        ys *= z;
        ys = Fma(ys, x, x);

        float s = sinPoly ? ys : yc, c = sinPoly ? yc : ys;
        sin = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(s) ^ signSin);
        cos = BitConverter.UInt32BitsToSingle(BitConverter.SingleToUInt32Bits(c) ^ signCos);
    }

    /// <summary>Fused multiply-add: GCC contracts the kernel's separate mul/add intrinsics into FMAs, and these are the pairings it chose.</summary>
    private static float Fma(float a, float b, float c) => MathF.FusedMultiplyAdd(a, b, c);
}
