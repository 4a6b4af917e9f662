"""Property-based fuzzing of the pipeline: parser, annotator, aligner, evaluation, reporters.

Documents come from a grammar of legal-ish Markdown pieces (numbered headings,
bold run-ins, ordered, lettered and roman lists, hundreds of levels of lists
and block quotes, huge lines, thousands of list items, tables, waivers in HTML
comments, front matter valid and broken, definitions, cross-references) mixed
with hostile text: NUL bytes, \\r\\n / \\r / \\n line endings in one file,
unbalanced emphasis, astral characters, zero-width and bidi marks, and the
characters Python's `str.splitlines` treats as line breaks but Markdown does not.

Properties: nothing raises except a `TermslintError`; every span lies inside
its document; clause ids are unique and parents precede their children; the
aligner accounts for every clause exactly once; reporters return text that
parses (JSON, SARIF, JUnit XML) and the same bytes every time, whatever the
order of the findings.

The default run is small (100 examples per test). For a long run:

    TERMSLINT_FUZZ_EXAMPLES=20000 python -m pytest tests/test_fuzz.py -p no:randomly

Hypothesis keeps failing examples in `.hypothesis/` in the working folder
(gitignored), and replays them first on the next run.
"""
from __future__ import annotations

import json
import os
import random
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from termslint.align import build_changes
from termslint.annotate import Vocabulary, annotate_document
from termslint.errors import TermslintError
from termslint.engine import to_json
from termslint.evaluate import ClauseFingerprints, build_input, fingerprint, results_to_findings
from termslint.model import (
    ADDED,
    MODALITIES,
    MODIFIED,
    MOVED,
    REMOVED,
    SEVERITIES,
    UNCHANGED,
    Document,
    Evidence,
    Finding,
    RuleDoc,
    Span,
)
from termslint.parse import parse_document
from termslint.report import FORMATS, Summary, render

REPO = Path(__file__).resolve().parents[1]
POLICY_INPUT_SCHEMA = json.loads((REPO / "termslint/schemas/policy-input.schema.json").read_text(encoding="utf-8"))
FINDINGS_SCHEMA = json.loads((REPO / "termslint/schemas/findings.schema.json").read_text(encoding="utf-8"))
# Validators built once: jsonschema.validate() would rebuild one per example.
POLICY_INPUT_VALIDATOR = jsonschema.validators.validator_for(POLICY_INPUT_SCHEMA)(POLICY_INPUT_SCHEMA)
FINDINGS_VALIDATOR = jsonschema.validators.validator_for(FINDINGS_SCHEMA)(FINDINGS_SCHEMA)

# One profile for every test here, applied per test (not loaded globally, so
# the other test files keep their own settings). No deadline: a huge line is
# slow by design, and a slow example is not a failure.
EXAMPLES = int(os.environ.get("TERMSLINT_FUZZ_EXAMPLES", "100"))
settings.register_profile(
    "termslint-fuzz",
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
    print_blob=True,
)
FUZZ = settings.get_profile("termslint-fuzz")

VOCAB = Vocabulary.load()

# ---------------------------------------------------------------- the grammar

# Characters chosen to break assumptions: zero-width and bidi marks, a BOM in
# the middle of a line, NUL, C0/C1 controls, and what `str.splitlines()` calls
# a line break but Markdown does not (\v \f \x1c-\x1e \x85 \u2028 \u2029).
HOSTILE = (
    "\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
    "\x00\x01\x1b\x7f\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\t\u00a0\u3000"
    "\U0001f600\U0001f1fa\U0001f1f8\U00010000\U0010fffd\U0002a6d6\u0301\u0308\u4e2d\u6587\ud55c\u0627\u05d0"
    "*_`[]()<>&#|\\!~"
)
ANY_CHAR = st.characters(exclude_categories=["Cs"])  # decoded UTF-8 never holds a lone surrogate
NOISE = st.one_of(
    st.text(alphabet=HOSTILE, max_size=8),
    st.text(alphabet=ANY_CHAR, max_size=12),
)

