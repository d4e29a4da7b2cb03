using System.Xml.Linq;
using Framework.Examples;

namespace Tests.Examples;

/// <summary>The examples' helpers: History's CSV and plot, and the progress reporter's plain-text mode.</summary>
public class TrainingHelpersTests : IDisposable
{
    private readonly string dir = Directory.CreateTempSubdirectory("framework-history-").FullName;

    public void Dispose() => Directory.Delete(dir, recursive: true);

    [Fact]
    public void History_SavesCsvRows_AndOnePanelPerMetric()
    {
        var h = new History();
        h.LogStep(1, "loss", 2.5);
        h.LogStep(2, "loss", 1.25);
        h.LogEpoch(1, "accuracy", 0.75);
        var csv = Path.Combine(dir, "h.csv");
        h.SaveCsv(csv);
        Assert.Equal("kind,index,metric,value\nstep,1,loss,2.5\nstep,2,loss,1.25\nepoch,1,accuracy,0.75\n", File.ReadAllText(csv));
        var (x, y) = h.StepSeries("loss");
        Assert.Equal([1.0, 2.0], x);
        Assert.Equal([2.5, 1.25], y);

        var svg = Path.Combine(dir, "h.svg");
        h.SavePlot(svg);
        var texts = XDocument.Load(svg).Descendants().Where(e => e.Name.LocalName == "text").Select(e => e.Value).ToList();
        Assert.Contains("loss", texts);
        Assert.Contains("accuracy", texts);
        Assert.Contains("epoch", texts);
    }

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
