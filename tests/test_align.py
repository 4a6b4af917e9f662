"""Clause alignment between a base and a head version, on Documents built here."""
from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termslint.align import MAX_DIFF_CHARS, align_clauses, build_changes
from termslint.model import Clause, ClauseChange, Document, Fact, Span


# ---------------------------------------------------------------- a small document builder

@dataclass
class Sec:
    """A section as a test writes it: numbers are assigned by position, like a renumbering editor."""

    title: str | None
    text: str
    subs: list[str] = field(default_factory=list)  # sub-clause texts, numbered N.1, N.2, ...
    facts: list[Fact] = field(default_factory=list)


def clause(cid: str, text: str, title: str | None = None, line: int = 1,
           facts: list[Fact] | None = None, parent: str | None = None) -> Clause:
    return Clause(id=cid, number=cid if cid[:1].isdigit() else None, title=title,
                  level=1 if parent is None else 2, parent=parent,
                  path=[parent, cid] if parent else [cid], text=text,
                  span=Span(line, line), facts=list(facts or []))


def document(clauses: list[Clause], path: str = "terms.md") -> Document:
    for n, c in enumerate(clauses, start=1):
        c.span = Span(n * 2, n * 2)
    return Document(path=path, title="Terms", metadata={}, clauses=clauses, definitions={},
                    line_count=len(clauses) * 2)


def numbered(secs: list[Sec]) -> Document:
    """Sections numbered 1..N and sub-clauses N.1...; "{ref:K}" in a text becomes section K's number.

    K is the index of a section in `secs` identity order, via the `key` map,
    so that a reference follows its target when sections are renumbered.
    """
    out: list[Clause] = []
    for n, s in enumerate(secs, start=1):
        out.append(clause(str(n), s.text, s.title, facts=s.facts))
        for k, sub in enumerate(s.subs, start=1):
            out.append(clause(f"{n}.{k}", sub, parent=str(n)))
    return document(out)


WORDS = ("customer content service data provider licence personal information agreement party "
         "notice consent purpose access security processing subprocessor termination liability "
         "fees payment account law court dispute warranty indemnity confidential obligation rights "
         "we you may must shall not will any all such the of to for and or with under in on by").split()


def sentence(rng: random.Random, n: int = 12) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize() + "."


def sample_secs(n: int, seed: int = 1) -> list[Sec]:
    rng = random.Random(seed)
    return [Sec(f"Heading {rng.choice(WORDS)} {i}", " ".join(sentence(rng) for _ in range(3)),
                [" ".join(sentence(rng) for _ in range(2)) for _ in range(rng.randrange(3))])
            for i in range(n)]


def by_status(changes: list[ClauseChange]) -> Counter[str]:
    return Counter(c.status for c in changes)


def pairs(changes: list[ClauseChange]) -> dict[str | None, str | None]:
    return {c.head_id: c.base_id for c in changes if c.head_id is not None}


def ai_fact(purpose: str = "ai_training") -> Fact:
    return Fact(modality="permission", actor="company", data=["customer_content"], purposes=[purpose])


# ---------------------------------------------------------------- the cases

def test_identical_document_is_all_unchanged() -> None:
    doc = numbered(sample_secs(20))
    changes = align_clauses(doc, numbered(sample_secs(20)))
    assert by_status(changes) == {"unchanged": len(doc.clauses)}
    assert all(c.similarity == 1.0 and c.text_diff == "" and c.base_id == c.head_id for c in changes)


