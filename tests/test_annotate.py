"""The annotator: labelled sentences, documents, evidence positions, vocabulary config."""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from termslint.annotate import (
    Vocabulary,
    _lower_regex,
    annotate_document,
    annotate_sentence,
    split_sentences,
    summarise_facts,
)
from termslint.errors import ConfigError
from termslint.model import Clause, Definition, Document, Fact, Span

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
import annotate_quality as labels  # noqa: E402  (the bench's own label reader)

FIXTURES = Path(__file__).parent / "fixtures" / "annotate"
CASES = labels.load_cases(FIXTURES / "labelled.yaml")


@pytest.fixture(scope="module")
def vocab() -> Vocabulary:
    return Vocabulary.load()


def make_doc(text: str, definitions: dict[str, str] | None = None, title: str | None = None) -> Document:
    """A one-clause document whose clause text is `text`, line by line from line 1."""
    lines = text.split("\n")
    starts, off = [], 0
    for i, line in enumerate(lines):
        starts.append((off, i + 1, 1))
        off += len(line) + 1
    clause = Clause(id="1", number="1", title=None, level=1, parent=None, path=["1"], text=text,
                    span=Span(1, len(lines)), line_starts=starts)
    defs = {t: Definition(t, "1", Span(1, 1), text=f'"{t}" means {d}') for t, d in (definitions or {}).items()}
    return Document(path="t.md", title=title, metadata={}, clauses=[clause], definitions=defs,
                    line_count=len(lines), lines=lines)


def _case_id(case: dict[str, Any]) -> str:
    return f"{case['g']}:{case['t'][:50]}"


@pytest.mark.parametrize("case", CASES, ids=[_case_id(c) for c in CASES])
def test_labelled_sentence(case: dict[str, Any], vocab: Vocabulary) -> None:
    exp = labels.expected(case)
    got = labels.predicted(case, vocab)
    right = {k: got[k] for k in exp} == exp
    if case.get("gap"):
        # A known gap that is now read right must lose its `gap`, or it stops guarding.
        assert not right, f"read right now: remove `gap` from this case ({case['gap']})"
        pytest.xfail(case["gap"])
    assert {k: got[k] for k in exp} == exp


def test_labelled_set_is_large_and_varied() -> None:
    groups = [c["g"] for c in CASES]
    assert len(CASES) >= 220
    assert sum(1 for c in CASES if c["g"] == "ai" and c.get("ai")) >= 50
    assert groups.count("neg") >= 30 and groups.count("optout") >= 20 and groups.count("optin") >= 15


def test_prefilter_changes_nothing(vocab: Vocabulary) -> None:
    """The keyword pre-filter only skips work: results equal a full search (purpose-bearing cases)."""
    from termslint.annotate import _analyse, _build_context

    for case in CASES:
        ctx = _build_context(vocab, labels.case_definitions(case), None)
        fast = _analyse(case["t"], ctx)
        slow = _analyse(case["t"], ctx, use_prefilter=False)
        fast_keys = {(f.modality, f.actor, tuple(sorted(f.purposes))) for f in fast}
        slow_keys = {(f.modality, f.actor, tuple(sorted(f.purposes))) for f in slow
                     if f.purposes & vocab_trigger_purposes(vocab) or f.license or f.conditions & {"opt_out_available"}}
        assert slow_keys <= fast_keys | {k for k in slow_keys if not set(k[2]) & vocab_trigger_purposes(vocab)}, case["t"]


def vocab_trigger_purposes(vocab: Vocabulary) -> set[str]:
    return {k.split(":", 1)[1] for k in vocab.trigger_concepts if k.startswith("purpose:")}


def test_prohibition_is_never_a_grant(vocab: Vocabulary) -> None:
    facts = annotate_sentence("We will not use your Customer Content to train our AI models without your consent.", vocab)
    assert len(facts) == 1
    f = facts[0]
    assert (f.modality, f.actor, f.data, f.purposes, f.conditions) == (
        "prohibition", "company", ["customer_content"], ["ai_training"], ["opt_in_consent"])
    assert not summarise_facts(facts)["ai_training_grant"]


def test_partial_carve_out(vocab: Vocabulary) -> None:
    f = annotate_sentence("Notwithstanding the above, we will not use audio, video or chat Customer Content to train AI.", vocab)[0]
    assert f.partial and f.data_terms == ["audio", "video", "chat"]
    assert any(e.concept == "override:notwithstanding" for e in f.evidence)
    whole = annotate_sentence("We will not use your Customer Content to train AI.", vocab)[0]
    assert not whole.partial and whole.data_terms == []


def test_an_exception_makes_every_promise_of_its_sentence_partial(vocab: Vocabulary) -> None:
    """"We do not use A to do X, or B to do Y, except as described in Section 6": both promises have the exception."""
    facts = annotate_sentence("We do not use your messages to train our models, or your contact details to send "
                              "marketing emails, except as described in Section 6.", vocab)
    assert [(f.purposes, f.partial) for f in facts] == [(["ai_training"], True), (["marketing"], True)]


def test_licence_scope_negations(vocab: Vocabulary) -> None:
    f = annotate_sentence("You grant us a non-exclusive, non-transferable, non-sublicensable, revocable licence "
                          "to host Your Content solely to provide the Services to you.", vocab)[0]
    assert f.license is not None
    assert f.license.scope_words() == [] and f.license.limited_to_service
    g = annotate_sentence("You grant us a perpetual, irrevocable, worldwide, royalty-free, sublicensable and "
                          "transferable licence to use Customer Content for machine learning.", vocab)[0]
    assert g.license is not None and g.license.scope_words() == [
        "perpetual", "irrevocable", "worldwide", "royalty_free", "sublicensable", "transferable"]
    assert g.modality == "grant" and g.actor == "company" and "ai_training" in g.purposes


