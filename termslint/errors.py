"""termslint's own errors.

Library code raises a `TermslintError` and never exits; the CLI turns it into
one line, `termslint: error: <what>; <how to fix>`, and exit code 2.
"""
from __future__ import annotations


class TermslintError(Exception):
    """A usage or input error the user can fix. `str()` is the whole message."""

    def __init__(self, what: str, fix: str | None = None) -> None:
        self.what = what
        self.fix = fix
        super().__init__(f"{what}; {fix}" if fix else what)


class InputError(TermslintError):
    """A document that cannot be read or parsed (binary, not UTF-8, bad front matter)."""


class ConfigError(TermslintError):
    """A broken or unknown setting in .termslint.yaml or [tool.termslint]."""


class PolicyError(TermslintError):
    """A Rego policy that does not compile, or calls a forbidden built-in."""


class EngineError(TermslintError):
    """The policy engine failed: an OPA server that is down, slow or missing."""


class GitError(TermslintError):
    """A git call failed: no repository, a missing revision, a shallow clone."""


class LimitError(TermslintError):
    """A document or clause count past a configured bound."""
