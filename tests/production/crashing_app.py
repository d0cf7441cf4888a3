"""A WSGI application whose `/crash` dies in C code (it reads address 0), for the test
that a gunicorn worker's crash leaves its Python stack in the log."""

import ctypes


def app(environ, start_response):
    if environ["PATH_INFO"] == "/crash":
        ctypes.string_at(0)
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]
