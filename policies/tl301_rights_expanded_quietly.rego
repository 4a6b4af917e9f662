# METADATA
# title: Rights expanded without a new effective date or version
# description: |
#   Compares the document with its base revision. Flags a clause that gained a
#   purpose, a data category or a licence scope word for the company, or lost
#   a limit (an opt-out, a consent requirement, aggregation, a licence tied to
#   the service, a prohibition), while the document's effective date,
#   last-updated date and version did not change. Runs only with --base.
# custom:
#   code: TL301
#   name: rights-expanded-quietly
#   severity: error
#   why: |
#     Users rely on the effective date and version to know that terms changed.
#     Widening what the company may do without changing them is the "quiet
#     change" the FTC has called unfair and deceptive, and a change the user was
#     never told about may not bind them at all. Zoom's 2023 expansion went
#     unnoticed for months for this reason.
#   fix: |
#     Update the effective date (and version) in the same change, and plan
#     the notice the contract or the law requires (email, in-product notice,
#     a change log). If the widening was not intended, restore the limit.
#   example: |
#     **10.2** We may use Service Generated Data for product improvement and
#     machine learning.
package termslint.rules.rights_expanded_quietly

import rego.v1

import data.termslint.lib
import data.termslint.lib.base_metadata
import data.termslint.lib.benign_purposes
import data.termslint.lib.changes_apply
import data.termslint.lib.date_unchanged
import data.termslint.lib.limit_conditions
import data.termslint.lib.scope_words

use_facts(fs) := {g | some g in fs; lib.uses_data(g)}

# These three take use facts only: a prohibition that names a purpose widens nothing.
purposes_of(uses) := {p | some g in uses; some p in g.purposes; not p in benign_purposes}

data_of(uses) := {d | some g in uses; some d in g.data; d != "public_data"}

scope_of(uses) := {w | some g in uses; is_object(g.license); some w in scope_words; g.license[w] == true}

# ("opt_out_for_some_users" for an opt-out only the users of some places or plans have)
limits_of(fs) := {lib.choice_kind(k, g) | some g in fs; some k in g.conditions; k in limit_conditions}

# Labels of the limits the base had and the head lacks; an opt-out for everyone
# that only some users have now is lost too.
lost_limits(base, head) := {lib.condition_label(lib.lost_kind(k, head_limits)) |
	head_limits := limits_of(head)
	some k in limits_of(base)
	not lib.kind_kept(head_limits, k)
}

# Purposes ruled out for all of the data and all users (partial false), or only
# for part of them (partial true: "If you are on a Team plan, we will not ...").
prohibited_of(fs, partial) := {p | some g in fs; g.modality == "prohibition"; g.partial == partial; some p in g.purposes}

# Purposes the base ruled out wholly that the head rules out partly (as "now
# rules out AI training only for part of the data or users"), or not at all.
narrowed_part(words) := [] if count(words) == 0

narrowed_part(words) := [concat("", ["now rules out ", lib.join_words(words), " only for part of the data or users"])] if {
	count(words) > 0
}

service_limited(fs) if {
	some g in fs
	g.license.limited_to_service == true
}

part(prefix, words) := [] if count(words) == 0

part(prefix, words) := [concat("", [prefix, lib.join_words(words)])] if count(words) > 0

service_part(base, head) := ["no longer limits its licence to the service"] if {
	service_limited(base)
	not service_limited(head)
}

service_part(base, head) := [] if not service_limited(base)

service_part(base, head) := [] if service_limited(head)

what_changed(base, head) := array.concat(
	array.concat(
		part("now allows ", sort([lib.purpose_label(p) | some p in purposes_of(head_uses) - purposes_of(base_uses)])),
		part("now covers ", sort([lib.label(d) | some d in data_of(head_uses) - data_of(base_uses)])),
	),
	array.concat(
		array.concat(
			part("now grants a licence that is ", [replace(w, "_", "-") | some w in scope_words; w in scope_of(head_uses) - scope_of(base_uses)]),
			part("lost its ", sort(lost_limits(base, head))),
		),
		array.concat(
			part("no longer rules out ", sort([lib.purpose_label(p) | some p in unbanned - prohibited_of(head, true)])),
			array.concat(
				narrowed_part(sort([lib.purpose_label(p) | some p in unbanned & prohibited_of(head, true)])),
				service_part(base, head),
			),
		),
	),
) if {
	unbanned := prohibited_of(base, false) - prohibited_of(head, false)
	base_uses := use_facts(base)
	head_uses := use_facts(head)
}

still(meta) := concat("", [" (still ", lib.value_text(v), ")"]) if {
	v := object.get(meta, "effective_date", object.get(meta, "last_updated", null))
	v != null
}

still(meta) := "" if {
	object.get(meta, "effective_date", object.get(meta, "last_updated", null)) == null
}

deny contains f if {
	changes_apply
	date_unchanged
	some ch in input.changes.clauses
	ch.status != "unchanged"
	parts := what_changed(lib.base_facts(ch), lib.head_facts(ch))
	count(parts) > 0
	f := {
		"code": "TL301",
		"msg": sprintf("%s %s, but the effective date and version did not change%s", [lib.change_name(ch), concat("; it ", parts), still(base_metadata)]),
		"clause": ch.head_id,
		"evidence": [e | some g in ch.facts_added; lib.uses_data(g); some e in g.evidence],
	}
}
