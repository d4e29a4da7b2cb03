using CharLM;
using Framework.Autograd;
using Framework.NN;
using Framework.Plot;

namespace Tests.Examples;

/// <summary>examples/CharLM's own pieces: the vocabulary, the committed word list, the split and the batches, and a short training run.</summary>
[Collection("GlobalGenerator")]   // the run seeds the global generator
public class CharLMExampleTests
{
    private static readonly string WordsPath = Path.Combine(AppContext.BaseDirectory, "Data", "charlm", "words.txt");
    private static readonly Lazy<WordCorpus> Corpus = new(() => WordCorpus.Load(WordsPath));

    [Fact]
    public void Vocabulary_IsTheSeparatorThenAToZ_AndWordsAreLowercaseLettersOnly()
    {
        Assert.Equal(27, Vocabulary.Size);
        Assert.Equal(0, Vocabulary.Encode('.'));
        Assert.Equal(1, Vocabulary.Encode('a'));
        Assert.Equal(26, Vocabulary.Encode('z'));
        Assert.Equal("." + string.Concat(Enumerable.Range('a', 26).Select(c => (char)c)), string.Concat(Enumerable.Range(0, 27).Select(i => Vocabulary.Decode(i))));
        Assert.True(Vocabulary.IsWord("zebra"));
        foreach (var bad in new[] { "", "Zebra", "can't", "café", "e-mail", "a b", "abc1" }) Assert.False(Vocabulary.IsWord(bad), bad);
        Assert.Equal("'A' (U+0041) is not in the vocabulary: '.' and 'a'..'z'", Assert.Throws<ArgumentException>(() => Vocabulary.Encode('A')).Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => Vocabulary.Decode(27));
    }

    [Fact]
    public void WordList_IsTheFilteredWamericanList_AndSplits90To10ByWord()
    {
        var lines = File.ReadAllLines(WordsPath);
        Assert.Equal(63_875, lines.Length);
        Assert.All(lines, w => Assert.True(Vocabulary.IsWord(w), w));
        Assert.Equal(lines, WordCorpus.ReadWords(WordsPath));

        var corpus = Corpus.Value;
        Assert.Equal(57_488, corpus.TrainWords.Count);
        Assert.Equal(6_387, corpus.ValWords.Count);
        Assert.Equal(lines.Order(StringComparer.Ordinal), corpus.TrainWords.Concat(corpus.ValWords).Order(StringComparer.Ordinal));
        Assert.NotEqual(lines.Take(100), corpus.TrainWords.Take(100));                               // shuffled
        Assert.Equal(corpus.TrainWords, WordCorpus.Load(WordsPath, seed: 0).TrainWords);            // by the seed
        Assert.NotEqual(corpus.TrainWords.Take(100), WordCorpus.Load(WordsPath, seed: 1).TrainWords.Take(100));
        Assert.Equal(corpus.TrainWords.Sum(w => w.Length + 1) + 1, corpus.Train.Length);
        Assert.Throws<ArgumentException>(() => new WordCorpus(["ok", "Not"]));
    }

    [Fact]
    public void Stream_SeparatesAndEndsEveryWord_AndBatchesAreShiftedWindowsOfIt()
    {
        Assert.Equal(new long[] { 0, 3, 1, 2, 0, 1, 0 }, WordCorpus.Stream(["cab", "a"]));
        var stream = Corpus.Value.Train;
        var (x, y) = WordCorpus.Batch(stream, 32, 32, new Generator(7));
        Assert.Equal([32, 32], x.Shape);
        Assert.Equal([32, 32], y.Shape);
        Assert.Equal(DType.Int64, x.DType);
        var xs = x.ToArray<long>();
        var ys = y.ToArray<long>();
        string text = string.Concat(stream.Select(Vocabulary.Decode));
        for (int b = 0; b < 32; b++)
        {
            var window = string.Concat(xs.Skip(b * 32).Take(32).Select(Vocabulary.Decode)) + Vocabulary.Decode(ys[b * 32 + 31]);
            Assert.Contains(window, text);
            Assert.Equal(xs.Skip(b * 32 + 1).Take(31), ys.Skip(b * 32).Take(31));
        }
        var (x2, _) = WordCorpus.Batch(stream, 32, 32, new Generator(7));
        Assert.Equal(xs, x2.ToArray<long>());
        Assert.Equal("a stream of 5 characters is shorter than a window of blockSize + 1 = 33",
                     Assert.Throws<ArgumentException>(() => WordCorpus.Batch([0, 1, 2, 0, 0], 1, 32, new Generator(0))).Message);
    }

