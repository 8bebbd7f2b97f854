// A tracer provider that adds the agent source listens to every span in the process, and the runtime's options are
// process-wide: tests in this assembly run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
