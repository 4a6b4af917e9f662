#!/usr/bin/env python3
"""How well `termslint.align` pairs clauses, against a known ground truth; and how fast.

    python bench/align_quality.py [--trials 20] [--rate 0.03] [--clauses 300] [--seed 1]
        [--no-real] [--corpus DIR] [--parser auto|termslint|paragraphs]
        [--sizes 100,1000,10000] [--debug N]

1. Synthetic documents (seeded): numbered sections with sub-clauses, legal-
   sounding sentences built from a small word list, cross-references
   ("Section 7") that follow their target when sections are renumbered. Each
   trial applies one kind of mutation to `rate` of the clauses (at least
   one): insert, delete, move (a whole section), split (a clause in two; the
   larger half, counted in distinct words, keeps its identity, and either
   half may when the two are within 20 %), edit (a sentence replaced, added
   or removed, or a phrase changed); "mixed" applies all of them. Sections
   are then renumbered, as an editor would.
2. Real documents, if ../shared/corpus/realistic (beside the repository)
   exists: each file is read in place and parsed (termslint.parse when it
   imports and parses most files, else a paragraph splitter here), mutated
   in memory the same way (inserted clauses come from the other documents;
   moves are blocks of 1-5 clauses; edits replace a tenth or a quarter of
   the words, or add a sentence or a phrase), with clause ids renumbered by
   position: the worst case for ids, a flat list renumbered by an insertion.
   Nothing is copied.
3. Timing: a synthetic document of each size with a mixed 5 % mutation.

"Correct" for a head clause means paired with its true base clause (or with
an identical twin of it), or "added" when it has none; for a base clause
that was deleted, "removed". The affected share counts only clauses a
mutation touched (new, deleted, edited, split, moved), which is where
mistakes can happen. "false modified" counts clauses reported modified whose
words did not change. Nothing is asserted: the figures are for reading.
"""
from __future__ import annotations

import argparse
import copy
import dataclasses
import itertools
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from termslint.align import align_clauses  # noqa: E402
from termslint.model import Clause, Document, Span  # noqa: E402

KINDS = ("insert", "delete", "move", "split", "edit")

# ---------------------------------------------------------------- synthetic legal text

PARTIES = ["We", "You", "The Customer", "The Provider", "Each party", "Neither party", "The Processor",
           "Any Subprocessor", "The Controller", "Our affiliates", "Authorised Users", "The Reseller"]
MODALS = ["may", "shall", "must", "will", "shall not", "may not", "agrees to", "undertakes to"]
VERBS = ["use", "process", "disclose", "retain", "delete", "license", "transfer", "access", "store",
         "share", "monitor", "aggregate", "anonymise", "export", "review", "encrypt", "back up", "audit"]
OBJECTS = ["Customer Content", "Personal Data", "usage data", "account information", "Service Generated Data",
           "Confidential Information", "Feedback", "payment details", "telemetry", "support tickets",
           "audio and video recordings", "chat messages", "log files", "billing records", "Documentation"]
QUALIFIERS = [
    "for the purposes described in Section {ref}", "in accordance with applicable law",
    "within {n} days of termination", "solely to provide the Services", "for any purpose",
    "subject to the limitations in Section {ref}", "unless required by law", "on {n} days written notice",
    "with the prior written consent of the other party", "to improve and develop our products",
    "in an aggregated and de-identified form", "as instructed by the Customer in writing",
    "except as set out in Sections {ref} and {ref}", "during the Subscription Term",
    "to comply with a court order or a lawful request", "for security and fraud prevention",
    "at its own cost and expense", "in the territories listed in Schedule {n}",
    "using appropriate technical and organisational measures", "for no longer than necessary",
]
TITLES = ["Definitions", "Scope", "Customer Content", "Data Protection", "Confidentiality", "Fees",
          "Payment", "Term and Termination", "Warranties", "Indemnification", "Limitation of Liability",
          "Intellectual Property", "Feedback", "Subprocessors", "Security", "Audit Rights", "Governing Law",
          "Dispute Resolution", "Notices", "Assignment", "Force Majeure", "General", "Export Control",
          "Acceptable Use", "Suspension", "Support", "Service Levels", "Changes to these Terms",
          "Artificial Intelligence Features", "Third-Party Services", "Privacy", "Cookies"]
