"""`termslint bundle`: an OPA bundle whose bytes depend only on the policies."""
from __future__ import annotations

import gzip
import io
import json
import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

from termslint.bundle import bundle_bytes, bundle_roots, write_bundle
from termslint.errors import TermslintError
from termslint.policies import load_policy_set


def members(data: bytes) -> dict[str, tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {m.name: m for m in tar.getmembers()}


def read(data: bytes, name: str) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        handle = tar.extractfile(name)
        assert handle is not None
        return handle.read()


def test_bundle_is_byte_for_byte_deterministic(tmp_path: Path) -> None:
    rule = tmp_path / "acme.rego"
    rule.write_text("package termslint.rules.acme\n\nimport rego.v1\n", encoding="utf-8")
    first = bundle_bytes(load_policy_set([tmp_path]))
    os.utime(rule, (1_000_000_000, 1_000_000_000))  # a different mtime must not matter
    second = bundle_bytes(load_policy_set([tmp_path]))
    assert first == second
    assert first[4:8] == b"\x00\x00\x00\x00"  # gzip header: no timestamp
    for info in members(first).values():
        assert (info.mtime, info.mode, info.uid, info.gid, info.uname, info.gname) == (0, 0o644, 0, 0, "", "")


def test_bundle_holds_the_manifest_and_every_rule_but_no_tests() -> None:
    policies = load_policy_set(with_tests=True)
    data = bundle_bytes(policies)
    names = list(members(data))
    assert names[0] == "/.manifest"
    assert names == sorted(names)
    assert "/policies/lib/termslint.rego" in names
    for doc in policies.rules.values():
        assert f"/policies/{Path(doc.source).name}" in names
    assert not [n for n in names if n.endswith("_test.rego")]
    manifest = json.loads(read(data, "/.manifest"))
    assert manifest["roots"] == ["termslint/lib", "termslint/rules"]
    assert manifest["rego_version"] == 1
    assert manifest["revision"] == ""
    source = read(data, "/policies/tl101_ai_training_without_opt_out.rego").decode("utf-8")
    assert source == Path(policies.rules["TL101"].source).read_text(encoding="utf-8")


def test_tests_are_included_only_when_asked() -> None:
    policies = load_policy_set(with_tests=True)
    data = bundle_bytes(policies, include_tests=True, revision="v1.2")
    names = members(data)
    assert "/policies/tl101_ai_training_without_opt_out_test.rego" in names
    manifest = json.loads(read(data, "/.manifest"))
    assert manifest["roots"] == ["termslint/lib", "termslint/rules", "termslint/tests"]
    assert manifest["revision"] == "v1.2"


def test_user_folders_get_their_own_prefix(tmp_path: Path) -> None:
    (tmp_path / "acme.rego").write_text("package acme.helpers\n\nimport rego.v1\n\nx := 1\n", encoding="utf-8")
    data = bundle_bytes(load_policy_set([tmp_path]))
    assert "/user1/acme.rego" in members(data)
    assert json.loads(read(data, "/.manifest"))["roots"] == ["acme/helpers", "termslint/lib", "termslint/rules"]


def test_roots_do_not_nest() -> None:
    assert bundle_roots(["termslint.rules.a", "termslint.rules.b.c", "acme", "acme.x", "termslint.lib"]) == [
        "acme",
        "termslint/lib",
        "termslint/rules",
    ]


def test_write_bundle(tmp_path: Path) -> None:
    out = write_bundle(load_policy_set(), tmp_path / "bundle.tar.gz")
    assert gzip.decompress(out.read_bytes())  # a valid gzip stream
    with pytest.raises(TermslintError, match="cannot write"):
        write_bundle(load_policy_set(), tmp_path / "missing" / "bundle.tar.gz")


@pytest.mark.skipif(shutil.which("opa") is None, reason="no `opa` binary on PATH to inspect the bundle with")
def test_opa_accepts_the_bundle(tmp_path: Path) -> None:
    path = write_bundle(load_policy_set(), tmp_path / "bundle.tar.gz")
    result = subprocess.run(["opa", "inspect", str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
