using Framework.Autograd;
using Framework.NN;
using Framework.Optim;

namespace Tests.Optim;

/// <summary>Invalid arguments throw ArgumentException with PyTorch's messages.</summary>
public class ValidationTests
{
    private static Parameter[] Ps() => [new Parameter(Tensor.Zeros([2], DType.Float64))];

    private static SGD Sgd() => new(Ps(), lr: 0.1);

    public static TheoryData<string, Action> Cases => new()
    {
        { "Invalid learning rate: -1", () => new SGD(Ps(), lr: -1) },
        { "Invalid momentum value: -0.5", () => new SGD(Ps(), lr: 0.1, momentum: -0.5) },
        { "Invalid weight_decay value: -1", () => new SGD(Ps(), lr: 0.1, weightDecay: -1) },
        { "Nesterov momentum requires a momentum and zero dampening", () => new SGD(Ps(), lr: 0.1, nesterov: true) },
        { "Nesterov momentum requires a momentum and zero dampening", () => new SGD(Ps(), lr: 0.1, momentum: 0.9, dampening: 0.1, nesterov: true) },
        { "Invalid learning rate: -1", () => new Adam(Ps(), lr: -1) },
        { "Invalid epsilon value: -1e-08", () => new Adam(Ps(), eps: -1e-8) },
        { "Invalid beta parameter at index 0: 1", () => new Adam(Ps(), betas: (1.0, 0.999)) },
        { "Invalid beta parameter at index 1: -0.1", () => new Adam(Ps(), betas: (0.9, -0.1)) },
        { "Invalid weight_decay value: -0.01", () => new Adam(Ps(), weightDecay: -0.01) },
        { "Invalid learning rate: -0.001", () => new AdamW(Ps(), lr: -0.001) },
        { "Invalid beta parameter at index 0: -0.5", () => new AdamW(Ps(), betas: (-0.5, 0.9)) },
        { "Invalid weight_decay value: -1", () => new AdamW(Ps(), weightDecay: -1) },
        { "Invalid learning rate: -1", () => new RMSprop(Ps(), lr: -1) },
        { "Invalid epsilon value: -1", () => new RMSprop(Ps(), eps: -1) },
        { "Invalid momentum value: -1", () => new RMSprop(Ps(), momentum: -1) },
        { "Invalid weight_decay value: -1", () => new RMSprop(Ps(), weightDecay: -1) },
        { "Invalid alpha value: -1", () => new RMSprop(Ps(), alpha: -1) },
        { "optimizer got an empty parameter list", () => new SGD(Array.Empty<Parameter>(), lr: 0.1) },
        { "optimizer got an empty parameter list", () => new Adam(Array.Empty<ParamGroup>()) },
        { "can't optimize a non-leaf Tensor", () => new SGD([NonLeaf()], lr: 0.1) },
        { "Starting multiplicative factor expected to be between 0 and 1.", () => new LinearLR(Sgd(), startFactor: 1.5) },
        { "Ending multiplicative factor expected to be between 0 and 1.", () => new LinearLR(Sgd(), endFactor: -0.1) },
        { "Factor should be < 1.0.", () => new ReduceLROnPlateau(Sgd(), factor: 1.0) },
        { "mode avg is unknown!", () => new ReduceLROnPlateau(Sgd(), mode: "avg") },
        { "threshold mode relative is unknown!", () => new ReduceLROnPlateau(Sgd(), thresholdMode: "relative") },
    };

    /// <summary>A parameter that is not a leaf: an in-place op with a grad-requiring operand was recorded on it.</summary>
    private static Parameter NonLeaf()
    {
        var p = new Parameter(Tensor.Zeros([2], DType.Float64), requiresGrad: false);
        p.Add_(Tensor.Zeros([2], DType.Float64, requiresGrad: true));
        return p;
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Throws_WithPyTorchsMessage(string message, Action make)
    {
        var ex = Assert.Throws<ArgumentException>(make);
        Assert.Equal(message, ex.Message);
    }
}
