using Framework.Autograd;
using Tensor = Framework.Autograd.Tensor;

namespace Framework.NN;

public static partial class Functional
{
    /// <summary>
    /// Σ x1·x2 / (max(‖x1‖, eps)·max(‖x2‖, eps)) along <paramref name="dim"/>, the inputs broadcast together; each input is divided by
    /// its own clamped norm first, as PyTorch does (torch.nn.functional.cosine_similarity).
    /// </summary>
    public static Tensor CosineSimilarity(Tensor x1, Tensor x2, int dim = 1, double eps = 1e-8)
    {
        ArgumentNullException.ThrowIfNull(x1);
        ArgumentNullException.ThrowIfNull(x2);
        if (!x1.DType.IsFloatingPoint() && !x2.DType.IsFloatingPoint())
        {
            var common = x1.DType == DType.Int64 || x2.DType == DType.Int64 ? "Long" : "Bool";
            throw new ArgumentException($"expected common dtype to be floating point, yet common dtype is {common}");
        }
        var floating = !x1.DType.IsFloatingPoint() ? x2.DType : !x2.DType.IsFloatingPoint() ? x1.DType
                     : x1.DType == DType.Float64 || x2.DType == DType.Float64 ? DType.Float64 : DType.Float32;
        var a = x1.DType.IsFloatingPoint() ? x1 : x1.To(floating);
        var b = x2.DType.IsFloatingPoint() ? x2 : x2.To(floating);
        var shape = BroadcastShapes(a.Shape, b.Shape);
        a = a.Expand(shape);
        b = b.Expand(shape);
        // Squared norms clamped at eps² in place outside the graph, as PyTorch 1.13 does: the value is max(‖x‖, eps), the gradient flows through sqrt of the clamped sum.
        var sa = a.Pow(2).Sum(dim, keepDim: true);
        var sb = b.Pow(2).Sum(dim, keepDim: true);
        using (new NoGrad())
        {
            sa.CopyFrom(sa.Clamp(eps * eps, double.PositiveInfinity));
            sb.CopyFrom(sb.Clamp(eps * eps, double.PositiveInfinity));
        }
        var (na, nb) = (sa.Sqrt(), sb.Sqrt());
        return (a / na * (b / nb)).Sum(dim);
    }

    /// <summary>Int64 one-hot rows of class indices: shape [..., numClasses] (torch.nn.functional.one_hot); numClasses = −1 takes max + 1.</summary>
    public static Tensor OneHot(Tensor tensor, int numClasses = -1) => Tensor.OneHot(tensor, numClasses);

    /// <summary>NumPy broadcasting of two shapes, refused with PyTorch's message naming the first dim that differs.</summary>
    private static int[] BroadcastShapes(int[] a, int[] b)
    {
        int n = Math.Max(a.Length, b.Length);
        var r = new int[n];
        for (int i = n - 1; i >= 0; i--)   // from the last dim, as PyTorch's infer_size reports the first mismatch
        {
            int da = i < n - a.Length ? 1 : a[i - (n - a.Length)], db = i < n - b.Length ? 1 : b[i - (n - b.Length)];
            if (da != db && da != 1 && db != 1)
                throw new ArgumentException($"The size of tensor a ({da}) must match the size of tensor b ({db}) at non-singleton dimension {i}");
            r[i] = da == 1 ? db : da;
        }
        return r;
    }
}