BLANK = "This Section is intentionally left blank."


@dataclass
class Unit:
    """A clause as the generator knows it: a stable identity and a text template."""

    uid: int
    sentences: list[str]  # with "{ref}" replaced by "{r<k>}" placeholders
    refs: list[int] = field(default_factory=list)  # uids of sections referenced, in placeholder order
    title: str | None = None
    subs: list[Unit] = field(default_factory=list)


class Gen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.next_uid = itertools.count(1)
        self.section_uids: list[int] = []

    def sentence(self, refs: list[int]) -> str:
        r = self.rng
        q = r.choice(QUALIFIERS)
        while "{ref}" in q:
            if not self.section_uids:
                q = q.replace("Section {ref}", "this Agreement").replace("Sections {ref} and {ref}", "it")
                break
            refs.append(r.choice(self.section_uids))
            q = q.replace("{ref}", "{r%d}" % (len(refs) - 1), 1)
        q = q.replace("{n}", str(r.choice([5, 7, 10, 14, 30, 45, 60, 90])))
        tail = "" if r.random() < 0.6 else f" and {r.choice(QUALIFIERS[1:4])}"
        tail = tail.replace("{n}", "30")
        return f"{r.choice(PARTIES)} {r.choice(MODALS)} {r.choice(VERBS)} {r.choice(OBJECTS)} {q}{tail}."

    def unit(self, n_sentences: int, title: str | None = None) -> Unit:
        refs: list[int] = []
        if self.rng.random() < 0.01:
            return Unit(next(self.next_uid), [BLANK], [], title)
        return Unit(next(self.next_uid), [self.sentence(refs) for _ in range(n_sentences)], refs, title)

    def section(self) -> Unit:
        r = self.rng
        sec = self.unit(r.randint(1, 3), r.choice(TITLES))
        sec.subs = [self.unit(r.randint(1, 4)) for _ in range(r.choice([0, 0, 1, 2, 3, 4, 5]))]
        self.section_uids.append(sec.uid)
        return sec

    def document(self, n_clauses: int) -> list[Unit]:
        secs: list[Unit] = []
        while sum(1 + len(s.subs) for s in secs) < n_clauses:
            secs.append(self.section())
        return secs


def render(secs: list[Unit], path: str = "synthetic.md",
           stale: dict[int, str] | None = None) -> tuple[Document, list[int]]:
    """The Document for a version and its clauses' uids, in order.

    A reference to a section this version no longer has keeps the number it
    had in `stale` (the base's numbering), as an editor who forgot it would.
    """
    number = {**(stale or {}), **{s.uid: str(n) for n, s in enumerate(secs, start=1)}}
    clauses: list[Clause] = []
    uids: list[int] = []

    def text(u: Unit) -> str:
        fill = {f"r{k}": number.get(t, "?") for k, t in enumerate(u.refs)}
        return " ".join(s.format(**fill) for s in u.sentences)

    for n, s in enumerate(secs, start=1):
        clauses.append(Clause(id=str(n), number=str(n), title=s.title, level=1, parent=None, path=[str(n)],
                              text=text(s), span=Span(len(clauses) + 1, len(clauses) + 1)))
        uids.append(s.uid)
        for k, sub in enumerate(s.subs, start=1):
            cid = f"{n}.{k}"
            clauses.append(Clause(id=cid, number=cid, title=None, level=2, parent=str(n), path=[str(n), cid],
                                  text=text(sub), span=Span(len(clauses) + 1, len(clauses) + 1)))
            uids.append(sub.uid)
    doc = Document(path=path, title="Synthetic terms", metadata={}, clauses=clauses, definitions={},
                   line_count=len(clauses))
    return doc, uids


