package termslint.tests.any_purpose_data_use

import rego.v1

import data.termslint.rules.any_purpose_data_use as rule
import data.termslint.tests.fixtures as fx

any_use := fx.fact({"modality": "permission", "data": ["service_generated_data"], "purposes": ["any_purpose"]})

test_permission_for_any_purpose_is_flagged if {
	result := rule.deny with input as fx.doc([fx.clause("10.2", [any_use])])
	count(result) == 1
	some f in result
	f.clause == "10.2"
	contains(f.msg, "service-generated data for any purpose")
}

test_grant_to_third_party_for_any_purpose_is_flagged if {
	g := fx.fact({"actor": "third_party", "data": ["personal_data"], "purposes": ["any_purpose", "marketing"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("7", [g])])
}

test_two_facts_in_one_clause_are_flagged_once if {
	g := object.union(any_use, {"data": ["customer_content"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.2", [any_use, g])])
}

test_prohibition_for_any_purpose_passes if {
	g := object.union(any_use, {"modality": "prohibition"})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [g])])
}

test_named_purposes_pass if {
	g := object.union(any_use, {"purposes": ["providing_service", "security"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [g])])
}

test_user_permission_passes if {
	g := object.union(any_use, {"actor": "user"})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.2", [g])])
}

test_any_purpose_with_opt_in_consent_passes if {
	g := object.union(any_use, {"conditions": ["opt_in_consent"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("7", [g])])
}

test_any_purpose_of_deidentified_data_passes if {
	g := object.union(any_use, {"data": ["personal_data", "deidentified_data"], "conditions": ["aggregated_or_deidentified"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("7", [g])])
}

test_any_purpose_with_deemed_consent_is_flagged if {
	g := object.union(any_use, {"conditions": ["deemed_consent"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.2", [g])])
}

test_any_purpose_of_data_the_company_may_aggregate_is_flagged if {
	g := object.union(any_use, {"data": ["customer_content"], "conditions": ["aggregated_or_deidentified"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("7", [g])])
}
