"""What a document says about itself: the terms it defines, where its clauses
use them, and its own dates and version.

Definitions are found on plain text (Markdown removed), so bold inside or
outside the quotes needs no pattern of its own; only the unquoted
`**Term** means` and `**Term**: ...` forms need the bold ranges that each
`Segment` carries. A defining sentence never runs across a paragraph break,
except one that a PDF export put in mid-sentence (`sentence_segments`).
"""
from __future__ import annotations

import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from termslint import cache
from termslint.model import Span, TableRow

# Words a sentence cut by a line break tends to end on ("... the", "... and").
SMALL_WORDS = frozenset("a an and as at by for from in of on or the to via vs with that".split())
_MARKUP_CHARS = cache.regex(r"[*_#>`\\]")

# (text, 1-based file line, 1-based file column of text[0])
TextLine = tuple[str, int, int]


@dataclass(slots=True)
class Segment:
    """A paragraph (or table row, list item) of a clause's text, line by line."""

    lines: list[TextLine]
    bold: list[tuple[int, int, int]] = field(default_factory=list)  # (line index, start, end)
    row: TableRow | None = None  # a table row: its one line, offsets from that line's start


@dataclass(slots=True)
class FoundDefinition:
    term: str
    offset: int  # of the defining occurrence, in the clause text
    sentence: str
    span: Span
    meaning: tuple[str, ...] = ()  # what the term stands for, in words (see `meaning_words`)


