# METADATA
# title: Two clauses with the same number
# description: |
#   Flags a clause whose number repeats the number of an earlier clause under
#   the same parent (the parser gives the repeat an id ending in "~2").
# custom:
#   code: TL404
#   name: duplicate-clause-number
#   severity: error
#   why: |
#     Every reference to a duplicated number ("as set out in Section 10.4") is
#     ambiguous, and so is any notice or waiver that cites it. Duplicates
#     usually come from an insertion that was not renumbered.
#   fix: |
#     Renumber the clauses and update every reference to them.
#   example: |
#     **10.4** We may use Customer Content to provide the Services.
#     **10.4** We may use Service Generated Data for analytics.
package termslint.rules.duplicate_clause_number

import rego.v1

import data.termslint.lib.number_rows

# A number written twice in a row is the typical mistake of an edit ("10.1,
# 10.2, 10.2, 10.3": a clause inserted without renumbering). A number that
# comes back later is usually structure, not a mistake: appendices, a contents
# list before the sections it lists, or a second agreement in the same file
# repeat a whole sequence ("1.1, 1.2 ... 1.1, 1.2"). So a repeat is flagged
# only when it directly follows the clause with the same number and the two
# do not both sit in a repeated run. Built from sorted lists, so it stays
# linear in the number of clauses.

# [parent, clause position] of every numbered clause, in document order per parent.
child_positions := sort([[object.get(c, "parent", null), i] |
	some i, c in input.clauses
	is_string(c.number)
])

row_of := {pair[1]: k | some k, pair in child_positions}

neighbour_number(i, step) := input.clauses[child_positions[k + step][1]].number if {
	k := row_of[i]
	k + step >= 0
	child_positions[k + step][0] == child_positions[k][0]
}

repeated_run(earlier, later) if neighbour_number(earlier, -1) == neighbour_number(later, -1)

repeated_run(earlier, later) if neighbour_number(earlier, 1) == neighbour_number(later, 1)

deny contains f if {
	rows := number_rows
	some i, row in rows
	i > 0
	previous := rows[i - 1]
	previous[0] == row[0]
	previous[1] == row[1]
	row_of[row[2]] == row_of[previous[2]] + 1
	not repeated_run(previous[2], row[2])
	c := input.clauses[row[2]]
	first := input.clauses[previous[2]]
	# "1. You warrant that:" followed by its own list "1. ... 2. ..." whose
	# indentation was lost in conversion: a new list, not a repeated number.
	not endswith(trim_space(first.text), ":")
	# "1. Personal data we collect" in a table of contents, then as the heading
	# of its section: the same clause named twice, not two clauses.
	not same_title(first, c)
	# "2. The service is offered to businesses." then "**2. Definitions**": the
	# heading of the next section, numbered like the paragraph before it.
	titled(first) == titled(c)
	f := {
		"code": "TL404",
		"msg": sprintf("Clause number %s is used more than once under the same heading (line %s, then line %s); references to it are ambiguous", [row[1], format_int(first.span.start_line, 10), format_int(c.span.start_line, 10)]),
		"clause": c.id,
		"evidence": [],
	}
}

same_title(a, b) if {
	is_string(a.title)
	is_string(b.title)
	lower(trim_space(a.title)) == lower(trim_space(b.title))
}

titled(c) := is_string(c.title)
