"""Cross-references: to clauses, to anchors, to other documents, and to laws.

A dangling clause reference is an error-level finding, so this module errs on
the side of *not* calling something a dangling clause reference:

- "Section 230 of the Communications Decency Act", "Article 6(1)(f) GDPR" and
  "17 U.S.C. Section 512" are kind "law"; "Section 9 of the Agreement" is kind
  "external" (another instrument's numbering). Policies ignore both.
- Documents converted from HTML often number in CSS only. With no written
  numbers, "Section 17" is the 17th top-level clause; "Section 6(b)" is the
  second item of 6 when 6's items carry no letters of their own.
- In a document that quotes the Standard Contractual Clauses, an unknown
  "Clause 8.9(c)" is the SCCs' numbering: kind "external".
- A number far beyond the document's own ("Section 1798.110(c)" in terms whose
  sections run to 20) is another instrument's: kind "external"; so is one "of
  this Swiss Addendum" (a schedule numbers its own parts).
- "under this Section 18.1" names the clause it stands in, even where the
  parser found no number 18.1 (lost in conversion).
- A number the document has once given to a law stays the law's: "Article 40
  of the Digital Services Act ... the procedures described in Article 40",
  unless this document has a clause of that number. So is an unknown article
  cited under a heading that names a law ("General Data Protection Regulation
  (GDPR)": "Article 37"), and "Articles 144-146 thereof" (of what was just named).

Everything else is kind "clause" and resolved when the number exists.
"""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from termslint import cache
from termslint.model import Clause, Reference, Span

# Kinds of reference (Reference.kind).
CLAUSE, ANCHOR, DOCUMENT, LAW, EXTERNAL = "clause", "anchor", "document", "law", "external"

