"""Plain-language explanations."""
from __future__ import annotations

import pytest

from termslint.annotate import Vocabulary, annotate_document
from termslint.errors import TermslintError
from termslint.explain import describe_fact, explain_changes, explain_clause
from termslint.model import Changes, Clause, ClauseChange, Definition, Document, Span


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


def doc_of(texts: dict[str, str], vocab: Vocabulary, defs: dict[str, str] | None = None) -> Document:
    clauses, lines = [], []
    for cid, text in texts.items():
        n = len(lines) + 1
        clauses.append(Clause(id=cid, number=cid, title=f"Title {cid}", level=1, parent=None, path=[cid],
                              text=text, span=Span(n, n), line_starts=[(0, n, 1)],
                              uses=[t for t in (defs or {}) if t in text]))
        lines.append(text)
    definitions = {t: Definition(t, "1.1", Span(1, 1), text=f'"{t}" means {d}') for t, d in (defs or {}).items()}
    doc = Document("terms.md", "Terms", {"effective_date": "2023-03-01"}, clauses, definitions, len(lines), lines=lines)
    annotate_document(doc, vocab)
    return doc


def test_describe_grant(vocab: Vocabulary) -> None:
    doc = doc_of({"10.4": "You grant us a perpetual, worldwide, sublicensable licence to use Customer Content "
                          "for machine learning and artificial intelligence."}, vocab)
    text = describe_fact(doc.clauses[0].facts[0])
    assert text == ("grants the company a perpetual, worldwide, sublicensable licence over customer content, "
                    "for purposes including AI training; no opt-out in this sentence")


def test_describe_grant_of_an_irrevocable_licence(vocab: Vocabulary) -> None:
    doc = doc_of({"10.4": "You grant us an irrevocable, sublicensable licence to use Customer Content."}, vocab)
    assert describe_fact(doc.clauses[0].facts[0]).startswith(
        "grants the company an irrevocable, sublicensable licence over customer content")


def test_describe_prohibition_and_opt_out(vocab: Vocabulary) -> None:
    doc = doc_of({"1": "We will not use audio, video or chat Customer Content to train AI without your consent.",
                  "2": "You can turn off use of your content for model training in Settings."}, vocab)
    assert describe_fact(doc.clauses[0].facts[0]) == (
        "the company may not use the audio, video and chat part of customer content (only that part) "
        "for AI training unless the user consents")
    assert describe_fact(doc.clauses[1].facts[0]).startswith("lets the user opt out of the use of customer content")


def test_describe_training_named_as_part_of_a_wider_purpose(vocab: Vocabulary) -> None:
    doc = doc_of({"4.2": "Our systems may analyze your Content using techniques such as machine learning "
                         "in order to improve our Services."}, vocab)
    assert describe_fact(doc.clauses[0].facts[0]) == (
        "permits the company to use customer content for purposes including AI training, analytics and "
        "product improvement "
        "(AI training as part of analytics); no opt-out in this sentence")


def test_explain_clause_marks_evidence_and_terms(vocab: Vocabulary) -> None:
    doc = doc_of({"1.1": "Customer Content means content you upload.",
                  "10.3": "We may use Customer Content for any purpose."}, vocab,
                 {"Customer Content": "any content you upload to the Services."})
    out = explain_clause(doc, "10.3")
    assert out.splitlines()[0] == "10.3 Title 10.3"
    assert "[[Customer Content]]{data:customer_content}" in out
    assert "[[for any purpose]]{purpose:any_purpose}" in out
    assert "permits the company to use customer content for purposes including any purpose" in out
    assert "Customer Content [customer content]" in out
    assert "\x1b[4m" in explain_clause(doc, "10.3", color=True)


def test_unknown_clause_lists_nearby_ids(vocab: Vocabulary) -> None:
    doc = doc_of({"10.3": "Text.", "10.4": "More."}, vocab)
    with pytest.raises(TermslintError, match=r"no clause '10\.5'.*10\.[34]"):
        explain_clause(doc, "10.5")


def test_explain_changes(vocab: Vocabulary) -> None:
    base = doc_of({"10.3": "You grant us a worldwide licence to use Customer Content to provide the Services."}, vocab)
    head = doc_of({"10.4": "You grant us a perpetual, worldwide, sublicensable licence to use Customer Content "
                           "to provide the Services and for artificial intelligence."}, vocab)
    ch = ClauseChange("modified", "10.3", "10.4", 0.8, facts_added=head.clauses[0].facts,
                      facts_removed=base.clauses[0].facts)
    changes = Changes("HEAD~1", {"effective_date": "2023-03-01"}, {"effective_date": "2023-03-01"}, [ch])
    out = explain_changes(changes, base, head)
    assert "The effective date did not change (2023-03-01)." in out
    assert ("10.4 (was 10.3): the licence over customer content is now perpetual and sublicensable; "
            "now covers AI training") in out
    empty = Changes("HEAD~1", {}, {}, [ClauseChange("unchanged", "1", "1", 1.0)])
    assert explain_changes(empty, base, head).startswith("No change")