def numbering(secs: list[Unit]) -> dict[int, str]:
    return {s.uid: str(n) for n, s in enumerate(secs, start=1)}


def content_size(text: str) -> int:
    """How large a split half is: its distinct words with letters (numbers and repeats add nothing)."""
    return len(set(re.findall(r"\w*[^\W\d]\w*", text.lower())))


@dataclass
class Truth:
    touched: set[int] = field(default_factory=set)  # uids a mutation affected
    edited: set[int] = field(default_factory=set)  # uids whose words changed
    either: dict[int, int] = field(default_factory=dict)  # split with halves of equal size: alt uid


def all_units(secs: list[Unit]) -> list[tuple[Unit, Unit | None]]:
    return [(u, None) for u in secs] + [(sub, s) for s in secs for sub in s.subs]


def mutate_synthetic(gen: Gen, secs: list[Unit], kind: str, count: int, truth: Truth) -> list[Unit]:
    r = gen.rng
    head = copy.deepcopy(secs)
    for _ in range(count):
        if kind == "insert":
            if r.random() < 0.5 or not head:
                new = gen.section()
                head.insert(r.randint(0, len(head)), new)
                truth.touched |= {new.uid, *(s.uid for s in new.subs)}
            else:
                sec = r.choice(head)
                new = gen.unit(r.randint(1, 3))
                sec.subs.insert(r.randint(0, len(sec.subs)), new)
                truth.touched.add(new.uid)
        elif kind == "delete" and head:
            if r.random() < 0.4:
                gone = head.pop(r.randrange(len(head)))
                truth.touched |= {gone.uid, *(s.uid for s in gone.subs)}
            else:
                with_subs = [s for s in head if s.subs]
                if with_subs:
                    sec = r.choice(with_subs)
                    truth.touched.add(sec.subs.pop(r.randrange(len(sec.subs))).uid)
        elif kind == "move" and len(head) > 1:
            sec = head.pop(r.randrange(len(head)))
            head.insert(r.randint(0, len(head)), sec)
            truth.touched |= {sec.uid, *(s.uid for s in sec.subs)}
        elif kind == "split":
            units = [(u, p) for u, p in all_units(head) if len(u.sentences) >= 2]
            if not units:
                continue
            u, parent = r.choice(units)
            k = r.randint(1, len(u.sentences) - 1)
            first, second = u.sentences[:k], u.sentences[k:]
            new = Unit(next(gen.next_uid), [], list(u.refs))
            wa, wb = content_size(" ".join(first)), content_size(" ".join(second))
            # The larger half keeps the identity; the other half is a new clause
            # right after it (a sub-clause of the same section).
            if wa >= wb:
                u.sentences, new.sentences = first, second
            else:
                u.sentences, new.sentences = second, first
            if abs(wa - wb) <= 0.2 * max(wa, wb):
                truth.either[new.uid] = u.uid
                truth.edited.add(new.uid)
            target = parent if parent is not None else u
            pos = target.subs.index(u) + 1 if parent is not None else 0
            target.subs.insert(pos, new)
            truth.touched |= {u.uid, new.uid}
            truth.edited.add(u.uid)
        elif kind == "edit":
            u, _ = r.choice(all_units(head))
            if u.sentences == [BLANK]:
                continue
            how = r.choice(["replace", "append", "remove", "phrase"])
            if how == "replace" and len(u.sentences) >= 3:  # fewer: it would be another clause
                u.sentences[r.randrange(len(u.sentences))] = gen.sentence(u.refs)
            elif how in ("append", "replace") or len(u.sentences) < 3:
                u.sentences.insert(r.randint(0, len(u.sentences)), gen.sentence(u.refs))
            elif how == "remove":
                del u.sentences[r.randrange(len(u.sentences))]
            else:
                k = r.randrange(len(u.sentences))
                u.sentences[k] = u.sentences[k][:-1] + ", including to train artificial intelligence models."
            truth.touched.add(u.uid)
            truth.edited.add(u.uid)
    return head