_NUM = r"(?:\d{1,4}[A-Z]?(?:\.\d{1,3})*(?:\s?\((?:[a-z]{1,3}|[ivxl]{1,6}|\d{1,3}|[A-Z]{1,2})\))*|[IVXL]{1,6}\b(?:\.(?:\d{1,3}|[A-Z]\b))*)"
_SEP = r"(?:\s*,\s*(?:and\s+|or\s+)?|\s+(?:and|or|and/or|through|to|thru|et|ou|à)\s+|\s*[-–]\s*)"
_REF = cache.regex(
    rf"\b(?P<kw>[Ss]ections?|SECTIONS?|[Cc]lauses?|CLAUSES?|[Aa]rticles?|ARTICLES?|[Pp]aragraphs?|"
    rf"[Ss]ub-?sections?|[Ss]ub-?clauses?|§§?)\s*(?P<list>{_NUM}(?:{_SEP}(?:{_NUM}|\((?:[a-z]{{1,3}}|[ivxl]{{1,6}}|\d{{1,3}})\)))*)"
)
_SCCS = cache.regex(r"standard contractual clauses", re.IGNORECASE)
_DATE = cache.regex(r"\d{4}-\d{1,2}-\d{1,2}\b")
_PAREN_ONLY = cache.regex(r"\((?:[a-z]{1,3}|[ivxl]{1,6}|\d{1,3}|[A-Z]{1,2})\)")
_ITEM = cache.regex(rf"{_NUM}|\((?:[a-z]{{1,3}}|[ivxl]{{1,6}}|\d{{1,3}})\)")
# Statutes and other instruments: a number of theirs is not a clause of ours.
_LAW_WORDS = (
    r"Act|Code|Regulation|Regulations|Directive|Law|Laws|Constitution|Statute|Statutes|Rules?|"
    r"U\.?\s?S\.?\s?C\.?|C\.?F\.?R\.?|GDPR|CCPA|CPRA|LGPD|PIPEDA|DPA\s+2018|Treaty|Convention|Amendment|"
    r"Ordinance|Bill|Charter|Decree|Civil\s+Code|Penal\s+Code|UK\s+GDPR|EU\s+GDPR|FDPA|PIPL|APPI|COPPA|"
    r"DMCA|CAN-SPAM|TCPA|FCRA|HIPAA|GLBA|FERPA|VPPA|ECPA|CFAA|Privacy\s+Act|Data\s+Protection\s+Act|"
    r"Standard\s+Contractual\s+Clauses|SCCs?|Clauses|DSA|DMA|BGB|UWG|TMG|TTDSG|DSGVO|RGPD|LOPDGDD|CDA|"
    r"UCTA|CRA|ECA|FTC\s+Act|Digital\s+Services\s+Act|PSD\s?2|(?:rev|n)?FADP|n?DSG"
)
# "Article 6, paragraph 1(f) of the GDPR": a paragraph or point of the article may come between.
_SUB_EN = r"(?:,?\s*(?:paragraph|para\.|subparagraph|point|letter|lit\.)\s*\(?[0-9a-z]{1,3}\)?(?:\s?\([0-9a-z]{1,3}\))*\s*)"
# Alternatives are disjoint and the repeats bounded, so a miss cannot backtrack badly.
_LAW_AFTER = cache.regex(
    rf"^[\s,]*(?:respectively\s*,?\s*)?(?:\([^)]{{0,30}}\)\s*)?{_SUB_EN}{{0,2}},?\s*(?:of|under|in|to|from|as\s+defined\s+in)\s+(?:the\s+|a\s+|any\s+)?"
    rf"(?P<name>(?:(?:\(?[A-Z][\w.&'’/-]*\)?|of|and|on|for|the|[\d/()]+)\s+){{0,8}}?"
    rf"(?:{_LAW_WORDS}))\b"
)
# "section 119A of theUK Data Protection Act 2018": a statute named soon after "of", however spelt.
_LAW_NEAR = cache.regex(r"^\s*(?:of|under)\b[^.;:()]{0,60}?\b(?:Act|Regulation|Directive|Code|GDPR)\b")
_LAW_DIRECT = cache.regex(rf"^\s*(?:of\s+)?(?:the\s+)?(?:EU\s+|UK\s+|Swiss\s+)?(?:{_LAW_WORDS})\b")
# A law named just before the number, searched in the 90 characters before it.
_LAW_BEFORE = cache.regex(
    rf"(?:{_LAW_WORDS}|Cal\.|Civ\.|Bus\.|Prof\.|Stat\.|Ann\.|Penal|Gov'?t|Reg\.|No\.|Regulation\s+\(EU\)\s+\d{{4}}/\d+|"
    rf"\d{{2,4}}/\d{{2,4}}|Title\s+\d+,?|'s|’s)\s*$"
    rf"|\(\s*(?:{_LAW_WORDS})\s*,\s*$"  # "(GDPR, Article 82)"
    # "the GDPR ... in accordance with its Article 3(2)"; "under the GDPR, in particular under Articles 28 and 32"
    rf"|\b(?:{_LAW_WORDS})\b,?\s+(?:in\s+particular|especially|notably|including)\s+(?:under\s+|in\s+)?$"
    rf"|\b(?:{_LAW_WORDS})\b[^.;:]{{0,60}}\bits\s+$"
    # "la loi «Informatique et libertés» du 6 janvier 1978 (article 39 et 40)": the law, then its article in brackets
    r"|\b(?i:loi|law|act|regulation|règlement|code|directive)\b[^.;:()]{0,60}\(\s*$"
)
# French and other civil-law drafting: "article 1641 du Code civil", "article 238
# quater N du Code général des impôts", "articles L. 221-18 et suivants".
_LAW_AFTER_FR = cache.regex(
    r"^[\s,]*(?:(?:bis|ter|quater|quinquies|sexies|[A-Za-z])\b\s*){0,3}(?:[-–]\s*\d{1,4}(?:\s*[A-Za-z]\b)?\s*)?"  # "43 a-43 g"
    r"(?:et\s+(?:suivants?|suiv\.|s\.)\s*)?(?:,\s*)?"
    r"(?:(?:alinéa|paragraphe|point|lettre|§)\s*\(?[0-9a-z]{1,3}\)?(?:\s?\([0-9a-z]{1,3}\))*"  # "paragraphe 1(f)"
    r"(?:\s*(?:,|ou|et)\s*\(?[0-9a-z]{1,3}\))*\s*,?\s*){0,3}"  # "1(b), (c) ou (f)"; "paragraphe 1, alinéa 1, point a"
    r"(?:du|de\s+la|de\s+l['’]|des)\s+(?:nouveau\s+)?"
    r"(?i:code|loi|règlement|reglement|directive|décret|decret|ordonnance|traité|convention|RGPD)\b"
)
# A French code's article number: legislative (L), regulatory (R) or decree (D) part.
_CODE_ARTICLE = cache.regex(r"[LRD]\s?\.?\s?\d{1,4}(?:-\d+)+|[LRD]\s?\.\s?\d")
# "Section 2 (The Agreement) of ...": a title in brackets after the number.
_TITLE_IN_BRACKETS = r"(?:\([^)]{0,60}\)\s*)?"
# "Section 9 of the Agreement": another instrument's section, not ours.
_OTHER_DOC_AFTER = cache.regex(
    rf"^[\s,]*{_TITLE_IN_BRACKETS}(?:of|in|under)\s+(?:the|that|any|an?|such|each|your|our|their|its)\s+"
    r"(?P<name>(?:[A-Z][\w.&'’-]*)(?:\s+(?:[A-Z][\w.&'’-]*|of|and|for|on))*)"
)
# ("Article 44(2), Article 143(2), and Article 149 of the Act": the comma before "and" too)
_CHAINED = cache.regex(
    rf"\s*(?:,\s*(?:and|or)\b|,|and|or|[-–])\s*(?:(?:[Aa]rticles?|[Ss]ections?|[Cc]lauses?|ARTICLES?|SECTIONS?|CLAUSES?)\s*)?{_NUM}"
)
# A letter the number leaves behind: "Article 6.1.f", "Article 6 (1) b)", "Section 676c".
_LETTER_TAIL = cache.regex(r"(?:\.|\s)?(?:[a-z]|bis|ter|quater)(?:\.\d{1,3})*(?:\)|\.(?=\s))?(?!\w)")  # also "Article 104a.1", "6bis"
# French: "l'article 8 de la Politique de protection des données"; and policies
# named in lower case: "sections 13.4 of the privacy policy".
_OTHER_DOC_AFTER_FR = cache.regex(
    r"^[\s,]*(?:(?:de\s+la|du|des|de\s+l['’])\s*(?:nos\s+|notre\s+)?[\[*_]*[A-Z]|de\s+(?:nos|notre)\s+(?!présente)[\[*_]*\w)"
)
# ("Section 19 (Limitation of Liability) of the main body of the Terms of Service")
_POLICY_AFTER = cache.regex(
    rf"^[\s,]*{_TITLE_IN_BRACKETS}(?:of|in|under)\s+(?:the\s+(?:main\s+)?body\s+of\s+)?(?:the|our|its|their)\s+(?:[\w-]+\s+){{0,2}}?(?:policy|notice|agreement|terms)\b",
    re.IGNORECASE,
)
# "Section 3(a) of this Swiss Addendum": a schedule or addendum numbers its own parts.
_SUB_DOC_AFTER = cache.regex(
    r"^[\s,]*(?:of|in|under|to)\s+(?:this|the)\s+(?:[A-Z][\w-]*\s+){0,3}?(?:Addendum|Schedule|Annex|Exhibit|Appendix|Attachment|Supplement)\b"
)
# A role a law creates: "our Article 27 Representative" (GDPR).
_LAW_ROLE_AFTER = cache.regex(r"^\s+[Rr]epresentatives?\b")
_OWN_DOC_AFTER = cache.regex(r"^[\s,]*(?:of|in|under)\s+(?:this|these|the\s+present)\b")
# "the Act, including Articles 144-146 thereof": of the instrument just named ("hereof" is ours)
_THEREOF_AFTER = cache.regex(r"^[\s,]*(?:\([^)]{0,60}\)\s*)?thereof\b")
# A clause about a law ("European Union – General Data Protection Regulation (GDPR)") cites its articles.
_LAW_TITLE = cache.regex(rf"\b(?:{_LAW_WORDS})\b")

