"""ptmscope.risk."""
