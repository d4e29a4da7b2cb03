using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>Pieces scaled by 1, 2, 3, ... and concatenated back, so every piece's gradient is checked at once.</summary>
    private static Tensor Weighted(Tensor[] pieces, int dim) => Tensor.Cat(pieces.Select((p, k) => p * (k + 1.0)).ToArray(), dim);

    /// <summary>The gradcheck cases of the shape ops (Chunk, Split, Repeat, Flip, Roll, Tril, Narrow, Einsum, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> ShapeOpCases() => new()
    {
        // chunk, split, unbind, narrow: views whose gradients land in their place
        ["chunk dim0"] = (a => Weighted(a[0].Chunk(2), 0), () => [R(5, 3)]),
        ["chunk dim -1 of transposed"] = (a => Weighted(a[0].T().Chunk(3, -1), -1), () => [R(7, 2)]),
        ["chunk one piece"] = (a => a[0].Chunk(3, 1)[1].Pow(2), () => [R(2, 7)]),
        ["split size dim1"] = (a => Weighted(a[0].Split(2, 1), 1), () => [R(3, 5)]),
        ["split size dim -2 of transposed"] = (a => Weighted(a[0].Transpose(0, 1).Split(3, -2), -2), () => [R(2, 4, 3)]),
        ["split sizes dim0"] = (a => Weighted(a[0].Split([1, 0, 3], 0), 0), () => [R(4, 2)]),
        ["split sizes dim -1 of transposed"] = (a => Weighted(a[0].T().Split([2, 1], -1), -1), () => [R(3, 2)]),
        ["unbind dim0"] = (a => Tensor.Stack(a[0].Unbind().Select((p, k) => p * (k + 1.0)).ToArray(), 1), () => [R(3, 2)]),
        ["unbind dim -1 of transposed"] = (a => a[0].T().Unbind(-1)[1].Pow(2), () => [R(3, 4)]),
        ["narrow dim1"] = (a => a[0].Narrow(1, 1, 2).Pow(2), () => [R(3, 4)]),
        ["narrow negative dim and start"] = (a => a[0].T().Narrow(-1, -2, 2) * 3, () => [R(4, 3)]),
        // repeat, tile, flip, roll, tril, triu
        ["repeat 2d"] = (a => a[0].Repeat(2, 3) * Tensor.Arange(36.0).Double().Reshape(4, 9), () => [R(2, 3)]),
        ["repeat extra leading dims"] = (a => a[0].Repeat(2, 1, 2).Pow(2), () => [R(2, 3)]),
        ["repeat of transposed"] = (a => a[0].T().Repeat(3, 1).Pow(2), () => [R(2, 3)]),
        ["repeat 0-d"] = (a => a[0].Repeat(4) * Tensor.Arange(4.0).Double(), () => [R()]),
        ["tile fewer reps"] = (a => a[0].Tile(3).Pow(2), () => [R(2, 2)]),
        ["tile more reps"] = (a => a[0].Tile(2, 1, 2).Pow(2), () => [R(3)]),
        ["flip dim0"] = (a => a[0].Flip(0) * Tensor.Arange(6.0).Double().Reshape(3, 2), () => [R(3, 2)]),
        ["flip dims 0 and -1 of transposed"] = (a => a[0].Transpose(0, 2).Flip(0, -1).Pow(2), () => [R(2, 3, 4)]),
        ["roll flattened"] = (a => a[0].Roll(4) * Tensor.Arange(6.0).Double().Reshape(2, 3), () => [R(2, 3)]),
        ["roll dim -1 of transposed"] = (a => a[0].T().Roll(-1, -1) * Tensor.Arange(6.0).Double().Reshape(3, 2), () => [R(2, 3)]),
        ["roll two dims"] = (a => a[0].Roll([1, 5], [0, -1]).Pow(2), () => [R(2, 3, 4)]),
        ["tril"] = (a => a[0].Tril().Pow(2), () => [R(3, 4)]),
        ["tril diagonal -1 batched"] = (a => a[0].Tril(-1) * 2, () => [R(2, 3, 3)]),
        ["triu diagonal 1 of transposed"] = (a => a[0].T().Triu(1).Pow(2), () => [R(4, 3)]),
        ["triu diagonal -2"] = (a => a[0].Triu(-2).Pow(2), () => [R(4, 4)]),
        // products
        ["outer"] = (a => a[0].Outer(a[1]), () => [R(3), R(4)]),
        ["outer of a strided slice"] = (a => a[0].Slice(0, 0, 6, 2).Outer(a[1]), () => [R(6), R(2)]),
        ["baddbmm"] = (a => a[0].Baddbmm(a[1], a[2]), () => [R(2, 3, 4), R(2, 3, 5), R(2, 5, 4)]),
        ["baddbmm beta alpha broadcast self"] = (a => a[0].Baddbmm(a[1], a[2], beta: 0.5, alpha: -1.5), () => [R(3, 1), R(2, 3, 2), R(2, 2, 4)]),
        ["baddbmm transposed batches"] = (a => a[0].Baddbmm(a[1].Transpose(1, 2), a[2].Transpose(1, 2)), () => [R(4), R(2, 5, 3), R(2, 4, 5)]),
        ["baddbmm beta 0"] = (a => a[0].Baddbmm(a[1], a[2], beta: 0), () => [R(2, 2, 2), R(2, 2, 3), R(2, 3, 2)]),
        ["addmm instance beta alpha"] = (a => a[0].Addmm(a[1], a[2], beta: 2, alpha: 0.5), () => [R(4), R(2, 3), R(3, 4)]),
        ["addmm instance transposed"] = (a => a[0].Addmm(a[1].T(), a[2]), () => [R(2, 1), R(3, 2), R(3, 4)]),
        // einsum
        ["einsum matmul"] = (a => Tensor.Einsum("ij,jk->ik", a[0], a[1]), () => [R(2, 3), R(3, 4)]),
        ["einsum implicit of transposed"] = (a => Tensor.Einsum("ij,jk", a[0].T(), a[1]), () => [R(3, 2), R(3, 4)]),
        ["einsum trace"] = (a => Tensor.Einsum("ii", a[0]), () => [R(3, 3)]),
        ["einsum diagonal"] = (a => Tensor.Einsum("ii->i", a[0]), () => [R(3, 3)]),
        ["einsum repeated index in 3-d"] = (a => Tensor.Einsum("iji->ji", a[0]), () => [R(2, 3, 2)]),
        ["einsum batched"] = (a => Tensor.Einsum("bij,bjk->bik", a[0], a[1]), () => [R(2, 2, 3), R(2, 3, 2)]),
        ["einsum ellipsis broadcast"] = (a => Tensor.Einsum("...ij,...jk->...ik", a[0], a[1]), () => [R(2, 1, 2, 3), R(3, 3, 2)]),
        ["einsum ellipsis summed"] = (a => Tensor.Einsum("...ij->j", a[0]), () => [R(2, 2, 3)]),
        ["einsum three operands"] = (a => Tensor.Einsum("ij,jk,kl->il", a[0], a[1], a[2]), () => [R(2, 3), R(3, 2), R(2, 2)]),
        ["einsum bilinear"] = (a => Tensor.Einsum("bn,anm,bm->ba", a[0], a[1], a[2]), () => [R(2, 3), R(2, 3, 2), R(2, 2)]),
        ["einsum label broadcast"] = (a => Tensor.Einsum("ij,jk->ik", a[0], a[1]), () => [R(2, 1), R(3, 2)]),
        ["einsum sum one side"] = (a => Tensor.Einsum("ij,k->ik", a[0], a[1]), () => [R(2, 3), R(2)]),
        ["einsum permuted contraction"] = (a => Tensor.Einsum("abc,cbd->da", a[0], a[1]), () => [R(2, 3, 2), R(2, 3, 2)]),
    };
}
