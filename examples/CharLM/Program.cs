// A GPT-style character model of English words (makemore's task on Debian's wamerican word list, words.txt):
//   dotnet run -c Release --project examples/CharLM -- [--steps 2000] [--lr 3e-3] [--seed 0]
// Prints the losses and samples, and plots the loss curves to charlm-loss.png in the current directory.
using System.Globalization;
using CharLM;
using Framework.Plot;

var clock = System.Diagnostics.Stopwatch.StartNew();
var defaults = new TrainingOptions();
var options = defaults with
{
    Steps = int.Parse(Arg("--steps", defaults.Steps.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    Lr = double.Parse(Arg("--lr", defaults.Lr.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture),
    Seed = long.Parse(Arg("--seed", "0"), CultureInfo.InvariantCulture),
};
options = options with { EvalInterval = Math.Max(1, Math.Min(options.EvalInterval, options.Steps / 4)) };

var corpus = WordCorpus.Load(Path.Combine(AppContext.BaseDirectory, "words.txt"), options.Seed);
Console.WriteLine($"words.txt: {corpus.TrainWords.Count + corpus.ValWords.Count:N0} words, {corpus.TrainWords.Count:N0} for training " +
                  $"({corpus.Train.Length:N0} characters) and {corpus.ValWords.Count:N0} for validation ({corpus.Val.Length:N0})");
Console.WriteLine($"{options.Steps} steps of batch {options.BatchSize}, AdamW lr {options.Lr} betas ({options.Beta1}, {options.Beta2}) weight decay {options.WeightDecay}, " +
                  $"warm-up then cosine to {options.MinLrFraction * options.Lr}, gradient norm clipped to {options.MaxGradNorm}");

var history = new History();
var result = Training.Run(corpus, options, log: Console.Out, history: history);
var last = result.Evaluations[^1];
history.SavePng("charlm-loss.png", width: 1500);
Console.WriteLine($"final train loss {last.TrainLoss:F4}, val loss {last.ValLoss:F4} (uniform: ln 27 = {Math.Log(27):F4}); " +
                  $"{result.MillisecondsPerStep:F1} ms/step; {clock.Elapsed.TotalSeconds:F0} s in all; loss curves in charlm-loss.png");

string Arg(string name, string fallback)
{
    int i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