ACTORS = ["Acme", "We", "we", "You", "Third parties", "Our partners", "the Customer", "Confera and its affiliates"]
MODALS = [
    "may use", "will not use", "shall not use", "may share", "grants us", "must delete", "may process",
    "may sell", "can turn off the use of", "reserves the right to use", "will never sell",
]
DATA = [
    "Customer Content", "your content", "usage data", "telemetry", "Service Generated Data",
    "personal data", "audio, video or chat content", "your files and recordings", "aggregated data",
]
PURPOSES = [
    "to train artificial intelligence models", "for any purpose", "for marketing", "to improve the Services",
    "for machine learning", "to provide the Services", "for advertising", "for the training and tuning of models",
]
CONDITIONS = [
    "", "without your consent", "unless you opt out", "with your consent", "in aggregated form",
    "as permitted by law", "; you may opt out in Settings", "and by continuing you consent",
]
LICENCE = (
    "You grant Acme a perpetual, irrevocable, worldwide, royalty-free, sublicensable and transferable "
    "licence to use, copy and modify"
)
REFS = [
    "as described in Section 10.3", "under Sections 4 and 5", "subject to clause 7(b)", "of this Section",
    "see [the licence](#10-customer-content)", "as set out in our Privacy Policy", "per Section 99.99",
    "in Article IV", "under § 2", "see [x](#)", "Section 1.1(a)(ii)", "Sections 3.1 to 3.4",
]
TITLES = [
    "Definitions", "Customer Content", "Licence", "Use of Data", "Termination", "Changes to these Terms",
    "Artificial Intelligence", "", "General", "RESERVED", "Privacy", "Effective date: 2023-08-07",
]
NUMBERS = [
    "1", "1.", "2", "10", "10.4", "10.4.1", "3.2.1.4.5.6", "27.", "0", "007", "999", "1.1.", "5(b)", "10.4(a)(iii)",
    "IV", "iv", "XIV", "(a)", "(b)", "(iv)", "(A)", "a.", "b)", "Section 3", "Article 12", "§ 4", "Clause 7",
    "1A", "12.3A", "1..2", "1.2.3.",
]
DEFINITIONS = [
    '"Customer Content" means the files and recordings you upload',
    "(the “Service”)",
    '**"Usage Data"** means telemetry about how you use the Services',
    "“Personal Data” has the meaning given in the GDPR",
    '"Customer Content" means something else entirely',  # defined twice
    '"" means nothing',
]
WAIVERS = [
    '<!-- termslint-disable TL101 reason="approved by legal" -->',
    "<!-- termslint-disable TL101 -->",
    "<!-- termslint-disable -->",
    "<!-- termslint-disable-file TL201 reason='whole file' -->",
    "<!-- termslint-disable-file -->",
    '<!-- termslint-disable TL101, TL201 reason="two" -->',
    '<!-- termslint-disable TL101 reason=" -->',
    "<!-- termslint-disable all reason=\"x\" -->",
    "<!-- termslint-disable TL101 reason=\"multi\nline\" -->",
    "<!-- termslint-disable",  # never closed
    "<!-- an ordinary comment -->",
    "<!--->",
]
FRONT_MATTER = [
    "title: Acme Terms\neffective_date: 2023-08-07\nversion: 2.1",
    "title: [unclosed",
    ": :",
    "- a list\n- not a mapping",
    "version: .nan\nratio: -.inf",  # floats JSON cannot carry
    "a: &x 1\nb: *x\nc: *missing",
    "title: x\ntitle: duplicate",
    "nested: {a: [1, 2, {b: c}]}\ndate: 2023-01-01T00:00:00Z",
    "!!python/object/apply:os.system ['true']",
    "\tbad: indent",
    "",
    "title: " + "x" * 500,
    "version: 1e999\nbig: 123456789012345678901234567890",
    "when: 2023-02-29",  # not a leap year
]
# Impossible dates: ruamel.yaml builds them itself and raised a bare ValueError
# (found by this file; the parser now turns it into an InputError).
IMPOSSIBLE_DATES = [
    "effective_date: 2023-13-45",
    "updated: 2023-01-01 25:00:00",
]
FRONT_MATTER += IMPOSSIBLE_DATES


@st.composite
def sentence(draw: st.DrawFn) -> str:
    """A clause sentence in the shape the annotator looks for, with refs and noise."""
    kind = draw(st.integers(0, 5))
    if kind == 0:
        text = f"{LICENCE} {draw(st.sampled_from(DATA))} {draw(st.sampled_from(PURPOSES))}."
    elif kind == 1:
        text = draw(st.sampled_from(DEFINITIONS)) + "."
    else:
        text = " ".join(p for p in (
            draw(st.sampled_from(ACTORS)), draw(st.sampled_from(MODALS)), draw(st.sampled_from(DATA)),
            draw(st.sampled_from(PURPOSES)), draw(st.sampled_from(CONDITIONS))) if p) + "."
    if draw(st.booleans()):
        text = text[:-1] + " " + draw(st.sampled_from(REFS)) + "."
    if draw(st.integers(0, 3)) == 0:
        at = draw(st.integers(0, len(text)))
        text = text[:at] + draw(NOISE) + text[at:]
    return text


@st.composite
def inline(draw: st.DrawFn) -> str:
    """A line of paragraph text: sentences, emphasis (balanced or not), noise."""
    parts = draw(st.lists(st.one_of(sentence(), NOISE), min_size=1, max_size=3))
    text = " ".join(parts)
    wrap = draw(st.sampled_from(["", "**", "*", "_", "__", "`", "***", "**_"]))
    if wrap:
        text = wrap + text + (wrap[::-1] if draw(st.booleans()) else "")  # unbalanced half the time
    return text


