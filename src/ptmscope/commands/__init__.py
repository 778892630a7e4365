"""CLI command groups. Each module has ``register(app)``; ``ptmscope.cli`` assembles them."""
