using Framework.Autograd;
using Framework.NN;

namespace Tests.NN;

/// <summary>The recurrent layers' state-dict keys, shapes and error messages.</summary>
public class RecurrentTests
{
    [Fact]
    public void StateDictKeys_ArePyTorchs()
    {
        Assert.Equal(["weight_ih_l0", "weight_hh_l0", "bias_ih_l0", "bias_hh_l0", "weight_ih_l0_reverse", "weight_hh_l0_reverse", "bias_ih_l0_reverse", "bias_hh_l0_reverse",
                      "weight_ih_l1", "weight_hh_l1", "bias_ih_l1", "bias_hh_l1", "weight_ih_l1_reverse", "weight_hh_l1_reverse", "bias_ih_l1_reverse", "bias_hh_l1_reverse"],
            new LSTM(3, 4, numLayers: 2, bidirectional: true).StateDict().Keys.ToArray());
        var gru = new GRU(3, 4, numLayers: 2, bidirectional: true);
        Assert.Equal([12, 8], gru.StateDict()["weight_ih_l1"].Shape);
        Assert.Equal(["weight_ih", "weight_hh"], new GRUCell(3, 2, bias: false).StateDict().Keys.ToArray());
        Assert.Equal(["rnn.weight_ih_l0", "rnn.weight_hh_l0", "rnn.bias_ih_l0", "rnn.bias_hh_l0", "head.weight", "head.bias"], new Tagger().StateDict().Keys.ToArray());
    }

    private sealed class Tagger : Module
    {
        private readonly LSTM rnn = new(3, 4);
        private readonly Linear head = new(4, 2);
        public override Tensor Forward(Tensor x) => head.Call(rnn.Call(x));
    }

    [Fact]
    public void Shapes_FollowTheLayout()
    {
        var lstm = new LSTM(3, 4, numLayers: 2, batchFirst: true, bidirectional: true);
        var (o, (h, c)) = lstm.Forward(Tensor.Randn(2, 5, 3), null);
        Assert.Equal([2, 5, 8], o.Shape);
        Assert.Equal([4, 2, 4], h.Shape);
        Assert.Equal([4, 2, 4], c.Shape);
        var (u, hu) = new GRU(3, 4).Forward(Tensor.Randn(5, 3), null);
        Assert.Equal([5, 4], u.Shape);
        Assert.Equal([1, 4], hu.Shape);
    }

    [Fact]
    public void BadInput_IsRefusedWithPyTorchsMessages()
    {
        var lstm = new LSTM(3, 4);
        Assert.Equal("input.size(-1) must be equal to input_size. Expected 3, got 2",
            Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(5, 1, 2))).Message);
        Assert.Equal("LSTM: Expected input to be 2-D or 3-D but received 4-D tensor (shape [1, 1, 1, 3])",
            Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(1, 1, 1, 3))).Message);
        Assert.Equal("Expected hidden size (1, 2, 4), got [1, 3, 4]",
            Assert.Throws<ArgumentException>(() => lstm.Forward(Tensor.Zeros(5, 2, 3), (Tensor.Zeros(1, 3, 4), Tensor.Zeros(1, 3, 4)))).Message);
        Assert.Equal("Unknown nonlinearity 'sigmoid'. Select from 'tanh' or 'relu'.",
            Assert.Throws<ArgumentException>(() => new RNN(3, 4, nonlinearity: "sigmoid")).Message);
        Assert.Equal("input has inconsistent input_size: got 2 expected 3",
            Assert.Throws<ArgumentException>(() => new LSTMCell(3, 4).Forward(Tensor.Zeros(1, 2))).Message);
    }
}
