# METADATA
# title: Consent or prohibition that covers only part of the data
# description: |
#   Flags a prohibition of AI training, or a consent or opt-out for it, that
#   covers only part of the data (some kinds of content, fewer data
#   categories, or the data of only some users: "If you are on a Team plan")
#   while another grant or permission in the document still makes more data
#   available for AI training without a choice. The message names what stays
#   uncovered.
# custom:
#   code: TL103
#   name: consent-gap
#   severity: error
#   why: |
#     A narrow promise next to a broad grant reads as reassurance but leaves
#     the rest of the data exposed. Zoom's first fix in 2023 promised not to
#     train AI on "audio, video or chat" without consent, which left other
#     customer content and all usage data under the original grant; the press
#     noticed within a day. A partial promise can also be argued to imply that
#     everything it leaves out is fair game.
#   fix: |
#     Make the promise cover every category the grant covers ("Customer
#     Content and Service Generated Data"), or narrow the grant so that it no
#     longer reaches AI training for the uncovered data.
#   example: |
#     **10.4** Notwithstanding the above, we will not use audio, video or chat
#     Customer Content to train our artificial intelligence models without
#     your consent.
package termslint.rules.consent_gap

import rego.v1

import data.termslint.lib
import data.termslint.lib.clauses_by_id
import data.termslint.lib.full_ai_cover
import data.termslint.lib.open_ai_clauses
import data.termslint.lib.open_ai_data

uncovered_words(g) := words if {
	own := {d | some d in g.data}
	wholly := open_ai_data - full_ai_cover - own
	partly := {d | g.partial; some d in own; d in open_ai_data; not d in full_ai_cover}
	words := array.concat(
		sort([lib.label(d) | some d in wholly]),
		sort([other_than(lib.label(d), g) | some d in partly]),
	)
}

# What a partial limit leaves of its data: what its words do not name ("audio,
# video or chat"), that of the users it does not name ("If you are on a Team
# plan, we will not ..."), or what an exception lets through.
other_than(label, g) := concat(" ", [label, "other than", concat(", ", g.data_terms)]) if count(g.data_terms) > 0
else := concat(" ", [label, "of other users"]) if lib.only_some_users(g)
else := concat(" ", [label, "beyond what this sentence names"])

# One finding per clause: a clause with several partial limits names what
# they leave open once, in the order its sentences name it.
deny contains f if {
	some c in input.clauses
	limits := [g | some g in c.facts; lib.ai_limit(g); count(uncovered_words(g)) > 0]
	count(limits) > 0
	named := [w | some g in limits; some w in uncovered_words(g)]
	words := [w | some i, w in named; not w in array.slice(named, 0, i)]
	granting := sort({lib.clause_name(clauses_by_id[id]) | some id in open_ai_clauses}) # a set: "13" and "13~2" are both "clause 13"
	f := {
		"code": "TL103",
		"msg": sprintf("%s limits AI training for only part of the data: %s can still be used for AI training under %s", [lib.capitalise(lib.clause_name(c)), lib.join_words(words), lib.join_words(granting)]),
		"clause": c.id,
		"evidence": [e | some g in limits; some e in g.evidence],
	}
}
