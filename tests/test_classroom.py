"""helpers.classroom without a running hub: class lists, settings, the students' copies, links, refusals.

The hub itself, end to end, is tested in tests/classroom/test_classroom_hub.py.
"""

from __future__ import annotations

import json
import urllib.parse

import pytest

from helpers import classroom
from helpers.classroom import __main__ as cli


def test_class_lists_accept_commas_lines_and_comments():
    text = "Alice, bob\n# the back row\nchen  # joined late\n\nalice\n"
    assert classroom.parse_roster(text) == ["alice", "bob", "chen"]


@pytest.mark.parametrize("bad", ["ali ce", "1st", "a" * 25, "bob;rm", "../x", "élise"])
def test_a_name_that_is_no_safe_account_or_folder_name_is_refused(bad):
    with pytest.raises(ValueError, match="roster must hold names"):
        classroom.parse_roster(bad)


def test_parse_roster_refuses_what_is_not_text():
    with pytest.raises(ValueError, match="roster must be text"):
        classroom.parse_roster(["alice"])


def test_system_accounts_are_prefixed():
    assert classroom.account_name("alice") == "jupyter-alice"
    with pytest.raises(ValueError, match="student"):
        classroom.account_name("Alice")


def _settings(**overrides):
    values = dict(state_dir="/tmp/x", students=["alice"])
    values.update(overrides)
    return classroom.Settings(**values)


@pytest.mark.parametrize("overrides, message", [
    ({"students": []}, "students must name at least one"),
    ({"accounts": "docker"}, "accounts must be"),
    ({"teacher": "alice"}, "teacher must not also be a student"),
    ({"port": 0}, "port must be a whole number"),
    ({"cull_timeout_s": True}, "cull_timeout_s must be a whole number"),
    ({"ssl_cert": "/etc/cert.pem"}, "ssl_cert and ssl_key must be given together"),
])
def test_settings_refuse_bad_values_naming_them(overrides, message):
    with pytest.raises(ValueError, match=message):
        _settings(**overrides)


def test_settings_travel_as_json(monkeypatch):
    settings = _settings(students=["alice", "bob"], ssl_cert="c.pem", ssl_key="k.pem", port=8443)
    monkeypatch.setenv(classroom.Settings.ENV, settings.to_json())
    again = classroom.Settings.from_env()
    assert again == settings and again.url == "https://127.0.0.1:8443"


def test_the_hub_config_cannot_be_loaded_without_settings(monkeypatch):
    monkeypatch.delenv(classroom.Settings.ENV, raising=False)
    with pytest.raises(RuntimeError, match="python -m helpers.classroom"):
        classroom.Settings.from_env()


def test_a_students_copy_gets_new_chapters_and_keeps_their_edits(tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "01_a.ipynb").write_text("original a")
    home = tmp_path / "home"
    with pytest.raises(ValueError, match="home must be"):  # the spawner makes the home first
        classroom.copy_course(home, source)
    home.mkdir()
    assert classroom.copy_course(home, source) == ["01_a.ipynb"]
    copy = home / classroom.COURSE_FOLDER / "01_a.ipynb"
    copy.write_text("the student's work")
    (source / "02_b.ipynb").write_text("original b")  # a chapter added to the course later
    assert classroom.copy_course(home, source) == ["02_b.ipynb"]
    assert copy.read_text() == "the student's work"
    assert (source / "01_a.ipynb").read_text() == "original a"


def test_the_course_copy_holds_every_chapter(tmp_path):
    copied = classroom.copy_course(tmp_path)
    assert classroom.INDEX in copied
    assert copied == sorted(p.name for p in classroom.NOTEBOOKS.glob("*.ipynb"))


