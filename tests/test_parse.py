"""Parser tests: one fixture per drafting style (tests/fixtures/parse/*.md with
an expectation file beside it), plus properties that must hold for any input.

Every parsed document is validated against the published policy-input schema.
"""
from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from termslint.errors import InputError
from termslint.model import Changes, ClauseChange, Document
from termslint.parse import format_outline, parse_document

FIXTURES = Path(__file__).parent / "fixtures" / "parse"
CASES = sorted(p.stem for p in FIXTURES.glob("*.md"))
SCHEMA = json.loads(
    resources.files("termslint").joinpath("schemas", "policy-input.schema.json").read_text(encoding="utf-8")
)
VALIDATOR = jsonschema.Draft202012Validator(SCHEMA, format_checker=jsonschema.FormatChecker())


def policy_input(doc: Document) -> dict[str, Any]:
    return {"schema_version": 1, **doc.as_dict()}


def check_document(doc: Document) -> None:
    """Schema-valid, unique ids, spans inside the file, parents before children."""
    VALIDATOR.validate(json.loads(json.dumps(policy_input(doc))))
    seen: dict[str, int] = {}
    n = doc.line_count
    for i, c in enumerate(doc.clauses):
        assert c.id not in seen, f"duplicate id {c.id}"
        seen[c.id] = i
        assert 1 <= c.span.start_line <= c.span.end_line <= n, (c.id, c.span)
        if c.parent is not None:
            assert c.parent in seen, f"{c.id}: parent {c.parent} missing or after it"
            assert doc.clauses[seen[c.parent]].level == c.level - 1
            assert c.path == doc.clauses[seen[c.parent]].path + [c.id]
        else:
            assert c.level == 1 and c.path == [c.id]
        for r in c.refs:
            assert 1 <= r.span.start_line <= r.span.end_line <= n, (c.id, r)
        assert len(c.line_starts) == (c.text.count("\n") + 1 if c.text else 0)
        assert c.uses == sorted(set(c.uses))
    for d in doc.definitions.values():
        assert 1 <= d.span.start_line <= d.span.end_line <= n
        assert d.clause in seen


def parse_fixture(name: str) -> Document:
    path = FIXTURES / f"{name}.md"
    return parse_document(path.read_text(encoding="utf-8"), f"tests/fixtures/parse/{name}.md")


@pytest.mark.parametrize("name", CASES)
def test_fixture(name: str) -> None:
    expected = YAML(typ="safe").load((FIXTURES / f"{name}.yaml").read_text(encoding="utf-8"))
    doc = parse_fixture(name)
    check_document(doc)
    assert doc.title == expected["title"]
    assert doc.metadata == expected.get("metadata", {})
    sups = [{"codes": s.codes, "reason": s.reason, "line": s.span.start_line} for s in doc.suppressions]
    assert sups == expected.get("file_suppressions", [])
    assert [c.id for c in doc.clauses] == [e["id"] for e in expected["clauses"]]
    for clause, want in zip(doc.clauses, expected["clauses"]):
        got: dict[str, Any] = {
            "id": clause.id,
            "number": clause.number,
            "title": clause.title,
            "parent": clause.parent,
            "level": clause.level,
            "span": [clause.span.start_line, clause.span.end_line],
            "anchor": clause.anchor,
            "text": clause.text,
            "defines": clause.defines,
            "uses": clause.uses,
            "refs": [[r.kind, r.target, r.resolved] for r in clause.refs],
            "suppressions": [
                {"codes": s.codes, "reason": s.reason, "line": s.span.start_line} for s in clause.suppressions
            ],
        }
        defaults: dict[str, Any] = {"anchor": None, "defines": [], "uses": [], "refs": [], "suppressions": []}
        for key in got:
            assert got[key] == want.get(key, defaults.get(key)), f"{name}: clause {clause.id}: {key}"
    assert {t: d.clause for t, d in doc.definitions.items()} == expected["definitions"]


def test_line_starts_point_at_the_source() -> None:
    """(offset, line, col) lets the annotator turn an offset in `text` into a file position."""
    for name in CASES:
        doc = parse_fixture(name)
        for c in doc.clauses:
            for offset, line, col in c.line_starts:
                ch = c.text[offset]
                assert doc.lines[line - 1][col - 1] == ch, (name, c.id, line, col, ch)


def test_definition_text_is_the_defining_sentence() -> None:
    doc = parse_fixture("definitions")
    d = doc.definitions["Service Generated Data"]
    assert d.text == "“Service Generated Data” shall mean telemetry about the Services."
    assert (d.span.start_line, d.span.end_line) == (7, 7)
    # The first definition wins, but a later defining clause still lists the term.
    assert doc.definitions["Customer Content"].clause == "1"
    assert "Customer Content" in doc.clause_by_id()["5"].defines


