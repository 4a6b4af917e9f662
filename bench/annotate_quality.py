"""Precision and recall of the annotator on the labelled sentences.

    python bench/annotate_quality.py                 # labelled set and every hold-out set
    python bench/annotate_quality.py -v              # also every disagreement
    python bench/annotate_quality.py FILE.yaml ...   # other labelled files

Each sentence is annotated on its own; its facts are summarised into flat
labels (`summarise_facts`) and compared with the labels written in the file.
"Prohibition read as a grant" counts sentences whose every labelled modality
is a prohibition but that the annotator reads as an AI-training grant.
"""
from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

from termslint.annotate import Vocabulary, annotate_sentence, summarise_facts
from termslint.model import Definition, Span

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "annotate"
DEFAULT_FILES = [FIXTURES / "labelled.yaml", *sorted(FIXTURES.glob("holdout*.yaml"))]
KNOWN_NAMES = {"Acme": "company", "Zoomly": "company"}
CATEGORIES = ("customer_content", "service_generated_data", "personal_data", "public_data", "deidentified_data")
PURPOSES = ("ai_training", "any_purpose", "marketing", "advertising", "product_improvement", "analytics",
            "research", "sharing", "sale", "providing_service", "security")
CONDITIONS = ("opt_in_consent", "opt_out_available", "deemed_consent", "aggregated_or_deidentified",
              "as_permitted_by_law", "despite_opt_out", "only_some_users")
LICENSE = ("perpetual", "irrevocable", "worldwide", "royalty_free", "sublicensable", "transferable",
           "exclusive", "limited_to_service")


def load_cases(path: Path) -> list[dict[str, Any]]:
    return list(YAML(typ="safe").load(path.read_text(encoding="utf-8")) or [])


def case_definitions(case: Mapping[str, Any]) -> dict[str, Definition | str]:
    """The defined terms of a case: categories, actor names, or definition texts."""
    out: dict[str, Definition | str] = dict(KNOWN_NAMES)
    for term, value in (case.get("defs") or {}).items():
        if value in CATEGORIES or value in ("company", "user"):
            out[term] = value
        else:
            out[term] = Definition(term, "1", Span(1, 1), text=f'"{term}" means {value}.')
    return out


def expected(case: Mapping[str, Any]) -> dict[str, Any]:
    """The labels of a case, with the defaults the file's header describes."""
    exp = {
        "ai_training_grant": bool(case.get("ai", False)),
        "modalities": sorted(case.get("m") or []),
        "data": sorted(case.get("d") or []),
        "purposes": sorted(case.get("p") or []),
        "conditions": sorted(case.get("c") or []),
        "license": sorted(case.get("l") or []),
        "third_party": bool(case.get("tp", False)),
        "partial": bool(case.get("pa", False)),
    }
    if "dt" in case:
        exp["data_terms"] = sorted(case["dt"])
    if "a" in case:
        exp["actors"] = sorted(case["a"])
    if "ov" in case:
        exp["override"] = bool(case["ov"])
    return exp


def predicted(case: Mapping[str, Any], vocab: Vocabulary) -> dict[str, Any]:
    return summarise_facts(annotate_sentence(case["t"], vocab, case_definitions(case)))


def concept_flags(labels: Mapping[str, Any]) -> dict[str, bool]:
    """One yes/no per concept, for precision and recall."""
    flags = {
        "ai_training_grant": bool(labels["ai_training_grant"]),
        "prohibition": "prohibition" in labels["modalities"],
        "grant": "grant" in labels["modalities"],
        "third_party": bool(labels["third_party"]),
        "partial": bool(labels["partial"]),
    }
    for c in CONDITIONS:
        flags[c] = c in labels["conditions"]
    for p in PURPOSES:
        flags[f"purpose:{p}"] = p in labels["purposes"]
    for d in CATEGORIES:
        flags[f"data:{d}"] = d in labels["data"]
    for w in LICENSE:
        flags[f"license:{w}"] = w in labels["license"]
    return flags


def evaluate(cases: Iterable[Mapping[str, Any]], vocab: Vocabulary, verbose: bool = False) -> dict[str, Any]:
    counts: dict[str, list[int]] = {}  # concept -> [tp, fp, fn]
    prohibition_as_grant = 0
    exact = 0
    total = 0
    for case in cases:
        total += 1
        exp, got = expected(case), predicted(case, vocab)
        fe, fg = concept_flags(exp), concept_flags(got)
        for k in fe:
            c = counts.setdefault(k, [0, 0, 0])
            if fe[k] and fg[k]:
                c[0] += 1
            elif fg[k]:
                c[1] += 1
            elif fe[k]:
                c[2] += 1
        if exp["modalities"] and set(exp["modalities"]) == {"prohibition"} and got["ai_training_grant"]:
            prohibition_as_grant += 1
        diffs = {k: (v, got.get(k)) for k, v in exp.items() if got.get(k) != v}
        if not diffs:
            exact += 1
        elif verbose:
            print(f"  [{case.get('g')}] {case['t']}")
            for k, (e, g) in diffs.items():
                print(f"      {k}: expected {e}, got {g}")
    return {"counts": counts, "prohibition_as_grant": prohibition_as_grant, "exact": exact, "total": total}


def _ratio(a: int, b: int) -> str:
    return f"{a / b:.3f}" if b else "  n/a"


def report(name: str, result: Mapping[str, Any]) -> None:
    print(f"\n== {name}: {result['total']} sentences, {result['exact']} fully right")
    print(f"{'concept':34} {'prec':>6} {'recall':>6} {'tp':>4} {'fp':>4} {'fn':>4}")
    for concept, (tp, fp, fn) in result["counts"].items():
        if tp + fp + fn == 0:
            continue
        print(f"{concept:34} {_ratio(tp, tp + fp):>6} {_ratio(tp, tp + fn):>6} {tp:>4} {fp:>4} {fn:>4}")
    print(f"prohibition read as a grant: {result['prohibition_as_grant']}")


def main(argv: list[str]) -> int:
    verbose = "-v" in argv
    files = [Path(a) for a in argv if not a.startswith("-")] or [f for f in DEFAULT_FILES if f.exists()]
    vocab = Vocabulary.load()
    for f in files:
        result = evaluate(load_cases(f), vocab, verbose)
        report(f.name, result)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
