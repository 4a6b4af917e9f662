"""Cross-references: to clauses, to anchors, to other documents, and to laws.

A dangling clause reference is an error-level finding, so this module errs on
the side of *not* calling something a clause reference: "Section 230 of the
Communications Decency Act", "Article 6(1)(f) GDPR" and "Clause 9 of the
SCCs" point outside the document and get kind "law" or "external".
"""
from __future__ import annotations

import re
from dataclasses import dataclass

# Kinds of reference (Reference.kind).
CLAUSE, ANCHOR, DOCUMENT, LAW, EXTERNAL = "clause", "anchor", "document", "law", "external"

_NUM = r"(?:\d{1,4}(?:\.\d{1,3})*(?:\s?\((?:[a-z]{1,3}|[ivxl]{1,6}|\d{1,3}|[A-Z]{1,2})\))*|[IVXL]{1,6}\b(?:\.\d{1,3})*)"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or|through|to|thru)\s+|\s*[-–]\s*)"
_REF = re.compile(
    rf"\b(?P<kw>[Ss]ections?|SECTIONS?|[Cc]lauses?|CLAUSES?|[Aa]rticles?|ARTICLES?|[Pp]aragraphs?|"
    rf"[Ss]ub-?sections?|[Ss]ub-?clauses?|§§?)\s*(?P<list>{_NUM}(?:{_SEP}(?:{_NUM}|\((?:[a-z]{{1,3}}|[ivxl]{{1,6}}|\d{{1,3}})\)))*)"
)
_PAREN_ONLY = re.compile(r"\((?:[a-z]{1,3}|[ivxl]{1,6}|\d{1,3}|[A-Z]{1,2})\)")
_ITEM = re.compile(rf"{_NUM}|\((?:[a-z]{{1,3}}|[ivxl]{{1,6}}|\d{{1,3}})\)")
_KEYWORDS = frozenset(("section", "clause", "article", "paragraph", "sub-section", "sub-clause", "subsection", "§"))
_POLICY_TAILS = frozenset(("policy", "policies", "notice", "guidelines", "standards", "statement", "rules"))
_SCAN = re.compile(
    r"section|clause|article|paragraph|sub-section|sub-clause|subsection|§|this\s+(?:section|clause|article)\b|"
    r"terms\s+of\s+(?:service|use|sale)|polic(?:y|ies)|notice|guidelines|standards|statement|rules|"
    r"addendum|agreement|terms"
)

# Statutes and other instruments: a number of theirs is not a clause of ours.
_LAW_WORDS = (
    r"Act|Code|Regulation|Regulations|Directive|Law|Laws|Constitution|Statute|Statutes|Rules?|"
    r"U\.?\s?S\.?\s?C\.?|C\.?F\.?R\.?|GDPR|CCPA|CPRA|LGPD|PIPEDA|DPA\s+2018|Treaty|Convention|Amendment|"
    r"Ordinance|Bill|Charter|Decree|Civil\s+Code|Penal\s+Code|UK\s+GDPR|EU\s+GDPR|FDPA|PIPL|APPI|COPPA|"
    r"DMCA|CAN-SPAM|TCPA|FCRA|HIPAA|GLBA|FERPA|VPPA|ECPA|CFAA|Privacy\s+Act|Data\s+Protection\s+Act|"
    r"Standard\s+Contractual\s+Clauses|SCCs?|Clauses"
)
# Alternatives are disjoint and the repeat bounded, so a miss cannot backtrack badly.
_LAW_AFTER = re.compile(
    rf"^[\s,]*(?:\([^)]{{0,30}}\)\s*)?(?:of|under|in|to|from|as\s+defined\s+in)\s+(?:the\s+|a\s+|any\s+)?"
    rf"(?P<name>(?:(?:\(?[A-Z][\w.&'’/-]*\)?|of|and|on|for|the|[\d/()]+)\s+){{0,8}}?"
    rf"(?:{_LAW_WORDS}))\b"
)
_LAW_DIRECT = re.compile(rf"^\s*(?:of\s+)?(?:the\s+)?(?:EU\s+|UK\s+|Swiss\s+)?(?:{_LAW_WORDS})\b")
_LAW_BEFORE = re.compile(
    rf"(?:{_LAW_WORDS}|Cal\.|Civ\.|Bus\.|Prof\.|Stat\.|Ann\.|Penal|Gov'?t|Reg\.|No\.|Regulation\s+\(EU\)\s+\d{{4}}/\d+|"
    rf"\d{{2,4}}/\d{{2,4}}|Title\s+\d+|'s|’s)\s*$"
)
# "Section 9 of the Agreement": another instrument's section, not ours.
_OTHER_DOC_AFTER = re.compile(
    r"^[\s,]*(?:of|in|under)\s+(?:the|that|any|an?|such|each|your|our|their|its)\s+"
    r"(?P<name>(?:[A-Z][\w.&'’-]*)(?:\s+(?:[A-Z][\w.&'’-]*|of|and|for|on))*)"
)
_OWN_DOC_AFTER = re.compile(r"^[\s,]*(?:of|in|under)\s+(?:this|these|the\s+present)\b")

