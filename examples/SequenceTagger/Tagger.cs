// The LSTM part-of-speech tagger of PyTorch's tutorial "Sequence Models and Long Short-Term Memory Networks", line by line.
// (tests/Framework.Tests compiles this file too, and checks the scores against the tutorial run by PyTorch.)
using Framework.Autograd;
using Framework.NN;
using Framework.Optim;
using F = Framework.NN.Functional;

namespace Framework.Examples.SequenceTagger;

/// <summary>Embedding → LSTM → Linear → log-softmax over the tags of each word.</summary>
public sealed class LSTMTagger : Module
{
    private readonly Embedding word_embeddings;
    private readonly LSTM lstm;
    private readonly Linear hidden2tag;

    /// <summary>The tagger for a vocabulary and a tag set.</summary>
    public LSTMTagger(int embeddingDim, int hiddenDim, int vocabSize, int tagsetSize)
    {
        word_embeddings = new Embedding(vocabSize, embeddingDim);
        lstm = new LSTM(embeddingDim, hiddenDim);
        hidden2tag = new Linear(hiddenDim, tagsetSize);
    }

    /// <summary>Log-probabilities of each tag for each word of the sentence (Int64 word indices).</summary>
    public override Tensor Forward(Tensor sentence)
    {
        var embeds = word_embeddings.Call(sentence);
        var (lstmOut, _) = lstm.Forward(embeds.View(sentence.Size(0), 1, -1), null);
        var tagSpace = hidden2tag.Call(lstmOut.View(sentence.Size(0), -1));
        return F.LogSoftmax(tagSpace, dim: 1);
    }
}

/// <summary>The tutorial's data and training loop.</summary>
public static class Tutorial
{
    /// <summary>The two training sentences and their tags.</summary>
    public static readonly (string[] Sentence, string[] Tags)[] TrainingData =
    [
        ("The dog ate the apple".Split(), ["DET", "NN", "V", "DET", "NN"]),
        ("Everybody read that book".Split(), ["NN", "V", "DET", "NN"]),
    ];

    /// <summary>The tag indices.</summary>
    public static readonly Dictionary<string, int> TagToIx = new() { ["DET"] = 0, ["NN"] = 1, ["V"] = 2 };

    private static Tensor PrepareSequence(string[] seq, Dictionary<string, int> toIx) => Tensor.From(seq.Select(w => (long)toIx[w]).ToArray());

    /// <summary>Trains for 300 epochs after ManualSeed(1): the first sentence's scores before and after, and the loss every 50 epochs.</summary>
    public static (Tensor Before, Tensor After, Dictionary<int, double> Losses) Run(int epochs = 300)
    {
        var wordToIx = new Dictionary<string, int>();
        foreach (var (sent, _) in TrainingData)
            foreach (var word in sent)
                wordToIx.TryAdd(word, wordToIx.Count);
        const int EmbeddingDim = 6, HiddenDim = 6;

        Tensor.ManualSeed(1);
        var model = new LSTMTagger(EmbeddingDim, HiddenDim, wordToIx.Count, TagToIx.Count);
        var lossFunction = new NLLLoss();
        var optimizer = new SGD(model.Parameters(), lr: 0.1);

        Tensor before, after;
        using (new NoGrad()) before = model.Call(PrepareSequence(TrainingData[0].Sentence, wordToIx));

        var losses = new Dictionary<int, double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            Tensor? loss = null;
            foreach (var (sentence, tags) in TrainingData)
            {
                model.ZeroGrad();
                var sentenceIn = PrepareSequence(sentence, wordToIx);
                var targets = PrepareSequence(tags, TagToIx);
                var tagScores = model.Call(sentenceIn);
                loss = lossFunction.Forward(tagScores, targets);
                loss.Backward();
                optimizer.Step();
            }
            if (epoch % 50 == 49) losses[epoch + 1] = loss!.Item();
        }

        using (new NoGrad()) after = model.Call(PrepareSequence(TrainingData[0].Sentence, wordToIx));
        return (before, after, losses);
    }
}
