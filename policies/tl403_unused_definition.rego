# METADATA
# title: Defined term never used
# description: |
#   Flags a defined term that no clause of the document uses. A term written
#   all in lower case ("liable", "spoofing", "interest-based") glosses an
#   ordinary word rather than naming a defined term, and is left alone.
# custom:
#   code: TL403
#   name: unused-definition
#   severity: info
#   why: |
#     An unused definition is often left over from a clause that was removed
#     or reworded; the text that used to rely on it may now rely on ordinary
#     meaning instead, which is broader or narrower than intended.
#   fix: |
#     Remove the definition, or use the term where the document means it.
#   example: |
#     **1.7** "Beta Features" means features we label as beta.
package termslint.rules.unused_definition

import rego.v1

import data.termslint.lib
import data.termslint.lib.used_terms

definition_evidence(t, c) := [{"concept": "definition", "text": t, "span": d.span}] if {
	d := input.definitions[t]
	d.clause == c.id
}

definition_evidence(t, c) := [] if object.get(input.definitions, [t, "clause"], null) != c.id

info contains f if {
	some c in input.clauses
	some t in c.defines
	not t in used_terms
	not gloss(t)
	f := {
		"code": "TL403",
		"msg": sprintf("\"%s\" is defined in %s but never used", [t, lib.clause_name(c)]),
		"clause": c.id,
		"evidence": definition_evidence(t, c),
	}
}

# Lower-case letters and no capital: a gloss ("also called \"liability\""). A
# term in a script without case (upper equals lower) is still a term.
gloss(t) if {
	lower(t) == t
	upper(t) != t
}
