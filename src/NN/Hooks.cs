using Framework.Autograd;

namespace Framework.NN;

public abstract partial class Module
{
    private readonly HookList<Func<Module, Tensor, Tensor?>> forwardPreHooks = new();
    private readonly HookList<Func<Module, Tensor, Tensor, Tensor?>> forwardHooks = new();

    /// <summary>Runs the module as module(x) does in PyTorch: the forward pre-hooks, Forward, then the forward hooks, each in registration order.</summary>
    public Tensor Call(Tensor input)
    {
        ArgumentNullException.ThrowIfNull(input);
        // Snapshots, as nn.Module.__call__ iterates a copy: a hook that removes itself (or another) changes only the next call.
        foreach (var hook in forwardPreHooks.Snapshot()) input = hook(this, input) ?? input;
        var output = Forward(input);
        foreach (var hook in forwardHooks.Snapshot()) output = hook(this, input, output) ?? output;
        return output;
    }

    /// <summary>Registers hook(module, input) to run before Forward; a non-null result replaces the input (register_forward_pre_hook).</summary>
    public RemovableHandle RegisterForwardPreHook(Func<Module, Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return forwardPreHooks.Add(hook);
    }

    /// <summary>Registers hook(module, input) to run before Forward, observing only (register_forward_pre_hook returning None).</summary>
    public RemovableHandle RegisterForwardPreHook(Action<Module, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return forwardPreHooks.Add((m, x) => { hook(m, x); return null; });
    }

    /// <summary>Registers hook(module, input, output) to run after Forward; a non-null result replaces the output (register_forward_hook).</summary>
    public RemovableHandle RegisterForwardHook(Func<Module, Tensor, Tensor, Tensor?> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return forwardHooks.Add(hook);
    }

    /// <summary>Registers hook(module, input, output) to run after Forward, observing only (register_forward_hook returning None).</summary>
    public RemovableHandle RegisterForwardHook(Action<Module, Tensor, Tensor> hook)
    {
        ArgumentNullException.ThrowIfNull(hook);
        return forwardHooks.Add((m, x, y) => { hook(m, x, y); return null; });
    }
}

/// <summary>Unregisters the hook it was returned for: Remove(), or Dispose at the end of a using block (torch.utils.hooks.RemovableHandle).</summary>
public sealed class RemovableHandle : IDisposable
{
    private Action? remove;

    internal RemovableHandle(Action remove) => this.remove = remove;

    /// <summary>Unregisters the hook; further calls do nothing.</summary>
    public void Remove()
    {
        remove?.Invoke();
        remove = null;
    }

    /// <summary>Remove().</summary>
    public void Dispose() => Remove();
}

/// <summary>Hooks in registration order; each Add returns the handle that removes that one entry.</summary>
internal sealed class HookList<T> where T : Delegate
{
    private sealed class Entry(T hook) { public readonly T Hook = hook; }

    private readonly List<Entry> entries = [];

    public RemovableHandle Add(T hook)
    {
        var entry = new Entry(hook);
        lock (entries) entries.Add(entry);
        return new RemovableHandle(() => { lock (entries) entries.Remove(entry); });
    }

    /// <summary>The hooks registered now (threads may call a module while another registers or removes a hook).</summary>
    public T[] Snapshot()
    {
        lock (entries)
        {
            if (entries.Count == 0) return [];
            var hooks = new T[entries.Count];
            for (int i = 0; i < hooks.Length; i++) hooks[i] = entries[i].Hook;
            return hooks;
        }
    }
}
