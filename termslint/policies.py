"""Loading Rego policies: the built-in pack, user folders, METADATA and the sandbox.

A policy set is plain data (file paths and sources, plus the rule docs read
from each rule's METADATA block); the engines compile it. Everything a user
can get wrong in a policy file that is not a Rego compile error is caught
here, before any engine sees the file: bad METADATA YAML, duplicate codes or
names, and calls to built-ins that reach the network, the file system or the
environment. The sandbox check runs on every load, whatever the engine.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, NamedTuple, Sequence

from termslint import cache
from termslint.errors import ConfigError, PolicyError
from termslint.model import SEVERITIES, RuleDoc

RULES_PACKAGE = "termslint.rules"  # the root every rule package must live under
TEST_SUFFIX = "_test.rego"

BUILTIN_CODE = re.compile(r"^TL[0-9]{3}$")
# User rules bring their own prefix (ACME101, LEGAL7); TL codes stay reserved so
# a built-in code is never reused for something else.
USER_CODE = re.compile(r"^[A-Z][A-Z]{1,9}[0-9]{1,5}$")
RESERVED_CODE = re.compile(r"^TL[0-9]+$")
KEBAB_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")

# Built-ins that let a policy reach outside the document it judges. A linter
# that runs in pre-commit hooks and CI must give the same answer offline and
# must not leak the terms under review, so these are refused on every engine.
FORBIDDEN_BUILTINS: dict[str, str] = {
    "http.send": "reach the network",
    "net.lookup_ip_addr": "reach the network",
    "opa.runtime": "read the environment or OPA's configuration",
    # A JSON Schema "$ref" is fetched at evaluation time, from URLs and file:// paths.
    "json.match_schema": "reach the network or the file system",
    "json.verify_schema": "reach the network or the file system",
}

_REF = re.compile(r"(?<![\w.\]\)])([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)+)")
_PACKAGE = re.compile(r"^[ \t]*package[ \t]+([A-Za-z_][A-Za-z0-9_.]*)", re.MULTILINE)
_TEST_RULE = re.compile(
    r"^[ \t]*(test_[A-Za-z0-9_]*)\b[ \t]*(?:if\b|\{|:=|=(?!=))", re.MULTILINE
)


class PolicyModule(NamedTuple):
    """One Rego file: where it came from (as shown in messages) and its text."""

    path: str
    source: str


@dataclass(slots=True)
class PolicySet:
    """The Rego modules of a run, their unit tests, and the rules' documentation."""

    modules: list[PolicyModule] = field(default_factory=list)
    tests: list[PolicyModule] = field(default_factory=list)  # only when loaded for `termslint test`
    rules: dict[str, RuleDoc] = field(default_factory=dict)  # by code
    packages: dict[str, str] = field(default_factory=dict)  # module or test path -> Rego package
    bundle_paths: dict[str, str] = field(default_factory=dict)  # path -> path inside a bundle

    def rules_by_package(self) -> dict[str, RuleDoc]:
        return {doc.package: doc for doc in self.rules.values()}

    def all_modules(self, with_tests: bool = False) -> list[PolicyModule]:
        return self.modules + self.tests if with_tests else list(self.modules)


def builtin_policy_dir() -> Path:
    """The built-in pack: inside the installed package, else the checkout's `policies/`."""
    import termslint

    package_dir = Path(termslint.__file__).resolve().parent
    installed = package_dir / "policies"
    if installed.is_dir():
        return installed
    return package_dir.parent / "policies"


