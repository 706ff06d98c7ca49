// What a policy declares about itself: id, title, severity, source, parameters, governed actions,
// what it constrains and the actions it has no say on; and where an action's effect is defined.
//
// Policies are Lua files; the Lua runtime reads this metadata out of each policy's returned
// table once, and everything outside the Lua module works with these plain structs.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace partnerpolicy {

enum class Severity { kInfo = 0, kWarning = 1, kError = 2 };

const char* SeverityName(Severity severity);  // "info", "warning", "error"
std::optional<Severity> ParseSeverity(std::string_view name);

// Whether `id` can be a rule id: dotted lower-case words ("credits.free-domain-ban"); letters,
// digits, '-' and '_' between the dots, at least one dot, none at either end and no empty word
// ("credits..x").
bool IsRuleId(std::string_view id);

// A rule parameter: a flag, a count, an amount, a word, or a list of words (e.g. domains).
using ParamValue = std::variant<bool, int64_t, double, std::string, std::vector<std::string>>;

const char* ParamTypeName(const ParamValue& value);     // "boolean", "integer", ...
std::string FormatParamValue(const ParamValue& value);  // 5, "gmail.com", ["a", "b"]

struct Parameter {
  std::string name;
  ParamValue value;
  std::string origin;  // "default" or "policies/policies.toml:12" (where the value was set)
  std::optional<ParamValue> default_value;  // the policy's own default, when a setting replaced it
};

// Where in the source documents a rule comes from.
struct RuleSource {
  std::string seed;     // file name under shared/seeds, e.g. "001_5c53631e905999a7.txt"
  std::string section;  // section heading in that file
};

// An action and a one-line reason about how a rule stands to it: why the rule has no say on an
// action that touches what it constrains (`no_say`), or why it decides an action only to inform,
// never denying it (`informs`; governs_matrix.h).
struct ActionReason {
  std::string action;  // "credit.use"
  std::string reason;  // one line, in domain words
};

struct PolicyInfo {
  std::string id;  // stable, e.g. "credits.monthly.reassignment-cap"
  std::string title;
  std::string description;
  Severity severity = Severity::kError;  // in effect (after policies.toml)
  Severity declared_severity = Severity::kError;
  std::string severity_origin = "default";  // or "policies/policies.toml:14", where it was set
  RuleSource source;
  std::vector<Parameter> params;     // sorted by name, values in effect
  bool has_check = false;            // has a state check
  bool has_alerts = false;           // reports dated alerts
  std::vector<std::string> actions;  // actions it decides, sorted
  // The parts of the partner state whose values or changes the rule limits, as declared
  // ("credits.assignments", "partner.membership", "users": see governs_matrix.h), in the
  // policy's order. declares_constrains is false when the policy has no `constrains` field
  // (loading accepts that; lint does not).
  std::vector<std::string> constrains;
  bool declares_constrains = false;
  std::vector<ActionReason> no_say;  // by action
  // Actions the rule decides only to inform (allow with facts, or say nothing), never denying
  // them, each with why; by action. The engine refuses a denial of one of them.
  std::vector<ActionReason> informs;
  std::string file;  // display path, e.g. "policies/credits/x.lua"

  // The declared parameter of that name, or nullptr; points into `params`.
  const Parameter* FindParam(std::string_view name) const;
  bool Governs(std::string_view action) const;
  // The rule's reason for having no say on `action`, or nullptr when it gives none.
  const std::string* NoSayReason(std::string_view action) const;
  // Why the rule never denies `action`, which it decides only to inform; nullptr when it may.
  const std::string* InformsReason(std::string_view action) const;
};

// One action's effect: the function an effects file (DIR/effects/*.lua) gives for the action.
struct EffectInfo {
  std::string action;  // "credit.reassign"
  std::string file;    // display path, "policies/effects/credits.lua"
  int line = 0;        // where the function is defined
};

}  // namespace partnerpolicy
