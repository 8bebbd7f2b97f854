// Compile-and-run tests attach ActivityListeners, which see every span in the process: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
