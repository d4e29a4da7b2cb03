using FsCheck;
using FsCheck.Fluent;
using Framework.Autograd;
using static Tests.Reliability.PropertyHarness;

namespace Tests.Reliability;

/// <summary>
/// Property tests of backward: over random valid shapes (broadcasting, 0-size dims, permuted and strided leaves) in
/// Float64, every op's gradient matches central finite differences (Autograd.GradCheck).
/// </summary>
public class GradientPropertyTests
{
    public sealed record GradCase(string Op, RefArray A, Layout LA, RefArray B, Layout LB, int Dim, bool KeepDim)
    {
        public override string ToString() => $"{Op}(dim {Dim}, keepDim {KeepDim}): a {A} {LA}, b {B} {LB}";
    }

    private static readonly string[] Binary = ["add", "sub", "mul", "div", "pow", "where", "matmul", "cat", "stack"];
    private static readonly string[] Unary = ["sum", "mean", "var", "max", "softmax", "log_softmax", "reshape", "index", "norm"];

    /// <summary>Distinct values (no ties, so max has one gradient) away from 0 (so div and pow are smooth).</summary>
    private static RefArray Smooth(RefArray a, bool positive) =>
        a with { Data = [.. a.Data.Select((v, i) => (positive ? 0.5 + Math.Abs(v) : v >= 0 ? v + 0.5 : v - 0.5) + 1e-3 * i)] };

    private static Gen<int[]> Small(int min, int max) => Shape(min, max).Where(s => RefArray.Numel(s) <= 36);

    private static Gen<GradCase> Cases { get; } =
        from op in Gen.Elements([.. Binary, .. Unary])
        from outShape in Small(op is "matmul" ? 2 : op is "cat" or "softmax" or "log_softmax" or "index" ? 1 : 0, 3)
        from sa in op is "matmul" or "cat" or "stack" || Unary.Contains(op) ? Gen.Constant(outShape) : BroadcastableTo(outShape)
        from sb in op switch
        {
            "matmul" => Gen.Choose(0, 3).Select(m => new[] { outShape[^1], m }),
            "cat" => Gen.Choose(0, 2).Select(k => (int[])[k, .. outShape[1..]]),
            "stack" => Gen.Constant(outShape),
            _ => BroadcastableTo(outShape),
        }
        from a in Values(sa)
        from b in Values(sb)
        from la in AnyLayout
        from lb in AnyLayout
        from dim in Gen.Choose(0, Math.Max(0, outShape.Length - 1))
        from keep in Gen.Elements(false, true)
        select new GradCase(op, Smooth(a, op == "pow"), la, Smooth(b, false), lb, dim, keep);

    [Fact]
    public void Gradients_match_finite_differences_on_random_shapes()
    {
        ForAll(Cases, 400, c =>
        {
            var a = Leaf(c.A, c.LA);
            var b = Leaf(c.B, c.LB);
            Func<Tensor[], Tensor> f = c.Op switch
            {
                "add" => t => t[0] + t[1],
                "sub" => t => t[0] - t[1],
                "mul" => t => t[0] * t[1],
                "div" => t => t[0] / t[1],
                "pow" => t => t[0].Pow(t[1]),
                "where" => t => Tensor.Where(t[0].Gt(t[1]), t[0], t[1] * 2),
                "matmul" => t => t[0].MatMul(t[1]),
                "cat" => t => Tensor.Cat([t[0], t[1]], 0),
                "stack" => t => Tensor.Stack([t[0], t[1]], c.Dim),
                "sum" => t => t[0].Sum([c.Dim], c.KeepDim),
                "mean" => t => t[0].Mean([c.Dim], c.KeepDim),
                "var" => t => t[0].Var([c.Dim], unbiased: false, keepDim: c.KeepDim),
                "max" => t => c.A.Data.Length == 0 ? t[0].Sum() : t[0].Max(c.Dim, c.KeepDim).Values,
                "softmax" => t => t[0].Softmax(c.Dim),
                "log_softmax" => t => t[0].LogSoftmax(c.Dim),
                "reshape" => t => t[0].Reshape(-1),
                "index" => t => t[0][c.A.Shape[0] - 1],
                _ => t => t[0].Norm(),
            };
            if (c.Op == "max" && c.A.Rank > 0 && c.A.Shape[c.Dim] == 0) return;      // max over an empty dim is refused
            if (c.Op == "index" && c.A.Shape[0] == 0) return;
            var inputs = Binary.Contains(c.Op) ? new[] { a, b } : [a];
            try
            {
                Autograd.GradCheck(f, inputs, eps: 1e-6, atol: 1e-6, rtol: 1e-4);
            }
            catch (Exception e)
            {
                throw new Xunit.Sdk.XunitException($"{c}: {e.GetType().Name}: {e.Message}");
            }
        });
    }

    private static Tensor Leaf(RefArray a, Layout layout)
    {
        var t = RefTensor.Make(a, DType.Float64, layout).Detach();
        t.RequiresGrad = true;
        return t;
    }
}
