"""Phases 2 and 3 of `parse_document` (see `termslint.parse`): from the walker's
events to a tree of clause nodes, and each node's id.

- `Node` is a clause candidate, and once placed, a node of the clause tree.
  `Event` is what the walker emits: ("node", Node), ("bold", (Node, Segment)),
  ("seg", Segment), ("close", list id) or ("sup", Suppression).
- Phase 2, `fix_candidates`, repairs what converted documents get wrong.
- Phase 3, `build_tree`, places each candidate against a stack of open clauses.
- `identify(node)` sets a placed node's id (before de-duplication) and legal
  number; `github_slug` is the anchor GitHub gives a heading.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from termslint.model import Suppression
from termslint.parse_defs import Segment
from termslint.parse_labels import Label, roman

_PART_TITLE = re.compile(
    r"(?i)^(part|schedule|annex|appendix|exhibit|chapter|title|book|division|module|attachment|addendum|supplement)\b"
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[^\w]+")
_GH_DROP = re.compile(r"[^\w\- ]")
_DOTTED_ID = re.compile(r"\d+(?:\.\d+)*")


@dataclass(slots=True, eq=False)
class Node:
    """A clause candidate, and once placed, a node of the clause tree."""

    kind: str  # heading | para | item | bold | preamble
    hlevel: int  # 1-6 for Markdown headings, 7 for bold-line headings, 0 otherwise
    label: Label | None
    title: str | None
    start: int  # 1-based file lines
    head_end: int
    segs: list[Segment] = field(default_factory=list)
    title_guess: bool = False  # title inferred from plain text; undone if the next line continues it
    heading_text: str = ""  # rendered heading, for the GitHub anchor
    html_anchor: str | None = None
    list_id: int = -1
    list_depth: int = 0
    closed: bool = False  # its Markdown list has ended
    toc: bool = False
    parent: Node | None = None
    children: list[Node] = field(default_factory=list)
    parts: tuple[str, ...] | None = None  # numeric path, for prefix nesting
    base: str = ""  # id before de-duplication
    id: str = ""
    number: str | None = None
    suppressions: list[Suppression] = field(default_factory=list)


Event = tuple[str, Any]


# --- phase 2: repairs for converted documents -----------------------------------


def _key(node: Node) -> str | None:
    """What a table-of-contents entry shares with its section: number and title."""
    lab = node.label
    if lab is not None and lab.kind == "seq":
        return None
    words = node.title or (node.segs[0].lines[0][0] if node.segs and node.segs[0].lines else "")
    title = _NON_ALNUM.sub("", words[:80].lower())[:40]
    if not title:
        return None
    return (lab.raw if lab is not None else "") + ":" + title


def _toc_like(node: Node) -> bool:
    """A title alone on its line, or a short line with no sentence in it."""
    if not node.segs:
        return True
    lines = [ln[0] for seg in node.segs for ln in seg.lines]
    return len(lines) == 1 and len(lines[0]) <= 150 and lines[0].rstrip()[-1:] not in ".;:" and ". " not in lines[0]


def _breaks_run(a: Node, b: Node) -> bool:
    """Does `b` end a contents list that `a` is in: another kind of entry, or numbering starting again?"""
    la, lb = a.label, b.label
    if a.kind != b.kind or (la is None) != (lb is None):
        return True  # "# Part A" then "1. Intro", "2. Terms": the heading is not an entry
    if la is None or lb is None or not (la.parts[0].isdigit() and lb.parts[0].isdigit()):
        return False
    return int(lb.parts[0]) < int(la.parts[0])


def fix_candidates(events: list[Event], col: Callable[[int, str], int]) -> None:
    """Undo guessed titles, drop a table of contents, let written numbers beat list numbers.

    `col(line, text)` is the file column where `text` starts on `line`.
    """
    idx = [k for k, ev in enumerate(events) if ev[0] in ("node", "bold")]
    nodes: list[Node] = [events[k][1] if events[k][0] == "node" else events[k][1][0] for k in idx]
    # "1. 1. 1." is Markdown shorthand for 1, 2, 3: number such a list as it renders.
    by_list: dict[int, list[Node]] = {}
    for node in nodes:
        if node.kind == "item" and node.label is not None and node.label.kind == "item":
            by_list.setdefault(node.list_id, []).append(node)
    for items in by_list.values():
        if len(items) > 1 and all(nd.label is not None and nd.label.raw == "1" for nd in items):
            for n, nd in enumerate(items, 1):
                nd.label = Label("item", (str(n),), str(n), 0)
    # A guessed title that the next paragraph continues in lower case was a sentence.
    for k, node in zip(idx, nodes):
        if node.title_guess and not node.segs and k + 1 < len(events) and events[k + 1][0] == "seg":
            seg: Segment = events[k + 1][1]
            if seg.lines and seg.lines[0][0][:1].islower() and node.title:
                node.segs.append(Segment([(node.title, node.start, col(node.start, node.title))]))
                node.title = None
    # Table of contents: two or more consecutive empty candidates whose numbers
    # (or titles) come back later as the real sections.
    last_at: dict[str, int] = {}
    bare = [_toc_like(node) for node in nodes]
    joined = [  # no text between this candidate and the next
        pos + 1 < len(nodes) and all(events[j][0] != "seg" for j in range(idx[pos] + 1, idx[pos + 1]))
        for pos in range(len(nodes))
    ]
    pos = 0
    while pos < len(nodes):
        if not bare[pos]:
            pos += 1
            continue
        end = pos
        while joined[end] and bare[end + 1] and not _breaks_run(nodes[end], nodes[end + 1]):
            end += 1
        if end > pos and not last_at:  # keys are needed only once a run is found
            for p2, nd in enumerate(nodes):
                key = _key(nd)
                if key:
                    last_at[key] = p2
        run = range(pos, end + 1)
        hits = [p for p in run if (key := _key(nodes[p])) is not None and last_at.get(key, -1) > end]
        if len(hits) >= 2 and len(hits) * 2 >= len(run):
            for p in run:  # entries whose wording differs from their section go too
                node = nodes[p]
                text = node.heading_text or node.title or ""
                events[idx[p]] = ("seg", Segment([(text, node.start, col(node.start, text))]))
                node.toc = True
        pos = end + 1
    # "27. **CUSTOMER CONTENT**" followed by "**10.1 ...**": the written 10 wins. And
    # "6. FEES" followed by "6.1 ...": a section heading that Markdown read as a list.
    live = [(k, n) for k, n in zip(idx, nodes) if not n.toc]
    for (k, node), (_, nxt) in zip(live, live[1:]):
        lab, nl = node.label, nxt.label
        if (node.kind == "item" and lab is not None and lab.kind == "item" and not node.segs and nl is not None
                and nl.kind == "dotted" and len(nl.parts) == 2):
            node.label = Label("dotted", (nl.parts[0],), nl.parts[0], 0)


# --- phase 3: the clause tree ----------------------------------------------------

_PARENT, _SIBLING, _SKIP = 1, 2, 3


def _is_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) < len(b) and b[: len(a)] == a


def _number_rel(e: Node, c: Node) -> int | None:
    """Placement by written numbers alone: "10" holds "10.2"; "10.1" and "10.2" are
    siblings; "10.2.1" cannot hold "10.3". None when the numbers do not decide."""
    pe, pc = e.parts, c.parts
    if pe is not None and pc is not None:
        if _is_prefix(pe, pc):
            return _PARENT
        if len(pe) == len(pc) and pe[:-1] == pc[:-1]:
            return _SIBLING
        if len(pe) > len(pc):
            return _SKIP
    el, cl = e.label, c.label
    if el is not None and cl is not None and el.kind == cl.kind == "prefixed" and el.marker == cl.marker:
        return _SIBLING  # "ARTICLE IV" after "ARTICLE III"
    return None


def _heading_rel(e: Node, c: Node) -> int:
    """A heading nests under headings only: by number when both have one, else by level."""
    if not e.hlevel:
        return _SKIP
    by_number = _number_rel(e, c)
    if by_number is not None:
        return by_number
    if c.parts is not None and len(c.parts) == 1 and e.label is None:
        # An unnumbered heading ("Introduction") holds numbered sections only
        # when it is a divider such as "Part A" or "Schedule 2".
        return _PARENT if e.hlevel < c.hlevel and _PART_TITLE.match(e.title or "") else _SKIP
    return _PARENT if e.hlevel < c.hlevel else _SKIP


def _written_rel(e: Node, c: Node) -> int:
    """A written number ("10.2", "Clause 4") nests by number; a heading it meets holds it."""
    by_number = _number_rel(e, c)
    if by_number is not None:
        return by_number
    return _PARENT if e.hlevel else _SKIP


def _opens_level(stack: list[Node]) -> bool:
    """May a "1" (or "I") start a new numbering below the top of the stack?"""
    if not stack:
        return True
    top = stack[-1]
    return bool(top.hlevel) or (top.label is not None and top.label.kind in ("prefixed", "seq"))


def _top_roman(lab: Label) -> bool:
    """An upper-case roman numeral with a full stop ("IV.") numbers sections, not list items."""
    return lab.kind == "seq" and lab.seq == "roman" and lab.upper and lab.marker == "."


def _resolve_seq(lab: Label, stack: list[Node]) -> str:
    """"(i)" after "(h)" is a letter; after nothing, or after "(iv)"-style items, a numeral."""
    core = lab.parts[0].lower()
    for e in reversed(stack):
        el = e.label
        if el is None or el.kind != "seq" or el.marker != lab.marker or el.upper != lab.upper:
            continue
        prev = el.parts[0].lower()
        if el.seq == "alpha" and len(prev) == 1 and ord(prev) == ord(core) - 1:
            return "alpha"
        if el.seq == "roman" and roman(prev) == roman(core) - 1:
            return "roman"
    return "roman" if core == "i" else "alpha"


def _parent_depth(node: Node, stack: list[Node]) -> int:
    """How many stack entries stay open below `node`; the last of them is its parent."""
    lab = node.label
    top = len(stack)
    if node.hlevel:
        for i in range(top - 1, -1, -1):
            r = _heading_rel(stack[i], node)
            if r != _SKIP:
                return i + 1 if r == _PARENT else i
        return 0
    assert lab is not None
    if lab.kind in ("dotted", "prefixed"):
        if node.parts is not None and len(node.parts) == 1 and node.parts[0] in ("1", "0") and _opens_level(stack):
            return top  # a "1" under a heading restarts numbering one level down (or opens the document)
        for i in range(top - 1, -1, -1):
            r = _written_rel(stack[i], node)
            if r != _SKIP:
                return i + 1 if r == _PARENT else i
        return 0
    if _top_roman(lab):
        # "I. REQUIREMENTS", "II. FEATURES": section numbers, placed like written ones.
        if roman(lab.parts[0]) == 1 and stack and _opens_level(stack):
            return top
        for i in range(top - 1, -1, -1):
            e = stack[i]
            el = e.label
            if el is not None and el.kind == "seq" and (el.marker, el.upper, el.seq) == (lab.marker, lab.upper, lab.seq):
                return i
            if e.hlevel:
                return i + 1
        return 0
    for i in range(top - 1, -1, -1):
        e = stack[i]
        el = e.label
        if lab.kind == "item":
            if e.kind != "item" and _next_number(e, lab):
                return i  # "27\. Liability" then a list from "28.": the numbering goes on
            if e.kind == "item":  # also one whose written number replaced its list number
                if e.list_depth == node.list_depth:
                    return i
                if e.list_depth < node.list_depth:
                    break
        elif el is not None and el.kind == "seq" and (el.marker, el.upper, el.seq) == (lab.marker, lab.upper, lab.seq):
            return i
        if e.hlevel:
            break
    return top


def _next_number(e: Node, lab: Label) -> bool:
    """Does a list item numbered N follow a written section number N - 1, and
    not the section's own items 1 .. N - 1, "(1)", "(2)" (a list that went on
    after a break, or a "3)" typed for "(3)")?"""
    pe = e.parts
    if not (pe is not None and len(pe) == 1 and pe[0].isdigit() and lab.numeric and lab.raw.isdigit()):
        return False
    n = int(lab.raw)
    if n != int(pe[0]) + 1:
        return False
    return not any(ch.label is not None and ch.label.parts[-1] == str(n - 1) for ch in e.children)


def _last_text(node: Node) -> str:
    return node.segs[-1].lines[-1][0] if node.segs and node.segs[-1].lines else ""


def _series_done(node: Node) -> bool:
    """Has a run of "(a) ...; (b) ...; (c) ... ." items ended with its last item?

    Then a following unlabelled paragraph is the parent's text, not the item's.
    """
    lab, parent = node.label, node.parent
    if lab is None or lab.kind != "seq" or node.title or node.children or parent is None or len(parent.children) < 2:
        return False
    prev = parent.children[-2]
    if prev.label is None or prev.label.kind != "seq" or prev.label.marker != lab.marker:
        return False
    mine, before = _last_text(node).rstrip(), _last_text(prev).rstrip()
    return mine.endswith(".") and before.endswith((";", ",", " and", " or", "; and", "; or"))


def build_tree(events: list[Event], numbered_doc: bool) -> list[Node]:
    stack: list[Node] = []
    nodes: list[Node] = []
    preamble: Node | None = None
    pending: list[Suppression] = []
    for kind, payload in events:
        if kind == "bold":
            node, seg = payload
            if numbered_doc:
                kind, payload = "seg", seg
            else:
                kind, payload = "node", node
        if kind == "seg":
            while len(stack) > 1 and (stack[-1].closed or _series_done(stack[-1])):
                stack.pop()
            if stack:
                stack[-1].segs.append(payload)
            else:
                if preamble is None:
                    preamble = Node("preamble", 0, None, None, 0, 0)
                    nodes.append(preamble)
                preamble.segs.append(payload)
        elif kind == "close":
            for nd in stack:
                if nd.list_id == payload:
                    nd.closed = True
        elif kind == "sup":
            pending.append(payload)
        elif kind == "node":
            node = payload
            lab = node.label
            if lab is not None and lab.kind == "seq" and lab.seq == "ambiguous":
                lab.seq = _resolve_seq(lab, stack)
            if lab is not None and (lab.kind == "dotted" or (lab.kind == "prefixed" and lab.numeric)):
                node.parts = lab.parts  # "7A.1" nests under "7A" like "7.1" under "7"
            depth = _parent_depth(node, stack) if node.hlevel or lab is not None else len(stack)
            del stack[depth:]
            node.parent = stack[-1] if stack else None
            if lab is not None and lab.kind == "item":
                pp = node.parent.parts if node.parent is not None else ()
                node.parts = (pp + (lab.raw,)) if pp is not None and lab.numeric else None
            if node.parent is not None:
                node.parent.children.append(node)
            node.suppressions.extend(pending)
            pending = []
            stack.append(node)
            nodes.append(node)
    if pending:
        target = nodes[-1] if nodes else None
        if target is not None:
            target.suppressions.extend(pending)
    return nodes


def _compose(parent: str, core: str) -> str:
    if core.isdigit() and _DOTTED_ID.fullmatch(parent):
        return f"{parent}.{core}"
    return f"{parent}({core})"


def _slug(text: str) -> str:
    s = _NON_WORD.sub("-", text.lower()).strip("-_")
    if len(s) > 60:
        s = s[:60].rsplit("-", 1)[0]
    return s or "section"


def github_slug(text: str) -> str:
    return _GH_DROP.sub("", text.strip().lower()).replace(" ", "-")


def identify(node: Node) -> None:
    """Set `base` (the id before de-duplication) and `number` from the label and parent."""
    parent, lab = node.parent, node.label
    if node.kind == "preamble":
        node.base, node.number = "preamble", None
        return
    if lab is None:
        slug = _slug(node.title or node.heading_text or "section")
        node.base = f"{parent.base}/{slug}" if parent is not None else slug
        node.number = None
        return
    numbered_parent = parent is not None and parent.number is not None
    relative = (lab.kind in ("item", "seq") and not _top_roman(lab)) or (
        lab.kind == "dotted" and len(lab.parts) == 1 and numbered_parent and node.kind != "item"
    )
    if not relative:
        node.base = node.number = lab.raw
        return
    core = lab.parts[0] if lab.kind == "seq" else lab.raw
    if parent is None:
        node.base = node.number = lab.raw
    elif parent.number is not None:
        node.base = _compose(parent.base, core)
        node.number = _compose(parent.number, core)
    else:
        node.base = f"{parent.base}/{core}"
        node.number = lab.raw
