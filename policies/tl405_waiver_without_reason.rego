# METADATA
# title: Waiver without a reason
# description: |
#   Flags an inline waiver (`<!-- termslint-disable CODE reason="..." -->`),
#   for a clause or a whole file, whose reason is missing or empty.
# custom:
#   code: TL405
#   name: waiver-without-reason
#   severity: warning
#   why: |
#     A waiver records a legal decision to accept a risk. Without the reason,
#     the next reviewer cannot tell whether it was approved, by whom, or
#     whether it still applies after the clause changes.
#   fix: |
#     Add reason="..." naming the decision, e.g.
#     reason="approved by legal, ticket LEGAL-142".
#   example: |
#     <!-- termslint-disable TL101 -->
#     **10.4** We may use Customer Content to train our models.
package termslint.rules.waiver_without_reason

import rego.v1

no_reason(s) if object.get(s, "reason", null) == null

no_reason(s) if {
	is_string(s.reason)
	trim_space(s.reason) == ""
}

evidence(s) := [{"concept": "suppression", "text": concat(" ", ["termslint-disable", concat(" ", s.codes)]), "span": s.span}]

warn contains f if {
	some c in input.clauses
	some s in c.suppressions
	no_reason(s)
	f := {
		"code": "TL405",
		"msg": sprintf("The waiver of %s has no reason", [concat(", ", s.codes)]),
		"clause": c.id,
		"evidence": evidence(s),
	}
}

warn contains f if {
	some s in input.document.suppressions
	no_reason(s)
	f := {
		"code": "TL405",
		"msg": sprintf("The file-wide waiver of %s has no reason", [concat(", ", s.codes)]),
		"clause": null,
		"evidence": evidence(s),
	}
}
