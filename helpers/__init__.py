"""The course's helper package: data, models, charts and live panels.

Importing it (every notebook's setup cell does) enables the course's chart
theme and the offline chart renderer, so charts render with no network.
Models are pure functions in one module per chapter; notebooks call them.
"""

from __future__ import annotations

from . import _startup

# Before altair (and so jsonschema) is imported: defer the ~1.2 s IRI grammar build (see _startup).
_startup.defer_iri_grammar()

import altair as alt  # noqa: E402

from . import charts  # noqa: F401  (registers and enables the course theme)
from . import cost  # noqa: F401  (registers the cost data schemas)
from . import history  # noqa: F401
from . import architecture  # noqa: F401
from . import startup  # noqa: F401  (start-up times, chapters 3 and 4)
from . import security, recovery, patching  # noqa: F401  (chapter 6 schemas)
from . import performance  # noqa: F401  (chapter 4: measured overheads, latency ladder, scale thresholds)
from . import resources  # noqa: F401  (chapter 3: elasticity simulator)
from . import placement  # noqa: F401  (chapter 3: bin packing)
from .claims import claims_table, verdict_counts
from .course import CHAPTERS, chapter_table
from .data import load
from .environment import environment_report

# Charts render as JupyterChart widgets with Vega bundled from vl-convert: no CDN.
# The bundle is read from a cache keyed by the altair and vl-convert versions (see _startup).
_startup.enable_offline_charts()
alt.renderers.enable("jupyter", offline=True, embed_options=charts.EMBED_OPTIONS)  # SVG, scaled to the cell
# While the web edition is built (VM_VS_CLOUD_WEB_EDITION=1, see helpers.web_edition), charts are static HTML.
from . import web_edition  # noqa: E402

alt.renderers.register(web_edition.RENDERER_NAME, web_edition._renderer)
if web_edition.enabled():
    alt.renderers.enable(web_edition.RENDERER_NAME)

__all__ = ["load", "claims_table", "verdict_counts", "CHAPTERS", "chapter_table", "environment_report"]
__version__ = "0.1.0"
