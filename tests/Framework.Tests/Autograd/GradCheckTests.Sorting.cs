using Framework.Autograd;

namespace Tests.AutogradTests;

public partial class GradCheckTests
{
    /// <summary>The gradcheck cases of the cumulative, sorting and reduction ops (Cumsum, Sort, Topk, Prod, LogSumExp, Std, ...).</summary>
    private static Dictionary<string, (Func<Tensor[], Tensor> F, Func<Tensor[]> Inputs)> SortingCases() => new()
    {
    };
}