def test_definitions_decide_the_category(vocab: Vocabulary) -> None:
    doc = make_doc("We may use Materials and Service Data to train our models.",
                   {"Materials": "all files and content you upload to the Services.",
                    "Service Data": "telemetry and diagnostic data generated by your use of the Services.",
                    "Services": "the products and content we provide."})
    annotate_document(doc, vocab)
    assert doc.definitions["Materials"].category == "customer_content"
    assert doc.definitions["Service Data"].category == "service_generated_data"
    assert doc.definitions["Services"].category is None
    assert doc.clauses[0].facts[0].data == ["customer_content", "service_generated_data"]


def test_company_name_from_parties_clause(vocab: Vocabulary) -> None:
    doc = make_doc('These Terms are between you and Northwind Ltd. ("Northwind", "we", "us").\n'
                   "Northwind may use Usage Data to train its models.")
    annotate_document(doc, vocab)
    f = doc.clauses[0].facts[0]
    assert f.actor == "company"
    assert any(e.concept == "actor:company" and e.text == "Northwind" for e in f.evidence)


def test_company_name_from_a_legal_name_without_we(vocab: Vocabulary) -> None:
    # A contract between two companies names neither "we": the short name
    # after a legal suffix is the company's, the one that is a user word is not.
    doc = make_doc('This Agreement is between Globex Corp. ("Customer") and Northwind Ltd. ("Northwind").\n'
                   "When Customer uploads files, Northwind may use them to train its models.")
    annotate_document(doc, vocab)
    f = doc.clauses[0].facts[0]
    assert f.actor == "company" and f.purposes == ["ai_training"]
    assert any(e.concept == "actor:company" and e.text == "Northwind" for e in f.evidence)


def test_a_company_named_ai_is_not_ai_training(vocab: Vocabulary) -> None:
    # "by and between Northwind AI and Customer" names the company; the "AI" of its
    # name is no purpose: improving "the Northwind AI Platform" is not AI training.
    doc = make_doc("This Agreement is entered into by and between Northwind AI and Customer.\n"
                   "Customer agrees that Northwind AI may use Usage Data for any purpose, including to improve "
                   "the Northwind AI Platform.")
    annotate_document(doc, vocab)
    f = doc.clauses[0].facts[0]
    assert (f.actor, f.purposes) == ("company", ["any_purpose"])
    assert any(e.concept == "actor:company" and e.text == "Northwind AI" for e in f.evidence)


def test_a_term_defined_as_feedback_is_not_content(vocab: Vocabulary) -> None:
    def category(definition: str) -> str | None:
        doc = make_doc("You grant Acme a perpetual licence to use your Submissions for any purpose.",
                       {"Submissions": definition})
        annotate_document(doc, vocab)
        return doc.definitions["Submissions"].category

    assert category("any questions, suggestions, ideas or other feedback you send us about the Service.") is None
    assert category("any comments, suggestions, ideas, photographs and other materials you post to the Service.") == "customer_content"
    assert category("any text, images or other content you upload to the Service.") == "customer_content"
    assert category("any content you upload, but does not include suggestions, ideas or other feedback.") == "customer_content"


def test_these_submissions_defined_as_feedback_do_not_point_back(vocab: Vocabulary) -> None:
    doc = make_doc("We may use your photos to improve the Service. Acme may use these Submissions for any purpose.",
                   {"Submissions": "any questions, suggestions, ideas or other feedback you send us."})
    annotate_document(doc, vocab)
    any_purpose = [f for f in doc.clauses[0].facts if "any_purpose" in f.purposes]
    assert any_purpose and all(f.data == [] for f in any_purpose)


def test_evidence_columns_follow_the_raw_markdown(vocab: Vocabulary) -> None:
    raw = "We may use your **Customer Content** to train our *AI models*."
    doc = make_doc("We may use your Customer Content to train our AI models.")
    doc.lines = [raw]
    annotate_document(doc, vocab)
    ev = {e.concept: e for e in doc.clauses[0].facts[0].evidence}
    cc = ev["data:customer_content"]
    assert raw[cc.span.start_col - 1 : cc.span.end_col] in ("your **Customer Content", "Customer Content")
    ai = ev["purpose:ai_training"]
    assert ai.span.start_line == 1 and raw[ai.span.start_col - 1 :].startswith("train")


def test_evidence_on_second_line(vocab: Vocabulary) -> None:
    doc = make_doc("Some preamble here.\nWe may use Usage Data for any purpose.")
    annotate_document(doc, vocab)
    ev = {e.concept: e for e in doc.clauses[0].facts[0].evidence}
    span = ev["purpose:any_purpose"].span
    assert (span.start_line, span.start_col) == (2, len("We may use Usage Data ") + 1)
    assert doc.clauses[0].tags == ["any_purpose", "permission", "service_generated_data"]


def test_lead_in_continues_into_sub_clauses(vocab: Vocabulary) -> None:
    parent = Clause(id="5", number="5", title=None, level=1, parent=None, path=["5"],
                    text="We may use your Customer Content to:", span=Span(1, 1), line_starts=[(0, 1, 1)])
    child = Clause(id="5(a)", number="(a)", title=None, level=2, parent="5", path=["5", "5(a)"],
                   text="(a) train our machine learning models;", span=Span(2, 2), line_starts=[(0, 2, 1)])
    lines = [parent.text, child.text]
    doc = Document("t.md", None, {}, [parent, child], {}, 2, lines=lines)
    annotate_document(doc, vocab)
    assert parent.facts == []
    f = child.facts[0]
    assert (f.modality, f.actor, f.data, f.purposes) == ("permission", "company", ["customer_content"], ["ai_training"])
    assert {e.span.start_line for e in f.evidence} == {1, 2}
    assert f.span is not None and f.span.start_line == 2


