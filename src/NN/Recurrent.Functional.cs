using System.Numerics;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;
using Framework.Autograd;

namespace Framework.NN;

/// <summary>
/// One layer and direction of RNN/LSTM/GRU over all time steps as one graph node (fused for speed, measured in
/// bench/layers/rnn): per step one hidden GEMM (Mm, the library's GEMM entry point) and one gate kernel; the backward walks time
/// backwards with the gate-backward kernel and one GEMM per step for dL/dh, then dW_hh is one GEMM over all steps. The result is
/// packed as [steps (+1 for LSTM's final c), n, h]; <see cref="Direction"/> hands out its views. Under createGraph the backward
/// recomputes the composite cell (<see cref="RNNBase.Cell"/>) and differentiates it, so higher orders stay exact.
/// </summary>
internal static class RecurrentFused
{
    /// <summary>What the backward needs besides the saved tensors.</summary>
    private readonly record struct Geometry(string Mode, int Steps, int N, int H, int Gates, bool Reverse);

    /// <summary>True when the fused path applies: Float32/Float64 operands of one dtype and a non-empty sequence and batch.</summary>
    public static bool Applies(Tensor xp, Tensor h0, Tensor? c0, Tensor wHh, Tensor? bHh)
    {
        var dt = xp.DType;
        return dt is DType.Float32 or DType.Float64 && h0.DType == dt && wHh.DType == dt && (c0 is null || c0.DType == dt)
            && (bHh is null || bHh.DType == dt) && xp.Shape[0] > 0 && xp.Shape[1] > 0;
    }

    /// <summary>Outputs [steps, n, h], final h [n, h] and (LSTM) final c, from xp = x·W_ihᵀ + b_ih [steps, n, gates·h] and the initial state.</summary>
    public static (Tensor Output, Tensor H, Tensor? C) Direction(string mode, Tensor xp, Tensor h0, Tensor? c0, Tensor wHh, Tensor? bHh, bool reverse)
    {
        int steps = xp.Shape[0], n = xp.Shape[1], gates = mode switch { "LSTM" => 4, "GRU" => 3, _ => 1 }, h = xp.Shape[2] / gates;
        var geo = new Geometry(mode, steps, n, h, gates, reverse);
        // The states live in buffers of the node's own (hBuf: h of every step), so an in-place change of the result the caller
        // gets does not reach what the backward reads, as with the composite ops.
        Tensor y, hBuf, gateBuf, cBuf, hnBuf;
        using (new NoGrad())
        {
            hBuf = Tensor.Empty([steps, n, h], xp.DType);
            gateBuf = mode is "LSTM" or "GRU" ? Tensor.Empty([steps, n, gates * h], xp.DType) : hBuf;
            cBuf = mode == "LSTM" ? Tensor.Empty([steps, n, h], xp.DType) : hBuf;
            hnBuf = mode == "GRU" ? Tensor.Empty([steps, n, h], xp.DType) : hBuf;
            var x = xp.Detach().Contiguous();
            var hPrev = h0.Detach().Contiguous();
            var cPrev = c0?.Detach().Contiguous();
            var b = bHh?.Detach().Contiguous();
            var wT = wHh.Detach().T();
            for (int s = 0; s < steps; s++)
            {
                int t = reverse ? steps - 1 - s : s;
                var hp = hPrev.Mm(wT);
                var k = new StepForward(geo, t, x, hp, b, hPrev, cPrev, hBuf, gateBuf, cBuf, hnBuf);
                DTypeDispatch.Floating(x.DType, ref k);
                hPrev = hBuf.Select(0, t);
                if (cPrev is not null) cPrev = cBuf.Select(0, t);
            }
            y = cPrev is null ? hBuf.Clone() : Tensor.Cat([hBuf, cPrev.Unsqueeze(0)]);
        }
        string name = mode switch { "LSTM" => "LSTMLayerBackward", "GRU" => "GRULayerBackward", _ => "RNNLayerBackward" };
        y = Graph.Record(name, y, [xp, h0, c0, wHh, bHh],
            [xp, h0, c0, wHh, bHh, hBuf, mode == "LSTM" || mode == "GRU" ? gateBuf : null, mode == "LSTM" ? cBuf : null, mode == "GRU" ? hnBuf : null],
            geo, static (ctx, g, geo) => GradMode.IsEnabled ? CompositeBackward(ctx, g, geo) : FusedBackward(ctx, g, geo));
        int last = reverse ? 0 : steps - 1;
        return (y.Narrow(0, 0, steps), y.Select(0, last), mode == "LSTM" ? y.Select(0, steps) : null);
    }

