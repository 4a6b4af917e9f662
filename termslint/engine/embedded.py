"""The embedded engine: Microsoft's regorus Rego interpreter, in-process.

Policies are compiled once per run; each document is then one
`set_input_json` and one query of `data.termslint.rules`. The JSON methods
are used throughout because regorus's `eval_rule` cannot return sets of
objects, which is what every rule produces.
"""
from __future__ import annotations

import json
import re
from typing import Any, Mapping

import regorus

from termslint.engine import (
    EMPTY_INPUT,
    RULES_REF,
    UNDEFINED,
    DocInput,
    Policies,
    RuleResult,
    as_policy_set,
    collect_results,
    data_values,
    input_json,
    to_json,
)
from termslint.errors import EngineError, PolicyError
from termslint.policies import check_sandbox

_LOCATION = re.compile(r"-->\s*(?P<file>.+?):(?P<line>\d+):(?P<col>\d+)\s*$", re.MULTILINE)
_MESSAGE = re.compile(r"^error:\s*(?P<msg>.+?)\s*$", re.MULTILINE)


def regorus_error_line(text: str) -> str:
    """One line `file:line:col: message` from a regorus error.

    regorus errors carry a code frame ("--> bad.rego:3:10", the source line,
    a caret, "error: expecting `}`") followed by a Rust backtrace; only the
    location and the message are worth showing.
    """
    text = text.split("Stack backtrace:", 1)[0]
    location = _LOCATION.search(text)
    found = _MESSAGE.search(text)
    if found is not None:
        message = found.group("msg")
    else:
        message = next((ln.strip() for ln in text.splitlines() if ln.strip()), "unknown error")
    if location is None:
        return message
    return f"{location['file']}:{location['line']}:{location['col']}: {message}"


class EmbeddedEngine:
    """regorus, loaded once per run; `print()` output is gathered, never written."""

    name = "embedded"

    def __init__(self) -> None:
        self._engine = regorus.Engine()
        self._loaded = False
        self._prints: list[str] = []
        # data.termslint.*: kept here so set_data() may come before or after load().
        self._data: dict[str, Any] = {"documents": {}, "config": {}}
        self.loads = 0  # how many times policies were compiled (once per run)

    def __enter__(self) -> EmbeddedEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def load(self, policies: Policies, *, with_tests: bool = False) -> None:
        engine = regorus.Engine()
        engine.set_gather_prints(True)
        for path, source in as_policy_set(policies).all_modules(with_tests):
            # The sandbox check runs here too, so a PolicySet built by hand
            # cannot smuggle in a network call.
            check_sandbox(source, path)
            try:
                engine.add_policy(path, source)
            except RuntimeError as exc:
                raise PolicyError(regorus_error_line(str(exc)),
                                  "fix the Rego at that line; `termslint test` compiles every policy") from None
        self._engine = engine
        self._loaded = True
        self.loads += 1
        self._apply_data()
        # regorus resolves names and checks safety on the first evaluation;
        # doing it now reports a broken policy before any document is read.
        self.evaluate(EMPTY_INPUT)
        self._engine.take_prints()
        self._prints.clear()

    def set_data(self, values: Mapping[str, Any]) -> None:
        self._data.update(data_values(values))
        self._apply_data()

    def _apply_data(self) -> None:
        values = self._data
        self._engine.clear_data()
        try:
            self._engine.add_data_json(to_json({"termslint": dict(values)}))
        except RuntimeError as exc:
            raise EngineError(f"cannot set data.termslint: {regorus_error_line(str(exc))}") from None

    def evaluate(self, doc_input: DocInput) -> list[RuleResult]:
        try:
            value = self._query(RULES_REF, doc_input)
        except PolicyError as exc:
            # A rule that fails at run time (conflicting values, a bad built-in
            # argument). Not in _query: `termslint test` reports the bare message.
            raise PolicyError(exc.what, exc.fix or "fix the rule, and cover that input with a *_test.rego "
                              "unit test (`termslint test`)") from None
        return collect_results(value if value is not UNDEFINED else {})

    def eval_ref(self, ref: str) -> Any:
        return self._query(ref, None)

    def _query(self, ref: str, doc_input: DocInput | None) -> Any:
        if not self._loaded:
            raise EngineError("no policies loaded", "call load() before evaluating")
        try:
            # Unit tests bring their own input (`with input as`); an empty
            # object keeps a previous document from leaking into them.
            self._engine.set_input_json(input_json(doc_input if doc_input is not None else {}))
            raw = self._engine.eval_query_as_json(ref)
        except RuntimeError as exc:
            self._gather_prints()
            raise PolicyError(regorus_error_line(str(exc))) from None
        self._gather_prints()
        rows = json.loads(raw).get("result") or []
        if not rows:
            return UNDEFINED
        expressions = rows[0].get("expressions") or []
        return expressions[0].get("value") if expressions else UNDEFINED

    def _gather_prints(self) -> None:
        self._prints.extend(str(line) for line in self._engine.take_prints())

    def take_prints(self) -> list[str]:
        prints, self._prints = self._prints, []
        return prints

    def close(self) -> None:
        self._loaded = False