_TERM = r"[A-Za-z0-9][^\"“”‘’\n]{0,60}?"
# A quoted term, possibly followed by `or "Y"` / `, "Z"` alternatives. Curly single
# quotes count (UK drafting: ‘Customer Data’ means); straight ones would catch apostrophes.
_QUOTED = rf"[\"“”‘]({_TERM})[,.]?[\"“”’]"
_VERB = (
    r"(?:shall|will|should|does|is\s+to|are\s+to)?\s*(?:means?|refers?\s+to|is\s+defined\s+as|"
    r"has\s+the\s+meanings?|have\s+the\s+meanings?|shall\s+have\s+the\s+meanings?|includes?)\b"
)
_QUOTED_MEANS = cache.regex(
    rf"{_QUOTED}((?:\s*(?:,|/|\bor\b|\band\b|,\s*or\b|,\s*and\b)\s*{_QUOTED})*)"
    rf"(?:\s*\([^)]{{0,40}}\))?\s*,?\s*{_VERB}"
)
_MORE_QUOTED = cache.regex(_QUOTED)
# (“X”), (the "X"), (collectively, “X”), (each, a "X"), (hereinafter "X"), ("X" or "Y")
_PAREN_INTRO = (
    r"(?:(?:collectively|together|jointly|individually|each|hereinafter|hereafter|herein|"
    r"also|separately|and|or|the|a|an|as|any|all|such|further|referred\s+to(?:\s+herein)?(?:\s+as)?|"
    r"known\s+as|called|defined\s+as)\b[\s,:]*)*"
)
_PAREN_DEF = cache.regex(
    # not examples: (such as "architect" or "general contractor"), (e.g. "apps")
    rf"\((?!\s*(?:(?:such\s+as|for\s+(?:example|instance)|like|including)\b|e\.\s?g\.))\s*{_PAREN_INTRO}{_QUOTED}((?:\s*(?:,|;|/|\bor\b|\band\b)\s*(?:the\s+|a\s+|an\s+)?{_QUOTED})*)\s*\)"
)
# A title in brackets after a reference names that section, it defines nothing:
# "see Section 2 (“What We Collect”)", "in Section 1.c (“Introduction”)"; but
# "as described in Appendix 2 (the “Security Measures”)" does.
_SECTION_BEFORE = cache.regex(
    r"(?i)\b(?:sections?|clauses?|articles?|paragraphs?|parts?|schedules?|annex(?:es)?|appendix|"
    r"appendices|exhibits?|§)\s*\d[\w.()-]*\s*$"
)
# "... referred to as “Agreement”" outside brackets; not an old or informal name,
# which the document need not use: "(previously referred to as “Apple ID”)",
# "(sometimes referred to as “Essential”)", "formerly known as “Acme Cloud”".
_NOT_AN_ALIAS = "".join(
    rf"(?<!\b{w}\s)" for w in ("previously", "formerly", "sometimes", "commonly", "often",
                                "originally", "generally", "popularly", "colloquially", "once")
)
_REFERRED_AS = cache.regex(
    rf"{_NOT_AN_ALIAS}(?:referred\s+to\s+(?:herein\s+)?as\s+(?:the\s+)?{_QUOTED}|known\s+as\s+(?:the\s+)?{_QUOTED}"
    # "We refer to Inputs and Outputs together as “Materials”", "we call them
    # “Services”", "Inputs and Outputs are together “Materials”"
    rf"|\b(?:[Ww]e|[Tt]hey)\s+(?:will\s+)?(?:refer\s+to\s+[^.;:()]{{1,80}}?\s+(?:together\s+|collectively\s+|jointly\s+)?as"
    rf"|call\s+[^.;:()\"“]{{1,60}}?(?:\s+together|\s+collectively|\s+jointly)?)\s+(?:the\s+)?{_QUOTED}"
    rf"|\b(?:are|is)\s+(?:together|collectively|jointly)\s+(?:called\s+|termed\s+|the\s+)?{_QUOTED})"
)
# Unquoted: "Customer Content means ..." at a sentence start. Found from the verb
# backwards: the verb is rare, a capitalised phrase at every sentence start is not.
_BARE_VERB = cache.regex(r" (?:shall mean|means|refers to)\b(?! (?:of|by|that|for|through|to)\b)")
_BARE_TERM = cache.regex(r"(?:^|(?<=[.;:]\s))((?:[A-Z][\w'’-]*)(?:\s+(?:of|and|or|for|the|[A-Z][\w'’-]*)){0,5})$")
_BARE_STOP = frozenset(
    "This That These Those It Which What Such Each Any All The A An If When Where Who He She "
    "They We You Our Your Their Its There Here Please Note".split()
)
# After "has the meaning": a pointer, not a definition. "given (to it) in ..."
# points elsewhere whatever follows ("in the background of this MSA", "in
# the GDPR"); a bare "in" must name a place ("in Section 5.2").
_POINTER = cache.regex(
    r"\s+(?:(?:given|set\s+(?:out|forth)|ascribed|assigned|provided|specified|defined)\s*"
    r"(?:to\s+(?:it|them|such\s+term)\s+)?(?:in|at|under|by|below|above|herein)\b"
    r"|(?:in|at|under|by)\s+(?:this\s+|the\s+)?"
    r"(?:Sections?|Clauses?|Articles?|paragraphs?|sections?|clauses?|articles?|Schedule|Annex|Appendix|"
    r"Exhibit|below|above|herein)\b)"
)
_PRONOUNS = frozenset(
    "you your yours we us our ours i me my they them their he she it its company".split()
)
_DEFINITIONS_TITLE = cache.regex(r"(?i)\b(definition|definitions|interpretation|glossary|defined terms|meaning)")
# "**Term**:" / "**Term** –" definition-list items in a Definitions section.
_LIST_SEP = cache.regex(r"\s*[\"“”]?\s*(?::|–|—|-\s)\s*\S")
_BOLD_MEANS = cache.regex(r"\s*[\"“”]?\s*,?\s*" + _VERB)


_TRIGGERS = ("mean", "refer", "defined", "include", "\"", "“", "”", "‘", "known as")
_REACH = 600
_SENTENCE_END = cache.regex(r"[.;!?]\s+(?=[\"“(A-Z0-9])")
_SENTENCE_STOP = cache.regex(r"[.!?](?=\s+[\"“(A-Z0-9]|\s*$)|;(?=\s*$)")


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


def sentence_segments(segs: list[Segment]) -> tuple[list[Segment], list[int]]:
    """Join paragraphs that a PDF export cut mid-sentence ("makes available" / "a platform")."""
    out: list[Segment] = []
    out_offsets: list[int] = []
    off = 0
    for seg in segs:
        here, off = off, off + sum(len(ln[0]) + 1 for ln in seg.lines)
        if not seg.lines:
            continue
        if out:
            prev = out[-1].lines[-1][0]
            nxt = seg.lines[0][0]
            if out[-1].row is None and seg.row is None and prev and prev[-1] not in ".;:!?" and (
                nxt[:1].islower() or prev[-1] == "," or prev.rsplit(None, 1)[-1].lower() in SMALL_WORDS
            ):
                merged = out[-1]
                n = len(merged.lines)
                out[-1] = Segment(merged.lines + seg.lines, merged.bold + [(i + n, a, b) for i, a, b in seg.bold])
                continue
        out.append(seg)
        out_offsets.append(here)
    return out, out_offsets


