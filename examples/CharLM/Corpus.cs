using Framework.Autograd;

namespace CharLM;

/// <summary>The 27 characters of the word model: '.' (the separator between words, index 0), then 'a'..'z' (1..26).</summary>
public static class Vocabulary
{
    /// <summary>The separator that ends every word (and starts the stream), index 0.</summary>
    public const char Separator = '.';

    /// <summary>Number of characters: the separator and the 26 lowercase letters.</summary>
    public const int Size = 27;

    /// <summary>True for a word the model keeps: one or more of the letters a–z and nothing else.</summary>
    public static bool IsWord(string line) => line.Length > 0 && line.All(c => c is >= 'a' and <= 'z');

    /// <summary>The index of c: 0 for '.', 1..26 for 'a'..'z'.</summary>
    public static int Encode(char c) => c == Separator ? 0
        : c is >= 'a' and <= 'z' ? c - 'a' + 1
        : throw new ArgumentException($"'{c}' (U+{(int)c:X4}) is not in the vocabulary: '.' and 'a'..'z'");

    /// <summary>The character of index i in [0, 27).</summary>
    public static char Decode(long i) => i == 0 ? Separator
        : i is >= 1 and < Size ? (char)('a' + i - 1)
        : throw new ArgumentOutOfRangeException(nameof(i), i, $"a character index must be in [0, {Size})");
}

/// <summary>
/// A word list split 90/10 by word into training and validation words (a seeded shuffle), each side turned into one stream
/// of character indices ".word.word.…word." that batches are cut from.
/// </summary>
public sealed class WordCorpus
{
    /// <summary>The words of the corpus (a–z only), shuffled with <paramref name="seed"/>; the first trainFraction of them train the model.</summary>
    public WordCorpus(IEnumerable<string> words, long seed = 0, double trainFraction = 0.9)
    {
        ArgumentNullException.ThrowIfNull(words);
        string[] all = [.. words];
        foreach (var w in all)
            if (!Vocabulary.IsWord(w)) throw new ArgumentException($"'{w}' is not a word of the letters a-z (filter the list with Vocabulary.IsWord)");
        if (all.Length < 2) throw new ArgumentException($"the corpus needs at least 2 words, got {all.Length}");
        if (trainFraction is not (> 0 and < 1)) throw new ArgumentOutOfRangeException(nameof(trainFraction), trainFraction, "trainFraction must be in (0, 1)");
        var order = Tensor.Randperm(all.Length, new Generator(seed)).ToArray<long>();
        int nTrain = Math.Clamp((int)Math.Round(trainFraction * all.Length), 1, all.Length - 1);
        TrainWords = [.. order.Take(nTrain).Select(i => all[i])];
        ValWords = [.. order.Skip(nTrain).Select(i => all[i])];
        Train = Stream(TrainWords);
        Val = Stream(ValWords);
    }

    /// <summary>The corpus of the a–z words of a word-list file (one word a line; other lines are skipped), in the file's order.</summary>
    public static WordCorpus Load(string path, long seed = 0, double trainFraction = 0.9)
        => new(ReadWords(path), seed, trainFraction);

    /// <summary>The lines of a word-list file that are words of the letters a–z (no capitals, apostrophes, accents), in order.</summary>
    public static List<string> ReadWords(string path) => [.. File.ReadLines(path).Where(Vocabulary.IsWord)];

    /// <summary>The training words, in their shuffled order.</summary>
    public IReadOnlyList<string> TrainWords { get; }

    /// <summary>The validation words, in their shuffled order.</summary>
    public IReadOnlyList<string> ValWords { get; }

    /// <summary>The training stream ".w1.w2.….wn." as character indices.</summary>
    public long[] Train { get; }

    /// <summary>The validation stream, as Train.</summary>
    public long[] Val { get; }

    /// <summary>The character indices of ".w1.w2.….wn.": each word ends with the separator, and the stream starts with one.</summary>
    public static long[] Stream(IEnumerable<string> words)
    {
        var s = new List<long> { 0 };
        foreach (var w in words)
        {
            foreach (char c in w) s.Add(Vocabulary.Encode(c));
            s.Add(0);
        }
        return [.. s];
    }

    /// <summary>
    /// batchSize random windows of blockSize + 1 characters of stream (their starts uniform, drawn from generator): the inputs X
    /// are the first blockSize characters, the targets Y the same window shifted by one; both Int64 (batchSize, blockSize).
    /// </summary>
    public static (Tensor X, Tensor Y) Batch(long[] stream, int batchSize, int blockSize, Generator generator)
    {
        ArgumentNullException.ThrowIfNull(stream); ArgumentNullException.ThrowIfNull(generator);
        if (batchSize <= 0 || blockSize <= 0) throw new ArgumentException($"batchSize and blockSize must be positive, got {batchSize} and {blockSize}");
        if (stream.Length < blockSize + 1) throw new ArgumentException($"a stream of {stream.Length} characters is shorter than a window of blockSize + 1 = {blockSize + 1}");
        var starts = Tensor.RandInt(0, stream.Length - blockSize, [batchSize], generator).ToArray<long>();
        var x = new long[batchSize * blockSize];
        var y = new long[batchSize * blockSize];
        for (int b = 0; b < batchSize; b++)
        {
            var window = stream.AsSpan((int)starts[b], blockSize + 1);
            window[..blockSize].CopyTo(x.AsSpan(b * blockSize, blockSize));
            window[1..].CopyTo(y.AsSpan(b * blockSize, blockSize));
        }
        return (Tensor.From(x).Reshape(batchSize, blockSize), Tensor.From(y).Reshape(batchSize, blockSize));
    }
}
