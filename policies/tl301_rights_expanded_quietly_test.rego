package termslint.tests.rights_expanded_quietly

import rego.v1

import data.termslint.rules.rights_expanded_quietly as rule
import data.termslint.tests.fixtures as fx

meta := {"effective_date": "2023-03-31", "version": "3"}

old_use := fx.fact({"data": ["customer_content"], "purposes": ["providing_service"]})

new_use := fx.fact({"data": ["customer_content", "service_generated_data"], "purposes": ["providing_service", "ai_training"]})

quiet(base_meta, head_meta, facts, ch) := fx.with_changes(fx.doc([fx.clause("10.2", facts)]), fx.changes(base_meta, head_meta, [ch]))

test_gained_purpose_and_data_without_new_date_is_flagged if {
	d := quiet(meta, meta, [new_use], fx.change("modified", "10.2", "10.2", [new_use], [old_use]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == "10.2"
	contains(f.msg, "now allows AI training")
	contains(f.msg, "now covers service-generated data")
	contains(f.msg, "(still 2023-03-31)")
}

test_lost_opt_out_without_new_date_is_flagged if {
	with_opt_out := object.union(old_use, {"conditions": ["opt_out_available"]})
	d := quiet(meta, meta, [old_use], fx.change("modified", "10.2", "10.2", [old_use], [with_opt_out]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	contains(f.msg, "lost its opt-out")
}

# "You can opt out" became "Enterprise customers can opt out".
test_opt_out_narrowed_to_some_users_without_new_date_is_flagged if {
	with_opt_out := object.union(old_use, {"conditions": ["opt_out_available"]})
	narrowed := object.union(old_use, {"conditions": ["only_some_users", "opt_out_available"]})
	d := quiet(meta, meta, [narrowed], fx.change("modified", "10.2", "10.2", [narrowed], [with_opt_out]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	contains(f.msg, "lost its opt-out for all users")
}

# Widening an opt-out from some users to everyone loses nothing.
test_opt_out_widened_to_all_users_passes if {
	with_opt_out := object.union(old_use, {"conditions": ["opt_out_available"]})
	narrowed := object.union(old_use, {"conditions": ["only_some_users", "opt_out_available"]})
	d := quiet(meta, meta, [with_opt_out], fx.change("modified", "10.2", "10.2", [with_opt_out], [narrowed]))
	count(rule.deny) == 0 with input as d
}

test_new_licence_scope_is_flagged if {
	l1 := fx.fact({"actor": "user", "data": ["customer_content"], "license": fx.license({"worldwide": true})})
	l2 := fx.fact({"actor": "user", "data": ["customer_content"], "license": fx.license({"worldwide": true, "perpetual": true})})
	d := quiet(meta, meta, [l2], fx.change("modified", "10.3", "10.2", [l2], [l1]))
	result := rule.deny with input as d
	some f in result
	contains(f.msg, "now grants a licence that is perpetual")
}

test_new_effective_date_passes if {
	later := object.union(meta, {"effective_date": "2023-08-07"})
	d := quiet(meta, later, [new_use], fx.change("modified", "10.2", "10.2", [new_use], [old_use]))
	count(rule.deny) == 0 with input as d
}

test_narrowing_passes if {
	d := quiet(meta, meta, [old_use], fx.change("modified", "10.2", "10.2", [old_use], [new_use]))
	count(rule.deny) == 0 with input as d
}

test_without_changes_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [new_use])])
}

promise := fx.fact({"modality": "prohibition", "data": ["customer_content"], "purposes": ["ai_training"]})

# "We do not train on your Content" became "If you are on a Team plan, we do
# not train on your Content": the others' content is no longer ruled out.
test_promise_narrowed_to_some_users_without_new_date_is_flagged if {
	narrowed := object.union(promise, {"conditions": ["only_some_users"], "partial": true})
	d := quiet(meta, meta, [narrowed], fx.change("modified", "10.2", "10.2", [narrowed], [promise]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	contains(f.msg, "now rules out AI training only for part of the data or users")
	not contains(f.msg, "no longer rules out")
}

test_promise_dropped_without_new_date_is_flagged if {
	d := quiet(meta, meta, [], fx.change("modified", "10.2", "10.2", [], [promise]))
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	contains(f.msg, "no longer rules out AI training")
}

# A promise made whole ("If you are on a Team plan" struck out) narrows nothing.
test_promise_widened_to_all_users_passes if {
	narrowed := object.union(promise, {"conditions": ["only_some_users"], "partial": true})
	d := quiet(meta, meta, [promise], fx.change("modified", "10.2", "10.2", [promise], [narrowed]))
	count(rule.deny) == 0 with input as d
}
