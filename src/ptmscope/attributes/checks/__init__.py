"""The attribute checks, one module per attribute group; each exports a ``CHECKS`` tuple."""
