# METADATA
# title: Opt-out or consent requirement removed
# description: |
#   Compares the document with its base revision. Flags a clause that offered
#   an opt-out or required opt-in consent at the base and no longer does, or
#   whose opt-out for everyone only the users of some places or plans have now
#   ("Enterprise customers can opt out"), when no other clause of the new
#   version offers the same choice for the same purposes. Runs only with --base.
# custom:
#   code: TL302
#   name: opt-out-removed
#   severity: error
#   why: |
#     Taking away a choice users already had is a material change against
#     them: consent given under the old terms does not carry over to a use they
#     can no longer refuse, and regulators treat a silent withdrawal of an
#     opt-out as an unfair practice.
#   fix: |
#     Keep the opt-out or consent requirement (it may move to another clause,
#     which termslint recognises), or, if removing it is intended, get legal
#     sign-off, update the effective date and notify users before it applies.
#   example: |
#     **10.4** We may use Customer Content to improve our models.
#     (the base revision added "You can opt out of this use in Settings.")
package termslint.rules.opt_out_removed

import rego.v1

import data.termslint.lib
import data.termslint.lib.changes_apply
import data.termslint.lib.choice_conditions

# The kinds of choice the clause offers now ("opt_out_for_some_users" for an
# opt-out only the users of some places or plans have).
head_kinds(ch) := {lib.choice_kind(k, g) | some g in lib.head_facts(ch); some k in g.conditions}

# [what was lost, base fact]: a choice the clause no longer offers, or an
# opt-out for everyone that only some users have now.
lost_facts(ch) := [[lib.lost_kind(kind, kinds), g] |
	kinds := head_kinds(ch)
	some g in lib.base_facts(ch)
	some k in g.conditions
	k in choice_conditions
	kind := lib.choice_kind(k, g)
	not lib.kind_kept(kinds, kind)
	not lib.choice_kept(k, g)
	not lib.choice_superseded(g)
]

deny contains f if {
	changes_apply
	some ch in input.changes.clauses
	ch.status != "unchanged"
	lost := lost_facts(ch)
	count(lost) > 0
	kinds := sort({lib.condition_label(pair[0]) | some pair in lost})
	texts := sort([pair[1].text | some pair in lost])
	f := {
		"code": "TL302",
		"msg": sprintf("%s lost the %s it had at the base revision, and no other clause offers it for the same purposes%s", [lib.change_name(ch), lib.join_words(kinds), lib.quote(texts[0])]),
		"clause": ch.head_id,
		# The removed words are quoted in the message: their lines belong to the base revision.
		"evidence": [],
	}
}
