namespace Framework.Autograd;

/// <summary>
/// A backward rule: the gradient of each input (null where none is needed) from the output's gradient <paramref name="grad"/>
/// and the tensors the op saved (<see cref="BackwardContext.Saved"/>). Write it as a <c>static</c> lambda, so it can
/// capture nothing: what it needs comes from <paramref name="ctx"/> alone.
/// </summary>
public delegate Tensor?[] BackwardRule(BackwardContext ctx, Tensor grad);

/// <summary>
/// A backward rule that also receives the op's non-tensor data (scalars, dims, shapes, flags) as <paramref name="state"/>;
/// write it as a <c>static</c> lambda, so everything it uses is declared at <see cref="Graph.Record{TState}"/>.
/// </summary>
public delegate Tensor?[] BackwardRule<in TState>(BackwardContext ctx, Tensor grad, TState state);
