"""The command line end to end: the real `termslint` in a subprocess, real files, real git.

Assertions are on exit codes, finding codes, clauses and statuses (JSON),
and on the one-line error contract of DESIGN.md, not on report wording.
"""
from __future__ import annotations

import json
import re
import tarfile
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import REPO, SHARED, STEPS, Run, commit_file, git, write

from termslint import __version__
from termslint.policies import builtin_policy_dir, load_policy_set

Termslint = Callable[..., Run]
COMMANDS = ("check", "baseline", "explain", "parse", "test", "rules", "bundle", "init")
POLICY_INPUT_SCHEMA = json.loads((REPO / "termslint/schemas/policy-input.schema.json").read_text(encoding="utf-8"))
FINDINGS_SCHEMA = json.loads((REPO / "termslint/schemas/findings.schema.json").read_text(encoding="utf-8"))

# Fixtures written for these tests. Each has exactly one finding, of the named severity.
AI_TRAINING = """\
# Acme Terms of Service

## 1. Definitions

**1.1** "Customer Content" means the files, messages and recordings you upload to the Services.

## 10. Your content

**10.1 Ownership.** You keep every right in your Customer Content.

**10.4 Model training.** Acme may use Customer Content to train and improve its artificial intelligence models.
"""  # one error: TL101 on 10.4

BROAD_LICENCE = """\
# Acme Terms of Service

## 1. Definitions

**1.1** "Customer Content" means the files, messages and recordings you upload to the Services.

## 4. Licence

**4.1 Licence to Acme.** You grant Acme a perpetual, irrevocable, worldwide, royalty-free, sublicensable and \
transferable licence to host, copy and display Customer Content solely to provide the Services to you.
"""  # one warning: TL201 on 4.1

UNUSED_DEFINITION = """\
# Acme Terms of Service

## 1. Definitions

**1.1** "Gadget" means a device sold by Acme.

## 2. Orders

**2.1 Placing orders.** You may order products through the website.
"""  # one info: TL403 on 1.1

CLEAN = """\
# Acme Terms of Service

## 1. Orders

**1.1 Placing orders.** You may order products through the website.

**1.2 Payment.** You pay the price shown at checkout, as described in Section 1.1.
"""

USER_POLICY = """\
# METADATA
# title: Gadgets mentioned
# description: Flags clauses that mention gadgets.
# custom:
#   code: ACME101
#   name: gadget-mention
#   severity: warning
#   why: The product is called a device in every other document.
#   fix: Say device.
#   example: You may buy a gadget.
package termslint.rules.gadget_mention

import rego.v1

warn contains f if {
	some c in input.clauses
	contains(lower(c.text), "gadget")
	f := {"code": "ACME101", "msg": sprintf("Clause %s mentions gadgets", [c.id]), "clause": c.id}
}
"""

USER_POLICY_TEST = """\
package termslint.tests.gadget_mention

import rego.v1

import data.termslint.rules.gadget_mention as rule

test_gadget_is_flagged if {
	count(rule.warn) == 1 with input as {"clauses": [{"id": "1", "text": "A gadget"}]}
}

test_device_passes if {
	count(rule.warn) == 0 with input as {"clauses": [{"id": "1", "text": "A device"}]}
}
"""


def findings(run: Run) -> list[dict[str, Any]]:
    data = json.loads(run.out)
    jsonschema.validate(data, FINDINGS_SCHEMA)
    return list(data["findings"])


def codes(run: Run) -> set[tuple[str, str | None]]:
    return {(f["code"], f["clause"]) for f in findings(run)}


def one_line_error(run: Run) -> str:
    """The DESIGN.md contract for input errors: exit 2, one line on stderr, no traceback."""
    assert run.code == 2, f"exit {run.code}\nstdout: {run.out}\nstderr: {run.err}"
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    assert lines[0].startswith("termslint: error: "), run.err
    assert "Traceback" not in run.err + run.out
    return lines[0]