def test_reference_spans_and_words() -> None:
    doc = parse_fixture("references")
    refs = doc.clause_by_id()["2"].refs
    assert [r.text for r in refs[:3]] == ["Section 7(b)", "Sections 4", "5"]
    assert all(r.span.start_line == 9 for r in refs)
    this = [r for r in doc.clause_by_id()["3.2"].refs] + doc.clause_by_id()["3"].refs
    assert any(r.text == "This Section" and r.target == "3" and r.resolved for r in this)


@pytest.mark.parametrize("text", [
    "L’article L.121-16-1 du Code de la consommation étend le délai.",
    "sans préjudice des articles 2224 et suivants du Code civil.",
    "à l'article 238 quater N du Code général des impôts.",
    "conformément aux articles L. 221-18 et suivants.",
    "La base légale est l’article 6, paragraphe 1(b) ou (c) du RGPD.",
    "We rely on Article 6, paragraph 1(f) of the GDPR.",
    "dans les conditions prévues aux articles 1641 à 1648 et 2232 du code civil.",
    "Conformément aux articles 13 et suivant du RGPD, vous êtes informés.",
    "Veuillez vous référer aux articles 43 a-43 g de la loi du 30 mai 2014.",
    "Le droit à réparation (RGPD, Article 82) n'est pas affecté.",
    "conformément à l’article 49, paragraphe 1, alinéa 1, point a du RGPD de l’UE.",
    "La base juridique est l’article 6, paragraphe 1(b), (c) ou (f) du RGPD.",
    "Selon la loi «Informatique et libertés» du 6 janvier 1978 (article 39 et 40), vous avez des droits.",
])
def test_french_law_references_are_not_clause_references(text: str) -> None:
    from termslint.parse_refs import find_refs

    refs = find_refs(text, None)
    assert refs and all(r.kind == "law" for r in refs), refs


@pytest.mark.parametrize("text", [
    "Our legitimate interest (article 6.1.f du RGPD) lets us answer you.",
    "The legal basis is Article 6 (1) b) of the EU General Data Protection Regulation (GDPR).",
    "If the bank fails, Section 676c of the German Civil Code (BGB) applies.",
    "We provide these services under article 62(1), article 64(3) and article 72 of PSD2.",
    "Small firms as referred to in Articles 38(2) and 61(3) PSD 2.",
    "Our Article 27 Representative answers questions from the EU.",
    "Disputes about fees fall under Title 11, Article 110, Colorado Revised Statutes.",
    "For the purposes of Section IV, Clauses 17 and 18 of the SCCs, Irish law governs.",
    "Liability is defined under Articles 82 and 83, respectively, of the GDPR.",
    "See the decision referred to in Article 104a.1 of the Pharmaceutical Law Act.",
    "It falls within the scope of the GDPR in accordance with its Article 3(2).",
    "The rights described in Article 6bis of the Berne Convention are waived.",
    "The basis is Article 6 (1) f) and Article 32 of the EU General Data Protection Regulation.",
    "The basis is Article 6 (1) (c) of the GDPR or Article 31 (1) of the nFADP.",
    "Subject to Article 44(2), Article 143(2), and Article 149 of the Act, the operator pays.",
    "The controller may act under the GDPR, in particular under Articles 28 and 32.",
])
def test_law_numbers_after_a_letter_a_chain_or_a_title_are_laws(text: str) -> None:
    """A letter after the number ("6.1.f", "6 (1) b)", "676c"), a chain of
    numbers ("article 62(1), article 64(3)", "Clauses 17 and 18") or a role
    ("Article 27 Representative") does not hide the law it belongs to."""
    from termslint.parse_refs import find_refs

    refs = find_refs(text, None)
    assert refs and all(r.kind == "law" for r in refs), refs


@pytest.mark.parametrize("text", [
    "The operator is liable as specified in the Act, including Articles 144-146 thereof.",
    "Liability is subject to Section 19 (Limitation of Liability) of the main body of the Terms of Service.",
])
def test_numbers_of_what_was_just_named_or_of_the_main_terms_are_not_ours(text: str) -> None:
    from termslint.parse_refs import find_refs

    refs = [r for r in find_refs(text, None) if r.keyword]  # not "Terms of Service", a document's name
    assert refs and all(r.kind == "external" for r in refs), refs


def test_a_bold_article_number_opening_a_paragraph_is_its_label() -> None:
    doc = parse_document(
        "# Rules\n\n[**SECTION 3**](#s3) OF THESE RULES GOVERNS DISPUTES.\n\n"
        "**Article 1** Fraud includes fake orders.\n\n"
        "**Article** **2** Severe violations close the account. See Article 1 and Section 3.\n\n"
        "**Article 3** Disputes go to the courts of Paris.\n",
        "rules.md")
    assert [c.id for c in doc.clauses] == ["preamble", "1", "2", "3"]
    refs = {(r.text, r.kind, r.resolved) for c in doc.clauses for r in c.refs}
    assert ("Article 1", "clause", True) in refs and ("Section 3", "clause", True) in refs


