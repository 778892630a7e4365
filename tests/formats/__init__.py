"""Tests of the shared byte-level format readers and writers (ptmscope.formats)."""
