namespace Framework.Autograd;

/// <summary>
/// The state of one backward run (PyTorch's GraphTask): the nodes reachable from the roots, their dependency counts,
/// which of them must run, and the gradients pending for each. Nodes hold none of it, so backward runs on several
/// threads, or one started inside another's rule (reentrant), share graphs without disturbing each other.
/// </summary>
internal sealed class GraphTask
{
    private readonly List<Node> nodes = [];                                          // by index, in discovery order
    private NodeIndex index = new(16);
    private readonly List<int> edges = [];                                          // node i's inputs: edges[edgeStart[i] .. edgeStart[i + 1]), −1 for none
    private readonly List<int> edgeStart = [];
    private readonly int[] order;                                                   // indices, each after every node feeding it a gradient
    private readonly Tensor?[] pending;
    private readonly bool[] owned;                                                  // pending[i] was made in this run and nothing else refers to it
    private readonly bool[] needed;
    private readonly bool retainGraph, createGraph;
    private readonly Node?[]? captureFor;
    private readonly Tensor?[]? captured;

    public GraphTask(Node[] roots, Tensor[] grads, bool retainGraph, bool createGraph, Node?[]? captureFor)
    {
        this.retainGraph = retainGraph;
        this.createGraph = createGraph;
        this.captureFor = captureFor;
        var dependencies = Discover(roots);
        order = TopologicalOrder(dependencies);
        pending = new Tensor?[nodes.Count];
        owned = new bool[nodes.Count];
        needed = new bool[nodes.Count];
        if (captureFor is null) Array.Fill(needed, true);
        else
        {
            captured = new Tensor?[captureFor.Length];
            foreach (var c in captureFor) if (c is not null && index.Find(c) is int ci and >= 0) needed[ci] = true;
            for (int k = order.Length - 1; k >= 0; k--)     // producers before consumers
            {
                int i = order[k];
                for (int e = edgeStart[i]; e < edgeStart[i + 1] && !needed[i]; e++) needed[i] = edges[e] >= 0 && needed[edges[e]];
            }
        }
        for (int r = 0; r < roots.Length; r++)
        {
            int i = index.Find(roots[r]);
            pending[i] = pending[i] is { } p ? p + grads[r] : grads[r];
        }
    }

    /// <summary>Runs every needed node in order; returns the captured gradients (null when accumulating into leaves).</summary>
    public Tensor?[]? Execute()
    {
        foreach (int i in order) Execute(i);
        return captured;
    }

    private void Execute(int i)
    {
        var node = nodes[i];
        var g = pending[i];
        bool own = owned[i] && node.preHooks is null && node.retainGradOf is null;   // a hook or RetainGrad may keep the tensor
        pending[i] = null;
        if (g is null || !needed[i]) return;

        if (node.preHooks is not null)
            foreach (var hook in node.preHooks)
                g = hook(g) ?? g;
        if (node.retainGradOf is { } retained) Retain(node, retained, g);
        if (captureFor is not null)
        {
            for (int c = 0; c < captureFor.Length; c++)
                if (ReferenceEquals(captureFor[c], node)) captured![c] = captured[c] is { } sum ? sum + g : g;
            if (node is AccumulateGrad) return;
        }
        if (node is AccumulateGrad acc)
        {
            acc.Accumulate(g, createGraph, own);
            if (acc.postHooks is { } after)
                foreach (var hook in after) hook(acc.variable);
            return;
        }

        long start = Storage.NextSerial;
        var inputGrads = node.Apply(g);
        if (!retainGraph) node.Release();
        int first = edgeStart[i], count = edgeStart[i + 1] - first;
        if (inputGrads.Length != count)
            throw new InvalidOperationException($"function {node.Name} returned an incorrect number of gradients (expected {count}, got {inputGrads.Length})");
        for (int k = 0; k < count; k++)
        {
            int target = edges[first + k];
            var gk = inputGrads[k];
            if (target < 0 || gk is null || !needed[target]) continue;
            gk = Validate(node, k, gk);
            if (pending[target] is { } sum)
            {
                pending[target] = sum + gk;
                owned[target] = true;
            }
            else
            {
                pending[target] = gk;
                // A custom Function's Backward may keep what it returns (e.g. in its context), so only built-in rules hand over ownership.
                owned[target] = node is not FunctionNode && Owned(gk, start, own ? g : null) && !SharedWithOthers(inputGrads, k, gk);
            }
        }
        if (DetectAnomalyMode.Enabled) DetectAnomalyMode.Check(node, inputGrads);
    }

