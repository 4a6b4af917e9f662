"""Human output in ruff's diagnostic style.

    legal/terms.md:69:12: TL101 [error] Customer Content may train AI models ...
       |
    68 | ## 10.4 Use of data
    69 | We may use Customer Content for machine learning.
       |            ^^^^^^^^^^^^^^^^     ^^^^^^^^^^^^^^^^
       |
       = help: Offer an opt-out ...

The header is `path:line:col:` so that editors and terminals can jump to it.
Colour is used only when the caller asks; the CLI decides (a terminal, and
no NO_COLOR).
"""
from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from termslint import __version__
from termslint.model import Evidence, Finding, RuleDoc
from termslint.report import Summary, ordered, severity_of, summary_line

# A code frame shows at most this many source lines, so that a long clause
# does not push the next finding off the screen.
MAX_FRAME_LINES = 6
# Legal paragraphs are often one line of a thousand characters. Longer lines
# are cut to the evidence with this much context either side; "…" stands for
# each cut.
MAX_LINE_CHARS = 120
CONTEXT_CHARS = 40

_RESET = "\x1b[0m"
_SEVERITY_COLORS = {"error": "\x1b[1;31m", "warning": "\x1b[1;33m", "info": "\x1b[1;36m"}


@dataclass(frozen=True, slots=True)
class _Style:
    """ANSI codes, or empty strings when colour is off, so that the layout
    code never branches on colour."""

    enabled: bool

    def wrap(self, code: str, text: str) -> str:
        return f"{code}{text}{_RESET}" if self.enabled and text else text

    def bold(self, text: str) -> str:
        return self.wrap("\x1b[1m", text)

    def gutter(self, text: str) -> str:
        return self.wrap("\x1b[1;34m", text)

    def severity(self, severity: str, text: str) -> str:
        return self.wrap(_SEVERITY_COLORS.get(severity, ""), text)

    def help(self, text: str) -> str:
        return self.wrap("\x1b[1;32m", text)


def render(
    findings: Sequence[Finding],
    rules: Mapping[str, RuleDoc],
    summary: Summary,
    *,
    sources: Mapping[str, Sequence[str]] | None = None,
    color: bool = False,
    change_account: str | None = None,
    tool_version: str = __version__,
) -> str:
    style = _Style(color)
    blocks = [
        _render_finding(f, rules.get(f.code), (sources or {}).get(f.path), style)
        for f in ordered(findings)
    ]
    problem_paths = {f.path for f in findings if not f.waived}
    blocks.append(style.bold(summary_line(summary, len(problem_paths))))
    return "\n\n".join(blocks) + "\n"


def _render_finding(
    finding: Finding, rule: RuleDoc | None, lines: Sequence[str] | None, style: _Style
) -> str:
    severity = severity_of(finding)
    line = max(finding.span.start_line, 1)
    out = [
        f"{style.bold(f'{_clean(finding.path)}:{line}:{_header_column(finding)}:')} "
        f"{style.severity(severity, f'{_clean(finding.code)} [{severity}]')} "
        f"{_clean(_one_line(finding.message))}"
    ]
    frame, shown = _code_frame(finding, lines, severity, style)
    out.extend(frame)
    gutter = " " * _gutter_width(shown)
    notes: list[tuple[str, str]] = []
    for ev in finding.evidence:
        if id(ev) not in shown.underlined:
            where = f" (line {ev.span.start_line})" if ev.span.start_line >= 1 else ""
            notes.append(("evidence", f'"{_clean(_one_line(ev.text))}"{where}'))
    if rule is not None and rule.fix.strip():
        notes.append(("help", rule.fix))
    if finding.status == "existing":
        notes.append(("note", "existing finding: already present at the base revision"))
    if finding.waived:
        reason = _one_line(finding.waiver_reason or "").strip()
        notes.append(("note", f"waived: {reason}" if reason else "waived (no reason given)"))
    for label, text in notes:
        out.extend(_note(gutter, label, text, style))
    return "\n".join(out)