def test_a_letter_on_the_last_part_of_a_number_is_part_of_it() -> None:
    """"1.3a." after "1.3." (terms amended by insertion) is a clause of its own."""
    doc = parse_document(
        "# Payments\n\n## 1. Services\n\n1.3. The first payment service is provided on request.\n\n"
        "1.3a. The second payment service is provided on request.\n\n1.4. Fees apply.\n",
        "payments.md")
    assert [c.number for c in doc.clauses if c.number] == ["1", "1.3", "1.3a", "1.4"]


def test_a_list_nested_four_spaces_under_a_wide_marker_is_the_items() -> None:
    """Converted documents indent nested lists by four spaces: under "10.  " the
    text starts at column 5, so CommonMark reads "    1.  ..." as a code block."""
    text = ("9.  **Fees**\n\n    1.  Fees are due monthly.\n\n"
            "10.  **Governing law**\n    \n    1.  See Section 10.2 for your country.\n        \n"
            "    2.  **United States:** the laws of Delaware apply.\n        \n"
            "        1.  Venue is in Wilmington.\n\n"
            "11.  **Notices** go to the address in Section 10.2.\n")
    doc = parse_document(text, "terms.md")
    clauses = {c.id: c for c in doc.clauses}
    assert list(clauses) == ["9", "9.1", "10", "10.1", "10.2", "10.2.1", "11"]
    assert clauses["10.2.1"].text == "Venue is in Wilmington." and clauses["10.2.1"].span.start_line == 11
    lines = text.split("\n")
    line, col = clauses["10.1"].line_starts[0][1:]
    assert lines[line - 1][col - 1:].startswith("See Section 10.2")
    assert all(r.resolved for c in doc.clauses for r in c.refs)


def test_a_list_nested_four_spaces_after_the_items_opening_paragraph() -> None:
    """The item's own text first, indented as the list under it: all of it is the item's."""
    text = ("16.  **Export**\n\n17.  **Arbitration**\n    \n"
            "    Certain portions of this Section 17 are an agreement to arbitrate.\n    \n"
            "    1.  **Disputes**. Any claim is a Dispute.\n        \n"
            "        1.  **First - Try to Resolve**. Send us a notice first.\n            \n"
            "        2.  **Arbitration**. If Section 17.1.1 fails, see Section 18.\n\n"
            "18.  **Notices** go to the address in Section 17.1.\n")
    doc = parse_document(text, "terms.md")
    clauses = {c.id: c for c in doc.clauses}
    assert list(clauses) == ["16", "17", "17.1", "17.1.1", "17.1.2", "18"]
    assert clauses["17"].text.startswith("Certain portions of this Section 17")
    line = clauses["17.1.2"].span.start_line
    assert text.split("\n")[line - 1].lstrip().startswith("2.  **Arbitration**")
    assert all(r.resolved for c in doc.clauses for r in c.refs)


def test_a_number_that_lost_its_dot_opens_a_run_in_title() -> None:
    """PDF and HTML exports: "1 Agreement Acceptance. You accept ...", with a
    non-breaking space here and there, and "blank" lines that hold one."""
    nbsp = "\u00a0"
    text = (f"# Terms\n\nThese terms apply.\n{nbsp}  \n"
            "1 Agreement Acceptance. You accept these terms by using the Program.\n\n"
            f"2{nbsp}Changes to Terms; Termination.{nbsp} We may change Section 1.\n\n"
            "2.1 Notice. We will tell you first.\n\n"
            "3 Warranty, Rights and Obligations. (a) Each party warrants its authority.\n\n"
            "5 Days. After five days, see Section 3.\n")
    doc = parse_document(text, "terms.md")
    clauses = {c.id: c for c in doc.clauses}
    assert list(clauses) == ["preamble", "1", "2", "2.1", "3"]
    assert clauses["1"].title == "Agreement Acceptance"
    assert clauses["2"].text.startswith("Changes to Terms; Termination.")
    # "5 Days." does not continue the numbering (3): it stays the text of clause 3
    assert clauses["3"].text.endswith("After five days, see Section 3.")
    assert all(r.resolved for c in doc.clauses for r in c.refs)


