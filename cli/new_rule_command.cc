// partnerpolicy new-rule ID --seed SEED --section SECTION: writes the skeleton of a new policy
// and of its test file, both passing `lint` and `test` as written, so a compliance team starts
// from something that runs and fills in the rule.
#include <fmt/format.h>

#include <cstdio>
#include <filesystem>

#include "commands.h"
#include "partnerpolicy/governs_matrix.h"
#include "partnerpolicy/message_catalog.h"
#include "report_file.h"
#include "safe_text.h"

namespace partnerpolicy::cli {
namespace {

namespace fs = std::filesystem;

// "credits.free-domain-ban" -> credits/free_domain_ban: the first word names the directory, the
// rest the file, as for the bundled policies.
fs::path PolicyStem(const std::string& rule_id) {
  size_t dot = rule_id.find('.');
  std::string name = rule_id.substr(dot + 1);
  for (char& c : name) {
    if (c == '.' || c == '-') c = '_';
  }
  return fs::path(rule_id.substr(0, dot)) / name;
}

// A double-quoted string literal with '"' and '\\' escaped, and control characters written
// with `control` (a fmt format of the byte): JSON and Lua share the rest of the syntax. The seed
// and section come from the command line.
std::string Literal(const std::string& text, fmt::format_string<int> control) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (static_cast<unsigned char>(c) < 0x20) {
      out += fmt::format(control, static_cast<int>(static_cast<unsigned char>(c)));
    } else {
      out += c;
    }
  }
  return out + "\"";
}

std::string JsonString(const std::string& text) { return Literal(text, "\\u{:04x}"); }
// Not a long bracket: the section may hold "]]".
std::string LuaString(const std::string& text) { return Literal(text, "\\{:03d}"); }

// What the skeleton's check constrains, and its no_say: one TODO line for each action that
// touches it (lint wants each decided or given a reason), so the writer sees every action the
// rule may have to decide.
constexpr const char* kSkeletonConstrains = "credits.status";

std::string SkeletonNoSay(const ActionCatalog& actions) {
  std::string lines;
  for (const ActionSpec& action : actions.actions) {
    if (SharedFields(action.touches, {kSkeletonConstrains}).empty()) continue;
    lines += fmt::format(
        "    [{}] = \"TODO: decide {} in decide, or say here in one line why this rule has no say "
        "on it\",\n",
        LuaString(action.name), action.name);
  }
  if (lines.empty()) return "";
  return "  no_say = {\n" + lines + "  },\n";
}

std::string PolicySkeleton(const std::string& rule_id, const std::string& display_path,
                           const std::string& seed, const std::string& section,
                           const ActionCatalog& actions) {
  return fmt::format(
      R"(-- {path}
--
-- TODO: the rule in a paragraph of domain words, and where the documents state it. Its title,
-- description and messages live in {catalog}, in words an admin uses (credit, user, billing
-- role); docs/policy-api.md lists what `pp`, `ctx` and the state offer.

return {{
  id = {id},
  severity = "error",
  source = {{ seed = {seed}, section = {section} }},
  params = {{}},
  -- The parts of the partner state whose values or changes the rule limits ("<collection>.<field>"
  -- or a whole collection). Every action of actions.toml whose `touches` meets them is decided
  -- below or named in no_say with the reason the rule has no say on it (`rules --matrix`).
  constrains = {{ {constrains} }},
{no_say}
  -- Reports every entity that breaks the rule. Replace the collection and the test below;
  -- ctx.report{{ at = entity, message = ..., remedy = ... }} names the entity, the breach in
  -- domain words and the smallest change that fixes it (pp.say: a message of the catalog).
  check = function(state, ctx)
    for _, credit in ipairs(state.credits) do
      if credit.status == "TODO: a breach" then
        ctx.report{{
          at = credit,
          message = pp.say("breach", {{ credit = credit.id }}),
          remedy = pp.say("fix"),
        }}
      end
    end
  end,

  -- To answer `partnerpolicy can`, add decide = {{ ["credit.reassign"] = function(req, state, ctx)
  -- ... return pp.deny(message, remedy) end }} for actions declared in actions.toml; for dated
  -- warnings, alerts = function(state, ctx) ... ctx.alert{{ at =, on =, message = }} end.
}}
)",
      fmt::arg("path", display_path), fmt::arg("catalog", CatalogPathFor(display_path)),
      fmt::arg("id", LuaString(rule_id)), fmt::arg("seed", LuaString(seed)),
      fmt::arg("section", LuaString(section)),
      fmt::arg("constrains", LuaString(kSkeletonConstrains)),
      fmt::arg("no_say", SkeletonNoSay(actions)));
}

