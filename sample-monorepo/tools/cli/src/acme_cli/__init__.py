"""Developer command line for acme data."""

__version__ = "0.1.0"
