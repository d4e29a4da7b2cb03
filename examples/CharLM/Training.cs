using System.Diagnostics;
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;
using Framework.Plot;

namespace CharLM;

/// <summary>
/// The training run's settings: steps, batch, AdamW (peak lr, betas, weight decay of the matrices), warm-up then cosine decay
/// down to MinLrFraction·Lr, gradient clipping, how often and on how many batches the losses are evaluated, samples, seed.
/// </summary>
public sealed record TrainingOptions(
    int Steps = 2000, int BatchSize = 32, double Lr = 3e-3, double Beta1 = 0.9, double Beta2 = 0.99, double WeightDecay = 0.1,
    int WarmupSteps = 100, double MinLrFraction = 0.1, double MaxGradNorm = 1.0, int EvalInterval = 250, int EvalBatches = 20,
    int Samples = 10, long Seed = 0);

/// <summary>The mean train and validation losses on the fixed evaluation batches after Step steps, and the lr of the next step.</summary>
public sealed record Evaluation(int Step, double TrainLoss, double ValLoss, double Lr);

/// <summary>What a run printed: the parameter count, the samples before and after, each evaluation, each batch's loss, the times.</summary>
public sealed record TrainingResult(CharGpt Model, long ParameterCount, IReadOnlyList<string> SamplesBefore, IReadOnlyList<string> SamplesAfter,
                                    IReadOnlyList<Evaluation> Evaluations, IReadOnlyList<double> BatchLosses, double MillisecondsPerStep, double Seconds);

/// <summary>The training recipe of the character model (nanoGPT's): AdamW with two parameter groups, linear warm-up then cosine decay, clipping.</summary>
public static class Training
{
    /// <summary>
    /// AdamW over two groups, in the model's parameter order: the 2-D weights of the linear maps (attention projections,
    /// feed-forward, head) with weight decay <paramref name="weightDecay"/>, and everything else (biases, LayerNorm weights,
    /// the token and position embeddings) with none.
    /// </summary>
    public static AdamW MakeOptimizer(Module model, double lr, (double, double) betas, double weightDecay)
    {
        ArgumentNullException.ThrowIfNull(model);
        var embeddings = model.NamedModules().Where(m => m.Module is Embedding).SelectMany(m => m.Module.Parameters())
                              .ToHashSet<object>(ReferenceEqualityComparer.Instance);
        var decay = new List<Parameter>();
        var noDecay = new List<Parameter>();
        foreach (var p in model.Parameters()) (p.Dim == 2 && !embeddings.Contains(p) ? decay : noDecay).Add(p);
        return new AdamW([new ParamGroup(decay) { WeightDecay = weightDecay }, new ParamGroup(noDecay) { WeightDecay = 0.0 }],
                         lr, betas, weightDecay: weightDecay);
    }

