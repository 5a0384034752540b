// The samples train on every core they are given; running two at once only makes both slower and their timeouts flaky.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