def test_a_number_once_given_to_a_law_stays_the_laws() -> None:
    """"Article 40 of the Digital Services Act", then "described in Article 40": the
    same law's; but a clause of the document's own keeps its number, and an
    article cited under a heading that names a law is the law's."""
    doc = parse_document(
        "# Terms\n\n## 1. Research access\n\nAccess under Article 40 of the Digital Services Act is limited. "
        "Researchers must follow the procedures described in Article 40, and Article 2 below.\n\n"
        "## 2. Other\n\nSee Article 2 of the GDPR and Article 3.\n\n"
        "## 3. General Data Protection Regulation (GDPR)\n\nHow we meet it:\n\n* Article 37: we have appointed a data protection officer.\n",
        "terms.md")
    kinds = {(c.id, r.text, r.kind, r.resolved) for c in doc.clauses for r in c.refs}
    assert ("1", "Article 40", "law", False) in kinds
    assert ("1", "Article 40", "clause", False) not in kinds
    assert ("1", "Article 2", "clause", True) in kinds  # the document's own Article 2
    assert ("2", "Article 3", "clause", True) in kinds
    assert any(c == "3" and t == "Article 37" and k == "law" for c, t, k, _ in kinds), kinds


def test_format_outline() -> None:
    doc = parse_fixture("atx_numbered")
    outline = format_outline(doc)
    assert outline == format_outline(parse_fixture("atx_numbered"))
    lines = outline.splitlines()
    assert lines[0] == (
        "tests/fixtures/parse/atx_numbered.md \u2014 Acme Cloud Terms of Service (effective 1 March 2024)"
    )
    assert "1  Definitions  L7-11  defines: Customer Content, Services" in lines
    assert "  10.2  Service Generated Data  L29-31" in lines
    assert "preamble  L3-5" in lines


def test_front_matter_must_be_yaml() -> None:
    with pytest.raises(InputError) as info:
        parse_document("---\ntitle: [unclosed\n---\n# T\n", "legal/terms.md")
    message = str(info.value)
    assert message.startswith("legal/terms.md:")
    assert "front matter is not valid YAML" in message
    assert "\n" not in message


def test_front_matter_must_be_a_mapping() -> None:
    with pytest.raises(InputError, match=r"legal/terms\.md:2: front matter must be a mapping"):
        parse_document("---\n- a\n- b\n---\n# T\n", "legal/terms.md")


def test_front_matter_values_become_json() -> None:
    doc = parse_document("---\nEffective Date: 2024-03-01\nTags: [a, b]\n---\n\nText.\n", "t.md")
    assert doc.metadata == {
        "effective_date": "2024-03-01",
        "tags": ["a", "b"],
        "effective_date_iso": "2024-03-01",
    }
    json.dumps(doc.as_dict())


def test_windows_line_endings() -> None:
    doc = parse_document("# T\r\n\r\n## 1. One\r\n\r\nText.\r\n", "t.md")
    assert [(c.id, c.span.start_line) for c in doc.clauses] == [("1", 3)]
    assert doc.line_count == 5


def test_changes_validate_against_the_schema() -> None:
    doc = parse_fixture("duplicates")
    change = ClauseChange("modified", "10.2", "10.2", 0.8, text_diff="-a +b", base_title="Use", head_title="Use")
    changes = Changes("abc123", {"version": "1"}, {"version": "2"}, [change])
    VALIDATOR.validate(json.loads(json.dumps({**policy_input(doc), "changes": changes.as_dict()})))


def test_schema_declares_its_version() -> None:
    assert SCHEMA["properties"]["schema_version"] == {"const": 1}
    assert SCHEMA["$id"].endswith("/1.json")
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate({**policy_input(parse_fixture("toc")), "schema_version": 2})


# --- any input ----------------------------------------------------------------

_LABELS = ["", "1. ", "2. ", "10. ", "10.2 ", "10.2.1 ", "(a) ", "(b) ", "(i) ", "(iv) ", "a. ", "i) ", "IV. ",
           "Section 4 ", "ARTICLE II ", "**1.1** ", "**(c) Title.** ", "1.INTRO", "3.1.2.x "]
_WORDS = ["Customer Content", "means", "Section 10.3", "Sections 4 and 5", "this Section", "(\u201cTerm\u201d)",
          "our Privacy Policy", "[link](#x)", "**bold**", "_em_", "Article 6 GDPR", "text", "the", ";", ".", "\u00a0"]


