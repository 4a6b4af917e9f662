# METADATA
# title: Term defined more than once
# description: |
#   Flags a defined term that two clauses define, or that one clause defines
#   twice. The finding is on each repeat after the first definition. A repeat
#   in the words of the definition before it (the same sentence, the same
#   words before a bracketed term, or the same spelled-out acronym) restates
#   it and is not flagged. A file that bundles several agreements, each
#   numbered from 1 again, is read as parts that each define their own terms.
# custom:
#   code: TL402
#   name: duplicate-definition
#   severity: warning
#   why: |
#     Two definitions of one term rarely say exactly the same thing; when they
#     differ, a court may pick the reading least favourable to the drafter, and
#     a rule written against one definition can silently apply the other (for
#     example a narrow and a broad "Customer Content").
#   fix: |
#     Keep one definition, ideally in the definitions section, and refer to it
#     everywhere else; if two meanings are needed, give them different terms.
#   example: |
#     **1.4** "Customer Content" means content you upload.
#     **10.1** "Customer Content" means all data you provide or we collect.
package termslint.rules.duplicate_definition

import rego.v1

import data.termslint.lib
import data.termslint.lib.definition_rows

warn contains f if {
	rows := definition_rows
	some i, row in rows
	i > 0
	rows[i - 1][0] == row[0]
	part := lib.part_of(row[1])
	lib.part_of(rows[i - 1][1]) == part
	c := input.clauses[row[1]]
	not row[0] in c.restates # the same words again: one meaning, not two
	definers := [where(input.clauses[r[1]]) | some r in rows; r[0] == row[0]; lib.part_of(r[1]) == part]
	f := {
		"code": "TL402",
		"msg": sprintf("\"%s\" is defined more than once: in %s", [row[0], lib.join_words(definers)]),
		"clause": c.id,
		"evidence": [],
	}
}

# "clause 1.4 (line 12)": the line tells apart two clauses that share a number.
where(c) := concat("", [lib.clause_name(c), " (line ", format_int(c.span.start_line, 10), ")"])
