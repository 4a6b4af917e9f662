"""termslint: a policy-as-code linter for legal terms written in Markdown."""
from __future__ import annotations

__version__ = "0.1.0"
SCHEMA_VERSION = 1
