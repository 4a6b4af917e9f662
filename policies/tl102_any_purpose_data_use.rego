# METADATA
# title: Customer data usable for any purpose
# description: |
#   Flags a grant or permission that lets the company or a third party use
#   customer content, personal data or service-generated data "for any
#   purpose". Prohibitions are never flagged, nor uses that need the user's
#   opt-in consent or that are limited to aggregated or de-identified data.
# custom:
#   code: TL102
#   name: any-purpose-data-use
#   severity: error
#   why: |
#     "For any purpose" removes purpose limitation, a core principle of data
#     protection law (GDPR Art. 5(1)(b)), and lets the company start new uses,
#     such as AI training, advertising or sale, without changing the terms.
#     Courts and regulators read such wording against the drafter, and it is
#     the first sentence critics quote.
#   fix: |
#     Name the purposes (providing and securing the service, product
#     improvement, analytics) and add "and for no other purpose". If a broad
#     use is intended for aggregated data, say so and limit it to aggregated,
#     de-identified data.
#   example: |
#     **10.2** You consent to our access, use, collection, creation,
#     modification, distribution, processing, sharing, maintenance, and storage
#     of Service Generated Data for any purpose, including machine learning.
package termslint.rules.any_purpose_data_use

import rego.v1

import data.termslint.lib

any_purpose_use(f) if {
	"any_purpose" in f.purposes # the cheap test first: it runs on every fact
	lib.uses_data(f)
	count(lib.ai_data_of(f)) > 0
	# "... for any other purpose, with your consent", "aggregated or
	# de-identified data ... for any purpose": limited, as the fix advises.
	not "opt_in_consent" in f.conditions
	not deidentified_use(f)
}

# The data is described as identifying no one. ("... and aggregate your User
# Content ... for any purpose" only names aggregation among the uses.)
deidentified_use(f) if {
	"aggregated_or_deidentified" in f.conditions
	"deidentified_data" in f.data
}

deny contains f if {
	some c in input.clauses
	facts := [g | some g in c.facts; any_purpose_use(g)]
	count(facts) > 0
	cats := {d | some g in facts; some d in lib.ai_data_of(g)}
	f := {
		"code": "TL102",
		"msg": sprintf("%s lets the company use %s for any purpose", [lib.capitalise(lib.clause_name(c)), lib.labels(cats)]),
		"clause": c.id,
		"evidence": [e | some g in facts; some e in g.evidence],
	}
}