    /// <summary>A non-leaf's retained gradient: a copy at first (never the engine's tensor), then out-of-place sums.</summary>
    private void Retain(Node node, Tensor retained, Tensor g)
    {
        lock (node)                                        // the node, not the user's tensor: runs on other threads may reach it too
            retained.grad = retained.grad is { } sum ? sum + g : createGraph ? g.Clone() : g.Detach().Clone();
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

    /// <summary>Indexes every node reachable from the roots (breadth first) and its input edges; returns the number of edges into each.</summary>
    private List<int> Discover(Node[] roots)
    {
        var dependencies = new List<int>();
        int Visit(Node n)
        {
            int i = index.Find(n);
            if (i >= 0) return i;
            i = nodes.Count;
            index.Add(n, i);
            nodes.Add(n);
            dependencies.Add(0);
            return i;
        }
        foreach (var r in roots) Visit(r);
        for (int i = 0; i < nodes.Count; i++)
        {
            edgeStart.Add(edges.Count);
            foreach (var m in nodes[i].next)
            {
                if (m is null) { edges.Add(-1); continue; }
                int j = Visit(m);
                edges.Add(j);
                dependencies[j]++;
            }
        }
        edgeStart.Add(edges.Count);
        return dependencies;
    }

    /// <summary>Kahn's order: a node comes after every node that feeds it a gradient; among ready nodes the newest first.</summary>
    private int[] TopologicalOrder(List<int> dependencies)
    {
        var result = new int[nodes.Count];
        int count = 0;
        var ready = new PriorityQueue<int, long>();
        for (int i = 0; i < nodes.Count; i++) if (dependencies[i] == 0) ready.Enqueue(i, -nodes[i].sequence);
        while (ready.Count > 0)
        {
            int i = ready.Dequeue();
            result[count++] = i;
            for (int e = edgeStart[i]; e < edgeStart[i + 1]; e++)
                if (edges[e] is int j and >= 0 && --dependencies[j] == 0) ready.Enqueue(j, -nodes[j].sequence);
        }
        return count == result.Length ? result : result[..count];
    }

    /// <summary>Node → index in this run: open addressing on the node's unique creation number (a graph's numbers are mostly consecutive, so probes rarely collide).</summary>
    private struct NodeIndex(int capacity)
    {
        private long[] keys = new long[capacity];     // sequence + 1; 0 marks an empty slot
        private int[] values = new int[capacity];
        private int count;

        /// <summary>The node's index, or −1.</summary>
        public readonly int Find(Node n)
        {
            long key = n.sequence + 1;
            int mask = keys.Length - 1;
            for (int h = (int)key & mask; ; h = (h + 1) & mask)
            {
                if (keys[h] == key) return values[h];
                if (keys[h] == 0) return -1;
            }
        }

        /// <summary>Adds a node not yet present.</summary>
        public void Add(Node n, int value)
        {
            if (2 * (count + 1) > keys.Length) Grow();
            Insert(keys, values, n.sequence + 1, value);
            count++;
        }

        private void Grow()
        {
            var k = new long[keys.Length * 2];
            var v = new int[keys.Length * 2];
            for (int i = 0; i < keys.Length; i++) if (keys[i] != 0) Insert(k, v, keys[i], values[i]);
            keys = k;
            values = v;
        }

        private static void Insert(long[] keys, int[] values, long key, int value)
        {
            int mask = keys.Length - 1, h = (int)key & mask;
            while (keys[h] != 0) h = (h + 1) & mask;
            keys[h] = key;
            values[h] = value;
        }
    }
}