def _header_column(finding: Finding) -> int:
    """The finding's own column, else where its first evidence on the header
    line starts, else 1: editors jump there."""
    if finding.span.start_col is not None:
        return max(finding.span.start_col, 1)
    on_line = [
        e.span.start_col
        for e in finding.evidence
        if e.span.start_line == finding.span.start_line and e.span.start_col is not None
    ]
    return max(min(on_line), 1) if on_line else 1


@dataclass(slots=True)
class _Shown:
    """What a code frame showed: its line numbers and which evidence it underlined."""

    numbers: list[int]
    underlined: set[int]


def _gutter_width(shown: _Shown) -> int:
    return len(str(max(shown.numbers))) if shown.numbers else 1


def _frame_window(finding: Finding, line_count: int) -> tuple[int, int]:
    """The lines to show: the whole span when short, else a window that
    starts at the span (its heading) or, when the first evidence lies deeper,
    just above that evidence."""
    start = min(max(finding.span.start_line, 1), line_count)
    end = min(max(finding.span.end_line, start), line_count)
    if end - start + 1 <= MAX_FRAME_LINES:
        return start, end
    inside = [e.span.start_line for e in finding.evidence if start <= e.span.start_line <= end]
    anchor = min(inside) if inside else start
    if anchor > start + MAX_FRAME_LINES - 2:
        start = anchor - 1
    return start, min(end, start + MAX_FRAME_LINES - 1)


def _code_frame(
    finding: Finding, lines: Sequence[str] | None, severity: str, style: _Style
) -> tuple[list[str], _Shown]:
    shown = _Shown(numbers=[], underlined=set())
    if not lines or finding.span.start_line > len(lines):
        # No source, or a source that no longer matches the finding.
        return [], shown
    start, end = _frame_window(finding, len(lines))
    shown.numbers = list(range(start, end + 1))
    width = _gutter_width(shown)
    bar = style.gutter(" " * width + " |")
    out = [bar]
    if start > max(finding.span.start_line, 1):
        out.append(style.gutter("..."))
    for number in shown.numbers:
        text = _clean(lines[number - 1].rstrip("\r\n")).rstrip()
        text, marked = _excerpt(text, _marked(text, number, finding.evidence, shown.underlined))
        for i, (row, row_marked) in enumerate(_wrap(text, marked)):
            # The line number on a line's first row only: the others continue it.
            num = style.gutter(f"{number if i == 0 else '':>{width}} |")
            out.append(f"{num} {row}" if row else num)
            carets = _carets(row, row_marked)
            if carets:
                indent = len(carets) - len(carets.lstrip())
                out.append(f"{bar} {carets[:indent]}{style.severity(severity, carets[indent:])}")
    if end < min(finding.span.end_line, len(lines)):
        out.append(style.gutter("..."))
    out.append(bar)
    return out, shown


def _marked(text: str, number: int, evidence: Sequence[Evidence], underlined: set[int]) -> list[bool]:
    """Which characters of `text` (line `number`) some evidence covers.

    Evidence columns are 1-based and inclusive; a span with no columns
    covers its whole lines.
    """
    marked = [False] * len(text)
    for ev in evidence:
        span = ev.span
        if not span.start_line <= number <= max(span.end_line, span.start_line):
            continue
        underlined.add(id(ev))
        if span.start_col is not None and number == span.start_line:
            first = span.start_col
        else:
            first = len(text) - len(text.lstrip()) + 1
        if span.end_col is not None and number == max(span.end_line, span.start_line):
            last = span.end_col
        else:
            last = len(text)
        for i in range(max(first, 1) - 1, min(last, len(text))):
            marked[i] = True
    return marked


