using Framework.Autograd;

namespace Framework.NN;

/// <summary>A lookup table: Int64 indices pick rows of a [num, dim] weight initialised from N(0, 1).</summary>
public class Embedding : Module
{
    private Parameter _weight;

    /// <summary>The table, [NumEmbeddings, EmbeddingDim] (key "weight").</summary>
    public Parameter Weight { get => _weight; set => _weight = value; }

    /// <summary>A table of <paramref name="num"/> vectors of size <paramref name="dim"/>.</summary>
    public Embedding(int num, int dim, DType dtype = DType.Float32)
    {
        NumEmbeddings = num;
        EmbeddingDim = dim;
        _weight = new Parameter(Tensor.Zeros([num, dim], dtype));
        Init.Normal_(Weight);
    }

    /// <summary>Number of rows.</summary>
    public int NumEmbeddings { get; }
    /// <summary>Size of each row.</summary>
    public int EmbeddingDim { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight);
    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{NumEmbeddings}, {EmbeddingDim}";
}
