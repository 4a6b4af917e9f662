"""Defined terms: where a document defines them, and where clauses use them.

The parser hands every clause's text over as `Segment`s (one per paragraph,
table row group or list item) so that a defining sentence never runs across
a paragraph break. Definitions are found on plain text (Markdown removed), so
bold inside or outside the quotes needs no pattern of its own; only the
unquoted `**Term** means` and `**Term**: ...` forms need the bold ranges.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from termslint.model import Span

# (text, 1-based file line, 1-based file column of text[0])
TextLine = tuple[str, int, int]


@dataclass(slots=True)
class Segment:
    """A paragraph-like run of a clause's text lines; sentences never cross segments."""

    lines: list[TextLine]
    bold: list[tuple[int, int, int]] = field(default_factory=list)  # (line index, start, end)


@dataclass(slots=True)
class FoundDefinition:
    term: str
    offset: int  # of the defining occurrence, in the clause text
    sentence: str
    span: Span


_Q_OPEN = "\"“”‘’'"
_TERM = r"[A-Za-z0-9][^\"“”\n]{0,60}?"
# A quoted term, possibly followed by `or "Y"` / `, "Z"` alternatives.
_QUOTED = rf"[\"“”]({_TERM})[,.]?[\"“”]"
_VERB = (
    r"(?:shall|will|should|does|is\s+to|are\s+to)?\s*(?:means?|refers?\s+to|is\s+defined\s+as|"
    r"has\s+the\s+meanings?|have\s+the\s+meanings?|shall\s+have\s+the\s+meanings?|includes?)\b"
)
_QUOTED_MEANS = re.compile(
    rf"{_QUOTED}((?:\s*(?:,|/|\bor\b|\band\b|,\s*or\b|,\s*and\b)\s*{_QUOTED})*)"
    rf"(?:\s*\([^)]{{0,40}}\))?\s*,?\s*{_VERB}"
)
_MORE_QUOTED = re.compile(_QUOTED)
# (“X”), (the "X"), (collectively, “X”), (each, a "X"), (hereinafter "X"), ("X" or "Y")
_PAREN_INTRO = (
    r"(?:(?:collectively|together|jointly|individually|each|hereinafter|hereafter|herein|"
    r"also|separately|and|or|the|a|an|as|any|all|such|further|referred\s+to(?:\s+herein)?(?:\s+as)?|"
    r"known\s+as|called|defined\s+as)\b[\s,:]*)*"
)
_PAREN_DEF = re.compile(
    rf"\(\s*{_PAREN_INTRO}{_QUOTED}((?:\s*(?:,|;|/|\bor\b|\band\b)\s*(?:the\s+|a\s+|an\s+)?{_QUOTED})*)\s*\)"
)
# "... referred to as “Agreement”" outside brackets.
_REFERRED_AS = re.compile(
    rf"referred\s+to\s+(?:herein\s+)?as\s+(?:the\s+)?{_QUOTED}|known\s+as\s+(?:the\s+)?{_QUOTED}"
)
# Unquoted: "Customer Content means ..." at a sentence start. Found from the verb
# backwards: the verb is rare, a capitalised phrase at every sentence start is not.
_BARE_VERB = re.compile(r" (?:shall mean|means|refers to)\b(?! (?:of|by|that|for|through|to)\b)")
_BARE_TERM = re.compile(r"(?:^|(?<=[.;:]\s))((?:[A-Z][\w'’-]*)(?:\s+(?:of|and|or|for|the|[A-Z][\w'’-]*)){0,5})$")
_BARE_STOP = frozenset(
    "This That These Those It Which What Such Each Any All The A An If When Where Who He She "
    "They We You Our Your Their Its There Here Please Note".split()
)
# "Section 5.2" after "has the meaning given in": a pointer, not a definition.
_POINTER = re.compile(
    r"\s+(?:given|set\s+(?:out|forth)|ascribed|assigned|provided|specified|defined)?\s*"
    r"(?:to\s+(?:it|them|such\s+term)\s+)?(?:in|at|under|by)\s+(?:this\s+|the\s+)?"
    r"(?:Sections?|Clauses?|Articles?|paragraphs?|sections?|clauses?|articles?|Schedule|Annex|Appendix|"
    r"Exhibit|below|above|herein)\b"
)
_PRONOUNS = frozenset(
    "you your yours we us our ours i me my they them their he she it its company".split()
)
_DEFINITIONS_TITLE = re.compile(r"(?i)\b(definition|definitions|interpretation|glossary|defined terms|meaning)")
# "**Term**:" / "**Term** –" definition-list items in a Definitions section.
_LIST_SEP = re.compile(r"\s*[\"“”]?\s*(?::|–|—|-\s)\s*\S")
_BOLD_MEANS = re.compile(r"\s*[\"“”]?\s*,?\s*" + _VERB)


_REACH = 600
_SENTENCE_END = re.compile(r"[.;!?]\s+(?=[\"“(A-Z0-9])")
_SENTENCE_STOP = re.compile(r"[.!?](?=\s+[\"“(A-Z0-9]|\s*$)|;(?=\s*$)")


def _after_stop(text: str, at: int) -> bool:
    """Does a sentence start at `at` (the start of text, or after ". ")?"""
    return at == 0 or text[max(0, at - 2):at] in (". ", "; ", ": ", ".\n", ";\n", ":\n")


def is_definitions_title(title: str | None) -> bool:
    return bool(title) and bool(_DEFINITIONS_TITLE.search(title or ""))


