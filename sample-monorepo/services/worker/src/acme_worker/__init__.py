"""Background worker for acme stock events."""

from acme_worker.worker import Worker

__all__ = ["Worker"]
__version__ = "0.1.0"
