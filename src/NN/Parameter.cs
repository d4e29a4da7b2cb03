using Framework.Autograd;

namespace Framework.NN;

/// <summary>A tensor that is a module's learnable weight: it shares <paramref name="data"/>'s storage and requires grad by default.</summary>
public class Parameter(Tensor data, bool requiresGrad = true) : Tensor(data, requiresGrad)
{
    /// <summary>PyTorch's form: "Parameter containing:\ntensor(..., requires_grad=True)".</summary>
    public override string ToString() => "Parameter containing:\n" + base.ToString();
}
