"""Markdown terms -> `Document` of clauses, definitions and cross-references.

`parse_document(text, path)` runs four steps, each linear in the document:

1. `_Walker` reads markdown-it-py's token stream once and emits a flat list of
   events: clause candidates (headings, numbered paragraphs, bold run-ins,
   ordered-list items, each with a parsed `_Label`), text segments, list ends
   and waivers. Every text line keeps its file line (from `token.map`) and
   column, so later stages can point at the source.
2. `_fix_candidates` repairs what converted documents get wrong: a guessed
   title that was half a sentence, a table of contents before the real
   sections, "1. 1. 1." shorthand, and a list number that disagrees with the
   number written in its children ("27. **CUSTOMER CONTENT**" then "10.1").
3. `_build_tree` places each candidate against a stack of open clauses.
   Written numbers nest by prefix ("10.2" under "10"), lettered and roman items
   by style ("(b)" is a sibling of "(a)", "(i)" opens a level below it),
   headings by level, and a Markdown list's items are siblings.
4. Ids (the legal number, or a slug path; repeats get "~2"), spans and anchors,
   then definitions and uses (`parse_defs`) and references (`parse_refs`),
   resolved through one dict of numbers.

`format_outline(doc)` prints the result for people.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from termslint.errors import InputError
from termslint.model import Clause, Definition, Document, Reference, Span, Suppression
from termslint.parse_defs import (
    SMALL_WORDS,
    Segment,
    TextLine,
    compile_terms,
    document_metadata,
    find_definitions,
    find_uses,
    is_definitions_title,
    jsonable,
    sentence_segments,
    snake_case,
)
from termslint import parse_refs as refs

_LINE_BREAKERS = str.maketrans({c: " " for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
_LINE_BREAKER = re.compile("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# Built once: markdown-it's rule chains are compiled in the constructor.
_MD = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)

# --- labels -----------------------------------------------------------------

_PREFIX_WORDS = r"(?:Section|SECTION|Article|ARTICLE|Clause|CLAUSE|§)"
_PREFIXED = re.compile(rf"{_PREFIX_WORDS}\s*(\d{{1,3}}(?:\.\d{{1,3}})*|[IVXL]{{1,6}}|[ivxl]{{1,6}})\b\.?")
_DOTTED = re.compile(r"(\d{1,3}[A-Z]?)((?:\.\d{1,3}){0,5})(\.?)(?=\s|[A-Za-z(“\"]|$)")
_PAREN = re.compile(r"\((\d{1,3}|[a-z]{1,2}|[ivxl]{1,6}|[A-Z]{1,2}|[IVXL]{1,6})\)(?=\s|[A-Za-z“\"]|$)")
_SEQ_DOT = re.compile(r"([a-z]|[ivx]{1,5}|[A-Z]|[IVX]{1,5})([.)])(?=\s)")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50}
_CALLOUTS = frozenset(("note", "notes", "important", "warning", "tip", "example", "examples", "caution", "please note"))
_LITERAL_LEAD = "*_•·▪◦●"
_LABEL_START = re.compile(r"[*_•·▪◦●\s]*(?:\d|\(|[A-Za-z]{1,5}[.)]\s|Section|SECTION|Article|ARTICLE|Clause|CLAUSE|§)")
_AFTER_LABEL = re.compile(r"[\s.:\-–—)]*")
_PART_TITLE = re.compile(
    r"(?i)^(part|schedule|annex|appendix|exhibit|chapter|title|book|division|module|attachment|addendum|supplement)\b"
)
_META_HEADING = re.compile(r"(?i)^\W*(effective|last\s+(updated|modified|revised)|updated|revised|version|date)\b.*\d")
_ROMAN_FORM = re.compile(r"x{0,3}(ix|iv|v?i{0,3})")
_SEPARATOR = re.compile(r"\s*[.:\-–—)]")
_SENTENCE_CUT = re.compile(r"[a-z)]{2}[.:] |[A-Z)]{3}[.:] ")
_PLAIN_RUN_IN = re.compile(r"([A-Z][\w'’&/-]*(?: [\w'’&/-]+){0,6})\. (?=[A-Z“\"])")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_WORD = re.compile(r"[^\w]+")
_GH_DROP = re.compile(r"[^\w\- ]")
_DOTTED_ID = re.compile(r"\d+(?:\.\d+)*")
_LETTER = re.compile(r"[^\W\d_]")


def _roman(s: str) -> int:
    total, prev = 0, 0
    for ch in reversed(s.lower()):
        v = _ROMAN_VALUES.get(ch, 0)
        total = total - v if v < prev else total + v
        prev = max(prev, v)
    return total


def _is_roman(s: str) -> bool:
    s = s.lower()
    return bool(s) and all(c in _ROMAN_VALUES for c in s) and 0 < _roman(s) < 40 and (
        _ROMAN_FORM.fullmatch(s) is not None
    )


@dataclass(slots=True)
class _Label:
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


def _parse_label(text: str, context: str) -> _Label | None:
    """The label that opens `text`, if any. `context`: heading | para | line | bullet."""
    if text[:1] in _LITERAL_LEAD:
        # "**5. Title  \n**Text": emphasis CommonMark could not close stays literal;
        # "• 1.1. Text": a bullet glyph copied from a PDF.
        bare = text.lstrip(_LITERAL_LEAD).lstrip()
        label = _parse_label(bare, context) if bare else None
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
            # In running text "Section 230 of the Act ..." is a reference, not a heading.
            if context == "heading" or not rest.strip() or _SEPARATOR.match(text, m.end()) or (
                rest[:1] == " " and _title_like(rest.strip(), strict=True)
            ):
                word = re.match(r"\S+", text)
                return _Label("prefixed", (m.group(1),), m.group(1), m.end(), marker=word.group(0).lower() if word else "")
    if c0.isdigit():
        m = _DOTTED.match(text)
        if not m:
            return None
        depth = 1 + m.group(2).count(".")
        if context == "bullet" and depth < 2:
            return None
        if depth == 1 and not m.group(3) and context not in ("heading", "bold"):
            # A bare "10 days ..." is prose; "1 BACKGROUND" (PDF exports) is a heading.
            rest = text[m.end():].strip()
            if not (rest and rest.isupper() and len(rest) < 80):
                return None
        if context == "line" and depth == 1 and not m.group(3):
            return None
        parts = (m.group(1),) + tuple(p for p in m.group(2).split(".") if p)
        return _Label("dotted", parts, ".".join(parts), m.end())
    if c0 == "(":
        m = _PAREN.match(text)
        if not m:
            return None
        core = m.group(1)
        if core.isdigit():
            return _Label("seq", (core,), f"({core})", m.end(), "()", False, "num")
        return _seq_label(core, "()", m.end(), f"({core})")
    if context == "bullet":
        return None
    m = _SEQ_DOT.match(text)
    if m:
        return _seq_label(m.group(1), m.group(2), m.end(), m.group(1))
    return None


def _seq_label(core: str, marker: str, end: int, raw: str) -> _Label | None:
    upper = core.isupper()
    if len(core) == 1:
        kind = "ambiguous" if core.lower() in "ivxlcdm" else "alpha"
    elif _is_roman(core):
        kind = "roman"
    elif len(core) == 2 and core[0] == core[1]:
        kind = "alpha"  # (aa), (bb)
    else:
        return None
    return _Label("seq", (core,), raw, end, marker, upper, kind)


def _title_like(s: str, strict: bool = False) -> bool:
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
        big = [w for w in words if w.lower() not in SMALL_WORDS]
        return sum(w[:1].isupper() or w[:1].isdigit() for w in big) * 10 >= 7 * len(big)
    return True


# --- phase 1: tokens -> events ------------------------------------------------


@dataclass(slots=True, eq=False)
class _Node:
    """A clause candidate, and once placed, a node of the clause tree."""

    kind: str  # heading | para | item | bold | preamble
    hlevel: int  # 1-6 for Markdown headings, 7 for bold-line headings, 0 otherwise
    label: _Label | None
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
    parent: _Node | None = None
    children: list[_Node] = field(default_factory=list)
    parts: tuple[str, ...] | None = None  # numeric path, for prefix nesting
    base: str = ""  # id before de-duplication
    id: str = ""
    number: str | None = None
    suppressions: list[Suppression] = field(default_factory=list)


@dataclass(slots=True)
class _Line:
    text: str
    line: int
    strong: list[tuple[int, int]]
    emph: list[tuple[int, int]]  # strong and em together, for run-in titles


_YAML_DATE = re.compile(r":\s*\d{4}-\d\d?-\d\d?")
_COMMENT = re.compile(r"<!--(.*?)-->", re.DOTALL)
_DIRECTIVE = re.compile(
    r"^\s*termslint-disable(?P<file>-file)?\s+(?P<codes>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)"
    r"(?:\s+reason\s*=\s*(?:\"(?P<r1>[^\"]*)\"|'(?P<r2>[^']*)'))?\s*$",
    re.DOTALL,
)
_HTML_ANCHOR = re.compile(r"<a\s[^>]*?\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")

Event = tuple[str, Any]


def _keep_newlines(m: re.Match[str]) -> str:
    return "\n" * m.group(0).count("\n")


class _Walker:
    """One pass over the token stream, emitting events (see the module docstring)."""

    def __init__(self, path: str, lines: list[str]) -> None:
        self.path = path
        self.lines = lines
        self.events: list[Event] = []
        self.front_matter: dict[str, Any] = {}
        self.file_suppressions: list[Suppression] = []
        self.title_token: tuple[str, int] | None = None  # first H1 text and line
        self.anchor_links: list[tuple[str, str, int]] = []  # (anchor, link text, line)
        self._list_ids = 0
        self._pending_anchor: str | None = None
        self.seen_clause = False
        self.last_text = ""

    # -- inline rendering

    def inline_lines(self, tok: Token, first_line: int) -> list[_Line]:
        out: list[_Line] = []
        buf: list[str] = []
        pos = 0
        strong: list[tuple[int, int]] = []
        emph: list[tuple[int, int]] = []
        opens: list[tuple[str, int]] = []
        line_no = first_line
        link: tuple[str, int, int] | None = None

        def flush() -> None:
            nonlocal buf, pos, strong, emph, line_no
            raw = "".join(buf).replace("\xa0", " ")
            stripped = raw.lstrip()
            cut = len(raw) - len(stripped)
            text = stripped.rstrip()
            n = len(text)
            if emph:
                out.append(_Line(
                    text, line_no,
                    [(max(0, a - cut), min(n, b - cut)) for a, b in strong if b - cut > 0 and a - cut < n],
                    [(max(0, a - cut), min(n, b - cut)) for a, b in emph if b - cut > 0 and a - cut < n],
                ))
            else:
                out.append(_Line(text, line_no, [], []))
            buf, pos, strong, emph = [], 0, [], []
            line_no += 1

        for ch in tok.children or ():
            t = ch.type
            if t == "text" or t == "code_inline":
                buf.append(ch.content)
                pos += len(ch.content)
            elif t == "softbreak" or t == "hardbreak":
                for kind, start in opens:  # emphasis running across a line break
                    (strong if kind == "s" else emph).append((start, pos))
                    if kind == "s":
                        emph.append((start, pos))
                flush()
                opens = [(k, 0) for k, _ in opens]
            elif t == "strong_open":
                opens.append(("s", pos))
            elif t == "em_open":
                opens.append(("e", pos))
            elif t == "strong_close" or t == "em_close":
                want = "s" if t == "strong_close" else "e"
                for i in range(len(opens) - 1, -1, -1):
                    if opens[i][0] == want:
                        start = opens.pop(i)[1]
                        if want == "s":
                            strong.append((start, pos))
                        emph.append((start, pos))
                        break
            elif t == "link_open":
                href = str(ch.attrs.get("href", ""))
                link = (href[1:], pos, line_no) if href.startswith("#") and len(href) > 1 else None
            elif t == "link_close" and link is not None:
                words = "".join(buf)[link[1]:] if link[2] == line_no else ""
                self.anchor_links.append((link[0], words.strip() or "#" + link[0], link[2]))
                link = None
            elif t == "image":
                buf.append(ch.content)
                pos += len(ch.content)
            elif t == "html_inline":
                self.html(ch.content, line_no, inline=True)
                for _ in range(ch.content.count("\n")):
                    flush()
        flush()
        return out

    # -- html: waivers and anchors

    def html(self, content: str, line: int, inline: bool = False) -> list[str]:
        """Handle waivers and anchors in an HTML fragment; return its visible text lines."""
        if "<!--" in content:
            for m in _COMMENT.finditer(content):
                body = m.group(1)
                if "termslint-disable" not in body:
                    continue
                d = _DIRECTIVE.match(body)
                cline = line + content.count("\n", 0, m.start())
                if not d:
                    continue
                codes = [c.strip().upper() for c in d.group("codes").split(",")]
                reason = d.group("r1") if d.group("r1") is not None else d.group("r2")
                reason = (reason or "").strip() or None  # reason="" is no reason; a rule reports it
                sup = Suppression(codes, reason, Span(cline, cline + m.group(0).count("\n")),
                                  "file" if d.group("file") else "clause")
                if sup.scope == "file":
                    self.file_suppressions.append(sup)
                else:
                    self.events.append(("sup", sup))
        if "<a" in content or "<A" in content:
            m2 = _HTML_ANCHOR.search(content)
            if m2:
                self._pending_anchor = m2.group(1)
        if inline:
            return []
        # Keep the line breaks inside comments and tags so text lines stay on their file lines.
        text = _TAG.sub(_keep_newlines, _COMMENT.sub(_keep_newlines, content))
        return text.split("\n")

    # -- the walk

    def walk(self, tokens: list[Token]) -> None:
        ol_stack: list[int] = []  # ids of open ordered lists
        bullet_depth = 0
        item: tuple[str, int, int] | None = None  # pending ordered item: number, line, list id
        i = 0
        n = len(tokens)
        while i < n:
            tok = tokens[i]
            t = tok.type
            if t == "paragraph_open":
                inline = tokens[i + 1]
                start = self.first_line(tok)
                ctx = "bullet" if bullet_depth and not item else "para"
                self.paragraph(self.inline_lines(inline, start), ctx, item, len(ol_stack))
                item = None
                i += 3
                continue
            if t == "heading_open":
                # "1.  Scope\n    -----": a heading that opens a list item titles the item.
                self.heading(tok, tokens[i + 1], item, len(ol_stack))
                item = None
                i += 3
                continue
            if item is not None:
                self.emit_item(item, len(ol_stack))
                item = None
            if t == "ordered_list_open":
                self._list_ids += 1
                ol_stack.append(self._list_ids)
            elif t == "ordered_list_close":
                self.events.append(("close", ol_stack.pop()))
            elif t == "bullet_list_open":
                bullet_depth += 1
            elif t == "bullet_list_close":
                bullet_depth -= 1
            elif t == "list_item_open" and tok.markup in (".", ")") and ol_stack:
                # As written: converted documents keep the legal numbers in the markers
                # even where the Markdown list would render others.
                item = (tok.info or "1", (tok.map[0] + 1) if tok.map else 1, ol_stack[-1])
            elif t == "tr_open":
                i = self.table_row(tokens, i)
                continue
            elif t == "html_block":
                start = tok.map[0] + 1 if tok.map else 1
                texts = self.html(tok.content, start)
                self.plain_lines(texts, start)
            elif t == "code_block" or t == "fence":
                start = tok.map[0] + 1 if tok.map else 1
                self.plain_lines(tok.content.split("\n"), start + (1 if t == "fence" else 0))
            elif t == "front_matter":
                self.read_front_matter(tok)
            i += 1
        if item is not None:
            self.emit_item(item, len(ol_stack))

    def first_line(self, tok: Token) -> int:
        """The file line of a block's first text: markdown-it strip()s block content,
        which drops leading lines holding only U+00A0 (common in converted documents)."""
        start = tok.map[0] + 1 if tok.map else 1
        while start <= len(self.lines) and not self.lines[start - 1].strip():
            start += 1
        return start

    def plain_lines(self, texts: list[str], start: int) -> None:
        seg_lines: list[TextLine] = []
        for k, raw in enumerate(texts):
            text = raw.replace("\xa0", " ").strip()
            if text:
                seg_lines.append((text, start + k, self.col(start + k, text)))
        if seg_lines:
            self.content(Segment(seg_lines))

    def table_row(self, tokens: list[Token], i: int) -> int:
        span = tokens[i].map
        line = span[0] + 1 if span else 1
        cells: list[str] = []
        i += 1
        while tokens[i].type != "tr_close":
            if tokens[i].type == "inline":
                cells.append(" ".join(ln.text for ln in self.inline_lines(tokens[i], line)).strip())
            i += 1
        text = " | ".join(cells).strip(" |")
        if text:
            self.content(Segment([(text, line, self.col(line, cells[0] if cells[0] else text))]))
        return i + 1

    def col(self, line: int, text: str) -> int:
        """The file column where `text` (markup removed) starts on `line`; best effort."""
        raw = self.lines[line - 1] if 0 < line <= len(self.lines) else ""
        if "\xa0" in raw:
            raw = raw.replace("\xa0", " ")
        for n in (8, 3, 1):  # shorter probes get past markup inside the text ("“**Term**”")
            k = raw.find(text[:n]) if text else -1
            if k >= 0:
                return k + 1
        return len(raw) - len(raw.lstrip()) + 1

    def content(self, seg: Segment) -> None:
        self._pending_anchor = None
        if seg.lines:
            self.last_text = seg.lines[-1][0]
            self.events.append(("seg", seg))

    def read_front_matter(self, tok: Token) -> None:
        from ruamel.yaml import YAML
        from ruamel.yaml.error import YAMLError

        first = (tok.map[0] if tok.map else 0) + 2  # file line of the first YAML line
        try:
            data = YAML(typ="safe", pure=True).load(tok.content)
        except YAMLError as exc:
            mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
            problem = getattr(exc, "problem", None) or "invalid YAML"
            raise InputError(
                f"{self.path}:{first + (mark.line if mark is not None else 0)}: "
                f"front matter is not valid YAML ({problem})",
                "fix the YAML between the '---' lines",
            ) from None
        except (ValueError, OverflowError) as exc:
            # ruamel.yaml builds dates itself: "2023-02-29" fails with a bare ValueError.
            k = next((k for k, ln in enumerate(tok.content.split("\n")) if _YAML_DATE.search(ln)), 0)
            raise InputError(
                f"{self.path}:{first + k}: front matter has an impossible value ({exc})",
                "fix the date (YYYY-MM-DD) or quote it",
            ) from None
        if data is None:
            return
        if not isinstance(data, dict):
            line = (tok.map[0] if tok.map else 0) + 2
            raise InputError(
                f"{self.path}:{line}: front matter must be a mapping of keys to values",
                "write it as 'key: value' lines between the '---' lines",
            )
        self.front_matter = {snake_case(str(k)): jsonable(v) for k, v in data.items()}

    def heading(self, tok: Token, inline: Token, item: tuple[str, int, int] | None = None, depth: int = 0) -> None:
        start = self.first_line(tok)
        end = tok.map[1] if tok.map else start
        lines = self.inline_lines(inline, start)
        text = " ".join(ln.text for ln in lines).strip()
        level = int(tok.tag[1])
        if level == 1 and self.title_token is None and not self.seen_clause and item is None:
            label = _parse_label(text, "heading")
            if label is None:
                self.title_token = (text, start)
                self._pending_anchor = None
                return
        if item is not None and not _parse_label(text, "heading"):
            node = _Node("item", 0, _Label("item", (item[0],), item[0], 0), text or None, item[1], end,
                         list_id=item[2], list_depth=depth, heading_text=text)
            self.emit(node)
            return
        if not text or (_META_HEADING.match(text) and len(text) < 120):
            # "Effective as of 31 January 2023" set as a heading is metadata, not a clause.
            if item is not None:
                self.emit_item(item, depth)
            self.content(Segment([(text, start, self.col(start, text))] if text else []))
            return
        label = _parse_label(text, "heading")
        title: str | None = text
        if label is not None:
            rest = text[label.end:]
            sep = _AFTER_LABEL.match(rest)
            rest = rest[sep.end():] if sep else rest
            title = rest.strip() or None
        node = _Node("heading", level, label, title, start, end, heading_text=text)
        self.emit(node)

    def emit(self, node: _Node) -> None:
        self.last_text = node.segs[-1].lines[-1][0] if node.segs and node.segs[-1].lines else "."
        node.html_anchor = self._pending_anchor
        self._pending_anchor = None
        self.seen_clause = True
        self.events.append(("node", node))

    def emit_item(self, item: tuple[str, int, int], depth: int) -> None:
        number, line, list_id = item
        label = _Label("item", (number,), number, 0)
        node = _Node("item", 0, label, None, line, line, list_id=list_id, list_depth=depth)
        self.emit(node)

    def paragraph(self, lines: list[_Line], ctx: str, item: tuple[str, int, int] | None, depth: int) -> None:
        """Split a paragraph into clause starts (line 0, or a line after a clause-ending one) and content."""
        if not lines or not any(ln.text for ln in lines):
            if item is not None:
                self.emit_item(item, depth)
            return
        if len(lines) == 1 and item is None and not _LABEL_START.match(lines[0].text):
            self.content_or_bold(lines)  # the common case: one line of prose
            return
        starts = [0] if item is not None else []
        labels: dict[int, _Label | None] = {}
        for k, ln in enumerate(lines):
            c = ctx if k == 0 else "line"
            if k and not _can_split(lines[k - 1].text):
                continue
            lab = _parse_label(ln.text, c)
            if lab is None and k == 0 and ctx == "para" and ln.strong and ln.strong[0][0] == 0:
                lab = _parse_label(ln.text, "bold")
            if lab is not None and lab.kind == "dotted" and k == 0 and not _can_split(self.last_text or "."):
                after = ln.text[lab.end:].lstrip()
                if after[:1].islower():
                    lab = None  # "... in accordance with clause" / "13.3 below.": a PDF line break
            if lab is not None:
                labels[k] = lab
                if k not in starts:
                    starts.append(k)
        bounds = starts + [len(lines)]
        if not starts or starts[0] > 0:
            head_end = starts[0] if starts else len(lines)
            self.content_or_bold(lines[:head_end])
        for a, b in zip(bounds, bounds[1:]):
            chunk_item = item if a == 0 else None
            label = labels.get(a) or (_Label("item", (chunk_item[0],), chunk_item[0], 0) if chunk_item else None)
            if label is not None:
                self.clause_chunk(lines[a:b], label, chunk_item, depth)

    def content_or_bold(self, lines: list[_Line]) -> None:
        """Unlabelled text; a short all-bold paragraph may be a heading (decided later)."""
        seg = _segment(lines, self)
        if len(lines) == 1 and _all_bold(lines[0]):
            text = lines[0].text.strip()
            title = text.rstrip(":").strip()
            last = self._last_node()
            if last is not None and last.title is None and not last.segs and _title_like(title):
                # "_Clause 1_" then "**Purpose and scope**": the bold line is its title.
                last.title = title
                last.head_end = lines[0].line
                return
            # "**This includes:**" leads into a list and "**Note**" flags a remark: neither heads a section.
            if _title_like(text) and text[-1] != ":" and title.lower() not in _CALLOUTS:
                node = _Node("bold", 7, None, title, lines[0].line, lines[0].line, heading_text=text)
                node.html_anchor, self._pending_anchor = self._pending_anchor, None
                self.events.append(("bold", (node, seg)))
                return
        self.content(seg)

    def _last_node(self) -> _Node | None:
        if self.events and self.events[-1][0] == "node":
            node: _Node = self.events[-1][1]
            return node
        return None

    def clause_chunk(self, lines: list[_Line], label: _Label, item: tuple[str, int, int] | None, depth: int) -> None:
        """A clause candidate from the lines that start with `label` (or with an ordered-list marker)."""
        first = lines[0]
        text = first.text
        pos = label.end
        kind, list_id = ("item", item[2]) if item is not None else ("para", -1)
        loose = label.kind in ("dotted", "prefixed") and len(label.parts) == 1
        title, rest_at, guess = _run_in_title(first, pos, single=len(lines) == 1, loose=loose)
        node = _Node(kind, 0, label, title, first.line, first.line, title_guess=guess,
                     list_id=list_id, list_depth=depth, heading_text=text)
        rest = text[rest_at:]
        seg_lines: list[_Line] = []
        if rest.strip():
            stripped = rest.lstrip(" .:–—-")
            cut = len(text) - len(stripped)
            seg_lines.append(_Line(stripped.rstrip(), first.line,
                                   [(a - cut, b - cut) for a, b in first.strong if a >= cut], []))
        seg_lines.extend(lines[1:])
        if seg_lines:
            node.segs.append(_segment(seg_lines, self))
        self.emit(node)


def _can_split(prev: str) -> bool:
    """A later line of a paragraph may open a clause only after a clause-ending (or blank) line."""
    prev = prev.rstrip()
    return not prev or prev[-1] in ".:;" or prev.endswith((" and", " or", "; and", "; or"))


def _all_bold(line: _Line) -> bool:
    if not line.strong or not line.text:
        return False
    covered = [False] * len(line.text)
    for a, b in line.strong:
        for k in range(max(0, a), min(len(covered), b)):
            covered[k] = True
    return all(c or not line.text[k].strip() or line.text[k] in ".:" for k, c in enumerate(covered))


def _run_in_title(line: _Line, pos: int, single: bool, loose: bool = False) -> tuple[str | None, int, bool]:
    """(title, where the text after it starts, guessed?) for a clause's first line.

    `loose`: a top-level number ("4. Privacy, data and you") may title a line
    that a sub-clause number could not ("1.1.Acme AB, Reg. No. 5, makes available").
    """
    text = line.text
    p = pos + (len(text[pos:]) - len(text[pos:].lstrip(" .:)–—-"))) if pos else 0
    if p >= len(text):
        return None, len(text), False
    for a, b in line.emph:
        if a <= p < b or (a > p and not text[p:a].strip()):
            run_end = b
            # "**10.2** **Title.** Text": the label's own bold run ends before the title's.
            if a < pos and b <= pos + 1:
                continue
            title = text[max(a, p):run_end]
            cut = _SENTENCE_CUT.search(title)
            if cut:  # "**BINDING ARBITRATION. YOU AND WE AGREE ...**": the title is the first sentence
                run_end = max(a, p) + cut.end() - 1
                title = title[: cut.end() - 2]
            title = title.strip().rstrip(".:").strip()
            if title and len(title) <= 150 and len(title.split()) <= 20 and title[-1] not in ";,!?":
                return title, run_end, False
            break
    rest = text[p:]
    if single and _title_like(rest, strict=not loose):
        return rest.strip(), len(text), True
    if pos and not single and rest.isupper() and _title_like(rest):
        return rest.strip(), len(text), False  # "SECTION 1 - WHAT WE COLLECT" over its text
    m = _PLAIN_RUN_IN.match(rest)
    if m and _title_like(m.group(1), strict=True) and sum(ch.isalpha() for ch in m.group(1)) >= 3:
        if all(w[:1].isupper() or w in SMALL_WORDS for w in m.group(1).split()):
            return m.group(1), p + m.end(), True
    return None, p, False


def _segment(lines: list[_Line], walker: _Walker) -> Segment:
    seg_lines: list[TextLine] = []
    bold: list[tuple[int, int, int]] = []
    for ln in lines:
        if not ln.text:
            continue
        idx = len(seg_lines)
        seg_lines.append((ln.text, ln.line, walker.col(ln.line, ln.text)))
        bold.extend((idx, a, b) for a, b in ln.strong if b > a)
    return Segment(seg_lines, bold)


# --- phase 2: repairs for converted documents -----------------------------------


def _key(node: _Node) -> str | None:
    """What a table-of-contents entry shares with its section: number and title."""
    lab = node.label
    if lab is not None and lab.kind == "seq":
        return None
    words = node.title or (node.segs[0].lines[0][0] if node.segs and node.segs[0].lines else "")
    title = _NON_ALNUM.sub("", words[:80].lower())[:40]
    if not title:
        return None
    return (lab.raw if lab is not None else "") + ":" + title


def _toc_like(node: _Node) -> bool:
    """A title alone on its line, or a short line with no sentence in it."""
    if not node.segs:
        return True
    lines = [ln[0] for seg in node.segs for ln in seg.lines]
    return len(lines) == 1 and len(lines[0]) <= 150 and lines[0].rstrip()[-1:] not in ".;:" and ". " not in lines[0]


def _breaks_run(a: _Node, b: _Node) -> bool:
    """Does `b` end a contents list that `a` is in: another kind of entry, or numbering starting again?"""
    la, lb = a.label, b.label
    if a.kind != b.kind or (la is None) != (lb is None):
        return True  # "# Part A" then "1. Intro", "2. Terms": the heading is not an entry
    if la is None or lb is None or not (la.parts[0].isdigit() and lb.parts[0].isdigit()):
        return False
    return int(lb.parts[0]) < int(la.parts[0])


def _fix_candidates(events: list[Event], col: Callable[[int, str], int]) -> None:
    """Undo guessed titles, drop a table of contents, let written numbers beat list numbers.

    `col(line, text)` is the file column where `text` starts on `line`.
    """
    idx = [k for k, ev in enumerate(events) if ev[0] in ("node", "bold")]
    nodes: list[_Node] = [events[k][1] if events[k][0] == "node" else events[k][1][0] for k in idx]
    # "1. 1. 1." is Markdown shorthand for 1, 2, 3: number such a list as it renders.
    by_list: dict[int, list[_Node]] = {}
    for node in nodes:
        if node.kind == "item" and node.label is not None and node.label.kind == "item":
            by_list.setdefault(node.list_id, []).append(node)
    for items in by_list.values():
        if len(items) > 1 and all(nd.label is not None and nd.label.raw == "1" for nd in items):
            for n, nd in enumerate(items, 1):
                nd.label = _Label("item", (str(n),), str(n), 0)
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
            node.label = _Label("dotted", (nl.parts[0],), nl.parts[0], 0)


# --- phase 3: the clause tree ----------------------------------------------------

_PARENT, _SIBLING, _SKIP = 1, 2, 3


def _is_prefix(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    return len(a) < len(b) and b[: len(a)] == a


def _number_rel(e: _Node, c: _Node) -> int | None:
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


def _heading_rel(e: _Node, c: _Node) -> int:
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


def _written_rel(e: _Node, c: _Node) -> int:
    """A written number ("10.2", "Clause 4") nests by number; a heading it meets holds it."""
    by_number = _number_rel(e, c)
    if by_number is not None:
        return by_number
    return _PARENT if e.hlevel else _SKIP


def _opens_level(stack: list[_Node]) -> bool:
    """May a "1" (or "I") start a new numbering below the top of the stack?"""
    if not stack:
        return True
    top = stack[-1]
    return bool(top.hlevel) or (top.label is not None and top.label.kind in ("prefixed", "seq"))


def _top_roman(lab: _Label) -> bool:
    """An upper-case roman numeral with a full stop ("IV.") numbers sections, not list items."""
    return lab.kind == "seq" and lab.seq == "roman" and lab.upper and lab.marker == "."


def _resolve_seq(lab: _Label, stack: list[_Node]) -> str:
    """"(i)" after "(h)" is a letter; after nothing, or after "(iv)"-style items, a numeral."""
    core = lab.parts[0].lower()
    for e in reversed(stack):
        el = e.label
        if el is None or el.kind != "seq" or el.marker != lab.marker or el.upper != lab.upper:
            continue
        prev = el.parts[0].lower()
        if el.seq == "alpha" and len(prev) == 1 and ord(prev) == ord(core) - 1:
            return "alpha"
        if el.seq == "roman" and _roman(prev) == _roman(core) - 1:
            return "roman"
    return "roman" if core == "i" else "alpha"


def _parent_depth(node: _Node, stack: list[_Node]) -> int:
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
        if _roman(lab.parts[0]) == 1 and stack and _opens_level(stack):
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


def _last_text(node: _Node) -> str:
    return node.segs[-1].lines[-1][0] if node.segs and node.segs[-1].lines else ""


def _series_done(node: _Node) -> bool:
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


def _build_tree(events: list[Event], numbered_doc: bool) -> list[_Node]:
    stack: list[_Node] = []
    nodes: list[_Node] = []
    preamble: _Node | None = None
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
                    preamble = _Node("preamble", 0, None, None, 0, 0)
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


def _github_slug(text: str) -> str:
    return _GH_DROP.sub("", text.strip().lower()).replace(" ", "-")


def _identify(node: _Node) -> None:
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


# --- assembling the Document --------------------------------------------------------


def _clause_text(node: _Node) -> tuple[str, list[tuple[int, int, int]]]:
    """The clause's own text, one line per source line, and its `line_starts`."""
    parts: list[str] = []
    starts: list[tuple[int, int, int]] = []
    pos = 0
    for seg in node.segs:
        for text, line, col in seg.lines:
            starts.append((pos, line, col))
            parts.append(text)
            pos += len(text) + 1
    return "\n".join(parts), starts


