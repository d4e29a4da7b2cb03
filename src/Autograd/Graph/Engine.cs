namespace Framework.Autograd;

/// <summary>Runs the backward graph: each node once, after all its consumers, without recursion.</summary>
internal static class Engine
{
    private static int epoch;

    /// <summary>PyTorch's error for a backward through freed buffers.</summary>
    public static InvalidOperationException SecondBackwardError() => new(
        "Trying to backward through the graph a second time (or directly access saved tensors after they have already been freed). " +
        "Saved intermediate values of the graph are freed when you call Backward() or Autograd.Grad(). " +
        "Specify retainGraph: true if you need to backward through the graph a second time or if you need to access saved tensors after calling backward.");

    /// <summary>
    /// Propagates <paramref name="grads"/> from <paramref name="roots"/>. With <paramref name="captureFor"/> null, gradients
    /// accumulate into leaves' .Grad; otherwise only the nodes leading to those edges run, and the gradient reaching each
    /// is returned instead (nothing accumulates).
    /// </summary>
    public static Tensor?[]? Run(Node[] roots, Tensor[] grads, bool retainGraph, bool createGraph, Node?[]? captureFor = null)
    {
        int run = Interlocked.Increment(ref epoch);
        var nodes = Discover(roots, run);
        var order = TopologicalOrder(nodes);
        Tensor?[]? captured = null;
        if (captureFor != null)
        {
            captured = new Tensor?[captureFor.Length];
            foreach (var n in nodes) n.needed = false;
            foreach (var c in captureFor) if (c != null && c.visitEpoch == run) c.needed = true;
            for (int i = order.Count - 1; i >= 0; i--)     // producers before consumers
            {
                var n = order[i];
                if (n.needed) continue;
                foreach (var m in n.next) if (m != null && m.needed) { n.needed = true; break; }
            }
        }
        else foreach (var n in nodes) n.needed = true;

        for (int i = 0; i < roots.Length; i++)
            roots[i].pendingGrad = roots[i].pendingGrad is null ? grads[i] : roots[i].pendingGrad! + grads[i];

        try
        {
            GradMode.With(createGraph, () =>
            {
                foreach (var node in order) Execute(node, retainGraph, createGraph, captureFor, captured);
                return 0;
            });
        }
        finally
        {
            foreach (var n in nodes) { n.pendingGrad = null; n.pendingOwned = false; }
        }
        return captured;
    }

    private static void Execute(Node node, bool retainGraph, bool createGraph, Node?[]? captureFor, Tensor?[]? captured)
    {
        var g = node.pendingGrad;
        bool owned = node.pendingOwned && node.preHooks == null && node.retainGradOf == null;   // a hook or RetainGrad may keep the tensor
        node.pendingGrad = null;
        node.pendingOwned = false;
        if (g is null || !node.needed) return;

        if (node.preHooks != null)
            foreach (var hook in node.preHooks)
                g = hook(g) ?? g;
        if (node.retainGradOf is { } retained)
        {
            if (retained.grad == null) retained.grad = createGraph ? g : g.Detach().Clone();
            else retained.grad = retained.grad + g;
        }
        if (captureFor != null)
        {
            for (int i = 0; i < captureFor.Length; i++)
                if (ReferenceEquals(captureFor[i], node)) captured![i] = captured[i] is null ? g : captured[i]! + g;
            if (node is AccumulateGrad) return;
        }
        if (node is AccumulateGrad acc)
        {
            acc.Accumulate(g, createGraph, owned);
            return;
        }

        long start = Storage.NextSerial;
        var inputGrads = node.Apply(g);
        if (!retainGraph) node.Release();
        if (inputGrads.Length != node.next.Length)
            throw new InvalidOperationException($"function {node.Name} returned an incorrect number of gradients (expected {node.next.Length}, got {inputGrads.Length})");
        for (int i = 0; i < inputGrads.Length; i++)
        {
            var target = node.next[i];
            var gi = inputGrads[i];
            if (target == null || gi is null || !target.needed) continue;
            gi = Validate(node, i, gi);
            if (target.pendingGrad is null)
            {
                target.pendingGrad = gi;
                // A custom Function's Backward may keep what it returns (e.g. in its context), so only built-in rules hand over ownership.
                target.pendingOwned = node is not FunctionNode && Owned(gi, start, owned ? g : null) && !SharedWithOthers(inputGrads, i, gi);
            }
            else
            {
                target.pendingGrad = target.pendingGrad + gi;
                target.pendingOwned = true;
            }
        }
        if (DetectAnomalyMode.Enabled) DetectAnomalyMode.Check(node, inputGrads);
    }

