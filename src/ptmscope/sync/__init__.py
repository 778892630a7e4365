"""ptmscope.sync."""