@pytest.mark.parametrize("title, forbidden", [
    ("What am I not permitted to do with our content?", True),
    ("Prohibited uses", True),
    ("Restrictions", True),
    ("How we use your content", False),  # the same words are then the company's use
    ("Restrictions on our use of your data", False),
])
def test_imperatives_under_a_restriction_title_forbid_the_user(vocab: Vocabulary, title: str,
                                                               forbidden: bool) -> None:
    from termslint.parse import parse_document

    doc = parse_document(f"# Terms\n\n## 6. {title}\n\n"
                         "- Use any of our content for machine learning or artificial intelligence purposes.\n"
                         "- Not to train any AI model using content posted on our site.\n"
                         "- We may use your content to train our models.\n", "t.md")
    annotate_document(doc, vocab)
    facts = doc.clauses[-1].facts
    imperative = [f for f in facts if f.text.lstrip("- ").startswith(("Use", "Not to"))]
    assert len({f.text for f in imperative}) == 2
    assert imperative and all(f.modality == ("prohibition" if forbidden else "permission") for f in imperative)
    assert all(f.actor == ("user" if forbidden else "company") for f in imperative)
    # A sentence with its own subject keeps it, whatever the title.
    own = [f for f in facts if "We may" in f.text]
    assert own and all((f.actor, f.modality) == ("company", "permission") for f in own)


def test_sentence_splitting_respects_abbreviations(vocab: Vocabulary) -> None:
    text = "Acme Inc. may use data, e.g. logs, i.e. telemetry, under Sec. 4 and No. 5 here. Then (i) this. Next one."
    spans = split_sentences(text, vocab)
    assert [text[a:b] for a, b in spans] == [
        "Acme Inc. may use data, e.g. logs, i.e. telemetry, under Sec. 4 and No. 5 here.", "Then (i) this.", "Next one."]
    # A symbol or an emoji before the next capital still ends the sentence.
    text = "Read the Notice. ⚖️ A Quick Chat about Chatbots! ➡ We use chat data. 🙂 Thanks."
    assert [text[a:b] for a, b in split_sentences(text, vocab)] == [
        "Read the Notice.", "⚖️ A Quick Chat about Chatbots!", "➡ We use chat data.", "🙂 Thanks."]


def test_user_vocabulary_extends_and_is_checked() -> None:
    v = Vocabulary.load({"purposes": {"ai_training": {"patterns": [r"\bfeed\b.{0,40}?\bthe\s+oracle\b"]}}})
    facts = annotate_sentence("We may feed your content into the oracle.", v)
    assert facts and facts[0].purposes == ["ai_training"]
    with pytest.raises(ConfigError, match=r"purposes\.marketing\.patterns\[\d+\].*does not compile"):
        Vocabulary.load({"purposes": {"marketing": {"patterns": ["(unclosed"]}}})
    for bad in ["(a+)+", "(.*)*x", r"(?:\w+\s*)*$", "(a|aa)+$", "(?:ab|a)*c", r"(?:\s|\s\s)+x"]:
        with pytest.raises(ConfigError, match="exponential"):
            Vocabulary.load({"purposes": {"research": {"patterns": [bad]}}})
    # Patterns are joined into one regex per concept: what breaks there is refused up front.
    for bad in ["(?i)model training", "(?P<verb>train)", r"(train)\s+\1"]:
        with pytest.raises(ConfigError, match="cannot be joined"):
            Vocabulary.load({"purposes": {"research": {"patterns": [bad]}}})
    # One pattern of a concept may mark its mention as the group `tail`; a second would clash.
    v = Vocabulary.load({"purposes": {"research": {"patterns": [r"\boracle\b.{0,40}?\b(?P<tail>studies)\b"]}}})
    (fact,) = annotate_sentence("We may use your content in oracle studies.", v)
    assert [e.text for e in fact.evidence if e.concept == "purpose:research"] == ["studies"]
    with pytest.raises(ConfigError, match=r"purposes\.ai_training\.patterns: more than one pattern marks"):
        Vocabulary.load({"purposes": {"ai_training": {"patterns": [r"\bbot\b.{0,9}(?P<tail>learns)"]}}})
    # Repeats that cannot split the same text two ways pass: one width, or a bounded count.
    for good in ["(?:cat|car)+", r"(?:\w|\d)+", r"(?:\b\w+\b\s){0,6}model", "(?:a|bb){1,5}"]:
        Vocabulary.load({"purposes": {"research": {"patterns": [good]}}})
    with pytest.raises(ConfigError, match="unknown key"):
        Vocabulary.load({"purpose": {}})
    with pytest.raises(ConfigError, match="keywords"):
        Vocabulary.load({"purposes": {"research": {"keywords": ["re(search"], "patterns": ["x"]}}})


def test_user_vocabulary_new_category_and_replace() -> None:
    v = Vocabulary.load({"data": {"health_data": {"patterns": [r"\bhealth\s+(?:data|records)\b"]}}})
    f = annotate_sentence("We may use your health records to train our models.", v)[0]
    assert "health_data" in f.data
    v2 = Vocabulary.load({"purposes": {"marketing": {"replace": True, "patterns": [r"\bnewsletters?\b"]}}})
    assert annotate_sentence("We use your data for marketing.", v2) == []


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    v = _VOCAB
    for f in annotate_sentence(text, v):
        for e in f.evidence:
            assert e.span.start_line >= 1


_VOCAB = Vocabulary.load()


def test_a_long_clause_yields_a_fact_for_each_paragraph(vocab: Vocabulary) -> None:
    para = ("We collect your name and address when you register. We may use Usage Data for analytics and to "
            "train our models {}. You can opt out in Settings. The governing law is that of Sweden.\n\n")
    doc = make_doc("".join(para.format(i) for i in range(400)))
    annotate_document(doc, vocab)
    ai = [f for f in doc.clauses[0].facts if "ai_training" in f.purposes]
    assert len(ai) == 400 and all("opt_out_available" in f.conditions for f in ai)


