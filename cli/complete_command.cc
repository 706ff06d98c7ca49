// partnerpolicy complete WHAT [NAME...] [--policies DIR]: the words a shell completion offers, one
// per line, from the program itself (its subcommands and flags) and from the policies in use
// (actions, their parameters and rule ids), so the completion script holds no list that could
// drift. Hidden from --help: people use it through cli/completion.bash.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <string>
#include <vector>

#include "commands.h"
#include "standard_output.h"

namespace partnerpolicy::cli {
namespace {

int Usage(const std::string& message) {
  std::fprintf(stderr, "error: complete: %s\n", message.c_str());
  return kExitError;
}

void PrintLines(const std::vector<std::string>& words) {
  std::string lines;
  for (const std::string& word : words) lines += word + "\n";
  WriteStandardOutput(lines);  // a failure is reported by FinishStandardOutput, in main
}

// The subcommand called `name`, or the program itself for "" (its own flags, --help and
// --version); nullptr when there is no such subcommand.
const CLI::App* Command(const CLI::App& app, const std::string& name) {
  if (name.empty()) return &app;
  for (const CLI::App* command : app.get_subcommands({})) {
    if (command->get_name() == name) return command;
  }
  return nullptr;
}

// Every flag of a command as typed: "--as-of", "-j", "--jobs", ...; hidden options left out.
// With `taking_value`, only the flags followed by a value ("--as-of DATE"), which a completion
// must skip when it counts positional arguments.
std::vector<std::string> Flags(const CLI::App& command, bool taking_value) {
  std::vector<std::string> flags;
  for (const CLI::Option* option : command.get_options()) {
    if (option->get_positional() || option->get_group().empty()) continue;
    if (taking_value && option->get_expected_max() == 0) continue;  // a flag: expects no value
    for (const std::string& name : option->get_snames()) flags.push_back("-" + name);
    for (const std::string& name : option->get_lnames()) flags.push_back("--" + name);
  }
  return flags;
}

// The values an option accepts when CLI11 knows them (a CLI::IsMember check): they are the
// "{a,b,c}" part of its type name, "TEXT:{text,json}", the same list --help shows.
std::vector<std::string> Values(const CLI::Option& option) {
  std::string type = option.get_type_name();
  size_t open = type.find('{');
  size_t close = type.find('}', open);
  std::vector<std::string> values;
  if (open == std::string::npos || close == std::string::npos) return values;
  std::string list = type.substr(open + 1, close - open - 1);
  for (size_t start = 0; start <= list.size();) {
    size_t comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) values.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return values;
}

Result<PolicySet> LoadPolicies(const CommonOptions& common) {
  Budgets budgets;
  budgets.max_instructions = common.max_instructions;
  budgets.max_memory_bytes = common.max_memory_mb << 20;
  return PolicySet::Load(PolicyDirectory(common), budgets);
}

}  // namespace

CLI::App* AddCompleteCommand(CLI::App* app, CommonOptions* common, CompleteOptions* options) {
  CLI::App* command = app->add_subcommand(
      "complete", "Words for shell completion, one per line (used by the bash completion)");
  command->group("");  // hidden: not a command people type
  command
      ->add_option("what", options->what,
                   "subcommands | flags [SUBCOMMAND] | value-flags [SUBCOMMAND] | values "
                   "SUBCOMMAND FLAG | actions | arguments ACTION | rules")
      ->required();
  command->add_option("name", options->names,
                      "The subcommand, flag (without its dashes: format) or action asked about");
  command->add_option("--policies", common->policies,
                      "Policy directory (default: as the other commands find it)");
  command->footer(
      "Examples:\n"
      "  partnerpolicy complete subcommands\n"
      "  partnerpolicy complete flags check\n"
      "  partnerpolicy complete value-flags check     # flags followed by a value\n"
      "  partnerpolicy complete values check format   # the values --format takes\n"
      "  partnerpolicy complete actions --policies policies\n"
      "  partnerpolicy complete arguments credit.reassign\n"
      "  partnerpolicy complete rules");
  return command;
}

int RunComplete(const CLI::App& app, const CommonOptions& common, const CompleteOptions& options) {
  const std::string& what = options.what;
  const std::vector<std::string>& names = options.names;
  if (what == "subcommands") {
    if (!names.empty()) return Usage("subcommands takes no name");
    std::vector<std::string> words;
    for (const CLI::App* command : app.get_subcommands({})) {
      if (!command->get_group().empty()) words.push_back(command->get_name());
    }
    PrintLines(words);
    return kExitOk;
  }
  if (what == "flags" || what == "value-flags" || what == "values") {
    bool values = what == "values";
    if (values ? names.size() != 2 : names.size() > 1) {
      return Usage(values ? "values takes a subcommand and one of its flags"
                          : what + " takes at most one subcommand");
    }
    std::string name = names.empty() ? "" : names[0];
    const CLI::App* command = Command(app, name);
    if (command == nullptr) return Usage("no subcommand '" + name + "'");
    if (!values) {
      PrintLines(Flags(*command, what == "value-flags"));
      return kExitOk;
    }
    // The flag comes without its dashes: "--format" would be read as a flag of `complete`.
    const std::string& flag = names[1];
    const CLI::Option* option = nullptr;
    for (const CLI::Option* candidate : command->get_options()) {
      if (candidate->get_positional()) continue;
      if (candidate->check_lname(flag) || candidate->check_sname(flag)) option = candidate;
    }
    if (option == nullptr) return Usage(name + " has no flag '" + flag + "'");
    PrintLines(Values(*option));
    return kExitOk;
  }
  if (what == "actions" || what == "arguments" || what == "rules") {
    if (what == "arguments" ? names.size() != 1 : !names.empty()) {
      return Usage(what == "arguments" ? "arguments takes one action" : what + " takes no name");
    }
    Result<PolicySet> policies = LoadPolicies(common);
    if (!policies.ok()) return ReportErrors(policies.errors(), Format::kText);
    std::vector<std::string> words;
    if (what == "rules") {
      for (const PolicyInfo& info : policies.value().policies()) words.push_back(info.id);
    } else if (what == "actions") {
      for (const ActionSpec& action : policies.value().actions().actions) {
        words.push_back(action.name);
      }
    } else {
      const ActionSpec* action = policies.value().actions().Find(names[0]);
      if (action == nullptr) return Usage("no action '" + names[0] + "'");
      for (const ActionParam& param : action->params) words.push_back(param.name + "=");
    }
    PrintLines(words);
    return kExitOk;
  }
  return Usage("'" + what +
               "': expected subcommands, flags, value-flags, values, actions, arguments or rules");
}

}  // namespace partnerpolicy::cli
