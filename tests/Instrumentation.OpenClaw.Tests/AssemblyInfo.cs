// An ActivityListener sees every span in the process: tests that collect spans run one at a time.
[assembly: Xunit.CollectionBehavior(DisableTestParallelization = true)]