    /// <summary>
    /// The lr of step s (from 0): Lr·(1 + s·(W − 1)/W)/W, rising linearly from Lr/W to Lr over the W warm-up steps (LinearLR),
    /// then cosine annealing from Lr at step W to minLr at step totalSteps (CosineAnnealingLR), chained by SequentialLR.
    /// </summary>
    public static SequentialLR MakeSchedule(Optimizer optimizer, int warmupSteps, int totalSteps, double minLr)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        if (warmupSteps <= 0 || totalSteps <= warmupSteps)
            throw new ArgumentException($"the schedule needs 0 < warmupSteps < totalSteps, got {warmupSteps} and {totalSteps}");
        // LinearLR's startFactor must not be 0: its recursive update divides by totalIters·startFactor at the first step.
        var warmup = new LinearLR(optimizer, startFactor: 1.0 / warmupSteps, endFactor: 1.0, totalIters: warmupSteps);
        var cosine = new CosineAnnealingLR(optimizer, tMax: totalSteps - warmupSteps, etaMin: minLr);
        return new SequentialLR(optimizer, [warmup, cosine], [warmupSteps]);
    }

    /// <summary>One step on a batch: the loss, its gradients, clipping of their global norm to maxGradNorm, AdamW, the schedule; returns the loss.</summary>
    public static double Step(CharGpt model, Optimizer optimizer, SequentialLR schedule, Tensor x, Tensor y, double maxGradNorm)
    {
        optimizer.ZeroGrad();
        var loss = model.Loss(x, y);
        loss.Backward();
        Utils.ClipGradNorm_(model.Parameters(), maxGradNorm);
        optimizer.Step();
        schedule.Step();
        return loss.Item();
    }

    /// <summary>The mean loss over the batches, in eval mode without gradients (the model's mode is restored).</summary>
    public static double Evaluate(CharGpt model, IReadOnlyList<(Tensor X, Tensor Y)> batches)
    {
        bool training = model.Training;
        model.Eval();
        try
        {
            using var _ = new NoGrad();
            return batches.Average(b => (double)model.Loss(b.X, b.Y).Item());
        }
        finally { model.Train(training); }
    }

    /// <summary>
    /// A word drawn from the model: starting from '.', each next character is drawn from the softmax of the logits at the last
    /// position (multinomial, from generator) with the last BlockSize characters as context, until '.' or maxLength letters.
    /// </summary>
    public static string SampleWord(CharGpt model, Generator generator, int maxLength = 30)
    {
        bool training = model.Training;
        model.Eval();
        try
        {
            using var _ = new NoGrad();
            var context = new List<long> { 0 };
            var word = new System.Text.StringBuilder();
            while (word.Length < maxLength)
            {
                var window = context.Skip(Math.Max(0, context.Count - model.Config.BlockSize)).ToArray();
                var logits = model.Forward(Tensor.From(window).Reshape(1, window.Length)).Select(1, window.Length - 1);   // (1, V)
                long next = logits.Softmax(-1).Multinomial(1, generator: generator).Item<long>();
                if (next == 0) break;
                word.Append(Vocabulary.Decode(next));
                context.Add(next);
            }
            return word.ToString();
        }
        finally { model.Train(training); }
    }

    /// <summary>
    /// Trains a CharGpt of <paramref name="config"/> (the default when null) on the corpus after ManualSeed(Seed): evaluates every
    /// EvalInterval steps and at the end on fixed batches, samples before and after, and logs each batch loss and evaluation
    /// to <paramref name="history"/> and a line per evaluation to <paramref name="log"/> when given.
    /// </summary>
    public static TrainingResult Run(WordCorpus corpus, TrainingOptions options, CharGptConfig? config = null, TextWriter? log = null, History? history = null)
    {
        ArgumentNullException.ThrowIfNull(corpus); ArgumentNullException.ThrowIfNull(options);
        if (options.Steps < 2) throw new ArgumentException($"Steps must be at least 2 (a warm-up step and a cosine step), got {options.Steps}");
        var total = Stopwatch.StartNew();
        config ??= new CharGptConfig();
        Tensor.ManualSeed(options.Seed);
        var model = new CharGpt(config);
        long parameterCount = model.Parameters().Sum(p => p.Numel);
        log?.WriteLine($"CharGpt: {parameterCount:N0} parameters ({config.NLayer} blocks of width {config.NEmbd}, {config.NHead} heads, context {config.BlockSize})");

        var batchGenerator = new Generator(options.Seed);
        var evalGenerator = new Generator(options.Seed + 1);
        var trainEval = Enumerable.Range(0, options.EvalBatches).Select(_ => WordCorpus.Batch(corpus.Train, options.BatchSize, config.BlockSize, evalGenerator)).ToList();
        var valEval = Enumerable.Range(0, options.EvalBatches).Select(_ => WordCorpus.Batch(corpus.Val, options.BatchSize, config.BlockSize, evalGenerator)).ToList();
        List<string> Samples() { var g = new Generator(options.Seed + 2); return [.. Enumerable.Range(0, options.Samples).Select(_ => SampleWord(model, g))]; }

        var before = Samples();
        log?.WriteLine($"samples before training: {string.Join(" ", before)}");

        var optimizer = MakeOptimizer(model, options.Lr, (options.Beta1, options.Beta2), options.WeightDecay);
        int warmup = Math.Clamp(Math.Min(options.WarmupSteps, options.Steps / 10), 1, options.Steps - 1);
        var schedule = MakeSchedule(optimizer, warmup, options.Steps, options.MinLrFraction * options.Lr);

        var evaluations = new List<Evaluation>();
        var batchLosses = new List<double>();
        var stepClock = new Stopwatch();
        void Eval(int step)
        {
            var e = new Evaluation(step, Evaluate(model, trainEval), Evaluate(model, valEval), optimizer.ParamGroups[0].Lr);
            evaluations.Add(e);
            history?.LogStep(step, "train loss", e.TrainLoss);
            history?.LogStep(step, "val loss", e.ValLoss);
            string time = step == 0 ? "" : $", {stepClock.Elapsed.TotalMilliseconds / step:F1} ms/step";
            log?.WriteLine($"step {step,5}/{options.Steps}: train loss {e.TrainLoss:F4}, val loss {e.ValLoss:F4}, lr {e.Lr:0.####e0}{time}");
        }

        model.Train();
        for (int step = 0; step < options.Steps; step++)
        {
            if (step % options.EvalInterval == 0) Eval(step);
            var (x, y) = WordCorpus.Batch(corpus.Train, options.BatchSize, config.BlockSize, batchGenerator);
            stepClock.Start();
            double loss = Step(model, optimizer, schedule, x, y, options.MaxGradNorm);
            stepClock.Stop();
            batchLosses.Add(loss);
            history?.LogStep(step + 1, "batch loss", loss);
        }
        Eval(options.Steps);

        var after = Samples();
        log?.WriteLine($"samples after training:  {string.Join(" ", after)}");
        return new TrainingResult(model, parameterCount, before, after, evaluations, batchLosses,
                                  stepClock.Elapsed.TotalMilliseconds / options.Steps, total.Elapsed.TotalSeconds);
    }
}