def test_heading_line_ends_a_sentence(vocab: Vocabulary) -> None:
    """A short heading line joined to the next paragraph is a sentence of its own;
    a hard-wrapped paragraph is not split at its line ends."""
    text = "Names of others may be their trademarks.\nAnonymous Data\nWe may disclose anonymous data for any purpose."
    assert [text[a:b] for a, b in split_sentences(text, vocab)] == [
        "Names of others may be their trademarks.", "Anonymous Data", "We may disclose anonymous data for any purpose."]
    wrapped = "Our vendors may see Customer Data only to help us, and\nAcme requires them to keep it secret."
    assert len(split_sentences(wrapped, vocab)) == 1
    doc = make_doc(text)
    annotate_document(doc, vocab)
    (f,) = doc.clauses[0].facts
    assert f.data == ["deidentified_data"] and f.span is not None and f.span.start_line == 3


def test_data_that_identifies_no_one_is_not_personal_data(vocab: Vocabulary) -> None:
    for text in ["We may use and share non-personal information for any purpose.",
                 "We may use aggregate or de-identified information for any purpose permitted by law.",
                 "Information that cannot be linked to you may be used for any purpose."]:
        (f,) = annotate_sentence(text, vocab)
        assert f.data == ["deidentified_data"] and "any_purpose" in f.purposes, text
        assert "aggregated_or_deidentified" in f.conditions, text
    (g,) = annotate_sentence("We may use your personal information for any purpose.", vocab)
    assert g.data == ["personal_data"]


def test_bounded_or_negated_any_purpose(vocab: Vocabulary) -> None:
    """Purpose limits, causes and negations are not "any purpose"."""
    for text in ["Our processors must not use Personal Data for any other purpose.",
                 "Our processors are obligated not to disclose or use Personal Data for any other purpose.",
                 "We process Personal Data for the purposes above and not for any other purpose.",
                 "We may use Personal Data for any other purpose disclosed to you at the time of collection.",
                 "We may use Personal Data for any other purpose with your consent.",
                 "On expiry of the contract, for any reason whatsoever, we will archive the Personal Data."]:
        facts = annotate_sentence(text, vocab)
        assert not any("any_purpose" in f.purposes and f.modality in ("grant", "permission") for f in facts), text
    (f,) = annotate_sentence("We may keep and use Personal Data for any reason whatsoever.", vocab)
    assert f.purposes == ["any_purpose"] and f.modality == "permission"


def test_purpose_reference_is_not_borrowed_by_a_statement_with_its_own_purpose(vocab: Vocabulary) -> None:
    """'to do so' borrows the purposes named before only when the statement names none of its own."""
    facts = annotate_sentence("We may use your support tickets to train our AI models. Where you expressly "
                              "authorise us to do so, we may share a ticket with an outside expert for the purpose "
                              "of answering your request.", vocab)
    (grant,) = [f for f in facts if f.modality == "grant"]
    assert "ai_training" not in grant.purposes
    # Asked-for permission is consent to that sharing, neither a licence nor consent to the training.
    facts = annotate_sentence("We may use your support tickets to train our AI models. Where you give us express "
                              "permission to do so, we may share a ticket with an outside expert for the purpose "
                              "of answering your request.", vocab)
    assert [(f.modality, f.purposes, f.conditions) for f in facts] == [("permission", ["ai_training"], [])]
    facts = annotate_sentence("We may use your support tickets to train our AI models. If you ask us to stop "
                              "doing so, we may still use them to do so for tickets already reviewed.", vocab)
    # Without a purpose of its own, the second statement borrows the training.
    assert [f.purposes for f in facts if f.actor == "company"] == [["ai_training"], ["ai_training"]]


def test_opting_out_of_marketing_is_no_choice_over_training(vocab: Vocabulary) -> None:
    text = ("We may use your personal data for marketing and to train our AI models. "
            "You can object to the use of your personal data for direct marketing at any time.")
    (use,) = [f for f in annotate_sentence(text, vocab) if f.actor == "company"]
    assert "ai_training" in use.purposes and "opt_out_available" not in use.conditions
    text = "We may use your personal data for marketing. You can opt out of marketing at any time."
    (use,) = [f for f in annotate_sentence(text, vocab) if f.actor == "company"]
    assert "opt_out_available" in use.conditions


def test_parallel_uses_pair_each_data_with_its_own_purpose(vocab: Vocabulary) -> None:
    """'We use A to do X, and B to do Y': A is not used for Y."""
    def pairs(text: str) -> list[tuple[str, list[str], list[str]]]:
        return [(f.modality, f.data, f.purposes) for f in annotate_sentence(text, vocab)]

    assert pairs("We use Customer Content to provide the Services, and Usage Data to train our AI models.") == [
        ("permission", ["customer_content"], ["providing_service"]),
        ("permission", ["service_generated_data"], ["ai_training"])]
    assert pairs("We will not use your content to train our models or your usage data to sell advertising.") == [
        ("prohibition", ["customer_content"], ["ai_training"]),
        ("prohibition", ["service_generated_data"], ["advertising"])]
    # One data for two purposes, or a list of data for one purpose: one statement.
    assert pairs("We may use your content to train our models and to improve the Services.") == [
        ("permission", ["customer_content"], ["ai_training", "product_improvement"])]
    assert pairs("We may use your content and usage data to train our models.") == [
        ("permission", ["customer_content", "service_generated_data"], ["ai_training"])]


