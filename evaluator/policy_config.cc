// TOML nodes (toml_file.h) become plain structs with their source positions.
#include "partnerpolicy/policy_config.h"

#include <algorithm>

#include "partnerpolicy/governs_matrix.h"
#include "toml_file.h"

namespace partnerpolicy {
namespace {

Error ConfigError(const std::string& file, const toml::node& node, std::string message) {
  return Error{ErrorCode::kInvalidConfig, std::move(message), TomlWhere(file, node.source()), ""};
}

std::optional<ParamValue> ToParamValue(const toml::node& node) {
  if (auto b = node.value<bool>(); b && node.is_boolean()) return ParamValue{*b};
  if (node.is_integer()) return ParamValue{node.as_integer()->get()};
  if (node.is_floating_point()) return ParamValue{node.as_floating_point()->get()};
  if (node.is_string()) return ParamValue{node.as_string()->get()};
  if (const toml::array* array = node.as_array()) {
    std::vector<std::string> list;
    for (const toml::node& item : *array) {
      if (!item.is_string()) return std::nullopt;
      list.push_back(item.as_string()->get());
    }
    return ParamValue{std::move(list)};
  }
  return std::nullopt;
}

bool SameType(const ParamValue& declared, const ParamValue& given) {
  if (declared.index() == given.index()) return true;
  // A whole number may set a parameter declared with a fractional default.
  return std::holds_alternative<double>(declared) && std::holds_alternative<int64_t>(given);
}

std::string KnownNames(const PolicyInfo& info) {
  std::string names;
  for (const Parameter& p : info.params) names += (names.empty() ? "" : ", ") + p.name;
  return names.empty() ? "none; only severity can be set" : names;
}

}  // namespace

Result<PolicyConfig> ReadPolicyConfig(const std::filesystem::path& path) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) return PolicyConfig{};
  Result<toml::table> parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.take_errors();
  const std::string file = path.string();
  const toml::table& root = parsed.value();
  Errors errors;
  PolicyConfig config;
  for (const auto& [key, node] : root) {
    if (key.str() != "rules") {
      errors.push_back(ConfigError(file, node,
                                   "unknown key '" + std::string(key.str()) +
                                       "'; rule settings go under [rules.\"<rule id>\"]"));
    }
  }
  if (const toml::node* rules_node = root.get("rules")) {
    const toml::table* rules = rules_node->as_table();
    if (rules == nullptr) {
      errors.push_back(ConfigError(file, *rules_node, "'rules' must be a table of rule tables"));
    } else {
      for (const auto& [rule_key, rule_node] : *rules) {
        const toml::table* rule = rule_node.as_table();
        if (rule == nullptr) {
          errors.push_back(ConfigError(
              file, rule_node,
              "rules.\"" + std::string(rule_key.str()) + "\" must be a table of settings"));
          continue;
        }
        RuleSettings settings;
        settings.rule_id = std::string(rule_key.str());
        settings.where = TomlWhere(file, rule_key.source());
        if (settings.where.line == 0) settings.where = TomlWhere(file, rule->source());
        for (const auto& [name, value] : *rule) {
          if (name.str() == "severity") {
            std::optional<Severity> severity;
            if (value.is_string()) severity = ParseSeverity(value.as_string()->get());
            if (!severity) {
              errors.push_back(
                  ConfigError(file, value, "severity must be \"error\", \"warning\" or \"info\""));
              continue;
            }
            settings.severity = severity;
            settings.severity_where = TomlWhere(file, value.source());
            continue;
          }
          std::optional<ParamValue> param = ToParamValue(value);
          if (!param) {
            errors.push_back(
                ConfigError(file, value,
                            "parameter '" + std::string(name.str()) +
                                "' must be a boolean, number, string or list of strings"));
            continue;
          }
          settings.params.emplace_back(
              std::string(name.str()),
              SettingValue{std::move(*param), TomlWhere(file, value.source())});
        }
        config.rules.push_back(std::move(settings));
      }
    }
  }
  if (!errors.empty()) return errors;
  return config;
}

