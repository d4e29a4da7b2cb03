namespace Framework.NN;

/// <summary>Double-precision special functions the initialisers need (erf through MathNet.Numerics, erfinv written out here).</summary>
internal static class InitMath
{
    /// <summary>erf x, accurate to about an ulp (MathNet's port of Boost's erf).</summary>
    public static double Erf(double x) => MathNet.Numerics.SpecialFunctions.Erf(x);

    /// <summary>erfc x = 1 − erf x, accurate relative to its value also where it is tiny.</summary>
    public static double Erfc(double x) => MathNet.Numerics.SpecialFunctions.Erfc(x);

    /// <summary>erf⁻¹ y for y in [−1, 1] (±∞ at ±1, NaN outside), to an ulp or two: Wichura's AS 241 start, one Newton step.</summary>
    /// <remarks>The Newton step solves erf x = y for |y| ≤ 0.5 and erfc |x| = 1 − |y| beyond (1 − |y| is exact there), so it stays
    /// well conditioned as |y| → 1, where erf is flat.</remarks>
    public static double Erfinv(double y)
    {
        double x = Erfinv0(y);
        if (!double.IsFinite(x) || x == 0) return x;
        double slope = TwoOverSqrtPi * Math.Exp(-x * x);        // d erf / dx
        if (Math.Abs(y) <= 0.5) return x - (Erf(x) - y) / slope;
        double ax = Math.Abs(x);
        return Math.CopySign(ax + (Erfc(ax) - (1 - Math.Abs(y))) / slope, y);
    }

    private static readonly double TwoOverSqrtPi = 2 / Math.Sqrt(Math.PI);

    /// <summary>erf⁻¹ y to about 1e-16 relative: Φ⁻¹((1 + y)/2)/√2 by AS 241, from q = y/2 in the centre and (1 − |y|)/2 in the tails,
    /// so no precision is lost forming (1 + y)/2 near 0 or near ±1.</summary>
    private static double Erfinv0(double y)
    {
        if (double.IsNaN(y) || Math.Abs(y) > 1) return double.NaN;
        if (Math.Abs(y) == 1) return y * double.PositiveInfinity;
        double q = 0.5 * y;                                  // p − 0.5 with p = (1 + y)/2
        if (Math.Abs(q) <= 0.425)
        {
            double r = 0.180625 - q * q;
            double num = ((((((2.5090809287301226727e+3 * r + 3.3430575583588128105e+4) * r + 6.7265770927008700853e+4) * r
                            + 4.5921953931549871457e+4) * r + 1.3731693765509461125e+4) * r + 1.9715909503065514427e+3) * r
                            + 1.3314166789178437745e+2) * r + 3.3871328727963666080e+0;
            double den = ((((((5.2264952788528545610e+3 * r + 2.8729085735721942674e+4) * r + 3.9307895800092710610e+4) * r
                            + 2.1213794301586595867e+4) * r + 5.3941960214247511077e+3) * r + 6.8718700749205790830e+2) * r
                            + 4.2313330701600911252e+1) * r + 1.0;
            return y * (num / den * HalfOverSqrt2);   // y·(num/den)/(2√2), in this order so that subnormal y keeps its value
        }
        double t = Math.Sqrt(-Math.Log(0.5 * (1 - Math.Abs(y))));   // √(−log min(p, 1 − p))
        double value;
        if (t <= 5)
        {
            t -= 1.6;
            double num = ((((((7.74545014278341407640e-4 * t + 2.27238449892691845833e-2) * t + 2.41780725177450611770e-1) * t
                            + 1.27045825245236838258e+0) * t + 3.64784832476320460504e+0) * t + 5.76949722146069140550e+0) * t
                            + 4.63033784615654529590e+0) * t + 1.42343711074968357734e+0;
            double den = ((((((1.05075007164441684324e-9 * t + 5.47593808499534494600e-4) * t + 1.51986665636164571966e-2) * t
                            + 1.48103976427480074590e-1) * t + 6.89767334985100004550e-1) * t + 1.67638483018380384940e+0) * t
                            + 2.05319162663775882187e+0) * t + 1.0;
            value = num / den;
        }
        else
        {
            t -= 5;
            double num = ((((((2.01033439929228813265e-7 * t + 2.71155556874348757815e-5) * t + 1.24266094738807843860e-3) * t
                            + 2.65321895265761230930e-2) * t + 2.96560571828504891230e-1) * t + 1.78482653991729133580e+0) * t
                            + 5.46378491116411436990e+0) * t + 6.65790464350110377720e+0;
            double den = ((((((2.04426310338993978564e-15 * t + 1.42151175831644588870e-7) * t + 1.84631831751005468180e-5) * t
                            + 7.86869131145613259100e-4) * t + 1.48753612908506148525e-2) * t + 1.36929880922735805310e-1) * t
                            + 5.99832206555887937690e-1) * t + 1.0;
            value = num / den;
        }
        return Math.CopySign(value, y) / Math.Sqrt(2);
    }

    private static readonly double HalfOverSqrt2 = Math.Sqrt(0.125);
}
