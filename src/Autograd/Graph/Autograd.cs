namespace Framework.Autograd;

/// <summary>Functional autograd: gradients without touching .Grad, Jacobians, Hessians, gradient checks, anomaly detection.</summary>
public static class Autograd
{
    /// <summary>d(outputs)/d(inputs) contracted with gradOutputs (ones for one-element outputs), like torch.autograd.grad.</summary>
    public static Tensor?[] Grad(Tensor[] outputs, Tensor[] inputs, Tensor[]? gradOutputs = null,
                                 bool retainGraph = false, bool createGraph = false, bool allowUnused = false)
    {
        if (gradOutputs is not null && gradOutputs.Length != outputs.Length)
            throw new ArgumentException($"grad requires one gradOutput per output: got {gradOutputs.Length} for {outputs.Length} outputs");
        var roots = new Node[outputs.Length];
        var grads = new Tensor[outputs.Length];
        for (int i = 0; i < outputs.Length; i++)
        {
            roots[i] = Tensor.RootEdge(outputs[i], i);
            grads[i] = Tensor.RootGradient(outputs[i], gradOutputs?[i], i);
        }
        var targets = new Node?[inputs.Length];
        for (int i = 0; i < inputs.Length; i++)
        {
            if (!inputs[i].requiresGrad) throw new InvalidOperationException("One of the differentiated Tensors does not require grad");
            targets[i] = inputs[i].GradEdge;
        }
        var result = Engine.Run(roots, grads, retainGraph || createGraph, createGraph, targets)!;
        for (int i = 0; i < result.Length; i++)
            if (result[i] is null && !allowUnused)
                throw new InvalidOperationException("One of the differentiated Tensors appears to not have been used in the graph. Set allowUnused: true if this is the desired behavior.");
        return result;
    }

    /// <summary>∂f(x)/∂x with shape f(x).Shape ++ x.Shape.</summary>
    public static Tensor Jacobian(Func<Tensor, Tensor> f, Tensor input) => JacobianOf(f(Leaf(input, out var x)), x, createGraph: false);

    /// <summary>∂²f/∂x² of a scalar function, shape x.Shape ++ x.Shape.</summary>
    public static Tensor Hessian(Func<Tensor, Tensor> f, Tensor input)
    {
        var y = f(Leaf(input, out var x));
        if (y.Numel != 1) throw new ArgumentException($"Hessian expects f to return a single-element tensor, got shape {ShapeUtil.Format(y.shape)}");
        var g = Grad([y], [x], createGraph: true, allowUnused: true)[0] ?? Tensor.ZerosLike(x);
        return JacobianOf(g, x, createGraph: false);
    }

    private static Tensor Leaf(Tensor input, out Tensor x)
    {
        x = input.Detach().RequiresGrad_(true);
        return x;
    }

    private static Tensor JacobianOf(Tensor y, Tensor x, bool createGraph)
    {
        int m = (int)y.Numel, n = (int)x.Numel;
        var rows = new Tensor[m];
        var flat = y.Reshape(-1);
        for (int i = 0; i < m; i++)
        {
            Tensor? gi = null;
            if (y.requiresGrad)
            {
                var onehot = Tensor.Zeros([m], y.DType);
                onehot.SetOne(i);
                gi = Grad([flat], [x], [onehot], retainGraph: true, createGraph: createGraph, allowUnused: true)[0];
            }
            rows[i] = (gi ?? Tensor.ZerosLike(x)).Reshape(n);
        }
        var j = m == 0 ? Tensor.Zeros([0, n], x.DType) : Tensor.Stack(rows);
        return j.Reshape([.. y.shape, .. x.shape]);
    }