// Applies policies.toml to the declared metadata; every problem is reported with its position.
Errors ApplySettings(const PolicyConfig& config, std::vector<PolicyInfo>& policies) {
  Errors errors;
  for (const RuleSettings& settings : config.rules) {
    auto policy = std::find_if(policies.begin(), policies.end(),
                               [&](const PolicyInfo& p) { return p.id == settings.rule_id; });
    if (policy == policies.end()) {
      std::string ids;
      for (const PolicyInfo& p : policies) ids += (ids.empty() ? "" : ", ") + p.id;
      errors.push_back(Error{ErrorCode::kInvalidConfig,
                             "unknown rule id '" + settings.rule_id + "'; rules: " + ids,
                             settings.where, ""});
      continue;
    }
    if (settings.severity) {
      policy->severity = *settings.severity;
      policy->severity_origin =
          settings.severity_where.file + ":" + std::to_string(settings.severity_where.line);
    }
    for (const auto& [name, setting] : settings.params) {
      auto param = std::find_if(policy->params.begin(), policy->params.end(),
                                [&name = name](const Parameter& p) { return p.name == name; });
      if (param == policy->params.end()) {
        errors.push_back(Error{ErrorCode::kInvalidConfig,
                               "rule '" + policy->id + "' has no parameter '" + name +
                                   "'; parameters: " + KnownNames(*policy),
                               setting.where, ""});
        continue;
      }
      if (!SameType(param->value, setting.value)) {
        errors.push_back(Error{ErrorCode::kInvalidConfig,
                               "parameter '" + name + "' of rule '" + policy->id +
                                   "' must be of type " + ParamTypeName(param->value) + ", got " +
                                   ParamTypeName(setting.value),
                               setting.where, ""});
        continue;
      }
      if (param->origin == "default") param->default_value = param->value;
      param->value = std::holds_alternative<double>(param->value) &&
                             std::holds_alternative<int64_t>(setting.value)
                         ? ParamValue{static_cast<double>(std::get<int64_t>(setting.value))}
                         : setting.value;
      param->origin = setting.where.file + ":" + std::to_string(setting.where.line);
    }
  }
  return errors;
}

Result<ActionCatalog> ReadActionCatalog(const std::filesystem::path& path) {
  Result<toml::table> parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.take_errors();
  const std::string file = path.string();
  const toml::table& root = parsed.value();
  Errors errors;
  ActionCatalog catalog;
  for (const auto& [key, node] : root) {
    if (key.str() != "actions") {
      errors.push_back(ConfigError(
          file, node,
          "unknown key '" + std::string(key.str()) + "'; actions go under [actions.\"<name>\"]"));
    }
  }
  const toml::table* actions = root["actions"].as_table();
  if (actions == nullptr) {
    // About the file as a whole: no line holds what is missing.
    errors.push_back(Error::InvalidConfig({file, 0, 0, ""}, "no [actions.\"<name>\"] tables"));
    return errors;
  }
  for (const auto& [action_key, action_node] : *actions) {
    const toml::table* table = action_node.as_table();
    if (table == nullptr) {
      errors.push_back(ConfigError(file, action_node, "an action must be a table"));
      continue;
    }
    ActionSpec spec;
    spec.name = std::string(action_key.str());
    spec.where = TomlWhere(file, table->source());
    for (const auto& [field, value] : *table) {
      const std::string name(field.str());
      if (name == "summary" || name == "example") {
        if (!value.is_string()) {
          errors.push_back(ConfigError(file, value, "'" + name + "' must be a string"));
          continue;
        }
        (name == "summary" ? spec.summary : spec.example) = value.as_string()->get();
      } else if (name == "actor") {
        std::string actor = value.value_or(std::string{});
        if (actor == "required")
          spec.actor = ActorRule::kRequired;
        else if (actor == "optional")
          spec.actor = ActorRule::kOptional;
        else
          errors.push_back(ConfigError(file, value, "actor must be \"required\" or \"optional\""));
      } else if (name == "touches") {
        spec.declares_touches = true;
        const toml::array* touches = value.as_array();
        if (touches == nullptr) {
          errors.push_back(ConfigError(file, value,
                                       "'touches' must be a list of the parts of the partner state "
                                       "the action changes, e.g. [\"credits.assignments\", "
                                       "\"users\"] ([] for none)"));
          continue;
        }
        for (const toml::node& item : *touches) {
          if (!item.is_string()) {
            errors.push_back(ConfigError(file, item, "touches: each entry must be a string"));
          } else if (std::optional<std::string> problem =
                         StateFieldFormProblem(item.as_string()->get())) {
            errors.push_back(ConfigError(file, item, "touches: " + *problem));
          } else {
            spec.touches.push_back(item.as_string()->get());
            spec.touches_where.push_back(TomlWhere(file, item.source()));
          }
        }
      } else if (name == "params") {
        const toml::table* params = value.as_table();
        if (params == nullptr) {
          errors.push_back(ConfigError(file, value, "'params' must be a table"));
          continue;
        }
        for (const auto& [param_key, param_node] : *params) {
          ActionParam param;
          param.name = std::string(param_key.str());
          const toml::table* p = param_node.as_table();
          if (p == nullptr) {
            errors.push_back(ConfigError(file, param_node,
                                         "parameter '" + param.name + "' must be an inline table"));
            continue;
          }
          for (const auto& [pk, pv] : *p) {
            const std::string k(pk.str());
            if (k == "entity" && pv.is_string())
              param.entity = pv.as_string()->get();
            else if (k == "type" && pv.is_string())
              param.type = pv.as_string()->get();
            else if (k == "help" && pv.is_string())
              param.help = pv.as_string()->get();
            else if (k == "new_email" && pv.is_boolean())
              param.new_email = pv.as_boolean()->get();
            else if (k == "optional" && pv.is_boolean())
              param.optional = pv.as_boolean()->get();
            else if (k == "chosen_by_effect" && pv.is_boolean())
              param.chosen_by_effect = pv.as_boolean()->get();
            else if (k == "new" && pv.is_boolean())
              param.allow_new = pv.as_boolean()->get();
            else if (k == "list" && pv.is_boolean())
              param.list = pv.as_boolean()->get();
            else if (k == "subject" && pv.is_boolean())
              param.subject = pv.as_boolean()->get();
            else
              errors.push_back(ConfigError(
                  file, pv,
                  "unknown or mistyped key '" + k + "' in parameter '" + param.name + "'"));
          }
          bool is_entity = !param.entity.empty();
          bool is_value = param.type == "integer" || param.type == "date" || param.type == "string";
          if (is_entity == is_value || (!is_entity && !param.type.empty() && !is_value)) {
            errors.push_back(ConfigError(
                file, param_node,
                "parameter '" + param.name +
                    "' needs either entity = \"<collection>\" or type = \"integer\" | \"date\" | "
                    "\"string\""));
          }
          if (param.subject &&
              (!is_entity || param.list || param.optional || param.chosen_by_effect)) {
            errors.push_back(
                ConfigError(file, param_node,
                            "subject parameter '" + param.name +
                                "' must be a single required entity (entity = \"<collection>\")"));
          }
          if ((param.new_email || param.allow_new || param.list) && !is_entity) {
            errors.push_back(
                ConfigError(file, param_node,
                            "'new_email', 'new' and 'list' apply to entity parameters only ('" +
                                param.name + "')"));
          }
          spec.params.push_back(std::move(param));
        }
      } else {
        errors.push_back(
            ConfigError(file, value, "unknown key '" + name + "' in action '" + spec.name + "'"));
      }
    }
    if (std::count_if(spec.params.begin(), spec.params.end(),
                      [](const ActionParam& p) { return p.subject; }) > 1) {
      errors.push_back(ConfigError(
          file, action_node, "action '" + spec.name + "' has more than one subject parameter"));
    }
    catalog.actions.push_back(std::move(spec));
  }
  std::sort(catalog.actions.begin(), catalog.actions.end(),
            [](const ActionSpec& a, const ActionSpec& b) { return a.name < b.name; });
  if (!errors.empty()) return errors;
  return catalog;
}

