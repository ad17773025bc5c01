"""The classroom hub, end to end on a loopback port: two students log in, each runs a chapter in their own
copy of the course, neither can reach the other's server, and saved work survives a stopped server and a
hub restart.

Needs Node.js and the npm-installed proxy (``make classroom-proxy``); without them the tests are skipped
with that hint, and with CI=true a missing proxy is a failure (``.ci/run`` installs it).
"""

from __future__ import annotations

import hashlib
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

import hub_driver as hd

if str(Path(__file__).resolve().parents[1]) not in sys.path:  # tests/, for tests/ci.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from ci import in_ci  # noqa: E402

CHAPTER = "01_history.ipynb"  # short, with a chart and a live panel
STUDENTS = ("alice", "bob")


def _source_digest() -> str:
    return hashlib.sha256(b"".join(p.read_bytes() for p in sorted((hd.ROOT / "notebooks").glob("*.ipynb")))).hexdigest()


@pytest.fixture(scope="module")
def hub():
    missing = hd.missing()
    if missing:
        message = f"classroom hub tests need the proxy: {missing}"
        if in_ci():
            pytest.fail(f"{message} (CI=true: a missing proxy is a failure)", pytrace=False)
        pytest.skip(message)
    hub = hd.Hub(list(STUDENTS))
    try:
        yield hub
    finally:
        hub.cleanup()


@pytest.fixture(scope="module")
def students(hub):
    """alice and bob logged in (first login: their passwords are set), each with a token and a running server."""
    def arrive(name):
        student = hd.Student(hub, name)
        assert student.login(), f"{name} could not log in:\n{hub.log_tail()}"
        student.request_token()
        student.start_server()
        return student

    with ThreadPoolExecutor(len(STUDENTS)) as pool:
        return dict(zip(STUDENTS, pool.map(arrive, STUDENTS)))


@pytest.fixture(scope="module")
def runs(students):
    """Both students run the chapter at the same time; each moves a slider of its live panel."""
    source_before = _source_digest()

    def work(student):
        run = student.run_notebook(CHAPTER, timeout_s=180)
        try:
            slider_ms = run.move_slider() if not run.errors else None
        finally:
            run.close()
        return run, slider_ms

    with ThreadPoolExecutor(len(students)) as pool:
        results = dict(zip(students, pool.map(work, students.values())))
    return results, source_before


def test_only_the_class_list_with_the_right_password_gets_in(hub, students):
    assert not hd.Student(hub, "alice", "not-her-password").login(), "a wrong password was accepted"
    assert not hd.Student(hub, "mallory", "any-password-123").login(), "a name not on the class list got in"
    login_page = requests.get(f"{hub.url}/hub/login", timeout=30).text
    assert "class list" in login_page, "the login page does not tell students how to log in"
    anonymous = requests.get(f"{hub.url}/user/alice/api/contents", timeout=30, allow_redirects=False)
    assert anonymous.status_code in (302, 401, 403), f"anonymous access answered {anonymous.status_code}"
    teacher = hd.Student(hub, "teacher", hub.teacher_password)
    assert teacher.login(), "the teacher's printed password did not work"
    assert teacher.http.get(f"{hub.url}/hub/auth/change-password", timeout=30).status_code == 200
    teacher.request_token()
    services = teacher.hub_api("GET", "/services").json()
    assert "idle-culler" in services, f"no idle culler among the hub's services: {list(services)}"


def test_each_student_runs_the_chapter_in_their_own_copy(hub, runs):
    results, source_before = runs
    for name, (run, slider_ms) in results.items():
        assert not run.errors, f"{name}: {run.errors}"
        assert run.first_chart_s is not None and run.charts, f"{name}: no chart arrived"
        assert slider_ms is not None and slider_ms < 20_000, f"{name}: the slider did not redraw the chart"
    assert _source_digest() == source_before, "running the chapters changed the course's own notebooks"
    bundles = list((hub.state / "cache").glob("jupyterchart-offline-*.js"))
    assert bundles, "the hub did not share the offline chart bundle: every student's first kernel builds its own"


def test_each_student_sees_only_their_own_files(hub, students, runs):
    alice, bob = students["alice"], students["bob"]
    path = f"{hd.COURSE_FOLDER}/{CHAPTER}"
    notebook = alice.read_notebook(path)
    notebook["cells"].append(hd.marker_cell("alice was here"))
    alice.save_notebook(path, notebook)
    for student in (alice, bob):
        assert student.list_files() == [hd.COURSE_FOLDER], f"{student.name} sees {student.list_files()}"
        traversal = student.api("GET", "/contents/../alice" if student is bob else "/contents/../bob")
        assert traversal.status_code in (400, 403, 404), f"{student.name} reached a folder above their home"
    assert "alice was here" in hd.cell_texts(alice.read_notebook(path))
    assert "alice was here" not in hd.cell_texts(bob.read_notebook(path)), "alice's edit reached bob's copy"
    assert "alice was here" not in (hd.ROOT / "notebooks" / CHAPTER).read_text(encoding="utf-8")


def test_a_student_cannot_reach_another_students_server(hub, students, runs):
    alice = students["alice"]
    for method, path in (("GET", "/contents"), ("GET", "/kernels"), ("POST", "/sessions")):
        reply = alice.api(method, path, user="bob", json={} if method == "POST" else None)
        assert reply.status_code in (302, 403, 404), f"alice's token: {method} bob's {path} -> {reply.status_code}"
    for method, path in (("GET", "/users/bob"), ("POST", "/users/bob/server"), ("DELETE", "/users/bob/server"),
                         ("POST", "/users/bob/tokens")):
        reply = alice.hub_api(method, path, json={} if method == "POST" else None)
        assert reply.status_code in (403, 404), f"alice's token: {method} hub {path} -> {reply.status_code}"
    with_cookie = alice.http.get(f"{hub.url}/user/bob/api/contents", timeout=30, allow_redirects=True)
    assert with_cookie.status_code in (403, 404) or "/user/bob/" not in with_cookie.url, (
        f"alice's login cookie opened bob's server: {with_cookie.status_code} {with_cookie.url}")
    assert students["bob"].server_running(), "alice's attempts stopped bob's server"


def test_saved_work_survives_a_stopped_server_and_a_hub_restart(hub, students, runs):
    alice = students["alice"]
    path = f"{hd.COURSE_FOLDER}/{CHAPTER}"
    notebook = alice.read_notebook(path)
    notebook["cells"].append(hd.marker_cell("saved before the restart"))
    alice.save_notebook(path, notebook)
    alice.stop_server()  # what the idle culler does
    hub.restart()
    again = hd.Student(hub, "alice", alice.password)
    assert again.login(), "alice's password did not survive the hub restart"
    again.request_token()
    again.start_server()
    texts = hd.cell_texts(again.read_notebook(path))
    assert "saved before the restart" in texts, "alice's saved work is gone"
