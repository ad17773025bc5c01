"""An environment check for the index notebook: versions against the pins, and offline charts."""

from __future__ import annotations

import platform
import re
import sys
from importlib import metadata
from pathlib import Path

import altair as alt
import pandas as pd

from .validation import require_flag, shown

__all__ = ["REQUIREMENTS", "INDIRECT_MARKER", "pinned_versions", "environment_report"]

#: The course's requirements file at the project root: exact pins (``name==version``).
REQUIREMENTS = Path(__file__).resolve().parent.parent / "requirements.txt"
_PIN = re.compile(r"^\s*([A-Za-z0-9_.\-]+)\s*==\s*([^\s;#]+)")


#: The line of requirements.txt after which come the pins of indirect dependencies.
INDIRECT_MARKER = "# --- Everything the packages above pull in"


def pinned_versions(path: Path = REQUIREMENTS, *, direct: bool | None = None) -> dict[str, str]:
    """Package name (lower case, ``-`` separated) -> pinned version, from a requirements file.

    ``direct=True``: only the course's own dependencies (above the indirect-pins marker);
    ``direct=False``: only the indirect ones; ``None``: all.
    """
    text = _requirements_text(path)
    require_flag("direct", direct, allow_none=True)
    pins, indirect = {}, False
    for line in text.splitlines():
        indirect = indirect or line.startswith(INDIRECT_MARKER)
        match = _PIN.match(line)
        if match and (direct is None or direct != indirect):
            pins[_normalise(match.group(1))] = match.group(2)
    return pins


def _requirements_text(path) -> str:
    """The text of a requirements file, or ``ValueError`` naming ``path`` (wrong type, missing, unreadable)."""
    if isinstance(path, bool) or not isinstance(path, (str, Path)) or not str(path).strip():
        raise ValueError(f"path must be the path of a requirements file (a str or pathlib.Path); got {shown(path)} "
                         f"of type {type(path).__name__}")
    file = Path(path)
    if not file.is_file():
        raise ValueError(f"path must be an existing requirements file; got {shown(str(path))}")
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise ValueError(f"path must be a readable UTF-8 requirements file; {path}: {error}") from None


def _normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _installed(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment_report(path: Path = REQUIREMENTS) -> pd.DataFrame:
    """One row per check: what was checked, what was found, what is needed, and whether it matches.

    Every package pinned in ``requirements.txt`` must be installed at exactly that
    version (a drifted ipywidgets/JupyterLab pair is the usual cause of
    "Error displaying widget"); charts must use the offline renderer.
    """
    rows = [("Python", platform.python_version(), "3.11 or newer", sys.version_info >= (3, 11))]
    for package, pinned in pinned_versions(path, direct=True).items():
        found = _installed(package)
        rows.append((package, found, pinned, found == pinned))
    indirect = pinned_versions(path, direct=False)
    if indirect:
        drifted = [f"{name} {_installed(name)} (pinned {version})" for name, version in indirect.items()
                   if _installed(name) != version]
        rows.append((f"{len(indirect)} indirect dependencies", "; ".join(drifted) or "all as pinned",
                     "as pinned in requirements.txt", not drifted))
    from . import web_edition

    if web_edition.enabled():  # the web edition's build: charts are static HTML by design
        rows.append(("altair renderer", alt.renderers.active, f"{web_edition.RENDERER_NAME} (web edition build)",
                     alt.renderers.active == web_edition.RENDERER_NAME))
    else:
        offline = bool(alt.renderers.options.get("offline"))
        rows.append(("altair renderer", f"{alt.renderers.active} (offline={offline})",
                     "jupyter (offline=True)", alt.renderers.active == "jupyter" and offline))
    return pd.DataFrame(rows, columns=["check", "found", "needed", "ok"])
