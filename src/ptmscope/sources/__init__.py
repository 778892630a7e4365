"""ptmscope.sources."""
