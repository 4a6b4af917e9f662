"""Plain-language explanations of facts, clauses and changes, for lawyers and reviewers."""
from __future__ import annotations

import difflib

from termslint.errors import TermslintError
from termslint.model import (
    GRANT,
    OBLIGATION,
    PERMISSION,
    PROHIBITION,
    Changes,
    Clause,
    ClauseChange,
    Document,
    Evidence,
    Fact,
)

_ACTOR = {"company": "the company", "user": "the user", "third_party": "third parties"}
_DATA = {
    "customer_content": "customer content",
    "service_generated_data": "service-generated (usage/telemetry) data",
    "personal_data": "personal data",
    "public_data": "publicly available data",
    "deidentified_data": "aggregated, anonymous or de-identified data",
}
_PURPOSE = {
    "ai_training": "AI training",
    "any_purpose": "any purpose",
    "marketing": "marketing",
    "advertising": "advertising",
    "product_improvement": "product improvement",
    "analytics": "analytics",
    "research": "research",
    "sharing": "sharing with third parties",
    "sale": "sale",
    "providing_service": "providing the service",
    "security": "security",
}
_CONDITION = {
    "opt_in_consent": "only with the user's opt-in consent",
    "opt_out_available": "the user can opt out",
    "deemed_consent": "consent is deemed from use or acceptance",
    "aggregated_or_deidentified": "only aggregated or de-identified",
    "as_permitted_by_law": "as permitted by law",
    "despite_opt_out": "even when the user opts out",
    "only_some_users": "only for some users (in some places or on some plans)",
}
_SCOPE = {"royalty_free": "royalty-free"}
_BOLD, _RESET, _UNDER = "\x1b[1m", "\x1b[0m", "\x1b[4m"


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def describe_fact(fact: Fact) -> str:
    """One sentence a lawyer can read: who may (not) do what, with which data, on what terms."""
    data = _join([_DATA.get(d, d.replace("_", " ")) for d in fact.data]) or "data"
    if fact.partial and fact.data_terms:
        data = f"the {_join(fact.data_terms)} part of {data} (only that part)"
    purposes = [_PURPOSE.get(p, p.replace("_", " ")) for p in fact.purposes]
    actor = _ACTOR.get(fact.actor, fact.actor)
    if fact.modality == GRANT:
        lic = fact.license
        words = [_SCOPE.get(w, w) for w in lic.scope_words()] if lic else []
        scope = ", ".join(words)
        article = "an" if scope[:1].lower() in ("a", "e", "i", "o", "u") else "a"
        kind = f"{article} {scope} licence" if words else "a licence"
        text = f"grants {actor} {kind} over {data}"
        if lic and lic.limited_to_service:
            text += ", limited to providing the service"
    elif fact.modality == PROHIBITION:
        text = f"{actor} may not use {data}"
    elif fact.modality == OBLIGATION:
        text = f"obliges {actor} in respect of {data}"
    elif fact.actor == "user" and "opt_out_available" in fact.conditions:
        text = f"lets the user opt out of the use of {data}"
    else:
        text = f"permits {actor} to use {data}"
    if purposes:
        lead = ", for purposes including " if fact.modality == GRANT else " for purposes including "
        text += (lead if fact.modality != PROHIBITION else " for ") + _join(purposes)
        if fact.ai_training_within:
            # why an opt-out of analytics elsewhere may reach this training
            text += f" (AI training as part of {_join([_PURPOSE.get(p, p) for p in fact.ai_training_within])})"
    if (fact.beneficiaries and "third_party" in fact.beneficiaries and fact.actor != "third_party"
            and fact.modality != PROHIBITION):
        text += "; third parties receive data or rights"
    conds = [_CONDITION.get(c, c.replace("_", " ")) for c in fact.conditions]
    if fact.modality == PROHIBITION and "opt_in_consent" in fact.conditions:
        conds = [c for c in conds if c != _CONDITION["opt_in_consent"]]
        text += " unless the user consents"
    if conds:
        text += "; " + "; ".join(conds)
    elif fact.modality in (GRANT, PERMISSION) and fact.actor != "user" and fact.purposes:
        text += "; no opt-out in this sentence"  # one elsewhere may still reach it (see `check`)
    if any(e.concept.startswith("override:") for e in fact.evidence):
        text += " (overrides an earlier statement)"
    return text


def _mark(text: str, evidence: list[Evidence], clause: Clause, color: bool) -> str:
    """The clause text with each piece of evidence marked `[[words]]{concept}` (or underlined)."""
    spans: list[tuple[int, int, str]] = []
    for e in evidence:
        if ":" not in e.concept or e.concept.startswith("actor:"):
            continue
        i = text.find(e.text)
        if i < 0:
            continue
        spans.append((i, i + len(e.text), e.concept))
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    out: list[str] = []
    pos = 0
    for a, b, concept in spans:
        if a < pos:
            continue  # nested or overlapping evidence: keep the first
        out.append(text[pos:a])
        out.append(f"{_UNDER}{text[a:b]}{_RESET}[{concept}]" if color else f"[[{text[a:b]}]]{{{concept}}}")
        pos = b
    out.append(text[pos:])
    return "".join(out)


def _nearby_ids(doc: Document, clause_id: str) -> list[str]:
    ids = [c.id for c in doc.clauses]
    close = difflib.get_close_matches(clause_id, ids, n=5, cutoff=0.3)
    return close or ids[:5]


