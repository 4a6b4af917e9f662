"""Policy engines: one protocol, two implementations.

`embedded` runs regorus in-process; `opa` talks to a real OPA server. Both
take a `PolicySet`, hold `data.termslint` for the run, evaluate one document
at a time by querying `data.termslint.rules` once, and return the same
normalised, sorted list of `RuleResult`s. The OPA module (and with it
requests and opa-python-client) is imported only when that engine is chosen.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
from dataclasses import dataclass
from typing import Any, Mapping, Protocol, Sequence, Union

from termslint.errors import ConfigError, EngineError
from termslint.policies import PolicyModule, PolicySet

RULES_REF = "data.termslint.rules"
RESULT_KINDS = ("deny", "warn", "info")
ENGINES = ("embedded", "opa")

# The shape of `input` used to compile and warm up policies before any
# document is evaluated, so compile errors surface at load time.
EMPTY_INPUT: dict[str, Any] = {
    "schema_version": 1,
    "document": {"path": "", "title": None, "metadata": {}, "line_count": 0, "suppressions": []},
    "clauses": [],
    "definitions": {},
}


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One element of a rule package's `deny`, `warn` or `info` set."""

    package: str  # e.g. "termslint.rules.ai_training_without_opt_out"
    kind: str  # deny | warn | info
    value: Any  # normally an object {code, msg, clause, evidence}; a bare string is accepted

    def sort_key(self) -> tuple[str, str, str]:
        return (self.package, self.kind, json.dumps(self.value, sort_keys=True))


class _Undefined:
    """A rule or reference with no value (Rego's `undefined`), distinct from null."""

    _instance: _Undefined | None = None

    def __new__(cls) -> _Undefined:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "UNDEFINED"

    def __bool__(self) -> bool:
        return False


UNDEFINED = _Undefined()


# What load() accepts: a PolicySet, or just its modules as (path, source) pairs.
Policies = Union[PolicySet, Sequence[tuple[str, str]]]
# What evaluate() accepts: the input as a mapping, or as JSON text already serialised.
DocInput = Union[Mapping[str, Any], str]


class Engine(Protocol):
    """What the evaluation step and the test runner need from an engine."""

    name: str

    def load(self, policies: Policies, *, with_tests: bool = False) -> None:
        """Compile the policy set (and its unit tests); raises PolicyError on bad Rego."""

    def set_data(self, values: Mapping[str, Any]) -> None:
        """Make each value available as `data.termslint.<key>` (documents, config).

        `{"termslint": {...}}` is accepted too. Call once per run, before or
        after load().
        """

    def evaluate(self, doc_input: DocInput) -> list[RuleResult]:
        """Query `data.termslint.rules` with `doc_input` (a mapping or JSON text) as `input`."""

    def eval_ref(self, ref: str) -> Any:
        """The value of one reference such as `data.pkg.test_x`, or UNDEFINED."""

    def take_prints(self) -> list[str]:
        """Lines written by `print()` since the last call (empty where unsupported)."""

    def close(self) -> None:
        """Release the engine: stop a server it started."""

    def __enter__(self) -> Engine: ...

    def __exit__(self, *exc: object) -> None: ...


def make_engine(name: str = "embedded", **options: Any) -> Engine:
    """Create the engine called `name`; options are the engine's keyword arguments.

    `embedded` takes none. `opa` takes `url`, `binary`, `timeout`,
    `startup_timeout` and `token` (see `termslint.engine.opa.OpaEngine`).
    """
    if name == "embedded":
        from termslint.engine.embedded import EmbeddedEngine

        if options:
            raise ConfigError(
                f"the embedded engine takes no options (got {', '.join(sorted(options))})",
                "remove them, or choose engine: opa",
            )
        return EmbeddedEngine()
    if name == "opa":
        from termslint.engine.opa import OpaEngine

        try:
            return OpaEngine(**options)
        except TypeError as exc:
            raise ConfigError(f"bad option for the opa engine: {exc}") from None
    raise ConfigError(f"unknown engine {name!r}", f"choose one of: {', '.join(ENGINES)}")


def to_json(value: Any, *, indent: int | None = None) -> str:
    """JSON for a policy input or data; dates from front matter become ISO strings.

    Front matter can hold floats JSON has no word for (`version: .nan`,
    `1e999`); json.dumps would write NaN and Infinity, which no engine parses
    and no JSON reader should accept. They become the strings "nan", "inf"
    and "-inf", as other values JSON cannot carry become their text.
    """
    try:
        return json.dumps(value, default=_json_default, ensure_ascii=False, allow_nan=False, indent=indent)
    except ValueError:  # a non-finite float somewhere: rare, so only then walk the value
        return json.dumps(_finite(value), default=_json_default, ensure_ascii=False, indent=indent)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (_dt.date, _dt.datetime, _dt.time)):
        return value.isoformat()
    if isinstance(value, (set, frozenset)):
        return sorted(value, key=str)
    if isinstance(value, tuple):
        return list(value)
    return str(value)


def collect_results(tree: Any, package: str = "termslint.rules") -> list[RuleResult]:
    """Flatten the value of `data.termslint.rules` into sorted RuleResults.

    Packages nest (`termslint.rules.acme.x` appears under key "acme"), so the
    tree is walked; a list under `deny`, `warn` or `info` is a result set.
    """
    results: list[RuleResult] = []
    if isinstance(tree, dict):
        for key, value in tree.items():
            if key in RESULT_KINDS and isinstance(value, list):
                results.extend(RuleResult(package, key, item) for item in value)
            elif isinstance(value, dict):
                results.extend(collect_results(value, f"{package}.{key}"))
    results.sort(key=RuleResult.sort_key)
    return results


def as_policy_set(policies: Policies) -> PolicySet:
    if isinstance(policies, PolicySet):
        return policies
    modules = [PolicyModule(path, source) for path, source in policies]
    return PolicySet(modules=modules)


def data_values(values: Mapping[str, Any]) -> dict[str, Any]:
    """The keys to set under `data.termslint`, from `{key: value}` or `{"termslint": {key: value}}`."""
    if set(values) == {"termslint"} and isinstance(values["termslint"], Mapping):
        values = values["termslint"]
    for key in values:
        if key in ("rules", "lib", "tests") or not str(key).isidentifier():
            raise EngineError(f"data.termslint.{key} cannot be set as data", "use another key")
    return dict(values)


def input_json(doc_input: DocInput) -> str:
    return doc_input if isinstance(doc_input, str) else to_json(doc_input)
