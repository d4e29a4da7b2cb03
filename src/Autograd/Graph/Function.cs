namespace Framework.Autograd;

/// <summary>A user-defined differentiable op, like torch.autograd.Function: Forward runs without recording, Backward gives one gradient per input.</summary>
public abstract class Function
{
    /// <summary>Runs Forward on the inputs and, when any requires grad, records a node named "&lt;ClassName&gt;Backward".</summary>
    public Tensor Apply(params Tensor[] inputs)
    {
        bool record = GradMode.IsEnabled && Array.Exists(inputs, t => t.requiresGrad);
        var needs = new bool[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) needs[i] = record && inputs[i].requiresGrad;
        var ctx = new FunctionContext(needs);
        Tensor output;
        using (new NoGrad()) output = Forward(ctx, inputs);
        if (Array.IndexOf(inputs, output) >= 0) output = output.Detach();   // an input returned as is becomes a new tensor
        if (!record) return output;
        if (!output.DType.IsFloatingPoint())
            throw new InvalidOperationException($"{GetType().Name}.Forward returned a {output.DType.TorchName()} tensor, which cannot require gradients");
        var next = new Node?[inputs.Length];
        var meta = new (int[], DType)[inputs.Length];
        for (int i = 0; i < inputs.Length; i++) { next[i] = inputs[i].GradEdge; meta[i] = (inputs[i].shape, inputs[i].DType); }
        output.gradFn = new FunctionNode(this, ctx, next, meta);
        output.requiresGrad = true;
        return output;
    }

    /// <summary>Computes the output from the inputs (recording is off here).</summary>
    protected abstract Tensor Forward(FunctionContext ctx, Tensor[] inputs);

    /// <summary>Gradients of the inputs given the output's gradient; null for inputs that get none.</summary>
    protected abstract Tensor?[] Backward(FunctionContext ctx, Tensor gradOutput);

    internal Tensor?[] RunBackward(FunctionContext ctx, Tensor g) => Backward(ctx, g);
}

/// <summary>What Forward leaves for Backward: saved tensors, which inputs need gradients, and other state.</summary>
public sealed class FunctionContext
{
    private Tensor[] saved = [];
    private int[] savedVersions = [];
    private readonly Dictionary<string, object?> state = [];
    private bool released;

    internal FunctionContext(bool[] needsInputGrad) => NeedsInputGrad = needsInputGrad;

    /// <summary>Keeps tensors for Backward; they are checked for in-place changes and freed after backward.</summary>
    public void SaveForBackward(params Tensor[] tensors)
    {
        saved = (Tensor[])tensors.Clone();
        savedVersions = Array.ConvertAll(saved, t => t.Version);
    }

    /// <summary>The tensors saved by Forward.</summary>
    public IReadOnlyList<Tensor> SavedTensors
    {
        get
        {
            if (released) throw Engine.SecondBackwardError();
            for (int i = 0; i < saved.Length; i++)
                if (saved[i].Version != savedVersions[i])
                    throw new InvalidOperationException(
                        $"one of the variables needed for gradient computation has been modified by an inplace operation: [{saved[i].DType.TorchName()} {ShapeUtil.Format(saved[i].shape)}] is at version {saved[i].Version}; expected version {savedVersions[i]} instead.");
            return saved;
        }
    }

    /// <summary>For each input, whether its gradient is needed.</summary>
    public IReadOnlyList<bool> NeedsInputGrad { get; }

    /// <summary>Stores a non-tensor value for Backward (like ctx.constant = 5).</summary>
    public void Set(string key, object? value) => state[key] = value;

    /// <summary>Reads a value stored with Set.</summary>
    public T Get<T>(string key) => state.TryGetValue(key, out var v) ? (T)v! : throw new KeyNotFoundException($"FunctionContext has no value named '{key}'");

    internal void Release()
    {
        if (saved.Length == 0) return;
        saved = [];
        released = true;
    }
}

/// <summary>The node of a custom Function.</summary>
internal sealed class FunctionNode(Function function, FunctionContext ctx, Node?[] next, (int[], DType)[] meta) : Node(next, meta)
{
    public override string Name => function.GetType().Name + "Backward";

    internal override Tensor?[] Apply(Tensor gradOutput)
    {
        var grads = function.RunBackward(ctx, gradOutput);
        if (grads.Length != next.Length)
            throw new InvalidOperationException($"function {Name} returned an incorrect number of gradients (expected {next.Length}, got {grads.Length})");
        return grads;
    }

    internal override void Release() => ctx.Release();
}
