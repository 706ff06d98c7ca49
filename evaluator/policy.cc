// Names and formatting for policy metadata.
#include "partnerpolicy/policy.h"

#include <algorithm>
#include <cstdio>

namespace partnerpolicy {

const char* SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kError:
      return "error";
  }
  return "error";
}

std::optional<Severity> ParseSeverity(std::string_view name) {
  if (name == "info") return Severity::kInfo;
  if (name == "warning") return Severity::kWarning;
  if (name == "error") return Severity::kError;
  return std::nullopt;
}

bool IsRuleId(std::string_view id) {
  if (id.empty() || id.find('.') == std::string_view::npos || id.front() == '.' ||
      id.back() == '.' || id.find("..") != std::string_view::npos) {
    return false;
  }
  return std::all_of(id.begin(), id.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '-' || c == '_';
  });
}

const char* ParamTypeName(const ParamValue& value) {
  switch (value.index()) {
    case 0:
      return "boolean";
    case 1:
      return "integer";
    case 2:
      return "number";
    case 3:
      return "string";
    default:
      return "list of strings";
  }
}

namespace {
std::string Quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

const std::string* ReasonFor(const std::vector<ActionReason>& reasons, std::string_view action) {
  for (const ActionReason& entry : reasons) {
    if (entry.action == action) return &entry.reason;
  }
  return nullptr;
}
}  // namespace

std::string FormatParamValue(const ParamValue& value) {
  if (const bool* b = std::get_if<bool>(&value)) return *b ? "true" : "false";
  if (const int64_t* i = std::get_if<int64_t>(&value)) return std::to_string(*i);
  if (const double* d = std::get_if<double>(&value)) {
    char buffer[64];
    std::snprintf(buffer, sizeof buffer, "%.17g", *d);
    return buffer;
  }
  if (const std::string* s = std::get_if<std::string>(&value)) return Quoted(*s);
  std::string out = "[";
  for (const std::string& s : std::get<std::vector<std::string>>(value)) {
    if (out.size() > 1) out += ", ";
    out += Quoted(s);
  }
  return out + "]";
}

const Parameter* PolicyInfo::FindParam(std::string_view name) const {
  for (const Parameter& p : params) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

bool PolicyInfo::Governs(std::string_view action) const {
  return std::find(actions.begin(), actions.end(), action) != actions.end();
}

const std::string* PolicyInfo::NoSayReason(std::string_view action) const {
  return ReasonFor(no_say, action);
}

const std::string* PolicyInfo::InformsReason(std::string_view action) const {
  return ReasonFor(informs, action);
}

}  // namespace partnerpolicy
