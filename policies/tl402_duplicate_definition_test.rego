package termslint.tests.duplicate_definition

import rego.v1

import data.termslint.rules.duplicate_definition as rule
import data.termslint.tests.fixtures as fx

defining(id, terms) := fx.clause_with(id, [], {"defines": terms})

test_term_defined_in_two_clauses_is_flagged if {
	result := rule.warn with input as fx.doc([defining("1.4", ["Customer Content"]), defining("10.1", ["Customer Content", "Services"])])
	count(result) == 1
	some f in result
	f.clause == "10.1"
	contains(f.msg, "\"Customer Content\" is defined more than once: in clause 1.4 (line 10) and clause 10.1 (line 10)")
}

test_term_defined_twice_in_one_clause_is_flagged if {
	count(rule.warn) == 1 with input as fx.doc([defining("1", ["Services", "Services"])])
}

test_three_definitions_are_flagged_twice if {
	count(rule.warn) == 2 with input as fx.doc([defining("1", ["Data"]), defining("2", ["Data"]), defining("3", ["Data"])])
}

test_distinct_terms_pass if {
	count(rule.warn) == 0 with input as fx.doc([defining("1.4", ["Customer Content"]), defining("1.5", ["Services"])])
}

test_no_definitions_pass if {
	count(rule.warn) == 0 with input as fx.doc([fx.clause("1", [])])
}
