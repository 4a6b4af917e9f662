# Builders for the built-in rules' unit tests: a fact, a clause and a
# document with every field of the policy input, so each test states only
# what matters to it. Loaded only by `termslint test`.
package termslint.tests.fixtures

import rego.v1

span(line) := {"start_line": line, "end_line": line}

evidence(concept, text, line) := {"concept": concept, "text": text, "span": span(line)}

fact(over) := object.union(
	{
		"modality": "grant",
		"actor": "company",
		"data": [],
		"purposes": [],
		"license": null,
		"conditions": [],
		"partial": false,
		"data_terms": [],
		"beneficiaries": [],
		"text": "",
		"span": span(10),
		"evidence": [evidence("data:customer_content", "Customer Content", 10)],
	},
	over,
)

license(over) := object.union(
	{
		"perpetual": false,
		"irrevocable": false,
		"worldwide": false,
		"royalty_free": false,
		"sublicensable": false,
		"transferable": false,
		"exclusive": false,
		"limited_to_service": false,
	},
	over,
)

clause(id, facts) := clause_with(id, facts, {})

clause_with(id, facts, over) := object.union(
	{
		"id": id,
		"number": id,
		"title": null,
		"level": 1,
		"parent": null,
		"path": [id],
		"anchor": null,
		"text": "",
		"span": span(10),
		"defines": [],
		"restates": [],
		"uses": [],
		"refs": [],
		"facts": facts,
		"tags": [],
		"suppressions": [],
	},
	over,
)

doc(clauses) := {
	"schema_version": 1,
	"document": {"path": "terms.md", "title": "Terms", "metadata": {}, "line_count": 100, "suppressions": []},
	"clauses": clauses,
	"definitions": {},
}

with_changes(d, changes) := object.union(d, {"changes": changes})

changes(base_meta, head_meta, clauses) := {
	"base": {"rev": "HEAD", "metadata": base_meta},
	"head": {"metadata": head_meta},
	"new_document": false,
	"clauses": clauses,
}

change(status, base_id, head_id, added, removed) := {
	"status": status,
	"base_id": base_id,
	"head_id": head_id,
	"base_title": null,
	"head_title": null,
	"similarity": 0.9,
	"facts_added": added,
	"facts_removed": removed,
	"text_diff": "",
}

ref(target, resolved) := {"target": target, "text": concat(" ", ["Section", target]), "kind": "clause", "resolved": resolved, "span": span(11)}

suppression(codes, reason) := {"codes": codes, "reason": reason, "scope": "clause", "span": span(9)}
