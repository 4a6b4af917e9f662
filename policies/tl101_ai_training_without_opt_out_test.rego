package termslint.tests.ai_training_without_opt_out

import rego.v1

import data.termslint.rules.ai_training_without_opt_out as rule
import data.termslint.tests.fixtures as fx

ai_grant := fx.fact({"data": ["customer_content", "service_generated_data"], "purposes": ["ai_training"]})

opt_out := fx.fact({
	"modality": "permission",
	"actor": "user",
	"data": ["customer_content", "service_generated_data"],
	"purposes": ["ai_training"],
	"conditions": ["opt_out_available"],
})

test_grant_for_ai_training_without_choice_is_flagged if {
	result := rule.deny with input as fx.doc([fx.clause("10.4", [ai_grant])])
	count(result) == 1
	some f in result
	f.code == "TL101"
	f.clause == "10.4"
	contains(f.msg, "customer content and service-generated data")
	contains(f.msg, "Clause 10.4")
	count(f.evidence) == 1
}

test_any_purpose_with_machine_learning_is_flagged if {
	g := fx.fact({
		"modality": "permission",
		"data": ["service_generated_data"],
		"purposes": ["any_purpose"],
		"text": "You consent to our use of Service Generated Data for any purpose, including machine learning.",
	})
	result := rule.deny with input as fx.doc([fx.clause("10.2", [g])])
	count(result) == 1
}

test_licence_granted_by_user_is_flagged if {
	g := object.union(ai_grant, {"actor": "user", "beneficiaries": []})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.3", [g])])
}

test_opt_out_for_other_data_is_flagged if {
	other := object.union(opt_out, {"data": ["personal_data"]})
	g := fx.fact({"data": ["customer_content"], "purposes": ["ai_training"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.4", [g]), fx.clause("12", [other])])
}

# "This data can help train our AI models unless you opt out": the company's
# use carries the opt-out, and names no data the annotator knows.
test_opt_out_on_the_companys_own_training_elsewhere_passes if {
	use := fx.fact({"data": [], "purposes": ["ai_training"], "conditions": ["opt_out_available"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("15.1", [use])])
}

test_opt_out_on_the_companys_training_of_other_data_is_flagged if {
	use := fx.fact({"data": ["personal_data"], "purposes": ["ai_training"], "conditions": ["opt_out_available"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("15.1", [use])])
}

test_opt_out_of_the_companys_marketing_is_flagged if {
	use := fx.fact({"data": [], "purposes": ["marketing"], "conditions": ["opt_out_available"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("15.1", [use])])
}

test_opt_out_in_same_clause_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [ai_grant, opt_out])])
}

test_opt_out_elsewhere_in_document_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("15.1", [opt_out])])
}

test_choice_in_referenced_clause_passes if {
	consent := fx.fact({"modality": "prohibition", "data": ["customer_content"], "purposes": ["ai_training"], "conditions": ["opt_in_consent"]})
	c := fx.clause_with("10.4", [ai_grant], {"refs": [fx.ref("11", true)]})
	count(rule.deny) == 0 with input as fx.doc([c, fx.clause("11", [consent])])
}

test_consent_condition_on_the_fact_passes if {
	g := object.union(ai_grant, {"conditions": ["opt_in_consent"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [g])])
}

test_prohibition_passes if {
	g := object.union(ai_grant, {"modality": "prohibition"})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [g])])
}

test_public_data_passes if {
	g := object.union(ai_grant, {"data": ["public_data"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [g])])
}

# A consent in the same clause over something else ("With your permission, we
# may share a ticket with an expert to answer your request": no purpose the
# vocabulary knows, no customer data) is no choice over the training.
test_consent_over_other_things_in_the_same_clause_is_flagged if {
	other := fx.fact({"modality": "grant", "data": [], "purposes": [], "conditions": ["opt_in_consent"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("3", [ai_grant, other])])
}

test_consent_over_the_same_data_in_the_same_clause_passes if {
	same := fx.fact({"modality": "permission", "data": ["customer_content"], "purposes": [], "conditions": ["opt_in_consent"]})
	g := fx.fact({"data": ["customer_content"], "purposes": ["ai_training"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("3", [g, same])])
}

# The user's choice naming no use, in the same clause ("You can choose to
# allow this"). An opt-out would also clear the use from anywhere in the
# document (opt_out_covers); an opt-in is cleared only by being local.
test_users_choice_naming_no_use_in_the_same_clause_passes if {
	this := fx.fact({"modality": "permission", "actor": "user", "data": [], "purposes": [], "conditions": ["opt_in_consent"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("3", [ai_grant, this])])
}

test_consent_to_any_use_of_other_data_in_the_same_clause_is_flagged if {
	feedback := fx.fact({"modality": "grant", "data": [], "purposes": ["any_purpose"], "conditions": ["opt_in_consent"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("3.5", [ai_grant, feedback])])
}

# "We may use your content to train our models unless you opt out. Even if you
# opt out, we will use conversations you rate for training": the second use
# is not reached by the opt-out beside it, nor by one elsewhere.
despite := fx.fact({"data": ["customer_content"], "purposes": ["ai_training"], "conditions": ["despite_opt_out"]})

use_with_opt_out := fx.fact({"data": ["customer_content"], "purposes": ["ai_training"], "conditions": ["opt_out_available"]})

test_use_that_goes_on_after_an_opt_out_is_flagged if {
	result := rule.deny with input as fx.doc([fx.clause("4.2", [use_with_opt_out, despite]), fx.clause("9", [opt_out])])
	count(result) == 1
	some f in result
	f.clause == "4.2"
	f.msg == "Clause 4.2 lets the company use customer content to train AI models even after users opt out"
	count(f.evidence) == 1
}

test_use_that_goes_on_after_an_opt_out_with_consent_passes if {
	g := object.union(despite, {"conditions": ["despite_opt_out", "opt_in_consent"]})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("4.2", [use_with_opt_out, g])])
}

test_data_without_any_choice_is_named_before_a_use_after_an_opt_out if {
	g := fx.fact({"data": ["service_generated_data"], "purposes": ["ai_training"]})
	result := rule.deny with input as fx.doc([fx.clause("4.2", [despite, g]), fx.clause("9", [use_with_opt_out])])
	some f in result
	contains(f.msg, "use service-generated data to train AI models, and no clause")
	count(f.evidence) == 2
}

# "If you live in the EEA, you can opt out of this use": users elsewhere have no
# opt-out, so the use is flagged, and the message names who may opt out.
some_users_opt_out := object.union(opt_out, {
	"conditions": ["only_some_users", "opt_out_available"],
	"evidence": [fx.evidence("condition:only_some_users", "If you live in the EEA", 12)],
})

test_opt_out_for_the_users_of_some_places_only_is_no_opt_out if {
	result := rule.deny with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("12", [some_users_opt_out])])
	count(result) == 1
	some f in result
	f.msg == "Clause 10.4 lets the company use customer content and service-generated data to train AI models, and only some users can opt out (clause 12: \"If you live in the EEA\")"
}

