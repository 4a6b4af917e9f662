package termslint.tests.licence_beyond_service

import rego.v1

import data.termslint.rules.licence_beyond_service as rule
import data.termslint.tests.fixtures as fx

licence(over) := fx.fact({"actor": "user", "data": ["customer_content"], "license": fx.license(over)})

test_unlimited_licence_is_flagged if {
	result := rule.warn with input as fx.doc([fx.clause("10.3", [licence({"worldwide": true})])])
	count(result) == 1
	some f in result
	f.code == "TL202"
	f.clause == "10.3"
}

test_licence_to_third_party_is_flagged if {
	l := object.union(licence({}), {"actor": "user", "beneficiaries": ["third_party"]})
	count(rule.warn) == 1 with input as fx.doc([fx.clause("10.3", [l])])
}

test_licence_limited_to_service_passes if {
	count(rule.warn) == 0 with input as fx.doc([fx.clause("10.3", [licence({"limited_to_service": true, "worldwide": true})])])
}

test_licence_to_the_user_passes if {
	l := object.union(licence({}), {"actor": "company", "beneficiaries": ["user"], "data": []})
	count(rule.warn) == 0 with input as fx.doc([fx.clause("3", [l])])
}

test_fact_without_licence_passes if {
	g := fx.fact({"data": ["customer_content"], "purposes": ["providing_service"]})
	count(rule.warn) == 0 with input as fx.doc([fx.clause("10.1", [g])])
}

test_licence_whose_only_purpose_is_the_service_passes if {
	l := object.union(licence({"worldwide": true}), {"purposes": ["providing_service"]})
	count(rule.warn) == 0 with input as fx.doc([fx.clause("17.1", [l])])
}

test_licence_for_the_service_and_more_is_flagged if {
	l := object.union(licence({"worldwide": true}), {"purposes": ["providing_service", "product_improvement"]})
	count(rule.warn) == 1 with input as fx.doc([fx.clause("10.4", [l])])
}