# ---------------------------------------------------------------- help, version, usage


@pytest.mark.parametrize("command", COMMANDS)
def test_help_for_every_command(termslint: Termslint, command: str) -> None:
    run = termslint(command, "--help")
    assert run.code == 0, run.err
    assert run.out.startswith(f"usage: termslint {command}")
    assert run.err == ""


def test_top_level_help_lists_every_command(termslint: Termslint) -> None:
    run = termslint("--help")
    assert run.code == 0
    listed = re.findall(r"^    (\w+)\s{2,}", run.out, re.M)
    assert tuple(listed) == COMMANDS
    assert "exit codes" in run.out


def test_version_matches_the_package(termslint: Termslint) -> None:
    run = termslint("--version")
    assert run.code == 0
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    assert run.out.strip() == f"termslint {__version__}" == f"termslint {pyproject['project']['version']}"


def test_usage_errors_exit_2_with_one_line(termslint: Termslint, tmp_path: Path) -> None:
    assert "--bogus" in one_line_error(termslint("check", "--bogus", cwd=tmp_path))
    assert "--fail-on" in one_line_error(termslint("check", "--fail-on", "fatal", cwd=tmp_path))
    run = termslint(cwd=tmp_path)
    assert run.code == 2 and run.out.startswith("usage: termslint")


# ---------------------------------------------------------------- check: exit codes and outputs


@pytest.fixture
def docs(tmp_path: Path) -> Path:
    write(tmp_path, {"ai.md": AI_TRAINING, "licence.md": BROAD_LICENCE, "definitions.md": UNUSED_DEFINITION,
                     "clean.md": CLEAN})
    return tmp_path


@pytest.mark.parametrize(("doc", "fail_on", "expected"), [
    ("clean.md", "info", 0),
    ("ai.md", None, 1),
    ("licence.md", None, 0), ("licence.md", "warning", 1), ("licence.md", "error", 0),
    ("definitions.md", "warning", 0), ("definitions.md", "info", 1),
])
def test_exit_code_follows_fail_on(termslint: Termslint, docs: Path, doc: str, fail_on: str | None,
                                   expected: int) -> None:
    args = ["check", doc, "--format", "json"] + (["--fail-on", fail_on] if fail_on else [])
    run = termslint(*args, cwd=docs)
    assert run.code == expected, run.out + run.err
    assert len(findings(run)) == (0 if doc == "clean.md" else 1)


def test_fail_on_from_config_and_the_command_line_wins(termslint: Termslint, docs: Path) -> None:
    write(docs, {".termslint.yaml": "fail_on: warning\n"})
    assert termslint("check", "licence.md", cwd=docs).code == 1
    assert termslint("check", "licence.md", "--fail-on", "error", cwd=docs).code == 0


def test_report_verdict_agrees_with_the_exit_code(termslint: Termslint, docs: Path) -> None:
    failing = termslint("check", "licence.md", "--fail-on", "warning", "--format", "markdown", cwd=docs)
    assert failing.code == 1
    assert re.search(r"^## .*termslint: failed", failing.out, re.M), failing.out
    passing = termslint("check", "licence.md", "--format", "markdown", cwd=docs)
    assert passing.code == 0
    assert re.search(r"^## .*termslint: passed", passing.out, re.M), passing.out
    # JUnit lists every checked file, the clean ones too (the summary carries the paths).
    junit = termslint("check", "clean.md", "ai.md", "--format", "junit", cwd=docs)
    assert re.findall(r'<testsuite name="([^"]+)"', junit.out) == ["ai.md", "clean.md"]


def test_json_output_is_deterministic(termslint: Termslint, docs: Path) -> None:
    first = termslint("check", ".", "--format", "json", "--fail-on", "info", cwd=docs)
    second = termslint("check", ".", "--format", "json", "--fail-on", "info", cwd=docs)
    serial = termslint("check", ".", "--format", "json", "--fail-on", "info", "--jobs", "1", cwd=docs)
    assert first.code == second.code == serial.code == 1
    assert first.out == second.out == serial.out  # byte-identical, in parallel or not
    found = findings(first)
    assert [f["path"] for f in found] == sorted(f["path"] for f in found)
    assert {f["path"] for f in found} == {"ai.md", "licence.md", "definitions.md"}


