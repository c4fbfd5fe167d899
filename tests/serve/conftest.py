"""A real ``derive serve`` on a free loopback port, started and stopped by the tests."""

import os
import signal
import socket
import subprocess
import sys
import time

import pytest

pytest.importorskip("starlette")
pytest.importorskip("uvicorn")
httpx = pytest.importorskip("httpx")


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``python -m derive serve`` in a child process; ``url``, ``client`` and ``stop()``."""

    def __init__(self, *options):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [sys.executable, "-m", "derive", "serve", "--port", str(self.port), *options],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
        self.client = httpx.Client(base_url=self.url, timeout=60)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"derive serve exited: {self.process.stdout.read().decode()}")
            try:
                if self.client.get("/health").status_code == 200:
                    return
            except httpx.TransportError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("derive serve did not answer within 120 s")

    def stop(self):
        self.client.close()
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.process.stdout.close()


@pytest.fixture(scope="session")
def server():
    """One server for the API and browser tests: two workers, no rate limit, 10 s a task."""
    running = Server("--workers", "2", "--rate", "0", "--timeout", "10")
    yield running
    running.stop()