def label(draw: st.DrawFn) -> str:
    return draw(st.sampled_from(NUMBERS))


@st.composite
def heading(draw: st.DrawFn) -> list[str]:
    number, title = label(draw), draw(st.sampled_from(TITLES))
    if draw(st.integers(0, 5)) == 0:  # setext
        return [f"{number} {title}".strip() or "x", draw(st.sampled_from(["===", "---", "="]))]
    hashes = "#" * draw(st.integers(1, 7))  # 7: not a heading at all
    return [f"{hashes} {draw(st.sampled_from(['', number + ' ', '**' + number + '** ']))}{title}".rstrip()]


@st.composite
def run_in(draw: st.DrawFn) -> list[str]:
    number, title, body = label(draw), draw(st.sampled_from(TITLES)), draw(inline())
    form = draw(st.integers(0, 4))
    if form == 0:
        return [f"**{number} {title}.** {body}"]
    if form == 1:
        return [f"**{number}** {body}"]
    if form == 2:
        return [f"{number} {title}. {body}"]
    if form == 3:
        return [f"**{number} {title}**", body]  # run-in on its own line
    return [f"{number}. **{title.upper()}**", "", f"**{number}.1 {title}.** {body}"]  # list number vs written number


def marker(style: str, i: int) -> str:
    roman = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
    if style == "num":
        return f"{i + 1}."
    if style == "paren":
        return f"{i + 1})"
    if style == "letter":
        return f"({chr(ord('a') + i % 26)})"
    if style == "letter-dot":
        return f"{chr(ord('a') + i % 26)}."
    if style == "roman":
        return f"({roman[i % len(roman)]})"
    if style == "roman-dot":
        return f"{roman[i % len(roman)]}."
    return "-*+"[i % 3]


LIST_STYLES = ["num", "paren", "letter", "letter-dot", "roman", "roman-dot", "bullet"]


@st.composite
def nested_list(draw: st.DrawFn, depth: int = 0) -> list[str]:
    style = draw(st.sampled_from(LIST_STYLES))
    indent = " " * (depth * draw(st.sampled_from([2, 3, 4])))
    lines: list[str] = []
    for i in range(draw(st.integers(1, 4))):
        lines.append(f"{indent}{marker(style, i)} {draw(inline())}")
        if depth < 3 and draw(st.integers(0, 3)) == 0:
            lines.extend(draw(nested_list(depth + 1)))
    return lines


@st.composite
def deep_nesting(draw: st.DrawFn) -> list[str]:
    """Hundreds of levels: markdown-it caps nesting, and nothing after it may recurse."""
    depth = draw(st.integers(20, 400))
    kind = draw(st.integers(0, 3))
    if kind == 0:
        return ["  " * i + "- level" for i in range(depth)]
    if kind == 1:
        return [">" * depth + " " + draw(inline())]
    if kind == 2:
        return ["> " * i + f"{i + 1}. item" for i in range(depth)]
    return ["".join(draw(st.sampled_from(["> ", "- ", "1. ", "(a) "])) for _ in range(depth)) + "deep"]


@st.composite
def huge_line(draw: st.DrawFn) -> list[str]:
    unit = draw(st.one_of(sentence(), st.sampled_from(["a", "*", "**a ", "Section 1 ", "[", "_x", " "])))
    return [draw(st.sampled_from(["", "**10.4 Data.** ", "1. ", "> "])) + unit * draw(st.integers(200, 3000))]


@st.composite
def many_items(draw: st.DrawFn) -> list[str]:
    count = draw(st.integers(500, 2500))
    style = draw(st.sampled_from(["num", "letter", "bullet", "dotted"]))
    if style == "dotted":
        return [f"**{i // 50 + 1}.{i % 50 + 1}** Item {i} applies as described in Section {i % 97 + 1}."
                for i in range(count)]
    return [f"{marker(style, i)} Item {i}." for i in range(count)]


@st.composite
def table(draw: st.DrawFn) -> list[str]:
    cols = draw(st.integers(1, 4))
    rows = [" | ".join(draw(inline()).replace("\n", " ") for _ in range(cols)) for _ in range(draw(st.integers(0, 3)))]
    head = " | ".join(draw(st.sampled_from(TITLES)) or "x" for _ in range(cols))
    sep = " | ".join("---" for _ in range(draw(st.integers(1, cols + 1))))  # mismatched on purpose
    return [f"| {head} |", f"| {sep} |", *(f"| {r} |" for r in rows)]


@st.composite
def code_block(draw: st.DrawFn) -> list[str]:
    fence = draw(st.sampled_from(["```", "~~~", "````"]))
    body = [draw(inline()) for _ in range(draw(st.integers(0, 3)))]
    return [fence, *body] + ([fence] if draw(st.booleans()) else [])  # sometimes never closed