def test_output_files_are_written_while_text_goes_to_stdout(termslint: Termslint, docs: Path) -> None:
    (docs / "reports").mkdir()
    run = termslint("check", "ai.md", "--output", "sarif:reports/out.sarif", "--output", "reports/report.json",
                    cwd=docs)
    assert run.code == 1
    assert run.out.startswith("ai.md:11:") and "TL101" in run.out  # text on stdout
    as_json = termslint("check", "ai.md", "--format", "json", cwd=docs)
    assert (docs / "reports" / "report.json").read_text(encoding="utf-8") == as_json.out
    sarif = json.loads((docs / "reports" / "out.sarif").read_text(encoding="utf-8"))
    assert [r["ruleId"] for r in sarif["runs"][0]["results"]] == ["TL101"]
    schema = SHARED / "schemas" / "sarif-schema-2.1.0.json"
    if schema.is_file():
        jsonschema.validate(sarif, json.loads(schema.read_text(encoding="utf-8")))


def test_bad_output_targets_fail_before_any_report(termslint: Termslint, docs: Path) -> None:
    run = termslint("check", "ai.md", "--output", "report.weird", cwd=docs)
    assert "report.weird" in one_line_error(run) and run.out == ""
    run = termslint("check", "ai.md", "--output", "no/such/folder/report.json", cwd=docs)
    assert "no/such/folder" in one_line_error(run) and run.out == ""


def test_staged_checks_the_index_against_head(termslint: Termslint, git_repo: Path) -> None:
    commit_file(git_repo, "legal/terms.md", (STEPS / "1-clean.md").read_text(encoding="utf-8"), "terms")
    write(git_repo, {"legal/terms.md": (STEPS / "2-quiet-ai-grant.md").read_text(encoding="utf-8")})
    git(git_repo, "add", "legal/terms.md")
    write(git_repo, {"legal/terms.md": (STEPS / "1-clean.md").read_text(encoding="utf-8")})  # unstaged
    run = termslint("check", "--staged", "--format", "json", "legal/terms.md", cwd=git_repo)
    assert run.code == 1
    assert {("TL101", "10.4"), ("TL301", "10.4")} <= codes(run)
    assert termslint("check", "legal/terms.md", cwd=git_repo).code == 0  # the working tree is clean


# ---------------------------------------------------------------- explain


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def test_explain_rule_shows_why_and_fix_from_metadata(termslint: Termslint) -> None:
    rule = load_policy_set([]).rules["TL101"]
    for target in ("TL101", "tl101", "ai-training-without-opt-out"):
        run = termslint("explain", target)
        assert run.code == 0, run.err
        out = normalised(run.out)
        assert out.startswith("TL101 ai-training-without-opt-out (error)")
        assert normalised(rule.why) in out
        assert normalised(rule.fix) in out
    assert "TL999" in one_line_error(termslint("explain", "TL999"))


def test_explain_clause(termslint: Termslint, docs: Path) -> None:
    run = termslint("explain", "ai.md#10.4", cwd=docs)
    assert run.code == 0, run.err
    assert run.out.startswith("10.4 Model training")
    assert "ai.md, line" in run.out
    assert "customer_content" in run.out and "ai_training" in run.out  # the facts, with evidence
    error = one_line_error(termslint("explain", "ai.md#99.9", cwd=docs))
    assert "99.9" in error and "ai.md" in error