# Other documents by name. Policy-like names are found from their last word
# ("... Policy", "... Notice") and the words before it, agreements from their start.
_POLICY_TAILS = ("policy", "policies", "notice", "guidelines", "standards", "statement", "rules")
_POLICY_PREFIXES = frozenset((
    "privacy", "cookie", "cookies", "acceptable use", "copyright", "community", "data protection", "refund",
    "content", "trademark", "brand", "advertising", "ads", "payment", "payments", "subscription", "security",
    "law enforcement", "intellectual property", "moderation", "supplemental", "developer", "api",
    "repeat infringer", "return", "returns", "shipping", "seller", "buyer", "fair use", "responsible disclosure",
    "anti-spam", "spam", "creator", "partner", "platform", "marketplace", "publisher",
))
_AGREEMENT_STARTS = ("data process", "service level", "end user licen", "business associate", "master service", "terms of ")
_AGREEMENT_AT = cache.regex(
    r"(?i)(?:Data\s+Process(?:ing|or)\s+(?:Addendum|Agreement|Terms)|Service\s+Level\s+Agreement|"
    r"End\s+User\s+Licen[cs]e\s+Agreement|Business\s+Associate\s+Agreement|Master\s+Services?\s+Agreement|"
    r"Terms\s+of\s+(?:Service|Use|Sale))\b"
)
_CLAUSE_WORDS = ("section", "clause", "article", "paragraph", "§")
_THIS_WORDS = ("this section", "this clause", "this article")
_SELF_BEFORE = cache.regex(r"(?:\bthis|\bthese|\bthe\s+present)\s*$", re.IGNORECASE)
_SPACES = cache.regex(r"\s+")
_KEY_SPLIT = cache.regex(r"[.()\s]+")
_LEADING_INT = cache.regex(r"\d+")
_DASH = cache.regex(r"\s*[-–]\s*")
_GROUPED = cache.regex(r"(\d+)(?:[a-z]|\.)")  # the keys "8a", "8.1" of a group "8"
_PAREN_PART = cache.regex(r"\(([^)]+)\)")
_SMALL = frozenset("of and or for to in on the a an".split())
_TRIM = "([{“”\"'‘’*_"


