using Framework.Autograd;

namespace Framework.NN;

/// <summary>
/// The multi-layer recurrent networks (nn.RNN, nn.LSTM, nn.GRU): PyTorch's parameter names (weight_ih_l0, ..., _reverse),
/// gate order (LSTM i, f, g, o; GRU r, z, n), initialisation U(−1/√hidden, 1/√hidden) drawn in PyTorch's order, layouts
/// (seq, batch, feature) or batch first, unbatched input, dropout between layers in training, and bidirectional layers.
/// The input projections of all time steps are one matrix product per layer and direction, and the recurrence over all steps
/// is one fused graph node (RecurrentFused: a hidden GEMM and a gate kernel per step, forward and backward).
/// </summary>
public abstract class RNNBase : Module
{
    private readonly List<(string Name, Parameter Param)> flat = [];
    private readonly int gates;
    private readonly Generator? generator;

    private protected RNNBase(string mode, int inputSize, int hiddenSize, int numLayers, bool bias, bool batchFirst, double dropout,
                              bool bidirectional, Generator? generator)
    {
        if (inputSize <= 0 || hiddenSize <= 0) throw new ArgumentException($"{mode}: input_size and hidden_size must be positive (got {inputSize} and {hiddenSize})");
        if (numLayers <= 0) throw new ArgumentException($"num_layers must be greater than or equal to 1 (got {numLayers})");
        if (dropout < 0 || dropout > 1) throw new ArgumentException($"dropout should be a number in range [0, 1] representing the probability of an element being zeroed (got {dropout})");
        Mode = mode;
        InputSize = inputSize; HiddenSize = hiddenSize; NumLayers = numLayers;
        Bias = bias; BatchFirst = batchFirst; Dropout = dropout; Bidirectional = bidirectional;
        this.generator = generator;
        gates = mode switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        int directions = bidirectional ? 2 : 1;
        for (int layer = 0; layer < numLayers; layer++)
            for (int d = 0; d < directions; d++)
            {
                string suffix = $"_l{layer}{(d == 1 ? "_reverse" : "")}";
                int layerInput = layer == 0 ? inputSize : hiddenSize * directions;
                flat.Add(($"weight_ih{suffix}", new Parameter(Tensor.Empty([gates * hiddenSize, layerInput]))));
                flat.Add(($"weight_hh{suffix}", new Parameter(Tensor.Empty([gates * hiddenSize, hiddenSize]))));
                if (bias)
                {
                    flat.Add(($"bias_ih{suffix}", new Parameter(Tensor.Empty([gates * hiddenSize]))));
                    flat.Add(($"bias_hh{suffix}", new Parameter(Tensor.Empty([gates * hiddenSize]))));
                }
            }
        ResetParameters();
    }

    /// <summary>"RNN_TANH", "RNN_RELU", "LSTM" or "GRU".</summary>
    public string Mode { get; }
    /// <summary>Features of the input.</summary>
    public int InputSize { get; }
    /// <summary>Features of the hidden state.</summary>
    public int HiddenSize { get; }
    /// <summary>Stacked layers.</summary>
    public int NumLayers { get; }
    /// <summary>Whether the layers have bias_ih and bias_hh.</summary>
    public bool Bias { get; }
    /// <summary>Input and output are (batch, seq, feature) instead of (seq, batch, feature).</summary>
    public bool BatchFirst { get; }
    /// <summary>Dropout probability on the outputs of every layer but the last, in training.</summary>
    public double Dropout { get; }
    /// <summary>Whether each layer also runs backwards over the sequence.</summary>
    public bool Bidirectional { get; }

    /// <summary>The parameters of each layer and direction: [weight_ih, weight_hh, bias_ih, bias_hh] (PyTorch's all_weights).</summary>
    public IReadOnlyList<Parameter[]> AllWeights => [.. flat.Chunk(Bias ? 4 : 2).Select(c => c.Select(p => p.Param).ToArray())];

    /// <summary>Draws every parameter from U(−1/√hidden, 1/√hidden), in PyTorch's order.</summary>
    public void ResetParameters()
    {
        double stdv = 1.0 / Math.Sqrt(HiddenSize);
        foreach (var (_, p) in flat) Init.Uniform_(p, -stdv, stdv, generator);
    }

