package termslint.tests.opt_out_removed

import rego.v1

import data.termslint.rules.opt_out_removed as rule
import data.termslint.tests.fixtures as fx

meta := {"effective_date": "2023-03-31"}

use := fx.fact({"data": ["customer_content"], "purposes": ["ai_training"]})

opt_out := fx.fact({
	"modality": "permission",
	"actor": "user",
	"data": ["customer_content"],
	"purposes": ["ai_training"],
	"conditions": ["opt_out_available"],
	"text": "You can opt out of model training in Settings.",
})

test_removed_opt_out_is_flagged if {
	d := fx.with_changes(fx.doc([fx.clause("10.4", [use])]), fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [], [opt_out])]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == "10.4"
	contains(f.msg, "lost the opt-out")
	contains(f.msg, "You can opt out of model training in Settings.")
}

test_removed_clause_with_consent_is_flagged if {
	consent := object.union(opt_out, {"modality": "prohibition", "actor": "company", "conditions": ["opt_in_consent"]})
	d := fx.with_changes(fx.doc([fx.clause("10.4", [use])]), fx.changes(meta, meta, [fx.change("removed", "10.5", null, [], [consent])]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == null
	contains(f.msg, "Removed clause 10.5")
}

test_opt_out_moved_to_another_clause_passes if {
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", [use]), fx.clause("15", [opt_out])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [], [opt_out]), fx.change("modified", "15", "15", [opt_out], [])]),
	)
	count(rule.deny) == 0 with input as d
}

test_opt_out_kept_passes if {
	d := fx.with_changes(fx.doc([fx.clause("10.4", [use, opt_out])]), fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [use], [])]))
	count(rule.deny) == 0 with input as d
}

test_new_document_passes if {
	c := object.union(fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [], [opt_out])]), {"new_document": true})
	count(rule.deny) == 0 with input as fx.with_changes(fx.doc([fx.clause("10.4", [use])]), c)
}

# "will not train on X without your consent" became "does not train on X": stronger, not weaker.
test_consent_superseded_by_flat_prohibition_passes if {
	consent := object.union(opt_out, {"modality": "prohibition", "actor": "company", "conditions": ["opt_in_consent"]})
	ban := fx.fact({"modality": "prohibition", "data": ["customer_content", "service_generated_data"], "purposes": ["ai_training"]})
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", []), fx.clause("10.5", [ban])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [], [consent]), fx.change("added", null, "10.5", [ban], [])]),
	)
	count(rule.deny) == 0 with input as d
}

# A ban that covers less data than the consent did does not supersede it.
test_narrower_prohibition_does_not_supersede if {
	consent := object.union(opt_out, {"modality": "prohibition", "actor": "company", "conditions": ["opt_in_consent"], "data": ["customer_content", "personal_data"]})
	ban := fx.fact({"modality": "prohibition", "data": ["customer_content"], "purposes": ["ai_training"]})
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", []), fx.clause("10.5", [ban])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [], [consent]), fx.change("added", null, "10.5", [ban], [])]),
	)
	count(rule.deny) == 1 with input as d
}

limited_opt_out := object.union(opt_out, {
	"conditions": ["only_some_users", "opt_out_available"],
	"text": "Enterprise customers can opt out of model training in Settings.",
})

# "You can opt out" became "Enterprise customers can opt out": everyone else lost it.
test_opt_out_narrowed_to_some_users_is_flagged if {
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", [use, limited_opt_out])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [limited_opt_out], [opt_out])]),
	)
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == "10.4"
	contains(f.msg, "lost the opt-out for all users")
	contains(f.msg, "You can opt out of model training in Settings.")
}

# An opt-out only some users had at the base, and still have, is not lost.
test_opt_out_limited_at_base_and_head_passes if {
	reworded := object.union(limited_opt_out, {"text": "Enterprise customers may opt out of model training."})
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", [use, reworded])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [reworded], [limited_opt_out])]),
	)
	count(rule.deny) == 0 with input as d
}

# Narrowed in one clause, but another clause gives everyone the opt-out.
test_opt_out_narrowed_but_offered_to_all_elsewhere_passes if {
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", [use, limited_opt_out]), fx.clause("15", [opt_out])]),
		fx.changes(meta, meta, [
			fx.change("modified", "10.4", "10.4", [limited_opt_out], [opt_out]),
			fx.change("added", null, "15", [opt_out], []),
		]),
	)
	count(rule.deny) == 0 with input as d
}

# "We ask for your consent before training" became "If you live in the EEA, we
# ask for your consent": users elsewhere lost it.
test_consent_narrowed_to_some_users_is_flagged if {
	consent := object.union(use, {"modality": "permission", "conditions": ["opt_in_consent"], "text": "We ask for your consent before we train on your Content."})
	narrowed := object.union(consent, {"conditions": ["only_some_users", "opt_in_consent"], "text": "If you live in the EEA, we ask for your consent before we train on your Content."})
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", [narrowed])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [narrowed], [consent])]),
	)
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	contains(f.msg, "lost the opt-in consent requirement for all users")
}

# "will not train on X without your consent" became "If you are on a Team plan,
# we do not train on X": a promise to some users only supersedes nothing.
test_consent_not_superseded_by_a_promise_to_some_users if {
	consent := object.union(opt_out, {"modality": "prohibition", "actor": "company", "conditions": ["opt_in_consent"]})
	ban := fx.fact({"modality": "prohibition", "data": ["customer_content"], "purposes": ["ai_training"], "conditions": ["only_some_users"], "partial": true})
	d := fx.with_changes(
		fx.doc([fx.clause("10.4", [ban])]),
		fx.changes(meta, meta, [fx.change("modified", "10.4", "10.4", [ban], [consent])]),
	)
	count(rule.deny) == 1 with input as d
}