def _excerpt(text: str, marked: list[bool]) -> tuple[str, list[bool]]:
    """A long line cut to its evidence, each cut shown as "…" (marks follow the cut)."""
    if len(text) <= MAX_LINE_CHARS:
        return text, marked
    runs: list[tuple[int, int]] = []
    for i, m in enumerate(marked):
        if m and (not runs or runs[-1][1] != i):
            runs.append((i, i + 1))
        elif m:
            runs[-1] = (runs[-1][0], i + 1)
    # Each run of evidence with context either side; no evidence: the line's start.
    windows = [(max(0, a - CONTEXT_CHARS), min(len(text), b + CONTEXT_CHARS)) for a, b in runs]
    keep: list[tuple[int, int]] = []
    for a, b in windows or [(0, MAX_LINE_CHARS)]:
        # Cut between words, not inside them.
        space = text.rfind(" ", 0, a)
        a = space + 1 if a > 0 and space >= 0 and a - space <= 15 else a
        space = text.find(" ", b)
        b = space if b < len(text) and 0 <= space - b <= 15 else b
        if keep and a <= keep[-1][1] + 5:
            keep[-1] = (keep[-1][0], max(b, keep[-1][1]))
        else:
            keep.append((a, b))
    out, out_marked, pos = [], [], 0
    for a, b in keep:
        if a > pos:
            cut = "… " if pos == 0 else " … "
            out.append(cut)
            out_marked.extend([False] * len(cut))
        piece = text[a:b]
        lead = len(piece) - len(piece.lstrip(" "))
        piece = piece.strip(" ")
        out.append(piece)
        out_marked.extend(marked[a + lead : a + lead + len(piece)])
        pos = b
    if pos < len(text):
        out.append(" …")
        out_marked.extend([False, False])
    return "".join(out), out_marked


def _wrap(text: str, marked: list[bool]) -> list[tuple[str, list[bool]]]:
    """Rows of at most MAX_LINE_CHARS, broken after a space where there is one."""
    rows = []
    while len(text) > MAX_LINE_CHARS:
        cut = text.rfind(" ", MAX_LINE_CHARS // 2, MAX_LINE_CHARS) + 1 or MAX_LINE_CHARS
        rows.append((text[:cut].rstrip(), marked[: len(text[:cut].rstrip())]))
        text, marked = text[cut:], marked[cut:]
    rows.append((text, marked))
    return rows


def _carets(text: str, marked: list[bool]) -> str:
    """`^` under every marked character; wide (CJK) characters get two."""
    if not any(marked):
        return ""
    out = "".join(
        ("^" if m else " ") * _display_width(ch) for ch, m in zip(text, marked, strict=True)
    )
    return out.rstrip()


def _note(gutter: str, label: str, text: str, style: _Style) -> list[str]:
    """`   = help: text`, with further lines of `text` aligned under its first."""
    lines = [ln.strip() for ln in _clean(text, keep_newlines=True).strip().splitlines()]
    lines = [ln for ln in lines if ln] or [""]
    prefix = f"{gutter} = {label}: "
    styled = style.help(f"{label}:") if label == "help" else style.bold(f"{label}:")
    first = f"{style.gutter(gutter + ' =')} {styled} {lines[0]}".rstrip()
    return [first] + [" " * len(prefix) + ln for ln in lines[1:]]


def _display_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def _one_line(text: str) -> str:
    return " ".join(text.split()) if ("\n" in text or "\r" in text) else text


def _clean(text: str, *, keep_newlines: bool = False) -> str:
    """Source lines and messages are untrusted: a control character (an ESC
    starting a terminal sequence) becomes U+FFFD, one column wide like the
    character it replaces, so evidence columns stay aligned. A tab becomes
    one space for the same reason."""
    out = []
    for ch in text:
        if ch == "\t":
            out.append(" ")
        elif ch == "\n" and keep_newlines:
            out.append(ch)
        elif unicodedata.category(ch) == "Cc":
            out.append("\ufffd")
        else:
            out.append(ch)
    return "".join(out)