Result<SourceIndex> ReadSourceIndex(const std::filesystem::path& path) {
  Result<toml::table> parsed = ReadTomlFile(path);
  if (!parsed.ok()) return parsed.take_errors();
  const std::string file = path.string();
  Errors errors;
  SourceIndex index;
  index.origin = file;
  for (const auto& [key, node] : parsed.value()) {
    if (key.str() != "seeds" || !node.is_table()) {
      errors.push_back(ConfigError(
          file, node,
          "unknown key '" + std::string(key.str()) + "'; seeds go under [seeds.\"<file name>\"]"));
    }
  }
  if (const toml::table* seeds = parsed.value()["seeds"].as_table()) {
    for (const auto& [seed_key, seed_node] : *seeds) {
      SeedSections seed;
      seed.seed = std::string(seed_key.str());
      const toml::table* table = seed_node.as_table();
      if (table == nullptr) {
        errors.push_back(
            ConfigError(file, seed_node, "seeds.\"" + seed.seed + "\" must be a table"));
        continue;
      }
      for (const auto& [field, value] : *table) {
        if (field.str() == "title" && value.is_string()) {
          seed.title = value.as_string()->get();
        } else if (field.str() == "sections" && value.is_array()) {
          for (const toml::node& section : *value.as_array()) {
            if (!section.is_string()) {
              errors.push_back(ConfigError(file, section, "a section must be a string"));
              continue;
            }
            seed.sections.push_back(section.as_string()->get());
          }
        } else {
          errors.push_back(ConfigError(file, value,
                                       "unknown or mistyped key '" + std::string(field.str()) +
                                           "' (a seed has title = \"...\" and sections = [...])"));
        }
      }
      index.seeds.push_back(std::move(seed));
    }
  }
  if (!errors.empty()) return errors;
  std::sort(index.seeds.begin(), index.seeds.end(),
            [](const SeedSections& a, const SeedSections& b) { return a.seed < b.seed; });
  return index;
}

}  // namespace partnerpolicy
