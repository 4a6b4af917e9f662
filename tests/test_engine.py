"""The engines: the embedded regorus engine, and a real OPA server where one exists.

OPA tests need an `opa` binary on PATH and are skipped, with the reason, where
there is none. Failure modes that need no OPA (a refused connection, a server
that never answers) use real sockets on 127.0.0.1; nothing here is mocked.
"""
from __future__ import annotations

import json
import re
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from termslint.engine import UNDEFINED, RuleResult, collect_results, make_engine, to_json
from termslint.engine.embedded import EmbeddedEngine, regorus_error_line
from termslint.errors import ConfigError, EngineError, PolicyError
from termslint.evaluate import results_to_findings
from termslint.policies import PolicyModule, PolicySet, load_policy_set
from termslint.testing import run_policy_tests

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
OPA = shutil.which("opa")
needs_opa = pytest.mark.skipif(
    OPA is None,
    reason="no `opa` binary on PATH: the OPA engine and its parity with the embedded engine are not tested here",
)

RULES = """package termslint.rules.sample

import rego.v1

deny contains f if {
	some c in input.clauses
	c.text == "bad"
	print("flagging", c.id)
	f := {"code": "ACME1", "msg": "bad clause", "clause": c.id}
}

warn contains f if {
	count(input.clauses) > data.termslint.config.max_clauses
	f := {"code": "ACME2", "msg": "too many clauses", "clause": null}
}
"""

NESTED = """package termslint.rules.acme.nested

import rego.v1

info contains "a bare string result"
"""


def policy_set(*modules: tuple[str, str]) -> PolicySet:
    return PolicySet(
        modules=[PolicyModule(path, source) for path, source in modules],
        packages={path: source.split()[1] for path, source in modules},
    )


def doc_input(*texts: str) -> dict[str, object]:
    return {
        "schema_version": 1,
        "document": {"path": "terms.md", "title": None, "metadata": {}, "line_count": 9, "suppressions": []},
        "clauses": [{"id": str(i), "text": t} for i, t in enumerate(texts, start=1)],
        "definitions": {},
    }


@pytest.fixture
def embedded() -> Iterator[EmbeddedEngine]:
    engine = EmbeddedEngine()
    engine.load(policy_set(("sample.rego", RULES), ("nested.rego", NESTED)))
    engine.set_data({"documents": {}, "config": {"max_clauses": 2}})
    yield engine
    engine.close()


# --- embedded -------------------------------------------------------------------


def test_results_are_normalised_and_sorted(embedded: EmbeddedEngine) -> None:
    results = embedded.evaluate(doc_input("bad", "fine", "bad"))
    assert results == [
        RuleResult("termslint.rules.acme.nested", "info", "a bare string result"),
        RuleResult("termslint.rules.sample", "deny", {"clause": "1", "code": "ACME1", "msg": "bad clause"}),
        RuleResult("termslint.rules.sample", "deny", {"clause": "3", "code": "ACME1", "msg": "bad clause"}),
        RuleResult("termslint.rules.sample", "warn", {"clause": None, "code": "ACME2", "msg": "too many clauses"}),
    ]


def test_data_is_set_once_and_read_by_policies(embedded: EmbeddedEngine) -> None:
    assert not [r for r in embedded.evaluate(doc_input("a", "b")) if r.kind == "warn"]
    embedded.set_data({"documents": {}, "config": {"max_clauses": 1}})
    assert [r for r in embedded.evaluate(doc_input("a", "b")) if r.kind == "warn"]


def test_engine_takes_module_lists_json_text_and_wrapped_data() -> None:
    engine = EmbeddedEngine()
    engine.load([("sample.rego", RULES)])  # the modules alone, as (path, source) pairs
    engine.set_data({"termslint": {"documents": {}, "config": {"max_clauses": 0}}})
    as_text = engine.evaluate(json.dumps(doc_input("bad")))
    assert as_text == engine.evaluate(doc_input("bad"))
    assert [r.kind for r in as_text] == ["deny", "warn"]
    with pytest.raises(EngineError, match="data.termslint.rules cannot be set"):
        engine.set_data({"rules": {}})


