using Framework.Autograd;

namespace Framework.Data;

/// <summary>Lets a batch (a Tensor[]) be taken apart as PyTorch's tuples are: <c>foreach (var (x, y) in loader)</c>.</summary>
public static class BatchDeconstruction
{
    /// <summary>The two tensors of a batch of two (inputs, targets).</summary>
    public static void Deconstruct(this Tensor[] batch, out Tensor first, out Tensor second)
    {
        Check(batch, 2);
        (first, second) = (batch[0], batch[1]);
    }

    /// <summary>The three tensors of a batch of three.</summary>
    public static void Deconstruct(this Tensor[] batch, out Tensor first, out Tensor second, out Tensor third)
    {
        Check(batch, 3);
        (first, second, third) = (batch[0], batch[1], batch[2]);
    }

    private static void Check(Tensor[] batch, int n)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Length != n)
            throw new ArgumentException($"cannot unpack a batch of {batch.Length} tensors into {n} variables", nameof(batch));
    }
}
