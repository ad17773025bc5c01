"""The spawner of the classroom hub: JupyterHub's LocalProcessSpawner, started in each student's own home.

Two ways to run the students' servers (``--accounts``):

* ``system`` (the default when the hub runs as root, as on a school server): every student gets
  a Linux account ``jupyter-<name>`` with a private home (mode 0700), made on their first start;
  their server and kernels run as that account, so students cannot read each other's files
  nor the hub's state, and no student code runs as root.
* ``shared`` (the default for an ordinary user): every student's server runs as the account that
  started the hub, in ``<state>/students/<name>``. The hub keeps students out of each other's
  servers, but code in a kernel can read anything that account can: use it on a machine and an
  account that hold nothing else (the README says so).

Either way the home holds ``vm-vs-cloud-course/``, the student's copy of the notebooks
(:func:`helpers.classroom.copy_course`), and the server opens the index in JupyterLab.

Limits. JupyterHub's ``mem_limit``/``cpu_limit`` are enforced only by spawners that implement them;
the LocalProcessSpawner does not (its documentation says so), and this one does not either:
per-student limits need cgroups, i.e. jupyterhub-systemdspawner on a host that runs systemd, or
Kubernetes (README, "A bigger class"). They are still set, from the load test, so that a server
shows them (``MEM_LIMIT``/``CPU_LIMIT`` in its environment) and the sizing stays in one place.
"""

from __future__ import annotations

import asyncio
import os
import pwd
import shutil
import sys
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Bool, Dict, Integer, List, Unicode

from . import COURSE_FOLDER, INDEX, account_name, copy_course

__all__ = ["CourseSpawner"]


class CourseSpawner(LocalProcessSpawner):
    """A student's JupyterLab from the course's ``.venv``, in their own home with their own copy of the notebooks."""

    accounts = Unicode("shared", help="'system': one Linux account per student; 'shared': the hub's account").tag(config=True)
    homes_dir = Unicode(help="Shared accounts: the folder holding one home per student").tag(config=True)
    venv_bin = Unicode(str(Path(sys.executable).parent), help="The course's .venv/bin").tag(config=True)
    kernel_cull_timeout = Integer(1800, help="Shut down kernels idle this long (s) with no browser attached").tag(config=True)
    allow_root = Bool(False, help="Shared accounts as root: pass --allow-root (tests in containers only)").tag(config=True)
    course_env = Dict(help="Extra environment variables for every student's server").tag(config=True)
    lab_args = List(Unicode(), help="Extra command-line arguments for every student's server").tag(config=True)

    # -- where a student lives ------------------------------------------------------------------
    @property
    def account(self) -> str:
        """The Linux account the student's server runs as."""
        if self.accounts == "system":
            return account_name(self.user.name)
        return pwd.getpwuid(os.geteuid()).pw_name

    @property
    def home(self) -> Path:
        if self.accounts == "system":
            return Path(pwd.getpwnam(self.account).pw_dir)
        return Path(self.homes_dir) / self.user.name

    async def _ensure_account(self) -> None:
        try:
            pwd.getpwnam(self.account)
            return
        except KeyError:
            pass
        useradd = shutil.which("useradd") or "/usr/sbin/useradd"
        process = await asyncio.create_subprocess_exec(
            useradd, "--create-home", "--user-group", "--shell", "/bin/bash",
            "--comment", f"course student {self.user.name}", self.account,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
        output, _ = await process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"useradd {self.account} failed: {output.decode(errors='replace').strip()}")
        self.log.info("Made the system account %s for student %s", self.account, self.user.name)

    async def prepare_home(self) -> list[str]:
        """Make the student's home (and account) if needed; copy in the chapters they do not have yet."""
        if self.accounts == "system":
            await self._ensure_account()
        home = self.home
        home.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(home, 0o700)
        copied = copy_course(home)
        if self.accounts == "system":
            entry = pwd.getpwnam(self.account)
            for path in [home / COURSE_FOLDER, *(home / COURSE_FOLDER / name for name in copied)]:
                os.chown(path, entry.pw_uid, entry.pw_gid)
        if copied:
            self.log.info("Copied %d chapter(s) into %s/%s", len(copied), home, COURSE_FOLDER)
        return copied

    # -- LocalProcessSpawner hooks --------------------------------------------------------------
    def make_preexec_fn(self, name):
        if self.accounts == "system":
            return set_user_setuid(self.account)  # drops to the student's uid/gid, chdir to their home
        home = str(self.home)

        def preexec():
            os.chdir(home)

        return preexec

    def user_env(self, env):
        env["USER"] = self.account
        env["HOME"] = str(self.home)
        env["SHELL"] = "/bin/bash"
        return env

    def get_env(self):
        env = super().get_env()
        env["PATH"] = os.pathsep.join([self.venv_bin, "/usr/local/bin", "/usr/bin", "/bin"])
        env.update({key: str(value) for key, value in self.course_env.items()})
        return env

    def get_args(self):
        args = super().get_args()
        args += [f"--ServerApp.root_dir={self.home}",
                 f"--MappingKernelManager.cull_idle_timeout={self.kernel_cull_timeout}",
                 "--MappingKernelManager.cull_interval=120",
                 *self.lab_args]
        if self.allow_root and os.geteuid() == 0:
            args.append("--allow-root")
        return args

    async def start(self):
        await self.prepare_home()
        self.cmd = [str(Path(self.venv_bin) / "jupyterhub-singleuser")]
        self.default_url = f"/lab/tree/{COURSE_FOLDER}/{INDEX}"
        return await super().start()
