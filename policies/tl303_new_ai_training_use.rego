# METADATA
# title: New AI-training use of customer data
# description: |
#   Compares the document with its base revision. Flags a clause that now lets
#   the company use customer content, personal data or service-generated data
#   for AI training when the base revision did not use that data for AI
#   training anywhere. A warning, raised to an error when the same clause also
#   gives users no opt-out (TL101). Runs only with --base.
# custom:
#   code: TL303
#   name: new-ai-training-use
#   severity: warning
#   why: |
#     Starting to train AI on customer data is a new purpose for data collected
#     under other terms. It usually needs fresh consent or at least prominent
#     notice, and it is the change reviewers most need to see before it merges.
#   fix: |
#     Confirm that the change is intended and has legal sign-off; pair it with
#     an opt-in or opt-out covering the same data, an updated effective date
#     and a notice to users.
#   example: |
#     **10.2** We may use Customer Content to train and improve our machine
#     learning models.
package termslint.rules.new_ai_training_use

import rego.v1

import data.termslint.lib
import data.termslint.lib.ai_training_without_choice
import data.termslint.lib.base_ai_data
import data.termslint.lib.changes_apply
import data.termslint.lib.clauses_by_id

new_ai_facts(ch) := [g |
	some g in ch.facts_added
	lib.ai_use(g)
	count(lib.ai_data_of(g) - base_ai_data) > 0
]

finding(c, facts, severity, note) := {
	"code": "TL303",
	"severity": severity,
	"msg": sprintf("%s newly allows AI training on %s, which the base revision did not%s", [lib.capitalise(lib.clause_name(c)), lib.labels({d | some g in facts; some d in lib.ai_data_of(g) - base_ai_data}), note]),
	"clause": c.id,
	"evidence": [e | some g in facts; some e in g.evidence],
}

warn contains f if {
	changes_apply
	some ch in input.changes.clauses
	is_string(ch.head_id)
	c := clauses_by_id[ch.head_id]
	facts := new_ai_facts(ch)
	count(facts) > 0
	not ai_training_without_choice[c.id]
	f := finding(c, facts, "warning", "")
}

deny contains f if {
	changes_apply
	some ch in input.changes.clauses
	is_string(ch.head_id)
	c := clauses_by_id[ch.head_id]
	facts := new_ai_facts(ch)
	count(facts) > 0
	ai_training_without_choice[c.id]
	f := finding(c, facts, "error", ", and users get no opt-out or consent for it (TL101)")
}
