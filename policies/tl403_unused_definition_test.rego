package termslint.tests.unused_definition

import rego.v1

import data.termslint.rules.unused_definition as rule
import data.termslint.tests.fixtures as fx

definitions := {"Beta Features": {"term": "Beta Features", "clause": "1.7", "category": null, "span": fx.span(7), "text": ""}}

test_unused_term_is_flagged if {
	d := object.union(fx.doc([fx.clause_with("1.7", [], {"defines": ["Beta Features"]})]), {"definitions": definitions})
	result := rule.info with input as d
	count(result) == 1
	some f in result
	f.clause == "1.7"
	f.evidence[0].span.start_line == 7
}

test_each_unused_term_is_flagged if {
	d := fx.doc([fx.clause_with("1", [], {"defines": ["A", "B"], "uses": ["C"]})])
	count(rule.info) == 2 with input as d
}

test_lower_case_gloss_passes_but_a_caseless_term_does_not if {
	d := fx.doc([fx.clause_with("7.3", [], {"defines": ["liable", "ESG-2", "平台"]})])
	result := rule.info with input as d
	{f.msg | some f in result} == {"\"ESG-2\" is defined in clause 7.3 but never used", "\"平台\" is defined in clause 7.3 but never used"}
}

test_used_term_passes if {
	d := fx.doc([fx.clause_with("1.7", [], {"defines": ["Beta Features"]}), fx.clause_with("8", [], {"uses": ["Beta Features"]})])
	count(rule.info) == 0 with input as d
}

test_document_without_definitions_passes if {
	count(rule.info) == 0 with input as fx.doc([fx.clause("1", [])])
}