def test_data_set_before_loading_is_kept() -> None:
    engine = EmbeddedEngine()
    engine.set_data({"config": {"max_clauses": 0}})
    engine.load(policy_set(("sample.rego", RULES)))
    assert [r.kind for r in engine.evaluate(doc_input("fine"))] == ["warn"]
    assert engine.eval_ref("data.termslint.documents") == {}


def test_front_matter_dates_are_passed_as_iso_strings(embedded: EmbeddedEngine) -> None:
    import datetime

    data = doc_input("bad")
    data["document"] = {"path": "t.md", "metadata": {"effective_date": datetime.date(2023, 3, 31)}}
    assert embedded.evaluate(data)  # no TypeError from json
    assert to_json({"effective_date": datetime.date(2023, 3, 31)}) == '{"effective_date": "2023-03-31"}'


def test_prints_are_captured_not_written(embedded: EmbeddedEngine, capfd: pytest.CaptureFixture[str]) -> None:
    embedded.evaluate(doc_input("bad", "fine"))
    assert embedded.take_prints() == ["sample.rego:8: flagging 1"]
    assert embedded.take_prints() == []
    out, err = capfd.readouterr()
    assert "flagging" not in out + err


def test_policies_are_loaded_once_per_run(embedded: EmbeddedEngine) -> None:
    inner = embedded._engine
    for texts in (("bad",), ("fine",), ("bad", "bad")):
        embedded.evaluate(doc_input(*texts))
    assert embedded.loads == 1
    assert embedded._engine is inner


def test_eval_ref_distinguishes_undefined_from_false(embedded: EmbeddedEngine) -> None:
    assert embedded.eval_ref("data.termslint.rules.sample.nothing") is UNDEFINED
    assert embedded.eval_ref("data.termslint.config.max_clauses") == 2


def test_syntax_error_is_one_line_with_file_line_col() -> None:
    bad = "package termslint.rules.bad\n\nimport rego.v1\n\ndeny contains f if { f := 1 + }\n"
    with pytest.raises(PolicyError) as err:
        EmbeddedEngine().load(policy_set(("bad.rego", bad)))
    message = str(err.value)
    assert "\n" not in message
    assert "backtrace" not in message.lower()
    assert message.startswith("bad.rego:5:")
    assert message.count(":") >= 3


def test_unsafe_variable_is_reported_at_load_not_at_the_first_document() -> None:
    bad = "package termslint.rules.bad\n\nimport rego.v1\n\ndeny contains f if {\n\tf := y\n}\n"
    with pytest.raises(PolicyError, match=r"^bad\.rego:6:\d+: .*unsafe"):
        EmbeddedEngine().load(policy_set(("bad.rego", bad)))


def test_runtime_error_is_a_one_line_policy_error() -> None:
    source = "package termslint.rules.div\n\nimport rego.v1\n\ndeny contains x if {\n\tsome c in input.clauses\n\tx := 1 / c.level\n}\n"
    engine = EmbeddedEngine()
    engine.load(policy_set(("div.rego", source)))
    with pytest.raises(PolicyError) as err:
        engine.evaluate({"clauses": [{"level": 0}]})
    assert re.fullmatch(r"div\.rego:7:\d+: .*", str(err.value))


def test_regorus_error_parsing() -> None:
    raw = "\n--> bad.rego:3:10\n  |\n3 | p if { x := {1 \n  |          ^\nerror: expecting `}` while parsing set\n\nStack backtrace:\n   0: <unknown>\n"
    assert regorus_error_line(raw) == "bad.rego:3:10: expecting `}` while parsing set"
    assert regorus_error_line("not a valid rule path\n\nStack backtrace:\n 0: x") == "not a valid rule path"


def test_evaluating_before_loading_is_an_engine_error() -> None:
    with pytest.raises(EngineError, match="no policies loaded"):
        EmbeddedEngine().evaluate(doc_input())


def test_collect_results_walks_nested_packages() -> None:
    tree = {"a": {"deny": [{"code": "X"}], "helper": [1, 2], "b": {"warn": ["w"]}}}
    assert collect_results(tree) == [
        RuleResult("termslint.rules.a", "deny", {"code": "X"}),
        RuleResult("termslint.rules.a.b", "warn", "w"),
    ]


