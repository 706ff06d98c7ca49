// Reading plan files through toml_file.h, positions kept for every message.
#include "partnerpolicy/plan_file.h"

#include <algorithm>
#include <cstdio>
#include <optional>
#include <string>
#include <tuple>

#include "toml_file.h"

namespace partnerpolicy {
namespace {

Error PlanError(const std::string& file, const toml::source_region& where, std::string message) {
  return Error{ErrorCode::kInvalidConfig, std::move(message), TomlWhere(file, where), ""};
}

// An argument's value as the command line would give it: a string as it is, an integer in
// decimal, a date as YYYY-MM-DD; nothing for other types.
std::optional<std::string> ArgumentText(const toml::node& node) {
  if (const toml::value<std::string>* text = node.as_string()) return text->get();
  if (const toml::value<int64_t>* number = node.as_integer()) {
    return std::to_string(number->get());
  }
  if (const toml::value<toml::date>* date = node.as_date()) {
    const toml::date& d = date->get();
    char text[16];
    std::snprintf(text, sizeof text, "%04u-%02u-%02u", static_cast<unsigned>(d.year),
                  static_cast<unsigned>(d.month), static_cast<unsigned>(d.day));
    return std::string(text);
  }
  return std::nullopt;
}

// A non-empty string value, or nullopt after adding the problem.
std::optional<std::string> Text(const std::string& file, const std::string& name,
                                const toml::node& node, Errors* errors) {
  if (!node.is_string() || node.as_string()->get().empty()) {
    errors->push_back(PlanError(file, node.source(), "'" + name + "' must be a non-empty string"));
    return std::nullopt;
  }
  return node.as_string()->get();
}

// Reads one [[step]] table into `step`.
void ReadStep(const std::string& file, const toml::table& table, const std::string& actor,
              PlanStep* step, Errors* errors) {
  step->where = TomlWhere(file, table.source());
  step->request.actor = actor;
  for (const auto& [key, node] : table) {
    const std::string name(key.str());
    if (name == "action") {
      if (std::optional<std::string> action = Text(file, name, node, errors)) {
        step->request.action = *action;
      }
    } else if (name == "as") {
      if (std::optional<std::string> as = Text(file, name, node, errors)) step->request.actor = *as;
    } else if (name == "arguments") {
      const toml::table* arguments = node.as_table();
      if (arguments == nullptr) {
        errors->push_back(PlanError(file, node.source(),
                                    "'arguments' must be a table of parameter = value, e.g. "
                                    "{ credit = \"MC-1\", user = \"carol\" }"));
        continue;
      }
      for (const auto& [parameter, value] : *arguments) {
        std::optional<std::string> text = ArgumentText(value);
        if (!text) {
          errors->push_back(PlanError(file, value.source(),
                                      "argument '" + std::string(parameter.str()) +
                                          "' must be a string, an integer or a date"));
          continue;
        }
        step->request.arguments.emplace_back(std::string(parameter.str()), *text);
      }
    } else {
      errors->push_back(
          PlanError(file, key.source(),
                    "unknown key '" + name + "' in a step; a step has action, arguments and as"));
    }
  }
  if (!table.contains("action")) {
    errors->push_back(PlanError(file, table.source(),
                                "a step needs 'action', e.g. action = \"credit.reassign\""));
  }
}

}  // namespace

Result<std::vector<PlanStep>> ReadPlanFile(const std::filesystem::path& path) {
  Result<toml::table> parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.take_errors();
  const std::string file = path.string();
  const toml::table& root = parsed.value();
  Errors errors;
  std::string actor;
  for (const auto& [key, node] : root) {
    const std::string name(key.str());
    if (name == "as") {
      if (std::optional<std::string> as = Text(file, name, node, &errors)) actor = *as;
    } else if (name != "step") {
      errors.push_back(PlanError(
          file, key.source(),
          "unknown key '" + name + "'; a plan file holds [[step]] tables and optionally 'as'"));
    }
  }
  const toml::node* list = root.get("step");
  const toml::array* steps = list != nullptr ? list->as_array() : nullptr;
  if (list != nullptr && (steps == nullptr || !steps->is_array_of_tables())) {
    errors.push_back(PlanError(file, list->source(),
                               "'step' must be an array of tables: write each step as [[step]]"));
    return errors;
  }
  if (steps == nullptr || steps->empty()) {
    errors.push_back(Error{ErrorCode::kInvalidConfig,
                           "no [[step]] tables: a plan needs at least one step",
                           {file, 1, 1, ""},
                           ""});
    return errors;
  }
  std::vector<PlanStep> plan;
  for (const toml::node& node : *steps) {
    ReadStep(file, *node.as_table(), actor, &plan.emplace_back(), &errors);
  }
  if (!errors.empty()) {
    // In the order of the file (a table's keys come sorted by name).
    std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    return errors;
  }
  return plan;
}

}  // namespace partnerpolicy
