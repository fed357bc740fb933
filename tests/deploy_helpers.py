"""``deploy/serve`` (K replicas behind nginx) started and stopped by the tests, on 127.0.0.1.

The supervisor runs in the foreground as a child of the test, with its own run dir (config, pids,
logs) under the test's temp dir; it is stopped with SIGINT, as Ctrl-C stops it.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from email.message import Message
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SERVE = REPO / "deploy" / "serve"
STOP = REPO / "deploy" / "stop"
STARTUP_TIMEOUT_S = 120


def nginx_binary() -> str | None:
    return shutil.which("nginx") or (
        "/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None
    )


def need_nginx() -> str:
    """The nginx binary; without one the test is skipped locally and fails under CI=true."""
    nginx = nginx_binary()
    if nginx is None:
        reason = "nginx is missing (Debian: apt-get install -y nginx)"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(f"the proxy tests cannot run in CI: {reason}", pytrace=False)
        pytest.skip(f"the proxy tests need nginx: {reason}")
    return nginx


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# One line of the access log (deploy/serve's log_format "lab").
_ACCESS = re.compile(
    r"status=(?P<status>\d+) method=(?P<method>\S+) uri=(?P<uri>\S+) "
    r"replica=(?P<replica>.*?) upstream_status=(?P<upstream_status>.*?) route=(?P<route>\S+) "
)


@dataclass(frozen=True)
class Access:
    status: int
    uri: str
    replicas: tuple[str, ...]  # every replica tried, in order ("127.0.0.1:port")
    route: str


class Serve:
    """``deploy/serve --replicas K`` on a free port; ``url``, ``state()``, ``access()``."""

    def __init__(self, run_dir: Path | None = None, replicas: int = 2, *extra: str) -> None:
        # Not under pytest's basetemp by default: a concurrent pytest run (another checkout on a
        # shared machine) prunes old basetemps, and nginx's temp and log files with them.
        self.own_dir = run_dir is None
        self.run_dir = run_dir or Path(tempfile.mkdtemp(prefix="activation-lab-serve-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.cmd = [
            sys.executable, str(SERVE), "--replicas", str(replicas), "--port", str(self.port),
            "--host", "127.0.0.1", "--run-dir", str(self.run_dir), *extra,
        ]  # fmt: skip
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        run_dir = self.run_dir
        run_dir.mkdir(parents=True, exist_ok=True)
        with (run_dir / "serve.stdout").open("wb") as out:
            self.proc = subprocess.Popen(self.cmd, cwd=REPO, stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"deploy/serve exited with {self.proc.returncode}:\n{self.log()}"
                )
            if self.state().get("status") == "running":
                return
            time.sleep(0.2)
        raise RuntimeError(
            f"deploy/serve not running after {STARTUP_TIMEOUT_S} s:\n{self.log()[-4000:]}"
        )

    def stop(self) -> int | None:
        """Ctrl-C: SIGINT to the supervisor; its exit code."""
        if self.proc is None:
            return None
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGINT)
            try:
                self.proc.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)
        return self.proc.returncode

    def cleanup(self) -> None:
        """Remove the run dir if this object made it."""
        if self.own_dir:
            shutil.rmtree(self.run_dir, ignore_errors=True)

    def state(self) -> dict:
        try:
            return json.loads((self.run_dir / "state.json").read_text())
        except (OSError, ValueError):
            return {}

    def replica_addrs(self) -> dict[str, int]:
        """``"127.0.0.1:port"`` -> replica index."""
        return {f"127.0.0.1:{r['port']}": r["index"] for r in self.state()["replicas"]}

    def log(self) -> str:
        """The supervisor's whole log (serve.log)."""
        try:
            return (self.run_dir / "logs" / "serve.log").read_text(errors="replace")
        except OSError:
            return ""

    def access(self) -> list[Access]:
        try:
            text = (self.run_dir / "logs" / "nginx-access.log").read_text()
        except OSError:
            return []
        out = []
        for line in text.splitlines():
            m = _ACCESS.search(line)
            if m:
                out.append(
                    Access(
                        int(m["status"]),
                        m["uri"],
                        tuple(a.strip() for a in m["replica"].split(",") if a.strip() != "-"),
                        m["route"],
                    )
                )
        return out


def get(url: str, route: str | None = None, timeout: float = 30) -> tuple[int, Message]:
    """GET through the proxy (with the route cookie if given): status and headers."""
    req = urllib.request.Request(url)
    if route is not None:
        req.add_header("Cookie", f"lab_route={route}")
    with urllib.request.urlopen(req, timeout=timeout) as r:
        r.read()
        return r.status, r.headers


def route_cookie(headers: Message) -> str | None:
    """The ``lab_route`` value a response sets, if it sets one."""
    for value in headers.get_all("Set-Cookie") or []:
        name, _, rest = value.partition("=")
        if name.strip() == "lab_route":
            return rest.split(";", 1)[0]
    return None


def pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie (exited, not yet reaped) counts as gone
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
