"""Every notebook runs with the network cut (a new network namespace with only loopback up)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from tests.ci import in_ci
from tests.conftest import ROOT


def _sandbox_available() -> bool:
    if shutil.which("unshare") is None or shutil.which("ip") is None:
        return False
    probe = subprocess.run(["unshare", "-rn", "sh", "-c", "ip link set lo up"], capture_output=True)
    return probe.returncode == 0


def test_every_notebook_runs_with_the_network_cut():
    if not _sandbox_available():
        message = "cannot cut the network here (needs util-linux unshare and iproute2 ip, user namespaces allowed)"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    command = f"ip link set lo up && exec {sys.executable} -m tests.offline_run"
    result = subprocess.run(["unshare", "-rn", "sh", "-c", command], cwd=ROOT, capture_output=True, text=True,
                            timeout=900)
    print(result.stdout)
    assert "network cut: True" in result.stdout, "the sandbox did not cut the network"
    assert result.returncode == 0, result.stdout + result.stderr
