"""A real ``derive serve`` on a free loopback port, started and stopped by the tests."""

import os
import signal
import socket
import subprocess
import sys
import tempfile
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
        self.log = tempfile.NamedTemporaryFile(prefix="derive-serve-", suffix=".log", delete=False)
        self.process = subprocess.Popen(         # output to a file: a pipe nobody reads would fill
            [sys.executable, "-m", "derive", "serve", "--port", str(self.port), *options],
            stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)
        self.client = httpx.Client(base_url=self.url, timeout=60)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"derive serve exited: {self.output()}")
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
        self.log.close()

    def output(self):
        """What the server printed so far (its log)."""
        with open(self.log.name, encoding="utf-8", errors="replace") as handle:
            return handle.read()


@pytest.fixture(scope="session")
def server():
    """One server for the API and browser tests: two workers, no rate limit, 10 s a task."""
    running = Server("--workers", "2", "--rate", "0", "--timeout", "10")
    yield running
    running.stop()
