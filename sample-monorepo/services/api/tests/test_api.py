import json
import threading
import urllib.request
from http.server import HTTPServer

import pytest
from acme_api.app import ApiApp, make_handler
from acme_api.main import main


def test_routes() -> None:
    app = ApiApp()
    assert app.handle("POST", "/items", b'{"name": "widget", "quantity": 2}')[0] == 201
    assert app.handle("POST", "/items", b'{"name": "widget"}')[0] == 409
    assert app.handle("POST", "/items", b'{"name": ""}')[0] == 422
    assert app.handle("GET", "/items/1") == (200, {"id": 1, "name": "widget", "quantity": 2})
    assert app.handle("GET", "/items/2")[0] == 404
    assert app.handle("GET", "/health")[1]["events"] == 1


def test_server_round_trip() -> None:
    server = HTTPServer(("127.0.0.1", 0), make_handler(ApiApp()))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    try:
        request = urllib.request.Request(f"{base}/items", data=b'{"name": "bolt"}', method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 201
        with urllib.request.urlopen(f"{base}/items", timeout=5) as response:
            assert [item["name"] for item in json.load(response)] == ["bolt"]
    finally:
        server.shutdown()
        server.server_close()


def test_check_flag(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--check"]) == 0
    assert capsys.readouterr().out.strip() == "acme-api ok"
