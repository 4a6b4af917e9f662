"""`termslint bundle`: the policy pack as an OPA bundle (a gzipped tar).

The bytes depend only on the policies: entries sorted, a fixed mtime, owner
and mode, and a gzip header without a timestamp or file name, so a bundle
built twice (or on two machines) is identical and can be signed or cached.
"""
from __future__ import annotations

import gzip
import io
import json
import os
import tarfile
from pathlib import Path
from typing import Any

from termslint import __version__
from termslint.files import write_atomic
from termslint.policies import PolicySet

FIXED_MTIME = 0  # tar and gzip timestamps: the bytes must not depend on when the bundle was built


def bundle_roots(packages: list[str]) -> list[str]:
    """The bundle's roots: the packages' paths, rule packages collapsed to termslint/rules.

    `termslint` itself is not a root, so `data.termslint.documents` and
    `data.termslint.config` can still be written to an OPA that runs the bundle.
    """
    paths = set()
    for package in packages:
        parts = package.split(".")
        if parts[:2] == ["termslint", "rules"]:
            parts = parts[:2]
        elif parts[:2] == ["termslint", "tests"]:
            parts = parts[:2]
        paths.add("/".join(parts))
    roots: list[str] = []
    for path in sorted(paths, key=lambda p: (p.count("/"), p)):
        if not any(path == r or path.startswith(r + "/") for r in roots):
            roots.append(path)
    return sorted(roots)


def manifest(policies: PolicySet, *, include_tests: bool = False, revision: str = "") -> dict[str, Any]:
    modules = policies.all_modules(include_tests)
    return {
        "revision": revision,
        "roots": bundle_roots([policies.packages[m.path] for m in modules]),
        "rego_version": 1,
        "metadata": {"termslint_version": __version__},
    }


def bundle_bytes(policies: PolicySet, *, include_tests: bool = False, revision: str = "") -> bytes:
    """The bundle as bytes: `/.manifest` and every module, test files only when asked."""
    files: dict[str, bytes] = {
        "/.manifest": json.dumps(
            manifest(policies, include_tests=include_tests, revision=revision),
            sort_keys=True,
            indent=2,
        ).encode("utf-8")
        + b"\n"
    }
    for path, source in policies.all_modules(include_tests):
        name = "/" + policies.bundle_paths.get(path, Path(path).name).lstrip("/")
        files[name] = source.encode("utf-8")

    tar_buffer = io.BytesIO()
    # GNU format: no PAX headers, which could otherwise carry extra timestamps.
    with tarfile.open(fileobj=tar_buffer, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name in sorted(files):
            data = files[name]
            info = tarfile.TarInfo(name)  # leading "/" as `opa build` writes them
            info.size = len(data)
            info.mtime = FIXED_MTIME
            info.mode = 0o644
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            tar.addfile(info, io.BytesIO(data))

    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=FIXED_MTIME) as gz:
        gz.write(tar_buffer.getvalue())
    return out.getvalue()


def write_bundle(
    policies: PolicySet,
    output: str | os.PathLike[str],
    *,
    include_tests: bool = False,
    revision: str = "",
) -> Path:
    """Write the bundle to `output` (e.g. bundle.tar.gz) and return its path."""
    path = Path(output)
    data = bundle_bytes(policies, include_tests=include_tests, revision=revision)
    write_atomic(path, data)  # never half a bundle where OPA or CI looks for one
    return path