def test_explain_changes_since_a_base(termslint: Termslint, git_repo: Path) -> None:
    before = AI_TRAINING.split("**10.4")[0].rstrip() + "\n"
    commit_file(git_repo, "legal/terms.md", before, "terms")
    commit_file(git_repo, "legal/terms.md", AI_TRAINING, "add model training")
    run = termslint("explain", "--base", "HEAD~1", cwd=git_repo)
    assert run.code == 0, run.err
    assert re.search(r"^10\.4 Model training: added", run.out, re.M), run.out
    assert re.search(r"^  TL101 .* legal/terms\.md#10\.4 ", run.out, re.M), run.out
    unchanged = termslint("explain", "--base", "HEAD", cwd=git_repo)
    assert unchanged.code == 0 and "TL101" not in unchanged.out


# ---------------------------------------------------------------- rules, bundle, test, parse


def builtin_codes() -> set[str]:
    return {f"TL{m.group(1)}" for p in builtin_policy_dir().glob("tl*.rego")
            if (m := re.match(r"tl(\d{3})_", p.name)) and not p.name.endswith("_test.rego")}


def test_rules_in_every_format(termslint: Termslint) -> None:
    as_json = termslint("rules", "--format", "json")
    assert as_json.code == 0
    rules = json.loads(as_json.out)
    assert [r["code"] for r in rules] == sorted(builtin_codes())
    for r in rules:
        assert r["severity"] in ("error", "warning", "info")
        assert r["why"].strip() and r["fix"].strip() and re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", r["name"])
    markdown = termslint("rules", "--format", "markdown")
    assert markdown.code == 0
    assert re.findall(r"^## (TL\d{3})$", markdown.out, re.M) == sorted(builtin_codes())
    text = termslint("rules")
    assert [line.split()[0] for line in text.out.splitlines()] == sorted(builtin_codes())


def test_rules_shows_config_severities(termslint: Termslint, tmp_path: Path) -> None:
    write(tmp_path, {".termslint.yaml": "rules:\n  TL403: off\n  TL201: error\n"})
    lines = {line.split()[0]: line.split()[2] for line in termslint("rules", cwd=tmp_path).out.splitlines()}
    assert lines["TL403"] == "off" and lines["TL201"] == "error"


def test_bundle_writes_an_opa_bundle(termslint: Termslint, tmp_path: Path) -> None:
    run = termslint("bundle", "-o", "policies.tar.gz", cwd=tmp_path)
    assert run.code == 0, run.err
    with tarfile.open(tmp_path / "policies.tar.gz", "r:gz") as tar:
        names = {Path(m.name).name for m in tar.getmembers()}
    assert ".manifest" in names
    for code in builtin_codes():
        assert any(n.startswith(code.lower() + "_") and n.endswith(".rego") for n in names), code


def test_policy_unit_tests(termslint: Termslint, tmp_path: Path) -> None:
    builtin = termslint("test", cwd=tmp_path)
    assert builtin.code == 0, builtin.out
    passed = int(re.search(r"^(\d+) passed, 0 failed$", builtin.out, re.M).group(1))  # type: ignore[union-attr]

    write(tmp_path, {"acme/gadget.rego": USER_POLICY, "acme/gadget_test.rego": USER_POLICY_TEST})
    ok = termslint("test", "acme", cwd=tmp_path)
    assert ok.code == 0, ok.out + ok.err
    assert f"{passed + 2} passed, 0 failed" in ok.out

    write(tmp_path, {"acme/gadget_test.rego": USER_POLICY_TEST.replace("== 0 with", "== 3 with")})
    failing = termslint("test", "acme", cwd=tmp_path)
    assert failing.code == 1
    assert re.search(r"gadget_test\.rego:\d+: FAIL: termslint\.tests\.gadget_mention\.test_device_passes", failing.out)
    assert f"{passed + 1} passed, 1 failed" in failing.out


def test_user_policy_from_config_runs_in_check(termslint: Termslint, docs: Path) -> None:
    write(docs, {"acme/gadget.rego": USER_POLICY, ".termslint.yaml": "policies:\n  - acme\n"})
    run = termslint("check", "definitions.md", "--format", "json", cwd=docs)
    assert ("ACME101", "1.1") in codes(run)