    internal override IEnumerable<(string Name, object Member)> OwnMembers()
    {
        foreach (var (name, p) in flat) yield return (name, p);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr()
    {
        var s = $"{InputSize}, {HiddenSize}";
        if (NumLayers != 1) s += $", num_layers={NumLayers}";
        if (!Bias) s += ", bias=False";
        if (BatchFirst) s += ", batch_first=True";
        if (Dropout != 0) s += $", dropout={Dropout}";
        if (Bidirectional) s += ", bidirectional=True";
        return s;
    }

    /// <summary>The whole network: outputs of the last layer and the final state(s) of every layer and direction, [layers·directions, N, H].</summary>
    private protected (Tensor Output, Tensor H, Tensor? C) Run(Tensor input, Tensor? h0, Tensor? c0)
    {
        ArgumentNullException.ThrowIfNull(input);
        string name = Mode.StartsWith("RNN") ? "RNN" : Mode;
        if (input.Dim is not (2 or 3))
            throw new ArgumentException($"{name}: Expected input to be 2-D or 3-D but received {input.Dim}-D tensor (shape [{string.Join(", ", input.Shape)}])");
        bool batched = input.Dim == 3;
        var x = batched ? (BatchFirst ? input.Transpose(0, 1) : input) : input.Unsqueeze(1);     // [L, N, In]
        if (x.Shape[2] != InputSize)
            throw new ArgumentException($"input.size(-1) must be equal to input_size. Expected {InputSize}, got {x.Shape[2]}");
        int directions = Bidirectional ? 2 : 1, n = x.Shape[1];
        int[] stateShape = batched ? [NumLayers * directions, n, HiddenSize] : [NumLayers * directions, HiddenSize];
        Tensor State(Tensor? s, string what)
        {
            if (s is null) return Tensor.Zeros([NumLayers * directions, n, HiddenSize], x.DType);
            if (!s.Shape.SequenceEqual(stateShape))
                throw new ArgumentException($"Expected {what} size ({string.Join(", ", stateShape)}), got [{string.Join(", ", s.Shape)}]");
            return batched ? s : s.Unsqueeze(1);
        }
        var h = State(h0, "hidden");
        var c = gates == 4 ? State(c0, "hidden") : null;
        var hs = new List<Tensor>(); var cs = new List<Tensor>();
        var layerInput = x;
        for (int layer = 0; layer < NumLayers; layer++)
        {
            if (layer > 0 && Dropout > 0 && Training) layerInput = Functional.Dropout(layerInput, Dropout, true, generator);
            var outs = new Tensor[directions];
            for (int d = 0; d < directions; d++)
            {
                int k = layer * directions + d, at = k * (Bias ? 4 : 2);
                var w = (Ih: flat[at].Param, Hh: flat[at + 1].Param, BIh: Bias ? flat[at + 2].Param : null, BHh: Bias ? flat[at + 3].Param : null);
                var (o, hn, cn) = Direction(layerInput, h.Select(0, k), c?.Select(0, k), w.Ih, w.Hh, w.BIh, w.BHh, reverse: d == 1);
                outs[d] = o; hs.Add(hn); if (cn is not null) cs.Add(cn);
            }
            layerInput = directions == 1 ? outs[0] : Tensor.Cat(outs, 2);
        }
        var output = layerInput;
        var hN = Tensor.Stack([.. hs]);
        var cN = cs.Count > 0 ? Tensor.Stack([.. cs]) : null;
        if (!batched) return (output.Squeeze(1), hN.Squeeze(1), cN?.Squeeze(1));
        return (BatchFirst ? output.Transpose(0, 1) : output, hN, cN);
    }

    /// <summary>One layer in one direction over x [L, N, In]: the input projections of every step in one GEMM, then the recurrence (fused, see RecurrentFused).</summary>
    private (Tensor Output, Tensor H, Tensor? C) Direction(Tensor x, Tensor h, Tensor? c, Tensor wIh, Tensor wHh, Tensor? bIh, Tensor? bHh, bool reverse)
    {
        int steps = x.Shape[0], n = x.Shape[1];
        var x2 = x.Reshape(steps * n, x.Shape[2]);
        var projected = (bIh is null ? x2.Mm(wIh.T()) : Tensor.Addmm(bIh, x2, wIh.T())).Reshape(steps, n, wIh.Shape[0]);   // [L, N, G·H]
        if (RecurrentFused.Applies(projected, h, c, wHh, bHh))
            return RecurrentFused.Direction(Mode, projected, h, c, wHh, bHh, reverse);
        var packed = RecurrentFused.Composite(Mode, projected, h, c, wHh, bHh, reverse);
        return (packed.Narrow(0, 0, steps), packed.Select(0, reverse ? 0 : steps - 1), c is null ? null : packed.Select(0, steps));
    }

    /// <summary>One step given the input projection xp and the hidden projection hp (biases included), both [N, G·H].</summary>
    internal static (Tensor H, Tensor? C) Cell(string mode, Tensor xp, Tensor hp, Tensor h, Tensor? c, int hidden)
    {
        switch (mode)
        {
            case "LSTM":
            {
                var g = (xp + hp).Chunk(4, -1);
                var i = g[0].Sigmoid(); var f = g[1].Sigmoid(); var gg = g[2].Tanh(); var o = g[3].Sigmoid();
                var cNew = f * c! + i * gg;
                return (o * cNew.Tanh(), cNew);
            }
            case "GRU":
            {
                var xg = xp.Chunk(3, -1); var hg = hp.Chunk(3, -1);
                var r = (xg[0] + hg[0]).Sigmoid();
                var z = (xg[1] + hg[1]).Sigmoid();
                var nGate = (xg[2] + r * hg[2]).Tanh();
                return ((1.0 - z) * nGate + z * h, null);
            }
            case "RNN_RELU": return ((xp + hp).Relu(), null);
            default: return ((xp + hp).Tanh(), null);
        }
    }
}

/// <summary>An Elman RNN: h' = tanh(W_ih x + b_ih + W_hh h + b_hh) (or relu), stacked and optionally bidirectional (nn.RNN).</summary>
public class RNN(int inputSize, int hiddenSize, int numLayers = 1, string nonlinearity = "tanh", bool bias = true, bool batchFirst = false,
                 double dropout = 0, bool bidirectional = false, Generator? generator = null)
    : RNNBase(nonlinearity switch
    {
        "tanh" => "RNN_TANH",
        "relu" => "RNN_RELU",
        _ => throw new ArgumentException($"Unknown nonlinearity '{nonlinearity}'. Select from 'tanh' or 'relu'."),
    }, inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
{
    /// <summary>The output of every step of the last layer.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>The output of every step of the last layer and the final hidden state of every layer and direction.</summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0)
    {
        var (o, h, _) = Run(input, h0, null);
        return (o, h);
    }
}

/// <summary>A long short-term memory network (nn.LSTM): gates i, f, g, o; c' = f·c + i·g, h' = o·tanh(c').</summary>
public class LSTM(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
                  bool bidirectional = false, Generator? generator = null)
    : RNNBase("LSTM", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
{
    /// <summary>The output of every step of the last layer.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>The output of every step of the last layer and the final (h, c) of every layer and direction.</summary>
    public (Tensor Output, (Tensor H, Tensor C) State) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (o, h, c) = Run(input, state?.H, state?.C);
        return (o, (h, c!));
    }
}

/// <summary>A gated recurrent unit network (nn.GRU): gates r, z, n; h' = (1 − z)·n + z·h.</summary>
public class GRU(int inputSize, int hiddenSize, int numLayers = 1, bool bias = true, bool batchFirst = false, double dropout = 0,
                 bool bidirectional = false, Generator? generator = null)
    : RNNBase("GRU", inputSize, hiddenSize, numLayers, bias, batchFirst, dropout, bidirectional, generator)
{
    /// <summary>The output of every step of the last layer.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).Output;

    /// <summary>The output of every step of the last layer and the final hidden state of every layer and direction.</summary>
    public (Tensor Output, Tensor H) Forward(Tensor input, Tensor? h0)
    {
        var (o, h, _) = Run(input, h0, null);
        return (o, h);
    }
}

/// <summary>The one-step cells (nn.RNNCell, nn.LSTMCell, nn.GRUCell): weight_ih, weight_hh, bias_ih, bias_hh, initialised as the networks are.</summary>
public abstract class RNNCellBase : Module
{
    private readonly List<(string Name, Parameter Param)> flat = [];
    private readonly string mode;

    private protected RNNCellBase(string mode, int inputSize, int hiddenSize, bool bias, Generator? generator)
    {
        if (inputSize <= 0 || hiddenSize <= 0) throw new ArgumentException($"{mode}Cell: input_size and hidden_size must be positive (got {inputSize} and {hiddenSize})");
        this.mode = mode;
        InputSize = inputSize; HiddenSize = hiddenSize; Bias = bias;
        int gates = mode switch { "LSTM" => 4, "GRU" => 3, _ => 1 };
        flat.Add(("weight_ih", new Parameter(Tensor.Empty([gates * hiddenSize, inputSize]))));
        flat.Add(("weight_hh", new Parameter(Tensor.Empty([gates * hiddenSize, hiddenSize]))));
        if (bias)
        {
            flat.Add(("bias_ih", new Parameter(Tensor.Empty([gates * hiddenSize]))));
            flat.Add(("bias_hh", new Parameter(Tensor.Empty([gates * hiddenSize]))));
        }
        double stdv = 1.0 / Math.Sqrt(hiddenSize);
        foreach (var (_, p) in flat) Init.Uniform_(p, -stdv, stdv, generator);
    }

    /// <summary>Features of the input.</summary>
    public int InputSize { get; }
    /// <summary>Features of the hidden state.</summary>
    public int HiddenSize { get; }
    /// <summary>Whether the cell has bias_ih and bias_hh.</summary>
    public bool Bias { get; }

    internal override IEnumerable<(string Name, object Member)> OwnMembers()
    {
        foreach (var (name, p) in flat) yield return (name, p);
    }

    /// <inheritdoc/>
    protected override string ExtraRepr() => $"{InputSize}, {HiddenSize}{(Bias ? "" : ", bias=False")}";

    /// <summary>One step on a [N, In] (or unbatched [In]) input from the given state (zeros when null).</summary>
    private protected (Tensor H, Tensor? C) Step(Tensor input, Tensor? h, Tensor? c)
    {
        ArgumentNullException.ThrowIfNull(input);
        string name = mode.StartsWith("RNN") ? "RNNCell" : mode + "Cell";
        if (input.Dim is not (1 or 2))
            throw new ArgumentException($"{name}: Expected input to be 1-D or 2-D but received {input.Dim}-D tensor (shape [{string.Join(", ", input.Shape)}])");
        if (input.Shape[^1] != InputSize)
            throw new ArgumentException($"input has inconsistent input_size: got {input.Shape[^1]} expected {InputSize}");
        bool batched = input.Dim == 2;
        var x = batched ? input : input.Unsqueeze(0);
        int n = x.Shape[0];
        Tensor State(Tensor? s)
        {
            if (s is null) return Tensor.Zeros([n, HiddenSize], x.DType);
            int[] want = batched ? [n, HiddenSize] : [HiddenSize];
            if (!s.Shape.SequenceEqual(want))
                throw new ArgumentException($"{name}: Expected hidden of shape ({string.Join(", ", want)}), got [{string.Join(", ", s.Shape)}]");
            return batched ? s : s.Unsqueeze(0);
        }
        var hx = State(h);
        var cx = mode == "LSTM" ? State(c) : null;
        var wIh = flat[0].Param; var wHh = flat[1].Param;
        var xp = Bias ? Tensor.Addmm(flat[2].Param, x, wIh.T()) : x.MatMul(wIh.T());
        var hp = Bias ? Tensor.Addmm(flat[3].Param, hx, wHh.T()) : hx.MatMul(wHh.T());
        var (hNew, cNew) = RNNBase.Cell(mode, xp, hp, hx, cx, HiddenSize);
        return batched ? (hNew, cNew) : (hNew.Squeeze(0), cNew?.Squeeze(0));
    }
}

/// <summary>One step of an Elman RNN (nn.RNNCell).</summary>
public class RNNCell(int inputSize, int hiddenSize, bool bias = true, string nonlinearity = "tanh", Generator? generator = null)
    : RNNCellBase(nonlinearity switch
    {
        "tanh" => "RNN_TANH",
        "relu" => "RNN_RELU",
        _ => throw new ArgumentException($"Unknown nonlinearity: {nonlinearity}"),
    }, inputSize, hiddenSize, bias, generator)
{
    /// <summary>h' from zeros.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>h' from h (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? hx) => Step(input, hx, null).H;
}

/// <summary>One step of an LSTM (nn.LSTMCell).</summary>
public class LSTMCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
    : RNNCellBase("LSTM", inputSize, hiddenSize, bias, generator)
{
    /// <summary>h' from a zero state.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null).H;

    /// <summary>(h', c') from (h, c) (zeros when null).</summary>
    public (Tensor H, Tensor C) Forward(Tensor input, (Tensor H, Tensor C)? state)
    {
        var (h, c) = Step(input, state?.H, state?.C);
        return (h, c!);
    }
}

/// <summary>One step of a GRU (nn.GRUCell).</summary>
public class GRUCell(int inputSize, int hiddenSize, bool bias = true, Generator? generator = null)
    : RNNCellBase("GRU", inputSize, hiddenSize, bias, generator)
{
    /// <summary>h' from zeros.</summary>
    public override Tensor Forward(Tensor input) => Forward(input, null);

    /// <summary>h' from h (zeros when null).</summary>
    public Tensor Forward(Tensor input, Tensor? hx) => Step(input, hx, null).H;
}
