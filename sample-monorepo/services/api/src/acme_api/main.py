import argparse
import os
from http.server import HTTPServer

from acme_api import __version__
from acme_api.app import ApiApp, make_handler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="acme-api", description="Serve the acme items API.")
    parser.add_argument("--host", default=os.environ.get("ACME_API_HOST", "0.0.0.0"))
    parser.add_argument("--port", type=int, default=int(os.environ.get("ACME_API_PORT", "8000")))
    parser.add_argument("--db", default=os.environ.get("ACME_DB", ":memory:"))
    parser.add_argument(
        "--check", action="store_true", help="check the installation, print 'acme-api ok', exit"
    )
    parser.add_argument("--version", action="version", version=f"acme-api {__version__}")
    args = parser.parse_args(argv)

    app = ApiApp(args.db)
    if args.check:
        status, _ = app.handle("GET", "/health")
        if status != 200:
            print("acme-api: health check failed")
            return 1
        print("acme-api ok")
        return 0

    server = HTTPServer((args.host, args.port), make_handler(app))
    print(f"acme-api {__version__} listening on http://{args.host}:{server.server_port}")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