def test_parse_json_is_the_documented_policy_input(termslint: Termslint) -> None:
    run = termslint("parse", str(STEPS / "2-quiet-ai-grant.md"))
    assert run.code == 0, run.err
    data = json.loads(run.out)
    jsonschema.validate(data, POLICY_INPUT_SCHEMA)
    by_id = {c["id"]: c for c in data["clauses"]}
    assert {"1.2", "10.2", "10.4"} <= set(by_id)
    assert "ai_training" in by_id["10.4"]["tags"] and "license" in by_id["10.4"]["tags"]
    assert data["document"]["metadata"]["effective_date"] == "2023-01-15"
    assert "Customer Content" in data["definitions"]
    outline = termslint("parse", str(STEPS / "2-quiet-ai-grant.md"), "--format", "text")
    assert outline.code == 0 and re.search(r"^\s*10\.4\s+Licence to Confera", outline.out, re.M)


# ---------------------------------------------------------------- baseline, waivers, config


def test_baseline_makes_recorded_findings_existing(termslint: Termslint, docs: Path) -> None:
    run = termslint("baseline", "ai.md", "licence.md", "-o", "baseline.json", cwd=docs)
    assert run.code == 0, run.err
    recorded = json.loads((docs / "baseline.json").read_text(encoding="utf-8"))
    assert {(f["code"], f["clause"]) for f in recorded["findings"]} == {("TL101", "10.4"), ("TL201", "4.1")}

    checked = termslint("check", "ai.md", "licence.md", "--baseline", "baseline.json", "--format", "json",
                        "--fail-on", "warning", cwd=docs)
    assert checked.code == 0, checked.out
    assert {f["status"] for f in findings(checked)} == {"existing"}
    assert termslint("check", "ai.md", "--baseline", "baseline.json", "--all", cwd=docs).code == 1
    # A finding the baseline does not know is new and fails.
    write(docs, {"ai.md": AI_TRAINING + "\n**10.5 Sharing.** Acme may sell Customer Content to anyone for any "
                                        "purpose.\n"})
    grown = termslint("check", "ai.md", "--baseline", "baseline.json", "--format", "json", cwd=docs)
    assert grown.code == 1
    status = {(f["code"], f["clause"]): f["status"] for f in findings(grown)}
    assert status[("TL101", "10.4")] == "existing"
    assert "new" in {s for (_, clause), s in status.items() if clause == "10.5"}


WAIVER = '<!-- termslint-disable TL101 reason="approved by legal, ticket LEGAL-142" -->\n'


def with_waiver(text: str, waiver: str) -> str:
    return text.replace("**10.4 ", waiver + "**10.4 ")


def test_waiver_with_reason_waives_and_is_reported(termslint: Termslint, tmp_path: Path) -> None:
    write(tmp_path, {"terms.md": with_waiver(AI_TRAINING, WAIVER)})
    run = termslint("check", "terms.md", "--format", "json", cwd=tmp_path)
    assert run.code == 0, run.out
    (f,) = findings(run)
    assert (f["code"], f["clause"], f["waived"]) == ("TL101", "10.4", True)
    assert f["waiver_reason"] == "approved by legal, ticket LEGAL-142"
    text = termslint("check", "terms.md", cwd=tmp_path)
    assert text.code == 0 and "TL101" in text.out and "approved by legal, ticket LEGAL-142" in text.out


def test_waiver_without_reason_is_flagged(termslint: Termslint, tmp_path: Path) -> None:
    write(tmp_path, {"terms.md": with_waiver(AI_TRAINING, "<!-- termslint-disable TL101 -->\n")})
    run = termslint("check", "terms.md", "--format", "json", cwd=tmp_path)
    assert ("TL405", "10.4") in codes(run)
    assert termslint("check", "terms.md", "--fail-on", "warning", cwd=tmp_path).code == 1


