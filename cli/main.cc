// partnerpolicy: checks Microsoft AI Cloud Partner Program partner states against Lua policies
// and answers "can I do X?". This file only parses the command line and dispatches.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "commands.h"
#include "flag_ranges.h"
#include "safe_text.h"
#include "standard_output.h"

namespace pc = partnerpolicy::cli;

namespace {

// The budget flags of the commands that run policies: their ranges and defaults are in the help.
void AddBudgetOptions(CLI::App* command, pc::CommonOptions* common) {
  command
      ->add_option("--max-instructions", common->max_instructions,
                   "Instruction budget per policy call, 1 to " +
                       std::to_string(pc::kMaxInstructionsLimit) + " (default " +
                       std::to_string(partnerpolicy::Budgets{}.max_instructions) + ")")
      ->transform(pc::WholeNumberIn(1, pc::kMaxInstructionsLimit));
  command
      ->add_option("--max-memory-mb", common->max_memory_mb,
                   "Memory budget of a Lua sandbox in MiB, 1 to " +
                       std::to_string(pc::kMaxMemoryMbLimit) + " (default " +
                       std::to_string(partnerpolicy::Budgets{}.max_memory_bytes >> 20) +
                       "); check -j N runs N sandboxes at once, so up to N times this in all")
      ->transform(pc::WholeNumberIn(1, pc::kMaxMemoryMbLimit));
}

void AddOutputOption(CLI::App* command, pc::CommonOptions* common) {
  command->add_option("--output", common->output,
                      "Write the report to FILE instead of standard output (atomically: a "
                      "temporary file in the same directory, renamed into place)");
}

void AddInputLimitOption(CLI::App* command, pc::CommonOptions* common) {
  command
      ->add_option("--max-input-mb", common->max_input_mb,
                   "Largest partner-state file read in MiB, 1 to " +
                       std::to_string(pc::kMaxInputMbLimit) + " (default " +
                       std::to_string(partnerpolicy::JsonLimits{}.max_bytes >> 20) +
                       "); larger ones are refused unread")
      ->transform(pc::WholeNumberIn(1, pc::kMaxInputMbLimit));
}

void AddCommonOptions(CLI::App* command, pc::CommonOptions* common,
                      const std::vector<std::string>& formats = {"text", "json"}) {
  command->add_option(
      "--as-of", common->as_of,
      "Evaluation date YYYY-MM-DD, 1900-01-01 to 9999-12-31 (default: the fixture's "
      "as_of, else today UTC)");
  command->add_option("--policies", common->policies,
                      "Policy directory (default: ./policies, else the bundled policies)");
  command->add_option("--schema", common->schema, "Partner-state JSON Schema file");
  command->add_option("--format", common->format, "Output format")->check(CLI::IsMember(formats));
  AddBudgetOptions(command, common);
  AddInputLimitOption(command, common);
  AddOutputOption(command, common);
}

// --as names a user: given empty it would silently mean "no actor" (anyone), the answer to
// another question than the one asked.
CLI::Validator NamesAUser() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (!value.empty()) return "";
        return "'' names no user; give a user id or e-mail, or leave --as out to ask for anyone";
      },
      "");
}