def test_section_inserted_near_the_top_renumbers_nothing_into_modified() -> None:
    secs = sample_secs(15)
    # Cross-references that the editor renumbers along with the sections.
    secs[3].text += " Subject to Section 9, and Sections 11 and 12."
    base = numbered(secs)
    head_secs = list(secs)
    head_secs.insert(1, Sec("Artificial intelligence", "We may use customer content to train models."))
    head_secs[4] = Sec(secs[3].title, secs[3].text.replace("Section 9, and Sections 11 and 12",
                                                           "Section 10, and Sections 12 and 13"),
                       secs[3].subs)
    head = numbered(head_secs)
    changes = align_clauses(base, head)
    counts = by_status(changes)
    assert counts["added"] == 1 and counts["modified"] == 0 and counts["removed"] == 0
    assert counts["moved"] + counts["unchanged"] == len(base.clauses)
    assert [c for c in changes if c.status == "added"][0].head_id == "2"
    assert pairs(changes)["1"] == "1" and pairs(changes)["16"] == "15"
    renumbered_refs = next(c for c in changes if c.head_id == "5")
    assert renumbered_refs.base_id == "4" and renumbered_refs.status == "moved"
    # Shown, though it is not a change of substance.
    assert renumbered_refs.text_diff == "- 9 + 10 … - 11 + 12 … - 12 + 13"


def test_a_number_that_is_not_a_reference_still_counts() -> None:
    base = document([clause("30", "Pay within 30 days."), clause("31", "Other terms apply here.")])
    head = document([clause("1", "A new first clause about something else."),
                     clause("31", "Pay within 31 days."), clause("32", "Other terms apply here.")])
    change = next(c for c in align_clauses(base, head) if c.head_id == "31")
    assert change.base_id == "30" and change.status == "modified"


def test_two_swapped_sections_are_moved() -> None:
    secs = sample_secs(8)
    head_secs = list(secs)
    head_secs[2], head_secs[5] = secs[5], secs[2]
    changes = align_clauses(numbered(secs), numbered(head_secs))
    assert pairs(changes)["3"] == "6" and pairs(changes)["6"] == "3"
    assert next(c for c in changes if c.head_id == "3").status == "moved"
    assert next(c for c in changes if c.head_id == "6").status == "moved"
    assert by_status(changes)["modified"] == 0 and by_status(changes)["added"] == 0


def test_swapped_sections_with_stable_ids_are_moved_by_order() -> None:
    a = clause("fees", "You pay the fees monthly in advance by card.", "Fees")
    b = clause("term", "This agreement lasts until either party ends it.", "Term")
    c = clause("law", "The laws of Ireland govern this agreement.", "Law")
    changes = align_clauses(document([a, b, c]), document([b, a, c]))
    assert [ch.head_id for ch in changes] == ["term", "fees", "law"]
    assert Counter(ch.status for ch in changes[:2]) == {"moved": 1, "unchanged": 1}
    assert changes[2].status == "unchanged"


def test_clause_split_in_two_matches_its_larger_half() -> None:
    s = ["We process customer content only to provide the services.",
         "We keep it for the term of the agreement and thirty days after.",
         "We delete it on written request from the customer administrator.",
         "Backups are overwritten within ninety days of deletion."]
    base = document([clause("1", "Scope and application of these terms to you."),
                     clause("2", " ".join(s), "Processing"),
                     clause("3", "The laws of Ireland govern this agreement.")])
    for first, second in (([0], [1, 2, 3]), ([0, 1, 2], [3])):
        head = document([clause("1", "Scope and application of these terms to you."),
                         clause("2", " ".join(s[k] for k in first), "Processing"),
                         clause("3", " ".join(s[k] for k in second)),
                         clause("4", "The laws of Ireland govern this agreement.")])
        changes = align_clauses(base, head)
        larger = "3" if len(second) > len(first) else "2"
        smaller = "2" if larger == "3" else "3"
        assert pairs(changes)[larger] == "2", changes
        assert next(c for c in changes if c.head_id == larger).status == "modified"
        assert next(c for c in changes if c.head_id == smaller).status == "added"
        assert pairs(changes)["4"] == "3"
        assert by_status(changes)["removed"] == 0


