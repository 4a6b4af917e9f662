package termslint.tests.new_ai_training_use

import rego.v1

import data.termslint.rules.new_ai_training_use as rule
import data.termslint.tests.fixtures as fx

meta := {"effective_date": "2023-03-31"}

old_use := fx.fact({"data": ["customer_content"], "purposes": ["providing_service"]})

ai_use := fx.fact({"data": ["customer_content"], "purposes": ["providing_service", "ai_training"]})

opt_out := fx.fact({"modality": "permission", "actor": "user", "data": ["customer_content"], "purposes": ["ai_training"], "conditions": ["opt_out_available"]})

changed(clauses, chs) := fx.with_changes(fx.doc(clauses), fx.changes(meta, meta, chs))

test_new_ai_use_with_opt_out_is_flagged_as_warning if {
	d := changed([fx.clause("10.2", [ai_use]), fx.clause("15", [opt_out])], [fx.change("modified", "10.2", "10.2", [ai_use], [old_use])])
	warnings := rule.warn with input as d
	count(warnings) == 1
	count(rule.deny) == 0 with input as d
	some f in warnings
	f.severity == "warning"
	contains(f.msg, "newly allows AI training on customer content")
}

test_new_ai_use_without_opt_out_is_flagged_as_error if {
	d := changed([fx.clause("10.2", [ai_use])], [fx.change("modified", "10.2", "10.2", [ai_use], [old_use])])
	errors := rule.deny with input as d
	count(errors) == 1
	count(rule.warn) == 0 with input as d
	some f in errors
	f.severity == "error"
}

test_ai_use_already_at_base_passes if {
	reworded := object.union(ai_use, {"text": "reworded"})
	d := changed([fx.clause("10.2", [reworded])], [fx.change("modified", "10.2", "10.2", [reworded], [ai_use])])
	count(rule.warn) + count(rule.deny) == 0 with input as d
}

test_ai_use_moved_to_a_new_clause_passes if {
	d := changed(
		[fx.clause("10.2", [old_use]), fx.clause("10.6", [ai_use])],
		[fx.change("modified", "10.2", "10.2", [old_use], [ai_use]), fx.change("added", null, "10.6", [ai_use], [])],
	)
	count(rule.warn) + count(rule.deny) == 0 with input as d
}

test_without_changes_passes if {
	count(rule.warn) + count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [ai_use])])
}
