using System.Text.Json;
using Framework.Autograd;
using Framework.NN;
using Tests.Reference;

namespace Tests.NN;

/// <summary>
/// RNN, LSTM, GRU and their cells against PyTorch 1.13 (Data/recurrent/make_recurrent.py): the default init after
/// ManualSeed(0) under PyTorch's parameter names, the outputs and final states, and the gradients of the input, the initial
/// states and every parameter; 1 and 2 layers, bidirectional, batch first, unbatched, no bias, dropout in training.
/// </summary>
[Collection("GlobalGenerator")]   // every case seeds the global generator
public class RecurrentReferenceTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Cases = new(() => ReferenceCases.LoadRaw("recurrent", "recurrent_cases.json"));

    public static TheoryData<string> Names => new(Cases.Value.Keys);

    private static ReferenceCases.RefTensor Ref(JsonElement e) => ReferenceCases.Parse(e);

    private static Module Build(string kind, JsonElement o)
    {
        int I(string k, int d) => o.TryGetProperty(k, out var v) ? v.GetInt32() : d;
        bool B(string k, bool d) => o.TryGetProperty(k, out var v) ? v.GetBoolean() : d;
        double D(string k, double d) => o.TryGetProperty(k, out var v) ? v.GetDouble() : d;
        string S(string k, string d) => o.TryGetProperty(k, out var v) ? v.GetString()! : d;
        int inSize = I("input_size", 0), hidden = I("hidden_size", 0);
        return kind switch
        {
            "RNN" => new RNN(inSize, hidden, I("num_layers", 1), S("nonlinearity", "tanh"), B("bias", true), B("batch_first", false), D("dropout", 0), B("bidirectional", false)),
            "LSTM" => new LSTM(inSize, hidden, I("num_layers", 1), B("bias", true), B("batch_first", false), D("dropout", 0), B("bidirectional", false)),
            "GRU" => new GRU(inSize, hidden, I("num_layers", 1), B("bias", true), B("batch_first", false), D("dropout", 0), B("bidirectional", false)),
            "RNNCell" => new RNNCell(inSize, hidden, B("bias", true), S("nonlinearity", "tanh")),
            "LSTMCell" => new LSTMCell(inSize, hidden, B("bias", true)),
            "GRUCell" => new GRUCell(inSize, hidden, B("bias", true)),
            _ => throw new ArgumentException(kind),
        };
    }

    private static Tensor[] Run(Module m, string kind, Tensor x, Tensor[] states) => (m, kind) switch
    {
        (LSTM lstm, _) => lstm.Forward(x, states.Length == 0 ? null : (states[0], states[1])) is var (o, (h, c)) ? [o, h, c] : [],
        (RNN rnn, _) => rnn.Forward(x, states.Length == 0 ? null : states[0]) is var (o2, h2) ? [o2, h2] : [],
        (GRU gru, _) => gru.Forward(x, states.Length == 0 ? null : states[0]) is var (o3, h3) ? [o3, h3] : [],
        (LSTMCell cell, _) => cell.Forward(x, states.Length == 0 ? null : (states[0], states[1])) is var (h4, c4) ? [h4, c4] : [],
        (RNNCell cell, _) => [cell.Forward(x, states.Length == 0 ? null : states[0])],
        (GRUCell cell, _) => [cell.Forward(x, states.Length == 0 ? null : states[0])],
        _ => throw new ArgumentException(kind),
    };

    [Theory]
    [MemberData(nameof(Names))]
    public void MatchesPyTorch(string name)
    {
        var c = Cases.Value[name];
        string kind = c.GetProperty("kind").GetString()!;
        var tol = c.GetProperty("dtype").GetString() == "float32" ? new ReferenceCases.Tolerance(1e-4, 1e-4) : new ReferenceCases.Tolerance(1e-9, 1e-9);
        var problems = new List<string>();

        Tensor.ManualSeed(0);
        var m = Build(kind, c.GetProperty("options"));
        var init = c.GetProperty("init");
        var names = m.NamedParameters().Select(p => p.Name).ToArray();
        Assert.Equal(init.EnumerateObject().Select(p => p.Name).ToArray(), names);
        foreach (var (pname, p) in m.NamedParameters())
            ReferenceCases.Compare($"init {pname}", Ref(init.GetProperty(pname)), p, problems, new ReferenceCases.Tolerance(0, 0, 0));

        m.To(c.GetProperty("dtype").GetString() == "float32" ? DType.Float32 : DType.Float64);
        m.Train(c.GetProperty("train").GetBoolean());
        var x = ReferenceCases.ToTensor(Ref(c.GetProperty("input"))).RequiresGrad_();
        var states = c.GetProperty("states").EnumerateArray().Select(s => ReferenceCases.ToTensor(Ref(s)).RequiresGrad_()).ToArray();
        Tensor.ManualSeed(c.GetProperty("seed").GetInt64());
        var results = Run(m, kind, x, states);
        var expected = c.GetProperty("results").EnumerateArray().ToArray();
        var ups = c.GetProperty("upstreams").EnumerateArray().Select(u => ReferenceCases.ToTensor(Ref(u))).ToArray();
        Assert.Equal(expected.Length, results.Length);
        for (int i = 0; i < results.Length; i++) ReferenceCases.Compare($"result {i}", Ref(expected[i]), results[i], problems, tol);

        results.Zip(ups, (r, u) => (r * u).Sum()).Aggregate((a, b) => a + b).Backward();
        ReferenceCases.Compare("grad input", Ref(c.GetProperty("grad_input")), x.Grad!, problems, tol);
        var gs = c.GetProperty("grad_states").EnumerateArray().ToArray();
        for (int i = 0; i < states.Length; i++) ReferenceCases.Compare($"grad state {i}", Ref(gs[i]), states[i].Grad!, problems, tol);
        var gp = c.GetProperty("grad_params");
        foreach (var (pname, p) in m.NamedParameters()) ReferenceCases.Compare($"grad {pname}", Ref(gp.GetProperty(pname)), p.Grad!, problems, tol);
        ReferenceCases.AssertNoProblems(name, problems);
    }
}
