package termslint.tests.broad_licence_over_customer_content

import rego.v1

import data.termslint.rules.broad_licence_over_customer_content as rule
import data.termslint.tests.fixtures as fx

licence(over) := fx.fact({"actor": "user", "data": ["customer_content"], "license": fx.license(over)})

test_perpetual_sublicensable_licence_is_flagged if {
	l := licence({"perpetual": true, "worldwide": true, "royalty_free": true, "sublicensable": true, "transferable": true})
	result := rule.warn with input as fx.doc([fx.clause("10.3", [l])])
	count(result) == 1
	some f in result
	f.code == "TL201"
	contains(f.msg, "perpetual, worldwide, royalty-free, sublicensable and transferable licence")
}

test_irrevocable_transferable_licence_is_flagged if {
	l := licence({"irrevocable": true, "transferable": true})
	result := rule.warn with input as fx.doc([fx.clause("10.3", [l])])
	count(result) == 1
	some f in result
	contains(f.msg, "grants an irrevocable and transferable licence") # "an", not "a"
}

test_perpetual_but_not_transferable_passes if {
	l := licence({"perpetual": true, "irrevocable": true, "worldwide": true})
	count(rule.warn) == 0 with input as fx.doc([fx.clause("10.3", [l])])
}

test_transferable_but_term_limited_passes if {
	l := licence({"sublicensable": true, "transferable": true})
	count(rule.warn) == 0 with input as fx.doc([fx.clause("10.3", [l])])
}

test_licence_over_other_data_passes if {
	l := object.union(licence({"perpetual": true, "sublicensable": true}), {"data": ["public_data"]})
	count(rule.warn) == 0 with input as fx.doc([fx.clause("10.3", [l])])
}
