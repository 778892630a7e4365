"""ptmscope.perf."""
