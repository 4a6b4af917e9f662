"""Bad input, end to end: the real CLI in a subprocess, one case per way a user's input goes wrong.

Every case holds DESIGN.md's contract for input errors: exit code 2, nothing
on stdout, exactly one line on stderr, `termslint: error: <what>; <how to fix>`,
naming the file (or URL, or config key) at fault, and no traceback. The
cases test_cli.py already covers (missing, non-UTF-8, binary and empty files,
a Rego syntax error, http.send, bad revisions, unknown top-level keys, a YAML
syntax error) are not repeated; these extend the same catalogue.

Several cases run with two documents on purpose: `check` evaluates in worker
processes when it has more than one file, and an error raised there must
still reach the user as the same one line.
"""
from __future__ import annotations

import codecs
import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import Run, write

Termslint = Callable[..., Run]

TERMS = """\
# Acme Terms of Service

## 1. Orders

**1.1 Placing orders.** You may order products through the website.

**1.2 Payment.** You pay the price shown at checkout, as described in Section 1.1.
"""

POLICY = """\
# METADATA
# title: Fuzz rule
# description: A user rule for the sandbox cases.
# custom:
#   code: ACME101
#   name: sandbox-probe
#   severity: warning
package termslint.rules.sandbox_probe

import rego.v1

warn contains f if {
	some c in input.clauses
	BODY
	f := {"code": "ACME101", "msg": "probe", "clause": c.id}
}
"""


def policy(body: str) -> str:
    return POLICY.replace("BODY", body)


def one_line_error(run: Run) -> str:
    """Exit 2, empty stdout, one `termslint: error: what; fix` line, no traceback."""
    assert run.code == 2, f"exit {run.code}\nstdout: {run.out[:2000]}\nstderr: {run.err[:2000]}"
    assert run.out == "", run.out[:2000]
    assert "Traceback" not in run.err and "internal error" not in run.err, run.err
    lines = run.err.splitlines()
    assert len(lines) == 1, run.err
    line = lines[0]
    assert line.startswith("termslint: error: "), line
    what, sep, fix = line.removeprefix("termslint: error: ").partition("; ")
    assert sep and what.strip() and fix.strip(), f"no '; how to fix' part: {line}"
    return line


@dataclass
class Case:
    files: dict[str, str | bytes]
    args: list[str]
    expected: list[str]  # fragments the error line must contain: the file or key, and the fix
    env: dict[str, str] = field(default_factory=dict)


def _config(text: str, policy_body: str | None = None) -> dict[str, str | bytes]:
    files: dict[str, str | bytes] = {"terms.md": TERMS, "other.md": TERMS, ".termslint.yaml": text}
    if policy_body is not None:
        files["acme/probe.rego"] = policy(policy_body)
    return files


# Twenty clauses, for the clause limit.
MANY_CLAUSES = "# Terms\n\n" + "".join(f"**{i}.1 Clause.** Text of clause {i}.\n\n" for i in range(1, 21))