# ---------------------------------------------------------------- scoring a trial

@dataclass
class Score:
    correct: int = 0
    total: int = 0
    affected_correct: int = 0
    affected_total: int = 0
    false_modified: int = 0
    seconds: float = 0.0
    clauses: int = 0

    def add(self, other: Score) -> None:
        for f in ("correct", "total", "affected_correct", "affected_total", "false_modified", "clauses"):
            setattr(self, f, getattr(self, f) + getattr(other, f))
        self.seconds += other.seconds


DEBUG = 0  # --debug N: print the first N mistakes


def score(base: Document, base_uids: list[int], head: Document, head_uids: list[int], truth: Truth) -> Score:
    global DEBUG
    start = time.perf_counter()
    changes = align_clauses(base, head)
    s = Score(seconds=time.perf_counter() - start, clauses=len(base.clauses) + len(head.clauses))
    b_uid = {c.id: u for c, u in zip(base.clauses, base_uids)}
    h_uid = {c.id: u for c, u in zip(head.clauses, head_uids)}
    in_base, in_head = set(base_uids), set(head_uids)
    content = {("b", u): (c.title, c.text) for c, u in zip(base.clauses, base_uids)}
    twins: dict[tuple[str | None, str], list[int]] = {}
    for c, u in zip(base.clauses, base_uids):
        twins.setdefault((c.title, c.text), []).append(u)
    for ch in changes:
        if ch.head_id is not None:
            u = h_uid[ch.head_id]
            want = u if u in in_base else None
            got = b_uid[ch.base_id] if ch.base_id is not None else None
            ok = got == want or (u in truth.either and got == truth.either[u] and want is None)
            if not ok and got is not None and want is not None:
                ok = content[("b", got)] == content[("b", want)]  # identical twins: either will do
            if not ok and want is not None and got is None and any(
                    truth.either.get(x) == u for x in h_uid.values()):
                ok = True  # an equal split: the other half took the identity
            if ch.status == "modified" and u not in truth.edited:
                s.false_modified += 1
        else:
            u = b_uid[ch.base_id or ""]
            ok = u not in in_head
            if not ok:  # its identical twin was paired instead, and this one was "removed"
                twin = content[("b", u)]
                ok = any(x not in in_head for x in twins[twin])
        s.total += 1
        s.correct += ok
        falsely_modified = ch.status == "modified" and ch.head_id and h_uid[ch.head_id] not in truth.edited
        if DEBUG and (not ok or falsely_modified):
            DEBUG -= 1
            by_uid_b = {x: c for c, x in zip(base.clauses, base_uids)}
            by_uid_h = {x: c for c, x in zip(head.clauses, head_uids)}
            print(f"--- {base.path}: {ch.status} {ch.base_id}->{ch.head_id} sim={ch.similarity:.2f} ok={ok} "
                  f"touched={u in truth.touched}")
            print("    head:", repr((by_uid_h[u].text if u in by_uid_h else "")[:150]))
            print("    base:", repr((by_uid_b[u].text if u in by_uid_b else "")[:150]))
            if ch.base_id:
                print("    got :", repr(next(c.text for c in base.clauses if c.id == ch.base_id)[:150]))
        if u in truth.touched:
            s.affected_total += 1
            s.affected_correct += ok
    return s


# ---------------------------------------------------------------- real documents

