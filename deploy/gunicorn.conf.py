"""The portal's gunicorn settings for production: `gunicorn -c deploy/gunicorn.conf.py`.

Threaded workers (`gthread`) by default: a sync worker is held by one connection until
it sends its request, so a few idle connections could stop the whole server; a thread
waiting on an idle socket leaves the others serving. Put a reverse proxy (nginx, see
deploy/README.md) in front all the same: it buffers slow clients and terminates TLS.

Every value can be changed with an environment variable (`GUNICORN_…` below) without
editing this file. The access log carries no personal data: the portal's addresses
hold only ids, never an identity number, and the query string is left out (a search
could carry a name); the client's address is logged as the proxy passes it.
"""

import faulthandler
import multiprocessing
import os

# A worker that dies in C code (a driver's crash: gunicorn logs only "was sent SIGSEGV")
# writes its threads' Python stacks to the error output first; the workers inherit it.
faulthandler.enable()


def _env(name: str, default: str) -> str:
    return os.environ.get(f"GUNICORN_{name}", default)


wsgi_app = "portal:create_app()"
bind = _env("BIND", "127.0.0.1:8000")
worker_class = _env("WORKER_CLASS", "gthread")
workers = int(_env("WORKERS", str(min(4, multiprocessing.cpu_count() + 1))))
threads = int(_env("THREADS", "8"))
timeout = int(_env("TIMEOUT", "60"))  # a worker silent this long is restarted
graceful_timeout = int(_env("GRACEFUL_TIMEOUT", "30"))
keepalive = int(_env("KEEPALIVE", "5"))  # seconds an idle keep-alive connection is kept
max_requests = int(_env("MAX_REQUESTS", "5000"))  # recycle workers now and then
max_requests_jitter = int(_env("MAX_REQUESTS_JITTER", "500"))
limit_request_line = 8190
forwarded_allow_ips = _env("FORWARDED_ALLOW_IPS", "127.0.0.1,::1")  # the proxy's addresses only
proxy_allow_ips = forwarded_allow_ips

accesslog = _env("ACCESSLOG", "-")
errorlog = _env("ERRORLOG", "-")
loglevel = _env("LOGLEVEL", "info")
# Address, time, method and path without the query string, status, size, duration (µs).
access_log_format = '%({x-forwarded-for}i)s %(h)s %(t)s "%(m)s %(U)s" %(s)s %(B)s %(D)s'
