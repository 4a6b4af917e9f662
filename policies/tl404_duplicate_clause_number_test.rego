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

# An appendix that repeats a "1, 2, 3" sequence is not a duplicate...
test_restarted_numbering_passes if {
	d := fx.doc([
		numbered("1", "1", null, 10), numbered("2", "2", null, 20), numbered("3", "3", null, 30),
		numbered("1~2", "1", null, 40), numbered("2~2", "2", null, 50),
	])
	count(rule.deny) == 0 with input as d
}

# ...but a number repeated inside one sequence is ("10.1, 10.2, 10.2, 10.3").
test_repeat_inside_a_sequence_is_flagged if {
	d := fx.doc([
		numbered("1", "1", null, 10), numbered("2", "2", null, 20), numbered("2~2", "2", null, 25),
		numbered("3", "3", null, 40),
	])
	result := rule.deny with input as d
	count(result) == 1
	some f in result
	f.clause == "2~2"
}

# A number that comes back much later (a contents list, a second agreement) is structure.
test_number_repeated_after_other_clauses_passes if {
	d := fx.doc([
		numbered("4", "4", null, 10), numbered("5", "5", null, 11), numbered("6", "6", null, 12),
		numbered("4~2", "4", null, 40), numbered("7", "7", null, 50),
	])
	count(rule.deny) == 0 with input as d
}

# A lead-in ending with ":" followed by a list that restarts at its number is a new list.
test_list_after_a_lead_in_passes if {
	lead := fx.clause_with("1", [], {"number": "1", "parent": null, "span": fx.span(10), "text": "You warrant that:"})
	d := fx.doc([lead, numbered("1~2", "1", null, 11), numbered("2", "2", null, 12)])
	count(rule.deny) == 0 with input as d
}

# A table of contents, then the section it lists: the same title twice is one clause named twice.
test_a_contents_entry_and_its_section_pass if {
	toc := object.union(numbered("1", "1", null, 6), {"title": "Personal data we collect"})
	section := object.union(numbered("1~2", "1", null, 48), {"title": "Personal Data we collect "})
	count(rule.deny) == 0 with input as fx.doc([toc, section])
}

test_two_sections_with_one_number_and_different_titles_are_flagged if {
	a := object.union(numbered("20", "20", null, 217), {"title": "Notice of infringement claims"})
	b := object.union(numbered("20~2", "20", null, 230), {"title": "Notice of defamatory content"})
	count(rule.deny) == 1 with input as fx.doc([a, b])
}

# "2. The service is for businesses." then "**2. Definitions**": a paragraph and
# the heading of the next section, numbered alike because the nesting was lost.
test_a_titled_clause_after_an_untitled_one_passes if {
	heading := fx.clause_with("2~2", [], {"number": "2", "parent": null, "span": fx.span(16), "title": "Definitions"})
	d := fx.doc([numbered("1", "1", null, 10), numbered("2", "2", null, 14), heading])
	count(rule.deny) == 0 with input as d
}

# Two titled clauses with one number are a real duplicate ("4.2 Content Privacy", "4.2 Data Protection").
test_two_titled_clauses_with_one_number_are_flagged if {
	a := fx.clause_with("4.2", [], {"number": "4.2", "parent": "4", "span": fx.span(65), "title": "Content Privacy"})
	b := fx.clause_with("4.2~2", [], {"number": "4.2", "parent": "4", "span": fx.span(67), "title": "Data Protection"})
	d := fx.doc([numbered("4", "4", null, 60), numbered("4.1", "4.1", "4", 63), a, b])
	count(rule.deny) == 1 with input as d
}
