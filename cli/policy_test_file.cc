// Reading policy test files: the schema says the shapes; this file checks what it cannot (the
// case's kind, rule ids against the loaded policy set, dates) and resolves paths and dates.
#include "policy_test_file.h"

#include <algorithm>
#include <system_error>
#include <tuple>

#include "options.h"
#include "partnerpolicy/directory_walk.h"
#include "partnerpolicy/json_reader.h"

namespace partnerpolicy::cli {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kSuffix = ".test.json";

bool IsTestFile(const fs::path& path) {
  const std::string name = path.filename().string();
  return name.size() > kSuffix.size() &&
         name.compare(name.size() - kSuffix.size(), kSuffix.size(), kSuffix) == 0;
}

// Collects the problems of one file, each at a node of its document.
class Problems {
 public:
  explicit Problems(const Document& doc) : doc_(doc) {}

  SourceLocation Where(NodeId at) const {
    return {doc_.source_name(), doc_.line(at), doc_.column(at), doc_.pointer(at)};
  }
  void Add(NodeId at, const std::string& message) {
    errors_.push_back(Error{ErrorCode::kInvalidInput, message, Where(at), ""});
  }
  void Add(Error error) { errors_.push_back(std::move(error)); }
  // In the order of the file.
  Errors Take() {
    std::stable_sort(errors_.begin(), errors_.end(), [](const Error& a, const Error& b) {
      return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
    });
    return std::move(errors_);
  }
  bool empty() const { return errors_.empty(); }

 private:
  const Document& doc_;
  Errors errors_;
};

std::vector<std::string> Strings(const Document& doc, NodeId array) {
  std::vector<std::string> out;
  for (uint32_t i = 0; i < doc.size(array); ++i) out.emplace_back(doc.string(doc.child(array, i)));
  return out;
}

// The rule of the policy next to the test file (x.test.json beside x.lua), or nullptr.
const PolicyInfo* PolicyBeside(const std::string& test_path, const PolicySet& policies) {
  std::string lua = test_path.substr(0, test_path.size() - kSuffix.size()) + ".lua";
  const std::string wanted = fs::path(lua).lexically_normal().string();
  for (const PolicyInfo& info : policies.policies()) {
    if (fs::path(info.file).lexically_normal().string() == wanted) return &info;
  }
  return nullptr;
}

// Reads one case; `file_rules` are the rules the file is about (may be empty).
class CaseReader {
 public:
  CaseReader(const Document& doc, const PolicySet& policies, Problems& problems)
      : doc_(doc), policies_(policies), problems_(problems) {}

  PolicyTestCase Read(NodeId node, const fs::path& dir, const std::vector<std::string>& file_rules,
                      const std::string& file_rules_origin) {
    PolicyTestCase c;
    c.pointer = doc_.pointer(node);
    c.name = std::string(doc_.string(doc_.member(node, "name")));
    NodeId as_of = doc_.member(node, "as_of");
    if (std::optional<Date> date = ParseDate(doc_.string(as_of))) {
      c.as_of = *date;
    } else {
      problems_.Add(as_of, "expected a calendar date YYYY-MM-DD");
    }
    c.state =
        (dir / std::string(doc_.string(doc_.member(node, "state")))).lexically_normal().string();
    c.expect = doc_.member(node, "expect");
    ReadSettings(node, c);
    if (!ReadKind(node, c)) return c;

    CheckRuleKeys(c.expect, "verdicts");
    CheckRuleKeys(c.expect, "messages");
    CheckRuleKeys(c.expect, "facts");
    switch (c.kind) {
      case TestKind::kDecision:
      case TestKind::kEffect:
        ReadRequest(node, c);
        break;
      case TestKind::kCheck:
        ReadScope(node, c, file_rules, file_rules_origin);
        CheckNamedRules(c, "findings", &PolicyInfo::has_check, "a state check");
        if (NodeId passes = doc_.member(c.expect, "passes"); passes != kNoNode) {
          for (uint32_t i = 0; i < doc_.size(passes); ++i) {
            CheckRule(doc_.child(passes, i), &PolicyInfo::has_check, "a state check");
          }
        }
        break;
      case TestKind::kAlerts: {
        ReadScope(node, c, file_rules, file_rules_origin);
        CheckNamedRules(c, "alerts", &PolicyInfo::has_alerts, "an alerts function");
        NodeId within = doc_.member(node, "within");
        if (within == kNoNode) break;  // reported by ReadKind
        c.within = std::string(doc_.string(within));
        Result<Date> horizon = HorizonEnd(EvaluationDate{c.as_of, "as_of"}, c.within);
        if (horizon.ok()) {
          c.horizon = horizon.value();
        } else {
          problems_.Add(within, "the horizon ends after 9999-12-31");
        }
        break;
      }
    }
    return c;
  }