def find_definitions(segments: list[Segment], seg_offsets: list[int], in_definitions: bool) -> list[FoundDefinition]:
    """Defining occurrences in one clause's segments.

    `seg_offsets[i]` is where segment i's first line starts in the clause text.
    """
    found: list[FoundDefinition] = []
    for seg, base in zip(segments, seg_offsets):
        texts = [ln[0] for ln in seg.lines]
        text = "\n".join(texts)
        if not seg.bold and not any(t in text for t in _TRIGGERS):
            continue  # most paragraphs define nothing; skip them before any regex
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
        if "(" in text and ("\"" in text or "“" in text or "”" in text or "‘" in text):
            for m in _PAREN_DEF.finditer(text):
                if not text[m.start() + 1:m.start(1) - 1].strip() \
                        and _SECTION_BEFORE.search(text, max(0, m.start() - 40), m.start()):
                    continue  # a bare title: (the "Security Measures") still defines
                hits.append((m.group(1), m.start(1)))
                if m.group(2):
                    for m2 in _MORE_QUOTED.finditer(m.group(2)):
                        hits.append((m2.group(1), m.start(2) + m2.start(1)))
        if "refer" in text or "known as" in text or "together" in text or "collectively" in text \
                or "jointly" in text or " call" in text:
            for m in _REFERRED_AS.finditer(text):
                g = m.lastindex or 1  # each alternative holds one group: the term
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
            found.append(FoundDefinition(term, base + off, sentence, span, meaning_words(text, s0, s1, off)))
    found.sort(key=lambda f: f.offset)
    return found


_WORD = cache.regex(r"[^\W_]+")
_MEANING_WORDS = 10
_NAME_GLUE = frozenset("of and the for on to in de du la le van von der".split())


def meaning_words(text: str, s0: int, s1: int, term_at: int) -> tuple[str, ...]:
    """What a definition says the term stands for, as lower-case words, so that
    two definitions in the same words can be told from two meanings.

    A term named in brackets stands for what comes just before the bracket: an
    acronym for the words it spells, else a name ("Google LLC, 1600 Amphitheatre
    Parkway, ... USA", whatever led up to it), else the last ten words. Any other
    definition ("X" means ...) stands for its sentence.
    """
    bracket = text.rfind("(", s0, term_at)
    if bracket == -1 or ")" in text[bracket:term_at]:
        return tuple(_WORD.findall(text[s0:s1].lower()))
    words = _WORD.findall(text[s0:bracket])
    named = _expansion(text[term_at:term_at + 10], words) or _name(words)
    return named or tuple(w.lower() for w in words[-_MEANING_WORDS:])


def _name(words: list[str]) -> tuple[str, ...]:
    """The capitalised name (with its address) that ends the words, if two words or more."""
    i = len(words)
    while i:
        w = words[i - 1]
        if w[0].isupper() or w[0].isdigit():
            i -= 1
        elif w.lower() in _NAME_GLUE and 1 < i < len(words) and _in_name(words[i - 2]):
            i -= 1  # "Bank of America", "Section 5 of the Master Agreement"
        else:
            break
    while i < len(words) and words[i].lower() in _NAME_GLUE:
        i += 1  # a name does not start with "of the"
    return ("name", *(w.lower() for w in words[i:])) if len(words) - i >= 2 else ()


def _in_name(word: str) -> bool:
    return word[0].isupper() or word[0].isdigit() or word.lower() in _NAME_GLUE


_ACRONYM = cache.regex(r"[A-Z]{2,8}\b")
_ACRONYM_GLUE = frozenset("of and the for on to in de".split())