CASES: dict[str, Case] = {
    # Word and Notepad save "Unicode" as UTF-16 with a BOM.
    "UTF-16 LE with BOM": Case({"word-export.md": codecs.BOM_UTF16_LE + TERMS.encode("utf-16-le")},
                               ["check", "word-export.md"], ["word-export.md", "UTF-16", "save it as UTF-8"]),
    "UTF-16 BE with BOM": Case({"word-export.md": codecs.BOM_UTF16_BE + TERMS.encode("utf-16-be")},
                               ["parse", "word-export.md"], ["word-export.md", "UTF-16", "save it as UTF-8"]),
    "UTF-32 with BOM": Case({"word-export.md": TERMS.encode("utf-32"), "terms.md": TERMS},
                            ["check", "word-export.md", "terms.md"], ["word-export.md", "UTF-32", "UTF-8"]),
    "clause count past limits.max_clauses": Case(
        {"many.md": MANY_CLAUSES, ".termslint.yaml": "limits:\n  max_clauses: 10\n"},
        ["check", "many.md"], ["many.md", "20 clauses", "limits.max_clauses"]),
    "clause count past the limit, in parallel": Case(
        {"many.md": MANY_CLAUSES, "terms.md": TERMS, ".termslint.yaml": "limits:\n  max_clauses: 10\n"},
        ["check", "--jobs", "2", "many.md", "terms.md"], ["many.md", "limits.max_clauses"]),
    "file size past limits.max_file_bytes (small limit)": Case(
        {"terms.md": TERMS, ".termslint.yaml": "limits:\n  max_file_bytes: 100\n"},
        ["check", "terms.md"], ["terms.md", "more than the limit of 100", "raise"]),
    # Broken configuration, beyond test_cli's unclosed YAML list.
    "config indented with a tab": Case({"terms.md": TERMS, ".termslint.yaml": "rules:\n\tTL101: off\n"},
                                       ["check", "terms.md"], [".termslint.yaml", "fix the YAML"]),
    "config key given twice": Case({"terms.md": TERMS, ".termslint.yaml": "fail_on: error\nfail_on: info\n"},
                                   ["check", "terms.md"], [".termslint.yaml:2", "fix the YAML"]),
    "config that is a list": Case({"terms.md": TERMS, ".termslint.yaml": "- rules\n- fail_on\n"},
                                  ["check", "terms.md"], [".termslint.yaml", "mapping"]),
    "broken TOML in pyproject": Case(
        {"terms.md": TERMS, "pyproject.toml": "[tool.termslint]\nrules = {TL101 = \"off\"\n"},
        ["check", "terms.md"], ["pyproject.toml", "fix the TOML"]),
    "unknown key under limits": Case({"terms.md": TERMS, ".termslint.yaml": "limits:\n  max_clause: 5\n"},
                                     ["check", "terms.md"], ["max_clause", "did you mean 'max_clauses'"]),
    "unknown key under opa": Case({"terms.md": TERMS, ".termslint.yaml": "opa:\n  timout: 1\n"},
                                  ["check", "terms.md"], ["timout", "did you mean 'timeout'"]),
    "--config naming a missing file": Case({"terms.md": TERMS}, ["check", "--config", "nope.yaml", "terms.md"],
                                           ["nope.yaml", "--config"]),
    # Policies: compile errors surface in the worker processes of a parallel run.
    "Rego syntax error, two documents in parallel": Case(
        _config("policies: [acme]\n", "x := {{1}"), ["check", "--jobs", "2", "terms.md", "other.md"],
        ["acme/probe.rego:"]),
    "Rego syntax error in a library module": Case(
        {**_config("policies: [acme]\n"), "acme/lib.rego": "package termslint.lib.acme\n\nimport rego.v1\n\nx if {\n"},
        ["check", "terms.md"], ["acme/lib.rego:"]),
    "net.lookup_ip_addr": Case(_config("policies: [acme]\n", 'ips := net.lookup_ip_addr("example.com")'),
                               ["check", "terms.md"], ["acme/probe.rego:14", "net.lookup_ip_addr",
                                                       "may not reach the network"]),
    "opa.runtime": Case(_config("policies: [acme]\n", "rt := opa.runtime()"),
                        ["check", "terms.md"], ["acme/probe.rego:14", "opa.runtime", "may not read the environment"]),
    # The same calls written as bracket references: regorus runs `opa["runtime"]()`.
    "opa.runtime as a bracket reference": Case(_config("policies: [acme]\n", 'rt := opa["runtime"]()'),
                                               ["check", "terms.md"], ["acme/probe.rego:14", "opa.runtime"]),
    "http.send as an escaped bracket reference": Case(
        _config("policies: [acme]\n", 'r := http["s\\u0065nd"]({"method": "GET", "url": "http://127.0.0.1:9"})'),
        ["check", "terms.md"], ["acme/probe.rego:14", "http.send"]),
    "a forbidden call in a policy unit test": Case(
        {"acme/probe_test.rego": "package t\n\nimport rego.v1\n\ntest_env if opa.runtime().env\n"},
        ["test", "acme"], ["acme/probe_test.rego:5", "opa.runtime"]),
    # A pattern that backtracks for ever would hang every check.
    "catastrophic vocabulary regex": Case(
        _config("vocabulary:\n  purposes:\n    ai_training:\n      patterns:\n        - '(a+)+$'\n"),
        ["check", "terms.md"], ["purposes.ai_training.patterns", "(a+)+$", "rewrite it"]),
    "vocabulary regex that does not compile": Case(
        _config("vocabulary:\n  purposes:\n    ai_training:\n      patterns:\n        - '(unclosed'\n"),
        ["check", "terms.md"], ["purposes.ai_training.patterns", "does not compile"]),
    # Where reports go: refused before the run, so nothing is printed first.
    "output folder that is a file": Case({"terms.md": TERMS, "reports": "not a folder"},
                                         ["check", "terms.md", "-o", "reports/out.sarif"], ["reports", "--output"]),
    "output that is a folder": Case({"terms.md": TERMS, "reports/keep.txt": ""},
                                    ["check", "terms.md", "-o", "json:reports"], ["reports", "is a folder"]),
    "baseline output that is a folder": Case({"terms.md": TERMS, "reports/keep.txt": ""},
                                             ["baseline", "terms.md", "-o", "reports"], ["reports", "is a folder"]),
    "summary in a missing folder": Case({"terms.md": TERMS}, ["check", "terms.md", "--summary", "gone/summary.md"],
                                        ["gone/summary.md", "--summary"]),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_bad_input_is_one_line_and_exit_2(termslint: Termslint, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    write(tmp_path, case.files)
    line = one_line_error(termslint(*case.args, cwd=tmp_path, env=case.env))
    for fragment in case.expected:
        assert fragment in line, f"{fragment!r} not in {line!r}"


# ---------------------------------------------------------------- encodings


def test_utf8_with_bom_is_accepted_and_parses_like_without(termslint: Termslint, tmp_path: Path) -> None:
    write(tmp_path, {"bom.md": codecs.BOM_UTF8 + TERMS.encode("utf-8"), "plain.md": TERMS})
    with_bom = termslint("parse", "bom.md", cwd=tmp_path)
    plain = termslint("parse", "plain.md", cwd=tmp_path)
    assert with_bom.code == plain.code == 0, with_bom.err
    assert with_bom.out.replace('"bom.md"', '"plain.md"') == plain.out  # the BOM leaves no trace
    assert '"title": "Acme Terms of Service"' in with_bom.out
    assert "\ufeff" not in with_bom.out and "\\ufeff" not in with_bom.out
    check = termslint("check", "bom.md", "--format", "json", "--fail-on", "info", cwd=tmp_path)
    assert check.code == 0 and check.err == "", check.err


def test_front_matter_numbers_json_cannot_carry(termslint: Termslint, tmp_path: Path) -> None:
    """YAML has .nan and .inf; JSON has no NaN. The engine once refused such input with an error naming
    neither the file nor a fix, and `parse` printed invalid JSON."""
    write(tmp_path, {"terms.md": "---\nversion: .nan\nbig: 1e999\n---\n" + TERMS})
    check = termslint("check", "terms.md", cwd=tmp_path)
    assert check.code == 0 and check.err == "", check.err

    def refuse(name: str) -> None:
        raise AssertionError(f"{name} is not JSON")

    parsed = termslint("parse", "terms.md", cwd=tmp_path)
    assert json.loads(parsed.out, parse_constant=refuse)["document"]["metadata"] == {"version": "nan", "big": "inf"}


# ---------------------------------------------------------------- size


def write_large_document(path: Path, size: int) -> None:
    """`size` bytes of numbered clauses, written in one go (about a second for 50 MB)."""
    unit = "**{n}.1 Use of data.** Acme may use usage data to improve the Services, as set out in Section {n}.\n\n"
    parts, total, n = ["# Large terms\n\n"], 0, 0
    while total < size:
        part = unit.format(n=n)
        parts.append(part)
        total += len(part)
        n += 1
    path.write_text("".join(parts), encoding="utf-8")


def test_50_mb_document_fails_fast_on_the_default_limit(termslint: Termslint, tmp_path: Path) -> None:
    write_large_document(tmp_path / "huge.md", 50_000_000)
    started = time.monotonic()
    run = termslint("check", "huge.md", cwd=tmp_path)
    elapsed = time.monotonic() - started
    line = one_line_error(run)
    assert "huge.md" in line and "20,000,000" in line and "raise" in line
    assert elapsed < 10, f"refusing a file over the size limit took {elapsed:.1f}s: it must not read it first"


def test_a_large_document_under_a_raised_limit_finishes(termslint: Termslint, tmp_path: Path) -> None:
    """1 MB in one clause with a thousand cross-references: refused under a lowered limit,
    checked in seconds under a raised one (fingerprinting each finding used to re-read the
    whole clause: quadratic, more than ten minutes at 2 MB)."""
    write_large_document(tmp_path / "large.md", 1_000_000)
    write(tmp_path, {".termslint.yaml": "limits:\n  max_file_bytes: 500000\n"})
    assert "large.md" in one_line_error(termslint("check", "large.md", cwd=tmp_path))
    write(tmp_path, {".termslint.yaml": "limits:\n  max_file_bytes: 1200000\n"})
    started = time.monotonic()
    run = termslint("check", "large.md", "--format", "json", cwd=tmp_path)
    elapsed = time.monotonic() - started
    assert run.code in (0, 1) and run.err == "", run.err
    assert elapsed < 60, f"a 1 MB document took {elapsed:.0f}s"


@pytest.mark.skipif(not os.environ.get("TERMSLINT_BULK"),
                    reason="slow (minutes, several GB of memory): set TERMSLINT_BULK=1 to run")
def test_50_mb_document_under_a_raised_limit_does_not_hang(tmp_path: Path) -> None:
    write_large_document(tmp_path / "huge.md", 50_000_000)
    write(tmp_path, {".termslint.yaml": "limits:\n  max_file_bytes: 60000000\n"})
    # Measured: about 6 minutes and 6 GB on 2 cores, more than conftest's runner allows (300 s).
    proc = subprocess.run([sys.executable, "-m", "termslint", "check", "huge.md", "--format", "json"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=1800)
    assert proc.returncode in (0, 1) and proc.stderr == "", proc.stderr


# ---------------------------------------------------------------- OPA servers that fail


def _port_nothing_listens_on() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # closed on return: connections are refused


@pytest.mark.parametrize("documents", [["terms.md"], ["terms.md", "other.md"]], ids=["one", "parallel"])
def test_opa_url_that_refuses_connections(termslint: Termslint, tmp_path: Path, documents: list[str]) -> None:
    write(tmp_path, {"terms.md": TERMS, "other.md": TERMS})
    url = f"http://127.0.0.1:{_port_nothing_listens_on()}"
    line = one_line_error(termslint("check", "--engine", "opa", "--opa-url", url, *documents, cwd=tmp_path))
    assert url in line and "cannot connect" in line


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A server that accepts connections and never answers: a hung OPA."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            try:
                conn, _ = server.accept()
            except OSError:
                continue
            held.append(conn)  # keep it open, say nothing

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        for conn in held:
            conn.close()
        server.close()


def test_opa_server_that_never_answers_times_out(termslint: Termslint, tmp_path: Path, silent_server: str) -> None:
    write(tmp_path, {"terms.md": TERMS, "other.md": TERMS,
                     ".termslint.yaml": f"engine: opa\nopa:\n  url: {silent_server}\n  timeout: 1\n"})
    started = time.monotonic()
    run = termslint("check", "terms.md", "other.md", cwd=tmp_path)
    elapsed = time.monotonic() - started
    line = one_line_error(run)
    assert silent_server in line and "did not answer within 1s" in line
    assert elapsed < 10, f"a 1 s timeout took {elapsed:.1f}s to give up"


def test_overlapping_alternation_regex_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {"terms.md": "# Terms\n\n**1.1 Use.** We " + "a" * 40 + "b may use data to train models.\n",
                     ".termslint.yaml": "vocabulary:\n  purposes:\n    ai_training:\n      patterns:\n"
                                        "        - '(a|aa)+$'\n"})
    # Not the conftest runner: its timeout is five minutes, and this one must fail fast.
    try:
        proc = subprocess.run([sys.executable, "-m", "termslint", "check", "terms.md"], cwd=tmp_path,
                              capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail("termslint check hung on a backtracking vocabulary pattern")
    line = one_line_error(Run(proc.returncode, proc.stdout, proc.stderr))
    assert "purposes.ai_training.patterns" in line
