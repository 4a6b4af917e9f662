"""Reporters, fed findings built by hand (no parsing, no policies).

Every format is compared byte for byte with a golden file under
tests/fixtures/report/. After an intended change of output, rewrite them with
`TERMSLINT_UPDATE_GOLDEN=1 pytest tests/test_report.py` and review the diff.
"""
from __future__ import annotations

import json
import os
import random
import xml.etree.ElementTree as ET
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from jsonschema.validators import validator_for

from termslint.errors import TermslintError
from termslint.model import Evidence, Finding, RuleDoc, Span
from termslint.report import FORMATS, Summary, render
from termslint.report.github import render_job_summary

GOLDEN = Path(__file__).parent / "fixtures" / "report"
SARIF_SCHEMA = (
    Path(__file__).resolve().parents[1].parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"
)
VERSION = "9.9.9"  # not the package's, so a version bump leaves the goldens alone

TERMS = [
    "# Terms of Service",
    "",
    "## 10. Customer Content",
    "",
    "**10.4 Use of data.** We may use Customer Content and Service Generated Data",
    "for any purpose, including machine learning and the training of models.",
    "",
    "## 11. Licence",
    "",
    "You grant us a perpetual, worldwide, royalty-free licence.",
]

RULES = {
    "TL101": RuleDoc(
        code="TL101",
        name="ai-training-without-opt-out",
        title="AI training without an opt-out",
        description="A clause lets the company train AI models on customer data, "
        "and no clause lets the customer opt out.",
        severity="error",
        why="Customers cannot refuse a use of their content they never saw coming.",
        fix="Add an opt-out, or limit the use to providing the service.",
        example="We will not use Customer Content to train AI models without your consent.",
    ),
    "TL201": RuleDoc(
        code="TL201",
        name="perpetual-content-license",
        title="Perpetual licence over customer content",
        description="A perpetual licence over customer content outlives the contract.",
        severity="warning",
        why="The licence survives termination.",
        fix="Limit the licence to the term of the agreement.\nTie it to the service.",
        example="```markdown\nYou grant us a licence for the term of this Agreement.\n```",
    ),
}


def sample_findings() -> list[Finding]:
    return [
        Finding(
            code="TL101",
            name="ai-training-without-opt-out",
            severity="error",
            message="Clause 10.4 lets us use Customer Content for AI training with no opt-out",
            path="legal/terms.md",
            clause="10.4",
            span=Span(5, 6),
            evidence=[
                Evidence("data:customer_content", "Customer Content", Span(5, 5, 34, 49)),
                Evidence("purpose:ai_training", "machine learning", Span(6, 6, 28, 43)),
            ],
            fingerprint="3f1a9c0d",
            changed=True,
        ),
        Finding(
            code="TL201",
            name="perpetual-content-license",
            severity="warning",
            # Everything the formats must escape: %, :, ",", a pipe, quotes, a newline.
            message='Licence: 100% "perpetual", worldwide | no end\nsecond line',
            path="legal/terms.md",
            clause="11",
            span=Span(8, 10),
            evidence=[Evidence("license:perpetual", "perpetual", Span(10, 10, 16, 24))],
            status="existing",
            fingerprint="77b2e410",
        ),
        Finding(
            code="TL405",
            name="dangling-reference",
            severity="info",
            message="Référence à « Section 9 » introuvable — 参照 <here> & there",
            path="legal/privacy policy.md",
            clause=None,
            span=Span(0, 0),  # a document-wide finding: never line 0 in SARIF or GitHub
            fingerprint="c0ffee01",
        ),
        Finding(
            code="TL101",
            name="ai-training-without-opt-out",
            severity="error",
            message="Clause 2 trains models on chat transcripts",
            path="legal/dpa, v2: draft.md",
            clause="2",
            span=Span(3, 3),
            waived=True,
            waiver_reason="Approved by legal (LEG-12): opt-in only, 100% covered",
            fingerprint="5eed5eed",
        ),
    ]


def test_sample_evidence_columns_match_the_source() -> None:
    for finding in sample_findings():
        for ev in finding.evidence:
            line = TERMS[ev.span.start_line - 1]
            assert ev.span.start_col is not None and ev.span.end_col is not None
            assert line[ev.span.start_col - 1 : ev.span.end_col] == ev.text


def sample_summary(findings: list[Finding]) -> Summary:
    paths = ["legal/terms.md", "legal/privacy policy.md", "legal/dpa, v2: draft.md", "legal/sla.md"]
    return Summary.of(findings, files=4, clauses=57, paths=paths)


