using Framework.Autograd;

namespace Framework.NN;

/// <summary>
/// A Transformer encoder layer (nn.TransformerEncoderLayer): self-attention and a feed-forward block, each with dropout and
/// a residual connection, LayerNorm after each (post-norm) or before (normFirst); PyTorch's submodule names and init order.
/// </summary>
public class TransformerEncoderLayer : TransformerLayer
{
    private readonly MultiheadAttention self_attn;
    private readonly Linear linear1;
    private readonly Dropout dropout;
    private readonly Linear linear2;
    private readonly LayerNorm norm1, norm2;
    private readonly Dropout dropout1, dropout2;

    /// <summary>A layer of width dModel with nHead heads and a dimFeedforward-wide feed-forward block ("relu" or "gelu").</summary>
    public TransformerEncoderLayer(int dModel, int nHead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
                                   double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false)
        : base(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst)
    {
        self_attn = new MultiheadAttention(dModel, nHead, dropout, batchFirst: batchFirst);
        linear1 = new Linear(dModel, dimFeedforward);
        this.dropout = new Dropout(dropout);
        linear2 = new Linear(dimFeedforward, dModel);
        norm1 = new LayerNorm(dModel, layerNormEps);
        norm2 = new LayerNorm(dModel, layerNormEps);
        dropout1 = new Dropout(dropout);
        dropout2 = new Dropout(dropout);
    }

    /// <summary>The self-attention block.</summary>
    public MultiheadAttention SelfAttn => self_attn;

    /// <summary>A copy with its own parameters holding the same values (copy.deepcopy): the global generator's stream is left as it was.</summary>
    public TransformerEncoderLayer Clone() => Transformer.CloneWithoutDraws(this,
        () => new TransformerEncoderLayer(DModel, NHead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst));

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>The layer on src with an optional attention mask and key padding mask (true = may NOT attend).</summary>
    public Tensor Forward(Tensor src, Tensor? srcMask, Tensor? srcKeyPaddingMask, bool isCausal = false)
    {
        var x = src;
        if (NormFirst)
        {
            x = x + SelfAttention(norm1.Call(x), srcMask, srcKeyPaddingMask, isCausal);
            x = x + FeedForward(norm2.Call(x));
        }
        else
        {
            x = norm1.Call(x + SelfAttention(x, srcMask, srcKeyPaddingMask, isCausal));
            x = norm2.Call(x + FeedForward(x));
        }
        return x;
    }

    private Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? padding, bool isCausal)
        => dropout1.Call(self_attn.Forward(x, x, x, padding, needWeights: false, attnMask: mask, isCausal: isCausal).Output);

    private Tensor FeedForward(Tensor x) => dropout2.Call(linear2.Call(dropout.Call(ApplyActivation(linear1.Call(x)))));
}

/// <summary>
/// A Transformer decoder layer (nn.TransformerDecoderLayer): masked self-attention, attention over the encoder's memory and a
/// feed-forward block, each with dropout, residual and LayerNorm (after, or before with normFirst).
/// </summary>
public class TransformerDecoderLayer : TransformerLayer
{
    private readonly MultiheadAttention self_attn, multihead_attn;
    private readonly Linear linear1;
    private readonly Dropout dropout;
    private readonly Linear linear2;
    private readonly LayerNorm norm1, norm2, norm3;
    private readonly Dropout dropout1, dropout2, dropout3;

    /// <summary>A layer of width dModel with nHead heads and a dimFeedforward-wide feed-forward block ("relu" or "gelu").</summary>
    public TransformerDecoderLayer(int dModel, int nHead, int dimFeedforward = 2048, double dropout = 0.1, string activation = "relu",
                                   double layerNormEps = 1e-5, bool batchFirst = false, bool normFirst = false)
        : base(dModel, nHead, dimFeedforward, dropout, activation, layerNormEps, batchFirst, normFirst)
    {
        self_attn = new MultiheadAttention(dModel, nHead, dropout, batchFirst: batchFirst);
        multihead_attn = new MultiheadAttention(dModel, nHead, dropout, batchFirst: batchFirst);
        linear1 = new Linear(dModel, dimFeedforward);
        this.dropout = new Dropout(dropout);
        linear2 = new Linear(dimFeedforward, dModel);
        norm1 = new LayerNorm(dModel, layerNormEps);
        norm2 = new LayerNorm(dModel, layerNormEps);
        norm3 = new LayerNorm(dModel, layerNormEps);
        dropout1 = new Dropout(dropout);
        dropout2 = new Dropout(dropout);
        dropout3 = new Dropout(dropout);
    }