def test_unused_waiver_is_flagged(termslint: Termslint, tmp_path: Path) -> None:
    write(tmp_path, {"terms.md": with_waiver(AI_TRAINING, WAIVER.replace("TL101", "TL201"))})
    run = termslint("check", "terms.md", "--format", "json", cwd=tmp_path)
    assert run.code == 1  # TL101 is not waived by a waiver of TL201
    got = {(f["code"], f["clause"], f["waived"]) for f in findings(run)}
    assert ("TL406", "10.4", False) in got and ("TL101", "10.4", False) in got


def test_config_turns_a_rule_off(termslint: Termslint, docs: Path) -> None:
    write(docs, {".termslint.yaml": "rules:\n  TL101: off\n"})
    run = termslint("check", "ai.md", "--format", "json", cwd=docs)
    assert run.code == 0 and ("TL101", "10.4") not in codes(run)


def test_config_in_pyproject(termslint: Termslint, docs: Path) -> None:
    write(docs, {"pyproject.toml": '[project]\nname = "legal"\n\n[tool.termslint]\nrules = {TL101 = "warning"}\n'})
    run = termslint("check", "ai.md", "--format", "json", cwd=docs)
    assert run.code == 0 and [f["severity"] for f in findings(run)] == ["warning"]


def test_unknown_config_key_suggests_the_right_one(termslint: Termslint, docs: Path) -> None:
    write(docs, {".termslint.yaml": "rulez:\n  TL101: off\n"})
    error = one_line_error(termslint("check", "ai.md", cwd=docs))
    assert "rulez" in error and "did you mean 'rules'" in error


# ---------------------------------------------------------------- bad input: one line, exit 2


def _bad_policy(body: str) -> dict[str, str | bytes]:
    return {"terms.md": CLEAN, ".termslint.yaml": "policies:\n  - acme\n", "acme/gadget.rego": body}


