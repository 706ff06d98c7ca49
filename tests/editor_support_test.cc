// What editors read next to the policies and fixtures cannot drift from what partnerpolicy does:
// the hand-written LuaCATS definitions (policies/types/) declare exactly the sandbox's globals,
// pp and lib functions and request fields; policies/.luarc.json offers LuaLS's libraries only
// where the sandbox has them; every fixture and policy test names its JSON Schema.
// (policies/types/partner_state.lua is checked by ctest's luacats_partner_state_up_to_date.)
#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "field_read_checks.h"
#include "lua/policy_runtime.h"
#include "partnerpolicy/policy_config.h"
#include "test_support.h"

namespace partnerpolicy {
namespace {

namespace fs = std::filesystem;
using Names = std::set<std::string>;

std::string ReadText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

fs::path TypesDir() { return testing::PolicyDir() / "types"; }

// Every first capture group of `pattern` (matched per line) in `text`, joined by '.' when the
// pattern has several groups.
Names Matches(const std::string& text, const std::string& pattern) {
  Names names;
  std::regex re(pattern);
  std::istringstream lines(text);
  for (std::string line; std::getline(lines, line);) {
    std::smatch match;
    if (!std::regex_match(line, match, re)) continue;
    std::string name;
    for (size_t i = 1; i < match.size(); ++i) name += (i > 1 ? "." : "") + match[i].str();
    names.insert(name);
  }
  return names;
}

// What the sandbox really holds, read from a PolicyRuntime with the bundled helper libraries.
const PolicyReadings& Sandbox() {
  static const PolicyReadings* readings = [] {
    PolicyFiles files = testing::Must(ReadPolicyFiles(testing::PolicyDir()));
    return new PolicyReadings(testing::Must(PolicyRuntime::Read({}, Budgets{}, files.libraries)));
  }();
  return *readings;
}

// The sandbox's fields under `prefix` ("pp." -> "pp.allow", ...) with exactly `dots` dots.
Names SandboxFields(const std::string& prefix, int dots) {
  Names names;
  for (const std::string& field : Sandbox().global_fields) {
    if (field.rfind(prefix, 0) == 0 && std::count(field.begin(), field.end(), '.') == dots) {
      names.insert(field);
    }
  }
  return names;
}

// Names in `a` but not in `b`, for failure messages.
std::string Missing(const Names& a, const Names& b) {
  std::string out;
  for (const std::string& name : a) {
    if (b.count(name) == 0) out += (out.empty() ? "" : ", ") + name;
  }
  return out.empty() ? "(none)" : out;
}

// LuaLS's builtin libraries (runtime.builtin) and the globals each defines.
const std::map<std::string, Names>& LuaLsLibraries() {
  static const std::map<std::string, Names> libraries = {
      {"coroutine", {"coroutine"}}, {"debug", {"debug"}}, {"io", {"io"}},
      {"math", {"math"}},           {"os", {"os"}},       {"package", {"package", "require"}},
      {"string", {"string"}},       {"table", {"table"}}, {"utf8", {"utf8"}},
  };
  return libraries;
}

TEST(EditorSupportTest, TypeDefinitionsDeclareExactlyTheSandboxGlobals) {
  Names declared;
  for (const char* file : {"sandbox.lua", "policy_api.lua", "partner_state.lua"}) {
    std::string text = ReadText(TypesDir() / file);
    ASSERT_FALSE(text.empty()) << file;
    EXPECT_EQ(text.rfind("---@meta\n", 0), 0u) << file << " must start with ---@meta";
    for (const std::string& name : Matches(text, R"(function ([A-Za-z_]\w*)\(.*)")) {
      declared.insert(name);
    }
    for (const std::string& name : Matches(text, R"(([A-Za-z_]\w*) = .*)")) declared.insert(name);
  }
  // The libraries LuaLS itself provides (policies/.luarc.json enables them) are not redeclared.
  Names expected(Sandbox().global_names.begin(), Sandbox().global_names.end());
  for (const auto& [library, globals] : LuaLsLibraries()) {
    for (const std::string& global : globals) expected.erase(global);
  }
  EXPECT_EQ(declared, expected) << "sandbox globals not declared under policies/types/: "
                                << Missing(expected, declared)
                                << "\ndeclared but not in the sandbox: "
                                << Missing(declared, expected);
}

TEST(EditorSupportTest, PolicyApiDeclaresEveryPpFunctionAndNoOther) {
  std::string api = ReadText(TypesDir() / "policy_api.lua");
  Names declared = Matches(api, R"(function (pp)\.(\w+)\(.*)");
  Names real = SandboxFields("pp.", 1);
  EXPECT_GE(real.size(), 18u);
  EXPECT_EQ(declared, real) << "in the sandbox, not in policy_api.lua: " << Missing(real, declared)
                            << "\nin policy_api.lua, not in the sandbox: "
                            << Missing(declared, real);
}

// ctx as editors know it (the classes Context, CheckContext and AlertsContext) is ctx as lint
// knows it (ContextFields, itself held to the runtime by policy_runtime_test.cc).
TEST(EditorSupportTest, ContextClassesDeclareExactlyTheFieldsLintKnows) {
  std::string api = ReadText(TypesDir() / "policy_api.lua");
  const std::regex context_class(R"(---@class (Check|Alerts)?Context\b.*)");
  const std::regex field(R"(---@field (\w+)\??\s.*)");
  Names declared;
  bool in_context = false;
  std::istringstream lines(api);
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("---@class ", 0) == 0) in_context = std::regex_match(line, context_class);
    std::smatch match;
    if (in_context && std::regex_match(line, match, field)) declared.insert(match[1].str());
  }
  EXPECT_EQ(declared, Names(ContextFields().begin(), ContextFields().end()));
}

