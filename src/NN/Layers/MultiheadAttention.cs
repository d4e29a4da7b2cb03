using Framework.Autograd;

namespace Framework.NN;

/// <summary>
/// Multi-head attention (nn.MultiheadAttention): PyTorch's packed in_proj_weight [3E, E] and in_proj_bias, out_proj (a Linear),
/// initialised in PyTorch's order; (L, N, E) inputs, or (N, L, E) with batchFirst. Bool masks: true = may NOT attend.
/// </summary>
public class MultiheadAttention : Module
{
    private Parameter _in_proj_weight;
    private Parameter? _in_proj_bias;
    private readonly Linear out_proj;
    private readonly Generator? generator;

    /// <summary>Attention over embedDim features split into numHeads heads; dropout on the attention weights in training, drawn from <paramref name="generator"/> (the global one when null).</summary>
    public MultiheadAttention(int embedDim, int numHeads, double dropout = 0, bool bias = true, bool batchFirst = false, Generator? generator = null)
    {
        if (embedDim <= 0 || numHeads <= 0) throw new ArgumentException($"embed_dim and num_heads must be positive (got {embedDim} and {numHeads})");
        if (embedDim % numHeads != 0) throw new ArgumentException("embed_dim must be divisible by num_heads");
        EmbedDim = embedDim; NumHeads = numHeads; Dropout = dropout; BatchFirst = batchFirst;
        this.generator = generator;
        _in_proj_weight = new Parameter(Tensor.Empty([3 * embedDim, embedDim]));
        _in_proj_bias = bias ? new Parameter(Tensor.Empty([3 * embedDim])) : null;
        // As PyTorch: out_proj draws Linear's own init first, then in_proj_weight gets Xavier-uniform and both biases zeros.
        out_proj = new Linear(embedDim, embedDim, bias);
        Init.XavierUniform_(_in_proj_weight);
        if (_in_proj_bias is not null)
        {
            Init.Zeros_(_in_proj_bias);
            Init.Zeros_(out_proj.Bias!);
        }
    }

    /// <summary>Features of the queries, keys and values.</summary>
    public int EmbedDim { get; }
    /// <summary>Number of heads.</summary>
    public int NumHeads { get; }
    /// <summary>Dropout probability on the attention weights in training.</summary>
    public double Dropout { get; }
    /// <summary>Inputs and outputs are (N, L, E).</summary>
    public bool BatchFirst { get; }
    /// <summary>The packed query, key and value projections [3E, E] (key "in_proj_weight").</summary>
    public Parameter InProjWeight => _in_proj_weight;
    /// <summary>Their biases [3E] (key "in_proj_bias"), null without bias.</summary>
    public Parameter? InProjBias => _in_proj_bias;
    /// <summary>The output projection (keys "out_proj.weight", "out_proj.bias").</summary>
    public Linear OutProj => out_proj;

    /// <summary>Self-attention on x: the output only.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, input, input, needWeights: false).Output;

    /// <summary>
    /// The attention output and, when needWeights, the weights (N, L, S), averaged over heads unless averageAttnWeights is false
    /// (then (N, heads, L, S)). isCausal is PyTorch's hint: it requires attnMask (e.g. Transformer.GenerateSquareSubsequentMask(L)).
    /// </summary>
    public (Tensor Output, Tensor? Weights) Forward(Tensor query, Tensor key, Tensor value, Tensor? keyPaddingMask = null, bool needWeights = true,
                                                   Tensor? attnMask = null, bool averageAttnWeights = true, bool isCausal = false)
    {
        ArgumentNullException.ThrowIfNull(query); ArgumentNullException.ThrowIfNull(key); ArgumentNullException.ThrowIfNull(value);
        if (isCausal && attnMask is null)
            throw new ArgumentException("Need attn_mask if specifying the is_causal hint. You may use the Transformer module method `generate_square_subsequent_mask` to create this mask.");
        bool transpose = BatchFirst && query.Dim == 3;
        if (transpose)
        {
            bool self = ReferenceEquals(query, key) && ReferenceEquals(key, value);
            query = query.Transpose(0, 1);
            if (self) key = value = query;
            else { key = key.Transpose(0, 1); value = ReferenceEquals(value, key) ? key : value.Transpose(0, 1); }
        }
        var (o, w) = Functional.MultiHeadAttentionForward(query, key, value, NumHeads, InProjWeight, InProjBias, out_proj.Weight, out_proj.Bias,
            Dropout, Training, keyPaddingMask, needWeights, attnMask, averageAttnWeights, generator);
        return (transpose ? o.Transpose(0, 1) : o, w);
    }
}