def test_clause_renumbered_and_edited_is_matched_and_modified() -> None:
    secs = sample_secs(10)
    head_secs = list(secs)
    head_secs.insert(0, Sec("Welcome", "Welcome to the service and these terms of use."))
    edited = secs[4].text + " We may also use it to train artificial intelligence models."
    head_secs[5] = Sec(secs[4].title, edited, secs[4].subs)
    changes = align_clauses(numbered(secs), numbered(head_secs))
    change = next(c for c in changes if c.head_id == "6")
    assert change.base_id == "5" and change.status == "modified"
    assert 0.5 < change.similarity < 1.0
    assert change.text_diff == "+ We may also use it to train artificial intelligence models."
    assert by_status(changes)["modified"] == 1


def test_retitled_clause_is_modified_with_the_title_in_the_diff() -> None:
    text = "We may change these terms with thirty days notice by email to you."
    changes = align_clauses(document([clause("7", text, "Changes")]),
                            document([clause("7", text, "Changes to these terms")]))
    assert changes[0].status == "modified"
    assert changes[0].text_diff == "title: + to these terms"
    assert (changes[0].base_title, changes[0].head_title) == ("Changes", "Changes to these terms")


def test_clause_rewritten_in_place_keeps_its_identity() -> None:
    # The Zoom rewrite: same number and heading, words almost all different.
    base = document([clause("10.4", "You grant us a perpetual worldwide royalty-free licence to "
                                    "customer content for any purpose.", "Customer Content"),
                     clause("10.5", "Other terms.")])
    head = document([clause("10.4", "We will not use audio, video or chat content to train AI models "
                                    "without your consent.", "Customer Content"),
                     clause("10.5", "Other terms.")])
    changes = align_clauses(base, head)
    assert [(c.status, c.base_id, c.head_id) for c in changes] == [
        ("modified", "10.4", "10.4"), ("unchanged", "10.5", "10.5")]


def test_removed_clause_follows_its_predecessor() -> None:
    secs = sample_secs(6)
    head_secs = secs[:2] + secs[3:]
    changes = align_clauses(numbered(secs), numbered(head_secs))
    removed = [c for c in changes if c.status == "removed"]
    assert [c.base_id for c in removed] == ["3"] + [f"3.{k}" for k in range(1, len(secs[2].subs) + 1)]
    assert removed[0].text_diff.startswith("- ") and removed[0].base_title == secs[2].title
    first = changes.index(removed[0])
    assert changes[first - 1].base_id == ("2" if not secs[1].subs else f"2.{len(secs[1].subs)}")
    assert by_status(changes)["modified"] == 0


def test_removed_first_clause_comes_first() -> None:
    a, b = clause("1", "First clause text here, long enough."), clause("2", "Second clause text here too.")
    changes = align_clauses(document([a, b]), document([clause("1", b.text)]))
    assert [(c.status, c.base_id, c.head_id) for c in changes] == [
        ("removed", "1", None), ("moved", "2", "1")]


def test_facts_gained_and_lost() -> None:
    keep = Fact(modality="obligation", actor="company", data=["personal_data"], purposes=["security"])
    lost = ai_fact("marketing")
    gained = ai_fact("ai_training")
    base = document([clause("5", "We use data as described.", "Use", facts=[keep, lost])])
    head = document([clause("5", "We use data as described, including AI training.", "Use",
                            facts=[keep, gained, ai_fact("ai_training")])])
    (change,) = align_clauses(base, head)
    assert change.status == "modified"
    assert [f.key() for f in change.facts_added] == [gained.key()]  # once, though stated twice
    assert [f.key() for f in change.facts_removed] == [lost.key()]


def test_duplicate_texts_pair_by_position() -> None:
    base = document([clause(str(n), "Reserved." if n % 2 else f"Clause {n} about topic number {n * 7} "
                            f"{WORDS[n]} {WORDS[n + 1]} {WORDS[n + 2]}.") for n in range(1, 11)])
    head = document([clause("0", "A brand new opening clause on an entirely fresh subject matter."),
                     *[clause(c.id, c.text) for c in base.clauses]])
    changes = align_clauses(base, head)
    assert by_status(changes) == {"unchanged": 10, "added": 1}


