"""Classroom app mode: one chapter served by Voila, its prose, charts and live panels with the code hidden.

    make app CHAPTER=05              # = .venv/bin/python -m helpers.editions.app 05
    .venv/bin/python -m helpers.editions.app cost --port 9000 --no-browser

``CHAPTER`` is a chapter number (``5`` or ``05``), a slug (``cost``) or a notebook file name; without
it the course index is served. The command starts Voila, waits until it answers, prints the chapter's
address and opens it in the browser; Ctrl-C stops Voila and its kernels. Each page load runs the
notebook in a fresh kernel (a few seconds), so every student's or every projector's page is independent.

Offline: Voila serves its own JavaScript, and the course's template
(``helpers/editions/jupyter/voila/templates/course``) is Voila's ``lab`` template without the two Font Awesome
stylesheets that one loads from a CDN; the charts' Vega comes from the installed vl-convert.
``tests/browser/test_app_in_browser.py`` moves a slider in a served chapter and asserts that no request
leaves the machine.

Access: Voila listens on 127.0.0.1 only (the projector's computer; nobody on the classroom network can
reach it) **and** keeps token authentication on: the printed address carries a random token, so another
user of the same computer cannot open the kernels either. Voila's own default is no token at all.
"""

from __future__ import annotations

import argparse
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import webbrowser
from pathlib import Path

from helpers.course import CHAPTERS, NOTEBOOK_DIR, notebook_files

__all__ = ["resolve_chapter", "voila_command", "voila_environment", "chapter_url", "serve", "TEMPLATE",
           "TEMPLATE_ROOT", "DEFAULT_PORT"]

#: The Jupyter data folder holding the course's Voila template (added to JUPYTER_PATH).
TEMPLATE_ROOT = Path(__file__).resolve().parent / "jupyter"
TEMPLATE = "course"
DEFAULT_PORT = 8866
LOOPBACK = "127.0.0.1"


def resolve_chapter(chapter: str | int | None) -> str:
    """The notebook file of ``chapter``: a number (5, "05"), a slug ("cost"), a file name, or None (the index).

    Only notebooks that exist are served; anything else is a ``ValueError`` listing them.
    """
    files = notebook_files()
    if chapter is None or (isinstance(chapter, str) and not chapter.strip()):
        return files[0]
    if isinstance(chapter, bool) or not isinstance(chapter, (str, int)):
        raise ValueError(f"chapter must be a chapter number, slug or notebook name; got {chapter!r}")
    text = str(chapter).strip()
    if text.isdigit():
        number = int(text)
        matches = [name for name in files if int(name[:2]) == number]
    else:
        slug = text.removesuffix(".ipynb")
        matches = [name for name in files if name.removesuffix(".ipynb") == slug or name[3:].removesuffix(".ipynb") == slug]
    if not matches:
        planned = [f"{c.number:02d} ({c.slug})" for c in CHAPTERS if not c.written]
        raise ValueError(f"chapter must be one of the written notebooks {[name.removesuffix('.ipynb') for name in files]} "
                         f"(by number, slug or file name); got {chapter!r}"
                         + (f". Not written yet: {', '.join(planned)}" if planned else ""))
    return matches[0]


def voila_environment(base: dict | None = None) -> dict:
    """The environment for Voila: the course's template folder first on JUPYTER_PATH."""
    env = dict(os.environ if base is None else base)
    env["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(TEMPLATE_ROOT), env.get("JUPYTER_PATH", "")]))
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    return env


def voila_command(port: int, token: str, notebooks: Path = NOTEBOOK_DIR) -> list[str]:
    """The Voila command line: the notebooks folder (so chapter links work), loopback, token, course template."""
    if isinstance(port, bool) or not isinstance(port, int) or not 1 <= port <= 65535:
        raise ValueError(f"port must be an integer from 1 to 65535; got {port!r}")
    if not isinstance(token, str) or len(token) < 16:
        raise ValueError("token must be a string of at least 16 characters")
    return [sys.executable, "-m", "voila", str(notebooks), "--no-browser",
            f"--Voila.ip={LOOPBACK}", f"--Voila.port={port}", "--Voila.port_retries=0",
            f"--Voila.token={token}", f"--VoilaConfiguration.template={TEMPLATE}",
            "--VoilaConfiguration.show_tracebacks=True"]


def chapter_url(port: int, filename: str, token: str) -> str:
    return f"http://{LOOPBACK}:{port}/voila/render/{filename}?token={token}"


def _port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((LOOPBACK, port))
        except OSError:
            return False
    return True


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((LOOPBACK, 0))
        return probe.getsockname()[1]


def _has_a_desktop() -> bool:
    """True where a graphical browser can open (macOS, Windows, or an X11/Wayland session). Elsewhere (a
    server over ssh, a container) Python would start a text browser in this terminal: print the address only."""
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def _answers(port: int, token: str) -> bool:
    try:
        with urllib.request.urlopen(f"http://{LOOPBACK}:{port}/?token={token}", timeout=2) as reply:
            return reply.status == 200
    except (urllib.error.URLError, OSError):
        return False


def serve(chapter: str | int | None = None, *, port: int | None = None, open_browser: bool = True,
          ready_timeout_s: float = 120) -> int:
    """Serve ``chapter`` until Ctrl-C (or SIGTERM); returns Voila's exit code.

    ``port``: None picks :data:`DEFAULT_PORT`, or a free one if that is taken; a given port must be free.
    """
    filename = resolve_chapter(chapter)
    if port is None:
        port = DEFAULT_PORT if _port_is_free(DEFAULT_PORT) else _free_port()
    elif not _port_is_free(port):
        raise ValueError(f"port must be free on {LOOPBACK}; {port} is in use (choose another: PORT=...)")
    token = secrets.token_urlsafe(24)
    process = subprocess.Popen(voila_command(port, token), env=voila_environment(), stdin=subprocess.DEVNULL)

    def stop(_signum=None, _frame=None):
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        deadline = time.monotonic() + ready_timeout_s
        while not _answers(port, token):
            if process.poll() is not None:
                print(f"Voila exited with {process.returncode} before it answered", file=sys.stderr)
                return process.returncode or 1
            if time.monotonic() > deadline:
                print(f"Voila did not answer within {ready_timeout_s:.0f} s", file=sys.stderr)
                return 1
            time.sleep(0.2)
        url = chapter_url(port, filename, token)
        print(f"\nClassroom app: {filename} (code hidden; links lead to the other chapters)\n  {url}\n"
              "Only this computer can open it (127.0.0.1, with the token above). Stop with Ctrl-C.\n", flush=True)
        if open_browser and _has_a_desktop():
            webbrowser.open(url)
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        if process.poll() is None:
            process.terminate()  # Voila shuts its kernels down on SIGTERM
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m helpers.editions.app", description=__doc__.split("\n\n")[0])
    parser.add_argument("chapter", nargs="?", default=None,
                        help="chapter number (5 or 05), slug (cost) or notebook name; default: the index")
    parser.add_argument("--port", type=int, default=None,
                        help=f"port on {LOOPBACK} (default {DEFAULT_PORT}, or a free one if it is taken)")
    parser.add_argument("--no-browser", action="store_true", help="do not open a browser; just print the address")
    arguments = parser.parse_args(argv)
    try:
        return serve(arguments.chapter, port=arguments.port, open_browser=not arguments.no_browser)
    except ValueError as error:
        parser.error(str(error))
        return 2


if __name__ == "__main__":
    sys.exit(main())
