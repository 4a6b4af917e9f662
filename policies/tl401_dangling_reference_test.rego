package termslint.tests.dangling_reference

import rego.v1

import data.termslint.rules.dangling_reference as rule
import data.termslint.tests.fixtures as fx

test_unresolved_clause_reference_is_flagged if {
	c := fx.clause_with("4.2", [], {"refs": [fx.ref("12.3", false)]})
	result := rule.deny with input as fx.doc([c, fx.clause("12", [])])
	count(result) == 1
	some f in result
	f.clause == "4.2"
	f.evidence[0].text == "Section 12.3"
	contains(f.msg, "no clause 12.3")
}

test_each_dangling_reference_is_flagged if {
	c := fx.clause_with("4.2", [], {"refs": [fx.ref("12.3", false), fx.ref("14", false), fx.ref("1", true)]})
	count(rule.deny) == 2 with input as fx.doc([c, fx.clause("1", [])])
}

test_resolved_reference_passes if {
	c := fx.clause_with("4.2", [], {"refs": [fx.ref("12", true)]})
	count(rule.deny) == 0 with input as fx.doc([c, fx.clause("12", [])])
}

test_unnumbered_document_passes if {
	c := fx.clause_with("fees", [], {"number": null, "refs": [fx.ref("12.3", false)]})
	count(rule.deny) == 0 with input as fx.doc([c])
}

test_law_reference_passes if {
	law := object.union(fx.ref("Article 6", false), {"kind": "law"})
	c := fx.clause_with("4.2", [], {"refs": [law]})
	count(rule.deny) == 0 with input as fx.doc([c])
}

# Inline lettered items are rarely numbered clauses: "13(b)" when clause 13 exists is not reported.
test_sub_item_of_an_existing_clause_passes if {
	c := fx.clause_with("4.2", [], {"refs": [fx.ref("13(b)(i)", false)]})
	count(rule.deny) == 0 with input as fx.doc([c, fx.clause("13", [])])
}

test_sub_item_of_a_missing_clause_is_flagged if {
	c := fx.clause_with("4.2", [], {"refs": [fx.ref("14(b)", false)]})
	count(rule.deny) == 1 with input as fx.doc([c, fx.clause("13", [])])
}

# Most references point nowhere: the numbering was lost, so one note instead of an error each.
test_a_document_whose_numbering_was_lost_gets_one_note if {
	refs := [fx.ref("3.1", false), fx.ref("9.1", false), fx.ref("12.1", false), fx.ref("15", false), fx.ref("1", true)]
	c := fx.clause_with("1", [], {"refs": refs})
	result := rule.deny with input as fx.doc([c])
	count(result) == 1
	some f in result
	f.severity == "info"
	contains(f.msg, "4 references (Section 12.1, Section 15, Section 3.1, ...) point to clause numbers")
	contains(f.msg, "and 1 to numbers it does")
}

# A short document whose three references all dangle: its sections are missing, each is an error.
test_the_few_references_of_a_short_document_are_each_flagged if {
	c := fx.clause_with("1", [], {"refs": [fx.ref("5.1", false), fx.ref("6.2", false), fx.ref("7.3", false)]})
	result := rule.deny with input as fx.doc([c, fx.clause("2", [])])
	count(result) == 3
	every f in result { not f.severity }
}

test_dangling_references_among_resolved_ones_are_each_flagged if {
	refs := [fx.ref("3.1", false), fx.ref("9.1", false), fx.ref("12.1", false), fx.ref("1", true), fx.ref("1", true), fx.ref("1", true)]
	c := fx.clause_with("1", [], {"refs": refs})
	result := rule.deny with input as fx.doc([c])
	count(result) == 3
	every f in result { not f.severity }
}