TEST(EditorSupportTest, PolicyApiDeclaresEveryHelperLibraryFunctionAndNoOther) {
  std::string api = ReadText(TypesDir() / "policy_api.lua");
  Names libraries = Matches(api, R"((lib)\.(\w+) = \{\})");
  EXPECT_EQ(libraries, SandboxFields("lib.", 1))
      << "a helper library of policies/lib/ lacks its `lib.<name> = {}` in policy_api.lua";
  Names declared = Matches(api, R"(function (lib)\.(\w+)\.(\w+)\(.*)");
  for (const std::string& name : Matches(api, R"((lib)\.(\w+)\.(\w+) = .*)")) {
    declared.insert(name);
  }
  Names real = SandboxFields("lib.", 2);
  EXPECT_GE(real.size(), 15u);
  EXPECT_EQ(declared, real) << "in policies/lib/, not in policy_api.lua: "
                            << Missing(real, declared)
                            << "\nin policy_api.lua, not in policies/lib/: "
                            << Missing(declared, real);
  // And each library is a field of the class lib.
  EXPECT_EQ(Matches(api, R"(---@field (\w+) lib\.\w+)").size(), libraries.size());
}

TEST(EditorSupportTest, RequestHasAFieldForEveryActionParameter) {
  std::string api = ReadText(TypesDir() / "policy_api.lua");
  size_t start = api.find("---@class Request\n");
  ASSERT_NE(start, std::string::npos);
  std::string block = api.substr(start, api.find("\n\n", start) - start);
  Names declared = Matches(block, R"(---@field (\w+) .*)");
  Names expected = {"action", "actor"};
  ActionCatalog actions = testing::Must(ReadActionCatalog(testing::PolicyDir() / "actions.toml"));
  for (const ActionSpec& action : actions.actions) {
    for (const ActionParam& param : action.params) {
      std::string name = param.name;
      std::replace(name.begin(), name.end(), '-', '_');
      expected.insert(name);
    }
  }
  EXPECT_EQ(declared, expected) << "in actions.toml, not in Request: "
                                << Missing(expected, declared)
                                << "\nin Request, not in actions.toml: "
                                << Missing(declared, expected);
}

