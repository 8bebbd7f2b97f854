// These tests build, pack and publish the repository's own projects in child processes: two at once would write the
// same build outputs. One at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