@st.composite
def markdown(draw: st.DrawFn) -> str:
    blocks = []
    for _ in range(draw(st.integers(0, 14))):
        kind = draw(st.sampled_from(["h", "p", "ol", "ul", "table", "comment", "fm", "blank", "code"]))
        label = draw(st.sampled_from(_LABELS))
        words = " ".join(draw(st.lists(st.sampled_from(_WORDS), max_size=8)))
        if kind == "h":
            blocks.append("#" * draw(st.integers(1, 6)) + " " + label + words)
        elif kind == "p":
            blocks.append(label + words + draw(st.sampled_from(["", "\n(b) more;", "\n" + words])))
        elif kind == "ol":
            indent = " " * draw(st.sampled_from([0, 3, 4]))
            blocks.append(f"{indent}{draw(st.integers(1, 30))}. {label}{words}")
        elif kind == "ul":
            blocks.append(f"- {label}{words}")
        elif kind == "table":
            blocks.append(f"| {words} | x |\n|---|---|\n| {label} | y |")
        elif kind == "comment":
            blocks.append(draw(st.sampled_from([
                '<!-- termslint-disable TL101 reason="ok" -->', "<!-- termslint-disable-file TL403 -->",
                "<!-- note -->", '<a id="x"></a>', "<!--\ntermslint-disable TL1\n-->",
            ])))
        elif kind == "fm" and not blocks:
            blocks.append("---\ntitle: T\nversion: 2\n---")
        elif kind == "code":
            blocks.append("    " + label + words)
        else:
            blocks.append("")
    return "\n\n".join(blocks) + draw(st.sampled_from(["", "\n", "\n\n"]))


@settings(max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow])
@given(markdown())
def test_any_markdown_parses_into_a_valid_document(text: str) -> None:
    try:
        doc = parse_document(text, "fuzz.md")
    except InputError:
        return
    check_document(doc)
    format_outline(doc)


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=300))
def test_any_text_parses(text: str) -> None:
    try:
        doc = parse_document(text, "fuzz.md")
    except InputError:
        return
    check_document(doc)


def test_table_rows_keep_their_cells_in_column_order() -> None:
    """Empty cells keep their column, even at the edges where the row's text drops them."""
    doc = parse_document("# T\n\n|  | Purpose | Data |\n|---|---|---|\n| 1 |  | Logs |\n|  | Ads | x |\n", "t.md")
    (clause,) = doc.clauses
    assert clause.text == "Purpose | Data\n1 |  | Logs\nAds | x"
    rows = [(r.table, r.index, [clause.text[a:b] for a, b in r.cells]) for r in clause.table_rows]
    assert rows == [(1, 0, ["", "Purpose", "Data"]), (1, 1, ["1", "", "Logs"]), (1, 2, ["", "Ads", "x"])]
    assert [clause.text[r.start:r.end] for r in clause.table_rows] == clause.text.split("\n")
    assert "table_rows" not in clause.as_dict()  # not part of the policy input


@pytest.mark.parametrize("intro", ["such as", "e.g.", "for example", "like", "including"])
def test_quoted_examples_in_brackets_define_nothing(intro: str) -> None:
    doc = parse_document(f'# T\n\n1. Pick a category ({intro} "architect" or "builder") and the Site (the "Platform").\n', "t.md")
    assert doc.clauses[-1].defines == ["Platform"]


@pytest.mark.parametrize("alias", ["previously referred to as", "sometimes referred to as",
                                   "formerly known as", "commonly known as"])
def test_an_old_or_informal_name_defines_nothing(alias: str) -> None:
    doc = parse_document(f'# T\n\n1. Sign in with your Acme Account ({alias} "Acme ID") on the Site '
                         '(hereinafter referred to as "Platform").\n', "t.md")
    assert doc.clauses[-1].defines == ["Platform"]


@pytest.mark.parametrize("reference", ["Section 2", "section 1.c", "Clause 4(a)", "Annex 1"])
def test_a_title_in_brackets_after_a_reference_defines_nothing(reference: str) -> None:
    doc = parse_document(f'# T\n\n1. See {reference} ("What We Collect") of our policy on the Site '
                         '(the "Platform").\n', "t.md")
    assert doc.clauses[-1].defines == ["Platform"]
    doc = parse_document(f'# T\n\n1. We keep the measures in {reference} (the "Security Measures").\n', "t.md")
    assert doc.clauses[-1].defines == ["Security Measures"]


@pytest.mark.parametrize("naming", ['Inputs and Outputs are together "Materials".',
                                    'We refer to Inputs and Outputs collectively as "Materials".',
                                    'Together we call them "Materials".'])
def test_terms_named_together_define_a_term(naming: str) -> None:
    doc = parse_document(f'# T\n\n1. You send us input (the "Inputs") and get output (the "Outputs"). {naming}\n', "t.md")
    assert doc.clauses[-1].defines == ["Inputs", "Outputs", "Materials"]


