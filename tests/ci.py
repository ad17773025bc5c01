"""One answer, shared by the test modules, to "are we running in CI?".

Where a test would be skipped for a missing tool (Chromium, ``unshare``), CI turns the
skip into a failure, so a CI image that lost the tool cannot pass silently.
"""

from __future__ import annotations

import os

__all__ = ["in_ci"]


def in_ci() -> bool:
    """True when the environment variable CI is "true" (any case), as GitHub Actions and GitLab CI set it."""
    return os.environ.get("CI", "").strip().lower() == "true"
