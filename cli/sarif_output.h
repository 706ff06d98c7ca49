// SARIF 2.1.0 logs (--format sarif) of check and alerts, for GitHub code scanning and other SARIF
// viewers. schemas/sarif-2.1.0.schema.json (OASIS) describes the format; tools/check_reports.sh
// validates real output against it.
//
// Every log is one run of the tool "partnerpolicy" whose driver lists every policy of the set
// as a rule (sorted by id, with title, description, source, severity, parameters in effect and
// the actions it decides). Fixture paths become relative URIs with uriBaseId "%SRCROOT%" (the
// directory partnerpolicy ran in, the repository root in CI), absolute paths file:// URIs.
// Columns count bytes from the start of the line: for ASCII text, as fixtures usually are, the
// same as the "unicodeCodePoints" the run declares.
#pragma once

#include <string>
#include <vector>

#include "text_output.h"

namespace partnerpolicy::cli {

// One result per finding, fixtures in the given order and findings in report order, at the
// entity's line:column with its JSON pointer and id as a logical location; the message ends
// with "Fix: REMEDY". Each fixture is an artifact; run.properties gives every fixture's
// evaluation date and --fail-on. A fixture that could not be loaded has no results: each of its
// errors is a tool execution notification (level error, at file:line:col), and the invocation
// is then not successful; when no fixture could be, the run has no results member at all.
// Results carry the finding's baseline fingerprint (baseline.h: "RULE|ENTITY", never a line
// number) as the partial fingerprint "partnerpolicy/v1". Waived findings are results with an
// accepted external suppression (the waiver's reason, owner, expiry and file:line). With
// `baseline` (a --baseline run), results are "new", and the findings the baseline already held
// are listed too, as "unchanged".
std::string CheckReportSarif(const std::vector<FixtureResult>& results, const PolicySet& policies,
                             Severity fail_on, bool baseline = false);

// One result per alert, soonest first, at the entity in the state file; the message starts with
// the alert's date ("2026-11-30: ...") and ends with "Do: REMEDY", and properties.on holds the
// date. The fingerprint is "RULE|ENTITY|DATE": one entity can have the same alert on two dates.
// run.properties gives the evaluation date, the horizon and --fail-on.
std::string AlertsReportSarif(const AlertsReport& report, const PolicySet& policies);

// A log for a run that could not evaluate anything: no rules and no results (not an empty list,
// which would tell code scanning that every earlier alert is fixed), each error a notification,
// and the invocation not successful.
std::string ErrorsSarif(const Errors& errors);

}  // namespace partnerpolicy::cli
