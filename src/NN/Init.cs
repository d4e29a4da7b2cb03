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

    /// <summary>U(−bound, bound) with bound = gain·√(3 / fan), fan_in by default (He et al.).</summary>
    public static Tensor KaimingUniform_(Tensor tensor, double a = 0, string mode = "fan_in", string nonlinearity = "leaky_relu", Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        int fan = mode == "fan_in" ? fanIn : mode == "fan_out" ? fanOut : throw new ArgumentException($"Mode {mode} not supported, please use one of fan_in, fan_out");
        double bound = CalculateGain(nonlinearity, a) * Math.Sqrt(3.0 / fan);
        return Uniform_(tensor, -bound, bound, generator);
    }

    /// <summary>U(−a, a) with a = gain·√(6 / (fan_in + fan_out)) (Glorot and Bengio).</summary>
    public static Tensor XavierUniform_(Tensor tensor, double gain = 1, Generator? generator = null)
    {
        var (fanIn, fanOut) = CalculateFanInAndFanOut(tensor);
        double a = gain * Math.Sqrt(6.0 / (fanIn + fanOut));
        return Uniform_(tensor, -a, a, generator);
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