    /// <summary>The packed result computed with the composite cell (tensor ops, recorded): the reference the fused path must equal.</summary>
    public static Tensor Composite(string mode, Tensor xp, Tensor h, Tensor? c, Tensor wHh, Tensor? bHh, bool reverse)
    {
        int steps = xp.Shape[0], hidden = h.Shape[^1];
        var wHhT = wHh.T();
        var outs = new Tensor[steps];
        for (int s = 0; s < steps; s++)
        {
            int t = reverse ? steps - 1 - s : s;
            var hp = bHh is null ? h.MatMul(wHhT) : Tensor.Addmm(bHh, h, wHhT);
            (h, c) = RNNBase.Cell(mode, xp.Select(0, t), hp, h, c, hidden);
            outs[t] = h;
        }
        return c is null ? Tensor.Stack(outs) : Tensor.Stack([.. outs, c]);
    }

    /// <summary>createGraph: the gradients of the recomputed composite result, differentiable again.</summary>
    private static Tensor?[] CompositeBackward(BackwardContext ctx, Tensor g, Geometry geo)
    {
        var inputs = new Tensor?[5];
        for (int i = 0; i < 5; i++) inputs[i] = ctx.SavedOrNull(i);
        var y = Composite(geo.Mode, inputs[0]!, inputs[1]!, inputs[2], inputs[3]!, inputs[4], geo.Reverse);
        var wanted = new List<int>();
        for (int i = 0; i < 5; i++) if (inputs[i] is not null && ctx.NeedsInputGrad(i)) wanted.Add(i);
        var grads = Autograd.Autograd.Grad([y], [.. wanted.Select(i => inputs[i]!)], [g], createGraph: true, allowUnused: true);
        var result = new Tensor?[5];
        for (int k = 0; k < wanted.Count; k++) result[wanted[k]] = grads[k];
        return result;
    }

    /// <summary>Backpropagation through time with the fused gate-backward kernel; dW_hh and db_hh in one GEMM and one sum over all steps.</summary>
    private static Tensor?[] FusedBackward(BackwardContext ctx, Tensor g, Geometry geo)
    {
        var (mode, steps, n, h, gates, reverse) = geo;
        var h0 = ctx.Saved(1).Contiguous();
        var c0 = ctx.SavedOrNull(2)?.Contiguous();
        var wHh = ctx.Saved(3);
        var y = ctx.Saved(5);                                           // h of every step
        var gateBuf = ctx.SavedOrNull(6); var cBuf = ctx.SavedOrNull(7); var hnBuf = ctx.SavedOrNull(8);
        var gc = g.Contiguous();
        var dtype = y.DType;
        var dHp = Tensor.Empty([steps, n, gates * h], dtype);
        var dXp = mode == "GRU" ? Tensor.Empty([steps, n, gates * h], dtype) : dHp;
        var dhNext = Tensor.Zeros([n, h], dtype);
        var dhTotal = Tensor.Empty([n, h], dtype);
        var dhDirect = mode == "GRU" ? Tensor.Empty([n, h], dtype) : null;
        Tensor? dc = null;
        if (mode == "LSTM") dc = gc.Select(0, steps).Contiguous().Clone();
        for (int s = steps - 1; s >= 0; s--)
        {
            int t = reverse ? steps - 1 - s : s;
            int prev = reverse ? t + 1 : t - 1;
            bool first = s == 0;
            var k = new StepBackward(geo, t, prev, first, gc, dhNext, dhTotal, dc, h0, c0, y, gateBuf, cBuf, hnBuf, dXp, dHp, dhDirect);
            DTypeDispatch.Floating(dtype, ref k);
            if (first && !ctx.NeedsInputGrad(1)) break;                 // dL/dh0 is the only use of the last product
            var dHpT = dHp.Select(0, t);
            dhNext = dhDirect is null ? dHpT.Mm(wHh) : Tensor.Addmm(dhDirect, dHpT, wHh);
        }
        Tensor? dW = null, db = null;
        if (ctx.NeedsInputGrad(3))
        {
            var hs = y.Narrow(0, 0, steps);
            var hPrevAll = steps == 1 ? h0.Unsqueeze(0)
                : reverse ? Tensor.Cat([hs.Narrow(0, 1, steps - 1), h0.Unsqueeze(0)]) : Tensor.Cat([h0.Unsqueeze(0), hs.Narrow(0, 0, steps - 1)]);
            dW = dHp.Reshape(steps * n, gates * h).T().Mm(hPrevAll.Reshape(steps * n, h));
        }
        if (ctx.NeedsInputGrad(4)) db = dHp.Reshape(steps * n, gates * h).Sum(0);
        return [ctx.NeedsInputGrad(0) ? dXp : null, ctx.NeedsInputGrad(1) ? dhNext : null, ctx.NeedsInputGrad(2) ? dc : null, dW, db];
    }

