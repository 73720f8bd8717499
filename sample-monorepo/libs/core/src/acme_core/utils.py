import re
from datetime import UTC, datetime


def slugify(text: str) -> str:
    """Lower-case `text` and join its words with single dashes."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def utcnow() -> datetime:
    return datetime.now(UTC)
