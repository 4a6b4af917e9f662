# METADATA
# title: AI training on customer data without an opt-out
# description: |
#   Flags a clause that lets the company or a third party use customer content,
#   personal data or service-generated data to train AI models (named, or "for
#   any purpose" next to a mention of AI) when neither the clause, a clause it
#   refers to, nor any other clause gives users an opt-out or asks for their
#   consent for that data; or when the clause says the use goes on even after
#   users opt out ("Even if you opt out, we will use ..."). An opt-out of a
#   purpose the clause names the training as part of counts too: "You can
#   opt out of the analysis of your content" for "we analyze your Content
#   using machine learning". An opt-out, a
#   consent or a promise not to train that only the users of some places or
#   plans have ("If you live in the EEA, you can opt out", "Enterprise
#   customers can opt out", "If you are on a Team plan, we will not use your
#   Content to train") does nothing for the others, and the message names it.
# custom:
#   code: TL101
#   name: ai-training-without-opt-out
#   severity: error
#   why: |
#     Using customers' content or usage data to train AI models is a new and
#     material use of their data. Regulators (the FTC on quiet retroactive
#     changes, EU data protection authorities on purpose limitation and
#     legitimate interest) and customers expect a real choice. Terms that
#     take the right with no opt-out are what turned Zoom's 2023 update into
#     a public controversy and a rushed rewrite.
#   fix: |
#     Require opt-in consent for AI training, or state an opt-out in the same
#     clause (or one it cites) that covers the same data, e.g. "You can turn off
#     the use of your Customer Content for model training in Settings". If AI
#     training is not intended, remove it from the purposes. A use that goes on
#     after an opt-out needs its own consent, or must end with the opt-out.
#   example: |
#     **10.4** You agree that we may use Customer Content and Service Generated
#     Data for product improvement and to train and tune our artificial
#     intelligence and machine learning models.
package termslint.rules.ai_training_without_opt_out

import rego.v1

import data.termslint.lib
import data.termslint.lib.ai_training_without_choice
import data.termslint.lib.clauses_by_id
import data.termslint.lib.full_ai_cover
import data.termslint.lib.some_users_limits

deny contains f if {
	some cid, positions in ai_training_without_choice
	c := clauses_by_id[cid]
	facts := [c.facts[i] | some i in positions]
	f := {
		"code": "TL101",
		"msg": message(c, facts),
		"clause": c.id,
		"evidence": [e | some g in facts; some e in g.evidence],
	}
}

# The data of these facts that no choice covers (a use that goes on despite an
# opt-out is named apart).
uncovered(facts) := {d | some g in facts; not lib.despite_opt_out(g); some d in lib.ai_data_of(g)} - full_ai_cover

# The data that no choice covers (naming the choice or promise that only some
# users have, if there is one); failing that, the data used even after an opt-out.
message(c, facts) := sprintf("%s lets the company use %s to train AI models, and %s (%s%s)", [lib.capitalise(lib.clause_name(c)), lib.labels(cats), limited[0], limited[1], lib.quote(limited[2])]) if {
	cats := uncovered(facts)
	count(cats) > 0
	limited := sort(some_users_limits)[0]
} else := sprintf("%s lets the company use %s to train AI models, and no clause gives users an opt-out or asks for their consent for that data", [lib.capitalise(lib.clause_name(c)), lib.labels(cats)]) if {
	cats := uncovered(facts)
	count(cats) > 0
} else := sprintf("%s lets the company use %s to train AI models even after users opt out", [lib.capitalise(lib.clause_name(c)), lib.labels(cats)]) if {
	cats := {d | some g in facts; some d in lib.ai_data_of(g)}
}