@st.composite
def misc(draw: st.DrawFn) -> list[str]:
    return [draw(st.sampled_from([
        "Effective date: 2023-08-07", "Last updated: 31 February 2023", "Last updated:", "***", "---", "- - -",
        "[1]: https://example.com/terms", "<div>", "</div>", "<details><summary>x</summary>", "\\", "&#0;",
        "&#x110000;", "[ref]", "![img](x.png)", "    indented code", "|", "| --- |",
    ]))]


BLOCK = st.one_of(
    heading(), run_in(), nested_list(), table(), code_block(), misc(),
    st.builds(lambda s: [s], inline()),
    st.builds(lambda s: [s], st.sampled_from(WAIVERS)),
    st.builds(lambda s: [s], st.sampled_from(DEFINITIONS)),
)
BIG_BLOCK = st.one_of(deep_nesting(), huge_line(), many_items())


@st.composite
def blocks(draw: st.DrawFn, max_blocks: int = 12) -> list[list[str]]:
    out = draw(st.lists(BLOCK, max_size=max_blocks))
    if draw(st.integers(0, 3)) == 0:  # one expensive block in a quarter of the documents
        out.insert(draw(st.integers(0, len(out))), draw(BIG_BLOCK))
    return out


@st.composite
def layouts(draw: st.DrawFn) -> tuple[list[str], int, str, str]:
    """How blocks become a file: front matter lines, a seed for gaps and line endings, endings, tail."""
    fm = draw(st.integers(0, 4))
    head: list[str] = []
    if fm == 0:
        head = ["---", *draw(st.sampled_from(FRONT_MATTER)).split("\n"), "---"]
    elif fm == 1:
        head = ["---", *draw(st.sampled_from(FRONT_MATTER)).split("\n")]  # never closed
    mode = draw(st.sampled_from(["\n", "\r\n", "\r", "mixed"]))
    return head, draw(st.integers(0, 2**32 - 1)), mode, draw(st.sampled_from(["", "\n", "\r\n", "\n\n", "\r"]))


def join(parts: list[list[str]], layout: tuple[list[str], int, str, str]) -> str:
    """Blocks to text: front matter, a blank line between blocks or not, mixed line endings."""
    head, seed, mode, tail = layout
    rnd = random.Random(seed)  # a seeded Random: hypothesis still shrinks and replays the example
    lines = list(head)
    for block in parts:
        lines.extend(block)
        if rnd.randrange(5):  # usually a blank line between blocks, not always
            lines.append("")
    if mode != "mixed":
        return mode.join(lines) + tail
    return "".join(line + rnd.choice(("\n", "\r\n", "\r")) for line in lines) + tail


@st.composite
def documents(draw: st.DrawFn) -> str:
    return join(draw(blocks()), draw(layouts()))


# ---------------------------------------------------------------- invariants


def span_problem(span: Span, doc: Document, what: str) -> str | None:
    """Why `span` does not lie inside `doc`, or None."""
    if not 1 <= span.start_line <= span.end_line <= doc.line_count:
        return f"{what}: lines {span.start_line}..{span.end_line} outside 1..{doc.line_count}"
    if (span.start_col is None) != (span.end_col is None):
        return f"{what}: only one of start_col/end_col set: {span}"
    if span.start_col is not None and span.end_col is not None:
        if span.start_col < 1 or span.end_col < 1:
            return f"{what}: column below 1: {span}"
        if span.start_line == span.end_line and span.start_col > span.end_col:
            return f"{what}: start_col after end_col: {span}"
        # end_col is inclusive: at most the line's length (+1 for a span that ends at the line break).
        last = doc.lines[span.end_line - 1] if span.end_line <= len(doc.lines) else ""
        if span.end_col > len(last) + 1:
            return f"{what}: end_col {span.end_col} past line {span.end_line} of {len(last)} characters"
        first = doc.lines[span.start_line - 1] if span.start_line <= len(doc.lines) else ""
        if span.start_col > len(first) + 1:
            return f"{what}: start_col {span.start_col} past line {span.start_line} of {len(first)} characters"
    return None


def all_spans(doc: Document) -> Iterable[tuple[str, Span]]:
    for c in doc.clauses:
        yield f"clause {c.id}", c.span
        for r in c.refs:
            yield f"clause {c.id} ref {r.text!r}", r.span
        for s in c.suppressions:
            yield f"clause {c.id} waiver", s.span
        for i, fact in enumerate(c.facts):
            if fact.span is not None:
                yield f"clause {c.id} fact {i}", fact.span
            for e in fact.evidence:
                yield f"clause {c.id} fact {i} evidence {e.concept}", e.span
    for term, d in doc.definitions.items():
        yield f"definition {term!r}", d.span
    for s in doc.suppressions:
        yield "file waiver", s.span


