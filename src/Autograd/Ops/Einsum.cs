namespace Framework.Autograd;

// torch.einsum, as PyTorch computes it: every operand is aligned to one list of dims (output dims first, then the
// contracted ones; repeated subscripts become diagonals, missing ones size-1 dims), then the operands are contracted
// left to right, each pair by one bmm. Only differentiable ops are used, so the gradients come from them.
public partial class Tensor
{
    private const int EinsumLabels = 52;          // A–Z are 0–25, a–z are 26–51
    private const int EinsumEllipsis = EinsumLabels;

    /// <summary>Sums the product of the operands over the subscripts not in the output (torch.einsum): "ij,jk->ik", "ii", "ii->i", "...ij,...jk", implicit output when there is no "->".</summary>
    public static Tensor Einsum(string equation, params Tensor[] operands)
    {
        ArgumentNullException.ThrowIfNull(equation);
        ArgumentNullException.ThrowIfNull(operands);
        if (operands.Length == 0) throw new ArgumentException("einsum(): must provide at least one operand");
        for (int i = 0; i < operands.Length; i++)
        {
            if (operands[i] is null) throw new ArgumentNullException(nameof(operands), $"einsum(): operand {i} is null");
            if (operands[i].DType != operands[0].DType)
                throw new ArgumentException(
                    $"einsum(): expected all operands to have the same dtype, but operand 0 is {operands[0].DType.TorchName()} and operand {i} is {operands[i].DType.TorchName()}");
        }
        int arrow = equation.IndexOf("->", StringComparison.Ordinal);
        string lhs = arrow < 0 ? equation : equation[..arrow];
        var opLabels = ParseEinsumInputs(equation, lhs, operands.Length);

        // Count the subscripts and find how many dims the ellipsis covers.
        var labelCount = new int[EinsumLabels];
        int ellNumDim = 0;
        for (int i = 0; i < operands.Length; i++)
        {
            int nlabels = 0, ndims = operands[i].Dim;
            bool hasEllipsis = false;
            foreach (var label in opLabels[i])
                if (label == EinsumEllipsis) hasEllipsis = true;
                else { nlabels++; labelCount[label]++; }
            if (hasEllipsis) ellNumDim = Math.Max(ellNumDim, ndims - nlabels);
            if (hasEllipsis ? nlabels > ndims : nlabels != ndims)
                throw new ArgumentException(hasEllipsis
                    ? $"einsum(): the number of subscripts in the equation ({nlabels}) is more than the number of dimensions ({ndims}) for operand {i}"
                    : $"einsum(): the number of subscripts in the equation ({nlabels}) does not match the number of dimensions ({ndims}) for operand {i} and no ellipsis was given");
        }

        // Where each subscript goes in the aligned dims: the output's first, then the ellipsis if not in the output, then the rest.
        var labelPerm = new int[EinsumLabels];
        Array.Fill(labelPerm, -1);
        int permIndex = 0, ellIndex = 0;
        bool ellInOutput = false;
        if (arrow >= 0)
        {
            string rhs = equation[(arrow + 2)..];
            for (int i = 0; i < rhs.Length; i++)
            {
                char c = rhs[i];
                if (c == ' ') continue;
                if (c == '.')
                {
                    if (ellInOutput) throw new ArgumentException("einsum(): found '.' for output for which an ellipsis was already found");
                    if (!(i + 2 < rhs.Length && rhs[i + 1] == '.' && rhs[i + 2] == '.'))
                        throw new ArgumentException("einsum(): found '.' for output that is not part of any ellipsis");
                    i += 2;
                    ellIndex = permIndex;
                    permIndex += ellNumDim;
                    ellInOutput = true;
                    continue;
                }
                int label = EinsumLabel(c, arrow + 2 + i, equation);
                if (labelCount[label] == 0 || labelPerm[label] != -1)
                    throw new ArgumentException(labelPerm[label] != -1
                        ? $"einsum(): output subscript {c} appears more than once in the output"
                        : $"einsum(): output subscript {c} does not appear in the equation for any input operand");
                labelPerm[label] = permIndex++;
            }
        }
        else
        {
            // Implicit output: the ellipsis dims, then the subscripts that appear once, in order (A–Z before a–z).
            ellInOutput = true;
            permIndex = ellNumDim;
            for (int label = 0; label < EinsumLabels; label++)
                if (labelCount[label] == 1) labelPerm[label] = permIndex++;
        }
        int outSize = permIndex;
        if (!ellInOutput) { ellIndex = permIndex; permIndex += ellNumDim; }
        for (int label = 0; label < EinsumLabels; label++)
            if (labelCount[label] > 0 && labelPerm[label] == -1) labelPerm[label] = permIndex++;

        var aligned = new Tensor[operands.Length];
        var labelSize = new int[EinsumLabels];
        var ellSize = new int[ellNumDim];
        Array.Fill(labelSize, -1);
        Array.Fill(ellSize, -1);
        for (int i = 0; i < operands.Length; i++)
            aligned[i] = AlignEinsumOperand(operands[i], i, opLabels[i], labelPerm, permIndex, ellIndex, ellNumDim, labelSize, ellSize);

        // The last operand with a size other than 1 in each dim: after it, that dim can be summed out.
        var dimLastOp = new int[permIndex];
        for (int d = 0; d < permIndex; d++)
            for (int i = 1; i < aligned.Length; i++)
                if (aligned[i].shape[d] != 1) dimLastOp[d] = i;

        var result = aligned[0];
        for (int j = outSize, dim = outSize; j < permIndex; j++, dim++)
            if (dimLastOp[j] == 0)
                result = result.shape[dim] == 1 ? result.Squeeze(dim--) : result.Sum(dim--);
        for (int i = 1; i < aligned.Length; i++)
        {
            var operand = aligned[i];
            var sumDims = new List<int>();
            for (int j = outSize, dim = outSize; j < permIndex; j++, dim++)
            {
                if (dimLastOp[j] < i) operand = operand.Squeeze(dim--);
                else if (dimLastOp[j] == i)
                {
                    if (result.shape[dim] == 1) { operand = operand.Sum(dim); result = result.Squeeze(dim--); }
                    else sumDims.Add(dim);
                }
            }
            result = sumDims.Count == 0 ? result * operand
                : sumDims.Count == result.Dim ? result.Flatten().Dot(operand.Flatten())
                : SumProductPair(result, operand, sumDims);
        }
        return result;
    }

