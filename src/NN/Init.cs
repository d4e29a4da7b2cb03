using Framework.Autograd;

namespace Framework.NN;

/// <summary>In-place initialisers (torch.nn.init); each runs without recording a graph and returns the tensor.</summary>
public static class Init
{
    /// <summary>(fan_in, fan_out) of a weight: dims 1 and 0 times the receptive field size.</summary>
    public static (int FanIn, int FanOut) CalculateFanInAndFanOut(Tensor tensor)
    {
        if (tensor.Dim < 2) throw new ArgumentException("Fan in and fan out can not be computed for tensor with fewer than 2 dimensions");
        int receptive = 1;
        for (int i = 2; i < tensor.Dim; i++) receptive *= tensor.Shape[i];
        return (tensor.Shape[1] * receptive, tensor.Shape[0] * receptive);
    }

    /// <summary>The recommended gain of a nonlinearity: linear/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2/(1+a²)).</summary>
    public static double CalculateGain(string nonlinearity, double? param = null) => nonlinearity switch
    {
        "linear" or "conv1d" or "conv2d" or "conv3d" or "sigmoid" => 1,
        "tanh" => 5.0 / 3,
        "relu" => Math.Sqrt(2.0),
        "leaky_relu" => Math.Sqrt(2.0 / (1 + Math.Pow(param ?? 0.01, 2))),
        "selu" => 3.0 / 4,
        _ => throw new ArgumentException($"Unsupported nonlinearity {nonlinearity}"),
    };

    /// <summary>U(−bound, bound) with bound = gain·√(3 / fan), fan_in by default (He et al.); a tensor with no elements is left as it is.</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (tensor.Numel == 0) return tensor;
        double bound = CalculateGain(nonlinearity, a) * Math.Sqrt(3.0 / CorrectFan(tensor, mode));
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>N(0, std²) with std = gain / √fan, fan_in by default (He et al.); a tensor with no elements is left as it is.</summary>
    public static Tensor KaimingNormal_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        if (tensor.Numel == 0) return tensor;
        double std = CalculateGain(nonlinearity, a) / Math.Sqrt(CorrectFan(tensor, mode));
        return Normal_(tensor, 0, std, generator);
    }

    /// <summary>fan_in or fan_out of a weight, the mode compared case-insensitively as in PyTorch.</summary>
    private static int CorrectFan(Tensor tensor, string mode)
    {
        ArgumentNullException.ThrowIfNull(mode);
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return mode.ToLowerInvariant() switch
        {
            "fan_in" => fanIn,
            "fan_out" => fanOut,
            _ => throw new ArgumentException($"Mode {mode} not supported, please use one of ['fan_in', 'fan_out']"),
        };
    }

    /// <summary>U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot and Bengio).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform_(tensor, -a, a, generator);
    }

    /// <summary>N(0, std²) with std = gain·√(2 / (fan_in + fan_out)) (Glorot and Bengio).</summary>
    public static Tensor XavierNormal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        return Normal_(tensor, 0, gain * Math.Sqrt(2.0 / (fanIn + fanOut)), generator);
    }

    /// <summary>N(mean, std²) truncated to [a, b]: uniform on [2Φ(α) − 1, 2Φ(β) − 1], then mean + std·√2·erfinv(u), clamped to [a, b] (PyTorch's draws).</summary>
    /// <remarks>Like PyTorch, the method is meant for a mean within about 2 std of [a, b]; PyTorch also warns outside that range, this does not.</remarks>
    public static Tensor TruncNormal_(Tensor tensor, double mean = 0, double std = 1, double a = -2, double b = 2, Generator? generator = null)
    {
        static double NormCdf(double x) => (1 + InitMath.Erf(x / Math.Sqrt(2))) / 2;
        double l = NormCdf((a - mean) / std), u = NormCdf((b - mean) / std);
        using var _ = new NoGrad();
        tensor.Uniform_(2 * l - 1, 2 * u - 1, generator);
        // erfinv in double on each drawn value, rounded back to the tensor's dtype, where PyTorch computes it in that dtype.
        var values = tensor.ToArray<double>();
        for (int i = 0; i < values.Length; i++) values[i] = InitMath.Erfinv(values[i]);
        tensor.CopyFrom(Tensor.From(values).Reshape(tensor.Shape));
        tensor.Mul_(std * Math.Sqrt(2));
        tensor.Add_(mean);
        return tensor.CopyFrom(tensor.Clamp(a, b));
    }

    /// <summary>A (semi-)orthogonal matrix times gain, over the tensor flattened to (rows, numel / rows): Q of the QR of a normal matrix, columns signed by diag(R) (Saxe et al.).</summary>
    public static Tensor Orthogonal_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        if (tensor.Dim < 2) throw new ArgumentException("Only tensors with 2 or more dimensions are supported");
        if (tensor.Numel == 0) return tensor;
        int rows = tensor.Shape[0], cols = (int)(tensor.Numel / rows);
        using var _ = new NoGrad();
        // PyTorch's draws: normal_ on a (rows, cols) tensor of the same dtype, transposed when rows < cols.
        var flat = Tensor.Zeros([rows, cols], tensor.DType).Normal_(0, 1, generator).ToArray<double>();
        bool wide = rows < cols;
        var m = wide
            ? MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(cols, rows, (i, j) => flat[j * cols + i])
            : MathNet.Numerics.LinearAlgebra.Matrix<double>.Build.Dense(rows, cols, (i, j) => flat[i * cols + j]);
        var qr = m.QR(MathNet.Numerics.LinearAlgebra.Factorization.QRMethod.Thin);
        var q = qr.Q;
        for (int j = 0; j < q.ColumnCount; j++)
        {
            double sign = Math.Sign(qr.R[j, j]);
            for (int i = 0; i < q.RowCount; i++) q[i, j] *= sign;
        }
        var result = new double[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) result[i * cols + j] = wide ? q[j, i] : q[i, j];
        tensor.CopyFrom(Tensor.From(result).Reshape(tensor.Shape));
        return tensor.Mul_(gain);
    }

    /// <summary>Values from N(mean, std²).</summary>
    public static Tensor Normal_(Tensor tensor, double mean = 0, double std = 1, Generator? generator = null)
    {
        using var _ = new NoGrad();
        return tensor.Normal_(mean, std, generator);
    }

    /// <summary>Values from U(a, b).</summary>
    public static Tensor Uniform_(Tensor tensor, double a = 0, double b = 1, Generator? generator = null)
    {
        using var _ = new NoGrad();
        return tensor.Uniform_(a, b, generator);
    }

    /// <summary>Every element set to <paramref name="value"/>.</summary>
    public static Tensor Constant_(Tensor tensor, double value)
    {
        using var _ = new NoGrad();
        return tensor.Fill_(value);
    }

    /// <summary>Zeros.</summary>
    public static Tensor Zeros_(Tensor tensor)
    {
        using var _ = new NoGrad();
        return tensor.Zero_();
    }

    /// <summary>Ones.</summary>
    public static Tensor Ones_(Tensor tensor)
    {
        using var _ = new NoGrad();
        return tensor.Fill_(1);
    }
}
