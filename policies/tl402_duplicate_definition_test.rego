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

# Each section of a cookie policy names the same company ("Google LLC, ... ("Google")").
test_restated_definition_passes if {
	restating := fx.clause_with("9", [], {"defines": ["Google", "Cookies"], "restates": ["Google"]})
	result := rule.warn with input as fx.doc([defining("8", ["Google", "Cookies"]), restating])
	count(result) == 1
	some f in result
	startswith(f.msg, "\"Cookies\" is defined more than once")
}

test_distinct_terms_pass if {
	count(rule.warn) == 0 with input as fx.doc([defining("1.4", ["Customer Content"]), defining("1.5", ["Services"])])
}

test_no_definitions_pass if {
	count(rule.warn) == 0 with input as fx.doc([fx.clause("1", [])])
}

part_clause(id, number, parent, terms, line) := fx.clause_with(id, [], {
	"number": number,
	"parent": parent,
	"defines": terms,
	"span": fx.span(line),
})

# Two agreements in one file, the second numbered from 1 again under its own
# heading: each defines "Services" and "Fees" for itself.
bundle(second_terms) := fx.doc([
	part_clause("1", "1", null, [], 1),
	part_clause("1.1", "1.1", "1", ["Fees", "Services"], 2),
	part_clause("2", "2", null, [], 3),
	part_clause("supplier-agreement", null, null, [], 4),
	part_clause("supplier-agreement/1", "1", "supplier-agreement", [], 5),
	part_clause("supplier-agreement/1.1", "1.1", "supplier-agreement/1", second_terms, 6),
	part_clause("supplier-agreement/2", "2", "supplier-agreement", ["Fees"], 7),
])

test_each_bundled_agreement_defines_its_own_terms if {
	count(rule.warn) == 0 with input as bundle(["Services"])
}

test_repeat_within_a_bundled_agreement_is_flagged if {
	result := rule.warn with input as bundle(["Services", "Fees"])
	count(result) == 1
	some f in result
	f.clause == "supplier-agreement/2"
	# Only the second agreement's definitions are named (lines 6 and 7, not 2).
	f.msg == "\"Fees\" is defined more than once: in clause 1.1 (line 6) and clause 2 (line 7)"
}

# A list numbered from 1 inside clause 3 is not a new agreement.
test_list_numbered_from_one_inside_a_clause_opens_no_part if {
	d := fx.doc([
		part_clause("2", "2", null, ["Fees"], 1),
		part_clause("3", "3", null, [], 2),
		part_clause("3.1", "1", "3", [], 3),
		part_clause("3.2", "2", "3", ["Fees"], 4),
	])
	count(rule.warn) == 1 with input as d
}

# "01. ... 02." numbering, as converted documents often carry.
test_zero_padded_numbers_are_read if {
	d := fx.doc([
		part_clause("01", "01", null, ["Fees"], 1),
		part_clause("02", "02", null, [], 2),
		part_clause("annex", null, null, [], 3),
		part_clause("annex/01", "01", "annex", ["Fees"], 4),
	])
	count(rule.warn) == 0 with input as d
}

# An agreement that ends at clause 10 or 12.3 is followed by a new one: 10 and
# 12 are above 1, though they start with the digit 1. One that ends at 1.10
# (a first section only) is not.
ends_at(first, last) := fx.doc([
	part_clause(first, first, null, ["Fees"], 1),
	part_clause(last, last, null, [], 2),
	part_clause("annex", null, null, [], 3),
	part_clause("annex/1", "1", "annex", ["Fees"], 4),
])

test_two_digit_numbers_end_a_part if {
	count(rule.warn) == 0 with input as ends_at("9", "10")
	count(rule.warn) == 0 with input as ends_at("11", "12.3")
}

test_numbers_led_by_one_do_not_end_a_part if {
	count(rule.warn) == 1 with input as ends_at("1.9", "1.10")
}
