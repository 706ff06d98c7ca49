// Runs policy test cases and compares through nlohmann_json: the expectation (from the test
// file's Document) and the result are both ordered JSON values of the same shape, so a failure
// can name the first differing JSON pointer and print both sides in the same layout.
#include "policy_test_runner.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>

#include "text_output.h"

namespace partnerpolicy::cli {
namespace {

using Json = nlohmann::ordered_json;

Json ToJson(const Document& doc, NodeId id) {
  switch (doc.kind(id)) {
    case NodeKind::kNull:
      return nullptr;
    case NodeKind::kBool:
      return doc.boolean(id);
    case NodeKind::kInteger:
      return doc.integer(id);
    case NodeKind::kFloat:
      return doc.number(id);
    case NodeKind::kString:
      return std::string(doc.string(id));
    case NodeKind::kArray: {
      Json out = Json::array();
      for (uint32_t i = 0; i < doc.size(id); ++i) out.push_back(ToJson(doc, doc.child(id, i)));
      return out;
    }
    case NodeKind::kObject: {
      Json out = Json::object();
      for (uint32_t i = 0; i < doc.size(id); ++i) {
        NodeId c = doc.child(id, i);
        out[std::string(doc.key(c))] = ToJson(doc, c);
      }
      return out;
    }
  }
  return nullptr;
}

std::string Dump(const Json& j, int indent) {
  return j.dump(indent, ' ', false, Json::error_handler_t::replace);
}

// The JSON pointer of the first path where `actual` differs from `expected` (members in the
// expected order, then members only the actual has), or nullopt when they are equal.
std::optional<std::string> FirstDifference(const Json& expected, const Json& actual,
                                           const std::string& at) {
  if (expected.is_object() && actual.is_object()) {
    for (const auto& [key, value] : expected.items()) {
      std::string below = at;
      AppendPointerToken(below, key);
      if (!actual.contains(key)) return below;
      if (auto d = FirstDifference(value, actual[key], below)) return d;
    }
    for (const auto& [key, value] : actual.items()) {
      if (!expected.contains(key)) {
        std::string below = at;
        AppendPointerToken(below, key);
        return below;
      }
    }
    return std::nullopt;
  }
  if (expected.is_array() && actual.is_array()) {
    size_t common = std::min(expected.size(), actual.size());
    for (size_t i = 0; i < common; ++i) {
      if (auto d = FirstDifference(expected[i], actual[i], at + "/" + std::to_string(i))) return d;
    }
    if (expected.size() != actual.size()) return at + "/" + std::to_string(common);
    return std::nullopt;
  }
  if (expected == actual) return std::nullopt;  // numbers compare by value: 5 == 5.0
  return at;
}

std::string ValueAt(const Json& j, const std::string& pointer) {
  Json::json_pointer p(pointer);
  return j.contains(p) ? Dump(j.at(p), -1) : "(missing)";
}

// Puts actual items into the order of the expected ones: each expected item takes an equal
// actual item when there is one; the rest fill the remaining places in their own order. So a
// list that differs only in order compares equal, and a real difference shows item by item.
Json Aligned(const Json& expected, std::vector<Json> actual) {
  std::vector<std::optional<size_t>> slot(expected.size());
  std::vector<bool> used(actual.size(), false);
  for (size_t i = 0; i < expected.size(); ++i) {
    for (size_t j = 0; j < actual.size(); ++j) {
      if (!used[j] && actual[j] == expected[i]) {
        slot[i] = j;
        used[j] = true;
        break;
      }
    }
  }
  size_t next = 0;
  auto next_unused = [&]() -> std::optional<size_t> {
    while (next < actual.size() && used[next]) ++next;
    if (next == actual.size()) return std::nullopt;
    used[next] = true;
    return next;
  };
  Json out = Json::array();
  for (size_t i = 0; i < expected.size(); ++i) {
    if (!slot[i]) slot[i] = next_unused();
    if (slot[i]) out.push_back(std::move(actual[*slot[i]]));
  }
  while (std::optional<size_t> rest = next_unused()) out.push_back(std::move(actual[*rest]));
  return out;
}

// The members every expected item of a list names beyond the required ones (severity, message),
// so actual items show the same members.
bool Names(const Json& list, const char* member) {
  return std::any_of(list.begin(), list.end(),
                     [&](const Json& item) { return item.contains(member); });
}

bool InScope(const PolicyTestCase& c, const std::string& rule_id) {
  return std::find(c.rules.begin(), c.rules.end(), rule_id) != c.rules.end();
}

std::string Entity(const std::string& entity_id, const std::string& pointer) {
  return entity_id.empty() ? pointer : entity_id;
}

Json DecisionResult(const Json& expected, const Decision& decision) {
  auto said = [&](const std::string& rule_id) -> const RuleDecision* {
    for (const RuleDecision& r : decision.rules) {
      if (r.rule_id == rule_id) return &r;
    }
    return nullptr;
  };
  Json actual = Json::object();
  for (const auto& [member, wanted] : expected.items()) {
    if (member == "decision") {
      actual[member] = DecisionName(decision);
    } else if (member == "verdicts") {
      Json verdicts = Json::object();
      for (const auto& [rule_id, verdict] : wanted.items()) {
        const RuleDecision* r = said(rule_id);
        bool silent = std::find(decision.silent.begin(), decision.silent.end(), rule_id) !=
                      decision.silent.end();
        verdicts[rule_id] = r != nullptr ? VerdictName(r->verdict)
                            : silent     ? "silent"
                                         : "not asked";
      }
      actual[member] = verdicts;
    } else if (member == "messages") {
      Json messages = Json::object();
      for (const auto& [rule_id, message] : wanted.items()) {
        const RuleDecision* r = said(rule_id);
        messages[rule_id] = r != nullptr ? Json(r->message) : Json(nullptr);
      }
      actual[member] = messages;
    } else if (member == "facts") {
      Json facts = Json::object();
      for (const auto& [rule_id, names] : wanted.items()) {
        const RuleDecision* r = said(rule_id);
        Json values = Json::object();
        for (const auto& [name, value] : names.items()) {
          values[name] = nullptr;
          if (r == nullptr) continue;
          for (const Fact& fact : r->facts) {
            if (fact.name != name) continue;
            Json number = fact.numeric ? Json::parse(fact.value, nullptr, false) : Json();
            values[name] = fact.numeric && !number.is_discarded() ? number : Json(fact.value);
          }
        }
        facts[rule_id] = values;
      }
      actual[member] = facts;
    }
  }
  return actual;
}

Json CheckResult(const Json& expected, const PolicyTestCase& c,
                 const std::vector<Finding>& findings) {
  Json actual = Json::object();
  for (const auto& [member, wanted] : expected.items()) {
    if (member == "findings") {
      bool severity = Names(wanted, "severity"), message = Names(wanted, "message");
      std::vector<Json> items;
      for (const Finding& f : findings) {
        if (!InScope(c, f.rule_id)) continue;
        Json item = {{"rule", f.rule_id}, {"entity", Entity(f.entity_id, f.pointer)}};
        if (severity) item["severity"] = SeverityName(f.severity);
        if (message) item["message"] = f.message;
        items.push_back(std::move(item));
      }
      actual[member] = Aligned(wanted, std::move(items));
    } else if (member == "passes") {
      Json passes = Json::array();
      for (const Json& rule_id : wanted) {
        bool failed = std::any_of(findings.begin(), findings.end(),
                                  [&](const Finding& f) { return f.rule_id == rule_id; });
        if (!failed) passes.push_back(rule_id);
      }
      actual[member] = passes;
    }
  }
  return actual;
}

Json AlertsResult(const Json& expected, const PolicyTestCase& c, const std::vector<Alert>& alerts) {
  const Json& wanted = expected["alerts"];
  bool severity = Names(wanted, "severity"), message = Names(wanted, "message");
  std::vector<Json> items;
  for (const Alert& a : alerts) {
    if (!InScope(c, a.rule_id)) continue;
    Json item = {
        {"rule", a.rule_id}, {"entity", Entity(a.entity_id, a.pointer)}, {"on", FormatDate(a.on)}};
    if (severity) item["severity"] = SeverityName(a.severity);
    if (message) item["message"] = a.message;
    items.push_back(std::move(item));
  }
  return Json{{"alerts", Aligned(wanted, std::move(items))}};
}

// The operations as the test file writes them: {"op", "path", "value"} (no value for remove).
Json EffectResult(const std::vector<JsonPatchOperation>& patch) {
  Json operations = Json::array();
  for (const JsonPatchOperation& operation : patch) {
    Json item = {{"op", operation.op}, {"path", operation.path}};
    if (operation.op != "remove") item["value"] = Json::parse(operation.value, nullptr, false);
    operations.push_back(std::move(item));
  }
  return operations;
}

// Names the case in every error of a run that could not go on.
Errors InCase(Errors errors, const PolicyTestFile& file, const PolicyTestCase& c) {
  const std::string where = "in " + file.path + "#" + c.pointer + " \"" + c.name + "\"";
  for (Error& e : errors) e.detail = where + (e.detail.empty() ? "" : "\n" + e.detail);
  return errors;
}

}  // namespace

int FileOutcome::passed() const {
  return static_cast<int>(
      std::count_if(cases.begin(), cases.end(), [](const CaseOutcome& c) { return c.passed; }));
}

int FileOutcome::failed() const { return static_cast<int>(cases.size()) - passed(); }

Result<const PartnerState*> PolicyTestRunner::State(const std::string& path) {
  auto known = states_.find(path);
  if (known != states_.end()) return &known->second;
  Result<PartnerState> state = loader_.Load(path);
  if (!state.ok()) return state.take_errors();
  return &states_.emplace(path, state.take()).first->second;
}

Result<FileOutcome> PolicyTestRunner::Run(const PolicyTestFile& file) {
  FileOutcome outcome;
  outcome.path = file.path;
  for (const PolicyTestCase& c : file.cases) {
    Result<const PartnerState*> state = State(c.state);
    if (!state.ok()) return InCase(state.take_errors(), file, c);
    const Json expected = ToJson(file.document, c.expect);
    Evaluator evaluator(c.policies != nullptr ? *c.policies : policies_, coverage_);
    Json actual;
    std::vector<std::string> said;
    switch (c.kind) {
      case TestKind::kDecision: {
        Result<Decision> decision = evaluator.Decide(*state.value(), c.request, c.as_of);
        if (!decision.ok()) return InCase(decision.take_errors(), file, c);
        actual = DecisionResult(expected, decision.value());
        for (const RuleDecision& r : decision.value().rules) {
          said.push_back(fmt::format("{} {}: {}", r.rule_id, VerdictName(r.verdict), r.message));
        }
        break;
      }
      case TestKind::kCheck: {
        Result<std::vector<Finding>> findings = evaluator.Check(*state.value(), c.as_of);
        if (!findings.ok()) return InCase(findings.take_errors(), file, c);
        actual = CheckResult(expected, c, findings.value());
        for (const Finding& f : findings.value()) {
          if (!InScope(c, f.rule_id)) continue;
          said.push_back(fmt::format("{} {}: {}", f.rule_id, f.entity_id, f.message));
        }
        break;
      }
      case TestKind::kEffect: {
        Result<std::vector<JsonPatchOperation>> effect =
            evaluator.Effect(*state.value(), c.request, c.as_of);
        if (!effect.ok()) return InCase(effect.take_errors(), file, c);
        actual = Json{{"effect", EffectResult(effect.value())}};
        break;
      }
      case TestKind::kAlerts: {
        Result<std::vector<Alert>> alerts = evaluator.Alerts(*state.value(), c.as_of, c.horizon);
        if (!alerts.ok()) return InCase(alerts.take_errors(), file, c);
        actual = AlertsResult(expected, c, alerts.value());
        for (const Alert& a : alerts.value()) {
          if (!InScope(c, a.rule_id)) continue;
          said.push_back(
              fmt::format("{} {} {}: {}", a.rule_id, a.entity_id, FormatDate(a.on), a.message));
        }
        break;
      }
    }
    CaseOutcome& result = outcome.cases.emplace_back();
    result.name = c.name;
    result.pointer = c.pointer;
    result.kind = c.kind;
    result.expected = Dump(expected, 2);
    result.actual = Dump(actual, 2);
    std::optional<std::string> difference = FirstDifference(expected, actual, "");
    result.passed = !difference.has_value();
    if (difference) {
      result.difference = difference->empty() ? "/" : *difference;
      result.expected_value = ValueAt(expected, *difference);
      result.actual_value = ValueAt(actual, *difference);
      result.said = std::move(said);
    }
  }
  return outcome;
}

}  // namespace partnerpolicy::cli