@dataclass(slots=True)
class FoundRef:
    kind: str
    target: str  # normalised number ("7(b)"), anchor, document name, or "this"
    text: str
    start: int  # offset in the clause text
    end: int
    keyword: str = ""  # "section", "clause", ... as used, lower case
    this: bool = False  # "this Section 17.2": the text names its own clause


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
    # "Article 46(1) and Article 46(2)(c) of Regulation ...": the law is named after the last one.
    while True:
        at = end
        chained = _CHAINED.match(text, end)
        if chained is not None and chained.end() > end:
            end = chained.end()
        letter = _LETTER_TAIL.match(text, end)
        if letter is not None:
            end = letter.end()  # and again: "Article 6 (1) f) and Article 32 of the GDPR"
        if end == at:
            break
    after = text[end:end + 160]
    if _SUB_DOC_AFTER.match(after) or _THEREOF_AFTER.match(after):
        return EXTERNAL
    if _OWN_DOC_AFTER.match(after):
        return None
    if (_LAW_DIRECT.match(after) or _LAW_AFTER.match(after) or _LAW_NEAR.match(after)
            or _LAW_BEFORE.search(text, max(0, start - 90), start)):
        return LAW
    if _LAW_AFTER_FR.match(after) or _LAW_ROLE_AFTER.match(after):
        return LAW
    if _OTHER_DOC_AFTER.match(after) or _OTHER_DOC_AFTER_FR.match(after) or _POLICY_AFTER.match(after):
        return EXTERNAL
    return None


def _clause_refs(text: str, m: re.Match[str], out: list[FoundRef]) -> None:
    """Refs from one "Sections 4, 5 and 7(b)" match: one per number."""
    if _DATE.match(m.group("list")):
        return  # "... section\n2013-04-30: Reworded": a date, not sections 2013 to 30
    items = list(_ITEM.finditer(m.group("list")))
    list_start = m.start("list")
    outside = LAW if _CODE_ARTICLE.match(text, list_start) else _outside_kind(text, m.start(), m.end())
    base = ""
    for i, it in enumerate(items):
        raw = it.group(0)
        if _PAREN_ONLY.fullmatch(raw):
            if not base:
                continue  # "paragraph (a)" alone: relative, ambiguous; skipped
            if "(" not in items[i - 1].group(0):
                break  # "Article 40, or (ii) disclosure is required": the sentence's own list goes on
            target = base + raw
        else:
            target = normalise_number(raw)
            if _not_a_range_end(m.group("list"), items[i - 1] if i else None, it):
                continue
            base = target.split("(", 1)[0]
        s = list_start + it.start()
        e = list_start + it.end()
        words = text[m.start():e] if i == 0 else raw
        out.append(FoundRef(outside or CLAUSE, target, words, m.start() if i == 0 else s, e, m.group("kw").lower()))


