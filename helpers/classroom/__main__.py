"""``python -m helpers.classroom``: start the classroom hub (what ``make classroom`` runs).

    python -m helpers.classroom --students alice,bob,chen            # or --roster class.txt
    python -m helpers.classroom link --hub https://hub.school.example --repo https://git.example/vm-vs-cloud.git

The first form checks the set-up, prepares the state folder, sets the teacher's password (printed
once, kept in <state>/teacher-password.txt until the teacher changes it) and replaces itself with
JupyterHub. Ctrl-C stops the hub and every student's server; saved files stay.
"""

from __future__ import annotations

import argparse
import dbm
import ipaddress
import os
import secrets
import socket
import sys
from pathlib import Path

import bcrypt

from . import (HERE, ROOT, Settings, binder_link, default_state_dir, nbgitpuller_link, parse_roster,
               proxy_missing)

#: Per-student limits from the load test (README, "Sizing"): shown to each server, enforced only by cgroups.
MEM_LIMIT = "1G"
CPU_LIMIT = 1.0


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _is_loopback(ip: str) -> bool:
    try:
        return ipaddress.ip_address(ip).is_loopback
    except ValueError:
        return ip == "localhost"


def parser() -> argparse.ArgumentParser:
    root = os.geteuid() == 0
    p = argparse.ArgumentParser(prog="python -m helpers.classroom", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--students", default="", help="the class list: names separated by commas")
    p.add_argument("--roster", type=Path, help="a file with the class list, one name per line (# comments)")
    p.add_argument("--teacher", default="teacher", help="the admin's login name (default: teacher)")
    p.add_argument("--ip", default="127.0.0.1", help="address to listen on (default: loopback only)")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument("--ssl-cert", default="", help="TLS certificate (PEM) for the class network")
    p.add_argument("--ssl-key", default="", help="its private key")
    p.add_argument("--insecure-http", action="store_true",
                   help="listen beyond loopback without TLS (only behind a TLS reverse proxy on another host)")
    p.add_argument("--state", type=Path, default=default_state_dir(), help="the hub's state folder")
    p.add_argument("--accounts", choices=("system", "shared"), default="system" if root else "shared",
                   help="one Linux account per student (root only; the default as root) or the hub's own account")
    p.add_argument("--allow-root-students", action="store_true",
                   help="shared accounts as root: students' code runs as root (tests in containers only)")
    p.add_argument("--cull-timeout", type=int, default=3600, help="stop a server idle this many seconds")
    p.add_argument("--cull-every", type=int, default=300, help="check for idle servers this often (s)")
    p.add_argument("--kernel-cull-timeout", type=int, default=1800,
                   help="shut down a kernel idle this long (s) with no browser attached")
    p.add_argument("--activity-interval", type=int, default=300,
                   help="how often (s) a student's server reports activity to the hub")
    p.add_argument("--hub-port", type=int, default=0, help="the hub's internal API port on 127.0.0.1 (0: a free one)")
    p.add_argument("--proxy-api-port", type=int, default=0, help="the proxy's API port on 127.0.0.1 (0: a free one)")
    p.add_argument("--lab-arg", action="append", default=[], help=argparse.SUPPRESS)  # load test only
    return p


def settings_from(args: argparse.Namespace) -> Settings:
    students = parse_roster(args.students, "--students")
    if args.roster:
        if not args.roster.is_file():
            raise ValueError(f"--roster must be a file with one name per line; {args.roster} does not exist")
        students += [name for name in parse_roster(args.roster.read_text(encoding="utf-8"), "--roster")
                     if name not in students]
    return Settings(state_dir=str(args.state.resolve()), students=students, teacher=args.teacher.lower(),
                    ip=args.ip, port=args.port, accounts=args.accounts, cull_timeout_s=args.cull_timeout,
                    cull_every_s=args.cull_every, kernel_cull_timeout_s=args.kernel_cull_timeout,
                    ssl_cert=args.ssl_cert, ssl_key=args.ssl_key, activity_interval_s=args.activity_interval,
                    hub_port=args.hub_port or _free_port(), proxy_api_port=args.proxy_api_port or _free_port(),
                    mem_limit=MEM_LIMIT, cpu_limit=CPU_LIMIT, lab_args=list(args.lab_arg),
                    allow_root_students=args.allow_root_students)


def refusal(settings: Settings, args: argparse.Namespace) -> str | None:
    """Why this hub must not start as asked (None if it may)."""
    root = os.geteuid() == 0
    if settings.accounts == "system" and not root:
        return "--accounts system makes a Linux account per student: run as root (sudo), or use --accounts shared"
    if settings.accounts == "shared" and root and not settings.allow_root_students:
        return ("as root, shared accounts would run every student's code as root. Use --accounts system "
                "(one account per student, the default as root) or start the hub as an ordinary user")
    if not _is_loopback(settings.ip) and not settings.ssl_cert and not args.insecure_http:
        return (f"--ip {settings.ip} opens the hub to the network: passwords must not cross it in clear text. "
                "Give --ssl-cert and --ssl-key, or keep --ip 127.0.0.1 behind a TLS reverse proxy (README)")
    for name in ("ssl_cert", "ssl_key"):
        value = getattr(settings, name)
        if value and not Path(value).is_file():
            return f"--{name.replace('_', '-')} {value}: no such file"
    if settings.accounts == "system":
        problem = students_cannot_run_the_venv()
        if problem:
            return problem
    return proxy_missing()


def share_chart_bundle(cache: Path) -> None:
    """Write this process's offline JupyterChart bundle into ``cache`` (keyed as helpers/_startup.py keys it)."""
    import altair as alt

    from helpers import _startup

    if not alt.JupyterChart._is_offline:  # start-up fixes switched off: each kernel builds its own
        return
    previous = os.environ.get("VM_VS_CLOUD_CACHE_DIR")
    os.environ["VM_VS_CLOUD_CACHE_DIR"] = str(cache)
    try:
        _startup._cached_text(_startup.offline_bundle_path(), lambda: alt.JupyterChart._esm)
    finally:
        if previous is None:
            del os.environ["VM_VS_CLOUD_CACHE_DIR"]
        else:
            os.environ["VM_VS_CLOUD_CACHE_DIR"] = previous


def students_cannot_run_the_venv() -> str | None:
    """Why an unprivileged account could not start a student's server from this .venv (None if it can).

    Tried for real, as ``nobody``: the venv's interpreter is often a link into a private folder
    (pyenv under /root), which no check of the venv's own folders would catch.
    """
    import pwd
    import subprocess

    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return None  # no account to try with: the first student's start will tell

    def become_nobody():
        os.setgid(nobody.pw_gid)
        os.setgroups([])
        os.setuid(nobody.pw_uid)

    server = Path(sys.executable).parent / "jupyterhub-singleuser"
    try:
        subprocess.run([str(server), "--version"], preexec_fn=become_nobody, cwd="/", capture_output=True,
                       check=True, timeout=120, env={"PATH": "/usr/bin:/bin", "HOME": "/"})
    except (OSError, subprocess.SubprocessError) as error:
        return (f"the students' accounts cannot run the course's .venv ({error.__class__.__name__}: "
                f"{str(error)[:120]}). Its Python ({Path(sys.executable).resolve()}) and the course must be readable "
                "by other users: clone the course outside /root and make the venv with a Python installed outside "
                "/root (PYTHON=/usr/local/bin/python3.11 make venv; 3.11.5 or newer), or use --accounts shared "
                "as an ordinary user")
    return None


def prepare_state(settings: Settings) -> Path | None:
    """Make the state folder, the shared chart cache and the teacher's password; the password file if new."""
    state = Path(settings.state_dir)
    state.mkdir(parents=True, exist_ok=True)
    os.chmod(state, 0o711 if settings.accounts == "system" else 0o700)  # students reach cache/, nothing else
    (state / "students").mkdir(mode=0o700, exist_ok=True)
    cache = state / "cache"
    cache.mkdir(mode=0o755, exist_ok=True)
    os.chmod(cache, 0o755)
    # The offline chart bundle, built once and readable by every student (helpers/_startup.py): this process
    # imported helpers, so the bundle is in memory; without it each student's first kernel would build its own.
    old_umask = os.umask(0o022)
    try:
        share_chart_bundle(cache)
    finally:
        os.umask(old_umask)
    password_file = state / "teacher-password.txt"
    with dbm.open(str(state / "passwords.dbm"), "c", 0o600) as db:
        if settings.teacher.encode() not in db:
            password = secrets.token_urlsafe(12)
            db[settings.teacher] = bcrypt.hashpw(password.encode(), bcrypt.gensalt())
            password_file.write_text(password + "\n", encoding="utf-8")
            os.chmod(password_file, 0o600)
            return password_file
    return None


def start(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    try:
        settings = settings_from(args)
    except ValueError as error:
        print(f"classroom: {error}", file=sys.stderr)
        return 2
    problem = refusal(settings, args)
    if problem:
        print(f"classroom: {problem}", file=sys.stderr)
        return 2
    os.umask(0o077)  # the hub's database, secrets and password hashes: readable by the hub alone
    new_password = prepare_state(settings)
    state = Path(settings.state_dir)
    print(f"Classroom hub for {len(settings.students)} students: {settings.url}/  (state: {state})")
    print(f"  teacher (admin): {settings.teacher}; password in {state / 'teacher-password.txt'}"
          + (" (new)" if new_password else ""))
    print("  students: log in with their name; the password typed at the first login becomes theirs.")
    print(f"  accounts: {settings.accounts}; idle servers stopped after {settings.cull_timeout_s} s")
    sys.stdout.flush()
    hub = Path(sys.executable).parent / "jupyterhub"
    env = {**os.environ, Settings.ENV: settings.to_json(), "PYTHONPATH": str(ROOT)}
    os.chdir(state)
    os.execve(str(hub), [str(hub), "-f", str(HERE / "jupyterhub_config.py")], env)
    return 0  # not reached


def link(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m helpers.classroom link",
                                description="Print the links that open the course on an existing hub or on Binder.")
    p.add_argument("--hub", required=True, help="the hub's address, e.g. https://hub.school.example")
    p.add_argument("--repo", required=True, help="the course repository's clone URL")
    p.add_argument("--branch", default="main")
    p.add_argument("--github", default="", help="owner/name on GitHub, for a Binder link")
    args = p.parse_args(argv)
    try:
        print(nbgitpuller_link(args.hub, args.repo, args.branch))
        if args.github:
            print(binder_link(args.github, args.branch))
    except ValueError as error:
        print(f"classroom link: {error}", file=sys.stderr)
        return 2
    return 0


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["link"]:
        return link(argv[1:])
    return start(argv)


if __name__ == "__main__":
    sys.exit(main())
