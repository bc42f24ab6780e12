"""Curb Appeal: a workshop game about sales-driven versus product-driven roadmaps."""

__version__ = "0.1.0"
