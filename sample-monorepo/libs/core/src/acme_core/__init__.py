"""Shared models and helpers for acme packages."""

from acme_core.models import Event, Item
from acme_core.utils import slugify, utcnow

__all__ = ["Event", "Item", "slugify", "utcnow"]
__version__ = "0.2.0"
