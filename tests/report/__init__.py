"""Tests of ptmscope.report and the report/bom commands."""
