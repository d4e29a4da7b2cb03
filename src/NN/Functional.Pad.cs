using Framework.Autograd;
using Tensor = Framework.Autograd.Tensor;

namespace Framework.NN;

public static partial class Functional
{
    /// <summary>
    /// Pads the last dims of <paramref name="input"/> (negative amounts crop): pad = (left, right) of the last dim, then of the
    /// one before, …; mode "constant" (filled with <paramref name="value"/>), "reflect", "replicate" or "circular" (torch.nn.functional.pad).
    /// </summary>
    public static Tensor Pad(Tensor input, int[] pad, string mode = "constant", double value = 0)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(pad);
        ArgumentNullException.ThrowIfNull(mode);
        if (pad.Length % 2 != 0) throw new ArgumentException("Padding length must be divisible by 2");
        if (pad.Length / 2 > input.Dim) throw new ArgumentException("Padding length too large");
        if (mode is not ("constant" or "reflect" or "replicate" or "circular")) throw new ArgumentException($"Unrecognised padding mode {mode}");
        var shape = input.Shape;
        var outShape = (int[])shape.Clone();
        for (int i = 0; i < pad.Length / 2; i++)
        {
            int d = shape.Length - 1 - i;
            long size = (long)shape[d] + pad[2 * i] + pad[2 * i + 1];
            if (size < 0)
                throw new ArgumentException($"The input size {shape[d]}, plus negative padding {pad[2 * i]} and {pad[2 * i + 1]} resulted in a negative output size, which is invalid. Check dimension {d} of your input.");
            outShape[d] = checked((int)size);
        }
        return mode == "constant" ? ConstantPad(input, pad, value, outShape) : IndexPad(input, pad, mode, value, outShape);
    }

    /// <summary>constant_pad_nd: the input copied into a tensor filled with value; backward crops the gradient (a constant pad by −pad).</summary>
    private static Tensor ConstantPad(Tensor input, int[] pad, double value, int[] outShape)
    {
        var fill = input.DType switch { DType.Bool => value != 0 ? 1 : 0, DType.Int64 => Math.Truncate(value), _ => value };
        Tensor y;
        using (new NoGrad())
        {
            y = Tensor.Full(outShape, fill, input.DType);
            Tensor src = input, dst = y;
            bool empty = false;
            for (int i = 0; i < pad.Length / 2; i++)
            {
                int d = outShape.Length - 1 - i, left = pad[2 * i], right = pad[2 * i + 1];
                int from = Math.Max(0, -left), length = input.Size(d) - from - Math.Max(0, -right);
                if (length <= 0) { empty = true; break; }
                src = src.Narrow(d, from, length);
                dst = dst.Narrow(d, Math.Max(0, left), length);
            }
            if (!empty) dst.CopyFrom(src);
        }
        var back = Array.ConvertAll(pad, p => -p);
        return Graph.Record("ConstantPadNdBackward0", y, [input], [], back, static (ctx, g, back) => [Pad(g, back)]);
    }

    /// <summary>Reflect, replicate and circular padding as one index gather per padded dim; backward adds the gradient back through the same indices.</summary>
    private static Tensor IndexPad(Tensor input, int[] pad, string mode, double value, int[] outShape)
    {
        if (value != 0) throw new ArgumentException($"Padding mode \"{mode}\" doesn't take in value argument");
        int pairs = pad.Length / 2, rank = input.Dim;
        if (pairs == 0 || !(rank == pairs + 1 || rank == pairs + 2))
            throw new ArgumentException("Only 2D, 3D, 4D, 5D padding with non-constant padding are supported for now " +
                                        $"(got a {rank}-d input of shape {ShapeString(input.Shape)} with {pairs} pair(s) of padding; {mode} padding takes {pairs + 1}-d or {pairs + 2}-d inputs)");
        if (mode != "circular" && !input.DType.IsFloatingPoint())
            throw new ArgumentException($"\"{(mode == "reflect" ? "reflection" : "replication")}_pad{pairs}d\" not implemented for '{(input.DType == DType.Int64 ? "Long" : "Bool")}'");
        var dims = new int[pairs];
        var indices = new Tensor[pairs];
        for (int i = 0; i < pairs; i++)
        {
            int d = rank - 1 - i, n = input.Size(d), left = pad[2 * i], right = pad[2 * i + 1];
            if (mode == "reflect" && (left >= n || right >= n))
                throw new ArgumentException($"Padding size should be less than the corresponding input dimension, but got: padding ({left}, {right}) at dimension {d} of input {ShapeString(input.Shape)}");
            if (mode == "circular" && (left > n || right > n)) throw new ArgumentException("Padding value causes wrapping around more than once.");
            // Circular padding first crops the negative amounts, then wraps around what is left (m elements from `from`).
            int from = Math.Max(0, -left), m = n - from - Math.Max(0, -right);
            if ((n == 0 || (mode == "circular" && m <= 0)) && outShape[d] > 0)
                throw new ArgumentException($"{mode} padding needs a non-empty dimension to repeat, but dimension {d} of the input {ShapeString(input.Shape)} is empty{(n == 0 ? "" : " after cropping")}");
            var index = new long[outShape[d]];
            for (int o = 0; o < index.Length; o++)
            {
                int p = o - left;   // the source position, before folding it back into [0, n)
                index[o] = mode switch
                {
                    "reflect" => p < 0 ? -p : p >= n ? 2 * (n - 1) - p : p,
                    "replicate" => Math.Clamp(p, 0, n - 1),
                    _ => from + (((o - Math.Max(0, left)) % m) + m) % m,
                };
            }
            dims[i] = d;
            indices[i] = Tensor.From(index);
        }
        Tensor y = input;
        var shapes = new int[pairs][];
        using (new NoGrad())
            for (int i = 0; i < pairs; i++)
            {
                shapes[i] = y.Shape;
                y = y.IndexSelect(dims[i], indices[i]);
            }
        // PyTorch 1.13's names: ReflectionPad2DBackward0, ReplicationPad1DBackward0; circular padding writes into slices of a new tensor.
        string name = mode switch { "reflect" => $"ReflectionPad{pairs}DBackward0", "replicate" => $"ReplicationPad{pairs}DBackward0", _ => "CopySlices" };
        return Graph.Record(name, y, [input], [], (dims, indices, shapes), static (ctx, g, s) =>
        {
            for (int i = s.dims.Length - 1; i >= 0; i--)
                g = Tensor.Zeros(s.shapes[i], g.DType).IndexAdd(s.dims[i], s.indices[i], g);
            return [g];
        });
    }

    private static string ShapeString(int[] shape) => "[" + string.Join(", ", shape) + "]";
}
