package termslint.tests.duplicate_clause_number

import rego.v1

import data.termslint.rules.duplicate_clause_number as rule
import data.termslint.tests.fixtures as fx

numbered(id, number, parent, line) := fx.clause_with(id, [], {"number": number, "parent": parent, "span": fx.span(line)})

test_repeated_number_is_flagged if {
	d := fx.doc([numbered("10", "10", null, 50), numbered("10.4", "10.4", "10", 60), numbered("10.4~2", "10.4", "10", 64)])
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == "10.4~2"
	contains(f.msg, "(line 60, then line 64)")
}

test_repeated_top_level_number_is_flagged if {
	d := fx.doc([numbered("3", "3", null, 10), numbered("3~2", "3", null, 20)])
	count(rule.deny) == 1 with input as d
}

test_same_number_under_different_parents_passes if {
	d := fx.doc([numbered("5(a)", "(a)", "5", 10), numbered("6(a)", "(a)", "6", 20)])
	count(rule.deny) == 0 with input as d
}

test_unnumbered_clauses_pass if {
	d := fx.doc([numbered("intro", null, null, 1), numbered("scope", null, null, 5)])
	count(rule.deny) == 0 with input as d
}
