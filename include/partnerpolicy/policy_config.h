// Reading the TOML files next to the policies: policies.toml (rule parameter and severity
// overrides), actions.toml (the actions `can` decides) and sources.toml (the seed sections
// policies may cite, for lint). toml++ is reached through toml_file.h, which this module and
// the waiver reader share.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "partnerpolicy/action_catalog.h"
#include "partnerpolicy/policy.h"
#include "partnerpolicy/source_index.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

struct SettingValue {
  ParamValue value;
  SourceLocation where;  // file:line:column of the value
};

// The settings of one `[rules."<id>"]` table, before they are checked against the policies.
struct RuleSettings {
  std::string rule_id;
  SourceLocation where;  // of the table header
  std::optional<Severity> severity;
  SourceLocation severity_where;
  std::vector<std::pair<std::string, SettingValue>> params;  // in file order
};

struct PolicyConfig {
  std::vector<RuleSettings> rules;  // in file order
};

// Parses policies.toml. A missing file is an empty configuration. Errors with file:line:col:
// TOML syntax, a top-level key other than [rules], a rule that is not a table, a severity that
// is not error/warning/info, a value that is not a boolean, number, string or list of strings.
// Whether rule ids and parameters exist is checked by the caller against the loaded policies.
Result<PolicyConfig> ReadPolicyConfig(const std::filesystem::path& path);

// Applies parsed settings to the policies' declared metadata (parameter values, severities,
// origins "policies/policies.toml:12"). Returns every problem, each at the setting's
// file:line:col: a rule id no policy declares, a parameter the rule does not declare, a value of
// another type than the declared default.
Errors ApplySettings(const PolicyConfig& config, std::vector<PolicyInfo>& policies);

// Parses actions.toml (required). Errors with file:line:col for syntax, unknown keys, a
// parameter that is neither an entity nor a value of a known type, a `touches` that is not a
// list of names of the form governs_matrix.h describes (whether the schema has them is lint's).
Result<ActionCatalog> ReadActionCatalog(const std::filesystem::path& path);

// Parses sources.toml (written by tools/index_seeds.py): [seeds."<file>"] tables with a title
// and a list of sections. Errors with file:line:col for syntax, unknown keys, wrong types; kIo
// when the file cannot be read.
Result<SourceIndex> ReadSourceIndex(const std::filesystem::path& path);

}  // namespace partnerpolicy
