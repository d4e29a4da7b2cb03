using System.Numerics;
using Framework.Autograd.Kernels;

namespace Framework.Autograd;

// torch.multinomial: sampling category indices from rows of non-negative weights, reproducing PyTorch 1.13's CPU draws.
public partial class Tensor
{
    /// <summary>PyTorch's limit on categories: the indices pass through floats.</summary>
    private const int MaxMultinomialCategories = 1 << 24;

    /// <summary>
    /// numSamples indices into the last dim of this 1-d or 2-d tensor of non-negative weights (per row, need not sum to 1),
    /// index j drawn with probability w[j]/Σw; without replacement the indices of a row are distinct. Int64, shape [numSamples]
    /// or [rows, numSamples]; the same seed gives the same indices as torch.multinomial.
    /// </summary>
    public Tensor Multinomial(int numSamples, bool replacement = false, Generator? generator = null)
    {
        if (Dim < 1 || Dim > 2) throw new ArgumentException($"prob_dist must be 1 or 2 dim (got a tensor of shape {ShapeUtil.Format(shape)})");
        if (!DType.IsFloatingPoint())
            throw new ArgumentException($"multinomial only supports floating-point dtypes for input, got: {DType.ScalarTypeName()}");
        if (numSamples <= 0) throw new ArgumentException($"cannot sample n_sample <= 0 samples (got numSamples = {numSamples})");
        int n = shape[^1], rows = Dim == 2 ? shape[0] : 1;
        if (!replacement && numSamples > n)
            throw new ArgumentException($"cannot sample n_sample > prob_dist.size(-1) samples without replacement (numSamples = {numSamples}, prob_dist.size(-1) = {n})");
        if (n > MaxMultinomialCategories) throw new ArgumentException($"number of categories cannot exceed 2^24 (got {n})");

        var result = new Tensor(Dim == 2 ? [rows, numSamples] : [numSamples], DType.Int64, clear: false);
        if (result.Numel == 0) return result;
        var p = Dispatch.Raw(this, DType);
        // exponential_ fills a tensor laid out like this one: a transposed matrix gets its draws column by column.
        bool columnMajor = Dim == 2 && rows > 1 && n > 1 && strides[0] == 1 && strides[1] == rows;
        var sample = new MultinomialKernel(p, rows, n, numSamples, replacement, columnMajor, generator ?? Generator.Default, result);
        DTypeDispatch.Floating(DType, ref sample);
        return result;
    }

    /// <summary>Runs the algorithm PyTorch 1.13 picks (with replacement: cumulative sums, even for one sample), checking the weights of the race first.</summary>
    private readonly struct MultinomialKernel(Tensor p, int rows, int n, int k, bool replacement, bool columnMajor, Generator g, Tensor result)
        : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            ReadOnlySpan<T> w = p.Span<T>();
            var r = result.Span<long>();
            if (replacement)
            {
                Kernels.Multinomial.WithReplacement(w, rows, n, k, g, r);
                return;
            }
            foreach (var v in w)
                if (!(v >= T.Zero && v < T.PositiveInfinity))
                    throw new ArgumentException("probability tensor contains either `inf`, `nan` or element < 0");
            for (int row = 0; row < rows; row++)
                if (!HasPositive(w.Slice(row * n, n)))
                    throw new ArgumentException("invalid multinomial distribution (sum of probabilities <= 0)");
            Kernels.Multinomial.ExponentialRace(w, rows, n, columnMajor, k, g, r);
        }

        private static bool HasPositive<T>(ReadOnlySpan<T> row) where T : IFloatingPointIeee754<T>
        {
            foreach (var v in row) if (v > T.Zero) return true;
            return false;
        }
    }
}