def test_text_diff_is_bounded() -> None:
    rng = random.Random(3)
    old = " ".join(sentence(rng) for _ in range(60))
    new = " ".join(w if i % 7 else w.upper() for i, w in enumerate(old.split()))
    (change,) = align_clauses(document([clause("1", old, "T")]), document([clause("1", new, "T")]))
    assert change.status == "modified"
    assert len(change.text_diff) <= MAX_DIFF_CHARS + 30
    assert change.text_diff.endswith("more changes)")


def test_new_document_is_all_added() -> None:
    head = numbered(sample_secs(3))
    head.clauses[0].facts = [ai_fact()]
    changes = build_changes(None, head, "abc123")
    assert changes.new_document is True and changes.base_rev == "abc123"
    assert {c.status for c in changes.clauses} == {"added"}
    assert [c.head_id for c in changes.clauses] == [c.id for c in head.clauses]
    assert changes.clauses[0].facts_added[0].purposes == ["ai_training"]
    d = changes.as_dict()
    assert d["new_document"] is True and d["base"] == {"rev": "abc123", "metadata": {}}


def test_build_changes_carries_metadata() -> None:
    base, head = numbered(sample_secs(3)), numbered(sample_secs(3))
    base.metadata = {"effective_date": "2023-03-01"}
    head.metadata = {"effective_date": "2023-03-01"}
    changes = build_changes(base, head, "main")
    assert changes.new_document is False
    assert changes.as_dict()["base"]["metadata"] == {"effective_date": "2023-03-01"}


def test_empty_documents() -> None:
    empty = document([])
    assert align_clauses(empty, empty) == []
    one = document([clause("1", "A single clause.")])
    assert [c.status for c in align_clauses(empty, one)] == ["added"]
    assert [c.status for c in align_clauses(one, empty)] == ["removed"]


def test_ten_thousand_clauses_with_one_insertion() -> None:
    # Correctness at size only; how the time grows is `bench/run.py scaling`'s job.
    rng = random.Random(7)
    texts = [f"{sentence(rng, 10)} {sentence(rng, 14)}" for _ in range(10_000)]
    base = document([clause(str(n + 1), t) for n, t in enumerate(texts)])
    texts.insert(40, "A new clause about training artificial intelligence on customer content.")
    head = document([clause(str(n + 1), t) for n, t in enumerate(texts)])
    changes = align_clauses(base, head)
    assert by_status(changes) == {"unchanged": 40, "added": 1, "moved": 9960}


def test_ten_thousand_clauses_with_a_thousand_edits() -> None:
    # The expensive path: every tenth clause edited, so a thousand go through
    # candidate generation and scoring rather than exact look-ups.
    rng = random.Random(8)
    texts = [" ".join(sentence(rng, 12) for _ in range(3)) for _ in range(10_000)]
    base = document([clause(str(n + 1), t) for n, t in enumerate(texts)])
    edited = [t + " Subject to applicable law." if n % 10 == 0 else t for n, t in enumerate(texts)]
    head = document([clause(str(n + 1), t) for n, t in enumerate(edited)])
    changes = align_clauses(base, head)
    assert by_status(changes) == {"unchanged": 9000, "modified": 1000}


# ---------------------------------------------------------------- properties

@st.composite
def mutated(draw: st.DrawFn) -> tuple[list[Sec], list[Sec]]:
    secs = sample_secs(draw(st.integers(0, 12)), seed=draw(st.integers(0, 1000)))
    head = list(secs)
    for op in draw(st.lists(st.sampled_from(["insert", "delete", "move", "edit"]), max_size=4)):
        k = draw(st.integers(0, max(0, len(head) - 1)))
        if op == "insert":
            head.insert(k, Sec("New", f"Fresh clause number {draw(st.integers(0, 10**6))} of text."))
        elif head and op == "delete":
            del head[k]
        elif head and op == "move":
            head.insert(draw(st.integers(0, len(head) - 1)), head.pop(k))
        elif head:
            head[k] = Sec(head[k].title, head[k].text + " Changed.", head[k].subs)
    return secs, head


