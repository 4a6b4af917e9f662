# METADATA
# title: Reference to a clause that does not exist
# description: |
#   Flags a cross-reference such as "Section 12.3" that points to no clause of
#   the document. Only documents with numbered clauses are checked, so prose
#   documents without numbers raise no false alarms; references to laws and
#   other documents are ignored. When most of a document's references point
#   nowhere (three or more of at least five, and more than point somewhere),
#   its numbering was not found (numbers set by a stylesheet, lists converted
#   from HTML): one info finding says so instead of an error per reference.
# custom:
#   code: TL401
#   name: dangling-reference
#   severity: error
#   why: |
#     A clause that incorporates a missing section ("subject to Section 12.3")
#     is ambiguous, and ambiguity in standard terms is read against the
#     company that wrote them. Dangling references usually mean a section was
#     renumbered or deleted and a limit or a right went with it.
#   fix: |
#     Point the reference at the clause that now holds the text, or restore
#     the missing clause.
#   example: |
#     **4.2** Fees are refundable as described in Section 12.3.
package termslint.rules.dangling_reference

import rego.v1

import data.termslint.lib
import data.termslint.lib.numbered_document

# Numbers the document has, as ids or as written.
known_numbers := {c.id | some c in input.clauses} | {c.number | some c in input.clauses; is_string(c.number)}

# "Section 13(b)(i)" when Section 13 exists: converted documents often keep
# lettered items inline in one paragraph, where no parser can number them, so
# only a reference whose main number is missing too is reported.
main_number_exists(target) if {
	contains(target, "(")
	main := trim_space(split(target, "(")[0])
	main in known_numbers
}

# Positions [clause, reference], not the clauses themselves: a set of whole
# clauses would hash every clause's text once per reference.
dangling contains [i, j] if {
	some i, c in input.clauses
	some j, r in c.refs
	r.kind == "clause"
	r.resolved == false
	not main_number_exists(r.target)
}

# References by number that do resolve ("this Section" names its own clause: not counted).
resolved_count := count([r |
	some c in input.clauses
	some r in c.refs
	r.kind == "clause"
	r.resolved == true
	not startswith(lower(r.text), "this")
])

# (a short document whose few references all dangle is more likely missing
# the sections than its numbering: five references at least, before guessing)
numbering_found if count(dangling) < 3

numbering_found if count(dangling) + resolved_count < 5

numbering_found if count(dangling) <= resolved_count

deny contains f if {
	numbered_document
	numbering_found
	some [i, j] in dangling
	c := input.clauses[i]
	r := c.refs[j]
	f := {
		"code": "TL401",
		"msg": sprintf("%s refers to \"%s\", but the document has no clause %s", [lib.capitalise(lib.clause_name(c)), r.text, r.target]),
		"clause": c.id,
		"evidence": [{"concept": "reference", "text": r.text, "span": r.span}],
	}
}

ellipsis(n) := ", ..." if n > 3

ellipsis(n) := "" if n <= 3

# The numbering was not found: one note, not an error per reference.
deny contains f if {
	numbered_document
	not numbering_found
	texts := sort({input.clauses[i].refs[j].text | some [i, j] in dangling})
	examples := concat(", ", array.slice(texts, 0, 3))
	more := ellipsis(count(texts))
	f := {
		"code": "TL401",
		"severity": "info",
		"msg": sprintf("%d references (%s%s) point to clause numbers the document does not show, and %d to numbers it does: its numbering was probably lost in conversion (numbers set by a stylesheet or a list), so they were not checked", [count(dangling), examples, more, resolved_count]),
		"clause": input.clauses[0].id,
		"evidence": [],
	}
}
