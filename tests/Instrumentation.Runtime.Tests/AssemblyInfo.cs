// ActivityListeners and AgentTelemetry.Configure are process-wide: run tests one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
