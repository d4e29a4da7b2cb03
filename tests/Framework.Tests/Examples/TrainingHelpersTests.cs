using Framework.Examples;

namespace Tests.Examples;

/// <summary>The examples' helper: the progress reporter's plain-text mode (History is the library's now: Tests.Plot.HistoryTests).</summary>
public class TrainingHelpersTests
{
    [Fact]
    public void Progress_PrintsPlainLinesWhenNotATerminal_AndAveragesTheLoss()
    {
        var original = Console.Out;
        var sw = new StringWriter();
        Console.SetOut(sw);
        try
        {
            var (mean, perSecond, _) = TrainingProgress.Epoch("epoch 1/1", 10, report =>
            {
                for (int i = 0; i < 10; i++) report(i, 32);
            });
            Assert.Equal(4.5, mean);
            Assert.True(perSecond > 0);
        }
        finally { Console.SetOut(original); }
        var lines = sw.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5, lines.Length);
        Assert.StartsWith("epoch 1/1 [10/10] loss 4.5000", lines[^1]);
        Assert.Contains("samples/s ETA 0s", lines[^1]);
    }
}