def check_structure(doc: Document) -> None:
    assert doc.line_count >= 1
    assert len(doc.lines) <= doc.line_count
    ids = [c.id for c in doc.clauses]
    dupes = [i for i, n in Counter(ids).items() if n > 1]
    assert not dupes, f"duplicate clause ids: {dupes[:5]}"
    position = {c.id: i for i, c in enumerate(doc.clauses)}
    for i, c in enumerate(doc.clauses):
        assert c.id, f"clause {i} has an empty id"
        assert c.path and c.path[-1] == c.id, (c.id, c.path)
        assert c.level == len(c.path), (c.id, c.level, c.path)
        if c.parent is None:
            assert c.path == [c.id], (c.id, c.path)
        else:
            assert c.parent in position, f"{c.id}: parent {c.parent} is not a clause"
            assert position[c.parent] < i, f"{c.id}: parent {c.parent} comes after it"
            assert c.path[:-1] == doc.clauses[position[c.parent]].path, (c.id, c.path)
    for term, d in doc.definitions.items():
        assert d.clause in position, f"definition {term!r} in unknown clause {d.clause}"
    problems = [p for what, span in all_spans(doc) if (p := span_problem(span, doc, what))]
    assert not problems, "\n".join(problems[:10])


def check_facts(doc: Document) -> None:
    for c in doc.clauses:
        assert c.tags == sorted(set(c.tags)), (c.id, c.tags)
        for fact in c.facts:
            assert fact.modality in MODALITIES, fact.modality
            assert fact.actor in ("company", "user", "third_party"), fact.actor


def _no_constants(name: str) -> None:
    raise AssertionError(f"{name} in JSON: no engine or JSON reader accepts it")


def parse_or_input_error(text: str, path: str = "legal/fuzz.md") -> Document | None:
    """The parser's contract: a Document, or a TermslintError (caught here: it is allowed)."""
    try:
        return parse_document(text, path)
    except TermslintError:
        return None


# ---------------------------------------------------------------- parser and annotator


@FUZZ
@given(documents())
def test_parse_and_annotate_any_document(text: str) -> None:
    doc = parse_or_input_error(text)
    if doc is None:
        return
    check_structure(doc)
    annotate_document(doc, VOCAB)  # a parsed document always annotates: nothing to catch
    check_structure(doc)  # the annotator adds spans (facts, evidence): they must lie inside too
    check_facts(doc)
    # What an engine is given: strict JSON (to_json), valid against the published schema.
    policy_input = json.loads(to_json(build_input(doc)), parse_constant=_no_constants)
    POLICY_INPUT_VALIDATOR.validate(policy_input)


@FUZZ
@given(st.text(alphabet=ANY_CHAR, max_size=400) | st.text(alphabet=HOSTILE + "\n\r #-1.()", max_size=400))
def test_parse_and_annotate_arbitrary_text(text: str) -> None:
    doc = parse_or_input_error(text)
    if doc is None:
        return
    check_structure(doc)
    annotate_document(doc, VOCAB)
    check_structure(doc)
    check_facts(doc)


@pytest.mark.parametrize("front_matter", [*IMPOSSIBLE_DATES, "when: 2023-02-29"])
def test_impossible_front_matter_dates(front_matter: str) -> None:
    text = f"---\n{front_matter}\n---\n# Terms\n\n**1.1 Use.** We may use usage data.\n"
    # An impossible date is a string value or an InputError naming the line, never a ValueError.
    parse_or_input_error(text)


# ---------------------------------------------------------------- aligner


def load(text: str, path: str = "legal/terms.md") -> Document | None:
    doc = parse_or_input_error(text, path)
    if doc is not None:
        annotate_document(doc, VOCAB)
    return doc


@st.composite
def versions(draw: st.DrawFn) -> tuple[str, str]:
    """A base document and a head made from it by inserting, deleting, moving and editing blocks."""
    base = draw(blocks(max_blocks=10))
    head = [list(b) for b in base]
    for op in draw(st.lists(st.sampled_from(["insert", "delete", "move", "edit", "renumber"]), max_size=5)):
        k = draw(st.integers(0, max(0, len(head) - 1)))
        if op == "insert":
            head.insert(k, draw(BLOCK))
        elif head and op == "delete":
            head.pop(k)
        elif head and op == "move":
            head.insert(draw(st.integers(0, len(head) - 1)), head.pop(k))
        elif head and op == "edit":
            head[k] = [line + " " + draw(sentence()) if line else line for line in head[k]]
        elif head and op == "renumber":
            head[k] = [re.sub(r"\d+", lambda m: str(int(m.group()) + 1), line) for line in head[k]]
    # The same front matter and line endings on both sides half the time, so
    # that many pairs differ only by the edits, as in a real pull request.
    layout = draw(layouts())
    return join(base, layout), join(head, layout if draw(st.booleans()) else draw(layouts()))


