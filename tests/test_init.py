"""`termslint init`: the three files it writes work, and it never overwrites one."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import STEPS, Run, git
from ruamel.yaml import YAML
from test_action import actionlint

from termslint.config import load_config

Termslint = Callable[..., Run]
WRITTEN = (".termslint.yaml", ".pre-commit-config.yaml", ".github/workflows/termslint.yml")


def load_yaml(path: Path) -> object:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def test_init_writes_config_hook_and_workflow(termslint: Termslint, git_repo: Path) -> None:
    run = termslint("init", cwd=git_repo)
    assert run.code == 0, run.err
    for rel in WRITTEN:
        assert (git_repo / rel).is_file(), rel
        assert f"wrote {rel}" in run.out

    cfg = load_config(start=git_repo)
    assert cfg.source == (git_repo / ".termslint.yaml").resolve()
    assert cfg.paths == ["legal"] and cfg.fail_on == "error"

    hooks = load_yaml(git_repo / ".pre-commit-config.yaml")
    assert isinstance(hooks, dict)
    (repo,) = hooks["repos"]
    assert repo["hooks"][0]["id"] == "termslint"
    assert repo["rev"].startswith("v")
    proc = subprocess.run([sys.executable, "-m", "pre_commit", "validate-config", ".pre-commit-config.yaml"],
                          cwd=git_repo, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr

    workflow = load_yaml(git_repo / ".github/workflows/termslint.yml")
    assert isinstance(workflow, dict)
    steps = workflow["jobs"]["terms"]["steps"]
    assert steps[0]["with"]["fetch-depth"] == 0  # --base needs the PR's base commit
    (action,) = [s for s in steps if s.get("uses", "").startswith("termslint/termslint@")]
    assert action["with"]["paths"] == "legal"


def test_written_workflow_passes_actionlint(termslint: Termslint, tmp_path: Path) -> None:
    assert termslint("init", "--dir", str(tmp_path), "--paths", "docs/legal").code == 0
    assert actionlint(tmp_path / ".github/workflows/termslint.yml") == []


def test_written_config_drives_check(termslint: Termslint, git_repo: Path) -> None:
    assert termslint("init", cwd=git_repo).code == 0
    (git_repo / "legal").mkdir()
    (git_repo / "legal" / "terms.md").write_bytes((STEPS / "2-quiet-ai-grant.md").read_bytes())
    (git_repo / "README.md").write_text("# Legal docs\n\nSee Section 99 for nothing.\n", encoding="utf-8")
    run = termslint("check", "--format", "json", cwd=git_repo)  # no paths: the config's
    assert run.code == 1
    assert "legal/terms.md" in run.out and "README.md" not in run.out


def test_hook_entry_is_limited_to_the_terms_folder(termslint: Termslint, tmp_path: Path) -> None:
    import re

    assert termslint("init", "--dir", str(tmp_path), "--paths", "policies.v2/").code == 0
    hooks = load_yaml(tmp_path / ".pre-commit-config.yaml")
    assert isinstance(hooks, dict)
    pattern = hooks["repos"][0]["hooks"][0]["files"]
    assert re.search(pattern, "policies.v2/terms.md")
    assert not re.search(pattern, "README.md") and not re.search(pattern, "policiesXv2/terms.md")
    assert load_config(start=tmp_path).paths == ["policies.v2"]


def test_init_never_overwrites(termslint: Termslint, git_repo: Path) -> None:
    mine = {".termslint.yaml": b"fail_on: warning\n",
            ".pre-commit-config.yaml": b"repos: []\n"}
    for rel, data in mine.items():
        (git_repo / rel).write_bytes(data)
    git(git_repo, "add", "-A")
    run = termslint("init", cwd=git_repo)
    assert run.code == 0, run.err
    for rel, data in mine.items():
        assert (git_repo / rel).read_bytes() == data, f"{rel} was overwritten"
        assert f"kept {rel}: it exists; not overwritten" in run.out
    # What was missing is written, and the hook entry to add by hand is shown.
    assert (git_repo / ".github/workflows/termslint.yml").is_file()
    assert "- id: termslint" in run.out
    again = termslint("init", cwd=git_repo)
    assert again.code == 0 and "wrote" not in again.out


def test_init_into_a_missing_folder_is_an_error(termslint: Termslint, tmp_path: Path) -> None:
    run = termslint("init", "--dir", str(tmp_path / "nope"))
    assert run.code == 2
    assert run.err.startswith("termslint: error: ") and "nope" in run.err and len(run.err.splitlines()) == 1


@pytest.mark.parametrize("paths", [".", "/"])
def test_init_for_the_whole_repository(termslint: Termslint, tmp_path: Path, paths: str) -> None:
    assert termslint("init", "--dir", str(tmp_path), "--paths", paths).code == 0
    workflow = load_yaml(tmp_path / ".github/workflows/termslint.yml")
    assert isinstance(workflow, dict)
    # YAML 1.1 reads the key `on` as True.
    on = workflow.get("on", workflow.get(True))
    assert on == {"pull_request": None}  # no paths filter: every change is checked
    hooks = load_yaml(tmp_path / ".pre-commit-config.yaml")
    assert isinstance(hooks, dict) and "files" not in hooks["repos"][0]["hooks"][0]
    assert load_config(start=tmp_path).paths == ["."]