@settings(max_examples=150, deadline=None)
@given(mutated())
def test_every_clause_appears_once_in_head_order(case: tuple[list[Sec], list[Sec]]) -> None:
    base, head = numbered(case[0]), numbered(case[1])
    changes = align_clauses(base, head)
    assert [c.head_id for c in changes if c.head_id] == [c.id for c in head.clauses]
    assert sorted(c.base_id for c in changes if c.base_id) == sorted(c.id for c in base.clauses)
    for c in changes:
        assert 0.0 <= c.similarity <= 1.0
        assert (c.base_id is None) == (c.status == "added")
        assert (c.head_id is None) == (c.status == "removed")
    again = align_clauses(numbered(case[0]), numbered(case[1]))
    assert [c.as_dict() for c in again] == [c.as_dict() for c in changes]  # deterministic
    # A removed clause follows the pair of its nearest paired base predecessor
    # (after other removed clauses in base order), or opens the list.
    paired = {c.base_id: c.head_id for c in changes if c.base_id and c.head_id}
    order = {c.id: n for n, c in enumerate(base.clauses)}
    for k, c in enumerate(changes):
        if c.status != "removed":
            continue
        before = [b.id for b in base.clauses[: order[c.base_id or ""]] if b.id in paired]
        run = k
        while run > 0 and changes[run - 1].status == "removed":
            run -= 1
            assert order[changes[run].base_id or ""] < order[c.base_id or ""]
        if before:
            assert changes[run - 1].head_id == paired[before[-1]]
        else:
            assert run == 0


@settings(max_examples=100, deadline=None)
@given(mutated())
def test_untouched_sections_are_never_modified(case: tuple[list[Sec], list[Sec]]) -> None:
    base_secs, head_secs = case
    changes = align_clauses(numbered(base_secs), numbered(head_secs))
    edited = {s.text for s in head_secs if s.text.endswith(" Changed.")}
    for c in changes:
        if c.status == "modified":
            head_text = next(x.text for x in numbered(head_secs).clauses if x.id == c.head_id)
            assert head_text in edited


# ---------------------------------------------------------------- through the real parser

def test_parsed_markdown_insert_and_edit() -> None:
    parse = pytest.importorskip("termslint.parse")
    base_md = (
        "# Terms\n\n## 1. Scope\n\nThese terms apply to your use of the service.\n\n"
        "## 2. Customer Content\n\nYou own your content. We use it only to provide the service.\n\n"
        "## 3. Fees\n\nYou pay the fees in Section 2 monthly in advance.\n\n"
        "## 4. Governing law\n\nThe laws of Ireland govern these terms.\n"
    )
    head_md = (
        "# Terms\n\n## 1. Scope\n\nThese terms apply to your use of the service.\n\n"
        "## 2. Definitions\n\nService means the hosted software we provide to you.\n\n"
        "## 3. Customer Content\n\nYou own your content. We use it to provide the service "
        "and to train artificial intelligence models.\n\n"
        "## 4. Fees\n\nYou pay the fees in Section 3 monthly in advance.\n\n"
        "## 5. Governing law\n\nThe laws of Ireland govern these terms.\n"
    )
    base = parse.parse_document(base_md, "terms.md")
    head = parse.parse_document(head_md, "terms.md")
    changes = {c.head_id: c for c in align_clauses(base, head)}
    assert changes["2"].status == "added"
    assert (changes["3"].base_id, changes["3"].status) == ("2", "modified")
    assert "artificial intelligence" in changes["3"].text_diff
    assert (changes["4"].base_id, changes["4"].status) == ("3", "moved")
    assert (changes["5"].base_id, changes["5"].status) == ("4", "moved")
