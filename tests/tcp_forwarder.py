"""A TCP forwarder a test can pause: a database that stops answering without refusing.

While paused it accepts connections and reads nothing, and forwards nothing either way,
as a frozen host or a network that drops packets looks to a client: the client's bytes
are acknowledged by the kernel and no answer ever comes.
"""

from __future__ import annotations

import select
import socket
import threading


class Forwarder:
    def __init__(self, target_host: str, target_port: int):
        self.target = (target_host, target_port)
        self.running = threading.Event()
        self.running.set()
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = self.listener.getsockname()[1]
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def pause(self) -> None:
        self.running.clear()

    def resume(self) -> None:
        self.running.set()

    def close(self) -> None:
        self._closed = True
        self.running.set()
        self.listener.close()

    def _accept(self) -> None:
        while not self._closed:
            try:
                client, _ = self.listener.accept()
            except OSError:
                return
            threading.Thread(target=self._pump, args=(client,), daemon=True).start()

    def _pump(self, client: socket.socket) -> None:
        self.running.wait()
        try:
            upstream = socket.create_connection(self.target)
        except OSError:
            client.close()
            return
        pair = {client: upstream, upstream: client}
        try:
            while not self._closed:
                self.running.wait()
                readable, _, _ = select.select(list(pair), [], [], 0.05)
                for sock in readable:
                    if not self.running.is_set():
                        break  # paused between select and read: leave the bytes unread
                    data = sock.recv(65536)
                    if not data:
                        return
                    pair[sock].sendall(data)
        except OSError:
            return
        finally:
            client.close()
            upstream.close()
