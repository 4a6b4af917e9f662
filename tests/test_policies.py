"""Loading the policy pack: METADATA, ordering, validation and the sandbox check."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termslint.engine.embedded import EmbeddedEngine
from termslint.errors import ConfigError, PolicyError
from termslint.model import SEVERITIES
from termslint.policies import (
    FORBIDDEN_BUILTINS,
    PolicyModule,
    PolicySet,
    builtin_policy_dir,
    code_only,
    find_test_rules,
    load_policy_set,
    read_metadata,
)

REPO = Path(__file__).resolve().parents[1]

EXPECTED_RULES = {
    "TL101": ("ai-training-without-opt-out", "error"),
    "TL102": ("any-purpose-data-use", "error"),
    "TL103": ("consent-gap", "error"),
    "TL201": ("broad-licence-over-customer-content", "warning"),
    "TL202": ("licence-beyond-service", "warning"),
    "TL301": ("rights-expanded-quietly", "error"),
    "TL302": ("opt-out-removed", "error"),
    "TL303": ("new-ai-training-use", "warning"),
    "TL401": ("dangling-reference", "error"),
    "TL402": ("duplicate-definition", "warning"),
    "TL403": ("unused-definition", "info"),
    "TL404": ("duplicate-clause-number", "error"),
    "TL405": ("waiver-without-reason", "warning"),
    "TL406": ("unused-waiver", "info"),
}


def rule_source(code: str, name: str, severity: str = "error", body: str = "deny contains {}") -> str:
    package = name.replace("-", "_")
    return f"""# METADATA
# title: {name} title
# description: A user rule.
# custom:
#   code: {code}
#   name: {name}
#   severity: {severity}
#   why: Because.
#   fix: Fix it.
#   example: |
#     **1.1** Example clause.
package termslint.rules.{package}

import rego.v1

{body}
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


# --- the built-in pack ----------------------------------------------------------


def test_builtin_dir_is_the_top_level_policies_folder_in_a_checkout() -> None:
    assert builtin_policy_dir() == REPO / "policies"


