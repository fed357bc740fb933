"""deploy/serve: the nginx config it writes, and the whole lifecycle over HTTP (no browser).

The lifecycle test starts two real replicas behind Debian's nginx on 127.0.0.1 and checks what a
school relies on: a browser's cookie keeps it on one replica, new browsers spread over both, a
replica that is killed costs no request an error and is restarted by the supervisor, and Ctrl-C
stops every process it started. The browser-level checks are in tests/e2e/test_proxy_browser.py.
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
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
from pathlib import Path

import pytest

from tests.deploy_helpers import (
    SERVE,
    STOP,
    Serve,
    free_port,
    get,
    need_nginx,
    pid_alive,
    route_cookie,
)


def _load_serve():
    loader = importlib.machinery.SourceFileLoader("deploy_serve", str(SERVE))
    spec = importlib.util.spec_from_loader("deploy_serve", loader)
    module = importlib.util.module_from_spec(spec)
    sys.modules["deploy_serve"] = module  # dataclasses look their module up there
    loader.exec_module(module)
    return module


serve = _load_serve()


def test_nginx_conf_keeps_every_path_in_the_run_dir(tmp_path):
    conf = serve.nginx_conf(tmp_path, "127.0.0.1", 8080, [9001, 9002])
    paths = re.findall(r"(?m)^\s*(?:pid|error_log|access_log|\w+_temp_path)\s+(\S+)", conf)
    assert len(paths) == 8  # pid, error_log, access_log and five temp paths
    for p in paths:
        assert Path(p.rstrip(";")).is_relative_to(tmp_path), p
    assert "include" not in conf  # nothing from /etc/nginx
    assert "user " not in conf  # runs as whoever starts it


def test_nginx_conf_routes_by_cookie_not_by_address(tmp_path):
    conf = serve.nginx_conf(tmp_path, "127.0.0.1", 8080, [9001, 9002, 9003])
    assert "ip_hash" not in conf  # a classroom shares one public address
    assert re.search(r"hash \$lab_route consistent;", conf)
    assert re.search(r"map \$cookie_lab_route \$lab_route \{\s*\"\" \$request_id;", conf)
    assert "add_header Set-Cookie $lab_set_cookie always;" in conf
    for port in (9001, 9002, 9003):
        assert f"server 127.0.0.1:{port} max_fails=1 fail_timeout=5s;" in conf
    assert "listen 127.0.0.1:8080;" in conf
    assert "proxy_next_upstream error timeout http_502 http_503 http_504;" in conf


def test_nginx_conf_upgrades_the_streamlit_websocket(tmp_path):
    conf = serve.nginx_conf(tmp_path, "0.0.0.0", 8080, [9001])
    stream = conf.split("location /_stcore/stream {", 1)[1].split("}", 1)[0]
    assert "proxy_set_header Upgrade $http_upgrade;" in stream
    assert "proxy_set_header Connection $connection_upgrade;" in stream
    assert "proxy_read_timeout 1h;" in stream
    # a location with its own proxy_set_header does not inherit the server's: Host is repeated
    assert "proxy_set_header Host $http_host;" in stream
    rest = conf.split("location / {", 1)[1].split("}", 1)[0]
    assert "proxy_read_timeout 10s;" in rest  # a hung replica's HTTP requests move on


def test_nginx_accepts_the_generated_conf(tmp_path):
    nginx = need_nginx()
    conf = serve.write_nginx_conf(tmp_path, "127.0.0.1", 8080, [9001, 9002])
    err = str(tmp_path / "logs" / "nginx-error.log")
    r = subprocess.run(
        [nginx, "-t", "-p", str(tmp_path), "-c", str(conf), "-e", err],
        capture_output=True,
        text=True,
    )
    assert r.returncode == 0, r.stderr
    assert "syntax is ok" in r.stderr


def test_serve_defaults_one_replica_per_core_and_logs_under_deploy_run():
    args = serve.parse_args([])
    assert args.replicas == len(os.sched_getaffinity(0))
    assert args.port == 8080
    assert args.host == "127.0.0.1"  # the network only when asked (--host 0.0.0.0)
    assert args.run_dir == serve.REPO / "deploy" / "run" / "8080"
    assert serve.parse_args(["--port", "9000"]).run_dir.name == "9000"


def test_serve_rejects_bad_arguments_with_a_message():
    for argv, text in (
        (["--replicas", "0"], "--replicas must be at least 1"),
        (["--port", "70000"], "--port must be between 1 and 65535"),
    ):
        r = subprocess.run([sys.executable, str(SERVE), *argv], capture_output=True, text=True)
        assert r.returncode == 2
        assert text in r.stderr


def test_stop_without_a_running_serve_says_so(tmp_path):
    r = subprocess.run(
        [sys.executable, str(STOP), "--run-dir", str(tmp_path)], capture_output=True, text=True
    )
    assert r.returncode == 1
    assert "nothing to stop" in r.stderr


def _replica(headers) -> str:
    return headers["X-Lab-Replica"].split(",")[-1].strip()  # the one that answered


def test_serve_sticky_failover_restart_and_ctrl_c():
    need_nginx()
    s = Serve(None, 2, "--restart-delay", "1", "--check-every", "0.5")
    try:
        s.start()
        addrs = s.replica_addrs()
        assert len(addrs) == 2

        # New browsers get a cookie and spread over both replicas; each stays on its own.
        routes: dict[str, str] = {}
        for _ in range(24):
            status, headers = get(s.url + "/_stcore/health")
            assert status == 200
            route = route_cookie(headers)
            assert route and re.fullmatch(r"[0-9a-f]{32}", route)
            routes[route] = _replica(headers)
        assert set(routes.values()) == set(addrs)  # 2**-23 odds of all on one by chance
        for route, replica in list(routes.items())[:8]:
            for path in ("/_stcore/health", "/explorer?activation=elu", "/_stcore/host-config"):
                status, headers = get(s.url + path, route)
                assert status == 200
                assert _replica(headers) == replica
                assert route_cookie(headers) is None  # kept, not replaced

        # Kill replica 1: its students' next requests are answered by replica 2, without errors.
        victim = s.state()["replicas"][0]
        victim_addr = f"127.0.0.1:{victim['port']}"
        on_victim = [r for r, rep in routes.items() if rep == victim_addr]
        subprocess.run(["kill", "-9", str(victim["pid"])], check=True)
        killed_at = len(s.access())
        for route in on_victim:
            status, headers = get(s.url + "/explorer?activation=elu&param_alpha=1.5", route)
            assert status == 200
            assert _replica(headers) != victim_addr
        assert all(a.status < 500 for a in s.access()[killed_at:])

        # The supervisor restarts it on the same port; its students return to it.
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            state = s.state()["replicas"][0]
            if state["restarts"] == 1 and "replica 1 healthy" in s.log().split("exited with")[-1]:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"replica 1 was not restarted:\n{s.log()}")
        assert state["pid"] != victim["pid"]
        assert "replica 1 (pid" in s.log() and "exited with -9" in s.log()
        time.sleep(5.5)  # nginx's fail_timeout: it tries the replica again
        status, headers = get(s.url + "/_stcore/health", on_victim[0])
        assert status == 200 and _replica(headers) == victim_addr

        # A replica that hangs (alive, not answering) is killed and restarted after
        # --max-fails (3) failed health checks.
        hung = s.state()["replicas"][1]
        os.kill(hung["pid"], signal.SIGSTOP)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            state = s.state()["replicas"][1]
            since_kill = s.log().split("replica 2 (pid")[-1]
            if state["restarts"] == 1 and "replica 2 healthy" in since_kill:
                break
            time.sleep(0.5)
        else:
            pytest.fail(f"the hung replica 2 was not restarted:\n{s.log()}")
        assert "replica 2 failed 3 health checks in a row: killing it" in s.log()
        assert not pid_alive(hung["pid"])

        # A replica whose port was taken while it was down comes back on another port, and
        # nginx is told.
        moved = s.state()["replicas"][0]
        s.proc.send_signal(signal.SIGSTOP)  # no restart before the squatter has the port
        try:
            os.kill(moved["pid"], signal.SIGKILL)
            while pid_alive(moved["pid"]):
                time.sleep(0.02)
            squatter = socket.socket()
            squatter.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            deadline = time.monotonic() + 20
            while True:  # the dead replica's closing sockets may hold the port for a moment
                try:
                    squatter.bind(("127.0.0.1", moved["port"]))
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            squatter.listen()
        finally:
            s.proc.send_signal(signal.SIGCONT)
        with squatter:
            deadline = time.monotonic() + 90
            while time.monotonic() < deadline:
                state = s.state()["replicas"][0]
                if (
                    state["port"] != moved["port"]
                    and "replica 1 healthy" in s.log().split("is taken now")[-1]
                ):
                    break
                time.sleep(0.5)
            else:
                pytest.fail(f"replica 1 did not move off its taken port:\n{s.log()}")
        assert "nginx reloaded with the new replica ports" in s.log()
        new_addr = f"127.0.0.1:{state['port']}"
        # new browsers reach it on its new port once nginx's new worker runs (until then an old
        # worker may try the squatter, wait out proxy_read_timeout, and answer from replica 2)
        seen: set[str] = set()
        deadline = time.monotonic() + 60
        while new_addr not in seen and time.monotonic() < deadline:
            status, headers = get(s.url + "/_stcore/health", timeout=30)
            assert status == 200
            seen.add(_replica(headers))
        assert new_addr in seen, (seen, s.log()[-2000:])
        assert f"127.0.0.1:{moved['port']}" not in seen

        # Ctrl-C stops nginx and every replica it started.
        pids = [r["pid"] for r in s.state()["replicas"]] + [s.state()["nginx_pid"]]
        assert s.stop() == 0
        assert not [pid for pid in pids if pid_alive(pid)]
        assert s.state()["status"] == "stopped"
        assert not (s.run_dir / "serve.pid").exists()
    finally:
        s.stop()
        s.cleanup()


def test_background_start_and_deploy_stop():
    need_nginx()
    run_dir = Path(tempfile.mkdtemp(prefix="activation-lab-serve-"))  # see Serve.__init__
    port = str(free_port())
    r = subprocess.run(
        [sys.executable, str(SERVE), "--replicas", "1", "--port", port, "--run-dir", str(run_dir),
         "--background"],
        capture_output=True, text=True, timeout=180,
    )  # fmt: skip
    try:
        assert r.returncode == 0, r.stderr
        assert f"http://127.0.0.1:{port}" in r.stdout
        status, _ = get(f"http://127.0.0.1:{port}/_stcore/health")
        assert status == 200
    finally:
        stopped = subprocess.run(
            [sys.executable, str(STOP), "--run-dir", str(run_dir)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
    assert stopped.returncode == 0, stopped.stderr
    assert "stopped" in stopped.stdout
    state = json.loads((run_dir / "state.json").read_text())
    pids = [rep["pid"] for rep in state["replicas"]] + [state["nginx_pid"], state["serve_pid"]]
    assert not [pid for pid in pids if pid_alive(pid)]
    shutil.rmtree(run_dir, ignore_errors=True)


def test_stop_cleans_up_after_a_killed_supervisor():
    need_nginx()
    s = Serve(None, 1)
    try:
        s.start()
        state = s.state()
        s.proc.kill()  # the supervisor dies without stopping anything
        s.proc.wait(timeout=10)
        left = [r["pid"] for r in state["replicas"]] + [state["nginx_pid"]]
        assert all(pid_alive(pid) for pid in left)
        r = subprocess.run(
            [sys.executable, str(STOP), "--run-dir", str(s.run_dir)],
            capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert r.returncode == 0, r.stderr
        assert "stopped 2 process(es) it had left" in r.stdout
        deadline = time.monotonic() + 10  # gone, or a zombie until init reaps it
        while [pid for pid in left if pid_alive(pid)] and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in left if pid_alive(pid)]
    finally:
        s.stop()
        s.cleanup()


def test_each_replica_gets_its_share_of_the_cores_as_training_workers(monkeypatch):
    from ui import workers

    serve = _load_serve()
    assert serve.WORKERS_VARIABLE == workers.WORKERS_VARIABLE
    monkeypatch.setattr(serve, "default_replicas", lambda: 8)
    assert [serve.workers_per_replica(k) for k in (1, 2, 3, 8, 16)] == [8, 4, 2, 1, 1]