 private:
  // The kind follows from what the case expects; the other members must fit it.
  bool ReadKind(NodeId node, PolicyTestCase& c) {
    auto has = [&](const char* name) { return doc_.member(c.expect, name) != kNoNode; };
    bool decision = has("decision") || has("verdicts") || has("messages") || has("facts");
    bool check = has("findings") || has("passes");
    bool alerts = has("alerts");
    bool effect = has("effect");
    if (decision + check + alerts + effect != 1) {
      problems_.Add(c.expect,
                    "expect one kind of result: a decision (decision, verdicts, messages, facts), "
                    "a state check (findings, passes), alerts (alerts) or an effect (effect)");
      return false;
    }
    c.kind = decision ? TestKind::kDecision
             : check  ? TestKind::kCheck
             : alerts ? TestKind::kAlerts
                      : TestKind::kEffect;
    if (decision && !has("decision")) {
      problems_.Add(c.expect,
                    "a decision case expects \"decision\": allowed, allowed if or denied");
    }
    const char* kind = TestKindName(c.kind);
    auto only_for = [&](const char* member, TestKind owner, const char* owners) {
      NodeId at = doc_.member(node, member);
      if (at != kNoNode && c.kind != owner &&
          !(owner == TestKind::kDecision && c.kind == TestKind::kEffect)) {
        problems_.Add(at, std::string("\"") + member + "\" belongs to " + owners +
                              " cases; this is a " + kind + " case");
      }
    };
    only_for("action", TestKind::kDecision, "decision and effect");
    only_for("actor", TestKind::kDecision, "decision and effect");
    only_for("arguments", TestKind::kDecision, "decision and effect");
    only_for("within", TestKind::kAlerts, "alerts");
    NodeId rules = doc_.member(node, "rules");
    if (rules != kNoNode && c.kind == TestKind::kDecision) {
      problems_.Add(rules,
                    "\"rules\" scopes check and alerts cases; a decision case names rules "
                    "in expect.verdicts");
    }
    if (rules != kNoNode && c.kind == TestKind::kEffect) {
      problems_.Add(rules, "\"rules\" scopes check and alerts cases; an effect case has none");
    }
    if ((c.kind == TestKind::kDecision || c.kind == TestKind::kEffect) &&
        doc_.member(node, "action") == kNoNode) {
      problems_.Add(node, std::string("a ") + kind + " case needs \"action\"");
    }
    if (c.kind == TestKind::kAlerts && doc_.member(node, "within") == kNoNode) {
      problems_.Add(node, "an alerts case needs \"within\" (e.g. \"30d\")");
    }
    return true;
  }