    /// <summary>True for a tensor that alone spans its whole storage (no offset, no broadcast strides), allocated while the rule ran
    /// (serial ≥ <paramref name="start"/>) or a view of the rule's owned incoming gradient <paramref name="ownedInput"/> (e.g. TBackward0).</summary>
    private static bool Owned(Tensor t, long start, Tensor? ownedInput)
    {
        if (t.requiresGrad || t.offset != 0 || t.Numel != t.storage.Length) return false;
        for (int d = 0; d < t.shape.Length; d++) if (t.strides[d] == 0 && t.shape[d] > 1) return false;
        return t.storage.Serial >= start || ownedInput is not null && ReferenceEquals(t.storage, ownedInput.storage);
    }

    private static bool SharedWithOthers(Tensor?[] grads, int index, Tensor t)
    {
        for (int j = 0; j < grads.Length; j++)
            if (j != index && grads[j] is { } other && ReferenceEquals(other.storage, t.storage)) return true;
        return false;
    }

    /// <summary>Reduces a broadcast gradient to the input's shape and casts it to the input's dtype; throws on a wrong shape.</summary>
    private static Tensor Validate(Node node, int index, Tensor g)
    {
        var (shape, dtype) = node.inputMeta[index];
        if (!ShapeUtil.Same(g.shape, shape))
        {
            if (!ShapeUtil.IsExpandableTo(shape, g.shape))
                throw new InvalidOperationException(
                    $"Function {node.Name} returned an invalid gradient at index {index} - got {ShapeUtil.Format(g.shape)} but expected shape compatible with {ShapeUtil.Format(shape)}");
            g = g.SumTo(shape);
        }
        if (g.DType != dtype) g = g.To(dtype);
        return g;
    }

    /// <summary>All nodes reachable from the roots, with dependencies = number of edges into each.</summary>
    private static List<Node> Discover(Node[] roots, int run)
    {
        var nodes = new List<Node>();
        var stack = new Stack<Node>();
        void Visit(Node n)
        {
            if (n.visitEpoch == run) return;
            n.visitEpoch = run;
            n.dependencies = 0;
            n.pendingGrad = null;
            n.pendingOwned = false;
            nodes.Add(n);
            stack.Push(n);
        }
        foreach (var r in roots) Visit(r);
        while (stack.Count > 0)
            foreach (var m in stack.Pop().next)
            {
                if (m == null) continue;
                Visit(m);
                m.dependencies++;
            }
        return nodes;
    }

    /// <summary>Kahn's order: a node comes after every node that feeds it a gradient; among ready nodes the newest first.</summary>
    private static List<Node> TopologicalOrder(List<Node> nodes)
    {
        var order = new List<Node>(nodes.Count);
        var ready = new PriorityQueue<Node, long>();
        foreach (var n in nodes) if (n.dependencies == 0) ready.Enqueue(n, -n.sequence);
        while (ready.Count > 0)
        {
            var n = ready.Dequeue();
            order.Add(n);
            foreach (var m in n.next)
                if (m != null && --m.dependencies == 0) ready.Enqueue(m, -m.sequence);
        }
        return order;
    }
}
