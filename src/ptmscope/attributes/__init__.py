"""ptmscope.attributes."""
