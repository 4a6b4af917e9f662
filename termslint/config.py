"""The user's configuration: `.termslint.yaml` or `[tool.termslint]` in pyproject.toml.

Found by walking up from the working directory (stopping at the git root);
`--config FILE` names one explicitly. Unknown keys are an error that names
the nearest valid key, so a typo never silently turns a rule back on.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from termslint.errors import ConfigError

CONFIG_NAMES = (".termslint.yaml", ".termslint.yml")
SEVERITY_SETTINGS = ("error", "warning", "info", "off")
FAIL_ON = ("error", "warning", "info")

# Every top-level key and what it holds; the defaults live on `Config`.
KNOWN_KEYS = {
    "paths": "files or folders checked when the command line names none",
    "include": "glob patterns of files to check inside folders",
    "exclude": "glob patterns of files to skip",
    "policies": "extra policy folders (Rego), relative to the config file",
    "vocabulary": "additions to the built-in vocabularies",
    "rules": "per-rule severity: error, warning, info or off",
    "fail_on": "lowest severity that fails the check",
    "engine": "embedded (default) or opa",
    "opa": "url and timeout of an OPA server",
    "limits": "max_file_bytes, max_clauses",
    "jobs": "parallel worker processes (default: the machine's cores)",
    "baseline": "baseline file of accepted findings",
}
OPA_KEYS = ("url", "timeout", "binary")
LIMIT_KEYS = ("max_file_bytes", "max_clauses")


@dataclass
class Config:
    """The resolved configuration. Paths in it are absolute."""

    source: Path | None = None
    paths: list[str] = field(default_factory=list)
    include: list[str] = field(default_factory=lambda: ["*.md", "*.markdown"])
    exclude: list[str] = field(default_factory=list)
    policies: list[Path] = field(default_factory=list)
    vocabulary: dict[str, Any] = field(default_factory=dict)
    rules: dict[str, str] = field(default_factory=dict)
    fail_on: str = "error"
    engine: str = "embedded"
    opa_url: str | None = None
    opa_timeout: float = 10.0
    opa_binary: str = "opa"
    max_file_bytes: int = 20_000_000
    max_clauses: int = 50_000
    jobs: int | None = None
    baseline: Path | None = None

    def as_policy_data(self) -> dict[str, Any]:
        """What policies see as `data.termslint.config`: settings, not paths."""
        return {
            "rules": dict(sorted(self.rules.items())),
            "fail_on": self.fail_on,
            "vocabulary": self.vocabulary,
            "limits": {"max_file_bytes": self.max_file_bytes, "max_clauses": self.max_clauses},
        }


def _unknown(key: str, valid: list[str] | tuple[str, ...], where: str) -> ConfigError:
    close = difflib.get_close_matches(key, list(valid), n=1, cutoff=0.5)
    hint = f"did you mean '{close[0]}'?" if close else "valid keys: " + ", ".join(valid)
    return ConfigError(f"{where}: unknown key '{key}'", hint)


def _str_list(value: Any, key: str, where: str) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return list(value)
    raise ConfigError(f"{where}: '{key}' must be a string or a list of strings",
                      f"write e.g. {key}: [legal]")


def _number(value: Any, key: str, where: str, kind: type = int) -> Any:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value <= 0:
        raise ConfigError(f"{where}: '{key}' must be a positive number", "write a number above 0, unquoted")
    return kind(value)


def config_from_mapping(raw: Any, source: Path | None) -> Config:
    """Validate a parsed mapping and resolve it into a `Config`."""
    where = str(source) if source else "config"
    cfg = Config(source=source)
    if raw is None:
        return cfg
    if not isinstance(raw, dict):
        raise ConfigError(f"{where}: the configuration must be a mapping of keys to values",
                          "write it as 'key: value' lines, e.g. 'fail_on: warning'")
    base_dir = source.parent if source else Path.cwd()
    for key, value in raw.items():
        if key not in KNOWN_KEYS:
            raise _unknown(str(key), tuple(KNOWN_KEYS), where)
        if key in ("paths", "include", "exclude"):
            setattr(cfg, key, _str_list(value, key, where))
        elif key == "policies":
            cfg.policies = [(base_dir / p).resolve() for p in _str_list(value, key, where)]
        elif key == "vocabulary":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: 'vocabulary' must be a mapping",
                                  "see termslint/vocab/*.yaml for its keys")
            cfg.vocabulary = value
        elif key == "rules":
            cfg.rules = _rule_settings(value, where)
        elif key == "fail_on":
            if value not in FAIL_ON:
                raise ConfigError(f"{where}: fail_on must be one of {', '.join(FAIL_ON)}",
                                  f"it is {value!r}; e.g. fail_on: warning")
            cfg.fail_on = value
        elif key == "engine":
            if value not in ("embedded", "opa"):
                raise ConfigError(f"{where}: engine must be 'embedded' or 'opa'",
                                  f"it is {value!r}; leave it out for the embedded engine")
            cfg.engine = value
        elif key == "opa":
            _opa_settings(cfg, value, where)
        elif key == "limits":
            if not isinstance(value, dict):
                raise ConfigError(f"{where}: 'limits' must be a mapping",
                                  "write e.g. limits: {max_file_bytes: 20000000, max_clauses: 50000}")
            for lk, lv in value.items():
                if lk not in LIMIT_KEYS:
                    raise _unknown(str(lk), LIMIT_KEYS, f"{where}: limits")
                setattr(cfg, lk, _number(lv, f"limits.{lk}", where))
        elif key == "jobs":
            cfg.jobs = _number(value, "jobs", where)
        elif key == "baseline":
            cfg.baseline = (base_dir / str(value)).resolve()
    return cfg


def _rule_settings(value: Any, where: str) -> dict[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'rules' must map rule codes to error, warning, info or off",
                          "write e.g. rules: {TL403: off}")
    out: dict[str, str] = {}
    for code, setting in value.items():
        if isinstance(setting, dict):  # TL403: {severity: warning}
            extra = [k for k in setting if k != "severity"]
            if extra:
                raise _unknown(str(extra[0]), ("severity",), f"{where}: rules.{code}")
            setting = setting.get("severity")
        if setting is False:  # YAML reads a bare `off` as false
            setting = "off"
        if setting not in SEVERITY_SETTINGS:
            raise ConfigError(
                f"{where}: rules.{code} is '{setting}'",
                "use one of " + ", ".join(SEVERITY_SETTINGS),
            )
        out[str(code).upper()] = str(setting)
    return out


def _opa_settings(cfg: Config, value: Any, where: str) -> None:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: 'opa' must be a mapping with url and timeout",
                          "write e.g. opa: {url: 'http://127.0.0.1:8181', timeout: 10}")
    for ok, ov in value.items():
        if ok not in OPA_KEYS:
            raise _unknown(str(ok), OPA_KEYS, f"{where}: opa")
        if ok == "url":
            cfg.opa_url = str(ov)
        elif ok == "timeout":
            cfg.opa_timeout = _number(ov, "opa.timeout", where, float)
        else:
            cfg.opa_binary = str(ov)


def _read_yaml(path: Path) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the config ({exc.__class__.__name__})",
                          "check the file exists and is UTF-8") from None
    try:
        return YAML(typ="safe", pure=True).load(text)  # the same messages with or without the C parser
    except YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(exc, "problem", None) or "invalid YAML"
        raise ConfigError(f"{path}{line}: {problem}", "fix the YAML syntax") from None


def _read_pyproject(path: Path) -> tuple[bool, Any]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}", "fix the file's encoding or permissions") from None
    if "termslint" not in text:
        return False, None  # another tool's file: not ours to parse (or to fail on)
    import tomllib  # here: most runs have no pyproject.toml of ours to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: {exc}", "fix the TOML syntax") from None
    tool = data.get("tool", {})
    if isinstance(tool, dict) and "termslint" in tool:
        return True, tool["termslint"]
    return False, None


def find_config(start: Path) -> Path | None:
    """The nearest .termslint.yaml, or pyproject.toml with [tool.termslint], upwards."""
    for folder in [start, *start.parents]:
        for name in CONFIG_NAMES:
            if (folder / name).is_file():
                return folder / name
        pyproject = folder / "pyproject.toml"
        if pyproject.is_file() and _read_pyproject(pyproject)[0]:
            return pyproject
        if (folder / ".git").exists():  # the repository's root: look no further
            return None
    return None


def load_config(explicit: str | None = None, start: Path | None = None) -> Config:
    """Load `--config FILE`, or the nearest config file, or the defaults."""
    if explicit:
        path = Path(explicit)
        if not path.is_file():
            raise ConfigError(f"{explicit}: config file not found", "check the --config path")
    else:
        found = find_config((start or Path.cwd()).resolve())
        if found is None:
            return Config()
        path = found
    path = path.resolve()
    if path.name == "pyproject.toml" or path.suffix == ".toml":
        present, raw = _read_pyproject(path)
        if not present:
            raise ConfigError(f"{path}: no [tool.termslint] table", "add one or use .termslint.yaml")
        return config_from_mapping(raw, path)
    return config_from_mapping(_read_yaml(path), path)
