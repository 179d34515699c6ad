// Placeholder replaced by the benchmark harness.
print("recommend-bench")