def test_restrictive_relative_clause_starts_no_statement(vocab: Vocabulary) -> None:
    """'for any purpose which may benefit us' stays inside the licence grant."""
    facts = annotate_sentence("You grant us a perpetual, sublicensable licence to use and otherwise exploit "
                              "User Content in any media, on Third Party Channels and for any purpose which may "
                              "benefit our business.", vocab)
    assert [(f.modality, f.actor, f.data, f.purposes) for f in facts] == [
        ("grant", "company", ["customer_content"], ["any_purpose"])]


def test_negations_without_not(vocab: Vocabulary) -> None:
    for text in ["Customer Content is excluded from AI model training.",
                 "Enterprise workspaces are opted out of AI training by default.",
                 "No Customer Content is ever used to train our models.",
                 "Acme prohibits its vendors from training models on Customer Data."]:
        facts = annotate_sentence(text, vocab)
        assert facts and all(f.modality == "prohibition" for f in facts), text
        # the company's side: itself, or the vendors it forbids ("prohibits its vendors from")
        assert facts[0].actor == ("third_party" if "vendors" in text else "company"), text
        assert not summarise_facts(facts)["ai_training_grant"], text


def test_2023_final_prohibition_is_not_partial(vocab: Vocabulary) -> None:
    """A list of parts that ends in 'or other ... Customer Content' covers all customer content."""
    (f,) = annotate_sentence("Acme does not use any of your audio, video, chat, screen sharing, attachments or other "
                             "meeting-type Customer Content (for example polls and reactions) to train Acme or "
                             "third-party AI models.", vocab, {"Acme": "company"})
    assert (f.modality, f.data, f.purposes, f.partial) == ("prohibition", ["customer_content"], ["ai_training"], False)
    (g,) = annotate_sentence("Acme does not use your audio, video or chat content to train Acme or third-party AI "
                             "models.", vocab, {"Acme": "company"})
    assert g.partial and g.data_terms == ["audio", "video", "chat"]


def test_user_data_patterns_bypass_the_keyword_prefilter() -> None:
    """Extending a category or subset_patterns without keywords still finds the new words."""
    v = Vocabulary.load({"data": {"public_data": {"patterns": [r"\bopen\s+web\s+text\b"]}},
                         "subset_patterns": [r"\byour\s+holograms\b"]})
    f = annotate_sentence("We may use open web text to train our models.", v)[0]
    assert f.data == ["public_data"]
    g = annotate_sentence("We will not use your holograms to train AI.", v)[0]
    assert g.data == ["customer_content"]


@pytest.mark.parametrize(("pattern", "lowered"), [
    (r"\bAI\s+Models?\b", r"\bai\s+models?\b"),  # escapes keep their case: \S is not \s
    (r"(?P<Verb>Train)\S+", r"(?P<verb>train)\S+"),  # the syntax (?P stays; the name is lowered too
    (r"ÉTUDE|ΣΟΦΙΑ|İ", "étude|σοφια|i̇"),  # per character, as the text is lowered
    ("trailing\\", "trailing\\"),
])
def test_lowered_patterns_keep_the_case_of_escapes(pattern: str, lowered: str) -> None:
    assert _lower_regex(pattern) == lowered


def _begins(word: str, keyword: str) -> bool:
    """The keyword rule, spelled out: a keyword begins the word; "ai$" is the whole word (or "ai-...")."""
    if keyword.endswith("$"):
        k = keyword[:-1]
        return word == k or (word.startswith(k) and word[len(k):len(k) + 1] in ("-", "'", "’", " "))
    return word.startswith(keyword)


def _concepts_by_brute_force(v: Vocabulary, word: str) -> tuple[frozenset[str], bool]:
    starts = [word[i:] for i in range(len(word)) if i == 0 or word[i - 1] == " "]
    keys = frozenset(key for key, ks, _ in v._keyed if any(_begins(w, k) for w in starts for k in ks))
    return keys, any(_begins(w, k) for _, _, ts in v._keyed for k in ts for w in starts)


KEYWORD_WORDS = ["ai", "ai-based", "aid", "train", "trains", "training data", "machine learning",
                 "personal", "non-personal", "opt-out", "consent", "licence", "license", "x", "zzz"]


@settings(max_examples=400, deadline=None)
@given(st.one_of(st.sampled_from(KEYWORD_WORDS),
                 st.text(alphabet="aeilnorstu -'", min_size=1, max_size=14)))
def test_keyword_lookup_finds_what_trying_every_keyword_finds(vocab: Vocabulary, word: str) -> None:
    """The keyword index (a lookup per beginning of the word) answers as the rule does keyword by keyword."""
    assert vocab.concepts_of_word(word) == _concepts_by_brute_force(vocab, word)


def test_keyword_lookup_over_real_words(vocab: Vocabulary) -> None:
    assert vocab.keyword_scan is not None
    text = " ".join(case["t"] for case in CASES).lower()
    words = {m.group() for m in vocab.keyword_scan.finditer(text)}
    assert len(words) > 100
    for word in words:
        assert vocab.concepts_of_word(word) == _concepts_by_brute_force(vocab, word), word
    assert "purpose:ai_training" in vocab.concepts_of_word("train")[0]


def test_evidence_columns_never_point_past_the_raw_line(vocab: Vocabulary) -> None:
    """When the raw line does not hold the words where the text says, spans keep lines only."""
    doc = make_doc("We may use Usage Data for any purpose.")
    doc.lines = ["We may"]
    annotate_document(doc, vocab)
    (f,) = doc.clauses[0].facts
    for span in [f.span] + [e.span for e in f.evidence]:
        assert span is not None and span.start_line == 1
        assert span.end_col is None or span.end_col <= len(doc.lines[0]) + 1


