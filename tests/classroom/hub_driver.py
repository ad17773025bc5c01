"""Drive the classroom hub as students do, through its REST API and kernel websockets (no browser).

Used by ``tests/classroom/test_classroom_hub.py`` and by the load test ``tests/classroom/loadtest.py``.

* :class:`Hub` starts ``python -m helpers.classroom`` on free loopback ports with its own state
  folder (shared accounts; ``--allow-root-students`` when run as root, as in CI containers) and
  stops or restarts it.
* :class:`Student` logs in through the hub's login form (the password typed at the first login
  becomes theirs), asks the hub for an API token, starts their server and talks to it.
* :meth:`Student.run_notebook` opens a chapter as JupyterLab does (a session, then the kernel's
  websocket), runs every code cell in order and records the time to the first chart (the first
  ``JupyterChart`` widget the kernel sends) and the live panels' sliders; :meth:`KernelRun.move_slider`
  moves one slider as the browser would and times the redrawn chart's arrival.

Every wait is bounded and fails with a message that says what did not happen.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import struct
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import websocket

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # run as a file from tests/classroom (pytest) or as tests.classroom.hub_driver
    sys.path.insert(0, str(ROOT))
from helpers.classroom import COURSE_FOLDER, proxy_missing  # noqa: E402

PYTHON = ROOT / ".venv" / "bin" / "python"
STARTUP_TIMEOUT_S = 60
SPAWN_TIMEOUT_S = 120


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def missing() -> str | None:
    """Why the hub cannot start here (Node.js or the npm-installed proxy missing), or None."""
    return proxy_missing()


class Hub:
    """``python -m helpers.classroom`` on 127.0.0.1:<free port>, with a private state folder."""

    def __init__(self, students: list[str], state: Path | None = None, extra_args: list[str] | None = None):
        self.students = list(students)
        self.own_state = state is None
        self.state = Path(state or tempfile.mkdtemp(prefix="course-hub-"))
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.extra_args = list(extra_args or [])
        self.process: subprocess.Popen | None = None
        self.log_path = self.state.parent / f"{self.state.name}.log"
        self.start()

    def start(self, timeout_s: float = STARTUP_TIMEOUT_S) -> None:
        command = [str(PYTHON if PYTHON.exists() else sys.executable), "-m", "helpers.classroom",
                   "--students", ",".join(self.students), "--state", str(self.state), "--port", str(self.port),
                   "--accounts", "shared", *self.extra_args]
        if os.geteuid() == 0:
            command.append("--allow-root-students")  # containers/CI run as root; students share one account
        self._log = open(self.log_path, "ab")
        env = {key: value for key, value in os.environ.items() if not key.startswith(("JUPYTER", "JPY_"))}
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self._log, stderr=subprocess.STDOUT,
                                        stdin=subprocess.DEVNULL, env=env, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the hub exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(f"{self.url}/hub/api/", timeout=2).status_code == 200:
                    return
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the hub did not answer within {timeout_s} s:\n{self.log_tail()}")
            time.sleep(0.2)

    @property
    def teacher_password(self) -> str:
        return (self.state / "teacher-password.txt").read_text(encoding="utf-8").strip()

    def log_tail(self, lines: int = 40) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"

    def stop(self, timeout_s: float = 60) -> None:
        """SIGTERM: JupyterHub stops every student's server, the culler and the proxy, then exits. Whatever
        it started and left behind (it ran out of time, or was killed) is then killed here: the students'
        servers run in sessions of their own, so killing the hub's process group would not reach them."""
        if self.process and self.process.poll() is None:
            try:
                started = psutil.Process(self.process.pid).children(recursive=True)
            except psutil.NoSuchProcess:
                started = []
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            for process in started:
                try:
                    if process.is_running():
                        process.kill()
                except psutil.NoSuchProcess:
                    pass
        if getattr(self, "_log", None):
            self._log.close()

    def restart(self) -> None:
        self.stop()
        self.start()

    def cleanup(self) -> None:
        self.stop()
        if self.own_state:
            shutil.rmtree(self.state, ignore_errors=True)
            try:
                self.log_path.unlink()
            except OSError:
                pass

    def student_home(self, name: str) -> Path:
        return self.state / "students" / name

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()


