using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>The gradcheck cases of the the TensorIndex indexer and the index ops (IndexSelect, IndexPut, MaskedFill, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> IndexingCases() => new()
    {
    };
}
