"""Aligning the clauses of a base version of a document to its head version.

Why it is not a line diff: inserting one section near the top renumbers every
later clause, and a policy must still see those clauses as the same clauses
("moved"), not as thousands of "modified" ones that hide the one clause that
quietly gained "AI training".

Approach (near-linear in the number of clauses; never all-pairs):

1. Exact content. First the raw title and text, which pairs the bulk of a
   real change with one dictionary; then, for the rest, a key: title and
   text lower-cased, reduced to words, numbers dropped (so that a clause's
   own renumbered number and renumbered cross-references such as "Section 7"
   do not count). A value that occurs exactly once on each side pairs its
   clauses; then the same on the text alone (at least five words), for a
   clause whose heading was reworded. Dictionary look-ups only.
2. The rest (edited, split, merged, duplicated clauses): candidates for each
   head clause come from an inverted index over word pairs (shingles) of the
   unmatched base clauses, asking only its rarest pairs; from windows around
   the positions predicted by the nearest pairs before and after it; from
   the clauses with the same key (duplicates such as "Reserved."); from the
   clause with the same id; from the children of its parent's partner and
   the parents of its children's partners (a heading with no words).
   Each candidate is scored by the Dice coefficient of the two shingle sets,
   plus small bonuses for the same raw text, title, id and family and for
   closeness to the predicted position; pairs are accepted greedily, best
   first, above a threshold that is higher far from the predicted position.
   A clause split in two thus keeps its larger half (the higher Dice score)
   and the other half is "added". Pairs found, it runs again on what is left
   (at most three rounds): an index over fewer clauses ranks other ones first.
3. Clauses of identical content still unpaired pair in order (a run of
   empty list items moved as a block). Then the same id and the same
   non-empty title among what is still unpaired: a clause
   rewritten in place ("10.4 Customer Content" from a licence grant to a
   prohibition) is still that clause, however different the words. This comes
   after step 2 so that a split clause's smaller half, which often keeps the
   number and heading, does not win over its larger half.
4. Order: the longest increasing run of base positions, taken in head order,
   is in place; a pair outside it has moved (two swapped sections).

Status of a pair: "unchanged" (same text and title, same id, in place);
"moved" (same text, but another id or out of order); "modified" (the text or
title changed). Texts compare token by token, ignoring white space, and a
number that differs only because the clause it names was renumbered (base
"Section 5" is head "Section 6" and base clause 5 is head clause 6) does not
count as a change. Only modified pairs pay for difflib, one pair at a time,
for `similarity` and `text_diff`.
"""
from __future__ import annotations

import bisect
import difflib
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from itertools import chain

from termslint.model import (
    ADDED,
    MODIFIED,
    MOVED,
    REMOVED,
    UNCHANGED,
    Changes,
    Clause,
    ClauseChange,
    Document,
    Fact,
)

# Texts this short are too generic to pair on the text alone ("See below.").
MIN_TEXT_KEY_WORDS = 5
# Candidate generation: how many of a clause's rarest shingles to look up, how
# common a shingle may be and still be looked up, how many shingle hits to keep.
RARE_SHINGLES = 8
MAX_POSTINGS = 64
SHINGLE_CANDIDATES = 6
POSITION_WINDOW = 3
# Acceptance (Dice over shingles): near the predicted position; far from it,
# where a pair is both moved and edited and needs more evidence, or a deleted
# clause and an unrelated inserted one of the same boilerplate ("... for no
# longer than necessary.") would pair; and lower when the title agrees, or the
# id does near the predicted position.
MIN_SIMILARITY = 0.5
MIN_SIMILARITY_FAR = 0.65
MIN_SIMILARITY_WITH_TITLE_OR_ID = 0.3
# Bounds on `text_diff`, which is for people and for policies' messages.
MAX_DIFF_CHARS = 400
MAX_RUN_WORDS = 12

