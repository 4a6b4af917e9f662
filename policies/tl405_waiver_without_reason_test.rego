package termslint.tests.waiver_without_reason

import rego.v1

import data.termslint.rules.waiver_without_reason as rule
import data.termslint.tests.fixtures as fx

test_clause_waiver_without_reason_is_flagged if {
	c := fx.clause_with("10.4", [], {"suppressions": [fx.suppression(["TL101"], null)]})
	result := rule.warn with input as fx.doc([c])
	count(result) == 1
	some f in result
	f.clause == "10.4"
	f.evidence[0].span.start_line == 9
}

test_file_waiver_with_blank_reason_is_flagged if {
	d := fx.doc([fx.clause("1", [])])
	s := object.union(fx.suppression(["TL403"], "  "), {"scope": "file"})
	result := rule.warn with input as object.union(d, {"document": {"suppressions": [s]}})
	count(result) == 1
	some f in result
	f.clause == null
}

test_waiver_with_reason_passes if {
	c := fx.clause_with("10.4", [], {"suppressions": [fx.suppression(["TL101"], "approved by legal, LEGAL-142")]})
	count(rule.warn) == 0 with input as fx.doc([c])
}

test_no_waivers_pass if {
	count(rule.warn) == 0 with input as fx.doc([fx.clause("10.4", [])])
}
