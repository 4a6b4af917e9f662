# METADATA
# title: Licence over customer content not limited to the service
# description: |
#   Flags a licence over customer content, granted to the company or a third
#   party, that is not limited to providing the service: neither its words
#   ("solely to provide the Services") nor its purposes (a licence "to host
#   and transmit Customer Data to provide the Service" names no other) tie it
#   to the service.
# custom:
#   code: TL202
#   name: licence-beyond-service
#   severity: warning
#   why: |
#     The company needs a licence to host, copy and transmit customer content
#     in order to run the service. A licence that is not tied to that purpose
#     lets it use the content for anything else, including AI training,
#     marketing or sharing with partners, and customers cannot tell from the
#     licence where the use ends.
#   fix: |
#     Add "solely to provide, secure and support the Services to you" (or
#     similar) to the licence, and grant any further use separately, with its
#     own purpose and choice.
#   example: |
#     **10.3** You grant us a worldwide, royalty-free license to use, reproduce,
#     modify and create derivative works of Customer Content.
package termslint.rules.licence_beyond_service

import rego.v1

import data.termslint.lib
import data.termslint.lib.benign_purposes

beyond_service(f) if {
	is_object(f.license) # the cheap tests first: they run on every fact
	"customer_content" in f.data
	lib.benefits_company(f)
	not f.license.limited_to_service == true
	not for_the_service_only(f)
}

# The licence names purposes, and each is running the service.
for_the_service_only(f) if {
	count(f.purposes) > 0
	every p in f.purposes {
		p in benign_purposes
	}
}

warn contains f if {
	some c in input.clauses
	facts := [g | some g in c.facts; beyond_service(g)]
	count(facts) > 0
	f := {
		"code": "TL202",
		"msg": sprintf("%s grants a licence over customer content that is not limited to providing the service", [lib.capitalise(lib.clause_name(c))]),
		"clause": c.id,
		"evidence": [e | some g in facts; some e in g.evidence],
	}
}
