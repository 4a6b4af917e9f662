"""The Zoom-2023-style history in examples/history, replayed through the real CLI.

Each step is committed to a throwaway legal-docs repository and checked
against the commit before, exactly as examples/history/replay.py does (the
test runs that script's own `replay()`), with `--format json` so that the
assertions are on codes, clauses and statuses rather than wording.
"""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EXAMPLES, REPO, STEPS, Run

FINDINGS_SCHEMA = json.loads((REPO / "termslint" / "schemas" / "findings.schema.json").read_text(encoding="utf-8"))


def clause_line(text: str, clause: str) -> int:
    """The 1-based line on which the bold run-in heading of `clause` starts."""
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"**{clause} "):
            return number
    raise AssertionError(f"clause {clause} not found")


def by_code_clause(findings: list[dict[str, Any]]) -> dict[tuple[str, str | None], dict[str, Any]]:
    return {(f["code"], f["clause"]): f for f in findings}


def report(out: str) -> dict[str, Any]:
    data = json.loads(out)
    jsonschema.validate(data, FINDINGS_SCHEMA)
    return data


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    """Every step's exit code and JSON report, from examples/history/replay.py itself."""
    spec = importlib.util.spec_from_file_location("replay", EXAMPLES / "history" / "replay.py")
    assert spec and spec.loader
    replay = importlib.util.module_from_spec(spec)
    sys.modules["replay"] = replay  # dataclasses look their module up there
    spec.loader.exec_module(replay)
    outcomes = replay.replay(tmp_path_factory.mktemp("history") / "legal-docs", fmt="json", echo=False)
    assert [o.step for o in outcomes] == [p.stem for p in sorted(STEPS.glob("*.md"))]
    return {o.step.split("-", 1)[0]: {"code": o.code, **report(o.output)} for o in outcomes}


def test_step_1_clean_terms_pass(history: dict[str, dict[str, Any]]) -> None:
    step = history["1"]
    assert step["code"] == 0
    assert not [f for f in step["findings"] if f["severity"] in ("error", "warning")]


def test_step_2_quiet_ai_grant_fails_with_new_findings_on_10_2_and_10_4(history: dict[str, dict[str, Any]]) -> None:
    step = history["2"]
    assert step["code"] == 1
    found = by_code_clause(step["findings"])
    text = (STEPS / "2-quiet-ai-grant.md").read_text(encoding="utf-8")
    for clause in ("10.2", "10.4"):
        for code in ("TL301", "TL101", "TL303"):
            f = found.get((code, clause))
            assert f is not None, f"{code} missing on clause {clause}: {sorted(found)}"
            assert f["status"] == "new" and not f["waived"]
            assert f["path"] == "legal/terms.md"
            assert f["span"]["start_line"] == clause_line(text, clause)
    # Nothing outside the changed section is blamed.
    assert {f["clause"] for f in step["findings"]} <= {"10.2", "10.4"}
    assert step["summary"]["new"] == len(step["findings"]) > 0
    assert step["summary"]["existing"] == 0


def test_step_3_unrelated_edit_passes_and_old_findings_are_existing(history: dict[str, dict[str, Any]]) -> None:
    step = history["3"]
    assert step["code"] == 0
    assert step["findings"], "the grant is still there: its findings must still be reported"
    assert all(f["status"] == "existing" for f in step["findings"]), step["findings"]
    found = by_code_clause(step["findings"])
    assert {("TL101", "10.2"), ("TL101", "10.4")} <= set(found)
    # The findings are the same ones as at step 2 (same fingerprints), not look-alikes.
    before = {f["fingerprint"] for f in history["2"]["findings"]}
    assert {f["fingerprint"] for f in step["findings"]} <= before
    assert step["summary"]["new"] == 0 and step["summary"]["existing"] == len(step["findings"])


def test_step_4_partial_carve_out_fails_with_a_consent_gap(history: dict[str, dict[str, Any]]) -> None:
    step = history["4"]
    assert step["code"] == 1
    gap = by_code_clause(step["findings"]).get(("TL103", "10.4"))
    assert gap is not None and gap["status"] == "new" and gap["severity"] == "error"
    # The grant over service-generated data (10.2) did not change: still reported, not new.
    assert by_code_clause(step["findings"])[("TL101", "10.2")]["status"] == "existing"


def test_step_5_prohibition_passes(history: dict[str, dict[str, Any]]) -> None:
    step = history["5"]
    assert step["code"] == 0
    assert not [f for f in step["findings"] if f["severity"] in ("error", "warning")], step["findings"]
    assert not [f for f in step["findings"] if f["code"].startswith(("TL1", "TL2"))]


# ---------------------------------------------------------------- single files, no history


def test_zoom_style_file_alone_fails_on_the_clauses_that_grant(termslint: Any) -> None:
    path = STEPS / "2-quiet-ai-grant.md"
    run: Run = termslint("check", "--format", "json", str(path), cwd=STEPS)
    assert run.code == 1, run.err
    data = report(run.out)
    text = path.read_text(encoding="utf-8")
    got = {(f["code"], f["clause"]) for f in data["findings"]}
    expected = {("TL101", "10.2"), ("TL101", "10.4"), ("TL102", "10.2"), ("TL102", "10.4"), ("TL201", "10.4")}
    assert expected <= got, got
    # 10.2 grants no licence: TL201 (licence scope) must not fire there.
    assert ("TL201", "10.2") not in got
    for f in data["findings"]:
        assert f["status"] == "new"  # no base: everything is new
        assert f["span"]["start_line"] == clause_line(text, f["clause"])
        assert f["evidence"], f"{f['code']} on {f['clause']} has no evidence"
    # Change rules need a base; without one they stay silent.
    assert not {c for c, _ in got} & {"TL301", "TL302", "TL303"}


@pytest.mark.parametrize("name", ["1-clean.md", "5-prohibition.md"])
def test_clean_files_pass(termslint: Any, name: str) -> None:
    run: Run = termslint("check", "--format", "json", str(STEPS / name), cwd=STEPS)
    assert run.code == 0, run.out + run.err
    data = report(run.out)
    assert data["summary"]["errors"] == 0 and data["summary"]["warnings"] == 0


def test_replay_script_prints_the_documented_outcomes(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, str(EXAMPLES / "history" / "replay.py"), str(tmp_path / "docs")],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    tail = [line.split() for line in proc.stdout.strip().splitlines()[-5:]]
    assert [(t[0], t[1]) for t in tail] == [
        ("1-clean", "passes"), ("2-quiet-ai-grant", "fails"), ("3-unrelated-edit", "passes"),
        ("4-partial-carve-out", "fails"), ("5-prohibition", "passes")]