def load_policy_set(
    dirs: Sequence[str | os.PathLike[str]] = (),
    *,
    builtin: bool = True,
    with_tests: bool = False,
) -> PolicySet:
    """Read the built-in pack (unless `builtin` is false) and each user folder or file.

    Files are taken in a fixed order: the built-in pack first, then each
    user entry in the order given, each folder's files sorted by relative
    path. `*_test.rego` files are read only when `with_tests` is true.
    """
    roots: list[tuple[Path, str, bool]] = []  # (folder or file, bundle prefix, is built-in)
    if builtin:
        roots.append((builtin_policy_dir(), "policies", True))
    for i, entry in enumerate(dirs, start=1):
        path = Path(entry)
        if not path.exists():
            raise ConfigError(
                f"policy folder {os.fspath(entry)} does not exist",
                "fix the path in policy_dirs or on the command line",
            )
        roots.append((path, f"user{i}", False))

    result = PolicySet()
    seen: set[Path] = set()
    docs: list[RuleDoc] = []
    for root, prefix, is_builtin in roots:
        for file, rel in _rego_files(root):
            real = file.resolve()
            if real in seen:  # the same folder named twice, or the built-in pack named again
                continue
            is_test = file.name.endswith(TEST_SUFFIX)
            if is_test and not with_tests:
                continue
            seen.add(real)
            display = _display_path(file)
            source = _read(file, display)
            check_sandbox(source, display)
            package = module_package(source, display)
            module = PolicyModule(display, source)
            result.packages[display] = package
            result.bundle_paths[display] = f"{prefix}/{rel}"
            if is_test:
                result.tests.append(module)
                continue
            result.modules.append(module)
            doc = read_rule_doc(source, display, package, builtin=is_builtin)
            if doc is not None:
                docs.append(doc)
    result.rules = _index_rule_docs(docs)
    return result


def _rego_files(root: Path) -> list[tuple[Path, str]]:
    if root.is_file():
        return [(root, root.name)] if root.suffix == ".rego" else []
    files = []
    for dirpath, dirnames, filenames in os.walk(root):
        # Hidden folders (.git, .cache) never hold policies; skipping them keeps the walk short.
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in filenames:
            if name.endswith(".rego") and not name.startswith("."):
                file = Path(dirpath) / name
                files.append((file, file.relative_to(root).as_posix()))
    return sorted(files, key=lambda item: item[1])


def _display_path(file: Path) -> str:
    """The path as messages show it: relative to the working folder when inside it."""
    absolute = file.resolve()
    try:
        return absolute.relative_to(Path.cwd().resolve()).as_posix()
    except ValueError:
        return absolute.as_posix()


def _read(file: Path, display: str) -> str:
    try:
        return file.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise PolicyError(f"{display}: not UTF-8 text", "save the policy as UTF-8") from None
    except OSError as exc:
        raise PolicyError(f"{display}: cannot read: {exc.strerror}") from None


# --- Rego source scanning ---------------------------------------------------


# A comment, a string's body (escapes included) or a raw string's body,
# scanned left to right like a lexer: a "#" inside a string is no comment.
_COMMENT_OR_STRING = re.compile(r'#[^\n]*|"(?P<body>(?:\\[^\n]|[^"\n])*)"?|`(?P<raw>[^`]*)`?')
_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(match: re.Match[str]) -> str:
    text = match.group()
    if text[0] == "#":
        return " " * len(text)
    body = match.group("body") if text[0] == '"' else match.group("raw")
    # The quotes stay; a raw string keeps its line breaks.
    return text[0] + _NOT_NEWLINE.sub(" ", body) + text[1 + len(body):]


def code_only(source: str) -> str:
    """The source with comments and string contents blanked, same lines and columns.

    Scanning this text for built-in names or rule heads cannot be fooled by a
    comment or a message that mentions `http.send`.
    """
    return _COMMENT_OR_STRING.sub(_blank, source)


def _line_col(text: str, offset: int) -> tuple[int, int]:
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return line, col