def _clean_term(raw: str) -> str | None:
    term = raw.strip().strip(",.;:").strip()
    if not term or len(term) > 60 or term.count(" ") > 7:
        return None
    if term.lower() in _PRONOUNS or not any(ch.isalpha() for ch in term):
        return None
    return term


def _sentence_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around text[start:end]: from the previous '. ' to the next one.

    Looks at most _REACH characters each way, so a 500 KB paragraph without a
    full stop costs the same per definition as a short one.
    """
    lo = max(0, start - _REACH)
    left = lo
    for m in _SENTENCE_END.finditer(text, lo, start):
        left = m.end()
    if left == lo and lo > 0:
        nl = text.rfind("\n", lo, start)
        left = nl + 1 if nl >= 0 else lo
    hi = min(len(text), end + _REACH)
    m2 = _SENTENCE_STOP.search(text, end, hi)
    if m2:
        return left, m2.end()
    nl = text.find("\n", end, hi)
    return left, (nl if nl >= 0 else hi)


def find_definitions(segments: list[Segment], seg_offsets: list[int], in_definitions: bool) -> list[FoundDefinition]:
    """Defining occurrences in one clause's segments.

    `seg_offsets[i]` is where segment i's first line starts in the clause text.
    """
    found: list[FoundDefinition] = []
    for seg, base in zip(segments, seg_offsets):
        texts = [ln[0] for ln in seg.lines]
        text = "\n".join(texts)
        if not text:
            continue
        line_offsets: list[int] = []
        pos = 0
        for t in texts:
            line_offsets.append(pos)
            pos += len(t) + 1
        hits: list[tuple[str, int]] = []  # (term, offset in segment text)
        if "mean" in text or "refer" in text or "defined" in text or "include" in text:
            for m in _QUOTED_MEANS.finditer(text):
                tail = text[m.end():m.end() + 80]
                if "meaning" in m.group(0) and _POINTER.match(tail):
                    continue  # "has the meaning given in Section 5.2" points elsewhere
                hits.append((m.group(1), m.start(1)))
                if m.group(2):
                    for m2 in _MORE_QUOTED.finditer(m.group(2)):
                        hits.append((m2.group(1), m.start(2) + m2.start(1)))
        if "(" in text:
            for m in _PAREN_DEF.finditer(text):
                hits.append((m.group(1), m.start(1)))
                if m.group(2):
                    for m2 in _MORE_QUOTED.finditer(m.group(2)):
                        hits.append((m2.group(1), m.start(2) + m2.start(1)))
        if "referred" in text or "known as" in text:
            for m in _REFERRED_AS.finditer(text):
                g = 1 if m.group(1) is not None else 2
                hits.append((m.group(g), m.start(g)))
        if " mean" in text or " refers to" in text:
            for v in _BARE_VERB.finditer(text):
                lo = max(0, v.start() - 80)
                b = _BARE_TERM.search(text, lo, v.start())
                if b is None or (b.start(1) == lo and lo > 0 and not _after_stop(text, lo)):
                    continue
                words = b.group(1).split()
                if words[0] in _BARE_STOP or len(words) > 6:
                    continue
                hits.append((b.group(1), b.start(1)))
        for li, bs, be in seg.bold:
            # "**Term** means" anywhere; "**Term**: ..." only in a Definitions section,
            # and only when the bold run opens its line (a definition-list item).
            start = line_offsets[li] + bs
            end = line_offsets[li] + be
            term_text = text[start:end].strip().strip("\"“”").strip()
            after = text[end:end + 40]
            if _BOLD_MEANS.match(after) or (in_definitions and bs <= 1 and _LIST_SEP.match(after)):
                hits.append((term_text, start))
        seen: set[tuple[str, int]] = set()
        for raw, off in hits:
            term = _clean_term(raw)
            if term is None or (term, off) in seen:
                continue
            seen.add((term, off))
            s0, s1 = _sentence_bounds(text, off, off + len(term))
            first = _line_of(line_offsets, s0)
            last = _line_of(line_offsets, max(s0, s1 - 1))
            span = Span(seg.lines[first][1], seg.lines[last][1])
            sentence = " ".join(text[s0:s1].split())
            found.append(FoundDefinition(term, base + off, sentence, span))
    found.sort(key=lambda f: f.offset)
    return found


def _line_of(line_offsets: list[int], offset: int) -> int:
    lo, hi = 0, len(line_offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_offsets[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


def compile_terms(terms: list[str]) -> re.Pattern[str] | None:
    """One regex for every defined term, longest first so "Customer Content" beats "Customer"."""
    if not terms:
        return None
    alts = "|".join(re.escape(t) for t in sorted(set(terms), key=lambda t: (-len(t), t)))
    # An optional plural: "Customers" uses "Customer".
    # No lookbehind in front: a pattern that starts with its alternatives lets the
    # regex engine skip ahead by first character; the left boundary is checked in find_uses.
    return re.compile(rf"(?:{alts})(?=(?:s|es|'s|’s)?(?![\w]))")


def find_uses(pattern: re.Pattern[str] | None, text: str, skip_offsets: set[int]) -> list[str]:
    if pattern is None or not text:
        return []
    used: set[str] = set()
    for m in pattern.finditer(text):
        at = m.start()
        if at in skip_offsets or (at and (text[at - 1].isalnum() or text[at - 1] == "_")):
            continue
        used.add(m.group(0))
    return sorted(used)
