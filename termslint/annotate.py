"""Annotate clauses with facts: who may do what with which data, for which purposes.

The words live in `termslint/vocab/*.yaml`; this module is the mechanism:

1. `Vocabulary.load` merges the built-in YAML with the user's additions and
   compiles every pattern once (rejecting patterns that do not compile or
   that nest quantifiers, which can backtrack catastrophically).
2. `annotate_document` learns the document's own names (the company's name,
   what each defined term means), then for each clause:
   - a cheap combined pre-filter finds the sentences that can hold a fact;
   - each such sentence is split into statements at its modal cues
     ("we will not ...; we may ...");
   - each statement becomes a `Fact` with modality, actor, data, purposes,
     licence scope and conditions, and `Evidence` with exact file positions.

Lead-ins: a clause whose text ends with a lead-in (":", "including") is read
together with each of its sub-clauses: the sub-clause's text is annotated as
the continuation of the lead-in sentence, so "(b) to train our models" under
"We may use your Customer Content:" is a permission over customer content.
Such facts belong to the sub-clause; evidence from the lead-in points at the
parent's lines, and facts that the lead-in makes on its own stay with the parent.

For a grant ("you grant us a licence"), `actor` is the party that receives
the licence and will use the data (the grantor is the other party).
"""
from __future__ import annotations

import bisect
import importlib
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from termslint import cache
from termslint.errors import ConfigError
from termslint.model import (
    GRANT,
    LICENSE_SCOPE_WORDS,
    OBLIGATION,
    PERMISSION,
    PROHIBITION,
    Clause,
    Definition,
    Document,
    Evidence,
    Fact,
    License,
    Span,
    TableRow,
)
from termslint.parse_defs import term_forms

__all__ = [
    "Vocabulary",
    "annotate_document",
    "annotate_sentence",
    "categorize_definition",
    "split_sentences",
    "summarise_facts",
]

VOCAB_DIR = Path(__file__).parent / "vocab"

COMPANY, USER, THIRD_PARTY = "company", "user", "third_party"
ACTORS = (COMPANY, USER, THIRD_PARTY)
_MODALITY_PRIORITY = (PROHIBITION, GRANT, OBLIGATION, PERMISSION)
_DEIDENTIFIED = "aggregated_or_deidentified"  # a condition that describes the data itself

# Top-level keys of the merged vocabulary, and what each holds.
_TOP_KEYS = {
    "abbreviations": list,
    "lead_in": list,
    "restriction_titles": list,
    "imperative_start": list,
    "consent_basis_titles": list,
    "breaks": list,
    "pronouns": list,
    "purpose_references": list,
    "ai_part_of": list,
    "macros": dict,
    "data": dict,
    "data_term_heads": list,
    "subset_qualifiers": list,
    "service_tiers": list,
    "subset_patterns": list,
    "subset_keywords": list,
    "owned_data": list,
    "purposes": dict,
    "conditions": dict,
    "license": dict,
    "modality": dict,
    "passive": list,
    "state_cues": list,
    "bans_on_others": list,
    "acts_of_others": list,
    "company_consents": list,
    "override": list,
    "actors": dict,
    "consent_frames": list,
}
_MACRO = cache.regex(r"\{([a-z_]+)\}")
_MAX_PATTERN_LEN = 2000
# A repeat whose maximum exceeds this may not contain another repeat.
_MAX_OUTER_REPEAT = 10


# --------------------------------------------------------------------------
# Vocabulary


# What keeps its case in a lowered pattern: escapes (`\\S`, `\\B`, ...) and
# the syntax of a named group.
_KEEPS_CASE = cache.regex(r"\\.|\(\?P", re.DOTALL)


def _lower_regex(pattern: str) -> str:
    """A case-insensitive pattern rewritten to match lower-cased text without IGNORECASE.

    Escapes (`\\S`, `\\B`, ...) keep their case; everything else is lowered,
    character by character.
    """
    def lower(part: str) -> str:  # per character: "Σ" is "σ" wherever it stands
        return part.lower() if part.isascii() else "".join(map(str.lower, part))

    out: list[str] = []
    last = 0
    for m in _KEEPS_CASE.finditer(pattern):
        out += (lower(pattern[last:m.start()]), m.group())
        last = m.end()
    out.append(lower(pattern[last:]))
    return "".join(out)


class _Rx:
    """A case-insensitive regex, run fast on lower-cased text.

    Patterns without case-sensitive parts (`(?-i:...)`) are lowered and run
    without IGNORECASE on the lower-cased text (about three times faster in
    CPython); the others run with IGNORECASE on the original text. Both are
    compiled on first use: a document meets only some concepts, and compiling
    all of them was a third of a one-file check's start-up.
    """

    __slots__ = ("_sources", "_compiled")

    def __init__(self, patterns: Sequence[str]) -> None:
        low = [_lower_regex(p) for p in patterns if "(?-i:" not in p]
        cs = [p for p in patterns if "(?-i:" in p]
        self._sources = (
            "|".join(f"(?:{p})" for p in low) if low else None,
            "|".join(f"(?:{p})" for p in cs) if cs else None,
        )
        self._compiled: tuple[re.Pattern[str] | None, re.Pattern[str] | None] | None = None

    def _patterns(self) -> tuple[re.Pattern[str] | None, re.Pattern[str] | None]:
        if self._compiled is None:
            low, cs = self._sources
            self._compiled = (cache.regex(low) if low else None,
                              cache.regex(cs, re.IGNORECASE) if cs else None)
        return self._compiled

    def finditer(self, text: str, low: str, start: int = 0, end: int | None = None) -> list[re.Match[str]]:
        stop = len(text) if end is None else end
        low_rx, cs_rx = self._compiled or self._patterns()
        out: list[re.Match[str]] = []
        if low_rx is not None:
            out.extend(low_rx.finditer(low, start, stop))
        if cs_rx is not None:
            out.extend(cs_rx.finditer(text, start, stop))
            if low_rx is not None:
                out.sort(key=lambda m: m.start())
        return out

    def search(self, text: str, low: str, start: int = 0, end: int | None = None) -> re.Match[str] | None:
        stop = len(text) if end is None else end
        low_rx, cs_rx = self._compiled or self._patterns()
        a = low_rx.search(low, start, stop) if low_rx is not None else None
        b = cs_rx.search(text, start, stop) if cs_rx is not None else None
        if a is None or (b is not None and b.start() < a.start()):
            return b
        return a


def lower_same_length(text: str) -> str:
    """`text.lower()`, keeping offsets (a few characters lower to two)."""
    low = text.lower()
    if len(low) == len(text):
        return low
    return "".join(c if len(c.lower()) != 1 else c.lower() for c in text)


