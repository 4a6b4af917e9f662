"""Annotate the realistic corpus: every AI-training grant found, and the speed.

    python bench/annotate_corpus.py [CORPUS_DIR] [--repeat N] [--all-facts]

The corpus is `../shared/corpus/realistic` beside the repository. None of
its documents grants AI training, so every grant or permission printed here
is a false positive to explain. The speed figure is the median, over the
documents, of annotate time divided by parse time (best of N runs each).
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

from termslint.annotate import Vocabulary, annotate_document
from termslint.model import GRANT, PERMISSION, Document
from termslint.parse import parse_document

REPO = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = REPO / ".." / "shared" / "corpus" / "realistic"


def _best(fn: object, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        best = min(best, time.perf_counter() - t)
    return best


def main(argv: list[str]) -> int:
    repeat = 3
    if "--repeat" in argv:
        repeat = int(argv[argv.index("--repeat") + 1])
    args = [a for i, a in enumerate(argv) if not a.startswith("-") and (i == 0 or argv[i - 1] != "--repeat")]
    corpus = Path(args[0]) if args else DEFAULT_CORPUS
    files = sorted(p for p in corpus.glob("*.md") if p.name != "INDEX.md")
    if not files:
        print(f"no documents in {corpus}", file=sys.stderr)
        return 2
    vocab = Vocabulary.load()
    grants = 0
    ratios: list[float] = []
    total_parse = total_annotate = 0.0
    for path in files:
        text = path.read_text(encoding="utf-8")
        holder: list[Document] = []
        parse_t = _best(lambda: holder.append(parse_document(text, path.name)), repeat)
        doc = holder[-1]
        annotate_t = _best(lambda: annotate_document(doc, vocab), repeat)
        ratios.append(annotate_t / parse_t if parse_t else 0.0)
        total_parse += parse_t
        total_annotate += annotate_t
        for clause in doc.clauses:
            for f in clause.facts:
                if f.modality in (GRANT, PERMISSION) and f.actor != "user" and "ai_training" in f.purposes:
                    grants += 1
                    line = f.span.start_line if f.span else clause.span.start_line
                    print(f"{path.name}:{line}: clause {clause.id}: {f.modality} by {f.actor}, data {f.data}")
                    print(f"    {f.text[:300]}")
                    for e in f.evidence:
                        if e.concept.startswith("purpose:ai_training"):
                            print(f"    evidence {e.concept} {e.text!r} at {e.span.start_line}:{e.span.start_col}")
    print(f"\n{len(files)} documents, {grants} AI-training grant/permission facts")
    print(f"annotate/parse time: median ratio {statistics.median(ratios):.2f}, "
          f"max {max(ratios):.2f}; totals parse {total_parse:.2f}s, annotate {total_annotate:.2f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
