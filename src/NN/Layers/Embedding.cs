using Framework.Autograd;

namespace Framework.NN;

/// <summary>A lookup table: Int64 indices pick rows of a [num, dim] weight initialised from N(0, 1).</summary>
public class Embedding : Module
{
    private Parameter _weight;

    /// <summary>The table, [NumEmbeddings, EmbeddingDim] (key "weight").</summary>
    public Parameter Weight { get => _weight; set => _weight = value; }

    /// <summary>A table of <paramref name="num"/> vectors of size <paramref name="dim"/>; the row at <paramref name="paddingIdx"/> starts at zero and gets no gradient.</summary>
    public Embedding(int num, int dim, long? paddingIdx = null, DType dtype = DType.Float32)
    {
        NumEmbeddings = num;
        EmbeddingDim = dim;
        PaddingIdx = Functional.CheckPaddingIdx(paddingIdx, num);
        _weight = new Parameter(Tensor.Zeros([num, dim], dtype));
        Init.Normal_(Weight);
        if (PaddingIdx is long p)
            using (new NoGrad()) Weight[(int)p].Zero_();
    }

    /// <summary>A table of <paramref name="num"/> vectors of size <paramref name="dim"/> in <paramref name="dtype"/>.</summary>
    public Embedding(int num, int dim, DType dtype) : this(num, dim, null, dtype) { }

    /// <summary>The row that gets no gradient (a padding token), wrapped to [0, num); null when none.</summary>
    public long? PaddingIdx { get; }

    /// <summary>Number of rows.</summary>
    public int NumEmbeddings { get; }
    /// <summary>Size of each row.</summary>
    public int EmbeddingDim { get; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Functional.Embedding(input, Weight, PaddingIdx);
    /// <inheritdoc/>
    protected override string ExtraRepr() => PaddingIdx is null ? $"{NumEmbeddings}, {EmbeddingDim}" : $"{NumEmbeddings}, {EmbeddingDim}, padding_idx={PaddingIdx}";
}
