"""The built-in rules: their Rego unit tests, and policy inputs evaluated end to end.

Each file in tests/fixtures/rules/ is one case: a description, a policy input
as `termslint parse --format json` would print it, and the findings expected
(code, clause, severity, first line, and optionally words of the message).
"""
from __future__ import annotations

import copy
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from termslint.engine import RuleResult
from termslint.engine.embedded import EmbeddedEngine
from termslint.errors import ConfigError, PolicyError
from termslint.evaluate import (
    build_input,
    documents_data,
    findings_for_document,
    normalise_text,
    results_to_findings,
)
from termslint.model import Changes, Clause, Document, DocumentOutline, Finding, RuleDoc, Span
from termslint.policies import PolicySet, builtin_policy_dir, find_test_rules, load_policy_set
from termslint.testing import run_policy_tests

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
CASES = sorted(FIXTURES.glob("*.json"))


@pytest.fixture(scope="module")
def policies() -> PolicySet:
    return load_policy_set()


@pytest.fixture(scope="module")
def engine(policies: PolicySet) -> Iterator[EmbeddedEngine]:
    eng = EmbeddedEngine()
    eng.load(policies)
    yield eng
    eng.close()


def load_case(path: Path) -> dict[str, Any]:
    case: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return case


# --- the Rego unit tests ----------------------------------------------------------


def test_every_builtin_unit_test_passes() -> None:
    summary = run_policy_tests(load_policy_set(with_tests=True))
    failures = [f"{r.package}.{r.name}: {r.error or 'not true'}" for r in summary.results if not r.passed]
    assert failures == []
    assert summary.ok and summary.passed == len(summary.results) > 50


def test_every_rule_has_two_flagged_and_two_clean_cases() -> None:
    policies = load_policy_set(with_tests=True)
    tests = {Path(path).name: source for path, source in policies.tests}
    for code, doc in policies.rules.items():
        name = Path(doc.source).name.replace(".rego", "_test.rego")
        assert name in tests, f"{code} has no {name}"
        rules = [rule for rule, _ in find_test_rules(tests[name])]
        clean = [r for r in rules if r.endswith(("_passes", "_pass"))]
        flagged = [r for r in rules if "flagged" in r]
        if code == "TL406":  # documentation only: nothing can be flagged in Rego
            assert len(rules) >= 2
            continue
        assert len(clean) >= 2, f"{code}: {rules}"
        assert len(flagged) >= 2, f"{code}: {rules}"


def test_test_results_are_data_with_prints_and_errors(tmp_path: Path) -> None:
    (tmp_path / "acme.rego").write_text(
        "package termslint.rules.acme\n\nimport rego.v1\n\n"
        'deny contains {"code": "ACME1", "msg": "x", "clause": c.id} if {\n\tsome c in input.clauses\n\tc.text == "bad"\n}\n',
        encoding="utf-8",
    )
    (tmp_path / "acme_test.rego").write_text(
        "package termslint.tests.acme\n\nimport rego.v1\n\nimport data.termslint.rules.acme\n\n"
        'test_flags_bad if {\n\tprint("checking bad")\n\tcount(acme.deny) == 1 with input as {"clauses": [{"id": "1", "text": "bad"}]}\n}\n\n'
        'test_wrong_expectation if {\n\tcount(acme.deny) == 2 with input as {"clauses": [{"id": "1", "text": "bad"}]}\n}\n\n'
        "test_blows_up if {\n\tx := 1 / count([])\n\tx > 0\n}\n",
        encoding="utf-8",
    )
    policies = load_policy_set([tmp_path], builtin=False, with_tests=True)
    summary = run_policy_tests(policies)
    by_name = {r.name: r for r in summary.results}
    assert list(by_name) == ["test_flags_bad", "test_wrong_expectation", "test_blows_up"]
    assert by_name["test_flags_bad"].passed
    assert by_name["test_flags_bad"].prints == [f"{Path(policies.tests[0].path).as_posix()}:8: checking bad"]
    assert not by_name["test_wrong_expectation"].passed and by_name["test_wrong_expectation"].error is None
    assert not by_name["test_blows_up"].passed and "acme_test.rego:17:" in (by_name["test_blows_up"].error or "")
    assert (summary.passed, summary.failed, summary.ok) == (1, 2, False)
    data = summary.as_dict()
    assert data["summary"] == {"total": 3, "passed": 1, "failed": 2}
    assert data["tests"][0] == {
        "name": "test_flags_bad",
        "package": "termslint.tests.acme",
        "path": policies.tests[0].path,
        "line": 7,
        "passed": True,
        "error": None,
        "prints": by_name["test_flags_bad"].prints,
    }
    only = run_policy_tests(policies, match=r"wrong")
    assert [r.name for r in only.results] == ["test_wrong_expectation"]


