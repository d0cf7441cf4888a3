"""Start the portal (or another WSGI app) under gunicorn as a real process on a free port.

Used by `bench.pages` (the portal against a minimal endpoint, same settings) and by the
tests that need real servers: idle connections (tests/production/test_gunicorn.py) and
two instances sharing PostgreSQL and Redis (tests/production/test_two_instances.py).
Settings go in through the environment, as in production; the server's configuration is
the shipped `deploy/gunicorn.conf.py`.
"""

from __future__ import annotations

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[1]
CONFIG = ROOT / "deploy" / "gunicorn.conf.py"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    """`with Server(env) as server:` gunicorn on `server.url`, stopped on leaving."""

    def __init__(self, env: dict, *, app: str | None = None, log: Path | None = None, ready_path: str = "/health"):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **env, "GUNICORN_BIND": f"127.0.0.1:{self.port}"}
        self.app = app
        self.log = log
        self.ready_path = ready_path
        self.process: subprocess.Popen | None = None
        self._output = None

    def __enter__(self) -> Server:
        gunicorn = Path(sys.executable).with_name("gunicorn")
        command = [str(gunicorn), "-c", str(CONFIG)] + ([self.app] if self.app else [])
        self._output = open(self.log, "ab") if self.log else None  # noqa: SIM115 (closed with the process)
        output = self._output or subprocess.DEVNULL
        self.process = subprocess.Popen(command, env=self.env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode} (log: {self.log})")
            try:
                with urllib.request.urlopen(self.url + self.ready_path, timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer on {self.url} within 60 s (log: {self.log})")

    def cpu_seconds(self) -> float:
        """CPU time (user and system) the server's processes, master and workers, have used
        so far: read from /proc (Linux), so that a benchmark can give CPU per request
        whatever else the machine is doing. Workers that gunicorn recycled (`max_requests`)
        count through the master's children's times: without them a recycled worker took
        its share away, and a round could show negative CPU."""
        master = self.process.pid
        pids = [master] + [int(pid) for pid in _read(f"/proc/{master}/task/{master}/children").split()]
        ticks = os.sysconf("SC_CLK_TCK")
        total = 0.0
        for pid in pids:
            fields = _read(f"/proc/{pid}/stat").rsplit(")", 1)[-1].split()
            if fields:
                # utime, stime (fields 14 and 15); for the master also cutime, cstime (16, 17):
                # the workers it has reaped
                times = fields[11:15] if pid == master else fields[11:13]
                total += sum(int(value) for value in times) / ticks
        return total

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._output:
            self._output.close()
            self._output = None


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:  # a process that ended meanwhile
        return ""


class Browser:
    """A client with its own cookies, that does not follow redirects."""

    def __init__(self, base: str, cookies: dict | None = None):
        self.base = urlsplit(base)
        self.cookies = cookies if cookies is not None else {}

    def on(self, base: str) -> Browser:
        return Browser(base, self.cookies)  # the same cookies (one browser), another instance

    def request(self, method: str, path: str, form: dict | None = None) -> tuple[int, str]:
        connection = http.client.HTTPConnection(self.base.hostname, self.base.port, timeout=30)
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        for header in response.headers.get_all("Set-Cookie") or []:
            name, _, rest = header.partition("=")
            self.cookies[name] = rest.split(";", 1)[0]
        text = response.read().decode()
        connection.close()
        return response.status, text

    def post_form(self, page: str, path: str, form: dict) -> int:
        """Post `form` with the CSRF token of `page` (as a browser submitting it would)."""
        return self.request("POST", path, {**form, "csrf_token": self.token(page)})[0]

    def token(self, page: str) -> str:
        """The CSRF token in the forms of `page` (one per session, whichever form)."""
        _, html = self.request("GET", page)
        return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)

    def sign_in(self, email: str, password: str) -> int:
        return self.post_form("/sign-in", "/sign-in", {"email": email, "password": password})
