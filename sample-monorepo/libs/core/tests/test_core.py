import pytest
from acme_core import Event, Item, slugify
from pydantic import ValidationError


def test_item_validation() -> None:
    item = Item(name="  Widget ", quantity=3)
    assert item.name == "Widget"
    with pytest.raises(ValidationError):
        Item(name="bolt", quantity=-1)


def test_event_topic_and_timestamp() -> None:
    event = Event(topic="item.created", payload={"id": 1})
    assert event.created_at.tzinfo is not None
    with pytest.raises(ValidationError):
        Event(topic="Not A Topic")


@pytest.mark.parametrize(
    ("text", "slug"), [("Hello World", "hello-world"), ("  A--b__C ", "a-b-c"), ("", "")]
)
def test_slugify(text: str, slug: str) -> None:
    assert slugify(text) == slug
