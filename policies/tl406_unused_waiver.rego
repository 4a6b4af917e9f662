# METADATA
# title: Waiver that waives nothing
# description: |
#   Reports an inline waiver that matched no finding. Documentation only: this
#   package has no rules, because whether a waiver was used is known only
#   after findings are suppressed; termslint's Python produces the finding
#   after suppression, with this code, name and severity.
# custom:
#   code: TL406
#   name: unused-waiver
#   severity: info
#   why: |
#     A waiver that no longer matches anything is usually left over after the
#     clause was fixed or renumbered. Left in place it can silently waive a
#     new, different problem that later appears in the same clause.
#   fix: |
#     Remove the waiver comment, or correct the code it names.
#   example: |
#     <!-- termslint-disable TL201 reason="approved by legal, LEGAL-142" -->
#     **10.3** You grant us a licence, for the term of this agreement, to host
#     Customer Content solely to provide the Services.
package termslint.rules.unused_waiver

import rego.v1