    /// <summary>Step t of the forward: the gate kernel of the layer's mode on row block t.</summary>
    private readonly struct StepForward(Geometry geo, int t, Tensor x, Tensor hp, Tensor? b, Tensor hPrev, Tensor? cPrev, Tensor y, Tensor gateBuf, Tensor cBuf, Tensor hnBuf)
        : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = geo.N, h = geo.H, gh = geo.Gates * h;
            var xs = x.AsReadOnlySpan<T>().Slice(t * n * gh, n * gh);
            var hps = hp.AsReadOnlySpan<T>();
            var bs = b is null ? default : b.AsReadOnlySpan<T>();
            var hNew = y.AsSpan<T>().Slice(t * n * h, n * h);
            switch (geo.Mode)
            {
                case "LSTM":
                    RecurrentKernels.LstmForward(xs, hps, bs, cPrev!.AsReadOnlySpan<T>(), gateBuf.AsSpan<T>().Slice(t * n * gh, n * gh),
                                                 cBuf.AsSpan<T>().Slice(t * n * h, n * h), hNew, n, h);
                    break;
                case "GRU":
                    RecurrentKernels.GruForward(xs, hps, bs, hPrev.AsReadOnlySpan<T>(), gateBuf.AsSpan<T>().Slice(t * n * gh, n * gh),
                                                hnBuf.AsSpan<T>().Slice(t * n * h, n * h), hNew, n, h);
                    break;
                default:
                    RecurrentKernels.RnnForward(xs, hps, bs, hNew, n, h, geo.Mode == "RNN_RELU");
                    break;
            }
        }
    }

    /// <summary>Step t of the backward: dh = g[t] + dL/dh from step t+1 (in time order of the direction), then the gate-backward kernel.</summary>
    private readonly struct StepBackward(Geometry geo, int t, int prev, bool first, Tensor g, Tensor dhNext, Tensor dhTotal, Tensor? dc, Tensor h0, Tensor? c0,
                                         Tensor y, Tensor? gateBuf, Tensor? cBuf, Tensor? hnBuf, Tensor dXp, Tensor dHp, Tensor? dhDirect) : IFloatingKernel
    {
        public void Invoke<T>() where T : unmanaged, IFloatingPointIeee754<T>
        {
            int n = geo.N, h = geo.H, gh = geo.Gates * h, nh = n * h;
            var dh = dhTotal.AsSpan<T>();
            TensorPrimitives.Add(g.AsReadOnlySpan<T>().Slice(t * nh, nh), dhNext.AsReadOnlySpan<T>(), dh);
            var hPrev = first ? h0.AsReadOnlySpan<T>() : y.AsReadOnlySpan<T>().Slice(prev * nh, nh);
            switch (geo.Mode)
            {
                case "LSTM":
                    var cPrev = first ? c0!.AsReadOnlySpan<T>() : cBuf!.AsReadOnlySpan<T>().Slice(prev * nh, nh);
                    RecurrentKernels.LstmBackward<T>(dh, dc!.AsSpan<T>(), gateBuf!.AsReadOnlySpan<T>().Slice(t * n * gh, n * gh),
                                                     cBuf!.AsReadOnlySpan<T>().Slice(t * nh, nh), cPrev, dHp.AsSpan<T>().Slice(t * n * gh, n * gh), n, h);
                    break;
                case "GRU":
                    RecurrentKernels.GruBackward<T>(dh, gateBuf!.AsReadOnlySpan<T>().Slice(t * n * gh, n * gh), hnBuf!.AsReadOnlySpan<T>().Slice(t * nh, nh), hPrev,
                                                    dXp.AsSpan<T>().Slice(t * n * gh, n * gh), dHp.AsSpan<T>().Slice(t * n * gh, n * gh), dhDirect!.AsSpan<T>(), n, h);
                    break;
                default:
                    RecurrentKernels.RnnBackward<T>(dh, y.AsReadOnlySpan<T>().Slice(t * nh, nh), dHp.AsSpan<T>().Slice(t * nh, nh), geo.Mode == "RNN_RELU");
                    break;
            }
        }
    }
}