// The rule's words: what `rules` and `explain` show, and what the skeleton's check says.
std::string CatalogSkeleton(const std::string& display_path) {
  return fmt::format(
      R"(# The words of {path}: pp.say("name", {{field = value}}) fills {{field}}.
title = "TODO: the rule in one line"
description = """TODO: what check reports, and (when you add decide) which actions it denies \
and why."""

[messages]
breach = "credit {{credit}} TODO: what is wrong"
fix = "TODO: the smallest change that fixes it"
)",
      fmt::arg("path", display_path));
}

std::string TestSkeleton(const std::string& rule_id, const std::string& schema,
                         const std::string& state, const std::string& as_of) {
  return fmt::format(
      R"({{
  "$schema": {schema},
  "cases": [
    {{
      "name": "TODO: a state that keeps the rule has no finding",
      "as_of": {as_of},
      "state": {state},
      "expect": {{
        "passes": [{id}]
      }}
    }}
  ]
}}
)",
      fmt::arg("schema", JsonString(schema)), fmt::arg("as_of", JsonString(as_of)),
      fmt::arg("state", JsonString(state)), fmt::arg("id", JsonString(rule_id)));
}

Error Usage(const std::string& message) { return Error{ErrorCode::kUsage, message, {}, ""}; }

// The seed and section, checked against DIR/sources.toml as lint will check them.
std::optional<Error> CheckSource(const fs::path& policy_dir, const NewRuleOptions& options) {
  fs::path index_file = policy_dir / "sources.toml";
  std::error_code ec;
  if (!fs::exists(index_file, ec)) return std::nullopt;  // lint has nothing to check against
  Result<SourceIndex> index = ReadSourceIndex(index_file);
  if (!index.ok()) return index.errors().front();
  const SeedSections* seed = index.value().Find(options.seed);
  if (seed == nullptr) {
    std::vector<std::string> seeds;
    std::string listed;
    for (const SeedSections& s : index.value().seeds) {
      seeds.push_back(s.seed);
      listed += fmt::format("\n  {}  {}", s.seed, s.title);
    }
    std::string closest = Closest(options.seed, seeds);
    return Usage(fmt::format("--seed {}: {} lists no such document{}; the seeds are:{}",
                             options.seed, index_file.string(),
                             closest.empty() ? "" : " (did you mean " + closest + "?)", listed));
  }
  for (const std::string& section : seed->sections) {
    if (section == options.section) return std::nullopt;
  }
  std::string closest = Closest(options.section, seed->sections);
  return Usage(fmt::format("--section \"{}\": {} has no such section heading{}", options.section,
                           options.seed,
                           closest.empty() ? "" : "; did you mean \"" + closest + "\"?"));
}

}  // namespace