def _not_a_range_end(listed: str, previous: re.Match[str] | None, item: re.Match[str]) -> bool:
    """"articles 150-0 A" (the French tax code's article "150-0 A") or "Section 0": no clause here.

    After a dash a number smaller than the one before is part of a compound
    number, not the end of a range ("Sections 4-7").
    """
    number = _LEADING_INT.match(item.group(0))
    if number is None:
        return False
    if int(number.group(0)) == 0:
        return True
    before = _LEADING_INT.match(previous.group(0)) if previous is not None else None
    if previous is None or before is None or not _DASH.fullmatch(listed, previous.end(), item.start()):
        return False
    return int(number.group(0)) < int(before.group(0))


def _hits(low: str, words: tuple[str, ...]) -> list[tuple[int, str]]:
    """Where each word starts in `low` at a word boundary; str.find beats one big regex here."""
    out = []
    for w in words:
        i = low.find(w)
        while i >= 0:
            if not (i and low[i - 1].isalnum()):
                out.append((i, w))
            i = low.find(w, i + 1)
    return out


def _document_name(text: str, low: str, at: int, word: str, own: str) -> FoundRef | None:
    end = at + len(word)
    if word in _POLICY_TAILS or word == "polic":
        if word == "policy" and low.startswith("policies", at):
            return None  # found again as "policies"
        if end < len(text) and text[end].isalpha():
            return None
        words = text[max(0, at - 40):at].split()
        start = -1
        for n in (2, 1):
            if len(words) >= n:
                phrase = " ".join(w.strip(_TRIM) for w in words[-n:]).lower()
                if phrase in _POLICY_PREFIXES and words[-n].strip(_TRIM):
                    first = words[-n].lstrip(_TRIM)
                    start = text.rfind(first, max(0, at - 40), at)
                    break
        if start < 0:
            return None
    else:
        m = _AGREEMENT_AT.match(text, at)
        if m is None:
            return None
        start, end = at, m.end()
    if _SELF_BEFORE.search(text[max(0, start - 14):start]):
        return None  # "this Privacy Policy" is the document itself
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if not text[line_start:start].strip(" *_#") and not text[end:line_end if line_end >= 0 else len(text)].strip(" *_:.#"):
        return None  # a line that is only the name is the document's own title
    name = title_case(" ".join(text[start:end].split()))
    if own and name.lower() in own:
        return None
    return FoundRef(DOCUMENT, name, text[start:end], start, end)


def _in_address(text: str, at: int) -> bool:
    """Is the word at `at` part of a web address or file path? (Not "sub-section 5",
    nor "the services.Section 7" of a converted page that lost a space.)"""
    word_start = max(text.rfind(" ", 0, at), text.rfind("\n", 0, at)) + 1
    return "/" in text[word_start:at]