def _expansion(term_text: str, words: list[str]) -> tuple[str, ...]:
    """The words an acronym spells out, if they end just before its bracket:
    "the European Economic Area ("EEA")" stands for "european economic area",
    wherever that sentence goes on or started; "of 1998" after the name is skipped."""
    m = _ACRONYM.match(term_text)
    if m is None:
        return ()
    letters = m.group(0)
    end = len(words)
    while end and (words[end - 1].isdigit() or (end < len(words) and words[end - 1].lower() == "of")):
        end -= 1
    i, k = end, len(letters)
    while i and k:
        w = words[i - 1]
        if w[0].upper() == letters[k - 1] and w[0].isupper():
            k -= 1
        elif w.lower() not in _ACRONYM_GLUE or i == end:
            return ()
        i -= 1
    return ("=", *(w.lower() for w in words[i:end])) if k == 0 else ()


def _line_of(line_offsets: list[int], offset: int) -> int:
    lo, hi = 0, len(line_offsets) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if line_offsets[mid] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return lo


_PLURAL_MARK = cache.regex(r"\((?:s|es)\)$", re.IGNORECASE)
# A plural whose singular is plain: "Claims", "Parties"; not "Business", "Bonus", "Analysis".
_PLURAL = cache.regex(r"(?<=[a-z]{2})(?:(?<![sui])(?<!ew)s|(?<=[^aeiou])(?<!ser)(?<!spec)ies)$", re.IGNORECASE)


def term_forms(terms: list[str]) -> dict[str, str]:
    """Each way of writing a defined term, to the term.

    "Customer(s)" is used as "Customer" too, and a term defined in the plural
    ("Claims", "Parties") is used in the singular ("a Claim", "each Party").
    A term defined in capitals ("PERSONAL DATA means ...") is used as
    "Personal Data" or "personal data"; a single word in capitals may be an
    acronym ("GDPR", "PIPEDA") and keeps its case, unless it is long.
    """
    forms = {t: t for t in terms}
    for t in terms:
        stem = _PLURAL_MARK.sub("", t)
        if t.isupper() and (" " in t or len(t) >= 7):
            forms.setdefault(stem.title(), t)
            forms.setdefault(stem.lower(), t)
        if stem == t:
            stem = _PLURAL.sub(lambda m: "" if len(m.group()) == 1 else ("Y" if m.group().isupper() else "y"), t)
        if stem and stem != t:
            forms.setdefault(stem, t)
    return forms


def compile_terms(forms: Iterable[str]) -> re.Pattern[str] | None:
    """One regex for every form of every defined term, longest first so "Customer Content" beats "Customer"."""
    alts = "|".join(re.escape(t) for t in sorted(set(forms), key=lambda t: (-len(t), t)))
    if not alts:
        return None
    # An optional plural: "Customers" uses "Customer".
    # No lookbehind in front: a pattern that starts with its alternatives lets the
    # regex engine skip ahead by first character; the left boundary is checked in find_uses.
    # A document's own terms: compiled per document, not kept in the start-up cache.
    return re.compile(rf"(?:{alts})(?=(?:s|es|'s|’s)?(?![\w]))")


def find_uses(pattern: re.Pattern[str] | None, text: str, skip_offsets: set[int], forms: Mapping[str, str]) -> list[str]:
    """The defined terms used in `text` (`pattern` and `forms`: from `compile_terms` and `term_forms`)."""
    if pattern is None or not text:
        return []
    used: set[str] = set()
    for m in pattern.finditer(text):
        at = m.start()
        if at in skip_offsets or (at and (text[at - 1].isalnum() or text[at - 1] == "_")):
            continue
        used.add(forms[m.group(0)])
    return sorted(used)


# --- the document's own metadata -------------------------------------------------


_MONTHS = {m: i for i, m in enumerate(
    "january february march april may june july august september october november december".split(), 1)}