CHANGE_ACCOUNT = (
    "- **10.4** now lets the company use Customer Content for *any purpose*, including "
    "machine learning.\n- **11** is unchanged."
)


def render_sample(fmt: str, **kwargs: Any) -> str:
    findings = sample_findings()
    return render(
        fmt,
        findings,
        RULES,
        sample_summary(findings),
        sources={"legal/terms.md": TERMS},
        change_account=CHANGE_ACCOUNT,
        tool_version=VERSION,
        **kwargs,
    )


def assert_golden(name: str, actual: str) -> None:
    path = GOLDEN / name
    if os.environ.get("TERMSLINT_UPDATE_GOLDEN"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(actual.encode("utf-8"))
    assert actual == path.read_bytes().decode("utf-8")


GOLDEN_FILES = {
    "text": "sample.txt",
    "json": "sample.json",
    "sarif": "sample.sarif",
    "github": "sample.github.txt",
    "junit": "sample.junit.xml",
    "markdown": "sample.md",
}


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_matches_its_golden_file(fmt: str) -> None:
    assert_golden(GOLDEN_FILES[fmt], render_sample(fmt))


def test_job_summary_matches_its_golden_file() -> None:
    findings = sample_findings()
    actual = render_job_summary(findings, RULES, sample_summary(findings), CHANGE_ACCOUNT)
    assert_golden("sample.summary.md", actual)


def test_color_text_matches_its_golden_file() -> None:
    assert_golden("sample.color.txt", render_sample("text", color=True))


def test_text_reads_like_ruff() -> None:
    # Spelled out here too, so the layout is reviewable without the goldens.
    out = render_sample("text")
    assert (
        "legal/terms.md:5:34: TL101 [error] Clause 10.4 lets us use Customer Content "
        "for AI training with no opt-out\n"
        "  |\n"
        "5 | **10.4 Use of data.** We may use Customer Content and Service Generated Data\n"
        "  |                                  ^^^^^^^^^^^^^^^^\n"
        "6 | for any purpose, including machine learning and the training of models.\n"
        "  |                            ^^^^^^^^^^^^^^^^\n"
        "  |\n"
        "  = help: Add an opt-out, or limit the use to providing the service.\n"
    ) in out
    assert out.endswith(
        "\n\nFound 3 problems (1 error, 1 warning, 1 info) in 2 files;"
        " 2 new, 1 existing; 1 waived.\n"
    )


# ---------------------------------------------------------------- schemas


def _validate(schema: dict[str, Any], instance: Any) -> None:
    cls = validator_for(schema)  # the draft the schema itself declares
    cls.check_schema(schema)
    errors = sorted(cls(schema).iter_errors(instance), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


def test_json_is_valid_against_the_published_schema() -> None:
    schema_text = resources.files("termslint").joinpath("schemas/findings.schema.json").read_text()
    schema = json.loads(schema_text)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    doc = json.loads(render_sample("json"))
    _validate(schema, doc)
    assert list(doc) == ["termslint_version", "schema_version", "findings", "summary"]
    assert doc["summary"] == {
        "files": 4, "clauses": 57, "errors": 1, "warnings": 1, "infos": 1,
        "waived": 1, "new": 2, "existing": 1,
    }  # fmt: skip
    empty = json.loads(render("json", [], {}, Summary(files=0, clauses=0), tool_version=VERSION))
    _validate(schema, empty)


def test_json_findings_are_exactly_the_model_dicts() -> None:
    doc = json.loads(render_sample("json"))
    by_order = sorted(sample_findings(), key=lambda f: (f.path, f.span.start_line, f.code))
    assert doc["findings"] == [f.as_dict() for f in by_order]


def test_json_and_sarif_are_ascii_and_end_with_a_newline() -> None:
    for fmt in ("json", "sarif"):
        out = render_sample(fmt)
        assert out.isascii() and out.endswith("}\n") and not out.endswith("\n\n")
    assert '"R\\u00e9f\\u00e9rence' in render_sample("json")


@pytest.fixture(scope="module")
def sarif_schema() -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF 2.1.0 schema is not at {SARIF_SCHEMA}")
    schema: dict[str, Any] = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    return schema


def test_sarif_is_valid_against_the_official_schema(sarif_schema: dict[str, Any]) -> None:
    _validate(sarif_schema, json.loads(render_sample("sarif")))
    # A run with no findings and no rules is valid too.
    empty = render("sarif", [], {}, Summary(files=1, clauses=3), tool_version=VERSION)
    _validate(sarif_schema, json.loads(empty))


def test_sarif_rules_results_and_regions() -> None:
    run = json.loads(render_sample("sarif"))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    # Every rule doc, plus a bare entry for TL405 which has none, by code.
    assert [r["id"] for r in rules] == ["TL101", "TL201", "TL405"]
    assert rules[0]["defaultConfiguration"] == {"level": "error"}
    assert rules[0]["properties"]["tags"] == ["legal-terms", "data-use-and-ai"]
    # The example holds a ``` fence, so the help wraps it in a longer one.
    assert "````markdown\n```markdown\n" in rules[1]["help"]["markdown"]
    results = run["results"]
    for result in results:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        region = result["locations"][0]["physicalLocation"]["region"]
        assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"]
    waived, document_wide, tl101, tl201 = results
    assert waived["suppressions"] == [
        {"kind": "inSource", "justification": "Approved by legal (LEG-12): opt-in only, 100% covered"}
    ]
    assert waived["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "legal/dpa,%20v2%3A%20draft.md",
        "uriBaseId": "%SRCROOT%",
    }
    assert document_wide["level"] == "note"
    assert document_wide["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 1, "endLine": 1,
    }  # fmt: skip
    assert "suppressions" not in tl101
    assert tl101["partialFingerprints"] == {"termslintFingerprint/v1": "3f1a9c0d"}
    assert tl101["properties"] == {
        "name": "ai-training-without-opt-out", "clause": "10.4", "status": "new", "changed": True,
    }  # fmt: skip
    # SARIF's endColumn is exclusive; the model's end_col is inclusive.
    evidence_region = tl101["relatedLocations"][0]["physicalLocation"]["region"]
    assert evidence_region == {"startLine": 5, "endLine": 5, "startColumn": 34, "endColumn": 50}
    assert tl201["properties"]["status"] == "existing"


def test_sarif_paths_become_relative_or_file_uris() -> None:
    from termslint.report.sarif import _artifact_location

    assert _artifact_location("./legal/terms.md") == {
        "uri": "legal/terms.md", "uriBaseId": "%SRCROOT%",
    }  # fmt: skip
    assert _artifact_location("legal\\terms.md")["uri"] == "legal/terms.md"
    assert _artifact_location("legal/café.md")["uri"] == "legal/caf%C3%A9.md"
    assert _artifact_location("/srv/legal/terms.md") == {"uri": "file:///srv/legal/terms.md"}


# ---------------------------------------------------------------- JUnit and Markdown


def test_junit_is_well_formed_and_escaped() -> None:
    out = render_sample("junit")
    root = ET.fromstring(out.encode("utf-8"))
    assert (root.get("tests"), root.get("failures"), root.get("skipped")) == ("5", "2", "1")
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    assert list(suites) == [
        "legal/dpa, v2: draft.md", "legal/privacy policy.md", "legal/sla.md", "legal/terms.md",
    ]  # fmt: skip
    # A clean file still gets one passing testcase.
    clean = suites["legal/sla.md"].findall("testcase")
    assert len(clean) == 1 and list(clean[0]) == []
    failure = suites["legal/terms.md"].findall("testcase")[1].find("failure")
    assert failure is not None
    # The newline in the attribute survives as &#10;; the quotes as &quot;.
    assert failure.get("message") == 'Licence: 100% "perpetual", worldwide | no end\nsecond line'
    assert '&quot;perpetual&quot;' in out and "&#10;second line" in out
    assert "introuvable — 参照 &lt;here&gt; &amp; there" in out


def test_junit_replaces_characters_xml_cannot_hold() -> None:
    finding = Finding(
        code="TL999", name="bell", severity="error", message="ring \x07 the \x1b[31m bell",
        path="t.md", clause="1", span=Span(1, 1),
    )  # fmt: skip
    out = render("junit", [finding], {}, Summary.of([finding], files=1, clauses=1),
                 tool_version=VERSION)  # fmt: skip
    root = ET.fromstring(out.encode("utf-8"))  # would raise on a raw \x07
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None and failure.get("message") == "ring \ufffd the \ufffd[31m bell"


def test_junit_without_any_file_still_has_a_testcase() -> None:
    out = render("junit", [], {}, Summary(files=0, clauses=0), tool_version=VERSION)
    assert out == (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<testsuites name="termslint" tests="1" failures="0" errors="0" skipped="0">\n'
        '  <testsuite name="termslint" tests="1" failures="0" errors="0" skipped="0">\n'
        '    <testcase name="no findings" classname="termslint" file="termslint"/>\n'
        "  </testsuite>\n"
        "</testsuites>\n"
    )


def test_markdown_table_cells_escape_pipes_newlines_and_html() -> None:
    out = render_sample("markdown")
    assert (
        "| TL201 | warning | 11 | legal/terms.md:8 | "
        'Licence: 100% "perpetual", worldwide \\| no end<br>second line | existing |'
    ) in out
    assert "introuvable — 参照 &lt;here&gt; &amp; there | new |" in out
    # Every table row has exactly the header's seven unescaped pipes.
    rows = [line for line in out.splitlines() if line.startswith("| ")]
    assert len(rows) == 5
    assert all(line.replace("\\|", "").count("|") == 7 for line in rows)


def test_markdown_verdicts() -> None:
    from termslint.report.markdown import verdict

    findings = sample_findings()
    assert verdict(findings, sample_summary(findings)) == (
        "❌ termslint: failed (1 error, 1 warning, 1 info)"
    )
    # Only an existing warning: it passes, with the count.
    existing = [f for f in findings if f.code == "TL201"]
    assert verdict(existing, Summary.of(existing, files=1, clauses=2)) == (
        "⚠️ termslint: passed with 1 warning"
    )
    # The CLI's decision (--fail-on warning) wins over the default.
    decided = Summary.of(existing, files=1, clauses=2, failed=True)
    assert verdict(existing, decided) == "❌ termslint: failed (1 warning)"
    assert verdict([], Summary(files=1, clauses=2)) == "✅ termslint: all checks passed"


def test_markdown_comment_is_capped() -> None:
    findings = [
        Finding(
            code="TL101", name="ai-training-without-opt-out", severity="error",
            message="x" * 200, path="legal/terms.md", clause=str(i), span=Span(i, i),
        )  # fmt: skip
        for i in range(1, 2001)
    ]
    out = render("markdown", findings, RULES, Summary.of(findings, files=1, clauses=2000),
                 change_account=CHANGE_ACCOUNT, tool_version=VERSION)  # fmt: skip
    assert len(out) <= 65_000
    assert "more findings not shown" in out
    assert "### What changed" in out


# ---------------------------------------------------------------- order and stability


def _shuffled(seed: int) -> list[Finding]:
    findings = sample_findings()
    random.Random(seed).shuffle(findings)
    return findings


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_is_deterministic_and_independent_of_input_order(fmt: str) -> None:
    outputs = set()
    for seed in range(5):
        findings = _shuffled(seed)
        out = render(fmt, findings, RULES, sample_summary(findings),
                     sources={"legal/terms.md": TERMS}, change_account=CHANGE_ACCOUNT,
                     tool_version=VERSION)  # fmt: skip
        outputs.add(out.encode("utf-8"))
    assert len(outputs) == 1


def test_order_is_path_then_line_then_code() -> None:
    def at(path: str, line: int, code: str) -> Finding:
        return Finding(code=code, name="n", severity="warning", message=f"{path} {line} {code}",
                       path=path, clause="1", span=Span(line, line))  # fmt: skip

    findings = [at("b.md", 1, "TL101"), at("a.md", 9, "TL101"), at("a.md", 10, "TL101"),
                at("a.md", 9, "TL002"), at("b.md", 1, "TL100")]  # fmt: skip
    expected = ["a.md 9 TL002", "a.md 9 TL101", "a.md 10 TL101", "b.md 1 TL100", "b.md 1 TL101"]
    summary = Summary.of(findings, files=2, clauses=2)
    for fmt in FORMATS:
        out = render(fmt, findings, {}, summary, tool_version=VERSION)
        positions = [out.index(message) for message in expected]
        assert positions == sorted(positions), fmt


# ---------------------------------------------------------------- dispatch


def test_unknown_format_lists_the_valid_ones() -> None:
    with pytest.raises(TermslintError) as info:
        render("xml", [], {}, Summary(files=0, clauses=0), tool_version=VERSION)
    assert str(info.value) == (
        "unknown report format 'xml'; use one of: text, json, sarif, github, junit, markdown"
    )


def test_summary_counts_leave_waived_findings_out() -> None:
    summary = sample_summary(sample_findings())
    assert (summary.errors, summary.warnings, summary.infos) == (1, 1, 1)
    assert (summary.waived, summary.new, summary.existing) == (1, 2, 1)
    assert summary.paths == (
        "legal/dpa, v2: draft.md", "legal/privacy policy.md", "legal/sla.md", "legal/terms.md",
    )  # fmt: skip


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_escape_byte_unless_colour_is_asked_for(fmt: str) -> None:
    assert "\x1b" not in render_sample(fmt)