    [Fact]
    public void Optimizer_DecaysTheLinearWeightsOnly()
    {
        Tensor.ManualSeed(0);
        var model = new CharGpt(new CharGptConfig());
        var optimizer = Training.MakeOptimizer(model, 3e-3, (0.9, 0.99), 0.1);
        var names = model.NamedParameters().ToDictionary(p => (object)p.Param, p => p.Name, ReferenceEqualityComparer.Instance);
        var decay = optimizer.ParamGroups[0].Parameters.Select(p => names[p]).ToArray();
        var noDecay = optimizer.ParamGroups[1].Parameters.Select(p => names[p]).ToArray();
        Assert.Equal(0.1, optimizer.ParamGroups[0].WeightDecay);
        Assert.Equal(0.0, optimizer.ParamGroups[1].WeightDecay);
        Assert.Equal(4 * 4 + 1, decay.Length);   // in_proj, out_proj, linear1, linear2 of each block; the head
        Assert.All(decay, n => Assert.EndsWith("weight", n));
        Assert.Contains("tok_emb.weight", noDecay);
        Assert.Contains("pos_emb.weight", noDecay);
        Assert.Contains("blocks.layers.0.norm1.weight", noDecay);
        Assert.Equal(model.Parameters().Count(), decay.Length + noDecay.Length);
    }

    [Fact]
    public void ShortRun_LowersTheLossFromLn27_AndSamplesWords()
    {
        var options = new TrainingOptions(Steps: 20, EvalInterval: 10, EvalBatches: 2, Samples: 2);
        var log = new StringWriter();
        var history = new History();
        var result = Training.Run(Corpus.Value, options, log: log, history: history);
        Assert.Equal(205_595, result.ParameterCount);
        Assert.Equal([0, 10, 20], result.Evaluations.Select(e => e.Step));
        var first = result.Evaluations[0];
        var last = result.Evaluations[^1];
        Assert.InRange(first.TrainLoss, Math.Log(27) - 0.3, Math.Log(27) + 0.4);   // near uniform at the init
        Assert.True(last.TrainLoss < first.TrainLoss - 0.3, $"train loss {first.TrainLoss} -> {last.TrainLoss}");
        Assert.True(last.ValLoss < first.ValLoss - 0.3, $"val loss {first.ValLoss} -> {last.ValLoss}");
        Assert.Equal(20, result.BatchLosses.Count);
        Assert.True(result.BatchLosses.TakeLast(5).Average() < result.BatchLosses.Take(5).Average());
        Assert.Equal(2, result.SamplesBefore.Count);
        Assert.All(result.SamplesAfter, w => Assert.True(w.Length == 0 || Vocabulary.IsWord(w), w));
        Assert.Equal(["train loss", "val loss", "batch loss"], history.Metrics.Steps);
        Assert.Contains("CharGpt: 205,595 parameters", log.ToString());
        Assert.Contains("step    20/20: train loss", log.ToString());
        // Seeded throughout: the same run again gives the same first losses.
        var again = Training.Run(Corpus.Value, options with { Steps = 2, EvalBatches = 1, Samples = 1 });
        Assert.Equal(result.BatchLosses[0], again.BatchLosses[0], 1e-12);
        Assert.Equal(result.SamplesBefore[0], again.SamplesBefore[0]);
    }
}