# `opa["runtime"]()` is the same call as `opa.runtime()`; regorus runs it, and
# a check that only read dotted names was bypassed by it. A string key right
# after a name or a closing bracket (no space: with one it is not a ref).
_BRACKET_KEY = re.compile(r'(?<=[\w\]])\[[ \t]*(["`])([^"`\n]*)\1[ \t]*\]')
_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _dotted_refs(source: str, code: str) -> str:
    """`code` with each `x["name"]` rewritten as `x.name`, on the same lines.

    String contents are blank in `code`, so the key is read from `source` at
    the same offsets; a double-quoted key is unescaped first, so that
    `opa["run\\u0074ime"]` is caught too.
    """
    out: list[str] = []
    last = 0
    for match in _BRACKET_KEY.finditer(code):
        raw = source[match.start(2):match.end(2)]
        key = raw
        if match.group(1) == '"':
            try:
                key = json.loads(f'"{raw}"')
            except ValueError:
                continue
        if not _IDENT.fullmatch(key):
            continue
        out.append(code[last:match.start()])
        out.append("." + key)
        last = match.end()
    out.append(code[last:])
    return "".join(out)


def check_sandbox(source: str, path: str) -> None:
    """Refuse a policy that calls a built-in reaching the network, files or environment."""
    code = code_only(source)
    if "[" in code:
        code = _dotted_refs(source, code)
    for match in _REF.finditer(code):
        name = match.group(1)
        reason = FORBIDDEN_BUILTINS.get(name)
        if reason is not None:
            line, _ = _line_col(code, match.start(1))
            raise PolicyError(
                f"{path}:{line}: policy calls {name}",
                f"policies may not {reason}",
            )


def module_package(source: str, path: str) -> str:
    match = _PACKAGE.search(code_only(source))
    if match is None:
        raise PolicyError(f"{path}:1: no package declaration", "start the file with `package ...`")
    return match.group(1)


def find_test_rules(source: str) -> list[tuple[str, int]]:
    """The `test_*` rules of a test module with their lines, in file order, once each."""
    code = code_only(source)
    seen: dict[str, int] = {}
    for match in _TEST_RULE.finditer(code):
        seen.setdefault(match.group(1), _line_col(code, match.start(1))[0])
    return list(seen.items())


# --- METADATA ---------------------------------------------------------------


def read_metadata(source: str, path: str) -> tuple[dict[str, Any], int] | None:
    """The package's METADATA block as a mapping, with the line of `# METADATA`.

    As in OPA, the block starts with `# METADATA` at column 1, runs over the
    following comment lines, and belongs to the package when the next
    statement after it is the package declaration. Blocks above rules are not
    the rule's documentation and are ignored.
    """
    lines = source.splitlines()
    i = 0
    while i < len(lines):
        if lines[i].rstrip() != "# METADATA":
            i += 1
            continue
        start = i
        i += 1
        body: list[str] = []
        while i < len(lines) and lines[i].startswith("#"):
            body.append(lines[i][1:])
            i += 1
        j = i
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines) and re.match(r"package\b", lines[j]):
            return _parse_metadata_yaml(body, path, start + 1), start + 1
    return None


def _load_metadata_yaml(text: str) -> Any:
    from ruamel.yaml import YAML
    from ruamel.yaml.error import YAMLError

    # The C parser when ruamel.yaml.clib is there; a block it refuses is read
    # again with the pure parser, so that the message is the same either way.
    try:
        return YAML(typ="safe").load(text)
    except YAMLError:
        return YAML(typ="safe", pure=True).load(text)


def _parse_metadata_yaml(body: list[str], path: str, header_line: int) -> dict[str, Any]:
    try:
        data = cache.yaml("\n".join(body), _load_metadata_yaml)
    except Exception as exc:
        from ruamel.yaml.error import MarkedYAMLError, YAMLError  # here: only a broken block needs it

        if isinstance(exc, MarkedYAMLError):
            mark = exc.problem_mark or exc.context_mark
            line = header_line + 1 + (mark.line if mark is not None else 0)
            problem = exc.problem or exc.context or "invalid YAML"
            raise PolicyError(
                f"{path}:{line}: METADATA is not valid YAML: {problem}",
                "fix the comment block above the package",
            ) from None
        if isinstance(exc, YAMLError):
            raise PolicyError(
                f"{path}:{header_line}: METADATA is not valid YAML: {exc}",
                "fix the comment block above the package",
            ) from None
        raise
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise PolicyError(
            f"{path}:{header_line}: METADATA must be a YAML mapping (title:, description:, custom:)"
        )
    return data