def find_refs(text: str, own_title: str | None) -> list[FoundRef]:
    """Clause, law, "this Section" and document-name references in one clause's text."""
    out: list[FoundRef] = []
    if not text:
        return out
    low = text.lower()
    if len(low) != len(text):  # "İ" lower-cases to two characters; keep offsets aligned
        low = text.translate({ord(c): "?" for c in set(text) if len(c.lower()) != 1}).lower()
    last_end = -1
    for at, word in sorted(_hits(low, _CLAUSE_WORDS) + _hits(low, _THIS_WORDS)):
        if at < last_end:
            continue
        if word.startswith("this"):
            after = text[at + len(word):at + len(word) + 3]
            if after[:1].isalpha():
                continue  # "this sectional"
            if not after.strip()[:1].isdigit():
                out.append(FoundRef(CLAUSE, "this", text[at:at + len(word)], at, at + len(word)))
                last_end = at + len(word)
                continue
            at += 5  # "this Section 5" is a plain reference to 5
        if _in_address(text, at):
            continue  # "https://ec.europa.eu/justice/article29/"
        m = _REF.match(text, at)
        if m is not None:
            last_end = m.end()
            first = len(out)
            _clause_refs(text, m, out)
            if word.startswith("this") and len(out) > first:
                out[first].this = True
    own = (own_title or "").lower()
    for at, word in _hits(low, _POLICY_TAILS) + _hits(low, _AGREEMENT_STARTS):
        found = _document_name(text, low, at, word, own)
        if found is not None:
            out.append(found)
    out.sort(key=lambda r: (r.start, r.end))
    return out


def _ordinal(part: str) -> int:
    """ "b" -> 2, "iv" -> 4, "3" -> 3: where a CSS-numbered item stands in its list."""
    low = part.lower()
    if low.isdigit():
        return int(low)
    if len(low) == 1 and low.isalpha():
        return ord(low) - 96
    values = {"i": 1, "v": 5, "x": 10}
    if all(ch in values for ch in low):
        total = 0
        for ch, nxt in zip(low, low[1:] + " "):
            v = values[ch]
            total += -v if nxt in values and values[nxt] > v else v
        return total
    return 0


def _last_part(number: str) -> str:
    """ "5(b)" -> "b", "2.4.3" -> "3", "(iv)" -> "iv"."""
    return _KEY_SPLIT.split(number.strip("()."))[-1] if number else ""


def line_at(starts: list[tuple[int, int, int]], offset: int) -> int:
    """The file line of `offset` in a clause's text, from its `line_starts`."""
    lo, hi = 0, len(starts) - 1
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if starts[mid][0] <= offset:
            lo = mid
        else:
            hi = mid - 1
    return starts[lo][1] if starts else 1