  // "settings": { "<rule id>": { "<parameter>": value, "severity": "warning" } }, applied on
  // top of policies.toml as policies.toml itself would be.
  void ReadSettings(NodeId node, PolicyTestCase& c) {
    NodeId settings = doc_.member(node, "settings");
    if (settings == kNoNode) return;
    PolicyConfig config;
    for (uint32_t i = 0; i < doc_.size(settings); ++i) {
      NodeId rule = doc_.child(settings, i);
      RuleSettings& r = config.rules.emplace_back();
      r.rule_id = std::string(doc_.key(rule));
      r.where = problems_.Where(rule);
      for (uint32_t k = 0; k < doc_.size(rule); ++k) {
        NodeId value = doc_.child(rule, k);
        if (doc_.key(value) == "severity") {
          r.severity = ParseSeverity(doc_.string(value));  // the schema allows only the three
          r.severity_where = problems_.Where(value);
          continue;
        }
        r.params.emplace_back(std::string(doc_.key(value)),
                              SettingValue{ParamOf(value), problems_.Where(value)});
      }
    }
    Result<PolicySet> set = policies_.WithSettings(config);
    if (!set.ok()) {
      for (const Error& e : set.errors()) problems_.Add(e);
      return;
    }
    c.policies = std::make_shared<const PolicySet>(set.take());
  }

  // A setting's value as a parameter value (the schema allows no other kinds).
  ParamValue ParamOf(NodeId value) const {
    switch (doc_.kind(value)) {
      case NodeKind::kBool:
        return doc_.boolean(value);
      case NodeKind::kInteger:
        return static_cast<int64_t>(doc_.integer(value));
      case NodeKind::kFloat:
        return doc_.number(value);
      case NodeKind::kString:
        return std::string(doc_.string(value));
      default:
        return Strings(doc_, value);
    }
  }

  void ReadRequest(NodeId node, PolicyTestCase& c) {
    NodeId action = doc_.member(node, "action");
    if (action != kNoNode) c.request.action = std::string(doc_.string(action));
    NodeId actor = doc_.member(node, "actor");
    if (actor != kNoNode) c.request.actor = std::string(doc_.string(actor));
    NodeId arguments = doc_.member(node, "arguments");
    for (uint32_t i = 0; arguments != kNoNode && i < doc_.size(arguments); ++i) {
      NodeId argument = doc_.child(arguments, i);
      c.request.arguments.emplace_back(std::string(doc_.key(argument)),
                                       std::string(doc_.string(argument)));
    }
  }

  void ReadScope(NodeId node, PolicyTestCase& c, const std::vector<std::string>& file_rules,
                 const std::string& file_rules_origin) {
    NodeId rules = doc_.member(node, "rules");
    bool has_check = c.kind == TestKind::kCheck;
    auto wanted = has_check ? &PolicyInfo::has_check : &PolicyInfo::has_alerts;
    const char* function = has_check ? "a state check" : "an alerts function";
    if (rules != kNoNode) {
      c.rules = Strings(doc_, rules);
      for (uint32_t i = 0; i < doc_.size(rules); ++i) {
        CheckRule(doc_.child(rules, i), wanted, function);
      }
      return;
    }
    if (file_rules.empty()) {
      problems_.Add(node,
                    "say which rules this case is about with \"rules\": [...] (here or for the "
                    "whole file); no policy with this file's name is next to it");
      return;
    }
    c.rules = file_rules;
    for (const std::string& id : file_rules) {
      const PolicyInfo* info = policies_.Find(id);
      if (info != nullptr && !(info->*wanted)) {
        problems_.Add(node, "rule '" + id + "' (" + file_rules_origin + ") has no " + function +
                                "; give this case its own \"rules\"");
      }
    }
  }

  // Each expected finding or alert names a rule the case is about.
  void CheckNamedRules(const PolicyTestCase& c, const char* member, bool PolicyInfo::*wanted,
                       const char* function) {
    NodeId list = doc_.member(c.expect, member);
    for (uint32_t i = 0; list != kNoNode && i < doc_.size(list); ++i) {
      NodeId rule = doc_.member(doc_.child(list, i), "rule");
      if (!CheckRule(rule, wanted, function) || c.rules.empty()) continue;
      if (std::find(c.rules.begin(), c.rules.end(), doc_.string(rule)) == c.rules.end()) {
        problems_.Add(rule, "rule '" + std::string(doc_.string(rule)) +
                                "' is not one this case is about; add it to \"rules\"");
      }
    }
  }