# A word with at least one letter: bare numbers are left out of keys.
_KEY_WORD = re.compile(r"\w*[^\W\d]\w*")
# Tokens for comparing texts: a legal number ("10.4", "5(b)", "27") kept whole
# so that a renumbered reference is one token, a word, or one other character.
_TOKEN = re.compile(r"\d+(?:\.\d+)*(?:\([0-9A-Za-z]{1,5}\))*|[^\W\d_]+|\S")
_REFERENCE_WORDS = frozenset({
    "section", "sections", "clause", "clauses", "article", "articles", "paragraph", "paragraphs",
    "schedule", "annex", "appendix", "exhibit", "part", "§", "and", "or", ",", "through", "-", "–",
})
_NUMBER = re.compile(r"\d+(?:\.\d+)*(?:\([0-9A-Za-z]{1,5}\))*")


class _Side:
    """Per-clause values of one version, each computed on first use.

    Most clauses of a real change are byte-identical and pair on their raw
    text, so the normalised keys and shingles are only built for the rest.
    """

    __slots__ = ("clauses", "raw", "_titles", "_keys", "_text_keys", "_shingles")

    def __init__(self, clauses: Sequence[Clause]) -> None:
        self.clauses = clauses
        self.raw = [f"{c.title or ''}\0{c.text}" if c.title or c.text.strip() else "" for c in clauses]
        self._titles: dict[int, str] = {}
        self._keys: dict[int, str] = {}
        self._text_keys: dict[int, str] = {}
        self._shingles: dict[int, frozenset[str]] = {}

    def title(self, i: int) -> str:
        t = self._titles.get(i)
        if t is None:
            t = self._titles[i] = " ".join(_key_words(self.clauses[i].title or ""))
        return t

    def key(self, i: int) -> str:
        """Title and text, normalised; empty for a clause with no words to recognise it by."""
        k = self._keys.get(i)
        if k is None:
            text = " ".join(_key_words(self.clauses[i].text))
            title = self.title(i)
            k = self._keys[i] = f"{title}\n{text}" if title or text else ""
            self._text_keys[i] = text if text.count(" ") + 1 >= MIN_TEXT_KEY_WORDS else ""
        return k

    def text_key(self, i: int) -> str:
        self.key(i)
        return self._text_keys[i]

    def twin_key(self, i: int) -> str:
        """The key, or for a clause without words its marks ("---", "", "1.")."""
        c = self.clauses[i]
        return self.key(i) or "\0" + " ".join(f"{c.title or ''} {c.text}".split())

    def id_title(self, i: int) -> str:
        title = self.title(i)
        return f"{self.clauses[i].id}\n{title}" if title else ""

    def shingles(self, i: int) -> frozenset[str]:
        s = self._shingles.get(i)
        if s is None:
            c = self.clauses[i]
            words = self.key(i).split()  # title and text words, already found
            pairs = [f"{a} {b}" for a, b in zip(words, words[1:])]
            if len(words) >= 8:
                # Word pairs keep some order and are far rarer than single words.
                s = frozenset(pairs)
            elif words:  # short clauses and headings also need their single words to be comparable
                s = frozenset(pairs + words)
            else:  # no words ("---", "1."): only the same marks are the same clause
                s = frozenset(["\0" + " ".join(f"{c.title or ''} {c.text}".split())])
            self._shingles[i] = s
        return s


def _key_words(text: str) -> list[str]:
    return _KEY_WORD.findall(text.lower())


def _dice(a: frozenset[str], b: frozenset[str]) -> float:
    if not a and not b:
        return 1.0
    return 2 * len(a & b) / (len(a) + len(b))


def _pair_unique(key_b: Callable[[int], str], key_h: Callable[[int], str], free_b: Iterable[int],
                 free_h: Iterable[int], match: dict[int, int]) -> None:
    """Pair free clauses whose non-empty key occurs exactly once among the free ones of each side."""
    by_b: dict[str, list[int]] = defaultdict(list)
    for i in free_b:
        if k := key_b(i):
            by_b[k].append(i)
    by_h: dict[str, list[int]] = defaultdict(list)
    for j in free_h:
        if k := key_h(j):
            by_h[k].append(j)
    for key, hs in by_h.items():
        bs = by_b.get(key)
        if bs is not None and len(bs) == 1 and len(hs) == 1:
            match[hs[0]] = bs[0]


