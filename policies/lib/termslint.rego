# METADATA
# title: termslint shared predicates
# description: |
#   Indexes and predicates the built-in rules share: which facts put customer
#   data to use for the company, what counts as AI training, where the document
#   gives users a choice, and how to name data and clauses in messages. User
#   rules may import it as data.termslint.lib.
package termslint.lib

import rego.v1

# Rule packages import the rules they read by name
# (`import data.termslint.lib.clauses_by_id`) and this package only for its
# functions (`lib.clause_name(c)`): regorus evaluates a whole imported package
# when one of its rules is read through the package alias, which costs every
# rule of this file on every document.

# --- vocabularies -----------------------------------------------------------

# Data whose use for AI training needs the user's choice.
ai_data := {"customer_content", "personal_data", "service_generated_data"}

# Conditions that give the user a say over a use.
choice_conditions := {"opt_in_consent", "opt_out_available"}

# Conditions whose loss widens what the company may do.
limit_conditions := {"opt_in_consent", "opt_out_available", "aggregated_or_deidentified"}

use_modalities := {"grant", "permission"}

company_sides := {"company", "third_party"}

# Purposes that widen nothing when a clause gains them.
benign_purposes := {"providing_service", "security"}

scope_words := ["perpetual", "irrevocable", "worldwide", "royalty_free", "sublicensable", "transferable", "exclusive"]

# Front-matter keys that tell readers the terms changed.
date_keys := ["effective_date", "last_updated", "version", "effective_date_iso"]

data_labels := {
	"customer_content": "customer content",
	"personal_data": "personal data",
	"service_generated_data": "service-generated data",
	"public_data": "public data",
}

purpose_labels := {
	"ai_training": "AI training",
	"any_purpose": "any purpose",
	"product_improvement": "product improvement",
	"providing_service": "providing the service",
}

condition_labels := {
	"opt_in_consent": "opt-in consent requirement",
	"opt_out_available": "opt-out",
	"opt_out_for_some_users": "opt-out for all users",
	"opt_in_for_some_users": "opt-in consent requirement for all users",
	"aggregated_or_deidentified": "limit to aggregated or de-identified data",
	"deemed_consent": "deemed consent",
	"as_permitted_by_law": "legal limits",
}

# --- indexes (built once per document) ---------------------------------------

clauses_by_id := {c.id: c | some c in input.clauses}

used_terms := {t | some c in input.clauses; some t in c.uses}

# [term, clause position, clause id] for every definition, sorted, so that
# repeats are neighbours and can be found without a nested scan.
definition_rows := sort([[t, i, c.id] |
	some i, c in input.clauses
	some t in c.defines
])

# A file that bundles several agreements or policies ("... Services Agreement"
# followed by "... Supplier Agreement", or "Part A" and "Part B") numbers each
# from 1 again. A new part opens at a top-level clause (such as the heading
# "Part B") that lies between a clause numbered 2 or higher and the next
# numbered clause, numbered 1 or 1.x. A list numbered from 1 inside a clause
# has no top-level clause before it, and opens no part. Each part defines its
# own terms.
part_starts := [start |
	some k, i in numbered_positions
	k > 0
	substring(input.clauses[i].number, 0, 1) in {"0", "1"} # cheap, and most numbers fail it
	leading_one(input.clauses[i].number)
	previous := numbered_positions[k - 1]
	leading_above_one(input.clauses[previous].number)
	tops := {j |
		some j in numbers.range(previous + 1, i)
		not is_string(input.clauses[j].parent)
	}
	count(tops) > 0
	start := min(tops)
]

numbered_positions := [i |
	some i, c in input.clauses
	is_string(c.number)
	c.number >= "0" # starts with a digit; faster than a regex on every clause
	c.number < ":"
]

# Whether the number a clause number starts with is 1 ("1", "1.2", "01(a)"),
# or above 1 ("2", "12.3(b)"). String tests, not a regex and to_number: they
# run on every numbered clause of every document.
leading_one(n) if {
	t := trim_left(n, "0")
	startswith(t, "1")
	not substring(t, 1, 1) in digits
}

leading_above_one(n) if {
	substring(trim_left(n, "0"), 0, 1) in digits
	not leading_one(n)
}