def parse_document(text: str, path: str) -> Document:
    """Parse Markdown terms into a `Document`; raise `InputError` for broken front matter."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Characters that str.splitlines() treats as line ends, but Markdown does not:
    # one space each, so every offset and column stays the same.
    if _LINE_BREAKER.search(text):
        text = text.translate(_LINE_BREAKERS)
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    line_count = max(1, len(lines))
    walker = _Walker(path, lines)
    walker.walk(_MD.parse(text))
    _fix_candidates(walker.events, walker.col)
    # Bold-only lines are headings only in documents without numbered headings;
    # in numbered ones they are emphasis ("**THESE TERMS LIMIT OUR LIABILITY**").
    numbered = sum(
        1 for kind, nd in walker.events
        if kind == "node" and nd.label is not None
        and (nd.label.kind in ("dotted", "prefixed") or (nd.label.kind == "item" and nd.title))
    )
    nodes = _build_tree(walker.events, numbered >= 2)

    fm = walker.front_matter
    title = fm.get("title") if isinstance(fm.get("title"), str) else None
    if title is None and walker.title_token is not None:
        title = walker.title_token[0]
    clauses = _make_clauses(nodes, walker.title_token, line_count)
    definitions = _definitions(nodes, clauses)
    written = any(nd.label is not None and nd.label.kind in ("dotted", "prefixed") for nd in nodes)
    refs.attach_refs(clauses, [nd.head_end for nd in nodes], walker.anchor_links, title, written)
    return Document(
        path=path.replace("\\", "/"),
        title=title,
        metadata=document_metadata(fm, lines),
        clauses=clauses,
        definitions=definitions,
        line_count=line_count,
        suppressions=walker.file_suppressions,
        lines=lines,
    )


def _make_clauses(nodes: list[_Node], title_token: tuple[str, int] | None, line_count: int) -> list[Clause]:
    """Ids (unique: a repeat gets "~2"), anchors, spans, levels and paths."""
    used: set[str] = set()
    gh_seen: dict[str, int] = {}  # GitHub numbers repeated heading slugs: "cookies", "cookies-1"
    if title_token is not None:
        gh_seen[_github_slug(title_token[0])] = 0
    clauses: list[Clause] = []
    by_node: dict[int, Clause] = {}
    for node in nodes:
        _identify(node)
        cid = node.base
        k = 1
        while cid in used:
            k += 1
            cid = f"{node.base}~{k}"
        used.add(cid)
        node.id = cid
        anchor = node.html_anchor
        if node.kind == "heading":
            slug = _github_slug(node.heading_text)
            if slug in gh_seen:
                gh_seen[slug] += 1
                slug = f"{slug}-{gh_seen[slug]}"
            else:
                gh_seen[slug] = 0
            anchor = anchor or slug
        text, starts = _clause_text(node)
        start = starts[0][1] if node.kind == "preamble" and starts else node.start
        end = max(node.head_end, starts[-1][1] if starts else start, start)
        parent = by_node[id(node.parent)] if node.parent is not None else None
        clause = Clause(
            id=cid,
            number=node.number,
            title=node.title,
            level=parent.level + 1 if parent is not None else 1,
            parent=parent.id if parent is not None else None,
            path=(parent.path if parent is not None else []) + [cid],
            text=text,
            span=Span(min(start, line_count), min(end, line_count)),
            anchor=anchor,
            suppressions=list(node.suppressions),
            line_starts=starts,
        )
        by_node[id(node)] = clause
        clauses.append(clause)
    return clauses


def _definitions(nodes: list[_Node], clauses: list[Clause]) -> dict[str, Definition]:
    """Defined terms (the first definition wins; every defining clause lists it) and each clause's uses."""
    definitions: dict[str, Definition] = {}
    skip: list[set[int]] = []
    in_defs: dict[int, bool] = {}
    for node, clause in zip(nodes, clauses):
        parent_in = node.parent is not None and in_defs[id(node.parent)]
        in_defs[id(node)] = parent_in or is_definitions_title(node.title)
        found = find_definitions(*sentence_segments(node.segs), in_defs[id(node)]) if clause.text else []
        skip.append({f.offset for f in found})
        for f in found:
            if f.term not in clause.defines:
                clause.defines.append(f.term)
            if f.term not in definitions:
                definitions[f.term] = Definition(f.term, clause.id, f.span, f.sentence)
    pattern = compile_terms(list(definitions))
    for clause, offsets in zip(clauses, skip):
        clause.uses = find_uses(pattern, clause.text, offsets)
    return definitions


def format_outline(doc: Document) -> str:
    """A deterministic text outline: a header, then one line per clause."""
    meta = doc.metadata
    bits = [doc.path]
    if doc.title:
        bits.append(f"\u2014 {doc.title}")
    facts = []
    for key, label in (("effective_date", "effective"), ("last_updated", "updated"), ("version", "version")):
        if meta.get(key):
            facts.append(f"{label} {meta[key]}")
    header = " ".join(bits) + (f" ({', '.join(facts)})" if facts else "")
    out = [header, f"{len(doc.clauses)} clauses, {len(doc.definitions)} definitions, {doc.line_count} lines"]
    for c in doc.clauses:
        line = "  " * (c.level - 1) + c.id
        if c.title:
            line += f"  {c.title}"
        line += f"  L{c.span.start_line}-{c.span.end_line}"
        if c.defines:
            line += "  defines: " + ", ".join(c.defines)
        out.append(line)
    return "\n".join(out) + "\n"
