// The subcommands. Each returns the process exit code (see options.h) and prints its report.
#pragma once

#include <string>
#include <vector>

#include "options.h"

namespace CLI {
class App;
}  // namespace CLI

namespace partnerpolicy::cli {

struct CheckOptions {
  std::vector<std::string> fixtures;
  std::string fail_on = "error";  // exit 1 when a finding is at or above this severity
  unsigned jobs = 0;              // -j: fixtures evaluated at once; 0 = one per core
  std::string waivers;            // --waivers FILE.toml; empty = none
  std::string baseline;           // --baseline REPORT.json (an earlier check report); empty = none
  bool trace = false;             // --trace: what each rule's check did, per fixture
};
int RunCheck(const CommonOptions& common, const CheckOptions& options);

struct CanOptions {
  std::string action;
  std::string state;
  std::string actor;
  std::vector<std::string> arguments;  // name=value
  bool trace = false;                  // --trace: what each rule did
};
int RunCan(const CommonOptions& common, const CanOptions& options);

struct PlanOptions {
  std::string state;
  std::string actor;               // --as: the actor of every step that names none
  std::vector<std::string> steps;  // "ACTION name=value... [--as USER]", one per step
  std::string file;                // --file PLAN.toml instead of steps
  std::string write_state;         // --write-state OUT: the final state, atomically
};
int RunPlan(const CommonOptions& common, const PlanOptions& options);

struct ActionsOptions {
  std::string state;
  std::string actor;   // --as
  std::string entity;  // --entity: only this entity's actions
};
int RunActions(const CommonOptions& common, const ActionsOptions& options);

struct AlertsOptions {
  std::string state;
  std::string within = "30d";     // horizon: Nd, Nw, Nm (calendar months) or Ny
  std::string fail_on = "error";  // exit 1 when an alert is at or above this severity
  bool trace = false;             // --trace: what each rule's alerts did
};
int RunAlerts(const CommonOptions& common, const AlertsOptions& options);

struct LintCommandOptions {
  std::string dir;                // policy directory; empty = the one the other commands use
  std::string seeds;              // --seeds: check sources against these seed documents
  std::string fail_on = "error";  // exit 1 when a problem is at or above this severity
};
int RunLint(const CommonOptions& common, const LintCommandOptions& options);

struct TestOptions {
  std::string dir;        // empty: the policy directory the other commands use
  bool coverage = false;  // --coverage: report the lines each policy and library ran
  double threshold = -1;  // --threshold N: exit 1 when a file's line coverage is below N%
};
int RunTest(const CommonOptions& common, const TestOptions& options);

struct RulesOptions {
  std::string action;   // --action: only the rules that decide it; empty = every rule
  bool matrix = false;  // --matrix: which rule governs which action (governs_matrix.h)
};
int RunRules(const CommonOptions& common, const RulesOptions& options);

struct ExplainOptions {
  std::string rule_id;
};
int RunExplain(const CommonOptions& common, const ExplainOptions& options);

struct NewRuleOptions {
  std::string rule_id;
  std::string seed;     // --seed: the source document, as sources.toml names it
  std::string section;  // --section: its heading the rule comes from
  std::string state;    // --state: the test skeleton's fixture; empty = fixtures/valid/minimal.json
};
int RunNewRule(const CommonOptions& common, const NewRuleOptions& options);

// Prints errors (text to stderr, or a JSON error report to stdout) and returns kExitError.
int ReportErrors(const Errors& errors, Format format);

// `complete` (hidden): the words shell completion offers, from the program's own subcommands
// and flags and from the policies in use. AddCompleteCommand declares it on `app` (its
// --policies goes to `common`); RunComplete prints them, one per line, exit 0; a usage error or
// policies that do not load exit 2 with the error on stderr.
struct CompleteOptions {
  std::string what;  // subcommands, flags, value-flags, values, actions, arguments or rules
  std::vector<std::string> names;  // the subcommand (flags, values), flag (values), action
                                   // (arguments)
};
CLI::App* AddCompleteCommand(CLI::App* app, CommonOptions* common, CompleteOptions* options);
int RunComplete(const CLI::App& app, const CommonOptions& common, const CompleteOptions& options);

// What --version prints: "partnerpolicy VERSION", then "policies: DIR sha256:HEX" for the policy
// set a run with these options would use (`--policies`, else see PolicyDirectory), so a report
// can be traced to the program and the policies that produced it; when that set does not load,
// "policies: DIR (not loaded: ERROR)" instead.
std::string VersionText(const CommonOptions& common);

}  // namespace partnerpolicy::cli