# (first definition, second definition, is the second a restatement?)
RESTATEMENTS = [
    # the same company, after different lead-ins
    ('Acme uses Maps, a service from Mapco LLC, 1 Main Street, Springfield, IL 62701, USA ("Mapco").',
     'Acme uses the fonts of Mapco LLC, 1 Main Street, Springfield, IL 62701, USA ("Mapco").', True),
    # the same address, another company: a second meaning
    ('Acme uses the chat of Chatco Inc., 1 Main Street, Springfield, IL 62701, USA ("Chatco").',
     'Acme uses the chat of Talk Holdings Inc., 1 Main Street, Springfield, IL 62701, USA ("Chatco").', False),
    # an acronym spelled out, in sentences that differ
    ('We follow the General Data Protection Regulation ("GDPR").',
     'Under privacy laws, including the General Data Protection Regulation ("GDPR"), you have rights.', True),
    ('Claims under the Digital Millennium Copyright Act of 1998 ("DMCA") go to our agent.',
     'We answer notices that comply with the Digital Millennium Copyright Act (the "DMCA").', True),
    ('We follow the General Data Protection Regulation ("GDPR").',
     'We follow the Generic Data Policy Rules ("GDPR").', False),
    # "X means ..." in the same words, and in other words
    ('"Fees" means the amounts shown on the Order Form.', '"Fees" means the amounts shown on the Order Form.', True),
    ('"Fees" means the amounts shown on the Order Form.', '"Fees" means the amounts shown on the invoice.', False),
]


@pytest.mark.parametrize(("first", "second", "restated"), RESTATEMENTS)
def test_a_definition_in_the_words_of_the_one_before_restates_it(first: str, second: str, restated: bool) -> None:
    doc = parse_document(f"# T\n\n1. {first}\n2. Other words.\n3. {second}\n", "t.md")
    clauses = doc.clause_by_id()
    (term,) = clauses["1"].defines
    assert clauses["3"].defines == [term]
    assert clauses["3"].restates == ([term] if restated else [])
    assert clauses["1"].restates == []  # a first definition restates nothing


@pytest.mark.parametrize("pointer", [
    "has the meaning given in Section 2",
    "has the meaning given to it in the background of this Agreement",
    "has the meaning set out in the Order Form",
    "has the meaning ascribed to it under the GDPR",
    "has the meaning given below",
])
def test_a_term_that_has_the_meaning_given_elsewhere_is_not_defined_again(pointer: str) -> None:
    doc = parse_document(f'# T\n\n1. Acme and you (the "Parties") sign this Agreement.\n'
                         f'2. "Parties" {pointer}; "Fees" means the amounts due.\n', "t.md")
    assert doc.clause_by_id()["2"].defines == ["Fees"]
    assert doc.definitions["Parties"].clause == "1"


def test_a_heading_that_lost_its_dot_opens_a_clause_where_the_numbering_goes_on() -> None:
    text = ("Master Services Agreement\n\n1 Background\n\nThis agreement is made between Acme and you.\n\n"
            "1.1 Scope. It covers the Services.\n\n2 Representations, Warranties and Disclaimers\n\n"
            "2.1 Acme warrants that the Services work, subject to Section 1.\n\n"
            "3 Term and Termination\n\nEither party may end it.\n\nContact\n\n1 Hacker Way\n\n"
            "4 October 2025\n\n30 days notice applies to all changes\n\n9 Miscellaneous\n")
    doc = parse_document(text, "t.md")
    titles = {c.number: c.title for c in doc.clauses if c.number}
    assert titles == {"1": "Background", "1.1": "Scope", "2": "Representations, Warranties and Disclaimers",
                      "2.1": None, "3": "Term and Termination"}
    # An address, a date, prose, and a number out of sequence stay text.
    assert all(t in doc.clause_by_id()["3"].text for t in ("1 Hacker Way", "4 October 2025", "30 days", "9 Misc"))


def test_sections_numbered_under_an_unnumbered_heading_are_the_documents_sections() -> None:
    """'AGREEMENT', then '1. Eligibility' ...: Section 1 is that clause, not a dangling reference,
    even where a table of contents repeats the numbers."""
    toc = "## Contents\n\n1. Eligibility\n2. Fees\n\n"
    body = ("## AGREEMENT\n\n1. Eligibility\n\nYou must be 18.\n\n"
            "2. Fees\n\nFees are due monthly. Section 1 applies; see also Section 7.\n")
    doc = parse_document("# Terms\n\n" + toc + body, "t.md")
    refs = {r.text: r for c in doc.clauses for r in c.refs}
    assert refs["Section 1"].resolved and refs["Section 1"].target == "agreement/1"  # the body, not the contents
    assert doc.clause_by_id()["agreement/1"].number == "1"
    assert not refs["Section 7"].resolved


def test_sections_under_headings_resolve_where_most_numbered_clauses_sit_there() -> None:
    text = ("# Terms\n\n1. Read these terms carefully.\n\n## AGREEMENT\n\n"
            + "".join(f"{n}. Part {n}\n\nText {n}.\n\n" for n in range(1, 5)) + "See Section 3.\n")
    refs = [r for c in parse_document(text, "t.md").clauses for r in c.refs if r.text == "Section 3"]
    assert refs and refs[0].resolved and refs[0].target == "agreement/3"


