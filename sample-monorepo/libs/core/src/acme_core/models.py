from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from acme_core.utils import utcnow


class Item(BaseModel):
    """A stock item, as stored and served by acme services."""

    model_config = ConfigDict(str_strip_whitespace=True)

    id: int | None = None
    name: str = Field(min_length=1, max_length=100)
    quantity: int = Field(default=0, ge=0)


class Event(BaseModel):
    """A message published on a topic."""

    topic: str = Field(pattern=r"^[a-z][a-z0-9_.]*$")
    payload: dict[str, Any] = Field(default_factory=dict)
    created_at: datetime = Field(default_factory=utcnow)
