using Framework.Autograd;

namespace Framework.NN;

// Scaled dot-product attention (PyTorch 2.x's F.scaled_dot_product_attention) and the multi-head attention forward of
// nn.MultiheadAttention (PyTorch's multi_head_attention_forward: packed in-projection, heads folded into the batch).
public static partial class Functional
{
    /// <summary>
    /// softmax(q·kᵀ/√E + mask)·v over [..., L, E] queries and [..., S, E] keys: a Bool mask marks the pairs that take part
    /// (false: masked out), a float mask is added; isCausal masks out the keys after each query.
    /// </summary>
    public static Tensor ScaledDotProductAttention(Tensor query, Tensor key, Tensor value, Tensor? attnMask = null, double dropoutP = 0,
                                                   bool isCausal = false, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(query); ArgumentNullException.ThrowIfNull(key); ArgumentNullException.ThrowIfNull(value);
        if (query.Dim < 2 || key.Dim < 2 || value.Dim < 2)
            throw new ArgumentException($"scaled_dot_product_attention: expected query, key and value with at least 2 dims, got shapes [{string.Join(", ", query.Shape)}], [{string.Join(", ", key.Shape)}], [{string.Join(", ", value.Shape)}]");
        if (query.Shape[^1] != key.Shape[^1])
            throw new ArgumentException($"scaled_dot_product_attention: query's last dim ({query.Shape[^1]}) must equal key's ({key.Shape[^1]})");
        if (key.Shape[^2] != value.Shape[^2])
            throw new ArgumentException($"scaled_dot_product_attention: key and value must have the same sequence length, got {key.Shape[^2]} and {value.Shape[^2]}");
        if (isCausal && attnMask is not null)
            throw new ArgumentException("_scaled_dot_product_attention: Explicit attn_mask should not be set when is_causal=True");
        int l = query.Shape[^2], s = key.Shape[^2];
        var scores = query.MatMul(key.Transpose(-2, -1)) * (1.0 / Math.Sqrt(query.Shape[^1]));
        if (isCausal) scores = scores.MaskedFill(Tensor.Ones([l, s], DType.Bool).Triu(1), double.NegativeInfinity);
        else if (attnMask is not null)
            scores = attnMask.DType == DType.Bool ? scores.MaskedFill(attnMask.LogicalNot(), double.NegativeInfinity) : scores + attnMask;
        var weights = scores.Softmax(-1);
        if (dropoutP > 0) weights = Dropout(weights, dropoutP, true, generator);
        return weights.MatMul(value);
    }

