"""Parse every Markdown document in a folder and report speed, errors and numbering.

    python bench/parse_corpus.py [FOLDER] [--runs 3] [--show-failures]

FOLDER defaults to ../shared/corpus/realistic beside the repository.

Speed: documents per second for `parse_document` (read and decode excluded),
the median of --runs runs, next to bare markdown-it-py parsing of the same
texts; the two are timed document by document, interleaved, so machine load
hits both alike.

Legal numbers: a source line is *numbered-looking* when, with Markdown
markup removed, it starts with a decimal clause number followed by a word
that is not lower case: "10.", "10.2", "1.1.Foo", "**3.1**", "Section 4" (not
"Section 230 of"), or an ordered-list marker "3.", and is not
a table-of-contents line (a short line repeated verbatim later, or a number
followed only by a link). The line's
number *came out* when a clause starts on that line and its `number` ends with
that number ("3." under clause 2.4 gives "2.4.3"). A document *keeps its legal
numbers* when it has at least 3 numbered-looking lines and at least 90% of
them came out. The share printed is over the documents with at least 3.
"""
from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from termslint.errors import InputError  # noqa: E402
from termslint.model import Document  # noqa: E402
from termslint.parse import _MD, parse_document  # noqa: E402
from termslint.read import read_document_text  # noqa: E402

_MARKUP = re.compile(r"^(?:\s|[#>*_]|\\(?=\.))*")
_NUMBERED = re.compile(
    r"^(?:(?:Section|SECTION|Article|ARTICLE|Clause|CLAUSE)\s+(\d{1,3}(?:\.\d{1,3})*)\b(?!\s+of\b)"
    r"|(\d{1,3}\.\d{1,3}(?:\.\d{1,3})*)\.?(?=\s+[^\sa-z]|[A-Za-z*_])"
    r"|(\d{1,3})\\?\.(?=\s+[^\sa-z]|[A-Za-z*_]))"
)
_LINK_ONLY = re.compile(r"\s*\[[^\]]*\]\([^)]*\)\s*$")
MIN_LINES, MIN_SHARE = 3, 0.9


def numbered_lines(lines: list[str]) -> list[tuple[int, str]]:
    """(line, number) of numbered-looking lines, less table-of-contents lines (repeated later verbatim)."""
    out = []
    later: dict[str, int] = {}
    for i, raw in enumerate(lines, 1):
        later[raw.strip()] = i
    for i, raw in enumerate(lines, 1):
        text = _MARKUP.sub("", raw.replace("\xa0", " ")).replace("\\.", ".")
        m = _NUMBERED.match(text)
        if m and _LINK_ONLY.match(text, m.end()):
            continue  # "3. [Fees](#fees)": a contents entry
        if m and later[raw.strip()] == i or (m and len(text) > 150):
            out.append((i, m.group(1) or m.group(2) or m.group(3)))
    return out


def numbering_score(doc: Document) -> tuple[int, int]:
    """(numbered-looking lines, of which came out as clause numbers)."""
    starts: dict[int, list[str]] = {}
    for c in doc.clauses:
        if c.number:
            starts.setdefault(c.span.start_line, []).append(c.number)
    wanted = numbered_lines(doc.lines)
    ok = 0
    for line, num in wanted:
        for number in starts.get(line, ()):
            if number == num or number.endswith("." + num) or number.endswith("(" + num + ")"):
                ok += 1
                break
    return len(wanted), ok


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("folder", nargs="?", default=str(REPO.parent / "shared" / "corpus" / "realistic"))
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--show-failures", action="store_true", help="list documents whose numbers did not come out")
    args = ap.parse_args()
    files = sorted(p for p in Path(args.folder).glob("*.md") if p.name != "INDEX.md")
    if not files:
        print(f"no .md files in {args.folder}", file=sys.stderr)
        return 2
    texts: list[tuple[Path, str]] = []
    errors: list[str] = []
    for p in files:
        try:
            texts.append((p, read_document_text(str(p))))
        except InputError as exc:
            errors.append(str(exc))
    crashes: list[str] = []
    bare_runs: list[float] = []
    full_runs: list[float] = []
    docs: dict[Path, Document] = {}
    for _ in range(max(1, args.runs)):
        bare = full = 0.0
        for p, text in texts:
            t0 = time.perf_counter()
            _MD.parse(text)
            t1 = time.perf_counter()
            try:
                docs[p] = parse_document(text, str(p))
            except InputError as exc:
                if len(bare_runs) == 0:
                    errors.append(str(exc))
            except Exception as exc:  # noqa: BLE001 - a benchmark reports, it does not stop
                if len(bare_runs) == 0:
                    crashes.append(f"{p.name}: {type(exc).__name__}: {exc}")
            t2 = time.perf_counter()
            bare += t1 - t0
            full += t2 - t1
        bare_runs.append(bare)
        full_runs.append(full)
    n = len(texts)
    mb = sum(len(t.encode("utf-8")) for _, t in texts) / 1e6
    bare_t, full_t = statistics.median(bare_runs), statistics.median(full_runs)
    print(f"folder: {args.folder}")
    print(f"documents: {n} ({mb:.1f} MB), input errors: {len(errors)}, crashes: {len(crashes)}")
    print(f"parse_document: {n / full_t:.1f} documents/s ({full_t:.2f} s, median of {len(full_runs)})")
    print(f"bare markdown-it-py: {n / bare_t:.1f} documents/s ({bare_t:.2f} s); parse/bare = {full_t / bare_t:.2f}x")
    for e in errors + crashes:
        print(f"  error: {e}")
    scored = kept = 0
    failures = []
    for p, doc in sorted(docs.items()):
        wanted, ok = numbering_score(doc)
        if wanted < MIN_LINES:
            continue
        scored += 1
        if ok >= MIN_SHARE * wanted:
            kept += 1
        else:
            failures.append(f"  {p.name}: {ok}/{wanted} numbered lines came out ({ok / wanted:.0%})")
    if scored:
        print(
            f"legal numbers kept: {kept}/{scored} documents ({kept / scored:.0%}) "
            f"[documents with >= {MIN_LINES} numbered-looking lines where >= {MIN_SHARE:.0%} of them start a clause "
            "whose number ends with the number written]"
        )
        if args.show_failures:
            print("\n".join(failures))
    return 1 if crashes else 0


if __name__ == "__main__":
    raise SystemExit(main())