    /// <summary>The subscripts of each operand (EinsumEllipsis for "..."), refused as PyTorch refuses them.</summary>
    private static List<int>[] ParseEinsumInputs(string equation, string lhs, int numOps)
    {
        var opLabels = new List<int>[numOps];
        for (int i = 0; i < numOps; i++) opLabels[i] = [];
        int op = 0;
        bool foundEll = false;
        for (int i = 0; i < lhs.Length; i++)
        {
            switch (lhs[i])
            {
                case ' ': continue;
                case '.':
                    if (foundEll) throw new ArgumentException($"einsum(): found '.' for operand {op} for which an ellipsis was already found");
                    if (!(i + 2 < lhs.Length && lhs[i + 1] == '.' && lhs[i + 2] == '.'))
                        throw new ArgumentException($"einsum(): found '.' for operand {op} that is not part of any ellipsis");
                    i += 2;
                    opLabels[op].Add(EinsumEllipsis);
                    foundEll = true;
                    break;
                case ',':
                    if (++op >= numOps) throw new ArgumentException("einsum(): fewer operands were provided than specified in the equation");
                    foundEll = false;
                    break;
                default:
                    opLabels[op].Add(EinsumLabel(lhs[i], i, equation));
                    break;
            }
        }
        if (op != numOps - 1) throw new ArgumentException("einsum(): more operands were provided than specified in the equation");
        return opLabels;
    }

    /// <summary>A subscript's number (A–Z 0–25, a–z 26–51); anything else is refused naming its index in the equation.</summary>
    private static int EinsumLabel(char c, int index, string equation) => c switch
    {
        >= 'A' and <= 'Z' => c - 'A',
        >= 'a' and <= 'z' => c - 'a' + 26,
        _ => throw new ArgumentException($"einsum(): invalid subscript given at index {index} in the equation string, subscripts must be in [a-zA-Z] (got '{c}' in \"{equation}\")"),
    };

    private static char EinsumChar(int label) => (char)(label < 26 ? 'A' + label : 'a' + label - 26);