// --policies, --format text|json and --output: for commands that read only the policies.
void AddPolicyOptions(CLI::App* command, pc::CommonOptions* common) {
  command->add_option("--policies", common->policies,
                      "Policy directory (default: ./policies, else the bundled policies)");
  command->add_option("--format", common->format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  AddOutputOption(command, common);
}

// CLI11's --help and the like, through the checked standard output.
int ExitForCli11(const CLI::App& app, const CLI::Error& e) {
  std::ostringstream out;
  std::ostringstream err;
  int code = app.exit(e, out, err);
  pc::WriteStandardOutput(out.str());
  std::fputs(err.str().c_str(), stderr);
  return code;
}

int Main(int argc, char** argv) {
  CLI::App app{
      "partnerpolicy: Microsoft AI Cloud Partner Program rules as code.\n"
      "Checks partner states (JSON) against Lua policies and answers \"can I do X?\"."};
  pc::CommonOptions common;
  // --version is a plain flag, acted on after parsing, rather than CLI11's version flag (which
  // prints as soon as it is read): so `--version --policies DIR` names DIR's policies whatever
  // the order of the two. Hence also "at most one subcommand" here and the check for none below.
  bool version = false;
  app.add_flag("--version", version,
               "Print the version and the policy set's directory and sha256, then exit");
  // Before a subcommand, the default of its own --policies; after it, --policies is the
  // subcommand's, which is read later and so wins.
  app.add_option("--policies", common.policies,
                 "Policy directory for --version and the subcommand (default: ./policies, else "
                 "the installed policies)");
  app.require_subcommand(0, 1);
  app.footer(
      "Examples:\n"
      "  partnerpolicy check fixtures/examples/contoso.json\n"
      "  partnerpolicy can credit.reassign --state fixtures/examples/contoso.json "
      "credit=MC-1 user=carol --as alice\n"
      "  partnerpolicy actions --state fixtures/examples/contoso.json --as alice\n"
      "  partnerpolicy plan --state fixtures/examples/contoso.json --as alice "
      "\"credit.reassign credit=MC-1 user=carol\"\n"
      "  partnerpolicy alerts --state fixtures/examples/contoso.json --within 30d\n"
      "  partnerpolicy lint policies\n"
      "  partnerpolicy rules --action credit.reassign\n"
      "  partnerpolicy explain credits.free-domain-ban\n"
      "Exit codes: 0 ok/allowed, 1 error findings/denied, 2 bad input, policy or usage, 3 allowed "
      "if.");

  pc::CheckOptions check;
  CLI::App* check_command = app.add_subcommand(
      "check", "Evaluate every rule's state check on fixtures; exit 1 if any error is found");
  check_command
      ->add_option("fixtures", check.fixtures,
                   "Partner state JSON files, directories (every *.json under them) or quoted glob "
                   "patterns")
      ->required();
  check_command
      ->add_option("-j,--jobs", check.jobs,
                   "Fixtures evaluated at once, 0 to " + std::to_string(pc::kMaxJobs) +
                       " (default 0: one per core); reports keep the given order. Each job has "
                       "its own Lua sandbox: memory use reaches jobs times --max-memory-mb")
      ->transform(pc::WholeNumberIn(0, pc::kMaxJobs));
  check_command
      ->add_option("--fail-on", check.fail_on,
                   "Exit 1 when a finding has this severity or higher (default error)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  check_command->add_option("--waivers", check.waivers,
                            "TOML file of [[waiver]]s: rule, entity, owner, reason, expires "
                            "(and partner); each silences one rule on one entity until it expires");
  check_command->add_option("--baseline", check.baseline,
                            "An earlier `check --format json` report: only findings new since "
                            "then are reported and can fail the run");
  check_command->add_flag("--trace", check.trace,
                          "Show, per fixture and rule, whether its check ran, the entities it "
                          "looked at and what it found (text and json formats)");
  AddCommonOptions(check_command, &common, {"text", "json", "github", "tap", "junit", "sarif"});
  check_command->footer(
      "Formats: text, json (schemas/report.schema.json), github (workflow annotations), tap\n"
      "(TAP 13: one test point per fixture and rule), junit (a test case per fixture and rule),\n"
      "sarif (SARIF 2.1.0 for code scanning: a result per finding, every policy a rule).\n"
      "Examples:\n"
      "  partnerpolicy check fixtures/examples/contoso.json --format json\n"
      "  partnerpolicy check fixtures/examples/contoso.json --format sarif > partnerpolicy.sarif\n"
      "  partnerpolicy check fixtures/valid/*.json --fail-on warning --format tap\n"
      "  partnerpolicy check fixtures/examples/contoso.json --as-of 2026-11-23 "
      "--waivers fixtures/waivers/example.toml\n"
      "  partnerpolicy check fixtures/examples/contoso.json --baseline "
      "fixtures/baselines/contoso.json\n"
      "  partnerpolicy check fixtures/examples --format json --output report.json   # atomic\n"
      "  partnerpolicy check fixtures/examples/contoso.json --trace");

  pc::CanOptions can;
  CLI::App* can_command =
      app.add_subcommand("can",
                         "Decide whether an action is allowed; exit 0 allowed, 3 allowed if "
                         "(on conditions), 1 denied");
  can_command->add_option("action", can.action, "Action, e.g. credit.reassign")->required();
  can_command->add_option("arguments", can.arguments, "Action parameters as name=value");
  can_command->add_option("--state", can.state, "Partner state JSON file")->required();
  can_command->add_option("--as", can.actor, "The user who acts (id or e-mail)")
      ->check(NamesAUser());
  can_command->add_flag("--trace", can.trace,
                        "Show, per rule, whether it ran, the entities it looked at and what it "
                        "concluded");
  AddCommonOptions(can_command, &common);
  can_command->footer(
      "Examples:\n"
      "  partnerpolicy can credit.reassign --state fixtures/examples/contoso.json "
      "credit=MC-2 user=carol\n"
      "  partnerpolicy can subscription.extend --state fixtures/examples/contoso.json "
      "subscription=S-INTUNE key-licenses=150\n"
      "  partnerpolicy can benefit.redeem --state fixtures/examples/contoso.json benefit=B-COP "
      "--as carol\n"
      "  partnerpolicy can credit.reassign --state fixtures/examples/contoso.json "
      "credit=MC-1 user=carol --trace   # which rules ran, what they read");

  pc::PlanOptions plan;
  CLI::App* plan_command = app.add_subcommand(
      "plan",
      "Decide a sequence of actions, each on the state the steps before it leave; exit 0 all "
      "allowed, 1 a step denied (or the final state breaks a rule), 3 allowed if");
  plan_command->add_option(
      "steps", plan.steps,
      "Steps, each one quoted argument: \"ACTION name=value ... [--as USER]\"");
  plan_command->add_option("--state", plan.state, "Partner state JSON file")->required();
  plan_command
      ->add_option("--as", plan.actor,
                   "The user who acts in every step that names none (id or e-mail)")
      ->check(NamesAUser());
  plan_command->add_option("--file", plan.file,
                           "TOML plan file of [[step]] tables (action, arguments, as) instead of "
                           "steps on the command line");
  plan_command->add_option("--write-state", plan.write_state,
                           "Write the state after the last step to FILE (atomically), when no "
                           "step is denied");
  AddCommonOptions(plan_command, &common);
  plan_command->footer(
      "Each step is decided as `can` decides it, on the state the steps before it leave; an\n"
      "allowed step is applied (its effect, policies/effects/) and the first denied step ends\n"
      "the plan. The final state is then checked: an error finding the initial state did not\n"
      "have is reported and exits 1 too.\n"
      "Exit codes: 0 every step allowed, 1 a step denied or a new error finding, 2 bad input,\n"
      "policy or usage, 3 every step allowed but some only on conditions (ALLOWED IF).\n"
      "Examples:\n"
      "  partnerpolicy plan --state fixtures/examples/contoso.json --as alice \\\n"
      "      \"credit.reassign credit=MC-1 user=carol\" \"credit.use credit=MC-1 "
      "azure-subscription=new\"\n"
      "  partnerpolicy plan --state fixtures/examples/contoso.json "
      "--file fixtures/plans/contoso.toml --write-state after.json\n"
      "  partnerpolicy plan --state fixtures/examples/contoso.json --format json "
      "\"membership.renew --as alice\"");

  pc::ActionsOptions actions;
  CLI::App* actions_command = app.add_subcommand(
      "actions", "List, per entity, the actions allowed now, allowed on conditions, or denied");
  actions_command->add_option("--state", actions.state, "Partner state JSON file")->required();
  actions_command
      ->add_option("--as", actions.actor, "The user who would act (id or e-mail); default: anyone")
      ->check(NamesAUser());
  actions_command->add_option("--entity", actions.entity,
                              "Only the actions on the entity with this id");
  AddCommonOptions(actions_command, &common);
  actions_command->footer(
      "Each line is what `can` answers for the same request, with every parameter but the\n"
      "entity left open: rules then say what the open value must satisfy (\"allowed if\").\n"
      "Examples:\n"
      "  partnerpolicy actions --state fixtures/examples/contoso.json --as alice\n"
      "  partnerpolicy actions --state fixtures/examples/contoso.json --entity BULK-1");

  pc::AlertsOptions alerts;
  CLI::App* alerts_command = app.add_subcommand(
      "alerts", "List what lapses, runs out or falls due soon; exit 1 at or above --fail-on");
  alerts_command->add_option("--state", alerts.state, "Partner state JSON file")->required();
  alerts_command->add_option(
      "--within", alerts.within,
      "Horizon after the evaluation date: 30d, 4w, 3m or 1y (default 30d), ending by "
      "9999-12-31");
  alerts_command
      ->add_option("--fail-on", alerts.fail_on,
                   "Exit 1 when an alert has this severity or higher (default error)")
      ->check(CLI::IsMember({"error", "warning", "info"}));
  alerts_command->add_flag("--trace", alerts.trace,
                           "Show, per rule, whether its alerts ran, the entities it looked at and "
                           "how many alerts it raised (text and json formats)");
  AddCommonOptions(alerts_command, &common, {"text", "json", "github", "tap", "junit", "sarif"});
  alerts_command->footer(
      "Formats: text, json (schemas/report.schema.json), github (workflow annotations), tap\n"
      "(TAP 13: one test point per alert), junit (a test case per alert), sarif (SARIF 2.1.0:\n"
      "a result per alert, its date in the message).\n"
      "Examples:\n"
      "  partnerpolicy alerts --state fixtures/examples/contoso.json\n"
      "  partnerpolicy alerts --state fixtures/examples/contoso.json --format junit --fail-on "
      "warning\n"
      "  partnerpolicy alerts --state fixtures/examples/contoso.json --within 3m --fail-on "
      "warning --format json");

  pc::LintCommandOptions lint;
  CLI::App* lint_command = app.add_subcommand(
      "lint", "Check policies without running them on a state; exit 1 on errors (or --fail-on)");
  lint_command->add_option("dir", lint.dir,
                           "Policy directory (default: ./policies, else the bundled policies)");
  lint_command->add_option("--seeds", lint.seeds,
                           "Check sources against these seed documents instead of sources.toml");
  lint_command->add_option("--schema", common.schema,
                           "Partner-state JSON Schema the state fields read are checked against");
  lint_command
      ->add_option("--fail-on", lint.fail_on,
                   "Exit 1 when a problem has this severity or higher (default error)")
      ->check(CLI::IsMember({"error", "warning"}));
  lint_command->add_option("--format", common.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  AddOutputOption(lint_command, &common);
  lint_command->footer(
      "Each problem: file:line:col: error|warning: message [check]. Checks: load, metadata,\n"
      "unknown-field, duplicate-id, unused-param (warning), undeclared-param, settings, actions,\n"
      "source, global-write, undefined-global, unknown-state-field (a field the partner-state\n"
      "schema does not have, e.g. credit.knd), unknown-ctx-field (e.g. ctx.as_off),\n"
      "constrains and touches (what rules constrain and actions touch, checked against the\n"
      "schema), ungoverned-action (an action touches what a rule constrains and the rule neither\n"
      "decides it nor says why not in no_say; `rules --matrix` shows them all), no-say.\n"
      "Examples:\n"
      "  partnerpolicy lint policies\n"
      "  partnerpolicy lint policies --fail-on warning --format json\n"
      "  partnerpolicy lint policies --seeds ../shared/seeds");

  pc::TestOptions test;
  CLI::App* test_command = app.add_subcommand(
      "test", "Run the policy tests (DIR/**/*.test.json); exit 1 if a case fails");
  test_command->add_option("dir", test.dir,
                           "Policy directory (default: ./policies, else the bundled policies)");
  test_command->add_flag("--coverage", test.coverage,
                         "Report which lines of each policy and lib/*.lua the tests ran");
  test_command
      ->add_option("--threshold", test.threshold,
                   "Exit 1 when any policy or library file has less line coverage than N% "
                   "(implies --coverage)")
      ->check(CLI::Range(0.0, 100.0));
  test_command->add_option("--format", common.format, "Output format")
      ->check(CLI::IsMember({"text", "json"}));
  AddInputLimitOption(test_command, &common);
  AddOutputOption(test_command, &common);
  test_command->add_option("--schema", common.schema, "Partner-state JSON Schema file");
  AddBudgetOptions(test_command, &common);
  test_command->footer(
      "A test file sits next to its policy (policies/credits/x.test.json for x.lua); each case\n"
      "names a state fixture and an as_of date and expects a decision, findings or alerts (see\n"
      "schemas/policy-test.schema.json); \"settings\" gives one case other rule parameters than\n"
      "policies.toml. A failing case prints expected and actual side by side\n"
      "and the JSON pointer of the first difference. --threshold applies to each file on its own\n"
      "(every policy and library must reach N%), so the total is at least N% too.\n"
      "Exit codes: 0 every case passes (and coverage reaches --threshold), 1 a case fails or a\n"
      "file's coverage is below --threshold, 2 a bad test file, fixture or policy.\n"
      "Examples:\n"
      "  partnerpolicy test\n"
      "  partnerpolicy test policies --coverage --threshold 100\n"
      "  partnerpolicy test policies --format json");

  pc::RulesOptions rules;
  CLI::App* rules_command = app.add_subcommand(
      "rules", "List every rule: id, severity, what it checks or decides, title");
  rules_command->add_option("--action", rules.action, "Only the rules that decide this action");
  rules_command->add_flag("--matrix", rules.matrix,
                          "Which rule governs which action: per action, the rules that decide it "
                          "and those that say why they have no say");
  AddPolicyOptions(rules_command, &common);
  rules_command->footer(
      "Severities marked * were set in policies.toml. explain shows one rule in full.\n"
      "--matrix lists, per action, the rules that decide it, those that have no say on it (with\n"
      "their reason) and, marked unexplained, those constraining what it touches that do neither\n"
      "(lint reports these as ungoverned-action); with --action, that action only.\n"
      "Examples:\n"
      "  partnerpolicy rules\n"
      "  partnerpolicy rules --action credit.reassign\n"
      "  partnerpolicy rules --matrix\n"
      "  partnerpolicy rules --format json --policies policies");

  pc::ExplainOptions explain;
  CLI::App* explain_command = app.add_subcommand(
      "explain",
      "Show a rule: what it checks, its parameters and where each value came from, "
      "its source and the actions it decides");
  explain_command->add_option("rule", explain.rule_id, "Rule id, e.g. credits.free-domain-ban")
      ->required();
  AddPolicyOptions(explain_command, &common);
  explain_command->footer(
      "A parameter's origin is \"default\" (the policy file) or the policies.toml line that set\n"
      "it. An unknown id suggests the closest one.\n"
      "Examples:\n"
      "  partnerpolicy explain credits.monthly.reassignment-cap\n"
      "  partnerpolicy explain subscriptions.extension-limit --format json");

  pc::NewRuleOptions new_rule;
  CLI::App* new_rule_command = app.add_subcommand(
      "new-rule", "Write the skeleton of a new policy and of its test file (both pass lint)");
  new_rule_command
      ->add_option("rule", new_rule.rule_id,
                   "Rule id: dotted lower-case words; the first names the directory")
      ->required();
  new_rule_command
      ->add_option("--seed", new_rule.seed, "Source document the rule comes from (sources.toml)")
      ->required();
  new_rule_command->add_option("--section", new_rule.section, "Section heading of that document")
      ->required();
  new_rule_command->add_option("--state", new_rule.state,
                               "Partner state for the test skeleton (default: "
                               "fixtures/valid/minimal.json beside the policies)");
  new_rule_command->add_option("--policies", common.policies,
                               "Policy directory (default: ./policies, else the bundled policies)");
  new_rule_command->add_option("--as-of", common.as_of,
                               "The test case's date (default: the state's as_of, else today UTC)");
  new_rule_command->footer(
      "Writes DIR/<first word>/<rest>.lua and .test.json (credits.card-limit: "
      "credits/card_limit.lua);\n"
      "never overwrites. The seed and section are checked against DIR/sources.toml, as lint does.\n"
      "Examples:\n"
      "  partnerpolicy new-rule credits.example --seed 001_5c53631e905999a7.txt "
      "--section \"View and remove assigned users\"");

  pc::CompleteOptions complete;
  CLI::App* complete_command = pc::AddCompleteCommand(&app, &common, &complete);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return ExitForCli11(app, e);
  } catch (const CLI::CallForAllHelp& e) {
    return ExitForCli11(app, e);
  } catch (const CLI::Success& e) {
    return ExitForCli11(app, e);
  } catch (const CLI::ParseError& e) {
    pc::PrintSafely(stderr, "error: " + pc::Printable(e.what()) + "\nRun with --help for usage.\n");
    return pc::kExitError;
  }
  if (version) {
    pc::PrintSafely(stdout, pc::VersionText(common) + "\n");
    return pc::kExitOk;
  }
  if (app.get_subcommands().empty()) {
    std::fprintf(stderr, "error: A subcommand is required\nRun with --help for usage.\n");
    return pc::kExitError;
  }
  if (check_command->parsed()) return pc::RunCheck(common, check);
  if (can_command->parsed()) return pc::RunCan(common, can);
  if (plan_command->parsed()) return pc::RunPlan(common, plan);
  if (actions_command->parsed()) return pc::RunActions(common, actions);
  if (alerts_command->parsed()) return pc::RunAlerts(common, alerts);
  if (lint_command->parsed()) return pc::RunLint(common, lint);
  if (test_command->parsed()) return pc::RunTest(common, test);
  if (rules_command->parsed()) return pc::RunRules(common, rules);
  if (explain_command->parsed()) return pc::RunExplain(common, explain);
  if (new_rule_command->parsed()) return pc::RunNewRule(common, new_rule);
  if (complete_command->parsed()) return pc::RunComplete(app, common, complete);
  return pc::kExitError;
}

}  // namespace

// Every exit goes through FinishStandardOutput: a report that could not be written is exit 2.
int main(int argc, char** argv) { return pc::FinishStandardOutput(Main(argc, argv)); }