def test_a_list_under_a_heading_is_no_section_where_the_document_numbers_its_sections() -> None:
    text = ("# Terms\n\n## 1. Use\n\nSee Section 3.\n\n## 2. Conduct\n\n### Restricted activities\n\n"
            "1. Spam\n2. Fraud\n3. Scraping\n")
    refs = [r for c in parse_document(text, "t.md").clauses for r in c.refs if r.text == "Section 3"]
    assert refs and not refs[0].resolved


def test_a_smaller_number_after_a_dash_is_part_of_a_compound_number_not_a_range() -> None:
    text = ("# T\n\n## 1. Tax\n\nLes articles 150-0 A et 150-0 D du code s'appliquent. Sections 2-3 apply. "
            "Section 0 does not exist.\n\n## 2. B\n\nx\n\n## 3. C\n\ny\n")
    refs = [(r.target, r.resolved) for c in parse_document(text, "t.md").clauses for r in c.refs if r.kind == "clause"]
    assert refs == [("2", True), ("3", True)]  # no "0" from "150-0", no "Section 0"


def test_a_number_with_a_letter_or_latin_suffix_is_its_own_number() -> None:
    text = ("# T\n\n**5\\. Email**\n\n**5a** – Do not verify bought lists.\n\n**5b** – Do not resell results.\n\n"
            "**10\\. Social networks**\n\nText.\n\n**10bis. Contests**\n\nText.\n")
    numbers = [c.number for c in parse_document(text, "t.md").clauses if c.number]
    assert numbers == ["5", "5a", "5b", "10", "10bis"]


def test_a_section_known_only_by_its_parts_resolves_to_the_first_part() -> None:
    """'Section 8' where section 8 is written 8a-8d, or its heading was lost and only 10.1 is left."""
    text = ("# T\n\n## 8a. Purchases\n\nSee Section 8, Section 10 and Section 9.\n\n## 8b. Refunds\n\nx\n\n"
            "## 10.1 Scope\n\ny\n")
    refs = {r.text: r for c in parse_document(text, "t.md").clauses for r in c.refs}
    assert (refs["Section 8"].resolved, refs["Section 8"].target) == (True, "8a")
    assert (refs["Section 10"].resolved, refs["Section 10"].target) == (True, "10.1")
    assert not refs["Section 9"].resolved


def test_a_term_defined_with_a_plural_mark_is_used_without_it() -> None:
    doc = parse_document('# T\n\n1. "Customer(s)" means people who order.\n2. Each Customer may cancel.\n'
                         '3. "Site(s)" means our websites.\n4. "CLAIMS" means demands. "Parties" means you and us.\n'
                         '5. Each Party may bring a CLAIM; the Business is not a "Bonus".\n', "t.md")
    uses = {c.id: c.uses for c in doc.clauses}
    assert uses == {"1": [], "2": ["Customer(s)"], "3": [], "4": [], "5": ["CLAIMS", "Parties"]}


def test_a_term_defined_in_capitals_is_used_in_any_case_unless_it_may_be_an_acronym() -> None:
    doc = parse_document('# T\n\n1. PERSONAL DATA means data about a person. "GDPR" means the EU regulation.\n'
                         '2. We protect Personal Data under the gdpr.\n3. We delete personal data on request.\n', "t.md")
    uses = {c.id: c.uses for c in doc.clauses}
    assert uses == {"1": [], "2": ["PERSONAL DATA"], "3": ["PERSONAL DATA"]}


def test_article_number_with_its_own_full_stop_opens_a_clause() -> None:
    """"Article 2. Prestations « Location de voiture »" is a clause whatever its
    title looks like; "Section 5. the rest" in running text is not."""
    doc = parse_document(
        "# Conditions\n\nArticle 1. Définitions\n\nLes termes de l'article 2 s'appliquent.\n\n"
        "Article 2. Prestations « Location de voiture »\n\nLe client loue une voiture.\n",
        "cgv.md",
    )
    assert [c.id for c in doc.clauses] == ["1", "2"]
    assert doc.clauses[1].title == "Prestations « Location de voiture »"
    assert [(r.target, r.resolved) for r in doc.clauses[0].refs] == [("2", True)]


@pytest.mark.parametrize("text", [
    "Vos droits sont décrits à l'Article 8 de la Politique de protection des données.",
    "This applies besides section 5.2(k) and sections 13.4 – 13.6 of the privacy policy.",
    "Dans le cadre de l'article 5.10 de nos [Conditions Générales](https://example.com/cgu).",
    "Conformément à l'article 7 de notre politique de confidentialité.",
    "As required by Section 3(a) of this Swiss Addendum, the parties agree.",
    "The last sentence of section VI.a. of the IAB Terms is amended.",
    "as defined in Section 2 (The Agreement) of the YouTube API Services Terms of Service.",
])
def test_numbers_of_another_document_are_external(text: str) -> None:
    from termslint.parse_refs import find_refs

    refs = [r for r in find_refs(text, None) if r.kind != "document"]
    assert refs and all(r.kind == "external" for r in refs), refs


