using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>The gradcheck cases of the elementwise families (rounding, trigonometric, Minimum/Maximum, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> ElementwiseCases() => new()
    {
    };
}