    /// <summary>
    /// Operand <paramref name="i"/> with one dim per aligned position: a repeated subscript's dims merged into their
    /// diagonal, absent subscripts as size-1 dims, the ellipsis right-aligned into its positions; sizes checked to broadcast.
    /// </summary>
    private static Tensor AlignEinsumOperand(Tensor operand, int i, List<int> labels, int[] labelPerm, int permIndex, int ellIndex,
                                             int ellNumDim, int[] labelSize, int[] ellSize)
    {
        var permutation = new int[permIndex];
        Array.Fill(permutation, -1);
        var labelDim = new int[EinsumLabels];
        Array.Fill(labelDim, -1);
        int dim = 0;
        foreach (var label in labels)
        {
            if (label == EinsumEllipsis)
            {
                int ndim = operand.Dim - (labels.Count - 1);
                for (int j = 0; j < ndim; j++)
                {
                    int at = ellNumDim - ndim + j, size = operand.shape[dim];
                    if (ellSize[at] != -1 && ellSize[at] != 1 && size != 1 && size != ellSize[at])
                        throw new ArgumentException(
                            $"einsum(): dimension {j} covered by ellipsis in operand {i} has size {size} which does not broadcast with previously seen ellipsis with size {ellSize[at]} for the respective dimension");
                    if (ellSize[at] == -1 || ellSize[at] == 1) ellSize[at] = size;
                    permutation[ellIndex + at] = dim++;
                }
            }
            else if (labelDim[label] != -1)
            {
                int first = labelDim[label];
                if (operand.shape[dim] != operand.shape[first])
                    throw new ArgumentException(
                        $"einsum(): subscript {EinsumChar(label)} is repeated for operand {i} but the sizes don't match, {operand.shape[dim]} != {operand.shape[first]}");
                operand = operand.DiagonalAt(first, dim);
            }
            else
            {
                int size = operand.shape[dim];
                if (labelSize[label] != -1 && labelSize[label] != 1 && size != 1 && size != labelSize[label])
                    throw new ArgumentException(
                        $"einsum(): subscript {EinsumChar(label)} has size {size} for operand {i} which does not broadcast with previously seen size {labelSize[label]}");
                if (labelSize[label] == -1 || labelSize[label] == 1) labelSize[label] = size;
                labelDim[label] = dim;
                permutation[labelPerm[label]] = dim++;
            }
        }
        for (int j = 0; j < permIndex; j++)
            if (permutation[j] == -1) { operand = operand.Unsqueeze(dim); permutation[j] = dim++; }
        return operand.Permute(permutation);
    }

    /// <summary>Σ over <paramref name="sumDims"/> of left·right (same rank, size-1 dims broadcast) as one bmm; the summed dims are removed.</summary>
    private static Tensor SumProductPair(Tensor left, Tensor right, List<int> sumDims)
    {
        int n = left.Dim;
        var isSum = new bool[n];
        foreach (var d in sumDims) isSum[d] = true;
        List<int> lro = [], lo = [], ro = [];
        int lroSize = 1, loSize = 1, roSize = 1, sumSize = 1;
        for (int i = 0; i < n; i++)
        {
            bool sl = left.shape[i] != 1, sr = right.shape[i] != 1;     // a size-0 dim is a dim too
            if (isSum[i])
            {
                if (sl && sr) sumSize *= left.shape[i];
                else if (sl) left = left.Sum(i, keepDim: true);
                else if (sr) right = right.Sum(i, keepDim: true);
            }
            else if (sl && sr) { lro.Add(i); lroSize *= left.shape[i]; }
            else if (sl) { lo.Add(i); loSize *= left.shape[i]; }
            else { ro.Add(i); roSize *= right.shape[i]; }
        }
        var l = left.Permute([.. lro, .. lo, .. sumDims, .. ro]).Reshape(lroSize, loSize, sumSize);
        var r = right.Permute([.. lro, .. sumDims, .. ro, .. lo]).Reshape(lroSize, sumSize, roSize);
        var shape = new List<int>();
        foreach (var d in lro) shape.Add(left.shape[d]);
        foreach (var d in lo) shape.Add(left.shape[d]);
        foreach (var d in ro) shape.Add(right.shape[d]);
        var y = l.Bmm(r).View(shape.ToArray());                    // dims in the order lro, lo, ro
        List<int> order = [.. lro, .. lo, .. ro];
        var sorted = order.Order().ToList();
        var back = new int[order.Count];
        for (int k = 0; k < back.Length; k++) back[k] = order.IndexOf(sorted[k]);
        return y.Permute(back);
    }

    /// <summary>The diagonal of dims a &lt; b of equal size, kept at dim a with dim b removed (a view, DiagonalBackward0).</summary>
    internal Tensor DiagonalAt(int a, int b)
    {
        var x = this;
        var s = new List<int>(shape); var st = new List<int>(strides);
        st[a] += strides[b];
        s.RemoveAt(b); st.RemoveAt(b);
        var y = MakeView(s.ToArray(), st.ToArray(), offset);
        return Graph.Record("DiagonalBackward0", y, [x], [], (x.shape, Region: new DiagonalRegion(a, b)),
            static (ctx, g, s) => [ScatterInto(g, s.shape, s.Region, "DiagonalBackwardBackward0")]);
    }
}

/// <summary>t.DiagonalAt(A, B).</summary>
internal readonly record struct DiagonalRegion(int A, int B) : IViewRegion
{
    public Tensor Of(Tensor t) => t.DiagonalAt(A, B);
}
