"""A class of students on one server: the course served by JupyterHub (``make classroom``).

JupyterHub (PyPI, pinned in requirements.txt) and its proxy ``configurable-http-proxy``
(npm, pinned in ``helpers/classroom/package.json`` + ``package-lock.json``, installed
here by ``npm ci``) do the work; this package only configures them for the course:

* ``python -m helpers.classroom --students alice,bob`` (what ``make classroom`` runs)
  checks the set-up, prepares the hub's state folder and starts JupyterHub with
  ``jupyterhub_config.py`` from this folder. ``--help`` lists the options.
* :mod:`helpers.classroom.spawner` starts each student's Jupyter server from the
  course's ``.venv`` in the student's own home, which holds a copy of the notebooks
  (:func:`copy_course`: missing chapters are copied in, a student's edits are never
  overwritten, the source notebooks are never written).
* ``python -m helpers.classroom link --hub URL --repo URL`` prints an nbgitpuller link
  for a school's existing hub (:func:`nbgitpuller_link`).

Design (README, "Running it for a class"): the hub listens on 127.0.0.1 unless told
otherwise; students log in with the FirstUseAuthenticator (a name from the class
list, a password chosen at first login); idle servers are stopped by
``jupyterhub-idle-culler``; a student's files live in their home and survive hub
restarts and culling. The load test is ``tests/classroom/loadtest.py``.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = ["HERE", "ROOT", "NOTEBOOKS", "PROXY", "COURSE_FOLDER", "INDEX", "ACCOUNT_PREFIX", "USERNAME_PATTERN",
           "Settings", "parse_roster", "check_username", "account_name", "copy_course", "nbgitpuller_link",
           "binder_link", "proxy_missing", "default_state_dir"]

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
NOTEBOOKS = ROOT / "notebooks"
#: The proxy, installed into this folder by ``npm ci`` (``make classroom`` does it).
PROXY = HERE / "node_modules" / ".bin" / "configurable-http-proxy"
#: The folder in each student's home that holds their copy of the notebooks.
COURSE_FOLDER = "vm-vs-cloud-course"
INDEX = "00_index.ipynb"
#: System accounts made for students when the hub runs as root: ``jupyter-<name>`` (as The Littlest JupyterHub does).
ACCOUNT_PREFIX = "jupyter-"
#: Student names: lower-case letters, digits, ``-`` and ``_``, a letter first, at most 24 characters
#: (so that ``jupyter-<name>`` is a valid Linux account name, and a safe folder name).
USERNAME_PATTERN = r"^[a-z][a-z0-9_-]{0,23}$"
_USERNAME = re.compile(USERNAME_PATTERN)


def default_state_dir() -> Path:
    """Where the hub keeps its database, secrets, password hashes and (shared accounts) the students' homes:
    ``/var/lib/vm-vs-cloud-classroom`` as root (the students' accounts must reach its chart cache, and
    /root is private), else ``~/.local/share/vm-vs-cloud-classroom``."""
    if os.geteuid() == 0:
        return Path("/var/lib/vm-vs-cloud-classroom")
    base = os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share"
    return Path(base) / "vm-vs-cloud-classroom"


def _require_parameter_name(parameter: object) -> None:
    if not isinstance(parameter, str) or not parameter.strip():
        raise ValueError(f"parameter must be the name of the setting being checked (e.g. 'students'); got {parameter!r}")


def check_username(name: object, parameter: str = "students") -> str:
    """``name`` if it is a valid student name (see :data:`USERNAME_PATTERN`), else a ValueError naming ``parameter``."""
    _require_parameter_name(parameter)
    if not isinstance(name, str) or not _USERNAME.match(name):
        raise ValueError(f"{parameter} must hold names of 1-24 lower-case letters, digits, '-' or '_', "
                         f"starting with a letter; got {name!r}")
    return name


def parse_roster(text: str, parameter: str = "roster") -> list[str]:
    """Student names from a class list: one per line or comma-separated, ``#`` starts a comment.

    Names are lower-cased (the hub's login is case-insensitive); duplicates are dropped, order kept.
    """
    _require_parameter_name(parameter)
    if not isinstance(text, str):
        raise ValueError(f"{parameter} must be text (names separated by commas or new lines); got {type(text).__name__}")
    names: list[str] = []
    for line in text.splitlines():
        for item in line.split("#", 1)[0].split(","):
            name = item.strip().lower()
            if name and check_username(name, parameter) not in names:
                names.append(name)
    return names


def account_name(student: str) -> str:
    """The system account of a student when the hub makes one per student: ``jupyter-<name>``."""
    return ACCOUNT_PREFIX + check_username(student, "student")


@dataclass
class Settings:
    """Everything ``jupyterhub_config.py`` needs, passed from the command line as JSON in one variable."""

    state_dir: str
    students: list[str]
    teacher: str = "teacher"
    ip: str = "127.0.0.1"
    port: int = 8000
    #: "system": one Linux account per student (needs root); "shared": every student runs as the hub's account.
    accounts: str = "shared"
    #: Stop a student's server after this many seconds without activity (jupyterhub-idle-culler).
    cull_timeout_s: int = 3600
    cull_every_s: int = 300
    #: Shut down a kernel idle this long with no browser attached (inside each student's server).
    kernel_cull_timeout_s: int = 1800
    ssl_cert: str = ""
    ssl_key: str = ""
    #: How often (s) each student's server reports activity to the hub (JupyterHub's default: 300).
    activity_interval_s: int = 300
    #: The hub's own API and the proxy's API, both on 127.0.0.1 (free ports are picked when 0).
    hub_port: int = 8081
    proxy_api_port: int = 8001
    #: Per-student limits, from the load test; NOT enforced by the local spawner (see spawner.py).
    mem_limit: str | None = None
    cpu_limit: float | None = None
    #: Extra environment and command-line arguments for the students' servers (the load test uses them).
    extra_env: dict = field(default_factory=dict)
    lab_args: list = field(default_factory=list)
    #: Run student servers as root (shared accounts only): for tests in containers, never for a class.
    allow_root_students: bool = False

    ENV = "VM_VS_CLOUD_CLASSROOM"

    def __post_init__(self) -> None:
        if self.accounts not in ("system", "shared"):
            raise ValueError(f"accounts must be 'system' or 'shared'; got {self.accounts!r}")
        if not self.students:
            raise ValueError("students must name at least one student (a class list: --students or --roster)")
        for name in [*self.students, self.teacher]:
            check_username(name, "students" if name != self.teacher else "teacher")
        if self.teacher in self.students:
            raise ValueError(f"teacher must not also be a student; got {self.teacher!r} in both")
        for name in ("port", "hub_port", "proxy_api_port", "cull_timeout_s", "cull_every_s", "kernel_cull_timeout_s",
                     "activity_interval_s"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or not (1 <= value <= 10**6):
                raise ValueError(f"{name} must be a whole number from 1 to 1000000; got {value!r}")
        if bool(self.ssl_cert) != bool(self.ssl_key):
            raise ValueError("ssl_cert and ssl_key must be given together (a certificate and its key)")

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls) -> "Settings":
        raw = os.environ.get(cls.ENV)
        if not raw:
            raise RuntimeError(f"{cls.ENV} is not set: start the hub with `python -m helpers.classroom` "
                               "(or `make classroom`), not with `jupyterhub` directly")
        return cls(**json.loads(raw))

    @property
    def scheme(self) -> str:
        return "https" if self.ssl_cert else "http"

    @property
    def url(self) -> str:
        host = "127.0.0.1" if self.ip in ("", "0.0.0.0") else self.ip
        return f"{self.scheme}://{host}:{self.port}"


def copy_course(home: Path, source: Path = NOTEBOOKS) -> list[str]:
    """Copy every chapter missing from ``home/vm-vs-cloud-course`` into it; return the names copied.

    A chapter the student already has (edited or not) is left alone, so their work is never
    overwritten; a chapter added to the course later appears at the next server start. To get
    a chapter's original back, a student deletes (or renames) their copy and restarts their server.
    """
    if (not isinstance(home, (str, os.PathLike)) or not str(home).strip() or not Path(home).is_absolute()
            or not Path(home).is_dir() or Path(home).resolve() == Path(Path(home).anchor)):
        raise ValueError(f"home must be the absolute path of an existing home folder (not the filesystem root); "
                         f"got {home!r}")
    if (not isinstance(source, (str, os.PathLike)) or not str(source).strip() or not Path(source).is_dir()
            or not any(Path(source).glob("*.ipynb"))):
        raise ValueError(f"source must be a folder of chapter notebooks (the course's notebooks/); got {source!r}")
    target = Path(home) / COURSE_FOLDER
    target.mkdir(parents=True, exist_ok=True)
    copied = []
    for notebook in sorted(Path(source).glob("*.ipynb")):
        destination = target / notebook.name
        if not destination.exists():
            shutil.copyfile(notebook, destination)
            copied.append(notebook.name)
    return copied


def nbgitpuller_link(hub: str, repo: str, branch: str = "main", folder: str = "vm-vs-cloud",
                     interface: str = "lab") -> str:
    """A link that makes an existing JupyterHub pull the course into the student's home and open the index.

    nbgitpuller (pinned in requirements.txt; the hub's user environment must have it) clones
    ``repo`` into ``~/<folder>`` on first click and merges updates on later clicks without
    overwriting the student's changes.
    """
    for name, value in (("hub", hub), ("repo", repo)):
        if not isinstance(value, str) or urllib.parse.urlsplit(value).scheme not in ("http", "https"):
            raise ValueError(f"{name} must be an http(s) URL; got {value!r}")
    for name, value in (("branch", branch), ("folder", folder)):
        if not isinstance(value, str) or not re.match(r"^[A-Za-z0-9._/-]+$", value) or ".." in value:
            raise ValueError(f"{name} must be a plain name (letters, digits, . _ - /); got {value!r}")
    if interface not in ("lab", "tree"):
        raise ValueError(f"interface must be 'lab' or 'tree'; got {interface!r}")
    urlpath = f"{interface}/tree/{folder}/notebooks/{INDEX}"
    query = urllib.parse.urlencode({"repo": repo, "branch": branch, "targetpath": folder, "urlpath": urlpath})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def binder_link(owner_repo: str, ref: str = "HEAD") -> str:
    """A mybinder.org link for a GitHub repository ``owner/name`` that opens the index in JupyterLab."""
    if not isinstance(owner_repo, str) or not re.match(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$", owner_repo):
        raise ValueError(f"owner_repo must be 'owner/name' of a GitHub repository; got {owner_repo!r}")
    if not isinstance(ref, str) or not re.match(r"^[A-Za-z0-9._/-]+$", ref):
        raise ValueError(f"ref must be a branch, tag or commit; got {ref!r}")
    return (f"https://mybinder.org/v2/gh/{owner_repo}/{ref}?urlpath="
            + urllib.parse.quote(f"lab/tree/notebooks/{INDEX}", safe=""))


def proxy_missing() -> str | None:
    """Why the hub's proxy cannot start here (None if it can): Node.js or the npm-installed proxy is missing."""
    if shutil.which("node") is None:
        return "Node.js is not installed (configurable-http-proxy runs on Node: `apt-get install nodejs npm`)"
    if not PROXY.exists():
        return (f"configurable-http-proxy is not installed in {PROXY.parent.parent.parent}: "
                "run `make classroom` or `npm ci --prefix helpers/classroom`")
    return None