def test_nbgitpuller_link_opens_the_index_after_pulling():
    link = classroom.nbgitpuller_link("https://hub.school.example/", "https://git.example/course.git")
    parts = urllib.parse.urlsplit(link)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == "https://hub.school.example/hub/user-redirect/git-pull"
    query = dict(urllib.parse.parse_qsl(parts.query))
    assert query == {"repo": "https://git.example/course.git", "branch": "main", "targetpath": "vm-vs-cloud",
                     "urlpath": "lab/tree/vm-vs-cloud/notebooks/00_index.ipynb"}


@pytest.mark.parametrize("kwargs, message", [
    ({"hub": "hub.school.example"}, "hub must be an http"),
    ({"repo": "git@example:course.git"}, "repo must be an http"),
    ({"branch": "main; rm"}, "branch must be a plain name"),
    ({"folder": "../etc"}, "folder must be a plain name"),
    ({"interface": "voila"}, "interface must be"),
])
def test_nbgitpuller_link_refuses_bad_input(kwargs, message):
    values = {"hub": "https://hub.example", "repo": "https://git.example/c.git", **kwargs}
    with pytest.raises(ValueError, match=message):
        classroom.nbgitpuller_link(**values)


def test_binder_link():
    assert classroom.binder_link("someone/vm-vs-cloud") == (
        "https://mybinder.org/v2/gh/someone/vm-vs-cloud/HEAD?urlpath=lab%2Ftree%2Fnotebooks%2F00_index.ipynb")
    with pytest.raises(ValueError, match="owner_repo"):
        classroom.binder_link("https://github.com/someone/vm-vs-cloud")


def test_link_command_prints_both_links(capsys):
    assert cli.main(["link", "--hub", "https://hub.example", "--repo", "https://git.example/c.git",
                     "--github", "someone/vm-vs-cloud"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("https://hub.example/hub/user-redirect/git-pull?") and "mybinder.org" in out[1]


def _refusal(monkeypatch, euid, argv):
    monkeypatch.setattr(cli.os, "geteuid", lambda: euid)
    args = cli.parser().parse_args(["--students", "alice", *argv])
    return cli.refusal(cli.settings_from(args), args)


def test_as_root_students_get_their_own_accounts_by_default(monkeypatch):
    monkeypatch.setattr(cli.os, "geteuid", lambda: 0)
    assert cli.parser().parse_args([]).accounts == "system"
    monkeypatch.setattr(cli.os, "geteuid", lambda: 1000)
    assert cli.parser().parse_args([]).accounts == "shared"


def test_the_hub_refuses_to_run_students_as_root(monkeypatch):
    assert "every student's code as root" in _refusal(monkeypatch, 0, ["--accounts", "shared"])


def test_system_accounts_need_root(monkeypatch):
    assert "run as root" in _refusal(monkeypatch, 1000, ["--accounts", "system"])


def test_the_network_needs_tls(monkeypatch):
    assert "passwords must not cross it in clear text" in _refusal(monkeypatch, 1000, ["--ip", "0.0.0.0"])
    assert "no such file" in _refusal(monkeypatch, 1000, ["--ip", "0.0.0.0", "--ssl-cert", "/nonexistent.pem",
                                                          "--ssl-key", "/nonexistent.key"])


def test_a_loopback_hub_for_an_ordinary_user_may_start_once_the_proxy_is_there(monkeypatch):
    assert _refusal(monkeypatch, 1000, []) == classroom.proxy_missing()


def test_the_command_line_builds_the_settings_the_hub_reads(tmp_path):
    roster = tmp_path / "class.txt"
    roster.write_text("bob\nchen\n")
    args = cli.parser().parse_args(["--students", "alice,bob", "--roster", str(roster), "--state", str(tmp_path),
                                    "--cull-timeout", "900"])
    settings = cli.settings_from(args)
    assert settings.students == ["alice", "bob", "chen"] and settings.cull_timeout_s == 900
    assert settings.hub_port != settings.proxy_api_port and settings.ip == "127.0.0.1"
    assert json.loads(settings.to_json())["mem_limit"] == cli.MEM_LIMIT
