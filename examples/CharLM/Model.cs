using Framework.Autograd;
using Framework.NN;

namespace CharLM;

/// <summary>The character model's sizes: vocabulary, context length, width, heads, blocks and dropout.</summary>
public sealed record CharGptConfig(int VocabSize = 27, int BlockSize = 32, int NEmbd = 64, int NHead = 4, int NLayer = 4, double Dropout = 0.0);

/// <summary>
/// A GPT-style character model: token and position embeddings, NLayer pre-norm causal self-attention blocks
/// (TransformerEncoderLayer with normFirst and GELU), a final LayerNorm and a linear head to the vocabulary.
/// Built in the order of its PyTorch twin, so the same seed gives the same weights.
/// </summary>
public sealed class CharGpt : Module
{
    private readonly Embedding tok_emb, pos_emb;
    private readonly TransformerEncoder blocks;
    private readonly LayerNorm ln_f;
    private readonly Linear head;

    /// <summary>A model of the given configuration, initialised from the global generator.</summary>
    public CharGpt(CharGptConfig config)
    {
        Config = config;
        tok_emb = new Embedding(config.VocabSize, config.NEmbd);
        pos_emb = new Embedding(config.BlockSize, config.NEmbd);
        var layer = new TransformerEncoderLayer(config.NEmbd, config.NHead, 4 * config.NEmbd, config.Dropout, "gelu",
                                                batchFirst: true, normFirst: true);
        blocks = new TransformerEncoder(layer, config.NLayer);
        ln_f = new LayerNorm(config.NEmbd);
        head = new Linear(config.NEmbd, config.VocabSize);
    }

    /// <summary>The configuration the model was built with.</summary>
    public CharGptConfig Config { get; }

    /// <summary>Logits (B, T, VocabSize) of the next character after each position of idx (B, T), Int64, T ≤ BlockSize.</summary>
    public override Tensor Forward(Tensor idx)
    {
        ArgumentNullException.ThrowIfNull(idx);
        if (idx.Dim != 2) throw new ArgumentException($"CharGpt expects token indices of shape (B, T), got {idx.Size()}");
        int t = (int)idx.Shape[1];
        if (t > Config.BlockSize) throw new ArgumentException($"sequence length {t} exceeds the block size {Config.BlockSize}");
        var pos = Tensor.Arange((long)t);
        var x = tok_emb.Call(idx) + pos_emb.Call(pos);
        var mask = Transformer.GenerateSquareSubsequentMask(t);
        x = blocks.Forward(x, mask, null, isCausal: true);
        return head.Call(ln_f.Call(x));
    }

    /// <summary>The mean cross-entropy of the logits of idx (B, T) against the next characters targets (B, T).</summary>
    public Tensor Loss(Tensor idx, Tensor targets)
    {
        var logits = Forward(idx);
        int b = (int)logits.Shape[0], t = (int)logits.Shape[1];
        return Functional.CrossEntropy(logits.Reshape(b * t, Config.VocabSize), targets.Reshape(b * t));
    }
}
