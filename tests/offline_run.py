"""Execute every notebook with nbclient and report errors; tests/test_offline.py runs this with the network cut.

Usage: ``python -m tests.offline_run`` (prints one line per notebook, exits 1 on any failure).
"""

from __future__ import annotations

import socket
import sys
import time

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from helpers.course import NOTEBOOK_DIR, notebook_files


def network_is_cut() -> bool:
    """True when no outside address can be reached (loopback may still work)."""
    try:
        socket.create_connection(("1.1.1.1", 443), timeout=2).close()
    except OSError:
        return True
    return False


def run_all() -> int:
    failures = 0
    print(f"network cut: {network_is_cut()}")
    for name in notebook_files():
        notebook = nbformat.read(NOTEBOOK_DIR / name, as_version=4)
        client = NotebookClient(notebook, kernel_name="python3", timeout=300,
                                resources={"metadata": {"path": str(NOTEBOOK_DIR)}})
        started = time.perf_counter()
        try:
            client.execute()
            print(f"ok   {name} {time.perf_counter() - started:.1f} s")
        except CellExecutionError as error:
            failures += 1
            print(f"FAIL {name}: {str(error).splitlines()[-1] if str(error) else error!r}")
    return failures


if __name__ == "__main__":
    sys.exit(1 if run_all() else 0)