def test_builtin_dir_is_inside_the_package_when_installed(tmp_path: Path) -> None:
    # A wheel carries the pack as termslint/policies/ (pyproject force-include).
    site = tmp_path / "site"
    shutil.copytree(REPO / "termslint", site / "termslint", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(REPO / "policies", site / "termslint" / "policies")
    code = "from termslint.policies import builtin_policy_dir, load_policy_set; print(builtin_policy_dir()); print(len(load_policy_set().rules))"
    env = {**os.environ, "PYTHONPATH": str(site)}
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == [str((site / "termslint" / "policies").resolve()), str(len(EXPECTED_RULES))]


def test_builtin_pack_documents_every_rule() -> None:
    policies = load_policy_set()
    assert list(policies.rules) == sorted(EXPECTED_RULES)
    for code, (name, severity) in EXPECTED_RULES.items():
        doc = policies.rules[code]
        assert (doc.name, doc.severity) == (name, severity)
        assert doc.package == "termslint.rules." + name.replace("-", "_")
        assert Path(doc.source).name == f"{code.lower()}_{name.replace('-', '_')}.rego"
        for field in ("title", "description", "why", "fix", "example"):
            assert getattr(doc, field).strip(), f"{code} has an empty {field}"


def test_multiline_metadata_fields_keep_their_lines() -> None:
    doc = load_policy_set().rules["TL101"]
    assert doc.example.startswith("**10.4** You agree")
    assert "\n" in doc.example
    assert "opt out" in doc.description or "opt-out" in doc.description


def test_tl406_is_documented_as_produced_by_python() -> None:
    doc = load_policy_set().rules["TL406"]
    assert "Documentation only" in doc.description
    assert "after suppression" in doc.description


def test_test_files_are_loaded_only_when_asked() -> None:
    plain = load_policy_set()
    assert plain.tests == []
    assert not any(path.endswith("_test.rego") for path, _ in plain.modules)
    with_tests = load_policy_set(with_tests=True)
    assert with_tests.modules == plain.modules
    names = {Path(path).name for path, _ in with_tests.tests}
    for doc in plain.rules.values():
        assert Path(doc.source).name.replace(".rego", "_test.rego") in names


def test_loading_is_deterministic_and_sorted(tmp_path: Path) -> None:
    write(tmp_path, "b.rego", rule_source("ACME2", "rule-b"))
    write(tmp_path, "a/z.rego", rule_source("ACME3", "rule-z"))
    write(tmp_path, "a.rego", rule_source("ACME1", "rule-a"))
    first = load_policy_set([tmp_path])
    second = load_policy_set([tmp_path])
    assert first == second
    user = [Path(p).relative_to(tmp_path).as_posix() for p, _ in first.modules if Path(p).is_relative_to(tmp_path)]
    assert user == ["a.rego", "a/z.rego", "b.rego"]
    # Built-ins come first.
    assert Path(first.modules[0].path).resolve().is_relative_to(builtin_policy_dir())


def test_hidden_folders_and_other_files_are_skipped(tmp_path: Path) -> None:
    write(tmp_path, ".cache/x.rego", "this is not rego")
    write(tmp_path, "notes.txt", "http.send")
    write(tmp_path, "ok.rego", rule_source("ACME1", "ok-rule"))
    policies = load_policy_set([tmp_path], builtin=False)
    assert [Path(p).name for p, _ in policies.modules] == ["ok.rego"]


def test_the_same_folder_twice_is_loaded_once(tmp_path: Path) -> None:
    write(tmp_path, "r.rego", rule_source("ACME1", "only-once"))
    policies = load_policy_set([tmp_path, tmp_path, builtin_policy_dir()])
    assert len(policies.modules) == len(load_policy_set().modules) + 1


def test_missing_folder_is_a_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_policy_set([tmp_path / "nope"])


def test_load_is_fast() -> None:
    load_policy_set()  # warm the import of ruamel.yaml
    started = time.perf_counter()
    load_policy_set()
    assert time.perf_counter() - started < 1.0


# --- METADATA --------------------------------------------------------------------


def test_user_rule_metadata_becomes_a_rule_doc(tmp_path: Path) -> None:
    path = write(tmp_path, "acme.rego", rule_source("ACME101", "no-arbitration", "warning"))
    policies = load_policy_set([tmp_path], builtin=False)
    doc = policies.rules["ACME101"]
    assert doc.name == "no-arbitration"
    assert doc.severity == "warning"
    assert doc.title == "no-arbitration title"
    assert doc.example == "**1.1** Example clause."
    assert doc.package == "termslint.rules.no_arbitration"
    assert Path(doc.source) == path.resolve() or doc.source.endswith("acme.rego")


def test_metadata_above_a_rule_is_not_the_package_doc(tmp_path: Path) -> None:
    source = "package termslint.rules.x\n\nimport rego.v1\n\n# METADATA\n# title: rule-level\n# custom:\n#   code: ACME1\ndeny contains {} if false\n"
    assert read_metadata(source, "x.rego") is None
    policies = load_policy_set([write(tmp_path, "x.rego", source)], builtin=False)
    assert policies.rules == {}
    assert len(policies.modules) == 1


def test_metadata_may_be_separated_from_the_package_by_blank_lines() -> None:
    source = "# METADATA\n# title: T\n\n\npackage p\n"
    assert read_metadata(source, "p.rego") == ({"title": "T"}, 1)


def test_a_library_module_without_code_is_not_a_rule(tmp_path: Path) -> None:
    write(tmp_path, "lib.rego", "# METADATA\n# title: helpers\npackage acme.lib\n\nimport rego.v1\n\nx := 1\n")
    policies = load_policy_set([tmp_path], builtin=False)
    assert policies.rules == {}
    assert policies.packages[policies.modules[0].path] == "acme.lib"


def test_bad_yaml_in_metadata_names_file_and_line(tmp_path: Path) -> None:
    source = "# METADATA\n# title: ok\n# custom:\n#   code: [ACME1\n#   name: x\npackage termslint.rules.x\n"
    write(tmp_path, "bad.rego", source)
    with pytest.raises(PolicyError) as err:
        load_policy_set([tmp_path], builtin=False)
    message = str(err.value)
    assert re.match(r"^\S*bad\.rego:\d+: METADATA is not valid YAML", message), message
    line = int(message.split(":")[1])
    assert 2 <= line <= 6
    assert "\n" not in message


def test_metadata_that_is_not_a_mapping_is_refused(tmp_path: Path) -> None:
    write(tmp_path, "list.rego", "# METADATA\n# - a\n# - b\npackage termslint.rules.x\n")
    with pytest.raises(PolicyError, match="must be a YAML mapping"):
        load_policy_set([tmp_path], builtin=False)


def test_duplicate_codes_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "one.rego", rule_source("ACME1", "first-rule"))
    write(tmp_path, "two.rego", rule_source("ACME1", "second-rule"))
    with pytest.raises(PolicyError) as err:
        load_policy_set([tmp_path], builtin=False)
    assert "two.rego" in str(err.value)
    assert "ACME1" in str(err.value)
    assert "one.rego" in str(err.value)


def test_duplicate_names_are_refused(tmp_path: Path) -> None:
    write(tmp_path, "one.rego", rule_source("ACME1", "same-name"))
    write(tmp_path, "two.rego", rule_source("ACME2", "same-name").replace("same_name", "other"))
    with pytest.raises(PolicyError, match="name same-name is already used"):
        load_policy_set([tmp_path], builtin=False)


def test_user_rules_may_not_take_tl_codes(tmp_path: Path) -> None:
    write(tmp_path, "tl.rego", rule_source("TL101", "my-ai-rule"))
    with pytest.raises(PolicyError, match="reserved for built-in rules"):
        load_policy_set([tmp_path])


@pytest.mark.parametrize(
    ("code", "name", "severity", "problem"),
    [
        ("ACME1", "Not_Kebab", "error", "not kebab-case"),
        ("ACME1", "fine-name", "fatal", "severity 'fatal'"),
        ("acme1", "fine-name", "error", "capital letters"),
    ],
)
def test_bad_custom_fields_are_refused(tmp_path: Path, code: str, name: str, severity: str, problem: str) -> None:
    write(tmp_path, "r.rego", rule_source(code, "placeholder", severity).replace("name: placeholder", f"name: {name}"))
    with pytest.raises(PolicyError, match=problem):
        load_policy_set([tmp_path], builtin=False)