class Student:
    """One student in a ``requests`` session: login form, API token, their server."""

    def __init__(self, hub: Hub, name: str, password: str | None = None):
        self.hub, self.name = hub, name
        self.password = password or f"pw-{name}-{uuid.uuid4().hex[:8]}"
        self.http = requests.Session()
        self.token: str | None = None

    # -- the hub ---------------------------------------------------------------------------------
    def login(self, password: str | None = None) -> bool:
        """Log in through the form; True if the hub accepted the name and password."""
        self.http.get(f"{self.hub.url}/hub/login", timeout=30)
        xsrf = self.http.cookies.get("_xsrf", path="/hub/") or self.http.cookies.get("_xsrf")
        reply = self.http.post(f"{self.hub.url}/hub/login?next=", timeout=60, allow_redirects=False,
                               data={"username": self.name, "password": password or self.password, "_xsrf": xsrf})
        return reply.status_code == 302 and any(c.name.startswith("jupyterhub-hub-login") for c in self.http.cookies)

    def request_token(self) -> str:
        """An API token of this student's own (the hub's token page does the same)."""
        xsrf = self.http.cookies.get("_xsrf", path="/hub/") or self.http.cookies.get("_xsrf")
        reply = self.http.post(f"{self.hub.url}/hub/api/users/{self.name}/tokens", timeout=30,
                               headers={"X-XSRFToken": xsrf, "Referer": f"{self.hub.url}/hub/token"},
                               json={"note": "course test", "expires_in": 3600})
        reply.raise_for_status()
        self.token = reply.json()["token"]
        return self.token

    @property
    def headers(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def hub_api(self, method: str, path: str, **kwargs) -> requests.Response:
        return requests.request(method, f"{self.hub.url}/hub/api{path}", headers=self.headers, timeout=60, **kwargs)

    def start_server(self, timeout_s: float = SPAWN_TIMEOUT_S) -> float:
        """Start this student's server; seconds until the hub reports it ready."""
        started = time.monotonic()
        reply = self.hub_api("POST", f"/users/{self.name}/server")
        if reply.status_code not in (201, 202, 400):  # 400: already running
            raise RuntimeError(f"{self.name}: starting the server: HTTP {reply.status_code} {reply.text[:200]}")
        while time.monotonic() - started < timeout_s:
            model = self.hub_api("GET", f"/users/{self.name}").json()
            server = model.get("servers", {}).get("")
            if server and server.get("ready"):
                return time.monotonic() - started
            if not model.get("pending") and not server and time.monotonic() - started > 5:
                raise RuntimeError(f"{self.name}: the server stopped while starting:\n{self.hub.log_tail(15)}")
            time.sleep(0.25)
        raise RuntimeError(f"{self.name}: the server was not ready within {timeout_s} s")

    def stop_server(self, timeout_s: float = 60) -> None:
        """Stop this student's server (what the idle culler does)."""
        self.hub_api("DELETE", f"/users/{self.name}/server")
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            model = self.hub_api("GET", f"/users/{self.name}").json()
            if not model.get("servers") and not model.get("pending"):
                return
            time.sleep(0.25)
        raise RuntimeError(f"{self.name}: the server did not stop within {timeout_s} s")

    def server_running(self) -> bool:
        return bool(self.hub_api("GET", f"/users/{self.name}").json().get("servers"))

    # -- their server ------------------------------------------------------------------------------
    def api(self, method: str, path: str, user: str | None = None, **kwargs) -> requests.Response:
        """A call to a student's server (``user``: another student's, for the isolation checks)."""
        return requests.request(method, f"{self.hub.url}/user/{user or self.name}/api{path}", headers=self.headers,
                                timeout=60, allow_redirects=False, **kwargs)

    def list_files(self, path: str = "") -> list[str]:
        reply = self.api("GET", f"/contents/{path}")
        reply.raise_for_status()
        return sorted(item["name"] for item in reply.json()["content"])

    def read_notebook(self, path: str) -> dict:
        reply = self.api("GET", f"/contents/{path}", params={"content": 1})
        reply.raise_for_status()
        return reply.json()["content"]

    def save_notebook(self, path: str, notebook: dict) -> None:
        reply = self.api("PUT", f"/contents/{path}", json={"type": "notebook", "format": "json", "content": notebook})
        reply.raise_for_status()

    def run_notebook(self, chapter: str, timeout_s: float = 240) -> "KernelRun":
        """Open ``vm-vs-cloud-course/<chapter>`` in a new kernel and run its code cells in order."""
        path = f"{COURSE_FOLDER}/{chapter}"
        notebook = self.read_notebook(path)
        opened = time.monotonic()
        reply = self.api("POST", "/sessions", json={"path": path, "type": "notebook", "name": chapter,
                                                      "kernel": {"name": "python3"}})
        reply.raise_for_status()
        run = KernelRun(self, reply.json()["id"], reply.json()["kernel"]["id"], opened)
        run.connect()
        run.wait_ready()
        deadline = opened + timeout_s
        for cell in notebook["cells"]:
            source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
            if cell["cell_type"] == "code" and source.strip():
                run.execute(source, deadline)
                if run.errors:
                    break
        run.run_all_s = time.monotonic() - opened
        return run


@dataclass
class KernelRun:
    """One open notebook: its kernel's websocket and what the cells produced."""

    student: Student
    session_id: str
    kernel_id: str
    opened: float
    ws: websocket.WebSocket | None = None
    kernel_ready_s: float | None = None
    first_chart_s: float | None = None
    run_all_s: float | None = None
    cells: int = 0
    errors: list = field(default_factory=list)
    stdout: list = field(default_factory=list)  # printed text of the cells run
    sliders: dict = field(default_factory=dict)  # comm id -> state of an IntSlider/FloatSlider
    charts: set = field(default_factory=set)  # comm ids of JupyterChart widgets
    client_session: str = field(default_factory=lambda: uuid.uuid4().hex)

    def connect(self) -> None:
        hub = self.student.hub
        url = (f"ws://127.0.0.1:{hub.port}/user/{self.student.name}/api/kernels/{self.kernel_id}/channels"
               f"?session_id={self.client_session}")
        self.ws = websocket.create_connection(url, header=[f"Authorization: token {self.student.token}"], timeout=60)

    def _message(self, channel: str, msg_type: str, content: dict) -> dict:
        return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "session": self.client_session,
                           "username": self.student.name, "version": "5.3",
                           "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())},
                "parent_header": {}, "metadata": {}, "content": content, "channel": channel, "buffers": []}

    def _send(self, channel: str, msg_type: str, content: dict) -> str:
        message = self._message(channel, msg_type, content)
        self.ws.send(json.dumps(message))
        return message["header"]["msg_id"]

    def _receive(self, deadline: float) -> dict:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError("no answer from the kernel in time")
        self.ws.settimeout(remaining)
        frame = self.ws.recv()
        if isinstance(frame, bytes):  # a message with binary buffers: [n][offsets...][json][buffers...]
            count = struct.unpack("!I", frame[:4])[0]
            offsets = struct.unpack(f"!{count}I", frame[4:4 + 4 * count])
            end = offsets[1] if count > 1 else len(frame)
            frame = frame[offsets[0]:end].decode("utf-8")
        message = json.loads(frame)
        self._watch(message)
        return message

    def _watch(self, message: dict) -> None:
        """Note widgets as they are created: sliders (to move) and charts (to time)."""
        if message.get("channel") != "iopub":
            return
        kind, content = message["msg_type"], message["content"]
        if kind == "comm_open" and content.get("target_name") == "jupyter.widget":
            state = content.get("data", {}).get("state", {})
            if state.get("_model_name") in ("IntSliderModel", "FloatSliderModel"):
                self.sliders[content["comm_id"]] = state
            elif "spec" in state:
                self.charts.add(content["comm_id"])
                if self.first_chart_s is None:
                    self.first_chart_s = time.monotonic() - self.opened

    def wait_ready(self, timeout_s: float = 120) -> None:
        deadline = time.monotonic() + timeout_s
        msg_id = self._send("shell", "kernel_info_request", {})
        while True:
            try:
                message = self._receive(min(deadline, time.monotonic() + 2))
            except (TimeoutError, websocket.WebSocketTimeoutException):
                if time.monotonic() > deadline:
                    raise TimeoutError(f"{self.student.name}: the kernel did not answer within {timeout_s} s")
                msg_id = self._send("shell", "kernel_info_request", {})  # asked before the kernel listened
                continue
            if message.get("msg_type") == "kernel_info_reply" and message["parent_header"].get("msg_id") == msg_id:
                self.kernel_ready_s = time.monotonic() - self.opened
                return

    def execute(self, code: str, deadline: float) -> dict:
        """Run ``code``; return when the kernel is idle again (errors are kept in ``errors``)."""
        msg_id = self._send("shell", "execute_request", {"code": code, "silent": False, "store_history": True,
                                                         "user_expressions": {}, "allow_stdin": False,
                                                         "stop_on_error": True})
        self.cells += 1
        reply, idle = None, False
        while reply is None or not idle:
            message = self._receive(deadline)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "execute_reply":
                reply = message["content"]
            elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                idle = True
            elif message["msg_type"] == "stream":
                self.stdout.append(message["content"]["text"])
            elif message["msg_type"] == "error":
                self.errors.append(f"{message['content']['ename']}: {message['content']['evalue']}")
        return reply

    def move_slider(self, timeout_s: float = 30) -> float:
        """Move the first live panel's first slider one step, as the browser does; ms until the redrawn
        chart's new spec arrives from the kernel."""
        if not self.sliders or not self.charts:
            raise RuntimeError(f"{self.student.name}: the notebook showed no slider or no chart")
        comm_id, state = next(iter(self.sliders.items()))
        step = state.get("step") or 1
        value = state["value"] + step if state["value"] + step <= state["max"] else state["value"] - step
        state["value"] = value
        started = time.monotonic()
        self._send("shell", "comm_msg", {"comm_id": comm_id, "data": {"method": "update", "state": {"value": value},
                                                                      "buffer_paths": []}})
        deadline = started + timeout_s
        while True:
            message = self._receive(deadline)
            content = message.get("content", {})
            if (message.get("msg_type") == "comm_msg" and content.get("comm_id") in self.charts
                    and "spec" in content.get("data", {}).get("state", {})):
                return (time.monotonic() - started) * 1000

    def close(self) -> None:
        """Close the websocket and shut the kernel down (as closing the notebook tab does)."""
        if self.ws is not None:
            self.ws.close()
        self.student.api("DELETE", f"/sessions/{self.session_id}")


def cell_texts(notebook: dict) -> list[str]:
    return ["".join(c["source"]) if isinstance(c["source"], list) else c["source"] for c in notebook["cells"]]


def marker_cell(text: str) -> dict:
    """A Markdown cell a student 'writes' (the persistence checks look for it)."""
    return {"cell_type": "markdown", "metadata": {}, "source": text, "id": re.sub(r"[^a-z0-9]", "", text.lower())[:20]
            or uuid.uuid4().hex[:8]}