int RunNewRule(const CommonOptions& common, const NewRuleOptions& options) {
  Format format = Format::kText;
  if (!IsRuleId(options.rule_id)) {
    return ReportErrors({Usage("rule id '" + options.rule_id +
                               "' must be dotted lower-case words, e.g. credits.free-domain-ban "
                               "(the first word names the directory)")},
                        format);
  }
  // The first word names the directory; three directories hold other things than rules, so a
  // rule written there would load as a library, an effect, or not at all.
  const std::string first_word = options.rule_id.substr(0, options.rule_id.find('.'));
  for (const auto& [reserved, holds] :
       {std::pair{"lib", "helper libraries"}, std::pair{"types", "editor type definitions"},
        std::pair{"effects", "the effects of actions"}}) {
    if (first_word == reserved) {
      return ReportErrors({Usage("rule id '" + options.rule_id + "': its first word names the " +
                                 "directory " + first_word + "/, which holds " + holds +
                                 ", not rules; choose another first word")},
                          format);
    }
  }
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  fs::path policy_dir = fs::path(setup.value().policy_dir).lexically_normal();
  if (!policy_dir.has_filename()) policy_dir = policy_dir.parent_path();  // "policies/"

  if (const PolicyInfo* existing = setup.value().policies.Find(options.rule_id)) {
    return ReportErrors({Usage("rule " + options.rule_id + " already exists in " + existing->file)},
                        format);
  }
  if (std::optional<Error> bad = CheckSource(policy_dir, options)) {
    return ReportErrors({*bad}, format);
  }

  fs::path stem = PolicyStem(options.rule_id);
  fs::path policy_file = policy_dir / fs::path(stem.string() + ".lua");
  fs::path test_file = policy_dir / fs::path(stem.string() + ".test.json");
  fs::path catalog_file = CatalogPathFor(policy_file.string());
  std::error_code ec;
  for (const fs::path& file : {policy_file, catalog_file, test_file}) {
    if (fs::exists(file, ec)) {
      return ReportErrors({Usage(file.string() + " already exists; new-rule never overwrites")},
                          format);
    }
  }
  // The test's state: --state, else the minimal fixture beside the policies.
  fs::path state = options.state.empty()
                       ? policy_dir.parent_path() / "fixtures" / "valid" / "minimal.json"
                       : fs::path(options.state);
  if (!fs::is_regular_file(state, ec)) {
    return ReportErrors({Usage("the test skeleton needs a partner state: " + state.string() +
                               " does not exist; give one with --state FIXTURE")},
                        format);
  }
  Result<PartnerState> loaded = setup.value().loader.Load(state.string());
  if (!loaded.ok()) return ReportErrors(loaded.errors(), format);
  // Paths in a test file are relative to the test file.
  fs::path test_dir = test_file.parent_path();
  fs::path state_relative = fs::relative(fs::absolute(state), fs::absolute(test_dir), ec);
  fs::path schema_relative = fs::relative(
      fs::absolute(SchemaNextToPolicies(policy_dir.string(), "policy-test.schema.json")),
      fs::absolute(test_dir), ec);
  std::string as_of =
      FormatDate(ChooseEvaluationDate(setup.value().as_of_flag, loaded.value().as_of).date);

  fs::create_directories(test_dir, ec);
  if (ec) {
    return ReportErrors({Error{ErrorCode::kIo,
                               "cannot create the directory: " + ec.message(),
                               {test_dir.string(), 0, 0, ""},
                               ""}},
                        format);
  }
  std::string display_path = policy_file.lexically_normal().string();
  for (const auto& [file, text] :
       {std::pair{catalog_file, CatalogSkeleton(display_path)},
        std::pair{policy_file, PolicySkeleton(options.rule_id, display_path, options.seed,
                                              options.section, setup.value().policies.actions())},
        std::pair{test_file, TestSkeleton(options.rule_id, schema_relative.generic_string(),
                                          state_relative.generic_string(), as_of)}}) {
    if (std::optional<Error> failed = WriteFileAtomically(file.string(), text)) {
      return ReportErrors({*failed}, format);
    }
  }
  PrintSafely(stdout, fmt::format("wrote {}\n  and {}\n  and {}\nnext: fill in the TODOs, then\n"
                                  "  partnerpolicy lint {}\n  partnerpolicy test {}\n"
                                  "  partnerpolicy explain {} --policies {}\n",
                                  Printable(display_path),
                                  Printable(catalog_file.lexically_normal().string()),
                                  Printable(test_file.lexically_normal().string()),
                                  Printable(policy_dir.string()), Printable(policy_dir.string()),
                                  Printable(options.rule_id), Printable(policy_dir.string())));
  return kExitOk;
}

}  // namespace partnerpolicy::cli