def test_severities_are_the_models() -> None:
    assert {doc.severity for doc in load_policy_set().rules.values()} <= set(SEVERITIES)


# --- sandbox -----------------------------------------------------------------------

FORBIDDEN_CALLS = {
    "http.send": 'resp := http.send({"method": "GET", "url": "https://example.com"})',
    "net.lookup_ip_addr": 'addrs := net.lookup_ip_addr("example.com")',
    "opa.runtime": "rt := opa.runtime()",
}


@pytest.mark.parametrize("builtin", sorted(FORBIDDEN_CALLS))
def test_sandbox_rejects_io_builtins_with_file_and_line(tmp_path: Path, builtin: str) -> None:
    body = f"deny contains f if {{\n\t{FORBIDDEN_CALLS[builtin]}\n\tf := {{}}\n}}"
    source = rule_source("ACME1", "leaky-rule", body=body)
    write(tmp_path, "leaky.rego", source)
    line = source.splitlines().index(f"\t{FORBIDDEN_CALLS[builtin]}") + 1
    with pytest.raises(PolicyError) as err:
        load_policy_set([tmp_path], builtin=False)
    message = str(err.value)
    assert re.match(rf"^\S*leaky\.rego:{line}: policy calls {re.escape(builtin)}; policies may not ", message)
    if builtin != "opa.runtime":
        assert message.endswith("policies may not reach the network")


def test_sandbox_covers_every_listed_builtin() -> None:
    for name in FORBIDDEN_BUILTINS:
        source = f"package p\n\nimport rego.v1\n\nx := {name}(1)\n"
        with pytest.raises(PolicyError, match=re.escape(f"p.rego:5: policy calls {name}")):
            from termslint.policies import check_sandbox

            check_sandbox(source, "p.rego")


def test_sandbox_ignores_comments_strings_and_data_references(tmp_path: Path) -> None:
    body = (
        "# We never call http.send here.\n"
        'deny contains f if {\n\tmsg := "do not use http.send or opa.runtime()"\n'
        "\tr := `raw net.lookup_ip_addr(x)`\n\tinput.http.send == true\n\tf := {\"msg\": msg, \"r\": r}\n}"
    )
    write(tmp_path, "fine.rego", rule_source("ACME1", "talks-about-http", body=body))
    assert "ACME1" in load_policy_set([tmp_path], builtin=False).rules


def test_sandbox_checks_test_files_too(tmp_path: Path) -> None:
    write(tmp_path, "x_test.rego", "package t\n\nimport rego.v1\n\ntest_x if http.send({})\n")
    assert load_policy_set([tmp_path], builtin=False).tests == []  # not read at all without tests
    with pytest.raises(PolicyError, match=r"x_test\.rego:5: policy calls http\.send"):
        load_policy_set([tmp_path], builtin=False, with_tests=True)


def test_sandbox_holds_on_the_engine_for_hand_built_sets() -> None:
    smuggled = PolicySet(modules=[PolicyModule("s.rego", "package s\n\nimport rego.v1\n\nx := opa.runtime()\n")])
    with pytest.raises(PolicyError, match=r"s\.rego:5: policy calls opa\.runtime"):
        EmbeddedEngine().load(smuggled)


def test_find_test_rules_skips_comments_and_bodies() -> None:
    source = "package t\n\n# test_commented if true\ntest_a if {\n\ttrue\n}\n\ntest_b := true\ntest_a if false\ntodo_test_c if true\n"
    assert find_test_rules(source) == [("test_a", 4), ("test_b", 8)]


def _lexer_code_only(source: str) -> str:
    """The reference for `code_only`: a character-by-character lexer."""
    out = list(source)
    i, n = 0, len(source)
    while i < n:
        if source[i] == "#":
            while i < n and source[i] != "\n":
                out[i] = " "
                i += 1
        elif source[i] == '"':
            i += 1
            while i < n and source[i] not in '"\n':
                step = 2 if source[i] == "\\" and i + 1 < n and source[i + 1] != "\n" else 1
                out[i:i + step] = " " * step
                i += step
            i += 1
        elif source[i] == "`":
            i += 1
            while i < n and source[i] != "`":
                out[i] = out[i] if source[i] == "\n" else " "
                i += 1
            i += 1
        else:
            i += 1
    return "".join(out)


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet='#"`\\\n x\té', max_size=30))
def test_code_only_blanks_what_a_lexer_would(source: str) -> None:
    assert code_only(source) == _lexer_code_only(source)


def test_code_only_keeps_code_lines_and_columns() -> None:
    source = 'x := "a # b \\" c" # note `x`\ny := `raw\n#raw` # end\n'
    assert code_only(source) == 'x := "' + " " * 10 + '"' + " " * 11 + "\ny := `   \n    `" + " " * 6 + "\n"
