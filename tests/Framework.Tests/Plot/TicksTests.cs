using Framework.Plot;

namespace Tests.Plot;

/// <summary>Nice 1-2-5 ticks, log ticks, and tidy labels.</summary>
public class TicksTests
{
    [Fact]
    public void Linear_ZeroToOne_StepsOfPointTwo()
    {
        var ticks = Ticks.Linear(0, 1);
        Assert.Equal([0, 0.2, 0.4, 0.6, 0.8, 1], ticks);
        Assert.Equal(["0", "0.2", "0.4", "0.6", "0.8", "1"], Ticks.Labels(ticks, Ticks.NiceStep(0, 1)));
    }

    [Fact]
    public void Linear_NegativeToPositive_StepsOfTwo()
    {
        var ticks = Ticks.Linear(-3.7, 12.2);
        Assert.Equal([-2, 0, 2, 4, 6, 8, 10, 12], ticks);
        Assert.Equal(["-2", "0", "2", "4", "6", "8", "10", "12"], Ticks.Labels(ticks, 2));
    }

    [Theory]
    [InlineData(0, 1, 6)]
    [InlineData(-3.7, 12.2, 6)]
    [InlineData(0.001, 0.0013, 5)]
    [InlineData(-1e9, 3e9, 7)]
    [InlineData(99.5, 100.5, 4)]
    [InlineData(-7, -6.99, 10)]
    public void Linear_StepsAre125_AndTicksInsideRange(double min, double max, int target)
    {
        var ticks = Ticks.Linear(min, max, target);
        Assert.True(ticks.Length >= 2, $"only {ticks.Length} ticks for [{min}, {max}]");
        Assert.All(ticks, t => Assert.InRange(t, min - 1e-9 * (max - min), max + 1e-9 * (max - min)));
        double step = Ticks.NiceStep(min, max, target);
        double mantissa = step / Math.Pow(10, Math.Floor(Math.Log10(step)));
        Assert.Contains(Math.Round(mantissa, 9), new[] { 1.0, 2.0, 5.0 });
        for (int i = 1; i < ticks.Length; i++)
            Assert.Equal(step, ticks[i] - ticks[i - 1], step * 1e-6);
    }

    [Fact]
    public void Labels_HaveNoFloatNoise()
    {
        var ticks = Ticks.Linear(0, 0.7, 8);  // steps of 0.1: 3 * 0.1 is 0.30000000000000004 in doubles
        var labels = Ticks.Labels(ticks, Ticks.NiceStep(0, 0.7, 8));
        Assert.Equal(["0", "0.1", "0.2", "0.3", "0.4", "0.5", "0.6", "0.7"], labels);
        Assert.Equal(0.3, ticks[3]);
    }

    [Fact]
    public void Labels_NoNegativeZero_AndScientificForLargeValues()
    {
        Assert.Equal(["-1", "0", "1"], Ticks.Labels([-1, -0.0, 1], 1));
        var ticks = Ticks.Linear(0, 3e6, 4);
        Assert.Equal(["0", "1e6", "2e6", "3e6"], Ticks.Labels(ticks, 1e6));
        Assert.Equal(["1e-4", "1.5e-4", "2e-4"], Ticks.Labels([1e-4, 1.5e-4, 2e-4], 5e-5));
    }

    [Fact]
    public void Log_ThousandthToThousand_PowersOfTen()
    {
        var ticks = Ticks.Log10(1e-3, 1e3, 8);
        Assert.Equal([1e-3, 1e-2, 1e-1, 1, 10, 100, 1000], ticks);
        Assert.Equal(["0.001", "0.01", "0.1", "1", "10", "100", "1000"], Ticks.LogLabels(ticks));
    }

    [Fact]
    public void Log_ManyDecades_SkipsSomeAndUsesExponents()
    {
        var ticks = Ticks.Log10(1e-12, 1e12, 6);
        Assert.InRange(ticks.Length, 2, 9);
        Assert.All(ticks, t => Assert.Equal(Math.Round(Math.Log10(t)), Math.Log10(t), 9));
        var labels = Ticks.LogLabels(ticks);
        Assert.Contains("1", labels);
        Assert.Equal(["1e-10", "1e-5", "1", "100000", "1e10"], labels); // every 5 decades, aligned on multiples of 5
    }

    [Fact]
    public void Log_ShortRange_Uses125WithinDecades()
    {
        var ticks = Ticks.Log10(0.014, 2.1);
        Assert.Equal([0.02, 0.05, 0.1, 0.2, 0.5, 1, 2], ticks);
        Assert.Equal(["0.02", "0.05", "0.1", "0.2", "0.5", "1", "2"], Ticks.LogLabels(ticks));
        Assert.True(Ticks.Log10(3, 4).Length >= 2); // inside one decade: linear ticks
    }

    [Fact]
    public void Log_MinorTicks_AreTwoToNineTimesPowers()
    {
        var minor = Ticks.Log10Minor(1, 100);
        Assert.Equal([2, 3, 4, 5, 6, 7, 8, 9, 20, 30, 40, 50, 60, 70, 80, 90], minor);
    }

    [Fact]
    public void Degenerate_Ranges()
    {
        Assert.Equal([5.0], Ticks.Linear(5, 5));
        Assert.Equal(Ticks.Linear(0, 1), Ticks.Linear(1, 0));
        Assert.Throws<ArgumentException>(() => Ticks.Linear(0, double.NaN));
        Assert.Throws<ArgumentException>(() => Ticks.Log10(0, 10));
    }
}
