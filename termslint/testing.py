"""`termslint test`: run the `test_*` rules of `*_test.rego` files, OPA-style.

A test passes when its rule evaluates to `true`; undefined or any other value
fails it, and a runtime error fails it with the error. Results are data, so
every output format (text, JSON, JUnit) can render them, as conftest's
`verify` does.
"""
from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from typing import Any

from termslint.engine import UNDEFINED, Engine, make_engine
from termslint.errors import PolicyError
from termslint.policies import PolicySet, find_test_rules


@dataclass(slots=True)
class PolicyTestResult:
    """One `test_*` rule's outcome."""

    name: str  # the rule, e.g. "test_grant_without_opt_out_is_flagged"
    package: str  # e.g. "termslint.tests.ai_training_without_opt_out"
    path: str  # the test file, as shown in messages
    line: int
    passed: bool
    error: str | None = None  # the runtime error that failed the test, if any
    prints: list[str] = field(default_factory=list)
    duration_ms: float = 0.0  # wall time; not part of as_dict() so output stays stable

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "package": self.package,
            "path": self.path,
            "line": self.line,
            "passed": self.passed,
            "error": self.error,
            "prints": list(self.prints),
        }


@dataclass(slots=True)
class PolicyTestSummary:
    results: list[PolicyTestResult]

    @property
    def passed(self) -> int:
        return sum(1 for r in self.results if r.passed)

    @property
    def failed(self) -> int:
        return len(self.results) - self.passed

    @property
    def ok(self) -> bool:
        return self.failed == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "tests": [r.as_dict() for r in self.results],
            "summary": {"total": len(self.results), "passed": self.passed, "failed": self.failed},
        }


def run_policy_tests(
    policies: PolicySet,
    engine: Engine | None = None,
    *,
    engine_name: str = "embedded",
    engine_options: dict[str, Any] | None = None,
    match: str | None = None,
) -> PolicyTestSummary:
    """Run every test rule of `policies.tests` (load the set with `with_tests=True`).

    Pass an `engine` to reuse one (it is loaded with the tests, and not
    closed); otherwise one is made from `engine_name` and closed afterwards.
    `match` is a regular expression over "package.rule" that selects tests.
    A policy that does not compile raises PolicyError, as in `check`.
    """
    selector = re.compile(match) if match else None
    own = engine is None
    active = engine if engine is not None else make_engine(engine_name, **(engine_options or {}))
    try:
        active.load(policies, with_tests=True)
        active.take_prints()
        results = []
        for path, source in policies.tests:
            package = policies.packages[path]
            for name, line in find_test_rules(source):
                if selector is not None and not selector.search(f"{package}.{name}"):
                    continue
                results.append(_run_one(active, path, package, name, line))
        return PolicyTestSummary(results)
    finally:
        if own:
            active.close()


def _run_one(engine: Engine, path: str, package: str, name: str, line: int) -> PolicyTestResult:
    started = time.perf_counter()
    error: str | None = None
    try:
        value = engine.eval_ref(f"data.{package}.{name}")
    except PolicyError as exc:
        value, error = UNDEFINED, str(exc)
    elapsed = (time.perf_counter() - started) * 1000
    return PolicyTestResult(
        name=name,
        package=package,
        path=path,
        line=line,
        passed=error is None and value is True,
        error=error,
        prints=engine.take_prints(),
        duration_ms=elapsed,
    )
