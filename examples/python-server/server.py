"""Runs the example SCIM service on the standard library's WSGI server.

    python examples/python-server/server.py --port 8000 [--host 127.0.0.1] [--db scim.sqlite3]

The bearer token is read from the environment variable SCIMKIT_TOKEN; for local runs it
defaults to ``scimkit-dev-token`` (never use the default on a reachable host). ``--port 0``
picks a free port. The first line printed gives the URL and the token:

    SCIM service at http://127.0.0.1:8000 (Authorization: Bearer scimkit-dev-token)
"""

from __future__ import annotations

import argparse
import logging
import os
import socketserver
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import scimkit
from app import ScimApp
from store import Store

DEFAULT_TOKEN = "scimkit-dev-token"


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # socketserver's default backlog (5) resets bursts of connections


class LoggingHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        logging.getLogger("scimkit.server.access").info(format, *args)

    def get_environ(self) -> dict[str, str]:
        # wsgiref fills in `text/plain` for a request without a Content-Type (the email
        # package's default), which the app would refuse with 415; WSGI leaves it empty.
        environ = super().get_environ()
        if self.headers.get("Content-Type") is None:
            environ["CONTENT_TYPE"] = ""
        return environ


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Example SCIM 2.0 service (scimkit + sqlite3).")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    parser.add_argument("--db", default="scim.sqlite3", help="SQLite file (':memory:' for none)")
    parser.add_argument("--log-level", default="INFO")
    args = parser.parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(name)s %(levelname)s %(message)s")

    token = os.environ.get("SCIMKIT_TOKEN") or DEFAULT_TOKEN
    if token == DEFAULT_TOKEN:
        logging.warning("using the default token; set SCIMKIT_TOKEN for anything but a local run")
    app = ScimApp(Store(args.db, scimkit.Registry()), token)
    with make_server(
        args.host, args.port, app, server_class=ThreadingWSGIServer, handler_class=LoggingHandler
    ) as httpd:
        print(f"SCIM service at http://{args.host}:{httpd.server_port} (Authorization: Bearer {token})", flush=True)
        try:
            httpd.serve_forever()
        except KeyboardInterrupt:
            pass


if __name__ == "__main__":
    main()
