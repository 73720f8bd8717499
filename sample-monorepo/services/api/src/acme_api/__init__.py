"""HTTP API for acme items."""

__version__ = "0.1.0"
