package termslint.tests.consent_gap

import rego.v1

import data.termslint.rules.consent_gap as rule
import data.termslint.tests.fixtures as fx

grant := fx.fact({"data": ["customer_content"], "purposes": ["ai_training", "product_improvement"]})

usage := fx.fact({"modality": "permission", "data": ["service_generated_data"], "purposes": ["any_purpose", "ai_training"]})

partial_consent := fx.fact({
	"modality": "prohibition",
	"data": ["customer_content"],
	"purposes": ["ai_training"],
	"conditions": ["opt_in_consent"],
	"partial": true,
	"data_terms": ["audio", "video", "chat"],
})

test_partial_prohibition_is_flagged_naming_what_stays_uncovered if {
	d := fx.doc([fx.clause("10.2", [usage]), fx.clause("10.4", [grant, partial_consent])])
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == "10.4"
	contains(f.msg, "service-generated data and customer content other than audio, video, chat")
}

test_prohibition_over_fewer_categories_is_flagged if {
	narrow := object.union(partial_consent, {"partial": false, "data_terms": []})
	result := rule.deny with input as fx.doc([fx.clause("10.2", [usage]), fx.clause("10.4", [narrow])])
	count(result) == 1
	some f in result
	contains(f.msg, "service-generated data can still be used for AI training")
}

test_full_prohibition_passes if {
	full := object.union(partial_consent, {"partial": false, "data_terms": [], "data": ["customer_content", "service_generated_data"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [usage]), fx.clause("10.4", [grant, full])])
}

test_partial_prohibition_without_any_ai_grant_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [partial_consent])])
}

test_gap_closed_by_another_full_prohibition_passes if {
	rest := fx.fact({"modality": "prohibition", "data": ["customer_content", "service_generated_data"], "purposes": ["ai_training"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [usage, grant]), fx.clause("10.4", [partial_consent]), fx.clause("10.5", [rest])])
}

test_prohibition_on_the_user_passes if {
	user_rule := fx.fact({"modality": "prohibition", "actor": "user", "data": [], "purposes": ["ai_training"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("2.2", [user_rule]), fx.clause("10.2", [usage])])
}

test_a_number_used_twice_is_named_once if {
	twice := fx.clause_with("13~2", [usage], {"number": "13"})
	d := fx.doc([fx.clause("13", [usage]), twice, fx.clause("10.4", [grant, partial_consent])])
	some f in rule.deny with input as d
	count(indexof_n(f.msg, "clause 13")) == 1
}

# "You have the right to object to our use of your information for AI": an
# opt-out elsewhere over all of the user's data leaves no gap; one over
# customer content alone still leaves service-generated data open.
user_opt_out(data) := fx.fact({
	"modality": "permission",
	"actor": "user",
	"data": data,
	"purposes": ["ai_training"],
	"conditions": ["opt_out_available"],
})

test_gap_closed_by_an_opt_out_over_all_data_passes if {
	d := fx.doc([fx.clause("10.2", [usage]), fx.clause("10.4", [partial_consent]), fx.clause("12", [user_opt_out([])])])
	count(rule.deny) == 0 with input as d
}

test_opt_out_over_other_data_leaves_the_gap if {
	d := fx.doc([fx.clause("10.2", [usage]), fx.clause("10.4", [partial_consent]), fx.clause("12", [user_opt_out(["customer_content"])])])
	some f in rule.deny with input as d
	f.clause == "10.4"
	f.msg == "Clause 10.4 limits AI training for only part of the data: service-generated data can still be used for AI training under clause 10.2"
}

# "We will not use your audio or video to train AI. Chats are not used for
# training either." in one clause: one finding, naming each open category once.
test_several_partial_limits_in_one_clause_make_one_finding if {
	chats := object.union(partial_consent, {"data_terms": ["chats"], "evidence": [{"concept": "data:customer_content", "text": "Chats"}]})
	d := fx.doc([fx.clause("10.2", [usage]), fx.clause("10.4", [grant, partial_consent, chats])])
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	startswith(f.msg, "Clause 10.4 limits AI training for only part of the data: service-generated data, customer content other than audio, video, chat and customer content other than chats can")
	count(f.evidence) == count(partial_consent.evidence) + 1
}

# "If you are on a Team plan, we will not train on your Content": what it
# leaves open is the content of the other users.
test_promise_to_some_users_only_names_the_other_users if {
	promise := object.union(partial_consent, {"conditions": ["only_some_users"], "data_terms": []})
	result := rule.deny with input as fx.doc([fx.clause("10.2", [grant]), fx.clause("10.4", [promise])])
	count(result) == 1
	some f in result
	f.msg == "Clause 10.4 limits AI training for only part of the data: customer content of other users can still be used for AI training under clause 10.2"
}
