// Report formats that CI systems read: GitHub workflow annotations, TAP 13 and JUnit XML.
#pragma once

#include <string>
#include <vector>

#include "text_output.h"

namespace partnerpolicy::cli {

// One `::error|warning|notice file=F,line=L,col=C,title=RULE::message` line per finding (error,
// warning, info), and one `::error file=F::...` per invalid fixture. GitHub shows each on the
// fixture's line in the pull request.
std::string CheckReportGithub(const std::vector<FixtureResult>& results, const PolicySet& policies);

// TAP 13: one test point per fixture and rule with a state check, in a stable order (fixtures
// as given, rules by id); "not ok" when the rule has a finding at or above `fail_on`, with a
// YAML block giving each finding; an invalid fixture is one "not ok" point with its errors.
std::string CheckReportTap(const std::vector<FixtureResult>& results, const PolicySet& policies,
                           Severity fail_on);

// JUnit XML: a <testsuite> per fixture and a <testcase> per rule with a state check (name = rule
// id, classname = fixture path); a <failure> when the rule has a finding at or above `fail_on`,
// whose text gives every finding with file:line:col, fix and source. An invalid fixture is a
// suite with one <error> case "load".
std::string CheckReportJunit(const std::vector<FixtureResult>& results, const PolicySet& policies,
                             Severity fail_on);

// Alerts as annotations (one per alert, titled with rule, entity and date) and as TAP (one point
// per alert, soonest first; "not ok" when at or above `fail_on`).
std::string AlertsReportGithub(const AlertsReport& report);
std::string AlertsReportTap(const AlertsReport& report);

// Alerts as JUnit XML: one <testsuite> for the state file (with the evaluation date, horizon and
// --fail-on as properties) and one <testcase> per alert, soonest first, named "RULE ENTITY DATE";
// a <failure> when the alert is at or above `fail_on`, whose text gives the date, where, what
// to do and the source. A report without alerts is a suite without cases.
std::string AlertsReportJunit(const AlertsReport& report, const PolicySet& policies);

// Errors that stopped the run: annotations, or a TAP "Bail out!".
std::string ErrorsGithub(const Errors& errors);
std::string ErrorsTap(const Errors& errors);
std::string ErrorsJunit(const Errors& errors);

}  // namespace partnerpolicy::cli