def check_changes(base: Document | None, head: Document, changes: Any) -> None:
    statuses = Counter(c.status for c in changes.clauses)
    assert set(statuses) <= {ADDED, REMOVED, MODIFIED, MOVED, UNCHANGED}, statuses
    head_ids = Counter(c.head_id for c in changes.clauses if c.head_id is not None)
    base_ids = Counter(c.base_id for c in changes.clauses if c.base_id is not None)
    # Every clause on each side is accounted for exactly once.
    assert head_ids == Counter(c.id for c in head.clauses), "head clauses not each aligned once"
    assert base_ids == Counter(c.id for c in (base.clauses if base else [])), "base clauses not each aligned once"
    for ch in changes.clauses:
        assert 0.0 <= ch.similarity <= 1.0, ch.similarity
        assert (ch.base_id is None) == (ch.status == ADDED), ch
        assert (ch.head_id is None) == (ch.status == REMOVED), ch
    json.dumps(changes.as_dict(), default=str)


@FUZZ
@given(versions())
def test_align_any_pair_of_versions(pair: tuple[str, str]) -> None:
    base_text, head_text = pair
    base, head = load(base_text), load(head_text)
    assume(head is not None)
    assert head is not None
    changes = build_changes(base, head, "HEAD")
    check_changes(base, head, changes)
    if base is None:
        return
    # A document aligned with itself is unchanged, clause for clause.
    again = load(base_text)
    assert again is not None
    same = build_changes(base, again, "HEAD")
    check_changes(base, again, same)
    assert {c.status for c in same.clauses} <= {UNCHANGED}, [
        (c.status, c.base_id, c.head_id) for c in same.clauses if c.status != UNCHANGED][:5]
    assert not any(c.facts_added or c.facts_removed for c in same.clauses)


# ---------------------------------------------------------------- reporters

SAFE_TEXT = st.text(alphabet=ANY_CHAR, max_size=40)
CODES = st.one_of(st.sampled_from(["TL101", "TL201", "TL301", "TL403", "TL406", "ACME101"]),
                  st.from_regex(r"[A-Z]{2,5}[0-9]{1,4}", fullmatch=True))
PATHS = st.one_of(
    st.sampled_from(["legal/terms.md", "legal/privacy policy.md", "./a.md", "/abs/terms.md", "C:\\x\\t.md",
                     "ünïcödé/条款.md", "a:b.md", "%20.md", "dir/../x.md", "-", "with,comma.md", "new\nline.md"]),
    SAFE_TEXT.filter(bool),
)


@st.composite
def spans(draw: st.DrawFn, hostile: bool) -> Span:
    # Findings about a whole document carry line 0; reporters must still emit valid locations.
    start = draw(st.integers(0, 120))
    end = start + draw(st.integers(0, 8)) if draw(st.integers(0, 5)) else draw(st.integers(0, 120))
    if not hostile:
        end = max(start, end)
    if draw(st.booleans()):
        return Span(start, end)
    lowest = 0 if hostile else 1  # outside the model's contract, columns below 1 too
    a, b = draw(st.integers(lowest, 200)), draw(st.integers(lowest, 200))
    return Span(start, end, a, b)


@st.composite
def finding_lists(draw: st.DrawFn) -> tuple[list[Finding], bool]:
    """Findings, and whether they keep the model's contract (else: hostile values a reporter must survive)."""
    hostile = draw(st.booleans())
    severities = [*SEVERITIES, "fatal", ""] if hostile else list(SEVERITIES)
    codes = CODES | SAFE_TEXT if hostile else CODES
    out = []
    for _ in range(draw(st.integers(0, 70))):  # past GitHub's 50 annotations per job
        waived = draw(st.integers(0, 4)) == 0
        out.append(Finding(
            code=draw(codes), name=draw(st.sampled_from(["ai-training-without-opt-out", "", "x"]) | SAFE_TEXT),
            severity=draw(st.sampled_from(severities)),
            message=draw(SAFE_TEXT | st.text(alphabet=HOSTILE + "\n\r%:,", max_size=30)),
            path=draw(PATHS), clause=draw(st.none() | st.sampled_from(["10.4", "5(b)", "preamble"]) | SAFE_TEXT),
            span=draw(spans(hostile)),
            evidence=[Evidence(draw(st.sampled_from(["purpose:ai_training", "data:customer_content"])),
                               draw(SAFE_TEXT), draw(spans(hostile))) for _ in range(draw(st.integers(0, 3)))],
            status=draw(st.sampled_from(["new", "existing"])), waived=waived,
            waiver_reason=draw(st.none() | SAFE_TEXT) if waived else None,
            fingerprint=draw(st.sampled_from(["", "abc"]) | st.text("0123456789abcdef", min_size=8, max_size=8)),
            changed=draw(st.booleans()),
        ))
    return out, not hostile