@pytest.mark.parametrize(("text", "targets"), [
    # the sentence's own list after a reference: not "40(ii)"
    ("Access follows Article 40, or (ii) disclosure is required by law.", ["40"]),
    ("This applies to Sections 4(a), (b) and (c).", ["4(a)", "4(b)", "4(c)"]),
    # a date after the word "section" ending a line, and an address
    ("Revised the Certifications section\n2013-04-30: Reworded it.", []),
    ("See https://ec.europa.eu/justice/article29/index_en.htm for the list.", []),
    ("As set out in sub-section 5.2 and sub-paragraph 2.1, the services.Section 7 applies.", ["5.2", "2.1", "7"]),
    # no law named right before: still our clauses
    ("Subject to applicable Laws, Section 9 shall apply.", ["9"]),
    ("Acme shall meet its Section 5 obligations, as in Section 3 of this Agreement.", ["5", "3"]),
    ("The Act applies. You may end it (Section 9 explains how), see Section 4 (Fees).", ["9", "4"]),
])
def test_what_is_and_is_not_a_clause_reference(text: str, targets: list[str]) -> None:
    from termslint.parse_refs import find_refs

    refs = [r for r in find_refs(text, None) if r.kind != "document"]
    assert [(r.kind, r.target) for r in refs] == [("clause", t) for t in targets]


def test_this_section_with_a_number_the_parser_missed_is_the_clause_itself() -> None:
    """Converted terms whose numbers were lost: "under this Section 18.1" names
    the clause it stands in; "Section 19" there still dangles."""
    doc = parse_document("# T\n\nA heading\n\nWe owe nothing under this Section 18.1 or Section 19.\n", "t.md")
    (clause,) = doc.clauses
    assert [(r.target, r.resolved) for r in clause.refs] == [(clause.id, True), ("19", False)]


@pytest.mark.parametrize(("markdown", "ids"), [
    # a paragraph numbered 27 (escaped), then a list from 28: the sections go on
    ("27\\. **Liability**. We are not liable.\n\n28. **Arbitration**. You agree.\n\n29. **Law**. Texas.\n",
     ["27", "28", "29"]),
    # section 7's own items 1-2, a break, then its item 3 as a new list
    ("7\\. CONTENT\n\n1. First.\n2. Second.\n\nA paragraph between.\n\n3. Third.\n",
     ["7", "7.1", "7.2", "7.3"]),
])
def test_a_list_numbered_on_from_a_section_is_its_sibling(markdown: str, ids: list[str]) -> None:
    doc = parse_document("# Terms\n\n" + markdown, "t.md")
    assert [c.id for c in doc.clauses] == ids


def test_an_item_typed_3_after_a_sections_1_and_2_stays_inside_it() -> None:
    doc = parse_document("# Terms\n\n2\\. AGE\n\n(1) You are 18.\n\n(2) We may check.\n\n3) You tell the truth.\n", "t.md")
    assert len(doc.clauses) == 4 and all(c.path[0] == "2" for c in doc.clauses)  # no section 3 beside 2


def test_a_number_far_beyond_the_documents_own_is_external() -> None:
    """Terms with three sections quoting "Section 1798.110(c)" (a statute's) do
    not dangle; "Section 9" in the same terms does."""
    doc = parse_document(
        "# Terms\n\n## 1. Scope\n\nWith respect to Section 1798.110(c), see Section 9.\n\n"
        "## 2. Fees\n\nPay on time.\n\n## 3. Law\n\nSwedish law applies.\n",
        "terms.md",
    )
    refs = {r.text: (r.kind, r.resolved) for r in doc.clauses[0].refs}
    assert refs == {"Section 1798.110(c)": ("external", False), "Section 9": ("clause", False)}


def test_a_number_followed_by_its_first_item_opens_once() -> None:
    """"3.1.8. (a) ..." then "3.1.8. (b) ...": one clause 3.1.8 with items (a)
    and (b), not the number twice."""
    doc = parse_document(
        "# Conditions\n\n3.1.7. Bagages.\n\n3.1.8. (a) En cas de perte, le transporteur paie.\n\n"
        "3.1.8. (b) Sans preuve, il ne paie pas.\n\n3.1.9. Fin.\n",
        "conditions.md",
    )
    assert [(c.id, c.parent) for c in doc.clauses] == [
        ("3.1.7", None), ("3.1.8", None), ("3.1.8(a)", "3.1.8"), ("3.1.8(b)", "3.1.8"), ("3.1.9", None)]
