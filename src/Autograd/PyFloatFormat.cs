using System.Globalization;
using System.Numerics;
using System.Text;

namespace Framework.Autograd;

/// <summary>Python's float formatting ('{:.Nf}', '{:.Ne}'): exact decimal expansion, round-half-even.</summary>
internal static class PyFloatFormat
{
    /// <summary>Python's spelling of a non-finite value ("nan" ignores the sign bit), or null if finite.</summary>
    public static string? NonFinite(double value) =>
        double.IsNaN(value) ? "nan" : double.IsPositiveInfinity(value) ? "inf" : double.IsNegativeInfinity(value) ? "-inf" : null;

    /// <summary>Equivalent of Python's '{:.{precision}f}'.format(value).</summary>
    public static string Fixed(double value, int precision)
    {
        if (NonFinite(value) is { } special) return special;
        var (num, den) = ExactRatio(value);
        num *= BigInteger.Pow(10, precision);
        string digits = RoundHalfEven(num, den).ToString(CultureInfo.InvariantCulture);
        if (digits.Length <= precision) digits = new string('0', precision + 1 - digits.Length) + digits;
        var sb = new StringBuilder(digits.Length + 2);
        if (double.IsNegative(value)) sb.Append('-');
        sb.Append(digits, 0, digits.Length - precision);
        if (precision > 0) sb.Append('.').Append(digits, digits.Length - precision, precision);
        return sb.ToString();
    }

    /// <summary>Equivalent of Python's '{:.{precision}e}'.format(value), e.g. "5.1200e+01".</summary>
    public static string Scientific(double value, int precision)
    {
        if (NonFinite(value) is { } special) return special;
        int exponent = 0;
        string digits;
        if (value == 0)
        {
            digits = new string('0', precision + 1);
        }
        else
        {
            var (num, den) = ExactRatio(value);
            BigInteger lower = BigInteger.Pow(10, precision), upper = lower * 10;
            exponent = (int)Math.Floor(Math.Log10(Math.Abs(value)));
            while (true)
            {
                int shift = precision - exponent;
                BigInteger q = shift >= 0
                    ? RoundHalfEven(num * BigInteger.Pow(10, shift), den)
                    : RoundHalfEven(num, den * BigInteger.Pow(10, -shift));
                if (q >= upper) exponent++;
                else if (q < lower) exponent--;
                else { digits = q.ToString(CultureInfo.InvariantCulture); break; }
            }
        }
        var sb = new StringBuilder(precision + 10);
        if (double.IsNegative(value)) sb.Append('-');
        sb.Append(digits[0]);
        if (precision > 0) sb.Append('.').Append(digits, 1, precision);
        sb.Append('e').Append(exponent < 0 ? '-' : '+');
        sb.Append(Math.Abs(exponent).ToString("00", CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    /// <summary>|value| as an exact ratio num/den of integers (den a power of two).</summary>
    private static (BigInteger Num, BigInteger Den) ExactRatio(double value)
    {
        long bits = BitConverter.DoubleToInt64Bits(value);
        int biased = (int)((bits >> 52) & 0x7FF);
        long mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (biased != 0) mantissa |= 1L << 52;
        int exp = (biased == 0 ? 1 : biased) - 1075;
        return exp >= 0
            ? (new BigInteger(mantissa) << exp, BigInteger.One)
            : (new BigInteger(mantissa), BigInteger.One << -exp);
    }

    /// <summary>num/den rounded to the nearest integer, ties to even.</summary>
    private static BigInteger RoundHalfEven(BigInteger num, BigInteger den)
    {
        BigInteger q = BigInteger.DivRem(num, den, out BigInteger r);
        int cmp = (r * 2).CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !q.IsEven)) q += 1;
        return q;
    }
}