_MONTHS.update({m[:3]: i for m, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MON = r"(?:January|February|March|April|May|June|July|August|September|October|November|December|" \
       r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec)"
_DATE = cache.regex(
    rf"(?i)(?P<dmy>(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m1>{_MON})\.?,?\s+(?P<y1>\d{{4}}))"
    rf"|(?P<mdy>(?P<m2>{_MON})\.?\s+(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y2>\d{{4}}))"
    rf"|(?P<iso>(?P<y3>\d{{4}})-(?P<m3>\d{{1,2}})-(?P<d3>\d{{1,2}}))"
    rf"|(?P<num>(?P<a4>\d{{1,2}})[./](?P<b4>\d{{1,2}})[./](?P<y4>\d{{4}}))"
    rf"|(?P<my>(?P<m5>{_MON})\s+(?P<y5>\d{{4}}))"
)
_META_KEYS = (
    ("effective_date", cache.regex(
        r"(?i)\b(?:effective\s+date|date\s+effective|date\s+of\s+effect|effective(?:\s+as\s+of|\s+from|\s+on)?)\b\s*(?P<colon>[:\-–—]?)\s*")),
    ("last_updated", cache.regex(
        r"(?i)\b(?:last\s+(?:updated|modified|revised|amended|changed)(?:\s+on)?|updated(?:\s+on)?|revised(?:\s+on)?)\b\s*(?P<colon>[:\-–—]?)\s*")),
)
_VERSION = cache.regex(r"(?i)\bversion\s*(?:no\.?|number)?\s*[:\-]?\s*(?P<v>v?\d+(?:\.\d+)*[a-z]?)\b")


def _iso(m: re.Match[str]) -> str | None:
    try:
        if m.group("dmy"):
            y, mo, d = int(m.group("y1")), _MONTHS[m.group("m1").lower()], int(m.group("d1"))
        elif m.group("mdy"):
            y, mo, d = int(m.group("y2")), _MONTHS[m.group("m2").lower()], int(m.group("d2"))
        elif m.group("iso"):
            y, mo, d = int(m.group("y3")), int(m.group("m3")), int(m.group("d3"))
        elif m.group("num"):
            a, b, y = int(m.group("a4")), int(m.group("b4")), int(m.group("y4"))
            if a > 12 >= b:
                d, mo = a, b
            elif b > 12 >= a:
                d, mo = b, a
            else:
                return None  # 03/04/2024: day or month first is anyone's guess
        else:
            return None
        return _dt.date(y, mo, d).isoformat()
    except (ValueError, KeyError):
        return None


def text_metadata(lines: list[str]) -> dict[str, str]:
    """Effective date, last update and version from the document's own opening or closing lines."""
    found: dict[str, str] = {}
    n = len(lines)
    probe = list(range(min(n, 60))) + list(range(max(60, n - 15), n))
    for k in probe:
        raw = lines[k]
        if not raw.strip() or len(raw) > 2000:
            continue
        low = raw.lower()
        if not any(w in low for w in ("effective", "updated", "revised", "modified", "amended", "changed", "version")):
            continue
        line = _MARKUP_CHARS.sub("", raw).replace("\xa0", " ")
        for key, rx in _META_KEYS:
            if key in found:
                continue
            for m in rx.finditer(line):
                rest = line[m.end():]
                d = _DATE.match(rest)
                if d:
                    found[key] = d.group(0).strip()
                    iso = _iso(d)
                    if iso:
                        found[key + "_iso"] = iso
                    break
                if m.group("colon") and rest.strip() and m.start() < 4:
                    found[key] = rest.strip().rstrip(".)").strip()[:80]
                    break
        if "version" not in found:
            v = _VERSION.search(line)
            if v:
                found["version"] = v.group("v")
    return found


def snake_case(key: str) -> str:
    key = re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", key.strip())
    return re.sub(r"[^0-9a-zA-Z]+", "_", key).strip("_").lower()


def jsonable(value: Any) -> Any:
    """Front-matter values as JSON can carry them (YAML dates become ISO strings)."""
    if isinstance(value, (_dt.date, _dt.datetime)):
        return value.isoformat()
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set)):
        return [jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)  # "1e999" would print as Infinity, which is not JSON
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return str(value)


def document_metadata(front_matter: dict[str, Any], lines: list[str]) -> dict[str, Any]:
    """Front matter first; effective date, last update and version from the text fill the gaps."""
    metadata: dict[str, Any] = dict(front_matter)
    for key, found in text_metadata(lines).items():
        metadata.setdefault(key, found)
    for key in ("effective_date", "last_updated"):
        value = front_matter.get(key)
        if isinstance(value, str) and key + "_iso" not in front_matter:
            d = _DATE.match(value.strip())
            iso = _iso(d) if d else None
            if iso:
                metadata[key + "_iso"] = iso
    return metadata