RULE_DOCS = {
    "TL101": RuleDoc("TL101", "ai-training-without-opt-out", "AI training without an opt-out", "Fuzz rule.",
                     "error", "Why ```it``` matters <b>&", "Add an opt-out.\nSecond line.", "```\nexample\n```"),
    "TL201": RuleDoc("TL201", "perpetual-content-license", "", "", "warning", "", "", ""),
}


@st.composite
def sources_for(draw: st.DrawFn, findings: Sequence[Finding]) -> dict[str, list[str]]:
    """Source lines for some of the paths: sometimes shorter than the spans that point into them."""
    out: dict[str, list[str]] = {}
    for path in sorted({f.path for f in findings}):
        if draw(st.booleans()):
            out[path] = draw(st.lists(st.text(alphabet=ANY_CHAR, max_size=60) | st.text(HOSTILE, max_size=20),
                                      max_size=40))
    return out


def check_sarif(log: dict[str, Any]) -> None:
    for run in log["runs"]:
        rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
        assert len(rule_ids) == len(set(rule_ids))
        for result in run["results"]:
            assert rule_ids[result["ruleIndex"]] == result["ruleId"]
            locations = [loc["physicalLocation"] for loc in result["locations"]]
            locations += [loc["physicalLocation"] for loc in result.get("relatedLocations", [])]
            for loc in locations:
                region = loc["region"]
                assert region["startLine"] >= 1 and region["endLine"] >= region["startLine"], region
                if "startColumn" in region:
                    assert region["startColumn"] >= 1 and region["endColumn"] >= 1, region
                    if region["endLine"] == region["startLine"]:
                        assert region["endColumn"] >= region["startColumn"], region
                assert isinstance(loc["artifactLocation"]["uri"], str), loc


def check_output(fmt: str, out: str, findings: Sequence[Finding], valid: bool = True) -> None:
    assert isinstance(out, str)
    assert out.endswith("\n") or (fmt == "github" and out == "")  # no annotations: no output at all
    if fmt == "json":
        data = json.loads(out)
        if valid:  # the schema describes findings that keep the model's contract
            FINDINGS_VALIDATOR.validate(data)
        assert len(data["findings"]) == len(findings)
        keys = [(f["path"], f["span"]["start_line"], f["code"]) for f in data["findings"]]
        assert keys == sorted(keys), "JSON findings not sorted by path, line, code"
    elif fmt == "sarif":
        log = json.loads(out)
        check_sarif(log)
        assert len(log["runs"][0]["results"]) == len(findings)
    elif fmt == "junit":
        root = ET.fromstring(out.encode("utf-8"))
        assert root.tag == "testsuites"
    elif fmt == "github":
        # One workflow command per line (the runner splits on \n and \r only): a
        # message's line breaks must be escaped, and GitHub's 50 per job respected.
        lines = re.split(r"\r\n|\r|\n", out.removesuffix("\n")) if out else []
        for line in lines:
            assert re.match(r"::(error|warning|notice)( [^:]*)?::", line), line
        assert len(lines) <= 50
    elif fmt == "text":
        assert "\x1b" not in out  # colour off: no escape sequence from a message or a source line


@FUZZ
@given(st.data())
def test_every_reporter_on_any_findings(data: st.DataObject) -> None:
    findings, valid = data.draw(finding_lists())
    sources = data.draw(sources_for(findings))
    paths = data.draw(st.lists(PATHS, max_size=3))
    summary = Summary.of(findings, files=data.draw(st.integers(0, 5)), clauses=data.draw(st.integers(0, 500)),
                         paths=[*paths, *(f.path for f in findings)],
                         failed=data.draw(st.none() | st.booleans()))
    account = data.draw(st.none() | SAFE_TEXT | st.just("10.4 Licence: modified\n  + ai_training"))
    shuffled = list(findings)
    random.Random(data.draw(st.integers(0, 2**32 - 1))).shuffle(shuffled)
    for fmt in FORMATS:
        out = render(fmt, findings, RULE_DOCS, summary, sources=sources, change_account=account,
                     tool_version="x")
        check_output(fmt, out, findings, valid)
        # Deterministic: the same bytes again, and whatever order the findings came in.
        assert render(fmt, findings, RULE_DOCS, summary, sources=sources, change_account=account,
                      tool_version="x") == out
        assert render(fmt, shuffled, RULE_DOCS, summary, sources=sources, change_account=account,
                      tool_version="x") == out, f"{fmt}: output depends on the order of the findings"


# ---------------------------------------------------------------- fingerprints

