"""ptmscope.report."""
