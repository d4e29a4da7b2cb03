"""Seconds since this process started (from /proc), for the "first step done" figures."""
import os
import time

# Untimed epochs between the first epoch and the steady ones, in every twin (Workloads.WarmEpochs in ours).
WARM_EPOCHS = 2


def since_start():
    with open("/proc/self/stat") as f:
        start_ticks = int(f.read().rsplit(")", 1)[1].split()[19])
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - start_ticks / os.sysconf("SC_CLK_TCK")


def report_steps(step, runs=10, steady_after=40):
    """Times step() once cold, then runs more times, and prints "first step", "step" (the median of the next runs) and
    "steady step" (the median of runs steps after steady_after steps in all) in seconds."""
    def median():
        times = []
        for _ in range(runs):
            t = time.perf_counter()
            step()
            times.append(time.perf_counter() - t)
        return sorted(times)[runs // 2]

    t = time.perf_counter()
    step()
    print(f"first step {time.perf_counter() - t}")
    print(f"step {median()}")
    for _ in range(steady_after - 1 - runs):
        step()
    print(f"steady step {median()}")
