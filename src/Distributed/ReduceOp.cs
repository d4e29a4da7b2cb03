namespace Framework.Distributed;

/// <summary>How AllReduce combines the ranks' tensors elementwise (torch.distributed.ReduceOp).</summary>
public enum ReduceOp
{
    /// <summary>x₀ + x₁ + … over the ranks.</summary>
    Sum,

    /// <summary>(x₀ + x₁ + …) / WorldSize; Int64 divides with truncation toward zero.</summary>
    Avg,

    /// <summary>The largest value over the ranks.</summary>
    Max,

    /// <summary>The smallest value over the ranks.</summary>
    Min,
}
