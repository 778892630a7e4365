"""ptmscope.demo."""