    /// <summary>A copy with its own parameters holding the same values (copy.deepcopy): the global generator's stream is left as it was.</summary>
    public TransformerDecoderLayer Clone() => Transformer.CloneWithoutDraws(this,
        () => new TransformerDecoderLayer(DModel, NHead, DimFeedforward, DropoutP, Activation, LayerNormEps, BatchFirst, NormFirst));

    /// <summary>A decoder layer needs the encoder's memory: call Forward(tgt, memory, ...).</summary>
    public override Tensor Forward(Tensor input)
        => throw new NotSupportedException("TransformerDecoderLayer.Forward needs the encoder's memory: call Forward(tgt, memory, ...)");

    /// <summary>The layer on tgt attending to memory, with optional masks (Bool: true = may NOT attend).</summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
                          Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false)
    {
        ArgumentNullException.ThrowIfNull(memory);
        var x = tgt;
        if (NormFirst)
        {
            x = x + SelfAttention(norm1.Call(x), tgtMask, tgtKeyPaddingMask, tgtIsCausal);
            x = x + CrossAttention(norm2.Call(x), memory, memoryMask, memoryKeyPaddingMask);
            x = x + FeedForward(norm3.Call(x));
        }
        else
        {
            x = norm1.Call(x + SelfAttention(x, tgtMask, tgtKeyPaddingMask, tgtIsCausal));
            x = norm2.Call(x + CrossAttention(x, memory, memoryMask, memoryKeyPaddingMask));
            x = norm3.Call(x + FeedForward(x));
        }
        return x;
    }

    private Tensor SelfAttention(Tensor x, Tensor? mask, Tensor? padding, bool isCausal)
        => dropout1.Call(self_attn.Forward(x, x, x, padding, needWeights: false, attnMask: mask, isCausal: isCausal).Output);

    private Tensor CrossAttention(Tensor x, Tensor memory, Tensor? mask, Tensor? padding)
        => dropout2.Call(multihead_attn.Forward(x, memory, memory, padding, needWeights: false, attnMask: mask).Output);

    private Tensor FeedForward(Tensor x) => dropout3.Call(linear2.Call(dropout.Call(ApplyActivation(linear1.Call(x)))));
}

/// <summary>The options shared by the Transformer encoder and decoder layers.</summary>
public abstract class TransformerLayer : Module
{
    private readonly Func<Tensor, Tensor> activation;

    private protected TransformerLayer(int dModel, int nHead, int dimFeedforward, double dropout, string activation, double layerNormEps,
                                       bool batchFirst, bool normFirst)
    {
        DModel = dModel; NHead = nHead; DimFeedforward = dimFeedforward; DropoutP = dropout; Activation = activation;
        LayerNormEps = layerNormEps; BatchFirst = batchFirst; NormFirst = normFirst;
        this.activation = Transformer.ActivationOf(activation);
    }

    /// <summary>Width of the model.</summary>
    public int DModel { get; }
    /// <summary>Attention heads.</summary>
    public int NHead { get; }
    /// <summary>Width of the feed-forward block.</summary>
    public int DimFeedforward { get; }
    /// <summary>Dropout probability.</summary>
    public double DropoutP { get; }
    /// <summary>"relu" or "gelu".</summary>
    public string Activation { get; }
    /// <summary>LayerNorm's eps.</summary>
    public double LayerNormEps { get; }
    /// <summary>Inputs are (N, L, E).</summary>
    public bool BatchFirst { get; }
    /// <summary>LayerNorm before each block (pre-norm) instead of after the residual sum.</summary>
    public bool NormFirst { get; }

    /// <summary>The feed-forward block's activation.</summary>
    private protected Tensor ApplyActivation(Tensor x) => activation(x);
}

/// <summary>A stack of numLayers copies of an encoder layer (nn.TransformerEncoder; keys layers.0...., norm....), then an optional norm.</summary>
public class TransformerEncoder : Module
{
    private readonly ModuleList layers;
    private readonly LayerNorm? norm;

