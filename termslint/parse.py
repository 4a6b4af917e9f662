"""Markdown terms -> `Document` of clauses, definitions and cross-references.

`parse_document(text, path)` runs four steps, each linear in the document:

1. `_Walker` (this module) reads markdown-it-py's token stream once and emits
   a flat list of events: clause candidates (`Node`s: headings, numbered
   paragraphs, bold run-ins, ordered-list items, each with a `Label` from
   `parse_labels.parse_label`), text segments, list ends and waivers. Every
   text line keeps its file line (from `token.map`) and column, so later
   stages can point at the source.
2. `parse_tree.fix_candidates` repairs what converted documents get wrong: a
   guessed title that was half a sentence, a table of contents before the real
   sections, "1. 1. 1." shorthand, and a list number that disagrees with the
   number written in its children ("27. **CUSTOMER CONTENT**" then "10.1").
3. `parse_tree.build_tree` places each candidate against a stack of open clauses.
   Written numbers nest by prefix ("10.2" under "10"), lettered and roman items
   by style ("(b)" is a sibling of "(a)", "(i)" opens a level below it),
   headings by level, and a Markdown list's items are siblings.
4. This module assembles the `Document`: ids (`parse_tree.identify`: the legal
   number, or a slug path; repeats get "~2"), spans and anchors, then
   definitions and uses (`parse_defs`) and references (`parse_refs`),
   resolved through one dict of numbers.

`format_outline(doc)` prints the result for people.

The modules, each importing only those after it:
- `parse` (here): the walker (step 1), `parse_document`, assembling the
  `Document` (step 4), `format_outline`.
- `parse_tree`: `Node` and `Event`, the repairs (step 2), the clause tree
  (step 3) and clause ids.
- `parse_labels`: clause numbers as written ("10.2", "Section 4", "(b)", "IV.")
  and `title_like`, the test for a heading.
- `parse_defs` (definitions, metadata, text segments) and `parse_refs`
  (cross-references).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.front_matter import front_matter_plugin

from termslint import cache
from termslint.errors import InputError
from termslint.model import Clause, Definition, Document, Span, Suppression, TableRow
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
    term_forms,
)
from termslint.parse_labels import Label, parse_label, title_like
from termslint.parse_tree import Event, Node, build_tree, fix_candidates, github_slug, identify
from termslint import parse_refs as refs

_LINE_BREAKERS = str.maketrans({c: " " for c in "\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029"})
_LINE_BREAKER = cache.regex("[\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")
# A line of only spaces, some of them non-breaking ("\u00a0   " between the
# paragraphs of a page converted from HTML): blank to a reader, but not to
# CommonMark, which would join the paragraphs around it.
_WIDE_SPACE_LINE = cache.regex(r"^[^\S\n]*[\u00a0\u2007\u202f\u3000][^\S\n]*$", re.MULTILINE)
# Built once: markdown-it's rule chains are compiled in the constructor.
_MD = MarkdownIt("commonmark", {"html": True}).enable("table").use(front_matter_plugin)

_CALLOUTS = frozenset(("note", "notes", "important", "warning", "tip", "example", "examples", "caution", "please note"))
# After a bold "Section 22" that opens a paragraph: words that make it a reference.
_REFERENCE_GOES_ON = re.compile(
    r"\s*(?i:of|in|under|below|above|and|or|to|for|hereof|herein|is|are|shall|will|applies|apply|contains?|sets?|governs?)\b")
_LABEL_START = cache.regex(r"[*_•·▪◦●\s]*(?:\d|\(|[A-Za-z]{1,5}[.)]\s|Section|SECTION|Article|ARTICLE|Clause|CLAUSE|§)")
_AFTER_LABEL = cache.regex(r"[\s.:\-–—)]*")
_META_HEADING = cache.regex(r"(?i)^\W*(effective|last\s+(updated|modified|revised)|updated|revised|version|date)\b.*\d")
_SENTENCE_CUT = cache.regex(r"[a-z)]{2}[.:] |[A-Z)]{3}[.:] ")
_PLAIN_RUN_IN = cache.regex(r"([A-Z][\w'’&/-]*(?: [\w'’&/-]+){0,6})\. (?=[A-Z“\"])")


# --- phase 1: tokens -> events ------------------------------------------------


# "1 Agreement Acceptance. You accept ...": a short Title Case run-in title after a
# number without its dot, then a sentence (or nothing: "5 Book Distribution Rights.").
_DOTLESS_RUN_IN = cache.regex(
    r"(\d{1,2})[ \u00a0]([A-Z][\w’'&/-]*[,;]?(?:[ \u00a0](?:[A-Z][\w’'&/-]*[,;]?|of|and|or|the|to|for|in|on|a|an|with|by|&)){0,11})"
    r"[.:](?:[ \u00a0]+[A-Z(“\"]|[ \u00a0]*$)")
_LIST_LINE = cache.regex(r"^\d{1,3}[.)][ \t]", re.MULTILINE)


def _reattach_indented_lists(tokens: list[Token]) -> list[Token]:
    """Lists nested four spaces under a wide marker, put back under their item.

    Converters indent nested lists by four spaces whatever the marker, so under
    "14.  Governing law" (text at column 5) a nested "    1.  ..." is, to
    CommonMark, no child of item 14 but an indented code block after the list.
    The text was kept, but clauses 14.1 and 14.2 were lost and every
    reference to them dangled. Such a block, right after an ordered list and
    holding an ordered list (often after a paragraph that opens the item:
    "Certain portions of this Section 17 ..."), is parsed again as the last
    item's child.
    """
    out: list[Token] = []
    for tok in tokens:
        if (tok.type == "code_block" and tok.map and len(out) >= 2 and out[-1].type == "ordered_list_close"
                and out[-2].type == "list_item_close" and _LIST_LINE.search(tok.content)):
            children = _reattach_indented_lists(_MD.parse(tok.content))
            for child in children:
                if child.map:
                    child.map = [child.map[0] + tok.map[0], child.map[1] + tok.map[0]]
            out[-2:-2] = children  # inside the last item, before its close
            continue
        out.append(tok)
    return out


@dataclass(slots=True)
class _Line:
    text: str
    line: int
    strong: list[tuple[int, int]]
    emph: list[tuple[int, int]]  # strong and em together, for run-in titles


_YAML_DATE = cache.regex(r":\s*\d{4}-\d\d?-\d\d?")
_COMMENT = cache.regex(r"<!--(.*?)-->", re.DOTALL)
_DIRECTIVE = cache.regex(
    r"^\s*termslint-disable(?P<file>-file)?\s+(?P<codes>[A-Za-z]+\d+(?:\s*,\s*[A-Za-z]+\d+)*)"
    r"(?:\s+reason\s*=\s*(?:\"(?P<r1>[^\"]*)\"|'(?P<r2>[^']*)'))?\s*$",
    re.DOTALL,
)
_HTML_ANCHOR = cache.regex(r"<a\s[^>]*?\b(?:id|name)\s*=\s*[\"']([^\"']+)[\"']", re.IGNORECASE)
_TAG = cache.regex(r"<[^>]*>")


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
        self._tables = 0  # tables so far, and rows so far in the last one
        self._rows = 0
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
            elif t == "table_open":
                self._tables += 1
                self._rows = 0
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
        joined = " | ".join(cells)
        text = joined.strip(" |")
        lead = len(joined) - len(joined.lstrip(" |"))
        bounds = []
        pos = -lead
        for cell in cells:  # where each cell landed in `text` (empty edge cells were stripped)
            a = min(max(pos, 0), len(text))
            bounds.append((a, min(max(pos + len(cell), a), len(text))))
            pos += len(cell) + 3
        row = TableRow(0, len(text), self._tables, self._rows, tuple(bounds))
        self._rows += 1
        if text:
            self.content(Segment([(text, line, self.col(line, cells[0] if cells[0] else text))], row=row))
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
            label = parse_label(text, "heading")
            if label is None:
                self.title_token = (text, start)
                self._pending_anchor = None
                return
        if item is not None and not parse_label(text, "heading"):
            node = Node("item", 0, Label("item", (item[0],), item[0], 0), text or None, item[1], end,
                         list_id=item[2], list_depth=depth, heading_text=text)
            self.emit(node)
            return
        if not text or (_META_HEADING.match(text) and len(text) < 120):
            # "Effective as of 31 January 2023" set as a heading is metadata, not a clause.
            if item is not None:
                self.emit_item(item, depth)
            self.content(Segment([(text, start, self.col(start, text))] if text else []))
            return
        label = parse_label(text, "heading")
        title: str | None = text
        if label is not None:
            rest = text[label.end:]
            sep = _AFTER_LABEL.match(rest)
            rest = rest[sep.end():] if sep else rest
            title = rest.strip() or None
        node = Node("heading", level, label, title, start, end, heading_text=text)
        self.emit(node)

    def emit(self, node: Node) -> None:
        self.last_text = node.segs[-1].lines[-1][0] if node.segs and node.segs[-1].lines else "."
        node.html_anchor = self._pending_anchor
        self._pending_anchor = None
        self.seen_clause = True
        self.events.append(("node", node))

    def emit_item(self, item: tuple[str, int, int], depth: int) -> None:
        number, line, list_id = item
        label = Label("item", (number,), number, 0)
        node = Node("item", 0, label, None, line, line, list_id=list_id, list_depth=depth)
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
        labels: dict[int, Label | None] = {}
        for k, ln in enumerate(lines):
            c = ctx if k == 0 else "line"
            if k and not _can_split(lines[k - 1].text):
                continue
            lab = parse_label(ln.text, c)
            if lab is None and k == 0 and c == "para":
                lab = self._dotless_heading(ln.text, alone=len(lines) == 1)
            if lab is None and k == 0 and ctx == "para" and ln.strong and ln.strong[0][0] == 0:
                lab = parse_label(ln.text, "bold")
                if lab is None:
                    # "**Article 74** Goods information ...": a bold run that is only
                    # "Article 74" labels the paragraph, whatever follows it.
                    # ("**SECTION 22** OF THIS AGREEMENT CONTAINS ...": a reference.)
                    end = ln.strong[0][1]
                    if len(ln.strong) > 1 and ln.strong[1][0] - end <= 1 and not ln.text[:end].strip(" *")[-1:].isdigit():
                        end = ln.strong[1][1]  # "**Article** **72**": the word and the number bold apart
                    run = ln.text[:end]
                    whole = parse_label(run, "heading")
                    if (whole is not None and whole.kind == "prefixed" and whole.end >= len(run.rstrip(" .:"))
                            and not _REFERENCE_GOES_ON.match(ln.text, len(run))):
                        lab = whole
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
            label = labels.get(a) or (Label("item", (chunk_item[0],), chunk_item[0], 0) if chunk_item else None)
            if label is not None:
                self.clause_chunk(lines[a:b], label, chunk_item, depth)

    def content_or_bold(self, lines: list[_Line]) -> None:
        """Unlabelled text; a short all-bold paragraph may be a heading (decided later)."""
        seg = _segment(lines, self)
        if len(lines) == 1 and _all_bold(lines[0]):
            text = lines[0].text.strip()
            title = text.rstrip(":").strip()
            last = self._last_node()
            if last is not None and last.title is None and not last.segs and title_like(title):
                # "_Clause 1_" then "**Purpose and scope**": the bold line is its title.
                last.title = title
                last.head_end = lines[0].line
                return
            # "**This includes:**" leads into a list and "**Note**" flags a remark: neither heads a section.
            if title_like(text) and text[-1] != ":" and title.lower() not in _CALLOUTS:
                node = Node("bold", 7, None, title, lines[0].line, lines[0].line, heading_text=text)
                node.html_anchor, self._pending_anchor = self._pending_anchor, None
                self.events.append(("bold", (node, seg)))
                return
        self.content(seg)

    def _last_numbered(self) -> Node | None:
        """The clause most recently opened by a written number ("3.1.8"), past its lettered items."""
        for event, node in reversed(self.events):
            if event == "node" and node.label is not None and node.label.kind == "dotted":
                return node
        return None

    def _dotless_heading(self, text: str, alone: bool) -> Label | None:
        """"10 Representations, Warranties and Disclaimers" alone on its line, or
        "1 Agreement Acceptance. You accept ..." opening a paragraph: a PDF
        export's number that lost its dot. Taken only where it continues the
        numbering (1, or one past the last top-level number), so that "37 Albert
        Embankment" in an address stays text."""
        label = parse_label(text, "para", alone=True) if alone else None
        if label is None and (m := _DOTLESS_RUN_IN.match(text)) is not None:
            label = Label("dotted", (m.group(1),), m.group(1), m.end(1))
        if label is None or label.kind != "dotted" or len(label.parts) != 1 or not label.parts[0].isdigit():
            return None
        last = self._last_numbered()
        previous = last.label.parts[0] if last is not None and last.label is not None else "0"
        return label if previous.isdigit() and int(label.parts[0]) == int(previous) + 1 else None

    def _last_node(self) -> Node | None:
        if self.events and self.events[-1][0] == "node":
            node: Node = self.events[-1][1]
            return node
        return None

    def clause_chunk(self, lines: list[_Line], label: Label, item: tuple[str, int, int] | None, depth: int) -> None:
        """A clause candidate from the lines that start with `label` (or with an ordered-list marker)."""
        first = lines[0]
        text = first.text
        pos = label.end
        kind, list_id = ("item", item[2]) if item is not None else ("para", -1)
        sub = _SUB_ITEM.match(text, pos) if label.kind == "dotted" else None
        if sub is not None and (inner := parse_label(text[sub.start(1):], "para")) is not None:
            # "3.1.8. (a) ...", then "3.1.8. (b) ...": items of 3.1.8, which opens
            # once rather than again with each item.
            last = self._last_numbered()
            if last is None or last.label is None or last.label.parts != label.parts:
                self.emit(Node(kind, 0, label, None, first.line, first.line,
                               list_id=list_id, list_depth=depth, heading_text=text))
            label, pos = inner, sub.start(1) + inner.end
        loose = label.kind in ("dotted", "prefixed") and len(label.parts) == 1
        title, rest_at, guess = _run_in_title(first, pos, single=len(lines) == 1, loose=loose)
        node = Node(kind, 0, label, title, first.line, first.line, title_guess=guess,
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


# A lettered or roman item right after a clause number: "3.1.8. (a) En cas de perte".
_SUB_ITEM = cache.regex(r"[.\s]*(\((?:[a-z]{1,2}|[ivx]{1,5})\)\s)")


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
    if single and title_like(rest, strict=not loose):
        return rest.strip(), len(text), True
    if pos and not single and rest.isupper() and title_like(rest):
        return rest.strip(), len(text), False  # "SECTION 1 - WHAT WE COLLECT" over its text
    m = _PLAIN_RUN_IN.match(rest)
    if m and title_like(m.group(1), strict=True) and sum(ch.isalpha() for ch in m.group(1)) >= 3:
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


# --- assembling the Document --------------------------------------------------------


def _clause_text(node: Node) -> tuple[str, list[tuple[int, int, int]], list[TableRow]]:
    """The clause's own text, one line per source line, its `line_starts` and its table rows."""
    parts: list[str] = []
    starts: list[tuple[int, int, int]] = []
    rows: list[TableRow] = []
    pos = 0
    for seg in node.segs:
        if seg.row is not None:
            rows.append(seg.row.moved(pos))
        for text, line, col in seg.lines:
            starts.append((pos, line, col))
            parts.append(text)
            pos += len(text) + 1
    return "\n".join(parts), starts, rows


def parse_document(text: str, path: str) -> Document:
    """Parse Markdown terms into a `Document`; raise `InputError` for broken front matter."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Characters that str.splitlines() treats as line ends, but Markdown does not:
    # one space each, so every offset and column stays the same.
    if _LINE_BREAKER.search(text):
        text = text.translate(_LINE_BREAKERS)
    if "\u00a0" in text or "\u2007" in text or "\u202f" in text or "\u3000" in text:
        text = _WIDE_SPACE_LINE.sub(lambda m: " " * len(m.group()), text)  # same length: offsets stay
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    line_count = max(1, len(lines))
    walker = _Walker(path, lines)
    walker.walk(_reattach_indented_lists(_MD.parse(text)))
    fix_candidates(walker.events, walker.col)
    # Bold-only lines are headings only in documents without numbered headings;
    # in numbered ones they are emphasis ("**THESE TERMS LIMIT OUR LIABILITY**").
    numbered = sum(
        1 for kind, nd in walker.events
        if kind == "node" and nd.label is not None
        and (nd.label.kind in ("dotted", "prefixed") or (nd.label.kind == "item" and nd.title))
    )
    nodes = build_tree(walker.events, numbered >= 2)

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


def _make_clauses(nodes: list[Node], title_token: tuple[str, int] | None, line_count: int) -> list[Clause]:
    """Ids (unique: a repeat gets "~2"), anchors, spans, levels and paths."""
    used: set[str] = set()
    gh_seen: dict[str, int] = {}  # GitHub numbers repeated heading slugs: "cookies", "cookies-1"
    if title_token is not None:
        gh_seen[github_slug(title_token[0])] = 0
    clauses: list[Clause] = []
    by_node: dict[int, Clause] = {}
    for node in nodes:
        identify(node)
        cid = node.base
        k = 1
        while cid in used:
            k += 1
            cid = f"{node.base}~{k}"
        used.add(cid)
        node.id = cid
        anchor = node.html_anchor
        if node.kind == "heading":
            slug = github_slug(node.heading_text)
            if slug in gh_seen:
                gh_seen[slug] += 1
                slug = f"{slug}-{gh_seen[slug]}"
            else:
                gh_seen[slug] = 0
            anchor = anchor or slug
        text, starts, rows = _clause_text(node)
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
            table_rows=rows,
        )
        by_node[id(node)] = clause
        clauses.append(clause)
    return clauses


def _definitions(nodes: list[Node], clauses: list[Clause]) -> dict[str, Definition]:
    """Defined terms (the first definition wins; every defining clause lists it) and each clause's uses."""
    definitions: dict[str, Definition] = {}
    skip: list[set[int]] = []
    in_defs: dict[int, bool] = {}
    last_meaning: dict[str, tuple[str, ...]] = {}  # term -> the words of its latest definition
    for node, clause in zip(nodes, clauses):
        parent_in = node.parent is not None and in_defs[id(node.parent)]
        in_defs[id(node)] = parent_in or is_definitions_title(node.title)
        found = find_definitions(*sentence_segments(node.segs), in_defs[id(node)]) if clause.text else []
        skip.append({f.offset for f in found})
        new_meaning: set[str] = set()  # terms this clause gives words of its own
        for f in found:
            if f.term not in clause.defines:
                clause.defines.append(f.term)
            if f.term not in definitions:
                definitions[f.term] = Definition(f.term, clause.id, f.span, f.sentence)
            if not f.meaning or f.meaning != last_meaning.get(f.term):
                new_meaning.add(f.term)
            last_meaning[f.term] = f.meaning
        # A term defined again in the words of the definition before it (a party
        # named in each section of a cookie policy) is restated, not redefined.
        clause.restates = [t for t in clause.defines if t not in new_meaning]
    forms = term_forms(list(definitions))
    pattern = compile_terms(forms)
    for clause, offsets in zip(clauses, skip):
        clause.uses = find_uses(pattern, clause.text, offsets, forms)
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
