"""A Radicale CalDAV server on loopback (the SMTP server is in tests/fixtures_smtp.py)."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest
from fixtures_smtp import free_port


class CalDav:
    def __init__(self, base: str):
        self.base = base

    def request(self, method: str, path: str, body: bytes | None = None, headers=None):
        request = urllib.request.Request(
            self.base + path, data=body, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def put(self, path: str, body: bytes) -> int:
        return self.request("PUT", path, body, {"Content-Type": "text/calendar; charset=utf-8"})[0]

    def get(self, path: str) -> bytes:
        status, body = self.request("GET", path)
        assert status == 200, (status, body)
        return body


@pytest.fixture(scope="session")
def radicale(tmp_path_factory):
    """A Radicale CalDAV server on loopback: no auth, storage in a temporary folder."""
    port = free_port()
    folder = tmp_path_factory.mktemp("radicale")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "radicale",
            "--server-hosts",
            f"127.0.0.1:{port}",
            "--storage-filesystem-folder",
            str(folder / "collections"),
            "--auth-type",
            "none",
            "--logging-level",
            "warning",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = CalDav(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 20
    while True:
        try:
            server.request("OPTIONS", "/")
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("Radicale did not start")
            time.sleep(0.1)
    yield server
    process.terminate()
    process.wait(timeout=10)