TEST(EditorSupportTest, LuaRcOffersOnlyWhatTheSandboxHas) {
  nlohmann::json rc = nlohmann::json::parse(ReadText(testing::PolicyDir() / ".luarc.json"));
  EXPECT_EQ(rc["runtime"]["version"], "Lua 5.4");
  EXPECT_EQ(rc["workspace"]["library"], nlohmann::json::array({"types"}));
  const nlohmann::json& builtin = rc["runtime"]["builtin"];
  // LuaLS's "basic" offers print, load, require, rawset, _G ...: sandbox.lua declares instead
  // what the sandbox has.
  EXPECT_EQ(builtin["basic"], "disable");
  for (const char* name : {"print", "load", "rawset", "collectgarbage", "dofile", "_G"}) {
    EXPECT_FALSE(std::binary_search(Sandbox().global_names.begin(), Sandbox().global_names.end(),
                                    std::string(name)))
        << name << " is in the sandbox now: declare it in policies/types/sandbox.lua";
  }
  for (const auto& [library, globals] : LuaLsLibraries()) {
    bool in_sandbox = std::all_of(globals.begin(), globals.end(), [](const std::string& global) {
      return std::binary_search(Sandbox().global_names.begin(), Sandbox().global_names.end(),
                                global);
    });
    EXPECT_EQ(builtin.value(library, ""), in_sandbox ? "enable" : "disable") << library;
  }
}

// The first member of a JSON file's top-level object, read from the text (so malformed fixtures
// count too): "$schema": "<value>".
std::string SchemaMember(const std::string& text) {
  std::smatch match;
  static const std::regex re(R"re(^\s*\{\s*"\$schema"\s*:\s*"([^"]*)")re");
  return std::regex_search(text, match, re) ? match[1].str() : "";
}

// Every JSON state fixture and every policy test file names its schema by a relative path that
// leads to it, as the first member, so JSON editors validate and complete it.
TEST(EditorSupportTest, FixturesAndPolicyTestsNameTheirSchema) {
  int checked = 0;
  auto check = [&](const fs::path& file, const char* schema) {
    std::string named = SchemaMember(ReadText(file));
    EXPECT_NE(named, "") << file << " does not start with \"$schema\"";
    if (named.empty()) return;
    EXPECT_EQ(fs::weakly_canonical(file.parent_path() / named),
              fs::weakly_canonical(testing::SourceDir() / "schemas" / schema))
        << file << " names " << named;
    ++checked;
  };
  for (const char* dir : {"examples", "valid", "invalid", "contradictory", "broken", "rules"}) {
    for (const auto& entry :
         fs::recursive_directory_iterator(testing::SourceDir() / "fixtures" / dir)) {
      if (entry.path().extension() == ".json") check(entry.path(), "partner-state.schema.json");
    }
  }
  for (const auto& entry : fs::recursive_directory_iterator(testing::PolicyDir())) {
    const std::string name = entry.path().filename().string();
    if (name.size() > 10 && name.substr(name.size() - 10) == ".test.json") {
      check(entry.path(), "policy-test.schema.json");
    }
  }
  EXPECT_GT(checked, 100);  // the fixtures and tests were found at all
}

// The host ignores "$schema": a state evaluates the same with it and without it.
TEST(EditorSupportTest, SchemaMemberChangesNoFinding) {
  std::string with = ReadText(testing::SourceDir() / "fixtures/examples/contoso.json");
  std::string member = "\"$schema\": \"" + SchemaMember(with) + "\",";
  size_t at = with.find(member);
  ASSERT_NE(at, std::string::npos);
  std::string without = with;
  without.replace(at, member.size(), "");
  StateLoader loader = testing::Loader();
  PolicySet policies = testing::BundledPolicies();
  auto findings = [&](const std::string& text) {
    PartnerState state = testing::Must(loader.LoadText(text, "contoso.json"));
    std::vector<std::string> out;
    for (const Finding& f : testing::Must(Evaluator(policies).Check(state, Date{20780}))) {
      out.push_back(f.rule_id + " " + f.entity_id + " " + f.message);
    }
    return out;
  };
  std::vector<std::string> found = findings(with);
  EXPECT_FALSE(found.empty());
  EXPECT_EQ(findings(without), found);
}

}  // namespace
}  // namespace partnerpolicy