    /// <summary>Compares analytical gradients with central finite differences (use Float64 inputs); throws with details, or returns false.</summary>
    public static bool GradCheck(Func<Tensor[], Tensor> f, Tensor[] inputs, double eps = 1e-6, double atol = 1e-5,
                                 double rtol = 1e-3, bool raiseException = true)
    {
        var output = f(inputs);
        int m = (int)output.Numel;
        for (int k = 0; k < inputs.Length; k++)
        {
            var x = inputs[k];
            if (!x.requiresGrad) continue;
            int n = (int)x.Numel;
            var numerical = new double[n, m];
            var analytical = new double[n, m];
            // Numerical: perturb each element of x's storage (no version bump) and difference the outputs.
            var data = x.Data;
            for (int j = 0; j < n; j++)
            {
                double orig = GetFlat(data, j);
                SetFlat(data, j, orig + eps);
                double[] plus;
                using (new NoGrad()) plus = f(inputs).ToArray<double>();
                SetFlat(data, j, orig - eps);
                double[] minus;
                using (new NoGrad()) minus = f(inputs).ToArray<double>();
                SetFlat(data, j, orig);
                for (int i = 0; i < m; i++) numerical[j, i] = (plus[i] - minus[i]) / (2 * eps);
            }
            // Analytical: one backward per output element.
            var flat = output.Reshape(-1);
            for (int i = 0; i < m; i++)
            {
                if (!output.requiresGrad) break;
                var onehot = Tensor.Zeros([m], output.DType);
                onehot.SetOne(i);
                var g = Grad([flat], [x], [onehot], retainGraph: true, allowUnused: true)[0];
                if (g is null) continue;
                var gv = g.ToArray<double>();
                for (int j = 0; j < n; j++) analytical[j, i] = gv[j];
            }
            for (int j = 0; j < n; j++)
                for (int i = 0; i < m; i++)
                {
                    double a = analytical[j, i], num = numerical[j, i];
                    if (Math.Abs(a - num) <= atol + rtol * Math.Abs(num)) continue;
                    if (!raiseException) return false;
                    throw new InvalidOperationException(
                        $"Jacobian mismatch for output 0 with respect to input {k} at element ({j}, {i}) (input shape {ShapeUtil.Format(x.shape)}, output shape {ShapeUtil.Format(output.shape)}),\n" +
                        $"numerical:{num:R}\nanalytical:{a:R}\n");
                }
        }
        return true;
    }

    /// <summary>
    /// Checks second derivatives (torch.autograd.gradgradcheck): the gradients of ⟨f(inputs), v⟩, computed with createGraph,
    /// pass GradCheck as a function of the inputs and of v; v is <paramref name="gradOutput"/> or a seeded normal draw.
    /// </summary>
    public static bool GradGradCheck(Func<Tensor[], Tensor> f, Tensor[] inputs, Tensor? gradOutput = null, double eps = 1e-6,
                                     double atol = 1e-5, double rtol = 1e-3, bool raiseException = true)
    {
        ArgumentNullException.ThrowIfNull(f); ArgumentNullException.ThrowIfNull(inputs);
        Tensor y;
        using (new NoGrad()) y = f(inputs);
        var v = (gradOutput ?? Tensor.Randn(y.shape, dtype: y.DType, generator: new Generator(0))).Detach().RequiresGrad_();
        int k = inputs.Length;
        Tensor FirstDerivatives(Tensor[] a) => GradMode.With(true, () =>
        {
            var grads = Grad([f(a[..k])], a[..k], [a[k]], createGraph: true, allowUnused: true);
            return Tensor.Cat([.. grads.Select((g, i) => (g ?? Tensor.ZerosLike(a[i])).Reshape(-1))]);
        });
        return GradCheck(FirstDerivatives, [.. inputs, v], eps, atol, rtol, raiseException);
    }

    private static double GetFlat(Tensor t, int j) => t.Reshape(-1).Select(0, j).Item<double>();

    private static void SetFlat(Tensor t, int j, double v)
    {
        // t is a .Data alias, so writing does not bump the input's version counter.
        int[] index = Unravel(t.shape, j);
        int at = t.offset;
        for (int d = 0; d < index.Length; d++) at += index[d] * t.strides[d];
        Dispatch.Store(t, at, v);
    }

    private static int[] Unravel(int[] shape, int j)
    {
        var idx = new int[shape.Length];
        for (int d = shape.Length - 1; d >= 0; d--) { idx[d] = j % shape[d]; j /= shape[d]; }
        return idx;
    }

    /// <summary>While the scope lasts, a backward that produces NaN or infinity throws, naming the op.</summary>
    public static IDisposable DetectAnomaly() => DetectAnomalyMode.Enter();
}
