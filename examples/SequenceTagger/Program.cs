// PyTorch's LSTM part-of-speech tagger tutorial:  dotnet run -c Release --project examples/SequenceTagger
using Framework.Examples.SequenceTagger;

var (before, after, losses) = Tutorial.Run();
Console.WriteLine("Tag scores of \"The dog ate the apple\" before training:");
Console.WriteLine(before);
foreach (var (epoch, loss) in losses) Console.WriteLine($"epoch {epoch}: loss {loss:F4}");
Console.WriteLine("after 300 epochs (DET NN V DET NN: the largest score of each row):");
Console.WriteLine(after);
var tags = Tutorial.TagToIx.OrderBy(t => t.Value).Select(t => t.Key).ToArray();
Console.WriteLine("predicted: " + string.Join(" ", after.Argmax(1).ToArray<long>().Select(i => tags[i])));
