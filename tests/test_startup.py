"""Kernel start-up fixes (helpers/_startup.py): cheaper, and behaving exactly as before.

Each check runs in a fresh Python process, as a kernel does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE_IRI = r"""
import json, sys
import helpers, jsonschema
before = {m: m in sys.modules for m in ("rfc3987_syntax.syntax_helpers", "lark")}
fc = jsonschema.Draft202012Validator.FORMAT_CHECKER
verdicts = [fc.conforms("http://例え.jp/パス?q=1", "iri"), fc.conforms("no spaces allowed", "iri"),
            fc.conforms("../a/b", "iri-reference"), fc.conforms("http://x/a b", "iri-reference")]
import rfc3987_syntax.syntax_helpers as real
print(json.dumps({"before": before, "verdicts": verdicts, "real": "syntax_helpers" in real.__name__,
                  "iri_registered": "iri" in fc.checkers}))
"""

PROBE_BUNDLE = r"""
import hashlib, json
import helpers, altair as alt
from helpers import _startup
# every plain value JupyterChart keeps on its class (what enable_offline() sets, whatever its name)
state = {k: hashlib.sha256(repr(v).encode()).hexdigest() for k, v in vars(alt.JupyterChart).items()
         if isinstance(v, (str, bytes, bool, int, float))}
print(json.dumps({"offline": alt.JupyterChart._is_offline, "renderer": alt.renderers.active,
                  "esm_sha": hashlib.sha256(alt.JupyterChart._esm.encode()).hexdigest(), "state": state,
                  "cache_file": str(_startup.offline_bundle_path())}))
"""


def run_probe(code: str, env: dict | None = None) -> dict:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120,
                            env={**os.environ, **(env or {})}, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_iri_grammar_is_not_built_at_import_but_iri_checks_still_work():
    probe = run_probe(PROBE_IRI)
    # importing helpers (altair, jsonschema) no longer compiles the Lark grammars...
    assert probe["before"] == {"rfc3987_syntax.syntax_helpers": False, "lark": False}
    # ...and jsonschema still registers and runs the same iri checks, with rfc3987_syntax's verdicts.
    assert probe["iri_registered"] is True
    assert probe["verdicts"] == [True, False, True, False]
    assert probe["real"] is True
    # the same checks with the fix off (altair's own behaviour) give the same verdicts
    reference = run_probe(PROBE_IRI, {"VM_VS_CLOUD_STARTUP_FIXES": "0"})
    assert reference["before"]["rfc3987_syntax.syntax_helpers"] is True  # the cost the fix removes
    assert reference["verdicts"] == probe["verdicts"] and reference["iri_registered"] is True


def test_offline_bundle_is_cached_identical_to_a_fresh_build_and_a_torn_file_is_rebuilt(tmp_path):
    env = {"VM_VS_CLOUD_CACHE_DIR": str(tmp_path)}
    built = run_probe(PROBE_BUNDLE, env)  # empty cache: vl-convert bundles, the file is written
    cached = run_probe(PROBE_BUNDLE, env)  # the next kernel reads the file
    assert built["offline"] and cached["offline"] and built["renderer"] == "jupyter"
    assert cached["esm_sha"] == built["esm_sha"]
    cache_file = tmp_path / os.path.basename(built["cache_file"])
    assert built["cache_file"] == str(cache_file) and cache_file.stat().st_size > 100_000
    cache_file.write_text("export default {}  // cut short", encoding="utf-8")  # a torn write
    rebuilt = run_probe(PROBE_BUNDLE, env)
    assert rebuilt["esm_sha"] == built["esm_sha"]
    assert cache_file.read_text(encoding="utf-8").endswith("//vm-vs-cloud-course:complete\n")


def test_cached_offline_state_equals_altairs_own_enable_offline(tmp_path):
    """If a new altair sets anything else in enable_offline(), the cached path misses it: fail loudly."""
    cached = run_probe(PROBE_BUNDLE, {"VM_VS_CLOUD_CACHE_DIR": str(tmp_path)})
    cached = run_probe(PROBE_BUNDLE, {"VM_VS_CLOUD_CACHE_DIR": str(tmp_path)})  # second run reads the cache
    altairs_own = run_probe(PROBE_BUNDLE, {"VM_VS_CLOUD_STARTUP_FIXES": "0"})
    assert cached["state"] == altairs_own["state"]


PROBE_INLINE = r"""
import hashlib, json, time
import helpers
from helpers import _startup
started = time.perf_counter()
bundle = _startup.inline_vega_bundle()
print(json.dumps({"sha": hashlib.sha256(bundle.encode()).hexdigest(), "s": time.perf_counter() - started}))
"""


def test_inline_vega_bundle_is_cached_identical_to_vl_converts_own(tmp_path):
    env = {"VM_VS_CLOUD_CACHE_DIR": str(tmp_path)}
    built = run_probe(PROBE_INLINE, env)
    cached = run_probe(PROBE_INLINE, env)
    reference = run_probe(PROBE_INLINE, {"VM_VS_CLOUD_STARTUP_FIXES": "0"})  # vl-convert, no cache
    assert built["sha"] == cached["sha"] == reference["sha"]
    assert len(list(tmp_path.glob("vega-embed-inline_*.js"))) == 1
    assert cached["s"] < built["s"]