def paragraph_clauses(text: str, path: str) -> Document:
    """A stand-in for termslint.parse: one clause per heading or paragraph."""
    clauses: list[Clause] = []
    title: str | None = None
    for block in re.split(r"\n\s*\n", text):
        block = block.strip()
        if not block:
            continue
        m = re.match(r"#+\s+(.*)", block)
        lines = block.splitlines()
        if m or (len(lines) == 2 and set(lines[1].strip()) <= set("=-")):
            title = m.group(1) if m else lines[0]
            clauses.append(Clause(id="", number=None, title=title, level=1, parent=None, path=[], text="",
                                  span=Span(1, 1)))
        else:
            clauses.append(Clause(id="", number=None, title=None, level=2, parent=None, path=[],
                                  text=" ".join(block.split()), span=Span(1, 1)))
    return Document(path=path, title=None, metadata={}, clauses=clauses, definitions={}, line_count=0)


def load_real(corpus: Path, parser: str) -> tuple[list[Document], str]:
    """Parse every file in place. `parser`: termslint, paragraphs, or auto (termslint when it
    imports and parses most files; it is being written alongside and may be incomplete)."""
    files = sorted(corpus.glob("*.md"))
    texts = [(f.name, f.read_text(encoding="utf-8")) for f in files]
    if parser != "paragraphs":
        try:
            from termslint.parse import parse_document
        except ImportError as exc:
            if parser == "termslint":
                raise SystemExit(f"termslint.parse does not import: {exc}") from None
        else:
            docs, failed = [], []
            for name, text in texts:
                try:
                    docs.append(parse_document(text, name))
                except Exception as exc:  # a parser in progress may still fail on some files
                    failed.append(f"{name}: {type(exc).__name__}: {exc}")
            if parser == "termslint" or len(failed) <= len(texts) // 2:
                for line in failed:
                    print(f"  skipped {line}", file=sys.stderr)
                return [d for d in docs if len(d.clauses) >= 5], "termslint.parse"
            print(f"  termslint.parse failed on {len(failed)} of {len(texts)} files "
                  f"(first: {failed[0]}); using the paragraph splitter", file=sys.stderr)
    docs = [paragraph_clauses(text, name) for name, text in texts]
    return [d for d in docs if len(d.clauses) >= 5], "a paragraph splitter"


