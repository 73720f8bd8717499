import json
import re
import sqlite3
from http.server import BaseHTTPRequestHandler
from typing import Any

from acme_core import Event, Item
from acme_storage import ItemRepository, NotFoundError, event_bus
from pydantic import ValidationError

from acme_api import __version__

ITEM_PATH = re.compile(r"/items/(\d+)")


class ApiApp:
    """Routes requests to the item repository; independent of the HTTP server."""

    def __init__(self, db: str = ":memory:") -> None:
        self.bus = event_bus()
        self.repo = ItemRepository(db, bus=self.bus)
        self.events_seen = 0
        self.bus.subscribe("item.*", self._count)

    def _count(self, _event: Event) -> None:
        self.events_seen += 1

    def handle(self, method: str, path: str, body: bytes = b"") -> tuple[int, Any]:
        if method == "GET" and path == "/health":
            return 200, {"status": "ok", "version": __version__, "events": self.events_seen}
        if path == "/items" and method == "GET":
            return 200, [item.model_dump() for item in self.repo.list()]
        if path == "/items" and method == "POST":
            try:
                item = self.repo.add(Item.model_validate_json(body))
            except ValidationError as exc:
                return 422, {"error": exc.errors(include_url=False, include_context=False)}
            except sqlite3.IntegrityError:
                return 409, {"error": "an item with that name exists"}
            return 201, item.model_dump()
        if (match := ITEM_PATH.fullmatch(path)) and method == "GET":
            try:
                return 200, self.repo.get(int(match.group(1))).model_dump()
            except NotFoundError as exc:
                return 404, {"error": str(exc)}
        return 404, {"error": f"no route for {method} {path}"}


def make_handler(app: ApiApp) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        server_version = f"acme-api/{__version__}"

        def do_GET(self) -> None:
            self._respond("GET")

        def do_POST(self) -> None:
            self._respond("POST")

        def _respond(self, method: str) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            status, data = app.handle(method, self.path, self.rfile.read(length))
            body = json.dumps(data).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    return Handler
