"""Response headers that keep pages from being framed, sniffed, cached or loading foreign content.

The portal needs nothing from other origins (no CDN, no external fonts), so the content
security policy can be strict: same-origin only, no inline scripts. Nothing but the
static files (styles, images) may be kept in a cache: pages and downloaded reports carry
personal data or figures about people. Behind TLS (`PORTAL_SESSION_COOKIE_SECURE`) the
browser is told to use HTTPS only (HSTS); the powerful browser features (camera,
microphone, location …) are switched off for every page.
"""

from __future__ import annotations

from flask import Flask, Response, request

HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": (
        "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
        "payment=(), usb=(), interest-cohort=()"
    ),
}
HSTS = "max-age=31536000; includeSubDomains"


def _static(endpoint: str | None) -> bool:
    """Core's and plugins' static files (`static`, `<blueprint>.static`)."""
    return endpoint is not None and (endpoint == "static" or endpoint.endswith(".static"))


def register(app: Flask) -> None:
    secure = bool(app.config.get("SESSION_COOKIE_SECURE"))

    wanted = {**HEADERS, "Strict-Transport-Security": HSTS} if secure else HEADERS
    by_key = {name.lower(): (name, value) for name, value in wanted.items()}

    @app.after_request
    def add_headers(response: Response) -> Response:
        """Each header the response does not set itself: one pass over its headers, not
        one search of them per header (every response goes through here)."""
        present = {name.lower() for name in response.headers.keys()}
        for key, (name, value) in by_key.items():
            if key not in present:
                response.headers.add(name, value)
        if not _static(request.endpoint):
            response.headers["Cache-Control"] = "no-store"  # pages and downloads alike (send_file sets no-cache)
        return response
