using System.Diagnostics;
using Spectre.Console;

namespace Framework.Examples;

/// <summary>A progress bar per epoch (batch, loss, samples/s, ETA); plain lines when the output is not a terminal, as in CI.</summary>
public static class TrainingProgress
{
    /// <summary>Reports one finished batch: its loss and how many samples it held.</summary>
    public delegate void Reporter(double loss, int samples);

    /// <summary>True when a live bar can be drawn (an interactive terminal, not CI).</summary>
    public static bool Interactive =>
        !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("CI") is null && AnsiConsole.Profile.Capabilities.Interactive;

    /// <summary>Runs <paramref name="body"/> for one epoch of <paramref name="batches"/> batches, showing progress; returns (mean loss, samples/s, seconds).</summary>
    public static (double MeanLoss, double SamplesPerSecond, double Seconds) Epoch(string title, int batches, Action<Reporter> body)
    {
        var clock = Stopwatch.StartNew();
        int done = 0, samples = 0;
        double lossSum = 0;
        string Status() => $"{title} [{done}/{batches}] loss {(done == 0 ? double.NaN : lossSum / done):F4} " +
                           $"{samples / Math.Max(clock.Elapsed.TotalSeconds, 1e-9):F0} samples/s";
        if (Interactive)
        {
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(Markup.Escape(Status()), maxValue: batches);
                    body((loss, n) =>
                    {
                        done++; samples += n; lossSum += loss;
                        task.Increment(1);
                        if (done % 10 == 0 || done == batches) task.Description = Markup.Escape(Status());
                    });
                    task.Description = Markup.Escape(Status());
                });
        }
        else
        {
            int step = Math.Max(1, batches / 5);
            body((loss, n) =>
            {
                done++; samples += n; lossSum += loss;
                if (done % step == 0 || done == batches)
                {
                    double eta = clock.Elapsed.TotalSeconds / done * (batches - done);
                    Console.WriteLine($"{Status()} ETA {eta:F0}s");
                }
            });
        }
        double seconds = clock.Elapsed.TotalSeconds;
        return (done == 0 ? double.NaN : lossSum / done, samples / Math.Max(seconds, 1e-9), seconds);
    }
}
