using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>The gradcheck cases of the special ops.</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> SpecialCases() => new()
    {
    };
}