def test_make_engine_validates_names_and_options() -> None:
    assert isinstance(make_engine("embedded"), EmbeddedEngine)
    with pytest.raises(ConfigError, match="unknown engine 'rego-cpp'"):
        make_engine("rego-cpp")
    with pytest.raises(ConfigError, match="takes no options"):
        make_engine("embedded", timeout=3)
    with pytest.raises(ConfigError, match="bad option"):
        make_engine("opa", url="http://127.0.0.1:1", colour="blue")


def test_opa_client_is_imported_only_for_the_opa_engine() -> None:
    code = (
        "import sys, termslint.engine as e\n"
        "from termslint.policies import load_policy_set\n"
        "eng = e.make_engine('embedded'); eng.load(load_policy_set())\n"
        "print('opa_client' in sys.modules, 'requests' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


# --- OPA engine without an OPA binary: real sockets ---------------------------------


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_refused_connection_is_one_engine_error_naming_url_and_fix() -> None:
    port = closed_port()
    started = time.monotonic()
    with pytest.raises(EngineError) as err:
        make_engine("opa", url=f"http://127.0.0.1:{port}", timeout=2)
    assert time.monotonic() - started < 2
    message = str(err.value)
    assert "\n" not in message
    assert f"http://127.0.0.1:{port}" in message
    assert "cannot connect" in message
    assert "embedded engine" in message  # the fix


def test_server_that_never_answers_fails_within_the_timeout() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)  # accepts connections in the kernel, never reads or answers
        port = listener.getsockname()[1]
        started = time.monotonic()
        with pytest.raises(EngineError) as err:
            make_engine("opa", url=f"http://127.0.0.1:{port}", timeout=0.5)
        elapsed = time.monotonic() - started
    assert elapsed < 2.0, f"took {elapsed:.1f}s for a 0.5s timeout"
    message = str(err.value)
    assert f"http://127.0.0.1:{port} did not answer within 0.5s" in message
    assert "raise the opa engine's timeout" in message


def test_opa_engine_needs_a_url_or_a_binary(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no opa
    with pytest.raises(EngineError, match=r"no `opa` binary on PATH.*install OPA"):
        make_engine("opa")


@pytest.mark.parametrize("url", ["ftp://127.0.0.1:8181", "http://127.0.0.1:8181/opa", "not a url"])
def test_bad_opa_urls_are_config_errors(url: str) -> None:
    with pytest.raises(ConfigError):
        make_engine("opa", url=url)


# --- OPA engine with a real server -------------------------------------------------


@pytest.fixture
def opa_engine() -> Iterator[object]:
    engine = make_engine("opa", timeout=30)
    yield engine
    engine.close()


@needs_opa
def test_opa_server_is_started_and_stopped() -> None:
    engine = make_engine("opa")
    process = engine._process  # type: ignore[attr-defined]
    assert process is not None and process.poll() is None
    engine.close()
    assert process.poll() is not None


@needs_opa
def test_opa_compile_error_is_one_line_with_file_line_col(opa_engine: object) -> None:
    bad = "package termslint.rules.bad\n\nimport rego.v1\n\ndeny contains f if { f := 1 + }\n"
    with pytest.raises(PolicyError, match=r"^bad\.rego:5:\d+: "):
        opa_engine.load(policy_set(("bad.rego", bad)))  # type: ignore[attr-defined]


@needs_opa
def test_builtin_unit_tests_agree_on_both_engines() -> None:
    policies = load_policy_set(with_tests=True)
    embedded = [(r.package, r.name, r.passed) for r in run_policy_tests(policies).results]
    opa = [(r.package, r.name, r.passed) for r in run_policy_tests(policies, engine_name="opa").results]
    assert embedded == opa
    assert all(passed for _, _, passed in opa)


@needs_opa
def test_findings_agree_on_both_engines(opa_engine: object) -> None:
    policies = load_policy_set()
    embedded = EmbeddedEngine()
    embedded.load(policies)
    opa_engine.load(policies)  # type: ignore[attr-defined]
    for path in sorted(FIXTURES.glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))["input"]
        mine = embedded.evaluate(doc)
        theirs = opa_engine.evaluate(doc)  # type: ignore[attr-defined]
        assert mine == theirs, path.name
        assert results_to_findings(mine, doc, policies.rules) == results_to_findings(theirs, doc, policies.rules)