BAD_INPUTS: dict[str, tuple[dict[str, str | bytes], list[str], str]] = {
    # name: (files, arguments, text the error must contain)
    "missing file": ({}, ["check", "missing.md"], "missing.md"),
    "not UTF-8": ({"latin1.md": "# Conditions générales\n\nLe client accepte.\n".encode("latin-1")},
                  ["check", "latin1.md"], "latin1.md"),
    "binary": ({"image.md": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00"}, ["check", "image.md"], "image.md"),
    "empty": ({"empty.md": ""}, ["check", "empty.md"], "empty.md"),
    "parse of a binary": ({"image.md": b"\x00\x01\x02"}, ["parse", "image.md"], "image.md"),
    "Rego syntax error": (_bad_policy(USER_POLICY.replace("warn contains f if {", "warn contains f if {{")),
                          ["check", "terms.md"], "acme/gadget.rego:"),
    "Rego syntax error in test": (_bad_policy(USER_POLICY.replace("warn contains f if {", "warn contains f if {{")),
                                  ["test"], "acme/gadget.rego:"),
    "http.send": (_bad_policy(USER_POLICY.replace(
        '\tcontains(lower(c.text), "gadget")\n',
        '\tcontains(lower(c.text), "gadget")\n\tr := http.send({"method": "GET", "url": "https://example.com"})\n')),
        ["check", "terms.md"], "http.send"),
    "bad YAML config": ({"terms.md": CLEAN, ".termslint.yaml": "rules: [TL101\n"}, ["check", "terms.md"],
                        ".termslint.yaml"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_input_is_one_line_and_exit_2(termslint: Termslint, tmp_path: Path, case: str) -> None:
    files, args, expected = BAD_INPUTS[case]
    write(tmp_path, files)
    error = one_line_error(termslint(*args, cwd=tmp_path))
    assert expected in error


def test_base_revision_that_does_not_exist(termslint: Termslint, git_repo: Path) -> None:
    commit_file(git_repo, "terms.md", CLEAN, "terms")
    error = one_line_error(termslint("check", "--base", "no-such-branch", "terms.md", cwd=git_repo))
    assert "no-such-branch" in error


def test_base_outside_a_git_repository(termslint: Termslint, tmp_path: Path) -> None:
    write(tmp_path, {"terms.md": CLEAN})
    # GIT_CEILING_DIRECTORIES: never find a repository above the temporary folder.
    error = one_line_error(termslint("check", "--base", "HEAD", "terms.md", cwd=tmp_path,
                                     env={"GIT_CEILING_DIRECTORIES": str(tmp_path.parent)}))
    assert "git" in error


# ---------------------------------------------------------------- nothing the user wrote is modified


def snapshot(folder: Path, skip: str) -> dict[str, tuple[bytes, int]]:
    return {p.relative_to(folder).as_posix(): (p.read_bytes(), p.stat().st_mtime_ns)
            for p in sorted(folder.rglob("*")) if p.is_file() and skip not in p.parts
            and (".git" not in p.parts or p.name in ("index", "HEAD", "config"))}


def test_nothing_the_user_wrote_is_modified(termslint: Termslint, git_repo: Path) -> None:
    commit_file(git_repo, "legal/terms.md", with_waiver(AI_TRAINING, "<!-- termslint-disable TL101 -->\n"), "terms")
    write(git_repo, {"legal/licence.md": BROAD_LICENCE, "legal/crlf.md": CLEAN.replace("\n", "\r\n"),
                     "legal/bom.md": "\ufeff" + UNUSED_DEFINITION,
                     ".termslint.yaml": "policies:\n  - acme\nrules:\n  TL403: warning\n",
                     "acme/gadget.rego": USER_POLICY, "acme/gadget_test.rego": USER_POLICY_TEST})
    git(git_repo, "add", "legal/licence.md")
    (git_repo / "reports").mkdir()
    before = snapshot(git_repo, "reports")
    for args in (["check", "legal", "--output", "reports/r.sarif", "--output", "reports/r.json",
                  "--summary", "reports/summary.md"],
                 ["check", "--base", "HEAD", "legal", "--format", "github"],
                 ["check", "--staged", "legal/terms.md", "legal/licence.md"],
                 ["baseline", "legal", "-o", "reports/baseline.json"],
                 ["check", "legal", "--baseline", "reports/baseline.json"],
                 ["explain", "legal/terms.md#10.4"], ["explain", "--base", "HEAD", "legal"],
                 ["parse", "legal/crlf.md"], ["parse", "legal/bom.md", "--format", "text"],
                 ["test"], ["rules"], ["bundle", "-o", "reports/bundle.tar.gz"]):
        run = termslint(*args, cwd=git_repo)
        assert run.code in (0, 1), f"{args}: {run.err}"
    assert snapshot(git_repo, "reports") == before
    assert sorted(p.name for p in (git_repo / "reports").iterdir()) == [
        "baseline.json", "bundle.tar.gz", "r.json", "r.sarif", "summary.md"]


def test_a_prohibition_for_one_service_leaves_the_others_content_open(termslint: Termslint, tmp_path: Path) -> None:
    """'will not use Content from Standard Services to train' does not cover the content of other services."""
    doc = tmp_path / "api-terms.md"
    doc.write_text(
        "# Model API Terms\n\n"
        "## 1. Definitions\n\n\"Content\" means the prompts and files you submit to the Services.\n\n"
        "## 2. Standard Services\n\nAcme will not use Content from Standard Services to train its models.\n\n"
        "## 3. Discounted Services\n\nYou agree that Acme may use your Content to train its models.\n",
        encoding="utf-8")
    out = termslint("check", "--format", "json", str(doc), cwd=tmp_path)
    found = {(f["code"], f["clause"]): f["message"] for f in json.loads(out.out)["findings"]}
    assert ("TL101", "3") in found, out.out
    assert "customer content other than Standard Services" in found[("TL103", "2")]
