// Several tests reseed the global generator (Tensor.ManualSeed) and then draw from it, as user scripts do;
// running test classes in parallel would interleave their draws, so the suite runs one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Tests
{
    /// <summary>Runs the whole suite with every storage pooled and every uninitialized output filled with garbage, so an op that reads what it did not write fails its test.</summary>
    internal static class PoolSetup
    {
        [System.Runtime.CompilerServices.ModuleInitializer]
        internal static void PoisonUninitializedStorage()
        {
            Framework.Autograd.StoragePool.Options = new() { MinBytes = 1, Poison = true, Budget = 1 << 20 };
        }
    }
}