def test_every_builtin_pattern_passes_the_checks_user_patterns_get() -> None:
    """Start-up trusts the built-in patterns; this is where they earn that trust."""
    from termslint.annotate import _read_builtin

    Vocabulary(_read_builtin())  # no trusted set: each pattern compiled alone and checked for backtracking


# ---------------------------------------------------------------- tables

def _parsed(markdown: str, vocab: Vocabulary) -> Document:
    from termslint.parse import parse_document

    doc = parse_document(markdown, "t.md")
    annotate_document(doc, vocab)
    return doc


PURPOSE_TABLE = """\
# Privacy notice

## 3. How we use your data

| Purpose | Categories of data | Legal basis |
|---|---|---|
| Providing the Service | Account details, Customer Content | Contract |
| Training our artificial intelligence models | User Generated Content, usage data | Legitimate interests |
| Sending newsletters | Contact details | Consent |
| Improving the Service | Customer Content | Consent or legitimate interests |
"""


def test_a_purpose_table_row_is_one_statement(vocab: Vocabulary) -> None:
    """The data column belongs to the purpose beside it; "User" in a data
    name is not the subject; a legal basis of consent alone is an opt-in."""
    (clause,) = [c for c in _parsed(PURPOSE_TABLE, vocab).clauses if c.id == "3"]
    by_purpose = {p: f for f in clause.facts for p in f.purposes}
    ai = by_purpose["ai_training"]
    assert (ai.actor, ai.data, ai.conditions) == ("company", ["customer_content", "service_generated_data"], [])
    assert ai.span is not None and ai.span.start_line == 8
    mail = by_purpose["marketing"]
    assert mail.data == ["personal_data"] and mail.conditions == ["opt_in_consent"]
    assert [e.text for e in mail.evidence if e.concept == "condition:opt_in_consent"] == ["Consent"]
    assert by_purpose["product_improvement"].conditions == []  # consent is only one of two bases


def test_a_purpose_table_under_an_empty_header_row(vocab: Vocabulary) -> None:
    """Tables converted from HTML often have an empty Markdown header and the real one as their first row."""
    converted = PURPOSE_TABLE.replace("| Purpose | Categories of data | Legal basis |\n|---|---|---|\n",
                                      "|  |  |  |\n|---|---|---|\n| **Purpose** | **Categories of data** | **Legal basis** |\n")
    (clause,) = [c for c in _parsed(converted, vocab).clauses if c.id == "3"]
    ai = [f for f in clause.facts if "ai_training" in f.purposes]
    assert [f.data for f in ai] == [["customer_content", "service_generated_data"]]


def test_a_chatbot_table_row_lists_content_without_naming_its_owner(vocab: Vocabulary) -> None:
    """In a row about AI training, "Prompts" or "Conversations" in a cell are the user's content."""
    def ai_data(cell: str) -> list[list[str]]:
        table = PURPOSE_TABLE.replace("User Generated Content, usage data", cell)
        (clause,) = [c for c in _parsed(table, vocab).clauses if c.id == "3"]
        return [f.data for f in clause.facts if "ai_training" in f.purposes]

    assert ai_data("Prompts, feedback") == [["customer_content"]]
    assert ai_data("Feedback and ratings") == [[]]
    assert ai_data("Usage data, conversations") == [["customer_content", "service_generated_data"]]
    assert ai_data("Usage data, log files") == [["service_generated_data"]]


def test_a_table_that_answers_whether_data_trains_ai(vocab: Vocabulary) -> None:
    """"| Data used | Used to train models? |": "Yes" is a use for AI training, with the
    choices its cell names, and "No" a promise; a row without data says nothing."""
    table = ("# How we use your data\n\n| Feature | Data used | Used to train models? |\n| --- | --- | --- |\n"
             "| Smart replies | Your messages | Yes, unless you turn it off in Settings |\n"
             "| Spam filter | Message metadata | Yes |\n| Photo search | Your photos | No |\n| Themes | None | No |\n")
    (clause,) = _parsed(table, vocab).clauses
    rows = [(f.modality, f.data, f.conditions, f.span.start_line if f.span else None)
            for f in clause.facts if f.data]
    assert rows == [
        ("permission", ["customer_content"], ["opt_out_available"], 5),
        ("permission", ["service_generated_data"], [], 6),
        ("prohibition", ["customer_content"], [], 7),
    ]
    assert all(f.purposes == ["ai_training"] for f in clause.facts)


def test_other_tables_are_read_cell_by_cell_and_row_by_row(vocab: Vocabulary) -> None:
    """A table without purpose and data columns: the data in a row's last cell
    never joins the use in the next row's first cell."""
    table = """\
# Retention

| Kept for | Record |
|---|---|
| one year | Customer Content |
| We may use backups for any purpose | thirty days |
"""
    (clause,) = _parsed(table, vocab).clauses
    (fact,) = [f for f in clause.facts if "any_purpose" in f.purposes]
    assert fact.data == [] and fact.text == "We may use backups for any purpose"


def test_a_lead_in_without_children_is_continued_by_the_untitled_items_after_it(vocab: Vocabulary) -> None:
    """A preamble that ends "The following is not permitted:" governs the list items after it, up to a heading."""
    markdown = """\
# Community rules

These rules apply to everyone. The following is not permitted in relation to the Service:

1. scraping the Service by automated means;
2. using any Content to train a machine learning model.

## Our rights

3. We may use Content to train our machine learning models.
"""
    doc = _parsed(markdown, vocab)
    modality = {c.id: [f.modality for f in c.facts if "ai_training" in f.purposes] for c in doc.clauses}
    assert modality["2"] == ["prohibition"] and modality["our-rights/3"] == ["permission"]


