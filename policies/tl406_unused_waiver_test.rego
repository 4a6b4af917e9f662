# TL406 is produced by termslint's Python after suppression; its package is
# documentation only. These tests pin that it never reports anything itself,
# so a rule added here by mistake would be noticed.
package termslint.tests.unused_waiver

import rego.v1

import data.termslint.rules.unused_waiver as rule
import data.termslint.tests.fixtures as fx

waived := fx.clause_with("10.4", [], {"suppressions": [fx.suppression(["TL101"], "approved")]})

test_package_has_no_deny if {
	not rule.deny with input as fx.doc([waived])
}

test_package_has_no_warn if {
	not rule.warn with input as fx.doc([waived])
}

test_package_has_no_info if {
	not rule.info with input as fx.doc([waived])
}

# OPA leaves a package without rules out of `data`; regorus shows it as {}.
test_package_is_empty if {
	object.get(data.termslint.rules, "unused_waiver", {}) == {} with input as fx.doc([waived])
}
