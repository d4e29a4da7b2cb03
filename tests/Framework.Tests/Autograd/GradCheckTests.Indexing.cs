using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    private static Tensor Long(params long[] values) => Tensor.From(values);
    private static Tensor Long2(long[] values, params int[] shape) => Tensor.FromArray(values, shape);
    private static Tensor Mask(bool[] values, params int[] shape) => Tensor.FromArray(values, shape);

    /// <summary>The gradcheck cases of x[...] and the named indexing ops (IndexSelect, IndexAdd, Scatter, MaskedFill, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> IndexingCases() => new()
    {
        ["index: slice and column"] = (a => a[0][1..3, 0] * 2, () => [R(4, 3)]),
        ["index: step, ^1 and None"] = (a => a[0][TensorIndex.Slice(0, null, 2), ^1, TensorIndex.None].Pow(2), () => [R(5, 3)]),
        ["index: ellipsis on transposed"] = (a => a[0].Transpose(0, 2)[TensorIndex.Ellipsis, 1].Pow(2), () => [R(2, 3, 4)]),
        ["index: duplicate indices accumulate"] = (a => a[0][Long(2, 0, 2, 2)].Pow(2), () => [R(3, 2)]),
        ["index: range and labels"] = (a => a[0][Tensor.Arange(4L), Long(1, 0, 2, 1)].Log(), () => [Pos(4, 3)]),
        ["index: index then slice"] = (a => a[0][Long(1, 1), 1..].Pow(2), () => [R(3, 4)]),
        ["index: non-adjacent index dims"] = (a => a[0][Long(0, 1, 1), .., Long(3, 0, 3)].Pow(2), () => [R(2, 3, 4)]),
        ["index: broadcast index tensors"] = (a => a[0][Long2([0, 2], 2, 1), Long(1, 1, 3)].Pow(2), () => [R(3, 4)]),
        ["index: mask"] = (a => a[0][Mask([true, false, false, true, true, true, false, false, false, true, false, true], 3, 4)].Pow(3), () => [R(3, 4)]),
        ["index: mask of rows, dim -1"] = (a => a[0][Mask([true, false, true], 3)].Softmax(-1), () => [R(3, 4)]),
        ["index: set slice"] = (a => { var y = a[0] * 1; y[1.., 1..] = a[1]; return y.Pow(2); }, () => [R(3, 3), R(2, 2)]),
        ["index: set index tensor broadcast"] = (a => { var y = a[0] * 1; y[Long(0, 2)] = a[1]; return y.Pow(2); }, () => [R(3, 4), R(4)]),
        ["index: set index on a view"] = (a => { var y = a[0] * 1; y[1, Long(0, 3)] = a[1]; return y.Pow(2); }, () => [R(2, 4), R(2)]),
        ["index: set mask to a number"] = (a => { var y = a[0] * 1; y[Mask([true, false, false, false, true, true, false, true, false], 3, 3)] = 0; return y.Pow(2); }, () => [R(3, 3)]),
        ["index_put accumulate"] = (a => a[0].IndexPut([Long(1, 1, 0)], a[1], accumulate: true).Pow(2), () => [R(2, 3), R(3, 3)]),
        ["index_select dim 0"] = (a => a[0].IndexSelect(0, Long(2, 2, 0)).Pow(2), () => [R(3, 2)]),
        ["index_select dim 1 of transposed"] = (a => a[0].T().IndexSelect(1, Long(1, 0)).Pow(2), () => [R(2, 3)]),
        ["index_select dim -1"] = (a => a[0].IndexSelect(-1, Long(3, 0)).Pow(2), () => [R(2, 2, 4)]),
        ["index_add dim 1"] = (a => a[0].IndexAdd(1, Long(2, 0, 2), a[1], alpha: 1.5).Pow(2), () => [R(2, 3), R(2, 3)]),
        ["scatter dim 0"] = (a => a[0].Scatter(0, Long2([1, 0, 2, 0], 1, 4), a[1]).Pow(2), () => [R(3, 4), R(2, 4)]),
        ["scatter value dim -1"] = (a => a[0].Scatter(-1, Long2([2, 0], 2, 1), 0.5).Pow(2), () => [R(2, 3)]),
        ["scatter_add dim 1"] = (a => a[0].ScatterAdd(1, Long2([0, 0, 2, 1, 1, 1], 2, 3), a[1]).Pow(2), () => [R(2, 3), R(2, 3)]),
        ["masked_fill broadcast mask"] = (a => a[0].MaskedFill(Mask([true, false, true], 3), 2.0).Pow(2), () => [R(2, 3)]),
        ["masked_fill tensor value"] = (a => a[0].MaskedFill(Mask([false, true, true, false], 2, 2), a[1]).Pow(2), () => [R(2, 2), R()]),
        ["masked_select broadcast"] = (a => a[0].MaskedSelect(Mask([true, false, true, true, false, true], 2, 3)).Pow(2), () => [R(3)]),
    };
}
