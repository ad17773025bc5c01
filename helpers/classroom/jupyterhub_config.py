"""JupyterHub configuration of the classroom hub; loaded by ``python -m helpers.classroom`` (make classroom).

Every choice is explained in the README ("Running it for a class"); the values come from the
command line through :class:`helpers.classroom.Settings` (one JSON environment variable), so this
file has no settings of its own to edit.
"""

# ruff: noqa: F821  (`c` is the config object JupyterHub passes to this file)
import sys
import types
from pathlib import Path

# The hub needs helpers.classroom, not the course's charts and models: a bare `helpers` package keeps
# helpers/__init__.py (altair, pandas, the offline bundle) out of the hub process (seconds, ~100 MB).
if "helpers" not in sys.modules:
    _package = types.ModuleType("helpers")
    _package.__path__ = [str(Path(__file__).resolve().parent.parent)]
    sys.modules["helpers"] = _package

from helpers.classroom import PROXY, USERNAME_PATTERN, Settings  # noqa: E402

settings = Settings.from_env()
state = Path(settings.state_dir)

# -- where the hub listens: loopback unless told otherwise; TLS when a certificate is given -------
c.JupyterHub.ip = settings.ip
c.JupyterHub.port = settings.port
c.JupyterHub.hub_ip = "127.0.0.1"  # the hub's own API: only the proxy and the students' servers talk to it
c.JupyterHub.hub_port = settings.hub_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{settings.proxy_api_port}"
if settings.ssl_cert:
    c.JupyterHub.ssl_cert = settings.ssl_cert
    c.JupyterHub.ssl_key = settings.ssl_key

# -- the proxy: configurable-http-proxy from npm, pinned in package.json / package-lock.json --------
c.ConfigurableHTTPProxy.command = [str(PROXY)]

# -- the hub's state: database, cookie secret, password hashes (mode 0600 under umask 077) --------
c.JupyterHub.db_url = f"sqlite:///{state / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(state / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(state / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True  # Ctrl-C stops every student's server; their saved files stay
c.JupyterHub.template_vars = {"announcement_login": "VM vs cloud course: log in with your name from the class list. "
                                                   "The first time, the password you type becomes your password."}

# -- who can log in: the class list, each student's password set at first login -----------------
c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
c.FirstUseAuthenticator.dbm_path = str(state / "passwords.dbm")
c.FirstUseAuthenticator.min_password_length = 8
c.FirstUseAuthenticator.create_users = True  # only names allowed below can be created
c.Authenticator.allowed_users = set(settings.students)
c.Authenticator.admin_users = {settings.teacher}
c.Authenticator.allow_all = False
c.Authenticator.username_pattern = USERNAME_PATTERN  # also a safe folder and account name
c.JupyterHub.load_roles = [
    {"name": "idle-culler", "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
     "services": ["idle-culler"]},
]

# -- idle servers culled (jupyterhub-idle-culler, pinned in requirements.txt) ---------------------
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={settings.cull_timeout_s}",
                f"--cull-every={settings.cull_every_s}"],
}]

# -- each student's server: the course's .venv, their own home, their own copy of the notebooks ---
c.JupyterHub.spawner_class = "helpers.classroom.spawner.CourseSpawner"
c.CourseSpawner.accounts = settings.accounts
c.CourseSpawner.homes_dir = str(state / "students")
c.CourseSpawner.venv_bin = str(Path(sys.executable).parent)
c.CourseSpawner.kernel_cull_timeout = settings.kernel_cull_timeout_s
c.CourseSpawner.allow_root = settings.allow_root_students
c.CourseSpawner.course_env = {"VM_VS_CLOUD_CACHE_DIR": str(state / "cache"),
                              "JUPYTERHUB_ACTIVITY_INTERVAL": str(settings.activity_interval_s),
                              **settings.extra_env}
c.CourseSpawner.lab_args = list(settings.lab_args)
c.Spawner.start_timeout = 120  # a cold start on a busy 2-core machine (load test: 20 students at once)
c.Spawner.http_timeout = 120
# Not enforced by this spawner (see helpers/classroom/spawner.py); shown to the server as MEM_LIMIT/CPU_LIMIT.
c.Spawner.mem_limit = settings.mem_limit
c.Spawner.cpu_limit = settings.cpu_limit
