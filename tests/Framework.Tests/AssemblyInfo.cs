// Several tests reseed the global generator (Tensor.ManualSeed) and then draw from it, as user scripts do;
// running test classes in parallel would interleave their draws, so the suite runs one test at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
