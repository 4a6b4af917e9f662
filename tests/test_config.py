"""Configuration: discovery, validation, and errors that name the fix."""
from __future__ import annotations

from pathlib import Path

import pytest

from termslint.config import load_config
from termslint.errors import ConfigError


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_yaml_config_is_found_from_a_subfolder(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / ".termslint.yaml", "paths: [legal]\nfail_on: warning\nrules:\n  TL403: off\n  tl202: info\n")
    sub = tmp_path / "legal" / "eu"
    sub.mkdir(parents=True)
    cfg = load_config(start=sub)
    assert cfg.source == (tmp_path / ".termslint.yaml").resolve()
    assert cfg.paths == ["legal"]
    assert cfg.fail_on == "warning"
    assert cfg.rules == {"TL403": "off", "TL202": "info"}


def test_pyproject_table(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.termslint]\npolicies = ["rego"]\n[tool.termslint.opa]\ntimeout = 3\n')
    cfg = load_config(start=tmp_path)
    assert cfg.policies == [(tmp_path / "rego").resolve()]
    assert cfg.opa_timeout == 3.0


def test_pyproject_without_table_is_not_a_config(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[project]\nname = 'x'\n")
    assert load_config(start=tmp_path).source is None


def test_another_tools_broken_pyproject_is_not_our_error(tmp_path: Path) -> None:
    (tmp_path / ".git").mkdir()
    write(tmp_path / "pyproject.toml", "[project\nname = 'x'\n")  # broken, and without [tool.termslint]
    assert load_config(start=tmp_path).source is None
    write(tmp_path / "pyproject.toml", "[tool.termslint\nfail_on = 'info'\n")  # ours, broken
    with pytest.raises(ConfigError, match="pyproject.toml"):
        load_config(start=tmp_path)


def test_discovery_stops_at_the_repository_root(tmp_path: Path) -> None:
    write(tmp_path / ".termslint.yaml", "fail_on: info\n")
    repo = tmp_path / "repo"
    (repo / ".git").mkdir(parents=True)
    assert load_config(start=repo).fail_on == "error"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("fail_om: error\n", "unknown key 'fail_om'; did you mean 'fail_on'?"),
        ("rules:\n  TL101: loud\n", "rules.TL101 is 'loud'; use one of error, warning, info, off"),
        ("opa:\n  ulr: http://x\n", "opa: unknown key 'ulr'; did you mean 'url'?"),
        ("limits:\n  max_clauses: -1\n", "'limits.max_clauses' must be a positive number"),
        ("engine: wasm\n", "engine must be 'embedded' or 'opa'"),
        ("- just\n- a list\n", "must be a mapping"),
        ("paths: [legal\n", "fix the YAML syntax"),
    ],
)
def test_bad_config_names_the_file_and_the_fix(tmp_path: Path, text: str, message: str) -> None:
    cfg_file = write(tmp_path / ".termslint.yaml", text)
    with pytest.raises(ConfigError) as err:
        load_config(str(cfg_file))
    assert str(cfg_file.resolve()) in str(err.value)
    assert message in str(err.value)
    assert "\n" not in str(err.value)


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    cfg_file = write(tmp_path / ".termslint.yaml", "fail_on: error\npaths: [legal\n")
    with pytest.raises(ConfigError, match=r"\.termslint\.yaml:\d+: "):
        load_config(str(cfg_file))


def test_missing_explicit_config(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(str(tmp_path / "nope.yaml"))
