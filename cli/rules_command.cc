// partnerpolicy rules [--action ACTION] and partnerpolicy explain RULE-ID: what the policy set
// holds, with the settings in effect, for the people who maintain or rely on it.
#include <filesystem>
#include <optional>

#include "commands.h"
#include "report_file.h"
#include "rule_output.h"

namespace partnerpolicy::cli {
namespace {

// sources.toml next to the policies, for seed titles. A missing or broken index only loses the
// titles: `lint` is where its problems are reported.
std::optional<SourceIndex> SeedTitles(const std::string& policy_dir) {
  std::filesystem::path file = std::filesystem::path(policy_dir) / "sources.toml";
  std::error_code ec;
  if (!std::filesystem::exists(file, ec)) return std::nullopt;
  Result<SourceIndex> index = ReadSourceIndex(file);
  if (!index.ok()) return std::nullopt;
  return index.take();
}

std::vector<std::string> RuleIds(const PolicySet& policies) {
  std::vector<std::string> ids;
  for (const PolicyInfo& info : policies.policies()) ids.push_back(info.id);
  return ids;
}

// Why `wanted` names no rule, and what it might have meant.
Error UnknownRule(const PolicySet& policies, const std::string& wanted) {
  std::string message = "no rule has the id '" + wanted + "'";
  if (policies.actions().Find(wanted) != nullptr) {
    message += "; it is an action: `partnerpolicy rules --action " + wanted +
               "` lists the rules that decide it";
  } else if (std::string closest = Closest(wanted, RuleIds(policies)); !closest.empty()) {
    message += "; did you mean '" + closest + "'?";
  }
  message += " (`partnerpolicy rules` lists every rule)";
  return Error{ErrorCode::kUsage, message, {}, ""};
}

}  // namespace

int RunRules(const CommonOptions& common, const RulesOptions& options) {
  Format format = *ParseFormat(common.format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  const PolicySet& policies = setup.value().policies;
  if (!options.action.empty() && policies.actions().Find(options.action) == nullptr) {
    std::vector<std::string> names;
    for (const ActionSpec& spec : policies.actions().actions) names.push_back(spec.name);
    std::string message = "--action " + options.action + ": no such action";
    if (std::string closest = Closest(options.action, names); !closest.empty()) {
      message += "; did you mean " + closest + "?";
    }
    return ReportErrors({Error{ErrorCode::kUsage, message, {}, ""}}, format);
  }
  std::optional<SourceIndex> sources = SeedTitles(setup.value().policy_dir);
  RuleCatalog catalog{
      setup.value().policy_dir, &policies, {}, options.action, sources ? &*sources : nullptr};
  for (const PolicyInfo& info : policies.policies()) {
    if (options.action.empty() || info.Governs(options.action)) catalog.rules.push_back(&info);
  }
  if (options.matrix) {
    std::vector<const PolicyInfo*> all;
    for (const PolicyInfo& info : policies.policies()) all.push_back(&info);
    GovernsMatrix matrix = BuildGovernsMatrix(policies.actions(), all);
    if (!options.action.empty()) {
      std::erase_if(matrix.rows,
                    [&](const GovernsRow& row) { return row.action->name != options.action; });
    }
    std::string text =
        format == Format::kJson
            ? MatrixReportJson(catalog, matrix)
            : MatrixReportText(catalog, matrix, Style(ReportInColour(common.output)));
    return EmitReport(common.output, text, kExitOk, format);
  }
  std::string text = format == Format::kJson
                         ? RulesReportJson(catalog)
                         : RulesReportText(catalog, Style(ReportInColour(common.output)));
  return EmitReport(common.output, text, kExitOk, format);
}

int RunExplain(const CommonOptions& common, const ExplainOptions& options) {
  Format format = *ParseFormat(common.format);
  Result<Setup> setup = Prepare(common);
  if (!setup.ok()) return ReportErrors(setup.errors(), format);
  const PolicySet& policies = setup.value().policies;
  const PolicyInfo* rule = policies.Find(options.rule_id);
  if (rule == nullptr) return ReportErrors({UnknownRule(policies, options.rule_id)}, format);
  std::optional<SourceIndex> sources = SeedTitles(setup.value().policy_dir);
  RuleCatalog catalog{
      setup.value().policy_dir, &policies, {rule}, "", sources ? &*sources : nullptr};
  std::string text = format == Format::kJson
                         ? ExplainReportJson(catalog)
                         : ExplainReportText(catalog, Style(ReportInColour(common.output)));
  return EmitReport(common.output, text, kExitOk, format);
}

}  // namespace partnerpolicy::cli
