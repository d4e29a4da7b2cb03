using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>The gradcheck cases of the shape ops (Chunk, Split, Repeat, Flip, Roll, Tril, Narrow, Einsum, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> ShapeOpCases() => new()
    {
    };
}