def attach_refs(clauses: list[Clause], head_ends: list[int], links: list[tuple[str, str, int]],
                title: str | None, written_numbers: bool) -> None:
    """Find every clause's references and resolve them against one dict of numbers.

    `head_ends[i]` is the last line of clause i's heading (links in headings
    belong to it); `links` are Markdown links to "#anchor" as (anchor, words, line).
    """
    keys: dict[str, str] = {}
    children: dict[str, list[Clause]] = {}
    for c in clauses:
        if c.number is not None and "/" not in c.id:  # "restricted-activities/17" is no Section 17
            keys.setdefault(number_key(c.id.split("~", 1)[0]), c.id)
            keys.setdefault(number_key(c.number), c.id)
        if c.parent is not None:
            children.setdefault(c.parent, []).append(c)
    scoped = [c for c in clauses if c.number is not None and "/" in c.id]
    if len(scoped) > 2 * len({*keys.values()}):
        # ... unless most numbered clauses sit under headings without a number
        # ("AGREEMENT", then "1. Eligibility" ...): those are the sections. Where a
        # table of contents repeats the numbers, the longer clause is the section.
        for c in sorted(scoped, key=lambda c: c.span.start_line - c.span.end_line):
            keys.setdefault(number_key(c.number or ""), c.id)
    by_id = {c.id: c for c in clauses}
    anchors = {c.anchor for c in clauses if c.anchor}
    top = [c for c in clauses if c.parent is None and c.id != "preamble"]
    # Converted documents often number their sections only in CSS ("Section 17"
    # then means the 17th heading): with no written numbers, count instead.
    implicit = len(top) >= 2 and not written_numbers and all(c.number is None for c in top)
    # A document whose sections run to 20 does not refer to its own section 1798
    # ("Section 1798.110(c)" of the CCPA, "Article 1641" of the Code civil).
    numbers = [int(m.group(0)) for c in top if c.number and (m := _LEADING_INT.match(c.number))]
    beyond = max(100, 3 * max(numbers + [len(top) if implicit else 0]))

    # "Section 8" in a document whose section 8 is only 8a-8d, or only 8.1 and 8.2
    # (its heading lost in conversion): the first clause of the group.
    groups: dict[str, str] = {}
    for key, first in keys.items():
        if (group := _GROUPED.match(key)) is not None:
            groups.setdefault(group.group(1), first)

    def resolve(target: str) -> str | None:
        cid = keys.get(number_key(target)) or groups.get(target)
        if cid is not None:
            return cid
        head = target.split("(", 1)[0]
        found = by_id.get(keys.get(number_key(head), ""))
        if found is None and implicit:
            m = _LEADING_INT.fullmatch(head)
            if m and 1 <= int(head) <= len(top):
                found = top[int(head) - 1]
        if found is None:
            return None
        for part in _PAREN_PART.findall(target[len(head):]):
            kids = children.get(found.id, [])
            child = next((k for k in kids if k.number and _last_part(k.number).lower() == part.lower()), None)
            if child is None and kids and not any(k.number and k.number.endswith(")") for k in kids):
                # Converted documents letter their lists in CSS: "Section 6(b)" is 6's second item.
                n = _ordinal(part)
                child = kids[n - 1] if 1 <= n <= len(kids) else None
            if child is None:
                # "Section 1.2(a)": an (a) enumerated inside 1.2's own paragraph.
                return found.id if f"({part.lower()})" in found.text.lower() else None
            found = child
        return found.id

    # One scan over all clause texts at once: per-call overhead, not the text,
    # dominated when each clause was scanned alone. NUL stops every pattern.
    offsets: list[int] = []
    pos = 0
    for c in clauses:
        offsets.append(pos)
        pos += len(c.text) + 3
    joined = "\n\x00\n".join(c.text for c in clauses)
    # DPAs quote the Standard Contractual Clauses' own numbering ("Clause 8.9(c)"):
    # in such a document an unknown "Clause N" is the SCCs', not a dangling reference.
    quotes_sccs = "SCC" in joined or _SCCS.search(joined) is not None
    found = find_refs(joined, title)
    outside_numbers = {(f.keyword.rstrip("s"), f.target): f.kind for f in found if f.kind in (LAW, EXTERNAL)}
    for f in found:
        k = bisect.bisect_right(offsets, f.start) - 1
        clause, base = clauses[k], offsets[k]
        start, end = f.start - base, f.end - base
        span = Span(line_at(clause.line_starts, start), line_at(clause.line_starts, max(start, end - 1)))
        words = " ".join(f.text.split())
        if f.kind == CLAUSE and f.target == "this":
            clause.refs.append(Reference(clause.path[0], words, span, CLAUSE, True))
        elif f.kind == CLAUSE:
            cid = resolve(f.target)
            if cid is None and f.this:
                # "under this Section 17.2" in a clause whose number the parser did
                # not find: the text names the clause it stands in.
                cid = clause.id
            kind = CLAUSE
            if cid is None and quotes_sccs and f.keyword.startswith("clause"):
                kind = EXTERNAL
            elif cid is None and (m := _LEADING_INT.match(f.target)) and int(m.group(0)) >= beyond:
                kind = EXTERNAL
            elif cid is None and (given := outside_numbers.get((f.keyword.rstrip("s"), f.target))):
                kind = given
            elif cid is None and f.keyword.startswith("article") and clause.title and _LAW_TITLE.search(clause.title):
                kind = LAW
            clause.refs.append(Reference(cid or f.target, words, span, kind, cid is not None))
        else:
            clause.refs.append(Reference(f.target, words, span, f.kind, False))
    if links:
        owner_of: dict[int, int] = {}
        for k, (clause, head_end) in enumerate(zip(clauses, head_ends)):
            for line in range(clause.span.start_line, head_end + 1):
                owner_of.setdefault(line, k)
            for _, line, _ in clause.line_starts:
                owner_of[line] = k
        for anchor, words, line in links:
            owner = owner_of.get(line)
            if owner is not None:
                ok = anchor in anchors or anchor in by_id
                clauses[owner].refs.append(Reference(anchor, words, Span(line, line), ANCHOR, ok))
    for clause in clauses:
        if len(clause.refs) > 1:
            clause.refs.sort(key=lambda r: (r.span.start_line, r.kind != CLAUSE))