def sentences_of(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.;:!?])\s+(?=[A-Z(“\"])", text) if s]


def mutate_real(rng: random.Random, clauses: list[Clause], donors: list[Clause], kind: str, count: int,
                truth: Truth) -> tuple[list[tuple[int, Clause]], list[tuple[int, Clause]]]:
    """Base and head as (uid, clause) lists; ids are assigned later, by position."""
    base = [(k, c) for k, c in enumerate(clauses)]
    head = [(k, copy.copy(c)) for k, c in base]
    next_uid = itertools.count(len(base))
    for _ in range(count):
        if kind == "insert":
            donor = dataclasses.replace(rng.choice(donors), parent=None, id=f"donor{next(next_uid)}")
            uid = next(next_uid)
            head.insert(rng.randint(0, len(head)), (uid, donor))
            truth.touched.add(uid)
        elif kind == "delete" and len(head) > 1:
            truth.touched.add(head.pop(rng.randrange(len(head)))[0])
        elif kind == "move" and len(head) > 2:
            k = rng.randrange(len(head))
            size = min(rng.randint(1, 5), len(head) - k)
            block = head[k:k + size]
            del head[k:k + size]
            at = rng.randint(0, len(head))
            head[at:at] = block
            truth.touched |= {u for u, _ in block}
        elif kind == "split":
            cands = [k for k, (_, c) in enumerate(head) if len(sentences_of(c.text)) >= 2]
            if not cands:
                continue
            k = rng.choice(cands)
            uid, c = head[k]
            parts = sentences_of(c.text)
            cut = rng.randint(1, len(parts) - 1)
            a, b = " ".join(parts[:cut]), " ".join(parts[cut:])
            wa, wb = content_size(a), content_size(b)
            keep, other = (a, b) if wa >= wb else (b, a)
            new_uid = next(next_uid)
            c.text = keep
            half = dataclasses.replace(c, text=other, title=None, id=f"split{new_uid}")
            head.insert(k + 1, (new_uid, half))
            if abs(wa - wb) <= 0.2 * max(wa, wb):
                truth.either[new_uid] = uid
                truth.edited.add(new_uid)
            truth.touched |= {uid, new_uid}
            truth.edited.add(uid)
        elif kind == "edit":
            k = rng.randrange(len(head))
            uid, c = head[k]
            words = c.text.split()
            if len(words) < 8:
                continue  # a heading or a one-liner: an edit would make it another clause
            how = rng.choice(["words", "rewrite", "append", "phrase"])
            if how in ("words", "rewrite"):  # a tenth, or a quarter, of the words replaced
                for _ in range(max(1, len(words) // (10 if how == "words" else 4))):
                    words[rng.randrange(len(words))] = rng.choice(OBJECTS).split()[0].lower()
                c.text = " ".join(words)
            elif how == "append":
                c.text += " We may also use this information to train artificial intelligence models."
            else:
                c.text = c.text.rstrip(".") + ", and for any other purpose."
            truth.touched.add(uid)
            truth.edited.add(uid)
    return base, head


def renumbered(items: list[tuple[int, Clause]], path: str) -> tuple[Document, list[int]]:
    """Ids by position, as a renumbering editor leaves them; parents follow their new ids."""
    new_id: dict[str, str] = {}
    for n, (_, c) in enumerate(items, start=1):
        new_id.setdefault(c.id, f"p{n}")
    clauses = []
    for n, (_, c) in enumerate(items, start=1):
        parent = new_id.get(c.parent) if c.parent is not None else None
        clauses.append(dataclasses.replace(c, id=f"p{n}", number=str(n), parent=parent,
                                           path=[parent, f"p{n}"] if parent else [f"p{n}"]))
    return (Document(path=path, title=None, metadata={}, clauses=clauses, definitions={}, line_count=0),
            [u for u, _ in items])


# ---------------------------------------------------------------- report

def line(label: str, s: Score) -> str:
    pct = 100 * s.correct / s.total if s.total else 100.0
    apct = 100 * s.affected_correct / s.affected_total if s.affected_total else 100.0
    return (f"  {label:<8} {pct:7.2f} %  ({s.correct}/{s.total})   affected {apct:6.2f} % "
            f"({s.affected_correct}/{s.affected_total})   false modified {s.false_modified}")


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--trials", type=int, default=20)
    ap.add_argument("--rate", type=float, default=0.03, help="share of clauses each trial mutates")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--clauses", type=int, default=300, help="clauses per synthetic document")
    ap.add_argument("--corpus", type=Path, default=REPO.parent / "shared" / "corpus" / "realistic")
    ap.add_argument("--no-real", action="store_true")
    ap.add_argument("--parser", choices=("auto", "termslint", "paragraphs"), default="auto",
                    help="how to cut real documents into clauses")
    ap.add_argument("--sizes", default="100,1000,10000")
    ap.add_argument("--debug", type=int, default=0, help="print the first N mistakes")
    args = ap.parse_args(argv)
    global DEBUG
    DEBUG = args.debug

    print(f"synthetic: {args.trials} trials per kind, {args.clauses} clauses, {args.rate:.0%} mutated")
    for kind in (*KINDS, "mixed"):
        total = Score()
        for t in range(args.trials):
            gen = Gen(args.seed * 1000 + t)
            base_secs = gen.document(args.clauses)
            truth = Truth()
            n = len(all_units(base_secs))
            count = max(1, round(args.rate * n))
            if kind == "mixed":
                head_secs = base_secs
                for k in KINDS:
                    head_secs = mutate_synthetic(gen, head_secs, k, max(1, count // len(KINDS)), truth)
            else:
                head_secs = mutate_synthetic(gen, base_secs, kind, count, truth)
            base, base_uids = render(base_secs)
            head, head_uids = render(head_secs, stale=numbering(base_secs))
            total.add(score(base, base_uids, head, head_uids, truth))
        print(line(kind, total))

    if not args.no_real and args.corpus.is_dir():
        docs, how = load_real(args.corpus, args.parser)
        n_clauses = sum(len(d.clauses) for d in docs)
        print(f"real: {len(docs)} documents, {n_clauses} clauses from {args.corpus} via {how}, "
              f"{args.rate:.0%} mutated, 3 trials per document")
        rng = random.Random(args.seed)
        # Inserted clauses come from the other documents: a copy of a paragraph the
        # document already has would make the truth undecidable (which twin is new?).
        donors = {d.path: [c for o in docs if o is not d for c in o.clauses if len(c.text.split()) >= 8]
                  for d in docs}
        for kind in (*KINDS, "mixed"):
            total = Score()
            for doc in docs:
                for _ in range(3):
                    truth = Truth()
                    count = max(1, round(args.rate * len(doc.clauses)))
                    if kind == "mixed":
                        base_items, head_items = mixed_real(rng, doc.clauses, donors[doc.path], count, truth)
                    else:
                        base_items, head_items = mutate_real(rng, doc.clauses, donors[doc.path], kind, count,
                                                             truth)
                    base, base_uids = renumbered(base_items, doc.path)
                    head, head_uids = renumbered(head_items, doc.path)
                    total.add(score(base, base_uids, head, head_uids, truth))
            print(line(kind, total))
    elif not args.no_real:
        print(f"real: skipped, no corpus at {args.corpus}")

    print("timing (mixed 5 % mutation; best of 3):")
    for size in (int(x) for x in args.sizes.split(",")):
        gen = Gen(args.seed + size)
        base_secs = gen.document(size)
        truth = Truth()
        count = max(1, round(0.05 * size / len(KINDS)))
        head_secs = base_secs
        for k in KINDS:
            head_secs = mutate_synthetic(gen, head_secs, k, count, truth)
        base, _ = render(base_secs)
        head, _ = render(head_secs, stale=numbering(base_secs))
        times = []
        for _ in range(3):
            start = time.perf_counter()
            align_clauses(base, head)
            times.append(time.perf_counter() - start)
        best = min(times)
        per = best / max(1, len(base.clauses) + len(head.clauses)) * 1e6
        print(f"  {len(base.clauses):>6} clauses  {best * 1000:8.1f} ms   {per:6.1f} µs per clause "
              f"(median {statistics.median(times) * 1000:.1f} ms)")
    return 0


def mixed_real(rng: random.Random, clauses: list[Clause], donors: list[Clause], count: int,
               truth: Truth) -> tuple[list[tuple[int, Clause]], list[tuple[int, Clause]]]:
    """All kinds on one document, keeping one uid space across the steps."""
    base = [(k, c) for k, c in enumerate(clauses)]
    head = list(base)
    offset = len(base)
    for kind in KINDS:
        sub_truth = Truth()
        _, step = mutate_real(rng, [c for _, c in head], donors, kind, max(1, count // len(KINDS)), sub_truth)
        # mutate_real numbered its input 0..n-1 and new clauses from n: map back.
        uids = [u for u, _ in head]
        mapped: list[tuple[int, Clause]] = []
        remap: dict[int, int] = {}
        for u, c in step:
            if u < len(uids):
                remap[u] = uids[u]
            else:
                remap[u] = offset
                offset += 1
            mapped.append((remap[u], c))
        truth.touched |= {remap[u] for u in sub_truth.touched if u in remap} | {
            uids[u] for u in sub_truth.touched if u < len(uids) and u not in remap}
        truth.edited |= {remap[u] for u in sub_truth.edited if u in remap}
        truth.either |= {remap[a]: remap[b] for a, b in sub_truth.either.items() if a in remap and b in remap}
        head = mapped
    return base, head


if __name__ == "__main__":
    raise SystemExit(main())
