"""Clause labels: the number a heading, paragraph or list item starts with.

`parse_label(text, context)` recognises "10.2", "7A.1", "Section 4",
"ARTICLE IV", "(b)", "(iv)", "b." and "IV." and returns a `Label` (kind,
parts, the label as written, and where it ends in its line). `title_like(s)`
tells a heading ("Customer Content") from a sentence, and `roman(s)` reads a
roman numeral. The walker in `termslint.parse` uses them on every line; the
clause tree (`termslint.parse_tree`) uses `Label` to place clauses.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from termslint.parse_defs import SMALL_WORDS

_PREFIX_WORDS = r"(?:Section|SECTION|Article|ARTICLE|Clause|CLAUSE|§)"
_PREFIXED = re.compile(rf"{_PREFIX_WORDS}\s*(\d{{1,3}}(?:\.\d{{1,3}})*|[IVXL]{{1,6}}|[ivxl]{{1,6}})\b\.?")
# "10.2", "7A", and a number with a letter or Latin suffix that is its own: "5a", "10bis".
# ("1.3a." after "1.3.": a letter on the last part, before a dot, a space or a bracket)
_DOTTED = re.compile(r"(\d{1,3}(?:[A-Z]|bis|ter|quater|[a-z](?![a-z]))?)((?:\.\d{1,3}){0,5}(?:(?<=\d)[a-z](?=[.\s)]))?)(\.?)(?=\s|[A-Za-z(“\"]|$)")
_PAREN = re.compile(r"\((\d{1,3}|[a-z]{1,2}|[ivxl]{1,6}|[A-Z]{1,2}|[IVXL]{1,6})\)(?=\s|[A-Za-z“\"]|$)")
_SEQ_DOT = re.compile(r"([a-z]|[ivx]{1,5}|[A-Z]|[IVX]{1,5})([.)])(?=\s)")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
_LITERAL_LEAD = "*_•·▪◦●"
_ROMAN_FORM = re.compile(r"x{0,3}(ix|iv|v?i{0,3})")
_SEPARATOR = re.compile(r"\s*[.:\-–—)]")
_LETTER = re.compile(r"[^\W\d_]")
# Street names: "1 Hacker Way" or "1 Hatch Street Upper" in a contact block is an address.
_STREET = re.compile(r"\b(?:Street|Road|Avenue|Boulevard|Parkway|Plaza|Embankment|Strasse|Straße|Rue|Via|Calle)\b"
                     r"|\b(?:St|Rd|Ave|Blvd|Way|Drive|Lane|Place|Square|Court|Terrace|Close|Row|Quay|Wharf)\.?$")


def roman(s: str) -> int:
    total, prev = 0, 0
    for ch in reversed(s.lower()):
        v = _ROMAN_VALUES.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _is_roman(s: str) -> bool:
    s = s.lower()
    return bool(s) and all(c in _ROMAN_VALUES for c in s) and 0 < roman(s) < 40 and (
        _ROMAN_FORM.fullmatch(s) is not None
    )


@dataclass(slots=True)
class Label:
    """A clause number as written at the start of a heading, paragraph or list item."""

    kind: str  # dotted | prefixed | item | seq
    parts: tuple[str, ...]  # ("10", "2"); ("IV",); ("b",)
    raw: str  # as written, without a trailing dot: "10.2", "(b)", "b", "IV"
    end: int  # where the label ends in its line
    marker: str = ""  # seq: "()", ".", ")"; prefixed: the word, lowercased
    upper: bool = False
    seq: str = ""  # seq: alpha | roman | num | ambiguous (resolved when placed)

    @property
    def numeric(self) -> bool:
        return all(p.isdigit() for p in self.parts)


def parse_label(text: str, context: str, alone: bool = False) -> Label | None:
    """The label that opens `text`, if any. `context`: heading | para | line | bullet.

    `alone`: `text` is a whole paragraph of one line (the caller checks that
    a dotless "10 Title" continues the numbering).
    """
    if text[:1] in _LITERAL_LEAD:
        # "**5. Title  \n**Text": emphasis CommonMark could not close stays literal;
        # "• 1.1. Text": a bullet glyph copied from a PDF.
        bare = text.lstrip(_LITERAL_LEAD).lstrip()
        label = parse_label(bare, context, alone) if bare else None
        if label is not None:
            label.end += len(text) - len(bare)
        return label
    if not text or not (text[0].isalnum() or text[0] in "(§"):
        return None
    c0 = text[0]
    if c0 in "SsAaCc§" and context != "bullet":
        m = _PREFIXED.match(text)
        if m:
            rest = text[m.end():]
            # In running text "Section 230 of the Act ..." is a reference, not a heading;
            # "Article 6. Prestations « Location »" opening a paragraph is a label.
            stop = (m.group(0).endswith(".") and context in ("para", "bold")
                    and rest[:1].isspace() and rest.lstrip()[:1].isupper())
            if context == "heading" or not rest.strip() or _SEPARATOR.match(text, m.end()) or stop or (
                rest[:1] == " " and title_like(rest.strip(), strict=True)
            ):
                word = re.match(r"\S+", text)
                return Label("prefixed", (m.group(1),), m.group(1), m.end(), marker=word.group(0).lower() if word else "")
    if c0.isdigit():
        m = _DOTTED.match(text)
        if not m:
            return None
        depth = 1 + m.group(2).count(".")
        if context == "bullet" and depth < 2:
            return None
        if depth == 1 and not m.group(3) and context not in ("heading", "bold"):
            # A bare "10 days ..." is prose. PDF exports drop the dot of a heading:
            # "1 BACKGROUND", or on a line of its own "10 Representations, Warranties and Disclaimers".
            rest = text[m.end():].strip()
            if not (rest and len(rest) < 80 and (rest.isupper() or (alone and _title_case(rest)))):
                return None
            if not rest.isupper() and (any(ch.isdigit() for ch in rest) or _STREET.search(rest)):
                return None  # "8 October 2025", "400 1st Avenue", "1 Meta Way", a table row
        if context == "line" and depth == 1 and not m.group(3):
            return None
        parts = (m.group(1),) + tuple(p for p in m.group(2).split(".") if p)
        return Label("dotted", parts, ".".join(parts), m.end())
    if c0 == "(":
        m = _PAREN.match(text)
        if not m:
            return None
        core = m.group(1)
        if core.isdigit():
            return Label("seq", (core,), f"({core})", m.end(), "()", False, "num")
        return _seq_label(core, "()", m.end(), f"({core})")
    if context == "bullet":
        return None
    m = _SEQ_DOT.match(text)
    if m:
        return _seq_label(m.group(1), m.group(2), m.end(), m.group(1))
    return None


def _seq_label(core: str, marker: str, end: int, raw: str) -> Label | None:
    upper = core.isupper()
    if len(core) == 1:
        kind = "ambiguous" if core.lower() in "ivxlcdm" else "alpha"
    elif _is_roman(core):
        kind = "roman"
    elif len(core) == 2 and core[0] == core[1]:
        kind = "alpha"  # (aa), (bb)
    else:
        return None
    return Label("seq", (core,), raw, end, marker, upper, kind)


def title_like(s: str, strict: bool = False) -> bool:
    """Does `s` read as a heading ("Customer Content", "LIMITATION OF LIABILITY")?

    `strict` is for guesses from plain text, where a sentence fragment cut by
    a PDF line break must not pass: no commas, brackets or quotes.
    """
    s = s.strip()
    if not 2 <= len(s) <= 100 or s[-1] in ".;,!":
        return False
    if strict and (any(ch in s for ch in ",(“\":") or ". " in s):
        return False
    if len(_LETTER.findall(s, 0, 12)) < 3 and len(_LETTER.findall(s)) < 3:
        return False
    words = s.split()
    if len(words) > (8 if strict else 14) or words[-1].lower() in SMALL_WORDS:
        return False
    if not (s[0].isupper() or s[0].isdigit() or s[0] in "“\"'"):
        return False
    if strict and not s.isupper():
        # A guess from plain text must be Title Case: "The Platform", not "Flurry is provided by".
        return _mostly_capitalised(words)
    return True


def _mostly_capitalised(words: list[str]) -> bool:
    big = [w for w in words if w.lower() not in SMALL_WORDS]
    return sum(w[:1].isupper() or w[:1].isdigit() for w in big) * 10 >= 7 * len(big)


def _title_case(s: str) -> bool:
    """A heading in Title Case, commas allowed: "Representations, Warranties and Disclaimers"."""
    return title_like(s) and _mostly_capitalised(s.split())