test_opt_out_for_some_users_in_the_use_itself_is_no_opt_out if {
	g := object.union(ai_grant, {"conditions": ["only_some_users", "opt_out_available"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("10.4", [g])])
}

test_opt_out_for_all_users_beside_one_for_some_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("12", [some_users_opt_out, opt_out])])
}

# A restriction on the user ("You agree not to use prompts to train competing
# models") in which a choice word was read is no choice over the company's use.
test_user_restriction_with_choice_word_is_no_opt_out if {
	restriction := fx.fact({
		"modality": "prohibition",
		"actor": "user",
		"data": ["customer_content", "service_generated_data"],
		"purposes": ["ai_training"],
		"conditions": ["opt_out_available"],
		"text": "You agree not to use prompts to train competing models, or to opt out of paying fees.",
	})
	result := rule.deny with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("12", [restriction])])
	count(result) == 1
}

# "If you live in the EEA, we ask for your consent before training on your
# Content": users elsewhere are not asked, so the use is flagged.
test_consent_asked_of_some_users_only_is_no_choice if {
	g := object.union(ai_grant, {
		"conditions": ["only_some_users", "opt_in_consent"],
		"evidence": [fx.evidence("condition:only_some_users", "If you live in the EEA", 10)],
	})
	result := rule.deny with input as fx.doc([fx.clause("10.4", [g])])
	count(result) == 1
	some f in result
	f.msg == "Clause 10.4 lets the company use customer content and service-generated data to train AI models, and only some users are asked for their consent (clause 10.4: \"If you live in the EEA\")"
}

# "If you are on a Team plan, we will not train on your Content": the promise
# is partial, so the grant stays flagged, and the message names who has it.
test_promise_to_some_users_only_leaves_the_grant_flagged if {
	promise := fx.fact({
		"modality": "prohibition",
		"data": ["customer_content", "service_generated_data"],
		"purposes": ["ai_training"],
		"conditions": ["only_some_users"],
		"partial": true,
		"evidence": [fx.evidence("condition:only_some_users", "If you are on a Team plan", 12)],
	})
	result := rule.deny with input as fx.doc([fx.clause("10.4", [ai_grant]), fx.clause("12", [promise])])
	count(result) == 1
	some f in result
	f.msg == "Clause 10.4 lets the company use customer content and service-generated data to train AI models, and the promise not to covers only some users (clause 12: \"If you are on a Team plan\")"
}

# "We may use your Content to improve our products, including to train our
# models" (3.1) and "You can opt out of the use of your Content to improve our
# products" (9): the opt-out of the wider purpose reaches the training named as
# part of it, but only one that names the data ("You can opt out of product
# improvement surveys" names none), and only for the purposes the use names the
# training as part of (not "for marketing and to train our models").
improve_and_train := fx.fact({
	"data": ["customer_content"],
	"purposes": ["ai_training", "product_improvement"],
	"ai_training_within": ["product_improvement"],
})

improvement_opt_out := object.union(opt_out, {"data": ["customer_content"], "purposes": ["product_improvement"]})

test_opt_out_of_the_purpose_training_is_part_of_passes if {
	count(rule.deny) == 0 with input as fx.doc([fx.clause("3.1", [improve_and_train]), fx.clause("9", [improvement_opt_out])])
}

test_opt_out_of_the_purpose_training_is_part_of_naming_no_data_is_flagged if {
	o := object.union(improvement_opt_out, {"data": []})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("3.1", [improve_and_train]), fx.clause("9", [o])])
}

test_opt_out_of_the_purpose_over_other_data_is_flagged if {
	o := object.union(improvement_opt_out, {"data": ["service_generated_data"]})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("3.1", [improve_and_train]), fx.clause("9", [o])])
}

test_opt_out_of_a_purpose_merely_listed_beside_training_is_flagged if {
	listed := object.union(improve_and_train, {"ai_training_within": []})
	count(rule.deny) == 1 with input as fx.doc([fx.clause("3.1", [listed]), fx.clause("9", [improvement_opt_out])])
}

test_opt_out_of_the_purpose_in_the_same_clause_passes_without_naming_data if {
	o := object.union(improvement_opt_out, {"data": []})
	count(rule.deny) == 0 with input as fx.doc([fx.clause("3.1", [improve_and_train, o])])
}