    /// <summary>
    /// nn.MultiheadAttention's forward on (L, N, E) query and (S, N, E) key and value (unbatched: no N): the output (L, N, E)
    /// and, when needWeights, the attention weights (N, L, S) averaged over heads, or (N, heads, L, S). Bool masks: true = may NOT attend.
    /// </summary>
    public static (Tensor Output, Tensor? Weights) MultiHeadAttentionForward(Tensor query, Tensor key, Tensor value, int numHeads,
        Tensor inProjWeight, Tensor? inProjBias, Tensor outProjWeight, Tensor? outProjBias, double dropoutP = 0, bool training = true,
        Tensor? keyPaddingMask = null, bool needWeights = true, Tensor? attnMask = null, bool averageAttnWeights = true, Generator? generator = null)
    {
        ArgumentNullException.ThrowIfNull(query); ArgumentNullException.ThrowIfNull(key); ArgumentNullException.ThrowIfNull(value);
        bool batched = query.Dim == 3;
        if (query.Dim is not (2 or 3) || key.Dim != query.Dim || value.Dim != query.Dim)
            throw new ArgumentException($"query, key and value must all be 2-D (unbatched) or 3-D (batched), got shapes [{string.Join(", ", query.Shape)}], [{string.Join(", ", key.Shape)}] and [{string.Join(", ", value.Shape)}]");
        if (!batched)
        {
            query = query.Unsqueeze(1); key = key.Unsqueeze(1); value = value.Unsqueeze(1);
            if (keyPaddingMask is not null) keyPaddingMask = keyPaddingMask.Unsqueeze(0);
        }
        int tgt = query.Shape[0], bsz = query.Shape[1], e = query.Shape[2], src = key.Shape[0];
        if (e % numHeads != 0) throw new ArgumentException($"embed_dim {e} not divisible by num_heads {numHeads}");
        if (key.Shape[1] != bsz || value.Shape[1] != bsz || key.Shape[2] != e || value.Shape[2] != e || value.Shape[0] != src)
            throw new ArgumentException($"key of shape [{string.Join(", ", key.Shape)}] and value of shape [{string.Join(", ", value.Shape)}] do not match the query's batch and embedding sizes ({bsz}, {e}) or each other");
        int hd = e / numHeads;

        // The in-projection: one product when query, key and value are the same tensor (self-attention), else three.
        Tensor q, k, v;
        if (ReferenceEquals(query, key) && ReferenceEquals(key, value))
        {
            var qkv = Linear(query, inProjWeight, inProjBias).Chunk(3, -1);
            (q, k, v) = (qkv[0], qkv[1], qkv[2]);
        }
        else
        {
            var ws = inProjWeight.Chunk(3, 0);
            var bs = inProjBias?.Chunk(3, 0);
            (q, k, v) = (Linear(query, ws[0], bs?[0]), Linear(key, ws[1], bs?[1]), Linear(value, ws[2], bs?[2]));
        }

        Tensor? mask = null;      // float, (1 or N·heads, L, S)
        if (attnMask is not null)
        {
            if (attnMask.DType != DType.Bool && !attnMask.DType.IsFloatingPoint())
                throw new ArgumentException($"Only float, byte, and bool types are supported for attn_mask, not {attnMask.DType.TorchName()}");
            if (attnMask.Dim == 2)
            {
                if (!attnMask.Shape.SequenceEqual([tgt, src]))
                    throw new ArgumentException($"The shape of the 2D attn_mask is torch.Size([{string.Join(", ", attnMask.Shape)}]), but should be ({tgt}, {src}).");
                mask = attnMask.Unsqueeze(0);
            }
            else if (attnMask.Dim == 3)
            {
                if (!attnMask.Shape.SequenceEqual([bsz * numHeads, tgt, src]))
                    throw new ArgumentException($"The shape of the 3D attn_mask is torch.Size([{string.Join(", ", attnMask.Shape)}]), but should be ({bsz * numHeads}, {tgt}, {src}).");
                mask = attnMask;
            }
            else throw new ArgumentException($"attn_mask's dimension {attnMask.Dim} is not supported");
        }
        q = q.Contiguous().View(tgt, bsz * numHeads, hd).Transpose(0, 1);
        k = k.Contiguous().View(src, bsz * numHeads, hd).Transpose(0, 1);
        v = v.Contiguous().View(src, bsz * numHeads, hd).Transpose(0, 1);
        if (keyPaddingMask is not null)
        {
            if (!keyPaddingMask.Shape.SequenceEqual([bsz, src]))
                throw new ArgumentException($"expecting key_padding_mask shape of ({bsz}, {src}), but got torch.Size([{string.Join(", ", keyPaddingMask.Shape)}])");
            var kpm = keyPaddingMask.DType == DType.Bool ? keyPaddingMask : keyPaddingMask.Ne(0.0);
            kpm = kpm.View(bsz, 1, 1, src).Expand(-1, numHeads, -1, -1).Reshape(bsz * numHeads, 1, src);
            mask = mask is null ? kpm : mask.DType == DType.Bool ? mask.LogicalOr(kpm) : mask.MaskedFill(kpm, double.NegativeInfinity);
        }
        if (mask is not null && mask.DType == DType.Bool) mask = Tensor.Zeros(mask.Shape, q.DType).MaskedFill(mask, double.NegativeInfinity);
        if (!training) dropoutP = 0;

        var qScaled = q / Math.Sqrt(hd);
        var scores = mask is null ? qScaled.Bmm(k.Transpose(-2, -1)) : mask.Expand(bsz * numHeads, tgt, src).Baddbmm(qScaled, k.Transpose(-2, -1));
        var weights = scores.Softmax(-1);
        if (dropoutP > 0) weights = Dropout(weights, dropoutP, true, generator);
        var output = weights.Bmm(v).Transpose(0, 1).Contiguous().View(tgt * bsz, e);
        output = Linear(output, outProjWeight, outProjBias).View(tgt, bsz, e);
        Tensor? w = null;
        if (needWeights)
        {
            w = weights.View(bsz, numHeads, tgt, src);
            if (averageAttnWeights) w = w.Mean(1);
        }
        if (!batched) return (output.Squeeze(1), w?.Squeeze(0));
        return (output, w);
    }
}