    /// <summary>numLayers deep copies of <paramref name="encoderLayer"/> (as copy.deepcopy: no random draws), then <paramref name="norm"/> when given.</summary>
    public TransformerEncoder(TransformerEncoderLayer encoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(encoderLayer);
        if (numLayers <= 0) throw new ArgumentException($"num_layers must be positive (got {numLayers})");
        layers = [];
        for (int i = 0; i < numLayers; i++) layers.Append(encoderLayer.Clone());
        this.norm = norm;
        NumLayers = numLayers;
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers { get; }
    /// <summary>The layers (keys layers.0, layers.1, ...).</summary>
    public ModuleList Layers => layers;

    /// <inheritdoc/>
    public override Tensor Forward(Tensor input) => Forward(input, null, null);

    /// <summary>The layers in turn on src with the same masks, then the norm.</summary>
    public Tensor Forward(Tensor src, Tensor? mask, Tensor? srcKeyPaddingMask, bool isCausal = false)
    {
        var output = src;
        foreach (var layer in layers) output = ((TransformerEncoderLayer)layer).Forward(output, mask, srcKeyPaddingMask, isCausal);
        return norm is null ? output : norm.Call(output);
    }
}

/// <summary>A stack of numLayers copies of a decoder layer (nn.TransformerDecoder), then an optional norm.</summary>
public class TransformerDecoder : Module
{
    private readonly ModuleList layers;
    private readonly LayerNorm? norm;

    /// <summary>numLayers deep copies of <paramref name="decoderLayer"/> (no random draws), then <paramref name="norm"/> when given.</summary>
    public TransformerDecoder(TransformerDecoderLayer decoderLayer, int numLayers, LayerNorm? norm = null)
    {
        ArgumentNullException.ThrowIfNull(decoderLayer);
        if (numLayers <= 0) throw new ArgumentException($"num_layers must be positive (got {numLayers})");
        layers = [];
        for (int i = 0; i < numLayers; i++) layers.Append(decoderLayer.Clone());
        this.norm = norm;
        NumLayers = numLayers;
    }

    /// <summary>Number of layers.</summary>
    public int NumLayers { get; }
    /// <summary>The layers (keys layers.0, layers.1, ...).</summary>
    public ModuleList Layers => layers;

    /// <summary>A decoder needs the encoder's memory: call Forward(tgt, memory, ...).</summary>
    public override Tensor Forward(Tensor input)
        => throw new NotSupportedException("TransformerDecoder.Forward needs the encoder's memory: call Forward(tgt, memory, ...)");

    /// <summary>The layers in turn on tgt attending to memory, then the norm.</summary>
    public Tensor Forward(Tensor tgt, Tensor memory, Tensor? tgtMask = null, Tensor? memoryMask = null, Tensor? tgtKeyPaddingMask = null,
                          Tensor? memoryKeyPaddingMask = null, bool tgtIsCausal = false)
    {
        var output = tgt;
        foreach (var layer in layers)
            output = ((TransformerDecoderLayer)layer).Forward(output, memory, tgtMask, memoryMask, tgtKeyPaddingMask, memoryKeyPaddingMask, tgtIsCausal);
        return norm is null ? output : norm.Call(output);
    }
}

/// <summary>Helpers of the Transformer layers (nn.Transformer's static methods).</summary>
public static class Transformer
{
    /// <summary>The (sz, sz) float mask with −inf above the diagonal and 0 elsewhere (nn.Transformer.generate_square_subsequent_mask).</summary>
    public static Tensor GenerateSquareSubsequentMask(int sz, DType dtype = DType.Float32)
        => Tensor.Full([sz, sz], double.NegativeInfinity, dtype).Triu(1);

    internal static Func<Tensor, Tensor> ActivationOf(string activation) => activation switch
    {
        "relu" => x => x.Relu(),
        "gelu" => x => Functional.Gelu(x),
        _ => throw new ArgumentException($"activation should be relu/gelu, not {activation}"),
    };

    /// <summary>A new module from <paramref name="make"/> holding <paramref name="source"/>'s values, the global generator restored afterwards.</summary>
    internal static T CloneWithoutDraws<T>(T source, Func<T> make) where T : Module
    {
        var state = Generator.Default.GetState();
        T copy;
        try { copy = make(); }
        finally { Generator.Default.SetState(state); }
        copy.LoadStateDict(source.StateDict());
        copy.Train(source.Training);
        return copy;
    }
}