def test_paragraphs_and_bullets_without_full_stops_are_sentences_of_their_own(vocab: Vocabulary) -> None:
    """A page converted from HTML: short paragraphs and bullets that end without
    a full stop. Each is a statement; before, they ran together into one sentence
    that named no use at all."""
    markdown = """\
# Our promises

## Ownership

Ownership

You own and control your data

*   We do not train our models on your data by default
*   You decide how long your data is kept

## Use

We may use your data to:

*   Train our models
*   Improve the Service

Partners never receive your files
"""
    doc = _parsed(markdown, vocab)
    facts = {c.id: c.facts for c in doc.clauses}
    (promise,) = [f for f in facts["ownership"] if "ai_training" in f.purposes]
    assert promise.modality == "prohibition" and promise.text == "We do not train our models on your data by default"
    # A lead-in still continues into all of its items, and ends at the next paragraph.
    (use,) = [f for f in facts["use"] if f.modality == "permission"]
    assert use.purposes == ["ai_training", "product_improvement"]
    assert use.span is not None and (use.span.start_line, use.span.end_line) == (14, 17)


def test_uses_under_a_consent_heading_are_opt_in(vocab: Vocabulary) -> None:
    """A privacy notice arranged by legal basis: a use listed under "Your consent"
    needs the user's consent; the same words under "Legitimate interests" do not,
    and neither does consent the text deems given by using the service."""
    markdown = """\
# Privacy notice

## Legal bases

### Legitimate interests

**Improving our ranking**

We use your playlists and listening history to train our recommendation models.

### Your consent

**Improving our voice features**

We use your voice recordings to train our speech models.

## Consent

By using the app you consent to our use of your photos to train our models.
"""
    doc = _parsed(markdown, vocab)
    ai = {c.id: f for c in doc.clauses for f in c.facts if "ai_training" in f.purposes}
    interests, consent, deemed = (ai[k] for k in sorted(ai, key=lambda k: ai[k].span.start_line))
    assert "opt_in_consent" not in interests.conditions
    assert "opt_in_consent" in consent.conditions
    (ev,) = [e for e in consent.evidence if e.concept == "condition:opt_in_consent"]
    assert (ev.text, ev.span.start_line) == ("Your consent", 11)
    assert deemed.conditions == ["deemed_consent"]


def test_a_short_statement_without_a_full_stop_is_no_heading(vocab: Vocabulary) -> None:
    """A short line on its own is taken for a heading ("Analytics") and states
    nothing, unless it has a subject and a modal verb."""
    doc = _parsed("# Terms\n\n## 1. Data\n\nWe keep things simple.\n\nWe may train our models on your photos\n\n"
                  "Analytics\n\nWe count visits to improve the Service.\n", vocab)
    facts = doc.clauses[0].facts
    assert [(f.text, f.purposes) for f in facts] == [
        ("We may train our models on your photos", ["ai_training"]),
        ("We count visits to improve the Service.", ["product_improvement"])]


# ---------------------------------------------------------------- opt-outs that point elsewhere

POINTED_TERMS = """\
# Terms of Service

## 4. Your Content

4.1 We may use your contact details to send you newsletters.

4.2 We may use your Content to train and improve our machine learning models.

## 9. {title}

9.1 {choice}
"""


@pytest.mark.parametrize(("title", "choice", "purposes", "data"), [
    # the clause it cites: the uses there, with their data (the choice names none)
    ("Your choices", "You may opt out of the uses described in Section 4.2 by emailing privacy@acme.example.",
     ["ai_training"], ["customer_content"]),
    ("Your choices", "To opt out of the use described in clause 4.2, email privacy@acme.example.",
     ["ai_training"], ["customer_content"]),
    ("Your choices", "You may object to the processing under Section 4.2 at any time.",
     ["ai_training"], ["customer_content"]),
    ("Your choices", "You may opt out of the uses described in Section 4.1 by emailing privacy@acme.example.",
     ["marketing"], ["personal_data"]),
    # the title above it names AI training: no data named, so all of it
    ("Model training choices", "You can turn this off at any time in Settings.", ["ai_training"], []),
    ("Opting out of model training", "Email privacy@acme.example to opt out.", ["ai_training"], []),
    # neither: no opt-out of anything in particular, so no statement at all
    ("Newsletters and updates", "You can turn this off at any time in Settings.", None, None),
    ("Your choices", "You may opt out of the arbitration agreement, as explained in Section 4.2.", None, None),
    ("Your choices", "You cannot opt out of the uses described in Section 4.2.", None, None),
    ("Your choices", "If you do not agree, you should stop using the Services described in Section 4.", None, None),
])
def test_an_opt_out_without_a_purpose_takes_the_purposes_it_points_at(
        vocab: Vocabulary, title: str, choice: str, purposes: list[str] | None, data: list[str] | None) -> None:
    doc = _parsed(POINTED_TERMS.format(title=title, choice=choice), vocab)
    _assert_user_opt_out({c.id: c.facts for c in doc.clauses}["9.1"], purposes, data)


def _assert_user_opt_out(facts: list[Any], purposes: list[str] | None, data: list[str] | None) -> None:
    """`facts` are one user's opt-out with these purposes and data; none at all when `purposes` is None."""
    if purposes is None:
        assert facts == []
        return
    [fact] = facts
    assert (fact.actor, fact.modality, fact.conditions, fact.purposes, fact.data) == (
        "user", "permission", ["opt_out_available"], purposes, data)


POINTING_BACK = """\
# Terms of Service

## 4. Your Content

4.1 {use}

4.2 {between}

4.3 {choice}
"""
TRAINING = "We may use your Content to train and improve our machine learning models."
NEWSLETTERS = "We may use your contact details to send you newsletters."
NOTHING = "Content is stored in the region you choose."