# Other documents, found from their last word ("... Policy", "... Agreement") in
# lower-cased text: one fast scan, then a look at the few words before it.
_POLICY_PREFIX = re.compile(
    r"(?i)\b(?P<pre>Privacy|Cookies?|Acceptable\s+Use|Copyright|Community|Data\s+Protection|Refund|"
    r"Content|Trademark|Brand|Advertising|Ads|Payments?|Subscription|Security|Law\s+Enforcement|"
    r"Intellectual\s+Property|Moderation|Supplemental|Developer|API|Repeat\s+Infringer|Return|"
    r"Shipping|Seller|Buyer|Fair\s+Use|Responsible\s+Disclosure|Anti-Spam|Spam|Creator|Partner|"
    r"Platform|Marketplace|Publisher)\s+$"
)
_AGREEMENT_PREFIX = re.compile(
    r"(?i)\b(?P<pre>Data\s+Process(?:ing|or)|Service\s+Level|End\s+User\s+Licen[cs]e|Business\s+Associate|"
    r"Master\s+Services?)\s+$"
)
_SELF_BEFORE = re.compile(r"(?:\bthis|\bthese|\bthe\s+present)\s*$", re.IGNORECASE)
_SPACES = re.compile(r"\s+")
_KEY_SPLIT = re.compile(r"[.()\s]+")
_SMALL = frozenset("of and or for to in on the a an".split())


@dataclass(slots=True)
class FoundRef:
    kind: str
    target: str  # normalised number ("7(b)"), anchor, document name, or "this"
    text: str
    start: int  # offset in the clause text
    end: int


def normalise_number(raw: str) -> str:
    """"7 (b)" -> "7(b)", "10.2." -> "10.2"."""
    return _SPACES.sub("", raw).rstrip(".")


def number_key(raw: str) -> str:
    """A comparison key that ignores the punctuation between parts: "IV.B" == "IV(B)", "5(b)" == "5.b"."""
    parts = [p for p in _KEY_SPLIT.split(raw.lower()) if p]
    return ".".join(parts)


def title_case(name: str) -> str:
    words = name.split()
    out = []
    for i, w in enumerate(words):
        lw = w.lower()
        if i and lw in _SMALL:
            out.append(lw)
        elif w.isupper() and len(w) <= 4 and lw not in ("use", "data"):
            out.append(w)  # API, EULA
        else:
            out.append(lw[:1].upper() + lw[1:])
    return " ".join(out)


def _outside_kind(text: str, start: int, end: int) -> str | None:
    """LAW or EXTERNAL when the reference at text[start:end] points outside this document."""
    after = text[end:end + 160]
    before = text[max(0, start - 40):start]
    if _OWN_DOC_AFTER.match(after):
        return None
    if _LAW_DIRECT.match(after) or _LAW_AFTER.match(after) or _LAW_BEFORE.search(before):
        return LAW
    m = _OTHER_DOC_AFTER.match(after)
    if m:
        return EXTERNAL
    return None


def _clause_refs(text: str, m: re.Match[str], out: list[FoundRef]) -> None:
    """Refs from one "Sections 4, 5 and 7(b)" match: one per number."""
    items = list(_ITEM.finditer(m.group("list")))
    list_start = m.start("list")
    outside = _outside_kind(text, m.start(), m.end())
    base = ""
    for i, it in enumerate(items):
        raw = it.group(0)
        if _PAREN_ONLY.fullmatch(raw):
            if not base:
                continue  # "paragraph (a)" alone: relative, ambiguous; skipped
            target = base + raw
        else:
            target = normalise_number(raw)
            base = target.split("(", 1)[0]
        s = list_start + it.start()
        e = list_start + it.end()
        words = text[m.start():e] if i == 0 else raw
        out.append(FoundRef(outside or CLAUSE, target, words, m.start() if i == 0 else s, e))


def _document_ref(text: str, k: re.Match[str], word: str, own: str, out: list[FoundRef]) -> None:
    """"our Privacy Policy": the name ends at `k`; read the words before it."""
    if word.startswith("terms") and len(word) > 5:
        start = k.start()
    else:
        rx = _POLICY_PREFIX if word in _POLICY_TAILS else _AGREEMENT_PREFIX
        p = rx.search(text, max(0, k.start() - 40), k.start())
        if p is None:
            return
        start = p.start()
    if _SELF_BEFORE.search(text[max(0, start - 14):start]):
        return  # "this Privacy Policy" is the document itself
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", k.end())
    if not text[line_start:start].strip(" *_#") and not text[k.end():line_end if line_end >= 0 else len(text)].strip(" *_:.#"):
        return  # a line that is only the name is the document's own title
    name = title_case(" ".join(text[start:k.end()].split()))
    if own and name.lower() in own:
        return
    out.append(FoundRef(DOCUMENT, name, text[start:k.end()], start, k.end()))


def find_refs(text: str, own_title: str | None) -> list[FoundRef]:
    """Clause, law, "this Section" and document-name references in one clause's text."""
    out: list[FoundRef] = []
    if not text:
        return out
    low = text.lower()
    if len(low) != len(text):  # a few characters lower-case to two; keep offsets aligned
        low = "".join(c if len(c.lower()) != 1 else c.lower() for c in text)
    last_end = -1
    own = (own_title or "").lower()
    # One scan of the lower-cased text for every keyword; a regex without groups
    # or a leading \b is several times faster, so boundaries are checked here.
    for k in _SCAN.finditer(low):
        word = k.group(0)
        at = k.start()
        if at < last_end or (at and text[at - 1].isalnum()):
            continue
        if k.end() < len(text) and text[k.end()].isalpha() and word not in _KEYWORDS:
            continue
        if word in _KEYWORDS:
            m = _REF.match(text, at)
            if m is not None:
                last_end = m.end()
                _clause_refs(text, m, out)
        elif word.startswith("this"):
            if not text[k.end():k.end() + 3].strip()[:1].isdigit():
                out.append(FoundRef(CLAUSE, "this", text[at:k.end()], at, k.end()))
            else:  # "this Section 5" is a plain reference to 5
                m = _REF.match(text, at + len(word) - len(word.split()[-1]))
                if m is not None:
                    last_end = m.end()
                    _clause_refs(text, m, out)
        else:
            _document_ref(text, k, word, own, out)
    out.sort(key=lambda r: (r.start, r.end))
    return out
