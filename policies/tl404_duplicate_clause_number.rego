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

deny contains f if {
	rows := number_rows
	some i, row in rows
	i > 0
	previous := rows[i - 1]
	previous[0] == row[0]
	previous[1] == row[1]
	c := input.clauses[row[2]]
	first := input.clauses[previous[2]]
	f := {
		"code": "TL404",
		"msg": sprintf("Clause number %s is used more than once under the same heading (line %s, then line %s); references to it are ambiguous", [row[1], format_int(first.span.start_line, 10), format_int(c.span.start_line, 10)]),
		"clause": c.id,
		"evidence": [],
	}
}