  // The keys of expect.<member> are rule ids of the set.
  void CheckRuleKeys(NodeId expect, const char* member) {
    NodeId map = doc_.member(expect, member);
    for (uint32_t i = 0; map != kNoNode && i < doc_.size(map); ++i) {
      NodeId entry = doc_.child(map, i);
      if (policies_.Find(doc_.key(entry)) == nullptr) {
        problems_.Add(entry, "no policy declares rule '" + std::string(doc_.key(entry)) + "'");
      }
    }
  }

  bool CheckRule(NodeId id, bool PolicyInfo::*wanted, const char* function) {
    const PolicyInfo* info = policies_.Find(doc_.string(id));
    if (info == nullptr) {
      problems_.Add(id, "no policy declares rule '" + std::string(doc_.string(id)) + "'");
      return false;
    }
    if (!(info->*wanted)) {
      problems_.Add(id, "rule '" + info->id + "' has no " + function);
      return false;
    }
    return true;
  }

  const Document& doc_;
  const PolicySet& policies_;
  Problems& problems_;
};

}  // namespace

const char* TestKindName(TestKind kind) {
  switch (kind) {
    case TestKind::kDecision:
      return "decision";
    case TestKind::kCheck:
      return "check";
    case TestKind::kAlerts:
      return "alerts";
    case TestKind::kEffect:
      return "effect";
  }
  return "?";
}

Result<std::vector<std::string>> FindPolicyTestFiles(const fs::path& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return Error{ErrorCode::kIo, "not a policy directory", {dir.string(), 0, 0, ""}, ""};
  }
  Result<std::vector<fs::path>> found = FilesUnder(dir, IsTestFile);
  if (!found.ok()) return found.take_errors();
  std::vector<std::string> files;
  for (const fs::path& path : found.value()) files.push_back(path.lexically_normal().string());
  if (files.empty()) {
    return Error{ErrorCode::kUsage,
                 "no policy tests (*.test.json) in this directory",
                 {dir.string(), 0, 0, ""},
                 ""};
  }
  std::sort(files.begin(), files.end());
  return files;
}

Result<PolicyTestFile> ReadPolicyTestFile(const std::string& path, const SchemaValidator& schema,
                                          const PolicySet& policies) {
  Result<Document> parsed = ReadJsonFile(path);
  if (!parsed.ok()) return parsed.take_errors();
  PolicyTestFile file;
  file.path = path;
  file.document = parsed.take();
  const Document& doc = file.document;
  Errors errors = schema.Validate(doc);
  if (!errors.empty()) return errors;

  Problems problems(doc);
  CaseReader reader(doc, policies, problems);
  std::vector<std::string> file_rules;
  std::string origin;
  if (NodeId rules = doc.member(doc.root(), "rules"); rules != kNoNode) {
    file_rules = Strings(doc, rules);
    origin = "the file's \"rules\"";
    for (uint32_t i = 0; i < doc.size(rules); ++i) {
      NodeId id = doc.child(rules, i);
      if (policies.Find(doc.string(id)) == nullptr) {
        problems.Add(id, "no policy declares rule '" + std::string(doc.string(id)) + "'");
      }
    }
  } else if (const PolicyInfo* beside = PolicyBeside(path, policies)) {
    file_rules.push_back(beside->id);
    origin = "the rule of " + beside->file;
  }
  const fs::path dir = fs::path(path).parent_path();
  NodeId cases = doc.member(doc.root(), "cases");
  for (uint32_t i = 0; i < doc.size(cases); ++i) {
    file.cases.push_back(reader.Read(doc.child(cases, i), dir, file_rules, origin));
  }
  if (!problems.empty()) return problems.Take();
  return file;
}

}  // namespace partnerpolicy::cli