def test_a_broken_policy_fails_the_test_run_with_its_location(tmp_path: Path) -> None:
    (tmp_path / "broken.rego").write_text("package termslint.rules.broken\n\nimport rego.v1\n\ndeny contains x if {\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"broken\.rego:\d+:\d+: "):
        run_policy_tests(load_policy_set([tmp_path], builtin=False, with_tests=True))


# --- policy inputs end to end ---------------------------------------------------------


@pytest.mark.parametrize("path", CASES, ids=[p.stem for p in CASES])
def test_fixture_gives_expected_findings(path: Path, engine: EmbeddedEngine, policies: PolicySet) -> None:
    case = load_case(path)
    doc = case["input"]
    findings = results_to_findings(engine.evaluate(doc), doc, policies.rules)
    got = sorted((f.code, f.clause, f.severity, f.span.start_line) for f in findings)
    expected = sorted((e["code"], e["clause"], e["severity"], e["start_line"]) for e in case["expected"])
    assert got == expected, case["description"]
    for want in case["expected"]:
        if "message_contains" in want:
            [finding] = [f for f in findings if (f.code, f.clause) == (want["code"], want["clause"])]
            assert want["message_contains"] in finding.message
    assert findings == sorted(findings, key=lambda f: f.sort_key())
    for finding in findings:
        assert finding.name == policies.rules[finding.code].name
        assert finding.path == doc["document"]["path"]
        assert len(finding.fingerprint) == 16


def test_zoom_style_licence_is_named_in_the_messages(engine: EmbeddedEngine, policies: PolicySet) -> None:
    doc = load_case(FIXTURES / "zoom_licence.json")["input"]
    messages = {f.code: f.message for f in results_to_findings(engine.evaluate(doc), doc, policies.rules)}
    assert "customer content" in messages["TL101"] and "10.4" in messages["TL101"]
    assert "perpetual" in messages["TL201"] and "transferable" in messages["TL201"]


def test_fingerprints_survive_renumbering(engine: EmbeddedEngine, policies: PolicySet) -> None:
    doc = load_case(FIXTURES / "zoom_licence.json")["input"]
    before = {f.code: f for f in results_to_findings(engine.evaluate(doc), doc, policies.rules)}
    moved = copy.deepcopy(doc)
    for clause in moved["clauses"]:
        if clause["id"] == "10.4":
            clause["id"] = clause["number"] = "11.4"
            clause["path"] = ["11", "11.4"]
            clause["parent"] = "11"
            shift(clause, 12)
    after = {f.code: f for f in results_to_findings(engine.evaluate(moved), moved, policies.rules)}
    assert after["TL101"].clause == "11.4" and after["TL101"].span.start_line == 81
    for code in ("TL101", "TL201", "TL202"):
        assert after[code].fingerprint == before[code].fingerprint


def shift(node: Any, lines: int) -> None:
    """Move every span in a clause down by `lines`."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("start_line", "end_line") and isinstance(value, int):
                node[key] = value + lines
            else:
                shift(value, lines)
    elif isinstance(node, list):
        for item in node:
            shift(item, lines)


def test_normalised_text_drops_numbers_case_and_spacing() -> None:
    assert normalise_text("10.4  You GRANT us\n a licence") == "you grant us a licence"
    assert normalise_text("5(b) We may") == "we may"
    assert normalise_text("(iv) We may") == "we may"
    assert normalise_text("Section 3. Fees") == "fees"
    assert normalise_text("AI models") == "ai models"


# --- results_to_findings for user rules ---------------------------------------------

USER_INPUT: dict[str, Any] = {
    "schema_version": 1,
    "document": {"path": "legal/dpa.md", "title": "DPA", "metadata": {}, "line_count": 40, "suppressions": []},
    "clauses": [
        {"id": "2", "text": "2. Processing", "span": {"start_line": 5, "end_line": 8}},
        {"id": "3", "text": "Subprocessors", "span": {"start_line": 10, "end_line": 12}},
    ],
    "definitions": {},
}


def user_doc(code: str, severity: str, package: str = "termslint.rules.acme") -> RuleDoc:
    return RuleDoc(code, "acme-rule", "t", "d", severity, "w", "f", "e", "acme.rego", package)


def test_severity_comes_from_kind_without_metadata() -> None:
    results = [
        RuleResult("termslint.rules.mine", "deny", {"code": "X1", "msg": "a", "clause": "2"}),
        RuleResult("termslint.rules.mine", "warn", {"code": "X2", "msg": "b", "clause": "2"}),
        RuleResult("termslint.rules.mine", "info", {"code": "X3", "msg": "c", "clause": "3"}),
    ]
    findings = results_to_findings(results, USER_INPUT, {})
    assert [(f.code, f.severity, f.name) for f in findings] == [
        ("X1", "error", "mine"),
        ("X2", "warning", "mine"),
        ("X3", "info", "mine"),
    ]


def test_severity_precedence_override_then_result_then_metadata() -> None:
    rules = {"ACME1": user_doc("ACME1", "warning")}
    plain = RuleResult("termslint.rules.acme", "deny", {"code": "ACME1", "msg": "m", "clause": "2"})
    escalated = RuleResult("termslint.rules.acme", "deny", {"code": "ACME1", "msg": "n", "clause": "3", "severity": "error"})
    findings = results_to_findings([plain, escalated], USER_INPUT, rules)
    assert [f.severity for f in findings] == ["warning", "error"]
    by_code = results_to_findings([plain, escalated], USER_INPUT, rules, severity_overrides={"ACME1": "info"})
    assert {f.severity for f in by_code} == {"info"}
    by_name = results_to_findings([plain], USER_INPUT, rules, severity_overrides={"acme-rule": "error"})
    assert by_name[0].severity == "error"
    with pytest.raises(ConfigError, match="severity 'fatal'"):
        results_to_findings([plain], USER_INPUT, rules, severity_overrides={"ACME1": "fatal"})
    assert results_to_findings([plain, escalated], USER_INPUT, rules, severity_overrides={"ACME1": "off"}) == []


def test_bare_string_results_take_the_packages_code() -> None:
    rules = {"ACME1": user_doc("ACME1", "warning")}
    [finding] = results_to_findings([RuleResult("termslint.rules.acme", "deny", "conftest style")], USER_INPUT, rules)
    assert (finding.code, finding.message, finding.clause, finding.span) == ("ACME1", "conftest style", None, Span(1, 1))


def test_span_is_the_clause_narrowed_to_the_first_evidence() -> None:
    evidence = [
        {"concept": "purpose:ai_training", "text": "train", "span": {"start_line": 7, "end_line": 7, "start_col": 3, "end_col": 7}},
        {"concept": "data:customer_content", "text": "content", "span": {"start_line": 6, "end_line": 6}},
        "not evidence",
    ]
    results = [
        RuleResult("termslint.rules.x", "deny", {"code": "X1", "msg": "m", "clause": "2"}),
        RuleResult("termslint.rules.x", "deny", {"code": "X2", "msg": "m", "clause": "2", "evidence": evidence}),
        RuleResult("termslint.rules.x", "deny", {"code": "X3", "msg": "m", "clause": "nope"}),
    ]
    spans = {f.code: f.span for f in results_to_findings(results, USER_INPUT, {})}
    assert spans == {"X1": Span(5, 8), "X2": Span(7, 7), "X3": Span(1, 1)}
    [x2] = [f for f in results_to_findings(results, USER_INPUT, {}) if f.code == "X2"]
    assert [e.text for e in x2.evidence] == ["train", "content"]


def test_findings_are_sorted_by_path_line_code_and_deduplicated() -> None:
    same = {"code": "B1", "msg": "m", "clause": "2"}
    results = [
        RuleResult("termslint.rules.b", "deny", {"code": "B1", "msg": "m", "clause": "3"}),
        RuleResult("termslint.rules.b", "deny", same),
        RuleResult("termslint.rules.b", "warn", same),
        RuleResult("termslint.rules.a", "deny", {"code": "A1", "msg": "m", "clause": "2"}),
    ]
    findings = results_to_findings(results, USER_INPUT, {})
    assert [(f.span.start_line, f.code) for f in findings] == [(5, "A1"), (5, "B1"), (10, "B1")]


def test_changed_flag_follows_the_changes() -> None:
    doc = dict(USER_INPUT, changes={"clauses": [{"status": "modified", "head_id": "3"}, {"status": "unchanged", "head_id": "2"}]})
    results = [
        RuleResult("termslint.rules.x", "deny", {"code": "X1", "msg": "m", "clause": "2"}),
        RuleResult("termslint.rules.x", "deny", {"code": "X1", "msg": "m", "clause": "3"}),
    ]
    assert [f.changed for f in results_to_findings(results, doc, {})] == [False, True]


def test_build_input_and_documents_data_from_the_model() -> None:
    clause = Clause(id="1", number="1", title="Scope", level=1, parent=None, path=["1"], text="Scope.", span=Span(3, 3))
    doc = Document(path="terms.md", title="Terms", metadata={"version": "2"}, clauses=[clause], definitions={}, line_count=5)
    changes = Changes(base_rev="HEAD", base_metadata={"version": "1"}, head_metadata={"version": "2"}, clauses=[])
    data = build_input(doc, changes)
    assert data["schema_version"] == 1
    assert data["clauses"][0]["id"] == "1"
    assert data["changes"]["base"] == {"rev": "HEAD", "metadata": {"version": "1"}}
    assert "changes" not in build_input(doc)
    assert documents_data([DocumentOutline.of(doc)]) == {"terms.md": {"title": "Terms", "metadata": {"version": "2"}, "clauses": ["1"]}}


def test_findings_for_a_document_match_those_for_its_input(engine: EmbeddedEngine, policies: PolicySet) -> None:
    doc = Document(
        path="legal/terms.md",
        title="Terms",
        metadata={},
        clauses=[
            Clause(id="1.1", number="1.1", title=None, level=2, parent="1", path=["1", "1.1"], text="x", span=Span(4, 4),
                   defines=["Beta"]),
            Clause(id="1.1~2", number="1.1", title=None, level=2, parent="1", path=["1", "1.1~2"], text="y", span=Span(6, 7)),
        ],
        definitions={},
        line_count=9,
    )
    data = build_input(doc)
    results = engine.evaluate(data)
    assert {r.value["code"] for r in results} == {"TL403", "TL404"}
    assert findings_for_document(results, doc, policies.rules) == results_to_findings(results, data, policies.rules)


def test_a_restated_definition_is_not_a_duplicate(engine: EmbeddedEngine, policies: PolicySet) -> None:
    from termslint.parse import parse_document

    doc = parse_document(
        "# Cookies\n\n1. Acme uses Maps, a service from Mapco LLC, 1 Main Street, Springfield, USA (\"Mapco\").\n"
        "2. Acme uses the fonts of Mapco LLC, 1 Main Street, Springfield, USA (\"Mapco\").\n"
        "3. Acme uses the chat of Chatco Inc., 2 Side Street, Springfield, USA (\"Chatco\").\n"
        "4. Acme uses the chat of Talk Holdings Inc., 2 Side Street, Springfield, USA (\"Chatco\").\n",
        "cookies.md",
    )
    findings = findings_for_document(engine.evaluate(build_input(doc)), doc, policies.rules)
    assert [(f.code, f.clause) for f in findings if f.code == "TL402"] == [("TL402", "4")]


def findings_of(markdown: str, engine: EmbeddedEngine, policies: PolicySet) -> list[Finding]:
    """A document's findings from its text: parsed and annotated as `termslint check` does."""
    from termslint.api import load_document
    from termslint.config import Config

    doc = load_document(markdown, "terms.md", Config())
    return findings_for_document(engine.evaluate(build_input(doc)), doc, policies.rules)


def codes_of(markdown: str, engine: EmbeddedEngine, policies: PolicySet) -> list[str]:
    """The codes of a document's findings, in report order."""
    return [f.code for f in findings_of(markdown, engine, policies)]


def codes_in(template: str, engine: EmbeddedEngine, policies: PolicySet) -> Callable[[str], list[str]]:
    """`codes_of` for the documents `template` makes with its one "{}" filled in."""
    return lambda part: codes_of(template.format(part), engine, policies)


def test_training_on_other_data_named_in_the_same_sentence_is_not_training_on_content(
        engine: EmbeddedEngine, policies: PolicySet) -> None:
    def tl1(uses: str) -> list[tuple[str, str | None, str]]:
        findings = findings_of(
            f"# Terms\n\n## 1. Data\n\n{uses}\n\n## 2. Choices\n\n"
            "You can opt out of the use of your Usage Data for AI training in Settings.\n",
            engine, policies,
        )
        return [(f.code, f.clause, f.message) for f in findings if f.code.startswith("TL1")]

    assert tl1("We use Customer Content to provide the Services, and Usage Data to train our AI models.") == []
    # Both kinds of data for training: the opt-out leaves the content out.
    [(code, clause, message)] = tl1("We use Customer Content and Usage Data to train our AI models.")
    assert (code, clause) == ("TL103", "2")
    assert "customer content can still be used for AI training under clause 1" in message


def test_such_data_after_de_identification_is_de_identified(engine: EmbeddedEngine, policies: PolicySet) -> None:
    codes = codes_in(
        "# Privacy\n\n## 1. Use\n\nWe may use your contact details to send you newsletters. "
        "{} We may use such information for any purpose.\n",
        engine, policies,
    )

    assert "TL102" not in codes("We may aggregate or de-identify the information we collect about you.")
    # "such information" after a sentence that de-identifies nothing is still the personal data before it.
    assert "TL102" in codes("We store the information we collect about you in Ireland.")


def test_a_promise_over_something_of_yours_covers_only_that(engine: EmbeddedEngine, policies: PolicySet) -> None:
    """"Your playlists" is customer content in a sentence about AI training, but only a part of it."""
    def codes(promise: str) -> list[str]:
        return sorted(codes_of(
            "# Terms\n\n## 1. Content\n\nWe may use your Content to train our AI models.\n\n"
            f"## 2. Promise\n\n{promise}\n",
            engine, policies,
        ))

    # A promise over one kind of content leaves the rest trainable: the gap is named.
    assert codes("We will never use your playlists to train AI.") == ["TL101", "TL103"]
    # A promise over all of it covers the grant.
    assert codes("We will never use your Content to train AI.") == []


def test_a_promise_or_consent_for_only_some_users_leaves_the_others_open(
        engine: EmbeddedEngine, policies: PolicySet) -> None:
    """"If you are on a Team plan, we will not ..." lets the other users' content be used."""
    def codes(second: str) -> list[str]:
        return sorted(codes_of(
            "# Terms\n\n## 3. Content\n\n3.1 We may use your Content to train our AI models.\n\n"
            f"3.2 {second}\n",
            engine, policies,
        ))

    promise = "we will not use your Content to train our models."
    consent = "we will ask for your consent before we use your Content to train our models."
    # The grant stays open for the others (TL101); the promise is partial (TL103).
    assert codes(f"If you are on a Business or Enterprise plan, {promise}") == ["TL101", "TL103"]
    # Consent asked of some users only: both uses go on for the others.
    assert codes(f"If you live in the EEA, {consent}") == ["TL101", "TL101"]
    # The same promise or consent for everyone covers the grant.
    assert codes(promise.capitalize()) == []
    assert codes(consent.capitalize()) == []


def test_such_feedback_is_not_the_content_named_before(engine: EmbeddedEngine, policies: PolicySet) -> None:
    codes = codes_in(
        "# Terms\n\n## 7. Content and feedback\n\nWe may use your photos to improve the Service. "
        "If you send us feedback, you agree that Acme may use {} for any purpose.\n",
        engine, policies,
    )

    assert codes("such feedback") == []
    assert codes("such content") == ["TL102"]


def test_an_opt_out_may_name_the_use_by_its_broad_purpose(engine: EmbeddedEngine, policies: PolicySet) -> None:
    codes = codes_in(
        "# Terms\n\n## 4. Content analysis\n\nOur systems may analyse your Content using techniques such as "
        "machine learning in order to improve our Services. {}\n",
        engine, policies,
    )

    assert codes("You may opt out of content analysis in your privacy settings.") == []
    # opting out of marketing is no choice over training
    assert codes("You may opt out of marketing emails in your privacy settings.") == ["TL101"]


def test_an_opt_out_in_another_clause_may_name_the_purpose_training_is_part_of(
        engine: EmbeddedEngine, policies: PolicySet) -> None:
    """"Opt out of the analysis of your content" (4.3) reaches "analyze your Content using machine learning" (4.2)."""
    codes = codes_in(
        "# Terms\n\n## 4. Your content\n\n4.2 Our systems may analyze your Content using techniques such as "
        "machine learning in order to improve our Services.\n\n4.3 {}\n",
        engine, policies,
    )

    assert codes("You may opt out of content analysis at any time in your privacy settings.") == []
    assert codes("You can opt out of the analysis of your content in Settings.") == []
    # an opt-out of analytics cookies, or of analytics naming no data, is no choice over the content
    assert codes("You can opt out of analytics cookies through the cookie banner.") == ["TL101"]
    assert codes("You can opt out of analytics in Settings.") == ["TL101"]
    # nor is an opt-out of another purpose
    assert codes("You can opt out of marketing emails in Settings.") == ["TL101"]


def test_an_opt_out_only_some_plans_have_in_the_same_clause_is_no_choice_for_everyone(
        engine: EmbeddedEngine, policies: PolicySet) -> None:
    doc = ("# Terms\n\n## 9. AI\n\n9.2 We may use Customer Content to train the AI models behind our "
           "features. {} can turn content training off in the admin settings.\n")

    findings = findings_of(doc.format("Admins on Organization and Enterprise plans"), engine, policies)
    assert [f.code for f in findings] == ["TL101"]
    assert "only some users can opt out" in findings[0].message
    assert findings_of(doc.format("Admins"), engine, policies) == []


def test_a_ban_on_others_training_on_the_site_is_no_promise_of_the_company(
        engine: EmbeddedEngine, policies: PolicySet) -> None:
    """An anti-scraping clause ("Acme prohibits any use ... for machine learning") forbids
    others; the company's own training of usage data (clause 1) is still flagged."""
    codes = codes_in(
        "# Terms\n\n## 1. Data\n\nWe may use Usage Data to train our machine learning models.\n\n"
        "## 2. Scraping\n\n{}\n",
        engine, policies,
    )

    for ban in ["Acme prohibits any use of its content or metadata for machine learning purposes.",
                "We expressly prohibit any use of our content or metadata to train AI models.",
                "We reserve the right to prohibit the use of our content or metadata for AI training.",
                "No one may use the Content or any metadata to develop or train artificial intelligence systems.",
                "Neither you nor any third party may use the Content or metadata to train machine learning models.",
                "Crawling, scraping or otherwise using the Content or metadata to train AI models is forbidden.",
                "Text and data mining of the Content or metadata, including for training AI models, is expressly "
                "reserved.",
                "The Site's content and metadata may not be used to train AI models without our written permission.",
                "Metadata may not be used to train AI models unless expressly authorised by us.",
                "We do not allow the use of our content or metadata to train artificial intelligence."]:
        assert codes(ban) == ["TL101"], ban
    # the company's own promise still counts, whoever must consent
    assert codes("Our policies prohibit us from using Usage Data to train AI models.") == []
    assert codes("We will never scrape or use Usage Data to train AI models.") == []
    assert codes("Acme will not use Usage Data to train AI models without the prior written consent of "
                 "Customer.") == []
    assert codes("Acme will not use Usage Data to train AI models without Customer's written consent.") == []


def test_how_a_model_is_built_is_no_promise_over_the_data(engine: EmbeddedEngine, policies: PolicySet) -> None:
    use = ("# Principles\n\n## 1. Models\n\n1.1 Our systems analyse Customer Data and usage information to "
           "develop machine-learning models.\n\n1.2 {design}\n\n## 2. Choices\n\n"
           "2.1 To exclude your Customer Data from training our global models, you can opt out by contacting us.\n")
    findings = findings_of(use.format(design="We build these models so that they cannot memorise or reproduce "
                                             "any part of Customer Data."), engine, policies)
    # The opt-out over Customer Data leaves usage data open (2.1); 1.2 limits nothing.
    assert [(f.code, f.clause) for f in findings] == [("TL103", "2.1")]
    findings = findings_of(use.format(design="We will not use Customer Data to train models for other customers."),
                           engine, policies)
    assert ("TL103", "1.2") in [(f.code, f.clause) for f in findings]


def test_a_number_ends_a_sentence_that_words_began(engine: EmbeddedEngine, policies: PolicySet) -> None:
    codes = codes_in(
        "# Notice\n\n## AI\n\nWe use publicly available information to develop and improve "
        "artificial intelligence. This includes public posts and photos {}. We do not use the content "
        "of your private messages to train our AI.\n",
        engine, policies,
    )

    # "This includes public posts" adds the users' posts to the use ("18." is no
    # list number); the promise covers private messages only.
    assert codes("from users over 18") == ["TL101", "TL103"]
    assert codes("from adult users") == ["TL101", "TL103"]


def test_a_defined_purpose_brings_what_its_definition_names(engine: EmbeddedEngine, policies: PolicySet) -> None:
    codes = codes_in(
        '# Platform Terms\n\n## 1. Definitions\n\n"Customer Data" means any data that Customer submits to '
        'the Platform.\n\n"Permitted Purposes" means {}.\n\n## 4. Processing\n\n'
        "Company may process Customer Data for the Permitted Purposes.\n",
        engine, policies,
    )

    assert codes("providing the Platform, improving the Platform and training artificial intelligence models") \
        == ["TL101"]
    assert codes("providing the Platform and keeping it secure") == []


OPT_OUTS = [
    "You can stop this use at any time in Settings.",
    "You can change this in Settings > Privacy > Model improvement.",
    "If you'd rather we didn't, you can let us know at privacy@acme.example.",
    "Users can choose to exclude their content from training.",
    "This is on by default, but you can switch it off.",
    "Admins can manage this setting for their organisation.",
    "You can withdraw from model training at any time.",
    "Don't want this? Turn off \"Improve the model for everyone\".",
    "You can control whether your content is used for training via the AI settings page.",
    "You can limit this use by adjusting your sharing preferences.",
    "You may revoke this permission at any time.",
    "You can prevent this by marking your content as private.",
]
NOT_OPT_OUTS = [
    "The only way to stop this use is to close your account.",
    "The only way to stop this is to close your account.",
    "You can prevent it by deleting your account.",
    "You cannot opt out of this use.",
    "You may withdraw your consent to the processing of your personal data.",
    "We limit access to your content to authorised staff.",
    "You can prevent unauthorised access by using a strong password.",
    "Admins can manage billing for their organisation.",
    "If you would rather we didn't, that is unfortunately not possible.",
    "You can stop this by deleting your content and your account.",
    "We restrict the use of your content to our own models.",
    # an opt-out whose reach the same clause takes back
    "You can opt out in Settings. Even if you opt out, we will use the chats you rate to train our models.",
    "You can turn this off. We will still use flagged chats for model training even after you turn it off.",
]


OPT_INS = [
    "With your permission, we may use your recordings to train our speech models.",
    "We will only use your photos for AI training where you have given us your express consent.",
    "We use your prompts to train our models only when you turn on \"Help improve Acme\".",
    "Your data is used to train AI only after you have expressly agreed to it.",
    "Upon your request, we may use your uploads to fine-tune a private model for you.",
    "By ticking the box, you let us use your voice recordings to improve our assistant.",
]
NOT_OPT_INS = [
    "By using the Services, you agree that we may use your content to train our AI models.",
    "We may use your content to train our AI models. We will delete your account at your request.",
    "We may use your content to train our AI models. By ticking the box at sign-up, you accept these Terms.",
    "By clicking \"I agree\", you allow us to use your content to train our models.",
]


# A use for AI training, then what is or is not a choice over it (TL101 silent or not);
# and uses that ask first, or only deem consent.
GRANT = "We may use your content to train our AI models."
CHOICES: list[tuple[str, list[str]]] = (
    [(f"{GRANT} {c}", []) for c in OPT_OUTS] + [(f"{GRANT} {c}", ["TL101"]) for c in NOT_OPT_OUTS]
    + [(u, []) for u in OPT_INS] + [(u, ["TL101"]) for u in NOT_OPT_INS])


@pytest.mark.parametrize("body, expected", CHOICES)
def test_the_ways_to_offer_a_choice(body: str, expected: list[str], engine: EmbeddedEngine,
                                    policies: PolicySet) -> None:
    assert codes_of(f"# Terms\n\n## 4. AI\n\n{body}\n", engine, policies) == expected


def test_feedback_stays_feedback(engine: EmbeddedEngine, policies: PolicySet) -> None:
    # "them" after an offer of feedback is the feedback, not the photos before it
    assert codes_of("# Terms\n\n## 7. Feedback\n\nWe may use your photos to improve the Service. If you provide "
                    "feedback or suggestions, we can use them without any restriction.\n", engine, policies) == []
    # what a definition sets its term apart from is not in it
    submissions = ("# Terms\n\n## 5. Submissions\n\nSeparate and apart from the User Content you provide, you can "
                   "submit comments, feedback, suggestions, ideas, drawings or other materials relating to the Company "
                   '(collectively, "Submissions"). The Company shall be entitled to the unrestricted use of any '
                   "Submissions for any purpose, and you grant it a perpetual, irrevocable licence to them.\n")
    assert codes_of(submissions, engine, policies) == []
    assert "TL102" in codes_of(submissions.replace("Separate and apart from the User Content you provide, you",
                                                   "You can upload photos, and you"), engine, policies)


def test_builtin_rules_live_in_the_builtin_dir(policies: PolicySet) -> None:
    for doc in policies.rules.values():
        assert Path(doc.source).resolve().parent == builtin_policy_dir()
