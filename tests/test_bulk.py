"""Every document of ../shared/corpus/bulk (about 2,900 real-world terms, 120 MB) checks cleanly.

"Cleanly" means: exit 0 or 1, no traceback, no internal error, one finding
list covering every file; and a serial and a parallel run agree byte for
byte. It takes minutes, so it runs only when asked:

    TERMSLINT_BULK=1 python -m pytest tests/test_bulk.py
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(
    not os.environ.get("TERMSLINT_BULK"),
    reason="checks the whole bulk corpus (minutes on 2 cores): set TERMSLINT_BULK=1 to run",
)


def check_corpus(corpus: Path, out: Path, *jobs: str) -> tuple[subprocess.CompletedProcess[str], float]:
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "termslint", "check", "--format", "json", "-o", str(out), *jobs, str(corpus)],
        capture_output=True, text=True, timeout=3600, env={**os.environ, "NO_COLOR": "1"},
    )
    return proc, time.monotonic() - started


def test_bulk_corpus_checks_without_errors_serial_and_parallel(shared_dir: Path, tmp_path: Path) -> None:
    corpus = shared_dir / "corpus" / "bulk"
    if not corpus.is_dir():
        pytest.skip(f"no bulk corpus at {corpus}")
    documents = sorted(p for p in corpus.rglob("*") if p.suffix in (".md", ".markdown"))
    parallel, parallel_time = check_corpus(corpus, tmp_path / "parallel.json", "--jobs", "2")
    serial, serial_time = check_corpus(corpus, tmp_path / "serial.json", "--jobs", "1")
    for proc in (parallel, serial):
        assert proc.returncode in (0, 1), proc.stderr[-3000:]
        assert proc.stderr == "", proc.stderr[-3000:]  # no traceback, no internal error, no warning
    report = json.loads((tmp_path / "parallel.json").read_text(encoding="utf-8"))
    assert report["summary"]["files"] == len(documents)
    assert (tmp_path / "parallel.json").read_bytes() == (tmp_path / "serial.json").read_bytes()
    print(f"bulk: {len(documents)} files, {report['summary']['clauses']} clauses, "
          f"{len(report['findings'])} findings; --jobs 2 {parallel_time:.0f}s, --jobs 1 {serial_time:.0f}s")