@dataclass(frozen=True, slots=True)
class _Concept:
    """A named concept: one combined pattern, minus what its exclusions match."""

    name: str
    pattern: _Rx
    exclude: _Rx | None = None
    strong: bool = False
    keywords: tuple[str, ...] | None = None  # word beginnings; None: always search
    triggers: tuple[str, ...] | None = None  # the keywords that make a sentence worth reading

    def find(self, text: str, low: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
        stop = len(text) if end is None else end
        hits = [_mention_span(m) for m in self.pattern.finditer(text, low, start, stop) if m.end() > m.start()]
        if not hits or self.exclude is None:
            return hits
        # Exclusions may start a little before the window ("if you do not").
        excl = [(m.start(), m.end()) for m in self.exclude.finditer(text, low, max(0, start - 40), stop)]
        if not excl:
            return hits
        return [h for h in hits if not any(a < h[1] and h[0] < b for a, b in excl)]


def _mention_span(m: re.Match[str]) -> tuple[int, int]:
    """What a match mentions: its `tail` group when it has one (what came before only qualifies it)."""
    if "tail" in m.re.groupindex and m.start("tail") >= 0:
        return m.span("tail")
    return m.span()


def _sre_parser() -> Any:
    # `re._parser` has no type stubs; it is the stdlib's own regex parser.
    return importlib.import_module("re._parser")


def _check_nested_quantifiers(pattern: str, tree: Any, where: str) -> None:
    """Reject patterns like `(a+)+` or `(.*)*` that can backtrack for ever (`tree`: the parsed pattern)."""
    parser = _sre_parser()
    maxrepeat = parser.MAXREPEAT
    repeat_ops = {str(op) for op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")}

    def has_repeat(items: Iterable[Any]) -> bool:
        for op, av in items:
            name = str(op)
            if name in repeat_ops:
                lo, hi, sub = av
                if hi == maxrepeat or hi > 1:
                    return True
                if has_repeat(sub):
                    return True
            elif name == "SUBPATTERN":
                if has_repeat(av[-1]):
                    return True
            elif name == "BRANCH":
                if any(has_repeat(b) for b in av[1]):
                    return True
        return False

    def walk(items: Iterable[Any]) -> None:
        for op, av in items:
            name = str(op)
            if name in repeat_ops:
                lo, hi, sub = av
                unbounded = hi == maxrepeat or hi > _MAX_OUTER_REPEAT
                if unbounded and has_repeat(sub):
                    raise ConfigError(
                        f"vocabulary {where}: pattern {pattern!r} nests a repeated group inside "
                        "an unbounded repeat, which can take exponential time",
                        "rewrite it without a quantifier inside a quantified group, "
                        "e.g. '(?:\\w+\\s){0,5}' instead of '(\\w+\\s*)*'",
                    )
                # `(a|aa)+`: alternatives of different lengths under a repeat can
                # split the same text in exponentially many ways. A body of one
                # fixed width cannot (its matches are the text cut in equal steps).
                width = sub.getwidth() if hasattr(sub, "getwidth") else (0, 0)
                if unbounded and width[0] != width[1]:
                    raise ConfigError(
                        f"vocabulary {where}: pattern {pattern!r} repeats a group whose alternatives "
                        "match text of different lengths, which can take exponential time",
                        "make the repeated group match one length, e.g. 'a+' instead of '(a|aa)+', "
                        "or bound the repeat, e.g. '{1,5}'",
                    )
                walk(sub)
            elif name == "SUBPATTERN":
                walk(av[-1])
            elif name == "BRANCH":
                for b in av[1]:
                    walk(b)
            # Lookarounds are not walked: they are tried once per position.

    walk(tree)


def _check_combinable(pattern: str, tree: Any, where: str) -> None:
    """Refuse what breaks once the patterns of a concept are joined into one regex."""
    problem = None
    try:
        # Joined and lowered as `_Rx` does: an inline global flag such as
        # "(?i)" is then no longer at the start, and fails to compile.
        re.compile("(?:x)|(?:" + _lower_regex(pattern) + ")")  # a check only: not kept in the cache
    except re.error as e:
        problem = str(e)
    else:
        if set(tree.state.groupdict) - {"tail"} or "GROUPREF" in repr(tree.data):
            problem = "named groups and backreferences refer to other groups once patterns are joined"
    if problem:
        raise ConfigError(
            f"vocabulary {where}: pattern {pattern!r} cannot be joined with the other patterns ({problem})",
            "leave out inline flags such as (?i) (matching ignores case already), "
            "named groups (but the one (?P<tail>...)) and backreferences; use (?:...) groups",
        )


class _Compiler:
    """Compiles the merged vocabulary, naming the key of any bad pattern."""

    def __init__(self, macros: Mapping[str, str], trusted: frozenset[str] = frozenset()) -> None:
        self.macros = dict(macros)
        # Built-in patterns are validated by the test suite; compiling each
        # one alone and checking it for backtracking again at every start-up
        # doubled the cost of loading the vocabulary. User patterns are checked.
        self.trusted = trusted

    def expand(self, pattern: str, where: str, depth: int = 0) -> str:
        if depth > 5:
            raise ConfigError(f"vocabulary {where}: macros nest too deeply", "check vocabulary.macros")

        def sub(m: re.Match[str]) -> str:
            name = m.group(1)
            if name not in self.macros:
                return m.group(0)
            return self.expand(self.macros[name], f"macros.{name}", depth + 1)

        return _MACRO.sub(sub, pattern)

    def patterns(self, value: Any, where: str) -> list[str]:
        if value is None:
            return []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list):
            raise ConfigError(f"vocabulary {where}: expected a list of patterns", "write a YAML list of strings")
        out = []
        for i, p in enumerate(value):
            key = f"{where}[{i}]"
            if not isinstance(p, str) or not p:
                raise ConfigError(f"vocabulary {key}: expected a non-empty string, got {p!r}", "quote the pattern")
            if len(p) > _MAX_PATTERN_LEN:
                raise ConfigError(f"vocabulary {key}: pattern longer than {_MAX_PATTERN_LEN} characters", "split it")
            expanded = self.expand(p, key)
            if p in self.trusted:
                out.append(expanded)
                continue
            try:
                re.compile(expanded, re.IGNORECASE)  # a check only: not kept in the cache
            except re.error as e:
                raise ConfigError(
                    f"vocabulary {key}: regex {p!r} does not compile: {e}",
                    "fix the regular expression (Python syntax)",
                ) from None
            tree = _sre_parser().parse(expanded, re.IGNORECASE)  # once, for both checks
            _check_combinable(expanded, tree, key)
            _check_nested_quantifiers(expanded, tree, key)
            out.append(expanded)
        return out

    def compile(self, value: Any, where: str) -> re.Pattern[str] | None:
        pats = self.patterns(value, where)
        if not pats:
            return None
        return cache.regex("|".join(f"(?:{p})" for p in pats), re.IGNORECASE)

    def rx(self, value: Any, where: str) -> _Rx | None:
        pats = self.patterns(value, where)
        if sum("(?P<tail>" in p for p in pats) > 1:
            raise ConfigError(
                f"vocabulary {where}: more than one pattern marks its mention with (?P<tail>...)",
                "the patterns of a concept are joined into one regex, where a group name may appear once; "
                "merge those patterns into one",
            )
        return _Rx(pats) if pats else None

    def concept(self, name: str, spec: Any, where: str) -> _Concept | None:
        if isinstance(spec, list | str):
            spec = {"patterns": spec}
        if not isinstance(spec, Mapping):
            raise ConfigError(f"vocabulary {where}: expected a mapping with 'patterns'", "see termslint/vocab/*.yaml")
        pattern = self.rx(spec.get("patterns"), f"{where}.patterns")
        if pattern is None:
            return None
        exclude = self.rx(spec.get("exclude"), f"{where}.exclude")
        keywords = None if spec.get("_drop_keywords") else self.keywords(spec.get("keywords"), where)
        triggers = keywords
        if "triggers" in spec and keywords is not None:
            triggers = self.keywords(spec.get("triggers"), f"{where}.triggers", allow_empty=True)
        return _Concept(name, pattern, exclude, bool(spec.get("strong", False)), keywords, triggers)

    @staticmethod
    def keywords(value: Any, where: str, allow_empty: bool = False) -> tuple[str, ...] | None:
        if value is None:
            return None
        if not isinstance(value, list) or not (value or allow_empty):
            raise ConfigError(f"vocabulary {where}: expected a list of word beginnings", "or leave it out")
        out = []
        for k in value:
            if not isinstance(k, str) or not re.fullmatch(r"[\w'’ -]+\$?", k):
                raise ConfigError(
                    f"vocabulary {where}.keywords: {k!r} is not plain text",
                    "keywords are word beginnings such as 'train', not regular expressions",
                )
            out.append(k.lower())
        return tuple(out)


def _load_yaml(text: str) -> Any:
    from ruamel.yaml import YAML  # here: with the cache, most runs never import it

    return YAML(typ="safe").load(text)  # the C parser when ruamel.yaml.clib is there: these files are ours


def _read_builtin() -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for path in sorted(VOCAB_DIR.glob("*.yaml")):
        data = cache.yaml(path.read_text(encoding="utf-8"), _load_yaml) or {}
        for key, value in data.items():
            if key in merged:
                raise ConfigError(f"built-in vocabulary key {key!r} defined twice", f"see {path.name}")
            merged[key] = value
    return merged


def _merge(base: Any, extra: Any, where: str) -> Any:
    """User additions: lists are appended, mappings merged; `replace: true` replaces."""
    if isinstance(extra, Mapping):
        if extra.get("replace") is True:
            return {k: v for k, v in extra.items() if k != "replace"}
        if not isinstance(base, Mapping):
            if base is not None:
                raise ConfigError(f"vocabulary {where}: expected a {type(base).__name__}", "see termslint/vocab")
            base = {}
        out = dict(base)
        for k, v in extra.items():
            out[k] = _merge(base.get(k), v, f"{where}.{k}" if where else str(k))
        return out
    if isinstance(extra, list):
        if base is None:
            return list(extra)
        if not isinstance(base, list):
            raise ConfigError(f"vocabulary {where}: expected a mapping, got a list", "see termslint/vocab")
        return list(base) + list(extra)
    return extra


class Vocabulary:
    """Every pattern the annotator uses, compiled once."""

    def __init__(self, raw: Mapping[str, Any], trusted: frozenset[str] = frozenset()) -> None:
        self.raw = raw
        macros = raw.get("macros") or {}
        if not isinstance(macros, Mapping) or not all(isinstance(v, str) for v in macros.values()):
            raise ConfigError("vocabulary macros: expected a mapping of names to patterns", "see text.yaml")
        quals = [q for q in raw.get("subset_qualifiers") or [] if isinstance(q, str)]
        macros = dict(macros)
        macros.setdefault("qualifier", "|".join(f"(?:{q})" for q in quals) or "(?!)")
        c = _Compiler(macros, trusted)
        self.abbreviations = frozenset(str(a).lower().rstrip(".") for a in raw.get("abbreviations") or [])
        self.lead_in = c.compile(raw.get("lead_in"), "lead_in")
        self.restriction_titles = c.compile(raw.get("restriction_titles"), "restriction_titles")
        self.imperative_start = c.compile(raw.get("imperative_start"), "imperative_start")
        self.consent_basis_titles = c.compile(raw.get("consent_basis_titles"), "consent_basis_titles")
        self.breaks = c.rx(raw.get("breaks"), "breaks")
        self.pronouns = c.compile(raw.get("pronouns"), "pronouns")
        self.purpose_references = c.compile(raw.get("purpose_references"), "purpose_references")
        self.ai_part_of = c.compile(raw.get("ai_part_of"), "ai_part_of")
        self.data: dict[str, _Concept] = {}
        self.term_names: dict[str, re.Pattern[str]] = {}
        self.definition_cues: dict[str, re.Pattern[str]] = {}
        for name, spec in _mapping(raw.get("data"), "data").items():
            spec = _mapping(spec, f"data.{name}")
            concept = c.concept(name, {k: spec.get(k) for k in ("patterns", "exclude", "keywords", "_drop_keywords")}, f"data.{name}")
            if concept:
                self.data[name] = concept
            tn = c.compile(spec.get("term_names"), f"data.{name}.term_names")
            if tn:
                self.term_names[name] = tn
            dc = c.compile(spec.get("definition_cues"), f"data.{name}.definition_cues")
            if dc:
                self.definition_cues[name] = dc
        self.data_term_heads = c.compile(raw.get("data_term_heads"), "data_term_heads")
        self.qualifier = cache.regex(macros["qualifier"], re.IGNORECASE)
        self.qualifier_run_before = cache.regex(
            r"(?:(?:{q})(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or)\s+)){{0,5}}(?:{q})\s*$".format(q=macros["qualifier"]),
            re.IGNORECASE,
        )
        self.qualifier_after = cache.regex(r"\s+of\s+(?:your\s+|their\s+|any\s+)?(?:{q})".format(q=macros["qualifier"]), re.IGNORECASE)
        # Customer content of one tier of the service: "Content from Standard Services".
        tiers = "|".join(f"(?:{t})" for t in raw.get("service_tiers") or [] if isinstance(t, str)) or "(?!)"
        self.service_scope = cache.regex(
            r"\s+(?:from|in|on|of|submitted\s+(?:to|through|via))\s+(?:the\s+|our\s+|your\s+)?(?P<scope>"
            rf"(?i:{tiers})\s+(?:[A-Z][\w-]*\s+)?(?i:services?|products?|plans?|tiers?|editions?|accounts?|"
            r"offerings?|subscriptions?|customers?|users?|workspaces?))\b")
        # ... or named before it: "Business customers' inputs", "enterprise accounts' data".
        self.service_scope_before = cache.regex(
            rf"(?P<scope>(?i:{tiers})\s+(?i:customers|users|accounts|workspaces|organi[sz]ations|subscribers))[''’]s?\s+")
        self.subset = c.rx(raw.get("subset_patterns"), "subset_patterns")
        self.owned_data = c.rx(raw.get("owned_data"), "owned_data")
        subset_keywords = c.keywords(raw.get("subset_keywords"), "subset_keywords")
        self.purposes = self._concepts(c, raw.get("purposes"), "purposes")
        self.conditions = self._concepts(c, raw.get("conditions"), "conditions")
        lic = _mapping(raw.get("license"), "license")
        self.license_words: dict[str, tuple[_Rx | None, _Rx | None]] = {}
        words = _mapping(lic.get("words"), "license.words")
        for w, spec in words.items():
            if w not in LICENSE_SCOPE_WORDS:
                raise ConfigError(
                    f"vocabulary license.words.{w}: unknown licence scope word",
                    f"use one of {', '.join(LICENSE_SCOPE_WORDS)}",
                )
            spec = _mapping(spec, f"license.words.{w}")
            self.license_words[w] = (
                c.rx(spec.get("positive"), f"license.words.{w}.positive"),
                c.rx(spec.get("negative"), f"license.words.{w}.negative"),
            )
        self.limited_to_service = c.rx(lic.get("limited_to_service"), "license.limited_to_service")
        mod = _mapping(raw.get("modality"), "modality")
        self.modality: dict[str, _Concept] = {}
        for m in _MODALITY_PRIORITY:
            if m in mod:
                concept = c.concept(m, mod[m], f"modality.{m}")
                if concept:
                    self.modality[m] = concept
        for m in mod:
            if m not in _MODALITY_PRIORITY:
                raise ConfigError(f"vocabulary modality.{m}: unknown modality", f"use one of {', '.join(_MODALITY_PRIORITY)}")
        self.passive = c.compile(raw.get("passive"), "passive")
        self.state_cues = c.compile(raw.get("state_cues"), "state_cues")
        self.bans_on_others = c.compile(raw.get("bans_on_others"), "bans_on_others")
        self.acts_of_others = c.compile(raw.get("acts_of_others"), "acts_of_others")
        self.company_consents = c.compile(raw.get("company_consents"), "company_consents")
        self.override = c.rx(raw.get("override"), "override")
        act = _mapping(raw.get("actors"), "actors")
        self.actors: dict[str, _Rx] = {}
        for a, spec in act.items():
            if a not in ACTORS:
                raise ConfigError(f"vocabulary actors.{a}: unknown actor", f"use one of {', '.join(ACTORS)}")
            p = c.rx(spec, f"actors.{a}")
            if p:
                self.actors[a] = p
        self.consent_frames = c.rx(raw.get("consent_frames"), "consent_frames")
        # The pre-filter: one scan of a clause for the beginnings of the words
        # that every match of a concept contains. A sentence is searched only
        # for the concepts whose keywords it holds, and only if one of them
        # can start a fact (a purpose, a grant cue, a condition that stands alone).
        self._keyed: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = []  # key, keywords, triggers
        self.always: set[str] = set()  # concepts searched in every sentence read
        self.always_trigger = False  # some trigger concept has no keywords: read every sentence
        self.trigger_concepts: set[str] = set()  # concepts whose presence makes a sentence a fact
        keyed: list[tuple[str, _Concept]] = [(f"purpose:{n}", x) for n, x in self.purposes.items()]
        keyed += [(f"condition:{n}", x) for n, x in self.conditions.items()]
        if GRANT in self.modality:
            keyed.append((GRANT, self.modality[GRANT]))
        # Data categories and parts of customer content with keywords are
        # searched only in sentences that hold one; they trigger nothing.
        keyed += [(f"data:{n}", x) for n, x in self.data.items()]
        if self.subset is not None:
            keyed.append(("subset", _Concept("subset", self.subset, keywords=subset_keywords, triggers=())))
        for key, concept in keyed:
            can_trigger = key.startswith("purpose:") or key == GRANT or concept.strong
            if concept.keywords is None:
                self.always.add(key)
                self.always_trigger = self.always_trigger or can_trigger
            else:
                trig = (concept.triggers if concept.triggers is not None else concept.keywords) if can_trigger else ()
                self._keyed.append((key, concept.keywords, trig))
            if can_trigger and (concept.keywords is None or concept.triggers is None or concept.triggers):
                self.trigger_concepts.add(key)
        stems = sorted({k.rstrip("$") for _, ks, ts in self._keyed for k in ks + ts})
        # Run on lower-cased text without IGNORECASE, so the scan can skip
        # ahead by first letter; word starts are checked in `keyword_hits`.
        # (`\b` first: the scan then tries the trie only at word starts, twice as fast.)
        self.keyword_scan = cache.regex(r"\b(?:" + _trie(stems) + r")[\w'’-]*") if stems else None
        # keyword (without "$") -> (concept key, or None for a trigger; whole word only)
        self._keyword_index: dict[str, list[tuple[str | None, bool]]] = {}
        for key, ks, ts in self._keyed:
            for k, owner in [*((k, key) for k in ks), *((k, None) for k in ts)]:
                self._keyword_index.setdefault(k.rstrip("$"), []).append((owner, k.endswith("$")))
        self._word_cache: dict[str, tuple[frozenset[str], bool]] = {}

    def concepts_of_word(self, word: str) -> tuple[frozenset[str], bool]:
        """The concepts whose keywords begin `word`, and whether it triggers reading (cached)."""
        hit = self._word_cache.get(word)
        if hit is None:
            # A phrase keyword ("data control") is one match of the scan, so the
            # keywords of the words inside it ("control") are looked up here.
            keys: set[str] = set()
            trig = False
            for start in (word[i:] for i in range(len(word)) if i == 0 or word[i - 1] == " "):
                # Each beginning of the word, looked up: "trains" finds "t", "train", "trains".
                for end in range(1, len(start) + 1):
                    owners = self._keyword_index.get(start[:end])
                    if owners is None:
                        continue
                    # A keyword begins the word; "ai$" must be the whole word ("ai", "ai-based").
                    whole = end == len(start) or start[end] in "-'’ "
                    for owner, whole_only in owners:
                        if whole or not whole_only:
                            if owner is None:
                                trig = True
                            else:
                                keys.add(owner)
            hit = (frozenset(keys), trig)
            if len(self._word_cache) < 200_000:
                self._word_cache[word] = hit
        return hit

    def keyword_hits(self, text: str, low: str | None = None) -> list[tuple[int, frozenset[str], bool]]:
        """(offset, concepts, triggers) for each keyword word in `text` (`low`: its lower case)."""
        if self.keyword_scan is None:
            return []
        low = (low if low is not None else lower_same_length(text)).replace("\n", " ")
        out = []
        cache = self._word_cache
        for m in self.keyword_scan.finditer(low):
            i = m.start()
            if i and low[i - 1] in "-'’":
                continue  # "non-personal": not a word start
            word = m.group()
            hit = cache.get(word) or self.concepts_of_word(word)
            if hit[0] or hit[1]:
                out.append((i, hit[0], hit[1]))
        return out

    @staticmethod
    def _concepts(c: _Compiler, group: Any, where: str) -> dict[str, _Concept]:
        out: dict[str, _Concept] = {}
        for name, spec in _mapping(group, where).items():
            if not re.fullmatch(r"[a-z][a-z0-9_]*", str(name)):
                raise ConfigError(f"vocabulary {where}.{name}: names are lower_snake_case", "rename the key")
            concept = c.concept(str(name), spec, f"{where}.{name}")
            if concept:
                out[str(name)] = concept
        return out

    @classmethod
    def load(cls, extra: Mapping[str, Any] | None = None) -> Vocabulary:
        """The built-in vocabulary, merged with the user's `vocabulary` config.

        In `extra`, lists add to the built-in lists and mappings merge; a
        mapping with `replace: true` replaces the built-in entry instead.
        """
        raw = _read_builtin()
        # Macros change what every pattern means, so overriding one voids the trust.
        trusted = frozenset() if extra and "macros" in extra else frozenset(_strings(raw))
        if extra:
            extra = _unkey_extended(raw, extra)
            if not isinstance(extra, Mapping):
                raise ConfigError("vocabulary: expected a mapping", "see termslint/vocab/*.yaml for the keys")
            for key in extra:
                if key not in _TOP_KEYS:
                    raise ConfigError(
                        f"vocabulary: unknown key {key!r}",
                        f"use one of {', '.join(sorted(_TOP_KEYS))}",
                    )
            raw = _merge(raw, extra, "")
        return cls(raw, trusted)


def _strings(value: Any) -> Iterator[str]:
    """Every string inside a parsed YAML value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for v in value.values():
            yield from _strings(v)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v)


def _unkey_extended(builtin: Mapping[str, Any], extra: Mapping[str, Any]) -> dict[str, Any]:
    """A concept whose patterns the user extends without keywords loses its keywords.

    Otherwise the pre-filter could hide the user's new words.
    """
    out = dict(extra)
    if extra.get("subset_patterns") and "subset_keywords" not in extra:
        out["subset_keywords"] = None
    for group in ("purposes", "conditions", "modality", "data"):
        user = extra.get(group)
        if not isinstance(user, Mapping):
            continue
        new_group = dict(user)
        for name, spec in user.items():
            if isinstance(spec, list | str):
                spec = {"patterns": spec}
            if isinstance(spec, Mapping) and spec.get("patterns") and "keywords" not in spec:
                spec = dict(spec)
                base = (builtin.get(group) or {}).get(name)
                if isinstance(base, Mapping) and "keywords" in base and not spec.get("replace"):
                    spec["_drop_keywords"] = True
            new_group[name] = spec
        out[group] = new_group
    return out


def _trie(words: Sequence[str]) -> str:
    """A regex alternation of literal words, shared prefixes factored out (faster to scan)."""
    tree: dict[str, Any] = {}
    for w in words:
        node = tree
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: dict[str, Any]) -> str:
        ends = "" in node
        alts = [re.escape(ch) + build(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if ends:
            return "(?:" + body + ")?"
        return body

    return build(tree)


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise ConfigError(f"vocabulary {where}: expected a mapping", "see termslint/vocab/*.yaml")
    return value


# --------------------------------------------------------------------------
# Sentences

# (A symbol or emoji may stand before the capital: "... Notice. ⚖️ A Quick Chat".)
_STOP_TAIL = r"[\"'”’)\]]*(?=\s+(?:[\u2190-\u21ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\U0001f000-\U0001faff]+\s*)?[\"'“‘(\[*_•·\-]*[A-Z0-9])"
# Every alternative starts with a literal character, so the scan skips to the
# next ".", "!", "?", line break or "|" instead of trying each position.
_SENT_END = cache.regex(
    rf"\.{_STOP_TAIL}|!{_STOP_TAIL}|\?{_STOP_TAIL}"  # a full stop before a capital, a number or a bullet
    r"|\n[ \t]*\n"  # a blank line
    r"|\n(?=[ \t]*\|)|\|[ \t]*\n"  # table rows
    r"|\|(?<=[ \t]\|)[ \t]"  # table cells
    r"|\n(?=[ \t]*[\"'“‘(\[*_•·\-]*[A-Z0-9])"  # a line break before a capital: a heading line may end there
)
_TABLE_ROW_NEXT = cache.regex(r"[ \t]*\|")
_LEAD_CHARS = cache.regex(r"[:;,]\s*$|\b(?:and|or|including|such as)\s*$", re.IGNORECASE)
_LIST_MARKUP = " \t\n*_#>+-•·([\"'“"
_ROMAN_OR_LETTER = cache.regex(r"^\(?(?:[ivxlc]{1,5}|[a-z]|\d{1,3}(?:\.\d{1,3})*)\)?$", re.IGNORECASE)


_HEADING_LINE = cache.regex(r"[\"'“‘(\[*_#•·\-]*[A-Z0-9][^\n.!?;:,]{0,70}[^\W_][)\]*_]*")
_HEADING_TAIL = cache.regex(r"\b(?:and|or|the|a|an|of|to|for|in|on|by|with|our|your|its|their|that|which|as|from|at)$", re.IGNORECASE)
# A subject and a modal verb make a line a statement, even a short one
# without a full stop ("We may train our models on your content").
_STATEMENT_LINE = cache.regex(
    r"\b(?:we|you|they|it)\s+(?:\w+\s+)?(?:may|will|can|cannot|shall|must|might|could|would|do|does|never)\b",
    re.IGNORECASE)


def _heading_line(text: str, nl: int, blocks: Mapping[int, bool] | None = None) -> bool:
    """Is the line ending at `nl` a heading of its own ("Non-Personal Data")?

    It is short, ends without punctuation or a dangling word, states nothing,
    and starts the text or a paragraph (`blocks`) or follows a line that ends
    a sentence, so that the lines of a hard-wrapped paragraph are never taken
    for headings.
    """
    ls = text.rfind("\n", 0, nl) + 1
    line = text[ls:nl].strip()
    if not line or len(line) > 72 or line.count(" ") > 8:
        return False
    if not _HEADING_LINE.fullmatch(line) or _HEADING_TAIL.search(line) or _STATEMENT_LINE.search(line):
        return False
    if ls == 0 or (blocks and blocks.get(ls - 1) is False):
        return True
    prev = text[text.rfind("\n", 0, ls - 1) + 1 : ls - 1].rstrip()
    return not prev or prev[-1] in ".!?:\"”')]*_|"


def split_sentences(text: str, vocab: Vocabulary, blocks: Mapping[int, bool] | None = None) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in `text`; legal abbreviations and list numbers do not end one.

    `blocks`: the line breaks in `text` where a new Markdown block starts (see
    `block_breaks`), each marked True for a list item.
    """
    out: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    lead_list = False  # inside the items of a list that a lead-in ("... to:") introduced
    for m in _SENT_END.finditer(text):
        end = m.end()
        first = text[m.start()]
        if first in ".!?":
            tok_start = text.rfind(" ", max(0, m.start() - 30), m.start()) + 1
            tok_start = max(tok_start, text.rfind("\n", 0, m.start()) + 1)
            token = text[tok_start : m.start()].lstrip("([\"'“*_").lower()
            if token in vocab.abbreviations or (len(token) == 1 and token.isalpha()):
                continue
            # "2. You may ...": a list number starts its sentence; a number after
            # words ends one ("users over 18. We do not ...", "see section 12. You").
            if _ROMAN_OR_LETTER.match(token) and not (token[0].isdigit() and text[start:tok_start].strip(_LIST_MARKUP)):
                continue
            if not token:
                continue
        elif first == "\n" and end - m.start() == 1 and not _TABLE_ROW_NEXT.match(text, end):
            item = blocks.get(m.start()) if blocks else None
            if item is not None:
                # A paragraph or list item of its own ends the sentence, unless
                # a lead-in continues into it and its sibling items.
                if _LEAD_CHARS.search(text, max(start, m.start() - 40), m.start()):
                    lead_list = item
                    continue
                if item and lead_list:
                    continue
                lead_list = False
            elif not _heading_line(text, m.start(), blocks):
                continue  # a line wrapped inside a sentence
        elif not (first == "|" and text[end - 1] == "\n") and _LEAD_CHARS.search(text, max(start, m.start() - 40), m.start()):
            continue  # a blank line after a lead-in does not end the sentence
        if text[start:end].strip():
            out.append((start, end))
        start = end
    if start < n and text[start:].strip():
        out.append((start, n))
    # Trim surrounding space, and the "|" that ends a table cell.
    trimmed = []
    for a, b in out:
        while a < b and text[a].isspace():
            a += 1
        while b > a and (text[b - 1].isspace() or text[b - 1] == "|"):
            b -= 1
        if a < b:
            trimmed.append((a, b))
    return trimmed


# A list marker, and any blockquote marks, before a line's text.
_LIST_MARKER = cache.regex(r"[ \t]*(?:>[ \t]*)*(?:[-*+•]|\d{1,3}[.)])[ \t]+")


def block_breaks(clause: Clause, lines: Sequence[str]) -> dict[int, bool]:
    """The line breaks in `clause.text` where a new paragraph or list item starts: True for an item.

    `clause.text` joins every source line with one line break, so the bullets
    of a converted page ("We do not train on your data" as an item without a
    full stop) would read like the lines of one wrapped paragraph. The source
    tells them apart: a blank line before the line, or a list marker on it.
    """
    out: dict[int, bool] = {}
    prev = None
    for off, line, col in clause.line_starts:
        if prev is not None and off > 0:
            src = lines[line - 1] if 0 < line <= len(lines) else ""
            item = _LIST_MARKER.fullmatch(src, 0, max(0, col - 1)) is not None
            if item or line - prev > 1:
                out[off - 1] = item
        prev = line
    return out


# --------------------------------------------------------------------------
# Tables

# A purpose table ("Purpose | Categories of personal data | Legal basis") states
# one use in each row, so a row is read as one sentence: the data column
# belongs to the purpose beside it. Other tables are read cell by cell, and no
# sentence runs from one row into the next.
_PURPOSE_HEADER = cache.regex(r"\b(?:purposes?|activit(?:y|ies)|why\s+we|how\s+we\s+use|uses?\s+of)\b", re.IGNORECASE)
_DATA_HEADER = cache.regex(r"\b(?:data|information|info)\b", re.IGNORECASE)
_BASIS_HEADER = cache.regex(r"\b(?:legal|lawful)\s+(?:basis|bases|grounds?)\b|\bbasis\s+(?:for|of)\s+processing\b",
                           re.IGNORECASE)
# A legal basis that is consent and nothing else: the use waits for the user's opt-in.
_CONSENT_BASIS = cache.regex(r"[\W_]*(?:(?:your|the\s+user['’]s|explicit|express|prior|specific|informed)\s+)*consent\b",
                            re.IGNORECASE)
_OTHER_BASIS = cache.regex(r"legitimate|contract|obligation|necessary|vital|public\s+interest", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _PurposeColumns:
    first: int  # the leftmost and the rightmost of the purpose, data and legal-basis columns
    last: int
    basis: int | None


def _purpose_columns(header: Sequence[str]) -> _PurposeColumns | None:
    """The columns of a purpose table, from its header row; None for any other table."""
    purpose = next((k for k, h in enumerate(header) if _PURPOSE_HEADER.search(h)), None)
    if purpose is None:
        return None
    data = next((k for k, h in enumerate(header) if k != purpose and _DATA_HEADER.search(h)), None)
    if data is None:
        return None
    basis = next((k for k, h in enumerate(header) if k not in (purpose, data) and _BASIS_HEADER.search(h)), None)
    cols = [purpose, data] if basis is None else [purpose, data, basis]
    return _PurposeColumns(min(cols), max(cols), basis)


# A column that answers, row by row, whether the data is used for AI training:
# "| Feature | Data used | Used to train models? |" with "Yes" or "No" cells.
_AI_QUESTION_HEADER = cache.regex(
    r"^[\W_]*(?:(?:is\s+it\s+|are\s+they\s+)?used\s+(?:to|for)\s+(?:train|training|improv\w*\s+(?:our\s+)?(?:models?|AI))"
    r"|(?:AI|model)\s+training)\b[^|]{0,30}\?", re.IGNORECASE)
_ANSWER = cache.regex(r"[\W_]*(yes|no)\b", re.IGNORECASE)


def _answer_columns(header: Sequence[str]) -> tuple[int, int] | None:
    """(data column, answer column) of a table that answers whether data trains AI; else None."""
    answer = next((k for k, h in enumerate(header) if _AI_QUESTION_HEADER.search(h)), None)
    if answer is None:
        return None
    data = next((k for k, h in enumerate(header) if k != answer and _DATA_HEADER.search(h)), None)
    return None if data is None else (data, answer)


@dataclass(slots=True)
class _Sentences:
    spans: list[tuple[int, int]]
    rows: set[tuple[int, int]] = field(default_factory=set)  # sentences that are a purpose-table row
    consent: dict[tuple[int, int], tuple[int, int]] = field(default_factory=dict)  # row -> its "Consent" cell
    # row of an answer table -> (its data cell, its answer cell, the "Yes" or "No" that opens it)
    answers: dict[tuple[int, int], tuple[tuple[int, int], tuple[int, int], re.Match[str]]] = field(default_factory=dict)


def _sentences(text: str, vocab: Vocabulary, rows: Sequence[TableRow], blocks: Mapping[int, bool]) -> _Sentences:
    """Sentence spans of a text that holds table rows (`rows`: offsets in `text`)."""
    if not rows:
        return _Sentences(split_sentences(text, vocab, blocks))
    # The header is the table's first row with text: tables converted from HTML
    # often have an empty Markdown header and their real header as the first row.
    tables: dict[int, _PurposeColumns | None] = {}
    answering: dict[int, tuple[int, int] | None] = {}
    header: set[tuple[int, int]] = set()
    for r in rows:
        if r.table not in tables:
            cells = [text[a:b] for a, b in r.cells]
            tables[r.table] = _purpose_columns(cells)
            answering[r.table] = _answer_columns(cells) if tables[r.table] is None else None
            header.add((r.table, r.index))
    out = _Sentences([])
    breaks = sorted(blocks)  # each segment takes its own by bisection: a long table is not quadratic

    def plain(a: int, b: int) -> None:
        part = {k - a: blocks[k] for k in breaks[bisect.bisect_left(breaks, a):bisect.bisect_left(breaks, b)]}
        out.spans.extend((a + s, a + e) for s, e in split_sentences(text[a:b], vocab, part))

    pos = 0
    for r in rows:
        plain(pos, r.start)
        pos = r.end
        cols = tables[r.table] if (r.table, r.index) not in header else None
        ans = answering[r.table] if (r.table, r.index) not in header else None
        if ans is not None and max(ans) < len(r.cells):
            (d0, d1), (c0, c1) = r.cells[ans[0]], r.cells[ans[1]]
            word = _ANSWER.match(text, c0, c1)
            if word is not None and text[d0:d1].strip():
                out.spans.append((r.start, r.end))
                out.answers[(r.start, r.end)] = ((d0, d1), (c0, c1), word)
                continue
        if cols is None or cols.last >= len(r.cells):
            plain(r.start, r.end)
            continue
        a, b = r.cells[cols.first][0], r.cells[cols.last][1]
        plain(r.start, a)
        if text[a:b].strip():
            out.spans.append((a, b))
            out.rows.add((a, b))
            if cols.basis is not None:
                c0, c1 = r.cells[cols.basis]
                if c1 > c0 and _CONSENT_BASIS.match(text, c0, c1) and not _OTHER_BASIS.search(text, c0, c1):
                    out.consent[(a, b)] = (c0, c1)
        plain(b, r.end)
    plain(pos, len(text))
    return out


# --------------------------------------------------------------------------
# Document context: the document's own names


@dataclass(slots=True)
class _Context:
    vocab: Vocabulary
    term_category: dict[str, str] = field(default_factory=dict)
    term_forms: dict[str, str] = field(default_factory=dict)  # each way of writing a categorised term, to the term
    defined: re.Pattern[str] | None = None  # categorised defined terms, case-sensitive
    company: re.Pattern[str] | None = None  # the company's own names
    company_ai: re.Pattern[str] | None = None  # those of them with "AI" in them ("Mistral AI")
    user: re.Pattern[str] | None = None
    feedback_terms: re.Pattern[str] | None = None  # terms defined as feedback ("Submissions": ideas, suggestions)
    purpose_terms: dict[str, frozenset[str]] = field(default_factory=dict)  # "Permitted Purposes" -> what it names
    purpose_defined: re.Pattern[str] | None = None  # those terms, case-sensitive
    ai_texts: dict[str, bool] = field(default_factory=dict)  # a clause's text -> whether it speaks of AI training
    doc: Document | None = None  # the document annotated, if any
    doc_speaks_of_ai: bool | None = None  # None: not asked yet


_PAREN_ALIASES = cache.regex(
    r"\((?:(?:collectively|together|hereinafter|individually)[^)\"“]{0,30})?([^()]{0,200}?[\"“](?:we|us|our|you|your)[\"”][^()]{0,120})\)",
    re.IGNORECASE,
)
# 'Acme Inc. ("Acme")': a company's legal name and the short name a contract
# calls it by, with no "we" to say which party it is ("Customer" is the user's).
_CORPORATE_ALIAS = cache.regex(
    r"\b(?:Inc|LLC|L\.L\.C|Ltd|Limited|GmbH|AG|S\.?A|S\.?A\.?S|B\.?V|N\.?V|Corp|Corporation|Co|PLC|plc|Pty|SE|AB|ApS|Oy|SARL|S\.r\.l|KK)\b\.?,?"
    r"(?:\s+and\s+its\s+affiliates)?\s*\(\s*(?:together\s+with\s+its\s+affiliates,?\s+)?(?:hereinafter\s+|the\s+)?[\"“]([A-Z][^\"”]{0,40})[\"”]\s*\)"
)
# "by and between Mistral AI and Customer": the parties, named without a parenthesis.
_BETWEEN_PARTIES = cache.regex(
    r"\bbetween\s+(?:you\s+and\s+)?(?P<name>(?-i:[A-Z][\w&.'’-]*)(?:\s+(?-i:[A-Z][\w&.'’-]*)){0,3}?)"
    r"(?:,?\s+(?:Inc|LLC|Ltd|Limited|GmbH|SAS|SA|BV|Corp)\.?)?\s*(?:\([^()]{0,80}\)\s*)?"
    r"(?:and\s+(?:the\s+)?(?-i:Customer|User|Client|Licensee|Subscriber|you)\b|[,.;]|\s*$)")
_AI_WORD = cache.regex(r"\bAI\b", re.IGNORECASE)
_QUOTED = cache.regex(r"[\"“]([^\"”]{1,60})[\"”]")
_TITLE_NAME = cache.regex(
    r"^\s*([A-Z][\w&.'’-]*(?:\s+[A-Z][\w&.'’-]*){0,3}?)(?:[’']s)?\s+(?:Terms|Privacy|Data|Acceptable|User|General|Master|Customer|End|Cookie|Service|Subscription|Platform|Business|Commercial|Marketplace|Supplemental|AI|Generative)\b"
)
_GENERIC_NAMES = {"the", "our", "these", "this", "website", "general", "standard", "global", "online", "privacy", "terms"}


_FEEDBACK_KINDS = cache.regex(r"\b(?:suggestions?|ideas?|feedback|recommendations?|proposals?|improvements?|enhancements?)\b",
                             re.IGNORECASE)


# What a definition leaves out: "Content means ..., but does not include Feedback".
_DEFINITION_CUT = cache.regex(r"\b(?:excluding|excludes|but\s+(?:does|shall)\s+not\s+include|does\s+not\s+include|other\s+than)\b",
                              re.IGNORECASE)
_SET_APART = cache.regex(r"\b(?:separate\s+(?:and\s+apart\s+)?from|apart\s+from|in\s+addition\s+to|other\s+than)\s+[^,;]{0,80}[,;]",
                         re.IGNORECASE)
_POSTED_KINDS = cache.regex(r"\b(?:photo(?:graph)?s|images|pictures|graphics|videos|recordings|posts|music|songs|user\s+content)\b",
                            re.IGNORECASE)


def _is_feedback_definition(term: str, text: str) -> bool:
    """'"Submissions" means any questions, comments, suggestions, ideas, feedback ...':
    feedback, under its own licence, not the user's content. The list may come
    before a parenthetical term ("any ideas or feedback ("Submissions")"); one that
    lists what users post as well ("comments, ideas, graphics, photographs") is content."""
    idx = text.find(term)
    before, body = (text[:idx], text[idx + len(term):]) if idx >= 0 else ("", text)
    cut = _DEFINITION_CUT.search(body)
    named = before + " " + (body[: cut.start()] if cut else body)
    if len({w.lower().rstrip("s") for w in _FEEDBACK_KINDS.findall(named)}) < 2:
        return False
    # ("Separate and apart from the User Content you provide, you can submit ideas ...":
    # what it is set apart from is not in it)
    return not _POSTED_KINDS.search(_SET_APART.sub(" ", named))


def categorize_definition(term: str, text: str, vocab: Vocabulary) -> str | None:
    """The data category a defined term belongs to, from its name and its defining sentence."""
    if vocab.data_term_heads is None or not vocab.data_term_heads.search(term):
        return None
    scores: dict[str, int] = {}
    for cat, tn in vocab.term_names.items():
        if tn.search(term):
            scores[cat] = scores.get(cat, 0) + 2
    body = text
    idx = body.find(term)
    if idx >= 0:
        body = body[idx + len(term) :]
    cut = _DEFINITION_CUT.search(body)
    if cut:
        body = body[: cut.start()]
    if _is_feedback_definition(term, text):
        return None
    for cat, cue in vocab.definition_cues.items():
        hits = len(cue.findall(body))
        if hits:
            scores[cat] = scores.get(cat, 0) + min(hits, 2)
    if not scores:
        return None
    order = list(vocab.data)
    return max(scores, key=lambda k: (scores[k], -order.index(k) if k in order else -99))


def _alternation(names: Iterable[str], plural: bool = False) -> re.Pattern[str] | None:
    """One regex for the names; with `plural`, "Submissions" matches the name "Submission" (group "name")."""
    uniq = sorted({n for n in names if n}, key=len, reverse=True)
    if not uniq:
        return None
    ending = r"(?:s|es)?" if plural else ""
    # A document's own names: compiled per document, not kept in the start-up cache.
    return re.compile(r"(?<![\w-])(?P<name>" + "|".join(re.escape(n) for n in uniq) + r")" + ending + r"(?![\w-])")


def _names_the_user(name: str, vocab: Vocabulary) -> bool:
    """Whether the whole of `name` is a word for the user ("Customer", "Licensee")."""
    user_rx = vocab.actors.get(USER)
    return user_rx is not None and any(m.span() == (0, len(name))
                                       for m in user_rx.finditer(name, lower_same_length(name)))


def _build_context(vocab: Vocabulary, definitions: Mapping[str, Definition | str] | None, doc: Document | None) -> _Context:
    ctx = _Context(vocab)
    ctx.doc = doc
    company: set[str] = set()
    user: set[str] = set()
    feedback: set[str] = set()
    for term, d in (definitions or {}).items():
        if isinstance(d, str):
            if d == COMPANY:
                company.add(term)
            elif d == USER:
                user.add(term)
            else:
                ctx.term_category[term] = d
            continue
        if _PURPOSE_TERM.search(term):
            named = _purposes_named(d.text, vocab)
            if named:
                ctx.purpose_terms[term] = named
            continue
        cat = categorize_definition(term, d.text, vocab)
        d.category = cat
        if cat:
            ctx.term_category[term] = cat
        elif _is_feedback_definition(term, d.text):
            feedback.add(term)
        low = d.text.lower()
        if re.search(r"[\"“](?:we|us)[\"”]", low) and term.lower() not in {"we", "us", "our"}:
            company.add(term)
        elif re.search(r"[\"“](?:you|your)[\"”]", low) and term.lower() not in {"you", "your"}:
            user.add(term)
    if doc is not None:
        if doc.title:
            m = _TITLE_NAME.match(doc.title)
            if m and m.group(1).lower() not in _GENERIC_NAMES:
                company.add(m.group(1))
        # The parties' parenthetical in the opening clauses: ("Zoom", "we", "us").
        for clause in doc.clauses[:12]:
            for pm in _PAREN_ALIASES.finditer(clause.text):
                names = [q.strip() for q in _QUOTED.findall(pm.group(1))]
                lows = {n.lower() for n in names}
                target = company if lows & {"we", "us", "our"} else user
                for n in names:
                    if n.lower() not in {"we", "us", "our", "you", "your"} and n[:1].isupper():
                        target.add(n)
            for bm in _BETWEEN_PARTIES.finditer(clause.text):
                name = bm.group("name")
                if (name.lower() not in _GENERIC_NAMES and not name.startswith(("The ", "This ", "These "))
                        and not _names_the_user(name, vocab)):
                    company.add(name)
            company.update(name for cm in _CORPORATE_ALIAS.finditer(clause.text)
                           if not _names_the_user(name := cm.group(1).strip(), vocab))
    # Each way of writing a data term: "Input(s)" as "Input", "Submissions" as
    # "Submission", "CUSTOMER DATA" as "Customer Data" (not "customer data":
    # the plain words may mean something else).
    ctx.term_forms = {f: t for f, t in term_forms(list(ctx.term_category)).items() if f == t or not f.islower()}
    ctx.defined = _alternation(ctx.term_forms, plural=True)
    ctx.company = _alternation(company - set(ctx.term_category))
    ctx.company_ai = _alternation({n for n in company - set(ctx.term_category) if _AI_WORD.search(n)})
    ctx.user = _alternation(user - set(ctx.term_category) - company)
    ctx.feedback_terms = _alternation(feedback, plural=True)
    ctx.purpose_defined = _alternation(set(ctx.purpose_terms))
    return ctx


# A term that names purposes: '"Permitted Purposes" means providing the Platform,
# improving it and training artificial intelligence models'.
_PURPOSE_TERM = cache.regex(r"\bPurposes?$", re.IGNORECASE)


def _purposes_named(definition: str, vocab: Vocabulary) -> frozenset[str]:
    low = lower_same_length(definition)
    return frozenset(name for name, concept in vocab.purposes.items() if concept.find(definition, low))


# "used for training", "for training purposes": whose training, the clause says.
_BARE_TRAINING = cache.regex(
    r"\b(?:used|use|uses|using)\s+(?:[\w'’-]+\s+){0,3}?(?:for|in)\s+(?:any\s+)?training\b(?!\s+(?:of|for)\s+(?:staff|employees|agents|personnel))"
    r"|\bfor\s+training\s+purposes\b")
# An opt-out from bare "training": "You can opt out of training in Settings", "turn
# off \"Product Improvement and Training\"". In a document that speaks of AI
# training anywhere, that is the training it spoke of (choices often sit in a
# section of their own, far from the use).
_OPTED_OUT_OF_TRAINING = cache.regex(
    r"\b(?:opt(?:s|ed|ing)?[- ]?out\s+of|(?:turn|switch)(?:s|es|ed|ing)?\s+off|disabl(?:e|es|ed|ing)"
    r"|(?:exclud|withdraw)\w*\s+(?:[\w'’-]+\s+){0,3}?from)\s+(?:the\s+|such\s+|this\s+|any\s+|further\s+|future\s+)?"
    r"(?P<what>training\b|[\"“'‘][^\"”'’]{0,40}?\btraining\b)")


def _offers_choice(text: str, low: str, s0: int, s1: int, vocab: Vocabulary) -> bool:
    """Whether a sentence asks for consent or offers an opt-out."""
    return any(name in vocab.conditions and vocab.conditions[name].find(text, low, s0, s1)
               for name in ("opt_in_consent", "opt_out_available"))


def _speaks_of_ai(text: str, low: str, ctx: _Context) -> bool:
    """Whether `text` (a clause) names AI training somewhere (cached: asked only of bare "training")."""
    known = ctx.ai_texts.get(text)
    if known is None:
        ai = ctx.vocab.purposes.get("ai_training")
        known = ctx.ai_texts[text] = bool(ai is not None and ai.find(text, low))
    return known


def _document_speaks_of_ai(text: str, low: str, ctx: _Context) -> bool:
    """Whether this clause, or any clause of the document, names AI training (asked only of
    an opt-out from bare "training")."""
    if _speaks_of_ai(text, low, ctx):
        return True
    if ctx.doc_speaks_of_ai is None:
        clauses = ctx.doc.clauses if ctx.doc is not None else []
        ctx.doc_speaks_of_ai = any(_speaks_of_ai(c.text, lower_same_length(c.text), ctx) for c in clauses)
    return ctx.doc_speaks_of_ai


def _term_purposes(text: str, s0: int, s1: int, ctx: _Context) -> list[_Mention]:
    """The purposes of the purpose terms a sentence uses ("for the Permitted Purposes")."""
    if ctx.purpose_defined is None:
        return []
    return [_Mention("purpose", p, m.start(), m.end()) for m in ctx.purpose_defined.finditer(text, s0, s1)
            for p in sorted(ctx.purpose_terms[m.group("name")])]


# --------------------------------------------------------------------------
# Statements


@dataclass(slots=True)
class _Mention:
    kind: str  # data | purpose | condition | modality | actor | license | override | limited
    name: str
    start: int
    end: int
    qualifiers: tuple[str, ...] = ()


@dataclass(slots=True)
class _RawFact:
    modality: str
    actor: str
    data: set[str]
    purposes: set[str]
    conditions: set[str]
    license: License | None
    evidence: list[_Mention]
    sentence: tuple[int, int]
    partial: bool = False
    data_terms: list[str] = field(default_factory=list)
    beneficiaries: set[str] = field(default_factory=set)
    # An opt-out that names no purpose and follows no use it could belong to
    # ("You may opt out of the uses described in Section 4.2"): it takes its
    # purposes from where it points (see _resolve_pointers), or is dropped.
    pointer: bool = False
    # Its own words name a use ("opt out of the uses", "object to the
    # processing"): only then does it point at the uses of the clauses it cites.
    names_use: bool = False
    # It opens its clause and points back ("You can opt out of this use",
    # "turn it off"): it may belong to the use that ends the clause before.
    points_back: bool = False


def _overlaps(a: tuple[int, int], spans: Sequence[tuple[int, int]]) -> bool:
    return any(s < a[1] and a[0] < e for s, e in spans)


# "You can object to our use of your information to train our models": the
# user's choice names no particular data, so it covers all of theirs (as a
# choice that names no data does), not only the category the words fall in.
_ALL_USER_DATA = cache.regex(r"your\s+(?:information|info|data)", re.IGNORECASE)
_CHOICES = frozenset({"opt_out_available", "opt_in_consent"})
_OF_CONTAINER = cache.regex(r"\s(?:of|from|in)\s+(?:your|their|any|the)\s", re.IGNORECASE)
# "data that we license from third parties": a source, not a recipient.
_FROM_BEFORE = cache.regex(r"\bfrom\s+$")
# "..., attachments or other Customer Content": a list that ends in a catch-all
# covers the whole category, not just the parts it names.
_CATCH_ALL = cache.regex(r"\b(?:or|and|and/or)\s+(?:any\s+|all\s+)?other\s+(?:[\w-]+\s+){0,2}$", re.IGNORECASE)
# A promise with an exception ("will not use Customer Data to train models, except
# as described in Section 6.2", "except for content you share publicly",
# "Subject to Section 9, ..."): the exception may let some of the data through,
# so the promise is partial. Not an exception that only asks for a choice or
# obeys the law or runs the service ("except with your consent", "except as
# required by law", "other than to provide the Services"): those open nothing
# to AI training.
# (not the verb "save": "the files you save")
_EXCEPTED = cache.regex(
    r"\b(?:except|excepting|save\s+(?:as|for|where|to\s+the\s+extent)|other\s+than"
    r"|unless\s+(?:otherwise\s+)?(?:described|set\s+(?:out|forth)|provided|specified|stated|permitted|agreed)"
    r"|subject\s+to\s+(?:section|clause|paragraph|article|the\s+exceptions?))\b[^.;]{0,80}")
# (read in the whole exception: "unless otherwise agreed" asks for agreement;
# not "the Agreement", a document that may hold the exception)
_EXCEPTION_OPENS_NOTHING = cache.regex(
    r"\b(?:consent\w*|permission|authori[sz]\w*|instruct\w*|direct(?:s|ed|ion)?|opt(?:s|ed)?[- ]in|agree(?:s|d)?\b(?!ment)"
    r"|choose|chose|chosen|elect(?:s|ed)?|request\w*|ask(?:s|ed)?|laws?|legal\w*|regulat\w*|court|subpoena"
    r"|provid(?:e|ing)\s+(?:and\s+[\w ]+\s+)?(?:the\s+|our\s+|you\s+(?:with\s+)?)?(?:services?|products?)"
    r"|necessary|aggregat\w*|de-?identif\w*|anonymi\w*|security|fraud|abuse)\b")


# ", not on", "but never from", "rather than", "instead of" just before a data
# mention (not "we do not train on ...": that "not" makes a prohibition).
_CONTRASTED = cache.regex(
    r"(?:(?:[,;(]\s*(?:but\s+|and\s+)?|\b(?:but|and)\s+)(?:not|never)|\b(?:rather\s+than|instead\s+of))\s+"
    r"(?:(?:on|from|with|using)\s+)?(?:(?:any|all)\s+(?:of\s+)?)?(?:the\s+|such\s+)?$")


# "Users may record meetings. We may use their recordings to train our models":
# "their" is the users' when the nearest people named before it are users (not
# "our partners ... their content").
_THEIR_CONTENT = cache.regex(
    r"\btheir\s+(?:own\s+)?(?:meeting\s+|call\s+|voice\s+|video\s+)?(?:recordings|content|messages|files|photos|videos"
    r"|conversations|chats|posts|uploads|submissions|prompts|inputs|documents|transcripts|images|works|creations"
    r"|essays|assignments|designs|notes|comments|reviews)\b")
_PEOPLE = cache.regex(
    r"\b(?:(?P<users>users|customers|members|subscribers|participants|attendees|hosts|students|creators|clients"
    r"|end[- ]users|account\s+holders|people|individuals)|partners|advertisers|vendors|suppliers|providers|licensors"
    r"|third[- ]parties|affiliates|companies|businesses|developers|publishers|authors|artists|employees|contractors)\b")
_THEIR_REACH = 250  # how far back the people "their" stands for may be named


def _find_data(text: str, low: str, s0: int, s1: int, ctx: _Context, cand: Set[str] | None = None,
               owned: bool = False) -> list[_Mention]:
    """Data mentions; `cand` (from the keyword pre-filter) skips categories whose words are absent.

    `owned`: the sentence is about AI training, so something of the user's that
    no category names ("your Pins") is read as their content.
    """
    vocab = ctx.vocab
    found: list[tuple[int, int, int, str, tuple[str, ...]]] = []  # (priority, start, end, cat, quals)
    if ctx.defined is not None:
        for m in ctx.defined.finditer(text, s0, s1):
            found.append((0, m.start(), m.end(), ctx.term_category[ctx.term_forms[m.group("name")]], ()))
    if vocab.subset is not None and (cand is None or "subset" in cand):
        for m in vocab.subset.finditer(text, low, s0, s1):
            qs = list(vocab.qualifier.finditer(m.group(0)))
            of = _OF_CONTAINER.search(m.group(0))
            if of is not None and any(q.end() <= of.start() for q in qs):
                # "the audio or video of your calls": the parts, not the container.
                qs = [q for q in qs if q.end() <= of.start()]
            # "voice recordings": the last word is the head noun, not a qualifier.
            elif len(qs) > 1 and qs[-1].end() == len(m.group(0)) and not m.group(0).lower().startswith("your"):
                qs = qs[:-1]
            quals = tuple(" ".join(q.group(0).lower().split()) for q in qs)
            found.append((1, m.start(), m.end(), "customer_content", quals))
    for cat, concept in vocab.data.items():
        if cand is not None and f"data:{cat}" not in cand:
            continue
        for a, b in concept.find(text, low, s0, s1):
            found.append((2, a, b, cat, ()))
    if owned and not found and vocab.owned_data is not None:
        # "your Pins", "your playlists": something of the user's that no category
        # names is their content. Only a part of it, though: a promise over "your
        # playlists" does not cover the rest (the words are the part's name).
        # Only in a sentence about AI training: elsewhere ("your Application
        # infringes", "your licensors") the guess costs more than it finds.
        for m in vocab.owned_data.finditer(text, low, s0, s1):
            name = " ".join(m.group(0).lower().split()[1:])  # without "your"
            found.append((2, m.start(), m.end(), "customer_content", (name,)))
    if owned:
        for m in _THEIR_CONTENT.finditer(low, s0, s1):
            people = list(_PEOPLE.finditer(low, max(0, m.start() - _THEIR_REACH), m.start()))
            if people and people[-1].group("users"):  # the last named: who "their" stands for
                found.append((2, m.start(), m.end(), "customer_content", ()))
    # Keep the best non-overlapping mentions: defined terms, then longer ones.
    found.sort(key=lambda f: (min(f[0], 1), -(f[2] - f[1]), f[0], f[1]))
    kept: list[_Mention] = []
    spans: list[tuple[int, int]] = []
    for _, a, b, cat, quals in found:
        if _overlaps((a, b), spans):
            continue
        spans.append((a, b))
        kept.append(_Mention("data", cat, a, b, quals))
    kept.sort(key=lambda m: m.start)
    return kept


def _find_license(text: str, low: str, a: int, b: int, vocab: Vocabulary) -> list[_Mention]:
    out = []
    for word, (pos, neg) in vocab.license_words.items():
        if pos is None:
            continue
        negs = [(m.start(), m.end()) for m in neg.finditer(text, low, a, b)] if neg is not None else []
        for m in pos.finditer(text, low, a, b):
            if not _overlaps((m.start(), m.end()), negs):
                out.append(_Mention("license", word, m.start(), m.end()))
    if vocab.limited_to_service is not None:
        for m in vocab.limited_to_service.finditer(text, low, a, b):
            out.append(_Mention("limited", "limited_to_service", m.start(), m.end()))
    return out


def _find_actors(text: str, low: str, s0: int, s1: int, ctx: _Context, data: Sequence[_Mention]) -> list[_Mention]:
    vocab = ctx.vocab
    dspans = [(d.start, d.end) for d in data]
    frames: list[tuple[int, int]] | None = None  # "you agree", "if you": searched at the first "you"
    found: list[_Mention] = []
    pats: list[tuple[str, list[re.Match[str]]]] = [
        (COMPANY, list(ctx.company.finditer(text, s0, s1)) if ctx.company else []),
        (USER, list(ctx.user.finditer(text, s0, s1)) if ctx.user else []),
    ]
    pats += [(a, p.finditer(text, low, s0, s1)) for a, p in vocab.actors.items()]
    seen: list[tuple[int, int]] = []
    for actor, matches in pats:
        for m in matches:
            span = (m.start(), m.end())
            if _overlaps(span, dspans) or _overlaps(span, seen):
                continue
            if actor == USER:
                if frames is None:
                    frames = [(f.start(), f.end()) for f in vocab.consent_frames.finditer(text, low, s0, s1)] if vocab.consent_frames else []
                if _overlaps(span, frames):
                    continue
            seen.append(span)
            found.append(_Mention("actor", actor, m.start(), m.end()))
    found.sort(key=lambda m: m.start)
    return found


# A restrictive relative clause ("any purpose which may be beneficial to us",
# "data that may be collected"): its modal verb describes a noun and starts
# no statement of its own. (After a comma, "..., which we may use to train
# models" is a statement and keeps its cue.)
_RESTRICTIVE_RELATIVE = cache.regex(r"(?<![,;(])\s(?:which|that)\s+$")
# How far (in characters) before a condition that names no use ("You can opt
# out of this in Settings.") the use it refers to may end: "this" is the
# statement just before, not one a page earlier in a long clause.
_CONDITION_REACH = 300
# An opt-out that asks the company to stop a use ("ask us to stop using",
# "request that we not use", "exclude your content", "control whether your
# content is used"), unlike a right listed in general terms ("withdraw your
# consent to such processing").
_STOP_USE = cache.regex(r"\b(?:stop|not|cease|prevent|exclude|whether|limit|restrict)\b", re.IGNORECASE)
# "... when you give us consent to do so" after a verb of use: "do so" is that use.
_ASKED_TO = cache.regex(r"\b(?:consent|permission|authori[sz]ation|ask|asks|asked|instruct\w*|direct\w*|allow\w*|request\w*)(?:\s+us)?\s+$")
_USE_VERB = cache.regex(r"\b(?:use|uses|using|disclose|discloses|share|shares|sell|sells|transfer|transfers|process|processes|publish|publishes|display|displays)\b")
# A statement that names its own purpose, even one the vocabulary does not
# know, does not borrow the purposes of the statement before.
_OWN_PURPOSE = cache.regex(r"\bfor\s+the\s+(?:sole\s+|limited\s+|specific\s+)?purposes?\s+of\b|\bin\s+order\s+to\b")
_USE_NOUN = cache.regex(r"\b(?:processing|use)\b")
# A sentence that only says what the data of the use before it includes.
_ELABORATES = cache.regex(r"\s*(?:this|these|that|such)(?:\s+[\w-]+){0,2}?\s+(?:(?:may|can|will|also)\s+)?"
                          r"(?:includes?|covers?|consists?\s+of|comprises?)\b")
# After the user and their agreement, the subject of what they agree to: a
# capitalised name ("Customer agrees that Vendorly may ...").
_AGREES_THAT_NAME = cache.regex(
    r"\s+(?:hereby\s+|expressly\s+|further\s+)?(?:agrees?|acknowledges?|understands?|accepts?|consents?|confirms?)"
    r"(?:\s+and\s+(?:agrees?|acknowledges?|understands?|accepts?|consents?))?\s*,?\s+that\s+(?:the\s+)?[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2}\s*$")
# After "you", before a passive cue: a verb of its own ("the replies you receive
# may be used"), not a modal or a verb of agreeing ("you agree that ... may be used").
_CONTACT_CLAUSE = cache.regex(
    r"\s+(?!(?:may|must|will|shall|can|cannot|could|should|might|would|do|does|did|are|is|also|hereby|expressly"
    r"|further|agree|acknowledge|understand|consent|accept|authori[sz]e|allow|permit|confirm)\b)[a-z]+\b[^.;:]*$")
# "You may not and shall not use": a statement that starts after one of these shares the subject before it.
_SHARED_SUBJECT = cache.regex(r"\b(?:and|or|nor|but)\s+$")
# What an opt-out that cites other clauses must name (within 40 characters) to be about their uses.
_POINTED_USE = cache.regex(r"\b(?:uses?|using|processing|sharing|disclosures?)\b", re.IGNORECASE)
# What an opt-out points back at: "opt out of this use", "object to such
# processing", "opt out of this at any time" (not "opt out of this arbitration
# agreement": a thing of its own), or "turn it off".
_POINTS_BACK = cache.regex(
    r"\s*(?:(?:of|to|from)\s+)?(?:(?:this|that|these|those|such)(?:\s+(?:use|uses|processing|practice|practices|training"
    r"|sharing|collection|analysis|feature|setting))?|it)(?=\s*[.,;:)]|\s*$|\s+(?:at|in|on|by|through|via|from|using|any|anytime"
    r"|whenever|if|when|and|or|for|under|with)\b)", re.IGNORECASE)
# ... or, inside the opt-out's own words, "turn it off", "prevent this by ...".
_POINTS_BACK_IN = cache.regex(r"\b(?:turn|switch)\w*\s+(?:it|this|that|them)\s+off\b"
                              r"|\b(?:prevent|avoid|stop|limit|restrict)\s+(?:this|that|it)\b", re.IGNORECASE)
# "the data that we process": a subject inside a relative clause.
_RELATIVE_BEFORE = cache.regex(r"\b(?:that|which|whom?)\s+$")
# An opt-out worded as a condition ("if training is enabled, we use ..."):
# the company's use, not the user's statement.
_CONDITIONAL = cache.regex(r"(?:if|when|while|where|once|unless)\b")
_CONDITIONAL_BEFORE = cache.regex(  # "Unless you opt out, we use ...", "If you do not turn off ..."
    r"\b(?:if|unless|until|when|where|once)\s+(?:you|users?|customers?|the\s+user)\s+"
    r"(?:(?:do|does|have|has|choose|chooses|decide|decides)\s+(?:not\s+)?(?:to\s+)?)?$")
# "misrepresent AI Output in contexts where it could cause harm": the modal
# verb belongs to a clause about a thing, and starts no statement either.
_SUBORDINATE_THING = cache.regex(r"\b(?:where|wherever|when|whenever|if|in\s+which)\s+(?:it|they|this|these|those)\s+$")
# "If you would prefer that your chats are not used ..., turn off ...", "If you
# prefer that we don't, go to Settings": the "not" is the user's wish, and the
# statement is the instruction after it.
_USER_PREFERENCE = cache.regex(r"\b(?:if|should)\s+you\s+(?:would\s+)?(?:prefer|rather|wish|want|like)\b[^.;:,]{0,80}?"
                                r"\b(?:not\s+(?:be\s+)?\w+|(?:don|didn)['’]t\b)")
# "... the data of users who have not opted out": the "not" describes the
# users; the statement is the use, and the choice is its condition.
_CHOOSER_RELATIVE = cache.regex(r"\bwho\s+(?:have|has|had|do|does|did)\s+not\s+(?:yet\s+)?(?:opt(?:ed)?|turn(?:ed)?|switch(?:ed)?|chos(?:en|e)|choose|elect(?:ed)?|disabled?|object(?:ed)?|withdrawn?|unsubscribed?)\b")
# A prohibition its subject imposes on others ("we expressly prohibit any use ...").
_FORBIDS = cache.regex(r"(?:prohibit|forbid|preclude)s?")
_FORBIDDEN_PARTY_GAP = cache.regex(r"\s+(?:(?:its|our|their|the|any|all)\s+)?")
# "..., anonymised data, which we may use for any purpose": the statement is
# about the noun before the comma.
_NONRESTRICTIVE_RELATIVE = cache.regex(r"[\"”’)]?\s*,\s*(?:which|who)\s+(?:[\w'’-]+\s+){0,2}$")


def _modal_cues(text: str, low: str, s0: int, s1: int, vocab: Vocabulary, skip_grant: bool = False) -> list[_Mention]:
    cues: list[_Mention] = []
    # The user's wish, and a description of who chose, state no rule: no cue inside them.
    taken: list[tuple[int, int]] = [(w.start(), w.end()) for w in _USER_PREFERENCE.finditer(low, s0, s1)]
    taken += [(w.start(), w.end()) for w in _CHOOSER_RELATIVE.finditer(low, s0, s1)]
    for m in _MODALITY_PRIORITY:
        concept = vocab.modality.get(m)
        if concept is None or (m == GRANT and skip_grant):
            continue
        for a, b in concept.find(text, low, s0, s1):
            if _overlaps((a, b), taken):
                continue
            if m == PERMISSION and (_RESTRICTIVE_RELATIVE.search(low, max(s0, a - 8), a)
                                    or _SUBORDINATE_THING.search(low, max(s0, a - 20), a)):
                continue
            taken.append((a, b))
            cues.append(_Mention("modality", m, a, b))
    cues.sort(key=lambda c: c.start)
    return cues


def _segments(text: str, low: str, s0: int, s1: int, cues: list[_Mention], purposes: list[_Mention], vocab: Vocabulary) -> list[tuple[int, int, list[_Mention]]]:
    """Split a sentence into statements: a new one starts at a cue with a break before it.

    Words before the first cue form a statement of their own when a break
    separates them and they name a purpose ("We use X to train models; you
    can turn this off").
    """
    if not cues:
        return [(s0, s1, [])]
    if len(cues) == 1 and not any(p.start < cues[0].start for p in purposes):
        return [(s0, s1, list(cues))]  # one statement: no break can split it
    brk = [(m.start(), m.end()) for m in vocab.breaks.finditer(text, low, s0, s1)] if vocab.breaks else []
    segs: list[tuple[int, int, list[_Mention]]] = []
    cur_start = s0
    lead = [x for x in brk if x[1] <= cues[0].start]
    if lead and any(p.start < lead[-1][0] for p in purposes):
        segs.append((s0, lead[-1][0], []))
        cur_start = lead[-1][1]
    cur: list[_Mention] = []
    prev_end = s0
    for cue in cues:
        if cur:
            between = [x for x in brk if prev_end <= x[0] and x[1] <= cue.start]
            if between:
                b_start, b_end = between[-1]
                segs.append((cur_start, b_start, cur))
                cur_start, cur = b_end, []
        cur.append(cue)
        prev_end = cue.end
    segs.append((cur_start, s1, cur))
    return segs


def _pick_actor(text: str, low: str, seg: tuple[int, int], cue: _Mention | None, modality: str, actors: list[_Mention], vocab: Vocabulary) -> tuple[str, _Mention | None]:
    a, b = seg
    inside = [m for m in actors if a <= m.start < b]
    if modality == GRANT and cue is not None:
        # The grantee: "grants us", "grant to Zoom", "grants you".
        to_user = vocab.modality[GRANT].exclude if GRANT in vocab.modality else None
        if to_user is not None and to_user.search(text, low, a, min(b, cue.end + 30)):
            return USER, None
        after = [m for m in inside if m.start >= cue.end and m.start - cue.end <= 25]
        if after:
            return after[0].name, after[0]
        return COMPANY, None
    if cue is not None:
        rest = text[cue.end : b]
        if modality == PROHIBITION and _bans_others(text, seg, cue, inside, vocab):
            return USER, None
        if modality == PROHIBITION and _FORBIDS.fullmatch(low, cue.start, cue.end):
            # "Acme prohibits any use of its content for AI training": others are
            # forbidden, not Acme; "prohibits us from using": the one named after it.
            gap = _FORBIDDEN_PARTY_GAP.match(low, cue.end, b)
            after = [m for m in inside if gap and m.start == gap.end()]
            return (after[0].name, after[0]) if after else (USER, None)
        if modality == PROHIBITION and vocab.state_cues is not None and vocab.state_cues.search(text, cue.start, cue.end):
            # "Customer Content is excluded from training": the subject is the data.
            by = re.match(r"\s+by\s+(?:our\s+|its\s+|their\s+|the\s+)?", rest)
            if by:
                for m in inside:
                    if m.start == cue.end + by.end():
                        return m.name, m
            return COMPANY, None
        passive = vocab.passive is not None and vocab.passive.search(rest) is not None
        before = [m for m in inside if m.end <= cue.start]
        if passive:
            # "the replies you receive may be used": "you" is the subject of a
            # clause that names the data, not of the use.
            before = [m for m in before if not _CONTACT_CLAUSE.match(low, m.end, cue.start)]
        if before:
            if before[-1].name == USER and _AGREES_THAT_NAME.match(text, before[-1].end, cue.start):
                # "Customer agrees that Vendorly may use ...": a name the document
                # never introduced, as the subject after the user's agreement.
                return COMPANY, None
            return before[-1].name, before[-1]
        if passive:
            by = re.search(r"\bby\s+(?:our\s+|its\s+|their\s+|the\s+)?", rest)
            if by:
                for m in inside:
                    if m.start == cue.end + by.end():
                        return m.name, m
            return COMPANY, None
        return COMPANY, None
    if inside:
        return inside[0].name, inside[0]
    return COMPANY, None


# The name that gives a consent: "without Acme's consent", "... by Acme".
_NAMED_GIVER = cache.regex(r"\b[A-Z][\w&.-]*(?:\s+[A-Z][\w&.-]*){0,2}(?:['’]s\s|\s*$)")


def _bans_others(text: str, seg: tuple[int, int], cue: _Mention, actors: list[_Mention], vocab: Vocabulary) -> bool:
    """Whether a prohibition binds others, not the company (vocab/modality.yaml:
    `bans_on_others`, `acts_of_others`, `company_consents`)."""
    if vocab.bans_on_others is not None and vocab.bans_on_others.search(text, *seg):
        return True
    if vocab.acts_of_others is not None and vocab.acts_of_others.search(text, *seg):
        if not any(a.name == COMPANY and a.end <= cue.start for a in actors):
            return True  # "Scraping the Site is forbidden", not "We will never scrape ..."
    if vocab.company_consents is not None:
        for m in vocab.company_consents.finditer(text, *seg):
            # "without our written permission"; "without Acme's consent" when Acme is the company
            if not _NAMED_GIVER.search(m.group()) or any(
                    a.name == COMPANY and m.start() <= a.start < m.end() for a in actors):
                return True
    return False


def _partial(text: str, low: str, sentence: tuple[int, int], data: list[_Mention],
             vocab: Vocabulary) -> tuple[bool, list[str]]:
    """Whether a prohibition covers only part of the data, and the words of the part it names.

    Only named parts of customer content ("audio, video or chat content"), or
    all of its data but with an exception (no words then).
    """
    partial, terms = _named_part(text, data, vocab)
    if not partial and (ex := _EXCEPTED.search(low, *sentence)) is not None \
            and not _EXCEPTION_OPENS_NOTHING.search(ex.group(0)):
        return True, []
    return partial, terms


def _named_part(text: str, data: list[_Mention], vocab: Vocabulary) -> tuple[bool, list[str]]:
    """A prohibition that covers only named parts of customer content."""
    content = [d for d in data if d.name == "customer_content"]
    if not content:
        return False, []
    terms: list[str] = []
    for d in content:
        if _CATCH_ALL.search(text, max(0, d.start - 60), d.start):
            return False, []
        quals = list(d.qualifiers)
        if not quals:
            before = vocab.qualifier_run_before.search(text, max(0, d.start - 80), d.start)
            if before is None:
                # allow "your " / "the " between the qualifiers and the term
                pre = text[max(0, d.start - 80) : d.start]
                pre = re.sub(r"(?:\s+(?:your|the|any|our|their))?\s*$", "", pre)
                before = vocab.qualifier_run_before.search(pre)
            if before is not None:
                quals = [q.group(0).lower() for q in vocab.qualifier.finditer(before.group(0))]
            after = vocab.qualifier_after.match(text, d.end)
            if after is not None:
                quals += [q.group(0).lower() for q in vocab.qualifier.finditer(after.group(0))]
        if not quals and (scope := vocab.service_scope.match(text, d.end)) is not None:
            quals = [scope.group("scope")]  # "Content from Standard Services": other services' content is not covered
        if not quals:
            # (the mention may begin with the tier's noun: "customers' files")
            for scope in vocab.service_scope_before.finditer(text, max(0, d.start - 60), d.end):
                if scope.end() == d.start or scope.start() < d.start < scope.end():
                    quals = [scope.group("scope").lower()]
        if not quals:
            return False, []
        terms += quals
    out: list[str] = []
    for t in terms:
        if t not in out:
            out.append(t)
    return True, out


def _analyse_sentence(text: str, low: str, s0: int, s1: int, ctx: _Context, prev: list[_RawFact], cand: Set[str] | None = None) -> list[_RawFact]:
    """The facts of one sentence; `cand` limits the concepts searched (None: all)."""
    vocab = ctx.vocab
    # First the concepts that can make the sentence a fact; the others (such as
    # providing_service) only when one of those, or a grant word, is there.
    keys = [(f"{kind}:{n}", kind, n, c) for kind, group in (("purpose", vocab.purposes), ("condition", vocab.conditions))
            for n, c in group.items()]
    if cand is not None:
        keys = [x for x in keys if x[0] in cand]
    found: dict[str, list[tuple[int, int]]] = {}
    for k, _, _, c in keys:
        if k in vocab.trigger_concepts:
            found[k] = c.find(text, low, s0, s1)
    # Purposes that no concept's pattern names: a defined term's, and bare "training".
    implied = _term_purposes(text, s0, s1, ctx)
    if not found.get("purpose:ai_training") and (bare := _BARE_TRAINING.search(low, s0, s1)) is not None \
            and (_speaks_of_ai(text, low, ctx) or (_offers_choice(text, low, s0, s1, vocab)
                                                    and _document_speaks_of_ai(text, low, ctx))):
        # "Enterprise customers' data is never used for training." in a clause about
        # training models: the models' training, not staff's. So is a choice over it
        # anywhere in a document that speaks of AI training ("Your content is only used
        # for training if you turn on ..."), as with an opt-out from bare training.
        implied.append(_Mention("purpose", "ai_training", bare.start(), bare.end()))
    elif not found.get("purpose:ai_training") and (out := _OPTED_OUT_OF_TRAINING.search(low, s0, s1)) is not None \
            and _document_speaks_of_ai(text, low, ctx):
        implied.append(_Mention("purpose", "ai_training", out.start("what"), out.end("what")))
    if cand is not None and GRANT not in cand and not any(found.values()) and not implied:
        return []  # only purposes recorded beside others, such as providing_service
    for k, _, _, c in keys:
        if k not in found:
            found[k] = c.find(text, low, s0, s1)
    purposes = [_Mention(kind, n, a, b) for k, kind, n, _ in keys if kind == "purpose" for a, b in found[k]]
    purposes += implied
    conditions = [_Mention(kind, n, a, b) for k, kind, n, _ in keys if kind == "condition" for a, b in found[k]]
    skip_grant = cand is not None and GRANT not in cand
    if not purposes and not conditions:
        grant = vocab.modality.get(GRANT)
        if skip_grant or grant is None or not grant.find(text, low, s0, s1):
            return []
    cues = _modal_cues(text, low, s0, s1, vocab, skip_grant=skip_grant)
    has_grant = any(c.name == GRANT for c in cues)
    if not purposes and not conditions and not has_grant:
        return []
    data = _find_data(text, low, s0, s1, ctx, cand, owned=any(p.name == "ai_training" for p in purposes))
    actors = _find_actors(text, low, s0, s1, ctx, data)
    # Data set against what is used is not used: "trained on licensed data, not on
    # the content you upload" (after the actors: its "you" is no subject; before
    # the segment: the comma may end the one before).
    data = [d for d in data if not _CONTRASTED.search(low, max(0, d.start - 40), d.start)]
    overrides = [_Mention("override", re.sub(r"\W+", "_", m.group(0).lower()).strip("_"), m.start(), m.end())
                 for m in vocab.override.finditer(text, low, s0, s1)] if vocab.override else []
    facts: list[_RawFact] = []
    pointers: list[_RawFact] = []  # apart: what follows them does not borrow from them
    segs = _segments(text, low, s0, s1, cues, purposes, vocab)
    seg_actor: str | None = None  # the actor of the statement before, in this sentence
    for a, b, seg_cues in segs:
        def within(ms: list[_Mention]) -> list[_Mention]:
            return [m for m in ms if a <= m.start < b]

        seg_p, seg_c, seg_d = within(purposes), within(conditions), within(data)
        modality = PERMISSION
        cue: _Mention | None = None
        for m in _MODALITY_PRIORITY:
            hit = [c for c in seg_cues if c.name == m]
            if hit:
                modality, cue = m, hit[0]
                break
        if cue is not None and seg_d:
            rel = _NONRESTRICTIVE_RELATIVE.search(low, max(a, cue.start - 40), cue.start)
            if rel is not None:
                before_rel = [d for d in seg_d if d.end <= rel.start()]
                if before_rel and before_rel[-1].end == rel.start():
                    seg_d = [before_rel[-1]] + [d for d in seg_d if d.start >= cue.end]
        lic_mentions: list[_Mention] = []
        if modality == GRANT:
            lic_mentions = _find_license(text, low, a, b, vocab)
        actor, actor_m = _pick_actor(text, low, (a, b), cue, modality, actors, vocab)
        # "You may not and shall not use ...": a second modal verb after "and"
        # has the subject of the first.
        if actor_m is None and seg_actor is not None and _SHARED_SUBJECT.search(low, max(s0, a - 6), a):
            actor = seg_actor
        seg_actor = actor
        if not seg_p and vocab.purpose_references is not None:
            # "for that purpose", "to do so": the purposes named just before.
            ref = vocab.purpose_references.search(text, a, b)
            source = facts[-1] if facts else (prev[-1] if prev else None)
            # "Where processing is based on consent, withdraw your consent to
            # such processing": the processing named earlier in the sentence.
            if (ref is not None and ref.group(0).lower().endswith(("processing", "use", "uses"))
                    and _USE_NOUN.search(low, s0, ref.start())):
                ref = None
            # "We may disclose information to third parties when you give us
            # consent to do so": "do so" is the use named before it, not the
            # purposes of the statement before. ("We may use them to do so"
            # still borrows.)
            if (ref is not None and _ASKED_TO.search(low, max(a, ref.start() - 30), ref.start())
                    and _USE_VERB.search(low, a, ref.start())):
                ref = None
            # ("Where you give us permission to do so, we may disclose it for
            # the purpose of answering your request": a purpose of its own.)
            if ref is not None and source is not None and source.purposes and not _OWN_PURPOSE.search(low, a, b):
                seg_p = [_Mention("purpose", p, ref.start(), ref.end()) for p in sorted(source.purposes)]
        cond_names = {c.name for c in seg_c}
        # "To stop us using ..., email ...", "Turn off training in Settings":
        # an opt-out with no company subject before it is the user's. ("If
        # training is enabled, we use ...": a condition on the company's use.)
        opt_outs = [c.start for c in seg_c if c.name == "opt_out_available" and not _CONDITIONAL.match(low, c.start)
                    and not _CONDITIONAL_BEFORE.search(low, max(a, c.start - 40), c.start)]
        if cue is None and opt_outs:
            # ("Request erasure of the data that we process, or withdraw your
            # consent": "we" in a relative clause is no subject.)
            if not any(m.name != USER and a <= m.start < min(opt_outs)
                       and not _RELATIVE_BEFORE.search(low, max(a, m.start - 8), m.start) for m in actors):
                actor, actor_m = USER, None
        if not seg_p and not (modality == GRANT and (seg_d or actor != USER)):
            if cond_names and facts:
                _attach(facts[-1], seg_c)
            elif (cond_names and prev and any(vocab.conditions[c.name].strong for c in seg_c if c.name in vocab.conditions)
                  and (not seg_d or (actor == USER and _stops_that_use(text, seg_c, seg_d, prev[-1])))
                  and s0 - prev[-1].sentence[1] <= _CONDITION_REACH):
                _attach(prev[-1], [c for c in seg_c if vocab.conditions[c.name].strong])
            elif actor == USER and "opt_out_available" in cond_names:
                # (with who may make it: "If you live in the EEA, you can opt out of this")
                opt_out = [m for m in seg_c if m.name in ("opt_out_available", "only_some_users")]
                pointers.append(_RawFact(PERMISSION, USER, {d.name for d in seg_d}, set(), {m.name for m in opt_out}, None,
                                         opt_out + seg_d, (s0, s1), pointer=True,
                                         names_use=any(_POINTED_USE.search(text, m.start, m.end + 40)
                                                       for m in opt_out if m.name == "opt_out_available"),
                                         points_back=not prev and not facts and any(
                                             _POINTS_BACK.match(text, m.end) or _POINTS_BACK_IN.search(text, m.start, m.end)
                                             for m in opt_out if m.name == "opt_out_available")))
            continue
        inherited: set[str] = set()
        inherited_conds: set[str] = set()
        if (not seg_d and not _FEEDBACK_POINTER.search(low, a, b)
                and not (ctx.feedback_terms is not None and ctx.feedback_terms.search(text, a, b))):
            # "it", "such data": the data named just before. (Not "such feedback":
            # feedback is under its own licence, whatever was named before.)
            source = facts[-1] if facts else None
            if (source is None and prev and vocab.pronouns is not None and vocab.pronouns.search(text, a, b)
                    and not (_FEEDBACK_OFFER.search(low, s0, b) and not _THAT_CONTENT.search(low, a, b))):
                # (not after feedback: "if you provide feedback or suggestions, we can
                # use them without any restriction" is about the feedback; "such
                # content" still names content)
                source = prev[-1]
                # "We may de-identify the information we collect. We may use such data
                # for any purpose": "such data" is what a sentence (or the part of this
                # one) after the last fact made de-identified (only then: the nearest
                # data named is too often not what "such data" stands for).
                if _DATA_PRONOUN.search(low, a, b):
                    between = _deidentified_between(text, low, max(source.sentence[1], a - _CONDITION_REACH), a, ctx)
                    if between is not None:
                        inherited, inherited_conds = between
                        source = None
            elif source is None and not prev and a > 0 and _THAT_CONTENT.search(low, a, b):
                # "You keep the rights in the content you submit. You grant us a
                # licence to use that content ...": the content named just before
                # (in this sentence or the one before), though no use was stated.
                named = _find_data(text, low, max(0, s0 - _CONDITION_REACH), a, ctx)
                between = (_deidentified_between(text, low, max(0, a - _CONDITION_REACH), a, ctx)
                           if named and _DATA_PRONOUN.search(low, a, b) else None)
                if between is not None:
                    # "We may create de-identified data from your content, and use that
                    # data for any purpose": what was made de-identified
                    inherited, inherited_conds = between
                elif named:
                    inherited = {named[-1].name}
            elif (source is None and not prev and a > 0 and (use := _USE_PRONOUN.search(low, a, b)) is not None
                  and not _FEEDBACK_WORDS.search(low, s0, use.start())):
                # "You may upload recordings of your lessons. We may use them to
                # train ...": "them" is what the sentence (or the part of this
                # one) before ended on: "Your prompts stay yours: we don't train
                # on them". (Not anything further back: "If you submit ideas, you
                # give us permission to use them" is about the ideas.)
                named = _find_data(text, low, max(0, a - _CONDITION_REACH), a, ctx)
                if named and len(_WORD.findall(text, named[-1].end, a)) <= 6 and not _SENTENCE_END.search(
                        text, named[-1].end, max(named[-1].end, a - 2)):
                    inherited = {named[-1].name}
                elif (_ALSO_USE.search(low, a, use.end()) and (used := [
                        d for d in named if _USED_BEFORE.search(low, max(0, d.start - 12), d.start)
                        and not _SENTENCE_END.search(text, d.end, max(d.end, a - 2))])):
                    # "We use your CV and interview recordings to assess your
                    # application. We may also use them to train ...": what the
                    # sentence before used, though a list or a purpose followed it.
                    inherited = {used[-1].name}
            if source is not None:
                inherited = set(source.data)
                # "de-identified" describes the data, so it comes along with it
                inherited_conds = source.conditions & {_DEIDENTIFIED}
            if inherited and _DEIDENTIFIED in cond_names:
                # "Once information has been de-identified, we can use it for any
                # purpose": what "it" stands for is de-identified now.
                inherited.add("deidentified_data")
        if actor == USER:
            cond_names.discard("deemed_consent")
            seg_c = [c for c in seg_c if c.name != "deemed_consent"]
        evidence: list[_Mention] = []
        if cue is not None:
            evidence.append(cue)
        if actor_m is not None:
            evidence.append(actor_m)
        evidence += seg_d + seg_p + seg_c + lic_mentions + within(overrides)
        license = None
        if modality == GRANT:
            license = License(**{m.name: True for m in lic_mentions if m.kind == "license"})
            if any(m.kind == "limited" for m in lic_mentions):
                license.limited_to_service = True
        partial, data_terms = False, list[str]()
        if modality == PROHIBITION:
            partial, data_terms = _partial(text, low, (s0, s1), seg_d, vocab)
        # "data that we license from third parties": where the data came from, not who gets it
        third = any(m.name == THIRD_PARTY and not _FROM_BEFORE.search(low, max(a, m.start - 8), m.start)
                    for m in actors if a <= m.start < b and m is not actor_m)
        beneficiaries: set[str] = set()
        if actor != USER:
            beneficiaries.add(actor)
            if third or "sharing" in {p.name for p in seg_p}:
                beneficiaries.add(THIRD_PARTY)
        fact_data = {d.name for d in seg_d} | inherited
        if (actor == USER and seg_d and {c.name for c in seg_c} & _CHOICES
                and all(_ALL_USER_DATA.fullmatch(text, d.start, d.end) for d in seg_d)):
            fact_data = set()  # a choice over "your information" is over everything of the user's
        facts += _split_parallel_uses(
            text, low, seg_d, seg_p, vocab,
            _RawFact(
                modality=modality,
                actor=actor,
                data=fact_data,
                purposes={p.name for p in seg_p},
                conditions={c.name for c in seg_c} | inherited_conds,
                license=license,
                evidence=evidence,
                sentence=(s0, s1),
                partial=partial,
                data_terms=data_terms,
                beneficiaries=beneficiaries,
            ),
        )
    return facts + pointers



# "We use A to do X, and B to do Y": each data mention that starts a pair of
# its own, after a comma or "and", and is followed by "to" and a verb.
_PAIR_BEFORE = cache.regex(r"(?:,\s*(?:and\s+|or\s+)?|\s(?:and|or)\s+)(?:the\s+|your\s+|any\s+|our\s+)?$")
_PAIR_AFTER = cache.regex(
    r"\s*(?:\([^()]{0,60}\)\s*)?(?:[\w-]+\s+)?(?:in\s+order\s+)?to\s+"
    r"(?!(?:the|our|us|you|your|them|it|this|that|these|those|third|any|a|an|other|its|their|whom|which|such)\b)[a-z]")


def _split_parallel_uses(text: str, low: str, data: list[_Mention], purposes: list[_Mention], vocab: Vocabulary, fact: _RawFact) -> list[_RawFact]:
    """One fact per pair in "we use A to do X, B to do Y and C to do Z"; else [fact].

    Each data mention that heads a pair gets the purposes up to the next
    pair: "We use your content to host the Services and usage data to train
    our models" trains on usage data only. The modal verb, the actor and the
    conditions are the whole statement's.
    """
    if len(data) < 2 or len(purposes) < 2 or not fact.data:
        return [fact]
    heads = [d for d in data if _PAIR_AFTER.match(low, d.end)]
    # where the second and later pairs start (the first keeps all before them)
    starts = [d.start for d in heads[1:] if _PAIR_BEFORE.search(low, max(0, d.start - 14), d.start)]
    if not starts:
        return [fact]
    bounds = list(zip([0] + starts, starts + [len(text)]))
    # every pair has a purpose of its own; otherwise the reading is wrong
    if not all(any(a <= p.start < b for p in purposes) for a, b in bounds):
        return [fact]
    out = []
    for a, b in bounds:
        part_d = [d for d in data if a <= d.start < b]
        part_p = [p for p in purposes if a <= p.start < b]
        dropped = {id(m) for m in data + purposes} - {id(m) for m in part_d + part_p}
        partial, data_terms = (_partial(text, low, fact.sentence, part_d, vocab) if fact.modality == PROHIBITION
                               else (False, list[str]()))
        out.append(replace(
            fact,
            data={d.name for d in part_d},
            purposes={p.name for p in part_p},
            conditions=set(fact.conditions),
            evidence=[e for e in fact.evidence if id(e) not in dropped],
            partial=partial,
            data_terms=data_terms,
            beneficiaries=set(fact.beneficiaries),
        ))
    return out


# "that content", "such information": data named before, pointed back to.
_THAT_CONTENT = cache.regex(r"\b(?:such|this|that|these|those|the\s+same)\s+(?:content|data|information|materials?|submissions?|files|uploads|works|items)\b")
# What a use is of, by a word that points back: "use them", "to display such designs".
_USE_PRONOUN = cache.regex(
    r"\b(?:use|uses|using|used|process|processes|processing|analy[sz]e|analy[sz]ing|reproduce|display|distribute"
    r"|modify|copy|exploit|train\s+on)\s+(?:all\s+(?:of\s+)?)?(?:it|them|(?:such|these|those)\s+[a-z][\w-]*s)\b")
# Feedback is under its own licence: "such feedback" does not point back to content,
# and "them" after "If you send us ideas" is the ideas.
_FEEDBACK = r"(?:feedback|suggestions|ideas|proposals|recommendations)"
_FEEDBACK_WORDS = cache.regex(rf"\b(?:{_FEEDBACK}|comments)\b")
_FEEDBACK_OFFER = cache.regex(
    rf"\b(?:if|when|where|should)\s+you\s+(?:\w+\s+){{0,3}}?(?:provide|send|submit|give|share|offer|volunteer)\w*\s+"
    rf"(?:us\s+)?(?:with\s+)?(?:any\s+)?{_FEEDBACK}\b")
_FEEDBACK_POINTER = cache.regex(rf"\b(?:such|this|that|these|those|the|any|your)\s+{_FEEDBACK}\b")
# "We may also use them": the data the sentence before used.
_ALSO_USE = cache.regex(r"\balso\s+(?:use|process|analy[sz]e)\b")
_USED_BEFORE = cache.regex(r"\b(?:use|uses|process|processes|analy[sz]es?)\s+$")
# Words, and the end of a sentence: how far back "them" may point.
_WORD = cache.regex(r"[\w'’-]+")
_SENTENCE_END = cache.regex(r"[.;:!?](?:\s|$)")
_DATA_PRONOUN = cache.regex(r"\b(?:such|this|these|that|those)\s+(?:de-?identified\s+|aggregated?\s+|anonymi[sz]ed\s+)?(?:data|information|records|datasets?|statistics)\b")


def _deidentified_between(text: str, low: str, a: int, b: int, ctx: _Context) -> tuple[set[str], set[str]] | None:
    """The data text[a:b] names as made de-identified (and the condition); None if it makes none so."""
    deid = ctx.vocab.conditions.get(_DEIDENTIFIED)
    if b - a < 10 or deid is None or not deid.find(text, low, a, b):
        return None
    data = {d.name for d in _find_data(text, low, a, b, ctx)}
    return data | {"deidentified_data"}, {_DEIDENTIFIED}


def _stops_that_use(text: str, conds: list[_Mention], data: list[_Mention], use: _RawFact) -> bool:
    """Whether an opt-out that names data asks to stop the use just before, of the same data.

    "We may use your chats to train our models. You can ask us to stop using
    your chats." (Not "... withdraw your consent to the processing of your
    personal data", a right stated in general terms.)
    """
    return (bool({d.name for d in data} & use.data)
            and any(c.name == "opt_out_available" and _STOP_USE.search(text, c.start, c.end) for c in conds))


def _add_elaborated_data(fact: _RawFact, text: str, low: str, s0: int, s1: int, ctx: _Context,
                         cand: Set[str] | None) -> None:
    """"We use information ... to develop AI. This includes public posts and
    comments.": a sentence that only lists what the data of the use just
    before includes adds it to that use."""
    # (Only a use that names data: "... for any purpose. This includes misrepresenting
    # your location" lists conduct, not data.)
    if fact.actor == USER or not fact.purposes or not fact.data or s0 - fact.sentence[1] > _CONDITION_REACH:
        return
    data = _find_data(text, low, s0, s1, ctx, cand)
    fact.data |= {d.name for d in data}
    fact.evidence += data


def _attach(fact: _RawFact, conds: list[_Mention]) -> None:
    for c in conds:
        if c.name == "deemed_consent" and fact.actor == USER:
            continue
        fact.conditions.add(c.name)
        fact.evidence.append(c)


def _link_opt_outs(facts: list[_RawFact]) -> None:
    """A user's opt-out from a use also conditions the company's fact for that use."""
    for i, f in enumerate(facts):
        if f.actor != USER or "opt_out_available" not in f.conditions:
            continue
        if "only_some_users" in f.conditions:
            continue  # "Enterprise admins can turn training off": not a choice for everyone (the rules weigh it)
        for g in facts[:i]:
            if g.actor == USER or g.modality not in (GRANT, PERMISSION):
                continue
            if f.purposes and "ai_training" in g.purposes - f.purposes and not _names_that_use(f, g):
                continue  # opting out of marketing is no choice over training
            if g.purposes & f.purposes or (not f.purposes and f.sentence[0] - g.sentence[1] <= _CONDITION_REACH):
                g.conditions.add("opt_out_available")


# What a use that includes training may be called by: "Our systems analyse your
# Content with machine learning to improve the Services. You may opt out of
# content analysis." (Not marketing: opting out of it is no choice over training.)
_USE_NAMES = frozenset({"analytics", "product_improvement", "research"})


def _names_that_use(opt_out: _RawFact, use: _RawFact) -> bool:
    """Whether an opt-out just after a use names that use by one of its broad purposes."""
    return (opt_out.purposes <= use.purposes & _USE_NAMES and opt_out.data <= use.data
            and 0 <= opt_out.sentence[0] - use.sentence[1] <= _CONDITION_REACH)


# --------------------------------------------------------------------------
# Positions


@dataclass(slots=True)
class _Piece:
    start: int  # offset in the analysed text
    end: int
    clause: Clause | None
    offset: int  # the offset in clause.text that `start` corresponds to


class _Locator:
    """Turns offsets in the analysed text into file lines and columns."""

    def __init__(self, pieces: list[_Piece], lines: Sequence[str]) -> None:
        self.pieces = pieces
        self.starts = [p.start for p in pieces]
        self.lines = lines
        self._line_offsets: dict[int, list[int]] = {}  # id(clause) -> offsets of its text lines
        self._spans: dict[tuple[int, int], Span] = {}  # facts of one sentence share evidence

    def piece(self, off: int) -> _Piece:
        i = max(0, bisect.bisect_right(self.starts, off) - 1)
        return self.pieces[i]

    def _pos(self, off: int) -> tuple[int, int | None]:
        p = self.piece(off)
        c = p.clause
        if c is None:
            return 1, off + 1
        coff = p.offset + (off - p.start)
        ls = c.line_starts
        if not ls:
            return c.span.start_line, None
        offsets = self._line_offsets.get(id(c))
        if offsets is None:
            offsets = self._line_offsets[id(c)] = [x[0] for x in ls]
        i = max(0, bisect.bisect_right(offsets, coff) - 1)
        o, line, col = ls[i]
        return line, col + (coff - o)

    def span(self, text: str, a: int, b: int) -> Span:
        found = self._spans.get((a, b))
        if found is None:
            found = self._spans[(a, b)] = self._span(text, a, b)
        return found

    def _span(self, text: str, a: int, b: int) -> Span:
        l1, c1 = self._pos(a)
        l2, c2 = self._pos(max(a, b - 1))
        words = text[a:b]
        if c1 is not None and c2 is not None and self.lines:
            if l1 == l2:
                found = _locate(self.lines, l1, words, c1)
                if found is not None:
                    return Span(l1, l1, found[0], found[1])
            else:
                first = words.split("\n", 1)[0]
                last = words.rsplit("\n", 1)[-1]
                f = _locate(self.lines, l1, first, c1)
                g = _locate(self.lines, l2, last, c2 - len(last) + 1)
                if f is not None:
                    c1 = f[0]
                if g is not None:
                    c2 = g[1]
        if c1 is None or c2 is None or not self._inside(l1, c1) or not self._inside(l2, c2):
            return Span(l1, l2)  # the words were not found where the text says: lines only
        return Span(l1, l2, c1, c2)

    def _inside(self, line: int, col: int) -> bool:
        """Is `col` a column of the raw line (or just past its end)? True when lines are unknown."""
        if not self.lines:
            return True
        return 1 <= line <= len(self.lines) and 1 <= col <= len(self.lines[line - 1]) + 1

    def in_clause(self, off: int, clause: Clause) -> bool:
        return self.piece(off).clause is clause


def _locate(lines: Sequence[str], line: int, words: str, guess_col: int) -> tuple[int, int] | None:
    """Columns (1-based, inclusive) of `words` in the raw line nearest `guess_col`.

    The clause text has inline Markdown stripped, so the raw line may hold
    `**Customer Content**` where the text holds `Customer Content`.
    """
    if not (1 <= line <= len(lines)) or not words.strip():
        return None
    raw = lines[line - 1]
    # The occurrence nearest the guess: the last one that starts before it or
    # the first one that starts at or after it (the earlier one on a tie).
    g = max(0, guess_col - 1)
    before = raw.rfind(words, 0, g + len(words) - 1) if g else -1
    after = raw.find(words, g)
    if before >= 0 or after >= 0:
        if before < 0 or (after >= 0 and abs(after + 1 - guess_col) < abs(before + 1 - guess_col)):
            best = after
        else:
            best = before
        return best + 1, best + len(words)
    # Look near the guess in the line with its inline Markdown removed, mapping back.
    lo = max(0, guess_col - 1 - 3 * len(words) - 200)
    plain, index = _plain_line(raw[lo : guess_col + 3 * len(words) + 200])
    index = [k + lo for k in index]
    target = " ".join(words.split())
    hits = []
    i = plain.find(target)
    while i >= 0:
        hits.append(i)
        i = plain.find(target, i + 1)
    if not hits:
        return None
    best = min(hits, key=lambda h: abs(index[h] + 1 - guess_col))
    return index[best] + 1, index[best + len(target) - 1] + 1


_MD_INLINE = cache.regex(r"\]\([^)]*\)|[*_`~\[\]]|\\(?=[^\w\s])")


_SPACES = cache.regex(r"\s+")


def _plain_line(raw: str) -> tuple[str, list[int]]:
    """The line without inline Markdown (emphasis, code, link syntax), spaces collapsed,
    and for each kept character its index in the raw line."""
    pieces: list[str] = []
    index: list[int] = []
    pos = 0
    for m in _MD_INLINE.finditer(raw):
        pieces.append(raw[pos : m.start()])
        index.extend(range(pos, m.start()))
        pos = m.end()
    pieces.append(raw[pos:])
    index.extend(range(pos, len(raw)))
    kept = "".join(pieces)
    # Collapse each run of white space to one space, at its first character.
    out: list[str] = []
    out_index: list[int] = []
    pos = 0
    for m in _SPACES.finditer(kept):
        out.append(kept[pos : m.start()])
        out_index.extend(index[pos : m.start()])
        out.append(" ")
        out_index.append(index[m.start()])
        pos = m.end()
    out.append(kept[pos:])
    out_index.extend(index[pos:])
    return "".join(out), out_index


# --------------------------------------------------------------------------
# Driving


def _ai_training_within(raw: _RawFact, text: str, vocab: Vocabulary) -> list[str]:
    """The purposes `raw` names AI training as part of, for a choice over them.

    "We may use your Content to improve our products, including to train our
    models": an opt-out of product improvement stops that training too, and
    "analyze your Content using machine learning" is analytics done by
    training. (A purpose merely listed beside it is not: opting out of
    marketing leaves "for marketing and to train our models" untouched.)
    """
    ai = [m for m in raw.evidence if m.kind == "purpose" and m.name == "ai_training"]
    if not ai or vocab.ai_part_of is None:
        return []
    others = [m for m in raw.evidence if m.kind == "purpose" and m.name not in ("ai_training", "any_purpose")]
    within: set[str] = set()
    for m in others:
        for x in ai:
            # x may be the very phrase m is in ("for analytics, which includes training").
            if x.end <= m.end or x.start > m.end + 60:
                continue
            link = vocab.ai_part_of.match(text, m.end, x.end)  # (vocab/text.yaml)
            if link is not None and not any(m.end <= o.start < link.end() for o in others):
                within.add(m.name)
    return sorted(within)


def _to_fact(raw: _RawFact, text: str, loc: _Locator, own: Clause | None, vocab: Vocabulary) -> Fact:
    if "only_some_users" in raw.conditions:
        if raw.modality == PROHIBITION and raw.actor != USER:
            # A promise to only some users ("If you are on a Team plan, we will
            # not train on your Content", "Acme does not train on data from
            # users in the EU") leaves the others' data open: it is partial.
            raw.partial = True
        elif not raw.conditions & _CHOICES:
            # Who may choose matters on a choice only (an opt-out, or consent
            # asked of "users in the EEA"); elsewhere the words name no one apart.
            raw.conditions.discard("only_some_users")
            raw.evidence = [m for m in raw.evidence if m.name != "only_some_users"]
    ev: list[Evidence] = []
    seen: set[tuple[str, int, int]] = set()
    for m in sorted(raw.evidence, key=lambda m: m.start):
        concept = {
            "data": "data",
            "purpose": "purpose",
            "condition": "condition",
            "modality": "modality",
            "actor": "actor",
            "license": "license",
            "limited": "license",
            "override": "override",
        }[m.kind] + ":" + (raw.modality if m.kind == "modality" else m.name)
        key = (concept, m.start, m.end)
        if key in seen:
            continue
        seen.add(key)
        ev.append(Evidence(concept, text[m.start : m.end], loc.span(text, m.start, m.end)))
    s0, s1 = raw.sentence
    if own is not None:
        # The fact's span is the part of the sentence in its own clause.
        own_pieces = [p for p in loc.pieces if p.clause is own and p.start < s1 and s0 < p.end]
        if own_pieces:
            s0 = max(s0, own_pieces[0].start)
    sentence = " ".join(text[raw.sentence[0] : raw.sentence[1]].split())
    return Fact(
        modality=raw.modality,
        actor=raw.actor,
        data=sorted(raw.data),
        purposes=sorted(raw.purposes),
        license=raw.license,
        conditions=sorted(raw.conditions),
        evidence=ev,
        span=loc.span(text, s0, s1),
        text=sentence,
        partial=raw.partial,
        data_terms=list(raw.data_terms),
        beneficiaries=sorted(raw.beneficiaries),
        ai_training_within=_ai_training_within(raw, text, vocab),
    )


def _analyse(text: str, ctx: _Context, skip_before: int = 0, use_prefilter: bool = True,
             rows: Sequence[TableRow] = (), blocks: Mapping[int, bool] | None = None) -> list[_RawFact]:
    """Facts of `text`; sentences ending before `skip_before` (a lead-in's own text) yield none.

    `rows`: the table rows in `text`; `blocks`: where its paragraphs and list items start.
    """
    vocab = ctx.vocab
    hits: list[tuple[int, frozenset[str], bool]] = []
    low = _mask_ai_in_names(text, lower_same_length(text), ctx)
    if use_prefilter:
        hits = vocab.keyword_hits(text, low)
        if not vocab.always_trigger and not any(t for _, _, t in hits) and ctx.purpose_defined is None:
            return []
    sentences = _sentences(text, vocab, rows, blocks or {})
    facts: list[_RawFact] = []
    pointers: list[_RawFact] = []  # kept apart, as in _analyse_sentence
    hi = 0
    for s0, s1 in sentences.spans:
        if s1 <= skip_before:
            continue
        if s1 < len(text) and text[s1] == "\n" and _heading_line(text, s1, blocks) and (s0, s1) not in sentences.rows:
            continue  # a heading line ("Analytics", "Use of your data for marketing") states nothing
        cand: set[str] | None = None
        trig = True
        if use_prefilter:
            while hi < len(hits) and hits[hi][0] < s0:
                hi += 1
            cand = set(vocab.always)
            trig = vocab.always_trigger
            j = hi
            while j < len(hits) and hits[j][0] < s1:
                cand |= hits[j][1]
                trig = trig or hits[j][2]
                j += 1
            # "for the Permitted Purposes": the purposes are in the term's definition
            trig = trig or (ctx.purpose_defined is not None and ctx.purpose_defined.search(text, s0, s1) is not None)
        answer = sentences.answers.get((s0, s1))
        if answer is not None:
            facts += _answer_row_fact(text, low, (s0, s1), answer, ctx)
            continue
        elaborates = bool(facts) and _ELABORATES.match(low, s0) is not None
        if not trig and not elaborates:
            continue
        found = _analyse_sentence(text, low, s0, s1, ctx, facts, cand)
        if not found and elaborates:
            _add_elaborated_data(facts[-1], text, low, s0, s1, ctx, cand)
        if (s0, s1) in sentences.rows:
            found = [f for f in found if not f.pointer]  # a row states a use; its cells point nowhere
            _table_row_facts(found, sentences.consent.get((s0, s1)), text, s0, s1)
        facts.extend(f for f in found if not f.pointer)
        pointers.extend(f for f in found if f.pointer)
    _link_opt_outs(facts)
    facts += pointers
    # Facts made only of the lead-in's own words belong to the parent.
    if skip_before:
        facts = [f for f in facts if any(m.start >= skip_before for m in f.evidence if m.kind != "actor")]
    return facts


def _mask_ai_in_names(text: str, low: str, ctx: _Context) -> str:
    """`low` with "AI" blanked out of the company's own names ("Mistral AI Products").

    The patterns read `low`, and the company's name is no purpose: "improving
    Mistral AI Products" is product improvement, not AI training.
    """
    if ctx.company_ai is None:
        return low
    spans = [(m.start() + a.start(), m.start() + a.end())
             for m in ctx.company_ai.finditer(text) for a in _AI_WORD.finditer(m.group(0))]
    if not spans:
        return low
    chars = list(low)
    for a, b in spans:
        chars[a:b] = "x" * (b - a)
    return "".join(chars)


def _answer_row_fact(text: str, low: str, row: tuple[int, int],
                     answer: tuple[tuple[int, int], tuple[int, int], re.Match[str]], ctx: _Context) -> list[_RawFact]:
    """A row of a table that answers "Used to train models?": "| Your messages | Yes, unless
    you turn it off in Settings |" lets the company train on the messages, with the
    choices its answer names; "No" is a promise."""
    (d0, d1), (c0, c1), word = answer
    data = _find_data(text, low, d0, d1, ctx, owned=True)
    if not data:
        return []
    conds = [_Mention("condition", n, a, b) for n, c in ctx.vocab.conditions.items() for a, b in c.find(text, low, c0, c1)]
    yes = word.group(1).lower() == "yes"
    modality = PERMISSION if yes else PROHIBITION
    partial, data_terms = (False, list[str]()) if yes else _partial(text, low, row, data, ctx.vocab)
    return [_RawFact(modality=modality, actor=COMPANY, data={d.name for d in data}, purposes={"ai_training"},
                     conditions={c.name for c in conds}, license=None,
                     evidence=[*data, _Mention("purpose", "ai_training", word.start(1), word.end(1)), *conds],
                     sentence=row, partial=partial, data_terms=data_terms, beneficiaries={COMPANY})]


# What a data column of a chatbot's purpose table calls the user's content,
# with no "your" before it: "| Training our AI models | Prompts, conversations |".
_ROW_CONTENT = cache.regex(
    r"(?:(?<=[|,;/])|(?<=\band\s))\s*((?:user\s+)?(?:prompts|inputs|outputs|conversations|chats|chat\s+history|messages|uploads"
    r"|files|documents|recordings|transcripts|images|photos|videos|content))\b", re.IGNORECASE)


def _table_row_facts(facts: list[_RawFact], consent: tuple[int, int] | None, text: str, s0: int, s1: int) -> None:
    """A purpose-table row states what the company does with the data in it.

    "User" in the data column ("User Generated Content") is not the subject; a
    legal basis of consent (`consent`: that cell) is an opt-in. A row about AI
    training that lists "Prompts" or "Conversations" as items of a cell lists
    the user's content.
    """
    for f in facts:
        if f.actor == USER:
            f.actor = COMPANY
            f.evidence = [m for m in f.evidence if m.kind != "actor"]
        if ("ai_training" in f.purposes and "customer_content" not in f.data
                and (m := _ROW_CONTENT.search(text, s0, s1)) is not None):
            f.data.add("customer_content")
            f.evidence.append(_Mention("data", "customer_content", m.start(1), m.end(1)))
        if consent is not None and f.purposes:
            f.conditions.add("opt_in_consent")
            f.evidence.append(_Mention("condition", "opt_in_consent", *consent))


def _dedupe(facts: list[Fact]) -> list[Fact]:
    out: list[Fact] = []
    seen: set[tuple[Any, ...]] = set()
    for f in facts:
        k = f.key() + (f.text, f.partial)
        if k in seen:
            continue
        seen.add(k)
        out.append(f)
    return out


def clause_tags(facts: Iterable[Fact]) -> list[str]:
    """The flat union of the facts' concepts, for simple policies."""
    tags: set[str] = set()
    for f in facts:
        tags.add(f.modality)
        tags.update(f.data)
        tags.update(f.purposes)
        tags.update(f.conditions)
        if f.license is not None:
            tags.add("license")
            tags.update(f.license.scope_words())
            if f.license.limited_to_service:
                tags.add("limited_to_service")
        if "opt_out_available" in f.conditions:
            tags.add("opt_out")
        if f.partial:
            tags.add("partial")
        if any(e.concept.startswith("override:") for e in f.evidence):
            tags.add("override")
    return sorted(tags)


def annotate_document(doc: Document, vocab: Vocabulary) -> None:
    """Fill every clause's `facts` and `tags`, and each definition's `category`."""
    ctx = _build_context(vocab, doc.definitions, doc)
    by_id = {c.id: c for c in doc.clauses}
    # For a clause that ends with a lead-in: the pieces its children continue from.
    lead: dict[str, list[tuple[str, Clause, int]]] = {}
    # A lead-in with no children of its own ("The following is not permitted:"
    # closing a preamble) is continued by the untitled items after it, up to a
    # titled one: by parent id ("" at the top level).
    sibling_lead: dict[str, list[tuple[str, Clause, int]]] = {}
    parents = {c.parent for c in doc.clauses}
    pointers: list[tuple[Clause, Fact, bool, bool]] = []  # (where, the opt-out, names_use, points_back)
    for clause in doc.clauses:
        prefix = lead.get(clause.parent or "", []) if clause.parent in by_id else []
        if clause.title is not None:
            sibling_lead.pop(clause.parent or "", None)
        elif not prefix:
            prefix = sibling_lead.get(clause.parent or "", [])
        pieces: list[_Piece] = []
        parts: list[str] = []
        pos = 0
        for ptext, pclause, poff in prefix:
            pieces.append(_Piece(pos, pos + len(ptext), pclause, poff))
            parts.append(ptext + " ")
            pos += len(ptext) + 1
        own_start = pos
        pieces.append(_Piece(pos, pos + len(clause.text), clause, 0))
        parts.append(clause.text)
        text = "".join(parts)
        loc = _Locator(pieces, doc.lines)
        blocks = block_breaks(clause, doc.lines)
        raw = _analyse(text, ctx, skip_before=own_start if prefix else 0,
                       rows=[r.moved(own_start) for r in clause.table_rows],
                       blocks={k + own_start: v for k, v in blocks.items()})
        converted = [(r, _to_fact(r, text, loc, clause, vocab)) for r in raw]
        clause.facts = _dedupe([f for _, f in converted])
        kept = {id(f) for f in clause.facts}
        pointers += [(clause, f, r.names_use, r.points_back and not prefix) for r, f in converted
                     if r.pointer and id(f) in kept]
        if _restriction_list(clause, by_id, vocab):
            _forbid_imperatives(clause.facts, vocab)
        basis = _consent_basis_heading(clause, by_id, vocab)
        if basis is not None:
            _uses_by_consent(clause.facts, basis)
        clause.tags = clause_tags(clause.facts)
        # Does this clause end with a lead-in its children continue?
        stripped = clause.text.rstrip()
        if stripped and vocab.lead_in is not None and vocab.lead_in.search(stripped[-80:]):
            sents = split_sentences(clause.text, vocab, blocks)
            if sents:
                a, b = sents[-1]
                lead[clause.id] = (prefix + [(clause.text[a:b], clause, a)])[-3:]
                if clause.id not in parents:
                    sibling_lead[clause.parent or ""] = lead[clause.id]
    if pointers:
        _resolve_pointers(pointers, doc, by_id, vocab)


def _resolve_pointers(pointers: list[tuple[Clause, Fact, bool, bool]], doc: Document, by_id: Mapping[str, Clause],
                      vocab: Vocabulary) -> None:
    """Give each opt-out that names no purpose the purposes of what it points at, or drop it.

    It points at the clauses its sentence cites ("You may opt out of the uses
    described in Section 4.2": the uses in 4.2 and its sub-clauses, and their
    data when it names none), or else at AI training named in the title above
    it ("Model training choices": "You can turn this off in Settings"), or
    else, when it opens its clause with "this use" or "it", at the last use
    of the clause just before ("4.1 We may train our models on Customer
    Content. 4.2 You can opt out of this use in Settings.").
    (Not at the clauses that cite its own: a "Your rights" section is cited
    from every use, and a right to object is no choice over each of them.)
    """
    subtree: dict[str, list[Clause]] = {}  # clause id -> the clause and its sub-clauses
    for c in doc.clauses:
        for cid in c.path:
            subtree.setdefault(cid, []).append(c)
    ai = vocab.purposes.get("ai_training")
    before = {c.id: b for b, c in zip(doc.clauses, doc.clauses[1:])}
    for clause, fact, names_use, points_back in pointers:
        purposes: set[str] = set()
        data: set[str] = set()
        if names_use:  # ("opt out of the arbitration agreement, as explained in Section 20" points nowhere)
            cited = {r.target for r in clause.refs
                     if r.kind == "clause" and r.resolved and r.target != clause.id and r.text in fact.text
                     and fact.span is not None and fact.span.start_line <= r.span.start_line <= fact.span.end_line}
            purposes, data = _uses_in(c for cid in sorted(cited) for c in subtree.get(cid, []))
        # A title names the subject of a whole section loosely ("Your rights and
        # choices"); only AI training is taken from it, the one purpose whose
        # opt-out a rule looks for anywhere in the document.
        title = _nearest_title(clause, by_id) if not purposes else None
        if title is not None and ai is not None and ai.find(title, lower_same_length(title), 0, len(title)):
            purposes = {"ai_training"}
        elif not purposes and points_back and clause.id in before:
            uses = [g for g in before[clause.id].facts
                    if g.actor != USER and g.modality in (GRANT, PERMISSION) and g.purposes]
            if uses:
                purposes, data = set(uses[-1].purposes), set(uses[-1].data)
        if purposes:
            fact.purposes = sorted(purposes)
            fact.data = fact.data or sorted(data)
        else:
            clause.facts = [f for f in clause.facts if f is not fact]
        clause.tags = clause_tags(clause.facts)


def _uses_in(clauses: Iterable[Clause]) -> tuple[set[str], set[str]]:
    """The purposes and data of the company's (or a third party's) uses in these clauses."""
    purposes: set[str] = set()
    data: set[str] = set()
    for c in clauses:
        for g in c.facts:
            if g.actor != USER and g.modality in (GRANT, PERMISSION) and g.purposes:
                purposes.update(g.purposes)
                data.update(g.data)
    return purposes, data


def _nearest_title(clause: Clause, by_id: Mapping[str, Clause]) -> str | None:
    """The clause's title, or the title of the nearest clause above it that has one."""
    return next((c.title for c in _self_and_ancestors(clause, by_id) if c.title), None)


def _self_and_ancestors(clause: Clause, by_id: Mapping[str, Clause]) -> Iterator[Clause]:
    c: Clause | None = clause
    while c is not None:
        yield c
        c = by_id.get(c.parent or "")


def _restriction_list(clause: Clause, by_id: Mapping[str, Clause], vocab: Vocabulary) -> bool:
    """Whether the clause, or the clause it belongs to, is titled as what the user must not do."""
    if vocab.restriction_titles is None:
        return False
    parent = by_id.get(clause.parent or "")
    titles = [clause.title, parent.title if parent is not None else None]
    return any(t and vocab.restriction_titles.search(t) for t in titles)


def _consent_basis_heading(clause: Clause, by_id: Mapping[str, Clause], vocab: Vocabulary) -> Clause | None:
    """The clause, or the nearest clause above it, titled with consent as a legal basis ("Your consent")."""
    titles = vocab.consent_basis_titles
    if titles is None:
        return None
    return next((c for c in _self_and_ancestors(clause, by_id) if c.title and titles.search(c.title)), None)


def _uses_by_consent(facts: list[Fact], heading: Clause) -> None:
    """A privacy notice arranged by legal basis: what it lists under "Your consent" it does only with consent.

    Not a use the text itself says the user agreed to by using the service
    (deemed consent), which is no choice whatever the heading.
    """
    line = heading.span.start_line
    for f in facts:
        if (f.modality in (GRANT, PERMISSION) and f.actor != USER and f.purposes
                and not {"opt_in_consent", "deemed_consent"} & set(f.conditions)):
            f.conditions = sorted([*f.conditions, "opt_in_consent"])
            f.evidence.append(Evidence("condition:opt_in_consent", heading.title or "", Span(line, line)))


def _forbid_imperatives(facts: list[Fact], vocab: Vocabulary) -> None:
    """Under such a title, a sentence with no subject that starts with a verb forbids the user."""
    if vocab.imperative_start is None:
        return
    for f in facts:
        if f.actor != USER and vocab.imperative_start.match(f.text):
            f.actor, f.modality, f.beneficiaries, f.license = USER, PROHIBITION, [], None


def annotate_sentence(text: str, vocab: Vocabulary, definitions: Mapping[str, Definition | str] | None = None) -> list[Fact]:
    """Facts of one piece of text (one or more sentences); spans count lines of `text` from 1.

    `definitions` maps defined terms to a `Definition` (categorised from its
    text) or directly to a data category.
    """
    ctx = _build_context(vocab, definitions, None)
    lines = text.split("\n")
    line_starts = []
    off = 0
    for i, line in enumerate(lines):
        line_starts.append((off, i + 1, 1))
        off += len(line) + 1
    clause = Clause(id="1", number=None, title=None, level=1, parent=None, path=["1"], text=text,
                    span=Span(1, max(1, len(lines))), line_starts=line_starts)
    loc = _Locator([_Piece(0, len(text), clause, 0)], lines)
    # (an opt-out that points elsewhere has nowhere to point here)
    return _dedupe([_to_fact(r, text, loc, clause, vocab) for r in _analyse(text, ctx) if not r.pointer])


def summarise_facts(facts: Iterable[Fact]) -> dict[str, Any]:
    """What a set of facts says, as flat labels (used by the labelled tests and the bench).

    `ai_training_grant`: the company or a third party is granted or permitted
    a use for AI training (whatever its conditions); a prohibition, or a
    user's own permission (an opt-out), is not.
    """
    facts = list(facts)
    lic: set[str] = set()
    for f in facts:
        if f.license is not None:
            lic.update(f.license.scope_words())
            if f.license.limited_to_service:
                lic.add("limited_to_service")
    return {
        "ai_training_grant": any(
            f.modality in (GRANT, PERMISSION) and f.actor != USER and "ai_training" in f.purposes for f in facts
        ),
        "modalities": sorted({f.modality for f in facts}),
        "actors": sorted({f.actor for f in facts}),
        "data": sorted({d for f in facts for d in f.data}),
        "purposes": sorted({p for f in facts for p in f.purposes}),
        "conditions": sorted({c for f in facts for c in f.conditions}),
        "license": sorted(lic),
        "third_party": any(THIRD_PARTY in f.beneficiaries or f.actor == THIRD_PARTY for f in facts),
        "partial": any(f.partial for f in facts),
        "data_terms": sorted({t for f in facts for t in f.data_terms}),
        "override": any(e.concept.startswith("override:") for f in facts for e in f.evidence),
    }
