// The integration tests trace real processes on a small machine: run them one at a time so their timings
// and the target's scheduling stay undisturbed.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
