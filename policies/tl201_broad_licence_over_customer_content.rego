# METADATA
# title: Perpetual or irrevocable, transferable licence over customer content
# description: |
#   Flags a licence over customer content, granted to the company or a third
#   party, that is perpetual or irrevocable and also sublicensable or
#   transferable.
# custom:
#   code: TL201
#   name: broad-licence-over-customer-content
#   severity: warning
#   why: |
#     A licence that never ends and can be passed on survives the customer's
#     departure and travels with the company's assets in a sale or to
#     partners. Customers read it as the company taking ownership of their
#     content, and it is hard to square with deletion rights under data
#     protection law. Zoom's 2023 terms granted exactly this over customer
#     content.
#   fix: |
#     Limit the licence to the term of the agreement (drop "perpetual" and
#     "irrevocable"), and allow sublicensing only to subprocessors that help
#     provide the service; drop "transferable".
#   example: |
#     **10.3** You grant us a perpetual, worldwide, non-exclusive, royalty-free,
#     sublicensable, and transferable license to use, modify and distribute
#     Customer Content.
package termslint.rules.broad_licence_over_customer_content

import rego.v1

import data.termslint.lib
import data.termslint.lib.scope_words

lasting(l) if l.perpetual == true

lasting(l) if l.irrevocable == true

passes_on(l) if l.sublicensable == true

passes_on(l) if l.transferable == true

broad(f) if {
	is_object(f.license) # the cheap tests first: they run on every fact
	"customer_content" in f.data
	lib.benefits_company(f)
	lasting(f.license)
	passes_on(f.license)
}

warn contains f if {
	some c in input.clauses
	facts := [g | some g in c.facts; broad(g)]
	count(facts) > 0
	words := [replace(w, "_", "-") | some w in scope_words; has_word(facts, w)]
	scope := lib.join_words(words)
	f := {
		"code": "TL201",
		"msg": sprintf("%s grants %s %s licence over customer content", [lib.capitalise(lib.clause_name(c)), lib.article(scope), scope]),
		"clause": c.id,
		"evidence": [e | some g in facts; some e in g.evidence],
	}
}

# Scope words are listed in their usual order, each once, whichever fact has them.
has_word(facts, w) if {
	some g in facts
	g.license[w] == true
}
