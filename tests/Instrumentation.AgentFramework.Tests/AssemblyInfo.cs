// A listener on the agent source sees every span in the process, and the runtime's options are process-wide: tests
// in this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
