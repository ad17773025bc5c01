"""Kernel start-up: two costs every course kernel used to pay, removed without changing behaviour.

1. :func:`defer_iri_grammar` — ``jsonschema`` (imported by altair) imports
   ``rfc3987_syntax`` eagerly, and that module compiles ~35 Lark Earley parsers at
   import: about 1.2 s per kernel here, for the ``iri``/``iri-reference`` format
   checks that no Vega-Lite schema uses (python-jsonschema/jsonschema#1392, #1428;
   the lazy fork in #1521 was not adopted). Called before altair is imported, this
   hands jsonschema a stand-in module whose ``is_valid_syntax`` imports the real
   one on first call, so the checks still work, only later.
2. :func:`enable_offline_charts` — ``alt.JupyterChart.enable_offline()`` bundles
   Vega with vl-convert on every kernel start (about 1.6 s here). The bundle depends
   only on the installed altair and vl-convert, so it is kept in a user cache file
   keyed by their versions (and a hash of altair's widget source) and read back
   (a few ms) on later starts. Charts still render with no network.

``VM_VS_CLOUD_STARTUP_FIXES=0`` turns both off (altair's own behaviour; the benchmark's
``--before`` uses it). Cache folder: ``$VM_VS_CLOUD_CACHE_DIR`` if set, else ``$XDG_CACHE_HOME/vm-vs-cloud-course``
(``~/.cache/vm-vs-cloud-course``). Deleting it is always safe.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.abc
import importlib.util
import os
import sys
import threading
from pathlib import Path

__all__ = ["fixes_enabled", "defer_iri_grammar", "enable_offline_charts", "inline_vega_bundle", "cache_dir",
           "offline_bundle_path"]

_IRI_MODULE = "rfc3987_syntax"
#: Last line of a complete cache file (a JavaScript comment; a torn write lacks it).
_COMPLETE_MARK = "\n//vm-vs-cloud-course:complete\n"
_lock = threading.Lock()
_real_iri_module = None


def fixes_enabled() -> bool:
    """False when the environment sets VM_VS_CLOUD_STARTUP_FIXES=0."""
    return os.environ.get("VM_VS_CLOUD_STARTUP_FIXES", "1") != "0"


def _real_iri() -> object:
    """Import the real ``rfc3987_syntax`` (once), replacing the stand-in in ``sys.modules``."""
    global _real_iri_module
    with _lock:
        if _real_iri_module is None:
            sys.meta_path[:] = [f for f in sys.meta_path if not isinstance(f, _DeferredIriFinder)]
            stand_in = sys.modules.pop(_IRI_MODULE, None)
            try:
                _real_iri_module = importlib.import_module(_IRI_MODULE)
            except BaseException:
                if stand_in is not None:
                    sys.modules[_IRI_MODULE] = stand_in
                raise
    return _real_iri_module


def _is_valid_syntax(term: str, value: str) -> bool:
    return _real_iri().is_valid_syntax(term, value)


class _StandInLoader(importlib.abc.Loader):
    def create_module(self, spec):
        return None

    def exec_module(self, module) -> None:
        module.is_valid_syntax = _is_valid_syntax
        module.__getattr__ = _stand_in_getattr


def _stand_in_getattr(name: str):
    if name.startswith("__"):  # the import system probes __path__ etc.: not a reason to load
        raise AttributeError(name)
    return getattr(_real_iri(), name)


class _DeferredIriFinder(importlib.abc.MetaPathFinder):
    def find_spec(self, fullname, path=None, target=None):
        if fullname != _IRI_MODULE:
            return None
        return importlib.util.spec_from_loader(fullname, _StandInLoader(), origin="deferred by helpers._startup")


def defer_iri_grammar() -> bool:
    """Make the next ``import rfc3987_syntax`` cheap; the real module loads on first use.

    Returns True if the stand-in was installed, False if it would not help (jsonschema
    or rfc3987_syntax already imported, or rfc3987_syntax not installed, in which
    case jsonschema's own fallback applies unchanged).
    """
    if (not fixes_enabled() or _IRI_MODULE in sys.modules or "jsonschema" in sys.modules
            or any(isinstance(f, _DeferredIriFinder) for f in sys.meta_path)
            or importlib.util.find_spec(_IRI_MODULE) is None):
        return False
    sys.meta_path.insert(0, _DeferredIriFinder())
    return True


def cache_dir() -> Path:
    """The folder for start-up caches (see the module docstring)."""
    if os.environ.get("VM_VS_CLOUD_CACHE_DIR"):
        return Path(os.environ["VM_VS_CLOUD_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or (os.environ.get("LOCALAPPDATA") if os.name == "nt" else None)
    return Path(base or Path.home() / ".cache") / "vm-vs-cloud-course"


def offline_bundle_path() -> Path:
    """Cache file of the offline JupyterChart bundle for the installed altair + vl-convert."""
    import altair as alt
    from altair.jupyter.jupyter_chart import load_js_src
    from altair.utils._importers import import_vl_convert, vl_version_for_vl_convert

    vlc = import_vl_convert()
    source_hash = hashlib.sha256(load_js_src().encode("utf-8")).hexdigest()[:12]
    key = f"altair-{alt.__version__}_vl-convert-{vlc.__version__}_vega-lite-{vl_version_for_vl_convert()}_{source_hash}"
    return cache_dir() / f"jupyterchart-offline-{key}.js"


def enable_offline_charts() -> str:
    """Put ``alt.JupyterChart`` in offline mode (Vega bundled, no CDN), from the cache when possible.

    Returns "already" (nothing to do), "cache" (bundle read from the cache file) or
    "built" (bundled by vl-convert, as ``enable_offline()`` does, then cached).
    """
    import altair as alt

    if alt.JupyterChart._is_offline:
        return "already"
    if not fixes_enabled():
        alt.JupyterChart.enable_offline()
        return "built"

    def build() -> str:
        alt.JupyterChart.enable_offline()
        return alt.JupyterChart._esm

    bundle, how = _cached_text(offline_bundle_path(), build)
    if how == "cache":
        alt.JupyterChart._esm = bundle
        alt.JupyterChart._is_offline = True
    return how


def inline_vega_bundle() -> str:
    """vega-embed with Vega and Vega-Lite as one script (vl-convert's ``javascript_bundle``), cached like
    the JupyterChart bundle: about 1.9 s to build, a few ms to read back. Used by
    :func:`helpers.charts.self_contained_html`."""
    from altair.utils._importers import import_vl_convert, vl_version_for_vl_convert

    vlc = import_vl_convert()

    def build() -> str:
        return vlc.javascript_bundle(vl_version=vl_version_for_vl_convert())

    if not fixes_enabled():
        return build()
    path = cache_dir() / f"vega-embed-inline_vl-convert-{vlc.__version__}_vega-lite-{vl_version_for_vl_convert()}.js"
    return _cached_text(path, build)[0]


def _cached_text(path: Path, build) -> tuple[str, str]:
    """The text cached at ``path``, or ``build()`` written there in one step; (text, "cache" | "built").

    A file without the completion mark (a torn write) is rebuilt; a read-only cache
    folder only costs the rebuild.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    if text.endswith(_COMPLETE_MARK):
        return text[: -len(_COMPLETE_MARK)], "cache"
    text = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        partial.write_text(text + _COMPLETE_MARK, encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass  # a read-only home still works, just without the cache
    return text, "built"