def explain_clause(doc: Document, clause_id: str, color: bool = False) -> str:
    """The clause's heading and lines, its text with the evidence marked, its facts, its defined terms."""
    clause = doc.clause_by_id().get(clause_id)
    if clause is None:
        raise TermslintError(
            f"{doc.path}: no clause {clause_id!r}",
            f"try one of: {', '.join(_nearby_ids(doc, clause_id))}",
        )
    head = f"{clause.id}" + (f" {clause.title}" if clause.title else "")
    lines = f"lines {clause.span.start_line}-{clause.span.end_line}"
    out = [f"{_BOLD}{head}{_RESET}" if color else head, f"{doc.path}, {lines}", ""]
    evidence = [e for f in clause.facts for e in f.evidence]
    out.append(_mark(clause.text, evidence, clause, color))
    out.append("")
    if clause.facts:
        out.append("What it says:")
        for f in clause.facts:
            where = f" (line {f.span.start_line})" if f.span else ""
            out.append(f"  - {describe_fact(f)}{where}")
    else:
        out.append("What it says: no data use, licence or consent found.")
    if clause.tags:
        out.append(f"Tags: {', '.join(clause.tags)}")
    terms = [t for t in clause.uses if t in doc.definitions] + [t for t in clause.defines if t in doc.definitions]
    seen: list[str] = []
    for t in terms:
        if t not in seen:
            seen.append(t)
    if seen:
        out.append("Defined terms:")
        for t in seen:
            d = doc.definitions[t]
            cat = f" [{_DATA.get(d.category, d.category)}]" if d.category else ""
            defn = " ".join(d.text.split())
            if len(defn) > 200:
                defn = defn[:197] + "..."
            out.append(f"  - {t}{cat} (clause {d.clause}): {defn}")
    return "\n".join(out)


def _fact_phrase(f: Fact) -> str:
    return describe_fact(f)


def _change_lines(ch: ClauseChange) -> list[str]:
    """How one clause's facts changed, in words: compare facts on the same data and modality."""
    lines: list[str] = []
    removed = list(ch.facts_removed)
    for new in ch.facts_added:
        old = next((o for o in removed if o.modality == new.modality and set(o.data) & set(new.data)), None)
        if old is None:
            lines.append(f"now {_fact_phrase(new)}")
            continue
        removed.remove(old)
        parts: list[str] = []
        if new.license and old.license:
            gained = [w for w in new.license.scope_words() if w not in old.license.scope_words()]
            lost = [w for w in old.license.scope_words() if w not in new.license.scope_words()]
            if gained:
                parts.append("is now " + _join([_SCOPE.get(w, w) for w in gained]))
            if lost:
                parts.append("is no longer " + _join([_SCOPE.get(w, w) for w in lost]))
        added_p = [_PURPOSE.get(p, p) for p in new.purposes if p not in old.purposes]
        lost_p = [_PURPOSE.get(p, p) for p in old.purposes if p not in new.purposes]
        if added_p:
            parts.append("now covers " + _join(added_p))
        if lost_p:
            parts.append("no longer covers " + _join(lost_p))
        added_c = [_CONDITION.get(c, c) for c in new.conditions if c not in old.conditions]
        lost_c = [_CONDITION.get(c, c) for c in old.conditions if c not in new.conditions]
        if added_c:
            parts.append("now: " + _join(added_c))
        if lost_c:
            parts.append("no longer: " + _join(lost_c))
        if new.actor != old.actor:
            parts.append(f"now by {_ACTOR.get(new.actor, new.actor)}")
        if new.partial != old.partial:
            parts.append("now covers only part of the data" if new.partial else "now covers all of the data")
        subject = "the licence" if new.modality == GRANT else f"the {new.modality}"
        data = _join([_DATA.get(d, d) for d in new.data]) or "data"
        lines.append(f"{subject} over {data} " + ("; ".join(parts) if parts else "changed in wording only"))
    for old in removed:
        lines.append(f"no longer {_fact_phrase(old)}")
    return lines


def explain_changes(changes: Changes, base_doc: Document | None, head_doc: Document) -> str:
    """For reviewers: clause by clause, in plain language, what the change does to the terms."""
    out: list[str] = []
    if changes.new_document:
        out.append(f"{head_doc.path} is new at this revision.")
    for key in sorted(set(changes.base_metadata) | set(changes.head_metadata)):
        if key.endswith("_iso"):  # the same date in ISO form: saying it twice helps no one
            continue
        old, new = changes.base_metadata.get(key), changes.head_metadata.get(key)
        label = key.replace("_", " ")
        if old != new:
            out.append(f"The {label} changed from {old} to {new}.")
        elif key == "effective_date":
            out.append(f"The effective date did not change ({new}).")
    for ch in changes.clauses:
        if ch.status == "unchanged" and not ch.facts_added and not ch.facts_removed:
            continue
        cid = ch.head_id or ch.base_id or "?"
        title = ch.head_title or ch.base_title
        label = f"{cid}" + (f" (was {ch.base_id})" if ch.base_id and ch.head_id and ch.base_id != ch.head_id else "")
        label += f" {title}" if title else ""
        if ch.status == "added":
            detail = _change_lines(ch) or ["no data use, licence or consent found"]
            first = detail[0][:1].upper() + detail[0][1:]
            out.append(f"{label}: added. " + "; ".join([first, *detail[1:]]) + ".")
        elif ch.status == "removed":
            gone = [f"no longer {_fact_phrase(f)}" for f in ch.facts_removed] or ["removed"]
            out.append(f"{label}: removed. " + "; ".join(gone) + ".")
        else:
            detail = _change_lines(ch)
            if not detail:
                detail = ["moved" if ch.status == "moved" else "reworded; what it says about data did not change"]
            out.append(f"{label}: " + "; ".join(detail) + ".")
    if not out:
        out.append("No change to what the terms say about data, licences or consent.")
    return "\n".join(out)