@pytest.mark.parametrize(("use", "between", "choice", "purposes", "data"), [
    # an opt-out that opens the clause right after a use, pointing back at it
    (NOTHING, TRAINING, "You can opt out of this use in Settings.", ["ai_training"], ["customer_content"]),
    (NOTHING, TRAINING, "Customers may turn it off in the admin console.", ["ai_training"], ["customer_content"]),
    (NOTHING, TRAINING, "You may object to such processing by emailing privacy@acme.example.",
     ["ai_training"], ["customer_content"]),
    (NOTHING, NEWSLETTERS, "You can opt out of this at any time.", ["marketing"], ["personal_data"]),
    (NOTHING, TRAINING, 'You can prevent this by turning on the "Private mode" option in Settings.',
     ["ai_training"], ["customer_content"]),
    # (an opt-out that names its purpose keeps it: not consent, for all that it turns something on)
    (NOTHING, TRAINING, 'You can prevent this by turning on the "Block AI training" option in Settings.',
     ["ai_training"], []),
    # a thing of its own, not "this use"
    (NOTHING, TRAINING, "You may opt out of this arbitration agreement within 30 days.", None, None),
    # only the clause just before: a use two clauses up is not what "this" means
    (TRAINING, NOTHING, "You can opt out of this use in Settings.", None, None),
])
def test_an_opt_out_that_opens_a_clause_points_back_at_the_use_before_it(
        vocab: Vocabulary, use: str, between: str, choice: str, purposes: list[str] | None,
        data: list[str] | None) -> None:
    doc = _parsed(POINTING_BACK.format(use=use, between=between, choice=choice), vocab)
    _assert_user_opt_out({c.id: c.facts for c in doc.clauses}["4.3"], purposes, data)


CHOICES_SECTION = """\
# Terms of Service

## 4. Your Content

4.1 {use}

## 9. Your choices

9.1 {choice}
"""


@pytest.mark.parametrize(("use", "choice", "purposes", "data"), [
    # bare "training" in an opt-out, in a document that speaks of AI training elsewhere
    (TRAINING, "You can opt out of training in your account settings.", ["ai_training"], []),
    (TRAINING, 'You can turn off "Product Improvement and Training" in Settings.',
     ["ai_training", "product_improvement"], []),
    (TRAINING, "You may exclude your Content from training at any time.", ["ai_training"], ["customer_content"]),
    # a document that never speaks of AI: training of what is not said, so no statement
    (NEWSLETTERS, "You can opt out of training in your account settings.", None, None),
])
def test_an_opt_out_of_bare_training_is_of_the_ai_training_the_document_names(
        vocab: Vocabulary, use: str, choice: str, purposes: list[str] | None, data: list[str] | None) -> None:
    doc = _parsed(CHOICES_SECTION.format(use=use, choice=choice), vocab)
    _assert_user_opt_out({c.id: c.facts for c in doc.clauses}["9.1"], purposes, data)


@pytest.mark.parametrize(("use", "choice", "ai"), [
    # a consent over bare "training", in a document that speaks of AI training elsewhere
    (TRAINING, 'Your content will only be used for training if you enable the "Help improve Acme" toggle.', True),
    (TRAINING, "Your recordings are used for training purposes only with your consent.", True),
    # a document that never speaks of AI: staff training, say
    (NEWSLETTERS, "Your recordings are used for training purposes only with your consent.", False),
    # no choice: whose training, only the clause itself would say
    (TRAINING, "Your recordings are used for training purposes.", False),
])
def test_a_consent_over_bare_training_is_over_the_ai_training_the_document_names(
        vocab: Vocabulary, use: str, choice: str, ai: bool) -> None:
    doc = _parsed(CHOICES_SECTION.format(use=use, choice=choice), vocab)
    assert any("ai_training" in f.purposes for f in {c.id: c.facts for c in doc.clauses}["9.1"]) == ai


def ai_uses(sentence: str, vocab: Vocabulary) -> list[Fact]:
    """The facts of `sentence` that name AI training."""
    return [f for f in annotate_sentence(sentence, vocab) if "ai_training" in f.purposes]


@pytest.mark.parametrize(("sentence", "within"), [
    # AI training named as part of a wider purpose: a choice over that purpose reaches it
    ("We may use your Content to improve our products and services, including to train our models.",
     ["product_improvement"]),
    ("We may use Customer Data for analytics, which includes training and fine-tuning AI models.", ["analytics"]),
    ("We may use your data for research and development, such as developing and training AI models.", ["research"]),
    ("Our systems may analyze your Content using techniques such as machine learning to improve the Services.",
     ["analytics"]),
    ("We may use your content to improve the Services by training our models.", ["product_improvement"]),
    # the nearest purpose of a list only, and none of a plain list
    ("We use your data for advertising, analytics and product improvement, including machine learning.",
     ["product_improvement"]),
    ("We use your Content for marketing and to train our AI models.", []),
    ("We use your Content to personalize your experience and to train our AI models.", []),
])
def test_ai_training_named_as_part_of_a_wider_purpose(vocab: Vocabulary, sentence: str, within: list[str]) -> None:
    assert [f.ai_training_within for f in ai_uses(sentence, vocab)] == [within]


@pytest.mark.parametrize(("sentence", "data"), [
    # "their" stands for the people named last before it: users' content is customer content
    ("Users may record meetings. We may use their recordings to train our speech models.", ["customer_content"]),
    ("Students submit essays to the platform. Acme may use their essays to train its grading models.",
     ["customer_content"]),
    ("Hosts can record meetings, and we may use their recordings to train our speech recognition models.",
     ["customer_content"]),
    # a partner's documents are not the users'
    ("Our partners send us reports, and we may use their documents to train our models.", []),
    ("Users work with our partners, and we may use their documents to train our models.", []),
])
def test_their_content_is_the_users_when_users_were_named_last(vocab: Vocabulary, sentence: str, data: list[str]) -> None:
    assert [f.data for f in ai_uses(sentence, vocab)] == [data]
