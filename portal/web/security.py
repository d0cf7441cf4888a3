"""Response headers that keep pages from being framed, sniffed or loading foreign content.

The portal needs nothing from other origins (no CDN, no external fonts), so the content
security policy can be strict: same-origin only, no inline scripts.
"""

from __future__ import annotations

from flask import Flask, Response

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


def register(app: Flask) -> None:
    @app.after_request
    def add_headers(response: Response) -> Response:
        for name, value in HEADERS.items():
            if name == "Cache-Control" and response.mimetype != "text/html":
                continue  # static files may be cached; pages with personal data may not
            response.headers.setdefault(name, value)
        return response