def read_rule_doc(source: str, path: str, package: str, *, builtin: bool) -> RuleDoc | None:
    """The rule's documentation from its METADATA block, or None for a library module.

    A module documents a rule when its METADATA has `custom.code`. Built-in
    rules must fill every field; user rules need a code, a name and a severity.
    """
    found = read_metadata(source, path)
    if found is None:
        if builtin and package.startswith(RULES_PACKAGE + "."):
            raise PolicyError(f"{path}:1: built-in rule has no METADATA block above its package")
        return None
    meta, line = found
    custom = meta.get("custom")
    if custom is None:
        if builtin and package.startswith(RULES_PACKAGE + "."):
            raise PolicyError(f"{path}:{line}: METADATA has no custom: block (code, name, severity)")
        return None
    if not isinstance(custom, dict):
        raise PolicyError(f"{path}:{line}: METADATA custom: must be a mapping")
    if "code" not in custom:
        if builtin and package.startswith(RULES_PACKAGE + "."):
            raise PolicyError(f"{path}:{line}: METADATA custom: has no code")
        return None

    def text(value: Any, key: str, required: bool) -> str:
        if value is None:
            if required:
                raise PolicyError(f"{path}:{line}: METADATA has no {key}", "add it to the block")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            raise PolicyError(f"{path}:{line}: METADATA {key} must be text")
        return str(value).strip()

    code = text(custom.get("code"), "custom.code", True)
    name = text(custom.get("name"), "custom.name", True)
    severity = text(custom.get("severity"), "custom.severity", True)
    if builtin and not BUILTIN_CODE.match(code):
        raise PolicyError(f"{path}:{line}: built-in code {code!r} is not TL followed by three digits")
    if not builtin:
        if RESERVED_CODE.match(code):
            raise PolicyError(
                f"{path}:{line}: code {code} uses the TL prefix reserved for built-in rules",
                "give your rules their own prefix, e.g. ACME101",
            )
        if not USER_CODE.match(code):
            raise PolicyError(
                f"{path}:{line}: code {code!r} is not a prefix of capital letters followed by digits",
                "use a code such as ACME101",
            )
    if not KEBAB_NAME.match(name):
        raise PolicyError(
            f"{path}:{line}: rule name {name!r} is not kebab-case",
            "use lowercase words joined by hyphens, e.g. ai-training-without-opt-out",
        )
    if severity not in SEVERITIES:
        raise PolicyError(
            f"{path}:{line}: severity {severity!r} is not one of {', '.join(SEVERITIES)}"
        )
    return RuleDoc(
        code=code,
        name=name,
        title=text(meta.get("title"), "title", builtin),
        description=text(meta.get("description"), "description", builtin),
        severity=severity,
        why=text(custom.get("why"), "custom.why", builtin),
        fix=text(custom.get("fix"), "custom.fix", builtin),
        example=text(custom.get("example"), "custom.example", builtin),
        source=path,
        package=package,
    )


def _index_rule_docs(docs: Iterable[RuleDoc]) -> dict[str, RuleDoc]:
    by_code: dict[str, RuleDoc] = {}
    by_name: dict[str, RuleDoc] = {}
    by_package: dict[str, RuleDoc] = {}
    for doc in docs:
        for index, key, what in (
            (by_code, doc.code, "code"),
            (by_name, doc.name, "name"),
            (by_package, doc.package, "package"),
        ):
            other = index.get(key)
            if other is not None:
                raise PolicyError(
                    f"{doc.source}: rule {what} {key} is already used by {other.source}",
                    f"give each rule its own {what}",
                )
            index[key] = doc
    return dict(sorted(by_code.items()))