def _pair_in_order(key_b: Callable[[int], str], key_h: Callable[[int], str], free_b: Iterable[int],
                   free_h: Iterable[int], match: dict[int, int]) -> None:
    """Pair free clauses of equal key, first with first, as far as both sides go."""
    by_b: dict[str, list[int]] = defaultdict(list)
    for i in free_b:
        by_b[key_b(i)].append(i)
    by_h: dict[str, list[int]] = defaultdict(list)
    for j in free_h:
        by_h[key_h(j)].append(j)
    for key, hs in by_h.items():
        for j, i in zip(hs, by_b.get(key, ())):
            match[j] = i


def _predicted_positions(n_head: int, match: dict[int, int]) -> tuple[list[int], list[int]]:
    """For each head clause, the base positions its nearest pairs before and after suggest.

    Both, because the first clause of a moved block is placed right by the
    pair after it, and the last by the pair before it.
    """
    before: list[int] = []
    last_h, last_b = -1, -1
    for j in range(n_head):
        if j in match:
            last_h, last_b = j, match[j]
        before.append(last_b + (j - last_h))
    after = list(before)
    next_h = -1
    for j in range(n_head - 1, -1, -1):
        if j in match:
            next_h = j
        if next_h >= 0:
            after[j] = match[next_h] - (next_h - j)
    return before, after


def _nearest(sorted_positions: list[int], p: int, k: int) -> list[int]:
    at = bisect.bisect_left(sorted_positions, p)
    return sorted_positions[max(0, at - k): at + k]