# Pieces that exercise every step of the fingerprint's normalisation: legal
# numbers and reference words, casing that changes length or depends on
# context (İ, final sigma), and whitespace of every kind, the separator included.
FINGERPRINT_PIECES = st.sampled_from([
    "section", "Sections", "clause", "Article", "paragraph", "§", "10.4", "5(b)", "(a)", "(iv)", "a.", "7", "12.",
    "we", "may", "use", "Customer Content", "ΑΣ", "Σ", "İ", " ", "  ", "\t", "\n", "\x1f", "\u2028", "\xa0",
    ".", ":", ")", "-", "#",
])
FINGERPRINT_TEXT = st.lists(FINGERPRINT_PIECES, max_size=14).map("".join) | st.text(alphabet=ANY_CHAR, max_size=30)


@FUZZ
@given(FINGERPRINT_TEXT, st.lists(st.lists(FINGERPRINT_TEXT, max_size=3), min_size=1, max_size=4))
def test_clause_fingerprints_equal_the_definition(text: str, evidence_lists: list[list[str]]) -> None:
    """The per-clause shortcut gives exactly `fingerprint()`: baselines store these values."""
    prints = ClauseFingerprints("legal/terms.md")
    for evidence in evidence_lists:  # the same clause again and again, as a rule flags each of its refs
        content = text + ("\x1f" + "\x1f".join(sorted(evidence)) if evidence else "")
        assert prints.of("TL403", "10.4", text, evidence) == fingerprint("TL403", "legal/terms.md", content)


def _finding(**changes: Any) -> Finding:
    base = dict(code="TL101", name="ai-training-without-opt-out", severity="error", message="m",
                path="legal/terms.md", clause="10.4", span=Span(3, 3))
    return Finding(**{**base, **changes})


def render_all(findings: list[Finding]) -> dict[str, str]:
    summary = Summary.of(findings, files=1, clauses=1)
    return {fmt: render(fmt, findings, RULE_DOCS, summary, tool_version="x") for fmt in FORMATS}


def test_reporter_regressions_found_by_fuzzing() -> None:
    # A relative path with a colon is a legal POSIX file name; SARIF crashed on it (as_uri of "a:").
    sarif = json.loads(render_all([_finding(path="a:b.md")])["sarif"])
    location = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "a%3Ab.md", "uriBaseId": "%SRCROOT%"}
    # A rule code from a user policy reaches the terminal: no escape sequence may pass through.
    assert "\x1b" not in render_all([_finding(code="ACME\x1b[2J1")])["text"]
    # Findings that tie on path, line, code and message print the same in any input order.
    a, b = _finding(waived=True, waiver_reason="ok"), _finding(severity="warning", status="existing")
    assert render_all([a, b]) == render_all([b, a])
    # A finding with no clause and one whose clause is "" once tied in the sort (found by the long run).
    a, b = _finding(clause=None), _finding(clause="")
    assert render_all([a, b]) == render_all([b, a])


# ---------------------------------------------------------------- evaluation, end to end in process


_ENGINE: dict[str, Any] = {}


def embedded_engine() -> tuple[Any, dict[str, RuleDoc]]:
    """The built-in policies on the embedded engine, loaded once for all examples."""
    if not _ENGINE:
        from termslint.engine import make_engine
        from termslint.policies import load_policy_set

        policies = load_policy_set([])
        engine = make_engine("embedded")
        engine.load(policies)
        engine.set_data({"documents": {}, "config": {}})
        _ENGINE.update(engine=engine, rules=policies.rules)
    return _ENGINE["engine"], _ENGINE["rules"]


@FUZZ
@given(versions())
def test_findings_from_any_document_lie_inside_it(pair: tuple[str, str]) -> None:
    base_text, head_text = pair
    base, head = load(base_text), load(head_text)
    assume(head is not None)
    assert head is not None
    engine, rules = embedded_engine()
    changes = build_changes(base, head, "HEAD")
    doc_input = build_input(head, changes)
    # No TermslintError allowed here: a document that parses must evaluate (a NaN
    # from front matter once made the engine refuse the input).
    findings = results_to_findings(engine.evaluate(doc_input), doc_input, rules)
    clause_ids = {c.id for c in head.clauses}
    for f in findings:
        assert f.code and f.severity in SEVERITIES, f
        assert f.clause is None or f.clause in clause_ids, f"{f.code}: unknown clause {f.clause}"
        # A finding about the whole document may sit on line 0; anything else lies inside.
        if f.span.start_line != 0:
            assert (p := span_problem(f.span, head, f.code)) is None, p
        for e in f.evidence:
            assert (p := span_problem(e.span, head, f"{f.code} evidence")) is None, p
    summary = Summary.of(findings, files=1, clauses=len(head.clauses), paths=[head.path])
    sources = {head.path: head.lines}
    for fmt in FORMATS:
        out = render(fmt, findings, rules, summary, sources=sources, tool_version="x")
        check_output(fmt, out, findings)