digits := {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"}

# The part of the document the clause at position i belongs to (0: the first).
part_of(i) := count([s | some s in part_starts; s <= i])

# [parent, number, clause position] for every numbered clause, sorted likewise.
# A top-level clause's parent is null, which sorts before every string.
# (object.get, not a function of our own: a call per clause costs more than
# the rest of the row.)
number_rows := sort([[object.get(c, "parent", null), c.number, i] |
	some i, c in input.clauses
	is_string(c.number)
])

# A document whose clauses carry numbers, so "Section 12" is expected to resolve.
numbered_document if {
	some c in input.clauses
	is_string(c.number)
	c.id != "preamble"
}

# --- words for messages ------------------------------------------------------

label(cat) := data_labels[cat]

label(cat) := replace(cat, "_", " ") if not data_labels[cat]

purpose_label(p) := purpose_labels[p]

purpose_label(p) := replace(p, "_", " ") if not purpose_labels[p]

condition_label(k) := condition_labels[k]

condition_label(k) := replace(k, "_", " ") if not condition_labels[k]

# ["a", "b", "c"] -> "a, b and c"
join_words(words) := words[0] if count(words) == 1

join_words(words) := concat(" and ", [concat(", ", array.slice(words, 0, count(words) - 1)), words[count(words) - 1]]) if {
	count(words) > 1
}

labels(cats) := join_words(sort([label(c) | some c in cats]))

# "clause 10.4", the heading when the clause has no number, or "the preamble".
clause_name(c) := concat(" ", ["clause", c.number]) if is_string(c.number)

clause_name(c) := concat("", ["the clause \"", c.title, "\""]) if {
	not is_string(c.number)
	is_string(c.title)
}

clause_name(c) := "the preamble" if {
	not is_string(c.number)
	not is_string(c.title)
	c.id == "preamble"
}

clause_name(c) := concat(" ", ["clause", c.id]) if {
	not is_string(c.number)
	not is_string(c.title)
	c.id != "preamble"
}

capitalise(s) := concat("", [upper(substring(s, 0, 1)), substring(s, 1, -1)])

# "a perpetual licence", "an irrevocable licence": the article for the words that follow it.
article(words) := "an" if {
	lower(substring(words, 0, 1)) in {"a", "e", "i", "o", "u"}
} else := "a"

value_text(v) := v if is_string(v)

value_text(v) := json.marshal(v) if not is_string(v)

# --- facts -------------------------------------------------------------------

benefits_company(f) if f.actor in company_sides

benefits_company(f) if {
	some b in f.beneficiaries
	b in company_sides
}

# "You grant us a licence": a grant by the user runs to the company unless
# the text names someone else.
benefits_company(f) if {
	f.modality == "grant"
	f.actor == "user"
	count(f.beneficiaries) == 0
}

# A fact that lets the company (or a third party) use data.
uses_data(f) if {
	f.modality in use_modalities
	benefits_company(f)
}

ai_words := `(?i)\b(artificial intelligence|machine[- ]learning|ai|llms?|neural networks?|(train|training|tune|tuning|fine-tune|fine-tuning) (of )?(our |the |ai |its )?models?)\b`

mentions_ai(f) if {
	is_string(f.text)
	regex.match(ai_words, f.text)
}

mentions_ai(f) if {
	some e in f.evidence
	is_string(e.concept)
	startswith(e.concept, "purpose:ai")
}

# The fact's purposes reach AI training: named, or "any purpose" in a sentence
# that mentions AI. (The clause's other sentences do not count: "we will not
# train AI on X" next to "any purpose for Y" is a consent gap, not a mention.)
ai_purpose(f) if "ai_training" in f.purposes

ai_purpose(f) if {
	"any_purpose" in f.purposes
	mentions_ai(f)
}

ai_data_of(f) := {d | some d in f.data; d in ai_data}

# The company (or a third party) may use customer data to train AI.
ai_use(f) if {
	ai_purpose(f) # first: most facts have no AI purpose, and it is the cheapest test
	uses_data(f)
	count(ai_data_of(f)) > 0
}

has_choice(f) if {
	offers_choice(f)
	not only_some_users(f)
}

# A consent or opt-out, whoever has it.
offers_choice(f) if {
	some k in choice_conditions
	k in f.conditions
}

# A choice only the users of some places or plans have ("If you live in the EEA,
# you can opt out", "Enterprise customers can opt out", "If you live in the EEA,
# we ask for your consent"): users elsewhere, or on other plans, have none, so it
# is no choice for the users. (On a promise, "If you are on a Team plan, we will
# not train on your Content", it makes the promise partial.)
only_some_users(f) if "only_some_users" in f.conditions

# A choice whose purposes reach AI training (or name no purpose at all).
choice_covers_ai(f) if "ai_training" in f.purposes

choice_covers_ai(f) if "any_purpose" in f.purposes

choice_covers_ai(f) if count(f.purposes) == 0

# A fact that limits the company's AI training on customer data: a
# prohibition of it, or a use of it that needs consent or offers an opt-out.
# ("You may not train models on the Services" limits the user, not us.)
ai_limit(f) if {
	f.modality == "prohibition"
	benefits_company(f)
	"ai_training" in f.purposes
	count(ai_data_of(f)) > 0
}

ai_limit(f) if {
	has_choice(f)
	"ai_training" in f.purposes
	count(ai_data_of(f)) > 0
	not user_duty(f)
}

# What the user must or must not do ("You agree not to use prompts to train
# competing models"): a choice read in it is no choice over the company's use.
user_duty(f) if {
	f.actor == "user"
	f.modality in {"prohibition", "obligation"}
}

# Data the document wholly takes out of unconsented AI training.
full_ai_cover contains d if {
	some c in input.clauses
	some f in c.facts
	ai_limit(f)
	not f.partial
	some d in f.data
}

# Data the document makes available for AI training with no choice on the fact
# itself, nor an opt-out elsewhere that names it or all of the user's data ("You
# have the right to object to our use of your information for AI").
open_ai_data contains d if {
	some c in input.clauses
	some f in c.facts
	ai_use(f)
	not has_choice(f)
	some d in ai_data_of(f)
	not opt_out_covers(f, {d})
}

open_ai_clauses contains c.id if {
	some c in input.clauses
	some f in c.facts
	ai_use(f)
	not has_choice(f)
	some d in ai_data_of(f)
	not opt_out_covers(f, {d})
}

# An opt-out the user is offered anywhere in the document.
opt_out_facts contains f if {
	some c in input.clauses
	some f in c.facts
	f.modality == "permission"
	f.actor == "user"
	"opt_out_available" in f.conditions
	not only_some_users(f)
	choice_covers_ai(f)
}

# The company's own AI training that the user can opt out of ("this data can
# help train our AI models unless you opt out"): an opt-out offered as well.
opt_out_facts contains f if {
	some c in input.clauses
	some f in c.facts
	uses_data(f)
	"opt_out_available" in f.conditions
	not only_some_users(f)
	"ai_training" in f.purposes
}

# [what only some users have, clause name, who they are] of each choice over
# AI training, or promise against it, that only the users of some places or
# plans have, for TL101's message.
some_users_limits contains [some_users_have(f), clause_name(c), e.text] if {
	some c in input.clauses
	some f in c.facts
	only_some_users(f)
	some_users_limit(f)
	some e in f.evidence
	e.concept == "condition:only_some_users"
}

some_users_limit(f) if {
	offers_choice(f)
	choice_covers_ai(f)
}

some_users_limit(f) if {
	f.modality == "prohibition"
	benefits_company(f)
	"ai_training" in f.purposes
}

some_users_have(f) := "only some users can opt out" if "opt_out_available" in f.conditions
else := "only some users are asked for their consent" if "opt_in_consent" in f.conditions
else := "the promise not to covers only some users"

# An opt-out elsewhere in the document that reaches the AI-training use f over
# any of the data cats: one that names AI training, any purpose or no purpose,
# over no data in particular or some of cats; or one over some of cats that
# names a purpose f names the training as part of ("You can opt out of the
# analysis of your content", where f is "analyze your Content using machine
# learning"). That one must name the data: "You can opt out of analytics
# cookies" is no choice over the analysis of content.
opt_out_covers(f, cats) if {
	some o in opt_out_facts
	count(o.data) == 0
}

opt_out_covers(f, cats) if {
	some o in opt_out_facts
	some d in o.data
	d in cats
}

opt_out_covers(f, cats) if {
	some o in purpose_opt_outs
	some p in o.purposes
	p in f.ai_training_within
	some d in o.data
	d in cats
}

# The user's opt-outs of purposes other than AI training ("You may opt out of
# product improvement"): they reach only the training named as part of them.
purpose_opt_outs contains f if {
	some c in input.clauses
	some f in c.facts
	f.modality == "permission"
	f.actor == "user"
	"opt_out_available" in f.conditions
	not only_some_users(f)
	not choice_covers_ai(f)
}

# A choice, stated in the clause itself or in a clause it refers to, that
# reaches the use f.
local_choice(c, f) if {
	some g in c.facts
	has_choice(g)
	choice_reaches(g, f)
}

local_choice(c, f) if {
	some r in c.refs
	r.kind == "clause"
	r.resolved == true
	target := clauses_by_id[r.target]
	some g in target.facts
	has_choice(g)
	choice_reaches(g, f)
}

# A choice reaches an AI-training use when it names AI training, or any
# purpose over the same data, or names no purpose and is the user's ("You can
# opt out of this") or is over the same data, or names a purpose the use names
# the training as part of. "With your permission, we may
# share it with an expert to answer your request" names a purpose the
# vocabulary does not know, over no customer data, and "If you choose to send
# us feedback, we may use it for any purpose" is over other data: neither is a
# choice over training.
choice_reaches(g, f) if "ai_training" in g.purposes

choice_reaches(g, f) if {
	"any_purpose" in g.purposes
	some d in g.data
	d in f.data
}

choice_reaches(g, f) if {
	count(g.purposes) == 0
	g.actor == "user"
}

choice_reaches(g, f) if {
	count(g.purposes) == 0
	some d in g.data
	d in f.data
}

# ("You can opt out of having your Content used to improve our products", where
# f is "to improve our products, including to train our models".)
choice_reaches(g, f) if {
	some p in g.purposes
	p in f.ai_training_within
}

unchosen_ai_use(f) if {
	ai_use(f)
	not has_choice(f)
	count(ai_data_of(f) - full_ai_cover) > 0
	not opt_out_covers(f, ai_data_of(f))
}

# A use the document says goes on after the user opts out ("Even if you opt
# out, we will use conversations you rate for model training"): no opt-out,
# here or elsewhere, reaches it.
despite_opt_out(f) if "despite_opt_out" in f.conditions

unchosen_ai_use(f) if {
	ai_use(f)
	despite_opt_out(f)
	not "opt_in_consent" in f.conditions
}

chosen_in_clause(c, f) if {
	not despite_opt_out(f)
	local_choice(c, f)
}

# TL101's verdict, by clause id: the positions of the facts that let the
# company train AI on customer data with no opt-out or consent anywhere, or
# even after the user opts out. TL303 reads it to escalate a new AI-training
# use to an error.
ai_training_without_choice[c.id] := positions if {
	some c in input.clauses
	positions := [i | some i, f in c.facts; unchosen_ai_use(f); not chosen_in_clause(c, f)]
	count(positions) > 0
}

# --- changes against a base revision -------------------------------------------

changes_apply if {
	is_object(input.changes)
	not input.changes.new_document
}

head_metadata := object.get(input.changes, ["head", "metadata"], object.get(input.document, "metadata", {}))

base_metadata := object.get(input.changes, ["base", "metadata"], {})

# The effective date, last-updated date and version are all as they were.
date_unchanged if {
	changed := [k | some k in date_keys; object.get(base_metadata, k, null) != object.get(head_metadata, k, null)]
	count(changed) == 0
}

no_clause := {"id": null, "number": null, "title": null, "tags": [], "facts": [], "refs": []}

# The head clause a change points at, or an empty stand-in for a removed clause.
head_clause(ch) := clauses_by_id[ch.head_id] if is_string(ch.head_id)

head_clause(ch) := no_clause if not is_string(ch.head_id)

head_facts(ch) := {f | some f in head_clause(ch).facts}

# The clause's facts at the base: today's, minus those added, plus those removed.
base_facts(ch) := (head_facts(ch) - {f | some f in ch.facts_added}) | {f | some f in ch.facts_removed}

added_facts := {f | some ch in input.changes.clauses; some f in ch.facts_added}

# Data the base revision already used for AI training, anywhere in the document.
base_ai_data contains d if {
	some c in input.clauses
	some f in c.facts
	ai_use(f)
	not f in added_facts
	some d in ai_data_of(f)
}

base_ai_data contains d if {
	some ch in input.changes.clauses
	some f in ch.facts_removed
	ai_use(f)
	some d in ai_data_of(f)
}

# The kind of choice each choice condition gives when only some users have it.
for_some_users := {"opt_out_available": "opt_out_for_some_users", "opt_in_consent": "opt_in_for_some_users"}

# The choice condition k of fact f gives: a choice only the users of some
# places or plans have is a lesser choice than one everyone has, so narrowing
# "You can opt out" to "Enterprise customers can opt out" loses a choice.
choice_kind(k, f) := kind if {
	only_some_users(f)
	kind := for_some_users[k]
} else := k

# A head choice of kind `head` keeps a base choice of kind `base`: the same
# kind, or a choice for everyone where only some users had one.
choice_covers_kind(head, base) if head == base

choice_covers_kind(head, base) if for_some_users[head] == base

# Whether one of the kinds a clause offers now keeps a kind it offered at the base.
kind_kept(head_kinds, base) if {
	some head in head_kinds
	choice_covers_kind(head, base)
}

# What a clause lost of a base kind it no longer keeps: an opt-out everyone had
# and only some users have now is "opt_out_for_some_users" (labelled "opt-out for
# all users"), and likewise for consent; anything else is itself.
lost_kind(base, head_kinds) := kind if {
	kind := for_some_users[base]
	kind in head_kinds
} else := base

# [choice kind, purpose] pairs the head document offers; "*" for a choice with no purpose named.
head_choices contains [choice_kind(k, f), p] if {
	some c in input.clauses
	some f in c.facts
	some k in f.conditions
	k in choice_conditions
	some p in f.purposes
}

head_choices contains [choice_kind(k, f), "*"] if {
	some c in input.clauses
	some f in c.facts
	some k in f.conditions
	k in choice_conditions
	count(f.purposes) == 0
}

# The head still offers the choice condition k gave base fact f, for f's purposes, somewhere.
choice_kept(k, f) if {
	some pair in head_choices
	choice_covers_kind(pair[0], choice_kind(k, f))
	choice_pair_reaches(pair[1], f)
}

choice_pair_reaches(p, f) if p == "*"

choice_pair_reaches(p, f) if p in f.purposes

choice_pair_reaches(p, f) if count(f.purposes) == 0

# A consent or opt-out that governed a use the head now rules out outright is
# not lost but superseded: "will not train on X without your consent" became
# "does not train on X". Every purpose of the base fact must be banned, for
# all of its data, by a head prohibition that itself needs no choice and
# is whole (not for only part of the data or some of the users).
choice_superseded(f) if {
	count(f.purposes) > 0
	every p in f.purposes {
		some c in input.clauses
		some g in c.facts
		g.modality == "prohibition"
		benefits_company(g)
		not g.partial
		not has_choice(g)
		p in g.purposes
		every d in f.data { d in g.data }
	}
}

# "Clause 10.4", or "Removed clause 7" for a clause the head no longer has.
change_name(ch) := capitalise(clause_name(clauses_by_id[ch.head_id])) if is_string(ch.head_id)

change_name(ch) := concat(" ", ["Removed clause", ch.base_id]) if {
	not is_string(ch.head_id)
	is_string(ch.base_id)
}

# ': "the sentence"', shortened, for quoting a base sentence that is gone.
quote(text) := "" if text == ""

quote(text) := concat("", [": \"", text, "\""]) if {
	text != ""
	count(text) <= 160
}

quote(text) := concat("", [": \"", substring(text, 0, 157), "...\""]) if count(text) > 160