def _similar_pairs(base: _Side, head: _Side, match: dict[int, int]) -> None:
    """Step 2: candidate generation, scoring, greedy acceptance (adds to `match`)."""
    matched_b = set(match.values())
    free_b = [i for i in range(len(base.clauses)) if i not in matched_b]
    free_h = [j for j in range(len(head.clauses)) if j not in match]
    if not free_b or not free_h:
        return
    pred_before, pred_after = _predicted_positions(len(head.clauses), match)
    postings: dict[str, list[int]] = defaultdict(list)
    by_key: dict[str, list[int]] = defaultdict(list)
    by_id: dict[str, int] = {}
    by_parent: dict[str, list[int]] = defaultdict(list)
    for i in free_b:
        for sh in base.shingles(i):
            postings[sh].append(i)
        by_key[base.key(i)].append(i)
        by_id.setdefault(base.clauses[i].id, i)
        parent = base.clauses[i].parent
        if parent is not None:
            by_parent[parent].append(i)
    # A sub-clause's parent, once paired, says where its own partner lives;
    # and a heading without words of its own is known by its paired children.
    head_index = {c.id: j for j, c in enumerate(head.clauses)}
    base_free_by_id = {base.clauses[i].id: i for i in free_b}
    parent_of_partners: dict[int, set[int]] = defaultdict(set)
    for j, i in match.items():
        hp, bp = head.clauses[j].parent, base.clauses[i].parent
        if hp is not None and bp is not None and hp in head_index and bp in base_free_by_id:
            parent_of_partners[head_index[hp]].add(base_free_by_id[bp])

    def base_parent_of(j: int) -> str | None:
        parent = head.clauses[j].parent
        pj = head_index.get(parent) if parent is not None else None
        return base.clauses[match[pj]].id if pj is not None and pj in match else None

    scored: list[tuple[float, int, int, int]] = []
    for j in free_h:
        p1, p2 = pred_before[j], pred_after[j]
        cands: set[int] = set()
        # (a) rare shingles: sorted by document frequency, then text, so the
        # choice is deterministic whatever the hash seed. A clause with none
        # ("Reserved.") is found by position or content (b, c) instead.
        hs = head.shingles(j)
        known = sorted((len(postings[sh]), sh) for sh in hs if sh in postings)
        rare = [sh for df, sh in known if df <= MAX_POSTINGS][:RARE_SHINGLES]
        hits = Counter(chain.from_iterable(postings[sh] for sh in rare))  # counted in C
        # One shared shingle out of several is chance, and so is half as many
        # as the best candidate shares; ranking only the rest keeps this step
        # cheap on documents written from a small vocabulary.
        need = max(2 if len(rare) >= 3 else 1, max(hits.values(), default=0) // 2)
        strong = [i for i, n in hits.items() if n >= need]
        if len(strong) > SHINGLE_CANDIDATES:
            strong = sorted(strong, key=lambda i: (-hits[i], min(abs(i - p1), abs(i - p2)), i))
            strong = strong[:SHINGLE_CANDIDATES]
        cands.update(strong)
        # (b) windows around the predicted positions
        cands.update(_nearest(free_b, p1, POSITION_WINDOW))
        cands.update(_nearest(free_b, p2, POSITION_WINDOW))
        # (c) duplicates of the same content: the ones nearest the predictions
        same = by_key.get(head.key(j))
        if same:
            cands.update(_nearest(same, p1, 2))
            cands.update(_nearest(same, p2, 2))
        # (d) the same id; (e) the children of the parent's partner
        i_same = by_id.get(head.clauses[j].id)
        if i_same is not None:
            cands.add(i_same)
        base_parent = base_parent_of(j)
        if base_parent is not None:
            cands.update(_nearest(by_parent.get(base_parent, []), p1, 4))
        # (f) the parents of its children's partners
        family = parent_of_partners.get(j, set())
        cands.update(family)

        for i in cands:
            sim = _dice(base.shingles(i), hs)
            title_eq = bool(head.title(j)) and base.title(i) == head.title(j)
            id_eq = base.clauses[i].id == head.clauses[j].id
            dist = min(abs(i - p1), abs(i - p2))
            floor = MIN_SIMILARITY if dist <= POSITION_WINDOW else MIN_SIMILARITY_FAR
            # After a renumbering the same id is another clause, so it only
            # counts near the predicted position; a heading counts anywhere.
            vouched = title_eq or (id_eq and dist <= POSITION_WINDOW)
            if sim < floor and not (sim >= MIN_SIMILARITY_WITH_TITLE_OR_ID and vouched):
                continue
            # Identical raw text beats text equal only once normalised ("16.3 If ..."
            # against "16.5 If ...", "**Rights**." against "**Rights.**").
            raw_eq = bool(base.raw[i]) and base.raw[i] == head.raw[j]
            family_eq = (base_parent is not None and base.clauses[i].parent == base_parent) or i in family
            score = (sim + 0.1 * raw_eq + 0.1 * title_eq + 0.05 * id_eq + 0.05 * family_eq
                     + 0.05 * max(0.0, 1 - dist / 10))
            scored.append((-score, dist, j, i))
    scored.sort()
    taken_b: set[int] = set()
    for _, _, j, i in scored:
        if j not in match and i not in taken_b:
            match[j] = i
            taken_b.add(i)


def _in_place(match: dict[int, int], n_head: int) -> set[int]:
    """Head positions whose pair lies on a longest increasing run of base positions."""
    seq = [(j, match[j]) for j in range(n_head) if j in match]
    tails: list[int] = []  # base position ending the best run of each length
    tail_at: list[int] = []  # index into seq of that ending
    prev: list[int] = [-1] * len(seq)
    for k, (_, b) in enumerate(seq):
        pos = bisect.bisect_left(tails, b)
        if pos == len(tails):
            tails.append(b)
            tail_at.append(k)
        else:
            tails[pos] = b
            tail_at[pos] = k
        prev[k] = tail_at[pos - 1] if pos else -1
    keep: set[int] = set()
    k = tail_at[-1] if tail_at else -1
    while k >= 0:
        keep.add(seq[k][0])
        k = prev[k]
    return keep


def match_clauses(base: Sequence[Clause], head: Sequence[Clause]) -> dict[int, int]:
    """Head position -> base position for every clause that has a counterpart."""
    b, h = _Side(base), _Side(head)
    match: dict[int, int] = {}
    _pair_unique(b.raw.__getitem__, h.raw.__getitem__, range(len(base)), range(len(head)), match)

    def free() -> tuple[list[int], list[int]]:
        taken = set(match.values())
        return ([i for i in range(len(base)) if i not in taken],
                [j for j in range(len(head)) if j not in match])

    fb, fh = free()
    _pair_unique(b.key, h.key, fb, fh, match)
    fb, fh = free()
    _pair_unique(b.text_key, h.text_key, fb, fh, match)
    # Again while it finds pairs: a clause whose best candidates were all taken
    # (one of many identical paragraphs, moved far) finds its partner among
    # the few left, which a second, much smaller index ranks first.
    for _ in range(3):
        before = len(match)
        _similar_pairs(b, h, match)
        if len(match) == before:
            break
    # Clauses of identical content still left over (a run of empty list items,
    # a dozen "Reserved." moved as a block) pair in order: nothing else tells
    # them apart, and each round above only reaches the nearest few.
    fb, fh = free()
    _pair_in_order(b.twin_key, h.twin_key, fb, fh, match)
    # Last, so that a clause split in two keeps its larger half even when the
    # smaller half kept the number and heading.
    fb, fh = free()
    _pair_unique(b.id_title, h.id_title, fb, fh, match)
    _uncross_duplicates(b, h, match)
    return match


def _uncross_duplicates(base: _Side, head: _Side, match: dict[int, int]) -> None:
    """Pair clauses of identical content in order (first with first, ...).

    Which of several identical "Reserved." clauses pairs with which does not
    change what a reviewer sees, but crossed pairs would show as "moved".
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for j, i in match.items():
        if base.raw[i] and base.raw[i] == head.raw[j]:
            groups[base.raw[i]].append(j)
    for js in groups.values():
        if len(js) > 1:
            js.sort()
            for j, i in zip(js, sorted(match[j] for j in js)):
                match[j] = i


# ---------------------------------------------------------------- describing a pair

def _tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _renumbered_refs(a: str, b: str, id_map: dict[str, str]) -> list[tuple[str, str]] | None:
    """The numbers that changed if `a` and `b` differ only by renumbered references, else None.

    Token-equal (white space aside), except that a number may differ when it
    names a clause that was renumbered so. Only a number in reference
    position counts ("Section 5", "Sections 4 and 5", "5.2", or the clause's
    own leading number): "30 days" must not become "31 days" unnoticed
    because section 30 happens to be section 31 now.
    """
    if a == b:
        return []
    ta, tb = _tokens(a), _tokens(b)
    if len(ta) != len(tb):
        return None
    changed = []
    for k, (x, y) in enumerate(zip(ta, tb)):
        if x == y:
            continue
        if id_map.get(x) != y or _NUMBER.fullmatch(x) is None:
            return None
        if not (k == 0 or "." in x or "(" in x or ta[k - 1].lower() in _REFERENCE_WORDS):
            return None
        changed.append((x, y))
    return changed


def _clip(words: Sequence[str]) -> str:
    if len(words) > MAX_RUN_WORDS:
        half = MAX_RUN_WORDS // 2
        return " ".join([*words[:half], "…", *words[-(MAX_RUN_WORDS - half - 1):]])
    return " ".join(words)


def word_diff(old: str, new: str) -> tuple[str, float]:
    """A short word-level diff ("- old words + new words", hunks joined by " … ") and the similarity."""
    a, b = old.split(), new.split()
    # autojunk would treat frequent words as noise and make odd hunks; it only
    # pays off for very long texts, where it keeps difflib fast.
    sm = difflib.SequenceMatcher(None, a, b, autojunk=len(a) + len(b) > 2000)
    hunks: list[str] = []
    for op, i1, i2, j1, j2 in sm.get_opcodes():
        if op == "equal":
            continue
        parts = []
        if i2 > i1:
            parts.append("- " + _clip(a[i1:i2]))
        if j2 > j1:
            parts.append("+ " + _clip(b[j1:j2]))
        hunks.append(" ".join(parts))
    return _join_bounded(hunks), sm.ratio()


def _join_bounded(hunks: list[str]) -> str:
    out = ""
    for k, hunk in enumerate(hunks):
        piece = hunk if not out else f"{out} … {hunk}"
        if len(piece) > MAX_DIFF_CHARS and out:
            return f"{out} … (+{len(hunks) - k} more changes)"
        out = piece if len(piece) <= MAX_DIFF_CHARS else piece[: MAX_DIFF_CHARS - 1] + "…"
    return out


def _whole(sign: str, c: Clause) -> str:
    """The diff of a clause that exists on one side only: its text, bounded."""
    words = c.text.split()
    text = " ".join(words)
    if len(text) > MAX_DIFF_CHARS - 2:
        text = text[: MAX_DIFF_CHARS - 3].rsplit(" ", 1)[0] + " …"
    return f"{sign} {text}" if words else ""


def _fact_difference(mine: Iterable[Fact], theirs: Iterable[Fact]) -> list[Fact]:
    """Facts of `mine` whose key is not among `theirs`, first of each key, in order."""
    other = {f.key() for f in theirs}
    seen: set[tuple[object, ...]] = set()
    out = []
    for f in mine:
        k = f.key()
        if k not in other and k not in seen:
            seen.add(k)
            out.append(f)
    return out


def _describe(b: Clause, h: Clause, in_place: bool, id_map: dict[str, str]) -> ClauseChange:
    title_refs = _renumbered_refs(" ".join((b.title or "").split()), " ".join((h.title or "").split()),
                                  id_map)
    text_refs = _renumbered_refs(b.text, h.text, id_map) if title_refs is not None else None
    if title_refs is not None and text_refs is not None:
        status = UNCHANGED if b.id == h.id and in_place else MOVED
        # Renumbered cross-references are worth showing though the clause reads
        # the same; the tokens are known, so no difflib for these (often many).
        diff = _join_bounded([f"- {x} + {y}" for x, y in text_refs])
        similarity = 1.0
    else:
        status = MODIFIED
        diff, similarity = word_diff(b.text, h.text)
        if (b.title or "") != (h.title or ""):
            title_diff = word_diff(b.title or "", h.title or "")[0]
            diff = _join_bounded([f"title: {title_diff}", diff] if diff else [f"title: {title_diff}"])
    return ClauseChange(
        status=status,
        base_id=b.id,
        head_id=h.id,
        similarity=similarity,
        facts_added=_fact_difference(h.facts, b.facts),
        facts_removed=_fact_difference(b.facts, h.facts),
        text_diff=diff,
        base_title=b.title,
        head_title=h.title,
    )


# ---------------------------------------------------------------- public API

def align_clauses(base: Document, head: Document) -> list[ClauseChange]:
    """Every clause of both versions once: paired ones as unchanged/moved/modified, the rest added/removed.

    Ordered by head clause order; a removed clause follows the pair of its
    nearest preceding base clause that has one (or comes first).
    """
    match = match_clauses(base.clauses, head.clauses)
    id_map = {base.clauses[i].id: head.clauses[j].id for j, i in match.items()}
    keep = _in_place(match, len(head.clauses))

    # Where each removed base clause goes: after the head clause paired with its
    # nearest matched predecessor in the base (-1: before everything).
    base_to_head = {i: j for j, i in match.items()}
    removed_after: dict[int, list[int]] = defaultdict(list)
    anchor = -1
    for i in range(len(base.clauses)):
        if i in base_to_head:
            anchor = base_to_head[i]
        else:
            removed_after[anchor].append(i)

    def removed(at: int) -> list[ClauseChange]:
        return [
            ClauseChange(REMOVED, c.id, None, 0.0, facts_removed=_fact_difference(c.facts, ()),
                         text_diff=_whole("-", c), base_title=c.title)
            for c in (base.clauses[i] for i in removed_after.get(at, ()))
        ]

    out = removed(-1)
    for j, h in enumerate(head.clauses):
        if j in match:
            out.append(_describe(base.clauses[match[j]], h, j in keep, id_map))
        else:
            out.append(ClauseChange(ADDED, None, h.id, 0.0, facts_added=_fact_difference(h.facts, ()),
                                    text_diff=_whole("+", h), head_title=h.title))
        out.extend(removed(j))
    return out


def build_changes(base: Document | None, head: Document, rev: str) -> Changes:
    """`input.changes` for `head` against its version at `rev` (None: the file is new there)."""
    if base is None:
        clauses = [
            ClauseChange(ADDED, None, h.id, 0.0, facts_added=_fact_difference(h.facts, ()),
                         text_diff=_whole("+", h), head_title=h.title)
            for h in head.clauses
        ]
        return Changes(base_rev=rev, base_metadata={}, head_metadata=dict(head.metadata),
                       clauses=clauses, new_document=True)
    return Changes(base_rev=rev, base_metadata=dict(base.metadata), head_metadata=dict(head.metadata),
                   clauses=align_clauses(base, head))
