// Reads a check report back through the evaluator's JSON reader (positions for every message)
// and sets aside the findings it already held.
#include "baseline.h"

#include "partnerpolicy/json_reader.h"

namespace partnerpolicy::cli {
namespace {

std::string NormalPath(const std::string& path) {
  return std::filesystem::path(path).lexically_normal().generic_string();
}

// Reads the report's members, collecting one error per problem with its position.
class ReportReader {
 public:
  explicit ReportReader(const Document& report) : report_(report) {}

  Errors& errors() { return errors_; }

  void Fail(NodeId node, const std::string& message) {
    errors_.push_back(Error{ErrorCode::kInvalidInput, message,
                            SourceLocation{report_.source_name(), report_.line(node),
                                           report_.column(node), report_.pointer(node)},
                            ""});
  }

  // The member `name` of `object` when it has `kind`; kNoNode (and an error unless optional)
  // otherwise.
  NodeId Member(NodeId object, const char* name, NodeKind kind, const char* what,
                bool optional = false) {
    NodeId node = report_.member(object, name);
    if (node == kNoNode) {
      if (!optional) Fail(object, std::string("expected a member \"") + name + "\" (" + what + ")");
      return kNoNode;
    }
    if (report_.kind(node) != kind) {
      Fail(node, std::string("\"") + name + "\" must be " + what + ", not " +
                     NodeKindName(report_.kind(node)));
      return kNoNode;
    }
    return node;
  }

 private:
  const Document& report_;
  Errors errors_;
};

}  // namespace

std::string Fingerprint(const Finding& finding) {
  return finding.rule_id + "|" + finding.entity_id;
}

Result<Baseline> Baseline::Read(const std::filesystem::path& file) {
  Result<Document> parsed = ReadJsonFile(file);
  if (!parsed.ok()) return parsed.take_errors();
  const Document& report = parsed.value();
  ReportReader reader(report);
  const NodeId root = report.root();
  if (report.kind(root) != NodeKind::kObject) {
    reader.Fail(root, "expected a `partnerpolicy check --format json` report (an object), not " +
                          std::string(NodeKindName(report.kind(root))));
    return reader.errors();
  }
  NodeId kind = reader.Member(root, "kind", NodeKind::kString, "the report kind, \"check\"");
  if (kind != kNoNode && report.string(kind) != "check") {
    reader.Fail(kind,
                "expected a `partnerpolicy check --format json` report, not a report of "
                "kind \"" +
                    std::string(report.string(kind)) + "\"");
  }
  NodeId version =
      reader.Member(root, "report_version", NodeKind::kString, "the report version, \"1\"");
  if (version != kNoNode && report.string(version) != "1") {
    reader.Fail(version, "report version \"" + std::string(report.string(version)) +
                             "\" is not one this program reads (\"1\")");
  }
  if (!reader.errors().empty()) return reader.errors();

  Baseline baseline;
  baseline.file_ = file.string();
  NodeId fixtures =
      reader.Member(root, "fixtures", NodeKind::kArray, "an array of fixture results");
  for (uint32_t i = 0; fixtures != kNoNode && i < report.size(fixtures); ++i) {
    NodeId fixture = report.child(fixtures, i);
    if (report.kind(fixture) != NodeKind::kObject) {
      reader.Fail(fixture, "expected a fixture result (an object)");
      continue;
    }
    NodeId path = reader.Member(fixture, "path", NodeKind::kString, "the fixture path, a string");
    NodeId kind_of_entry = reader.Member(fixture, "kind", NodeKind::kString,
                                         "\"fixture\" or \"waivers\"", /*optional=*/true);
    NodeId findings = reader.Member(fixture, "findings", NodeKind::kArray, "an array of findings");
    if (path == kNoNode || findings == kNoNode) continue;
    std::map<std::string, int> counts;
    for (uint32_t k = 0; k < report.size(findings); ++k) {
      NodeId finding = report.child(findings, k);
      if (report.kind(finding) != NodeKind::kObject) {
        reader.Fail(finding, "expected a finding (an object)");
        continue;
      }
      if (report.member(finding, "fingerprint") != kNoNode) {
        NodeId fingerprint = reader.Member(finding, "fingerprint", NodeKind::kString,
                                           "a string, \"rule_id|entity_id\"");
        if (fingerprint != kNoNode && report.string(fingerprint).empty()) {
          // It matches no finding: a report edited by hand or cut short, not one check wrote.
          reader.Fail(fingerprint, "\"fingerprint\" is empty; expected \"rule_id|entity_id\"");
        } else if (fingerprint != kNoNode) {
          ++counts[std::string(report.string(fingerprint))];
        }
        continue;
      }
      // Reports written before fingerprints: the same two fields, read one by one.
      if (report.member(finding, "rule_id") == kNoNode ||
          report.member(finding, "entity_id") == kNoNode) {
        reader.Fail(finding,
                    "expected a finding with \"fingerprint\" (\"rule_id|entity_id\"), or with "
                    "\"rule_id\" and \"entity_id\"");
        continue;
      }
      NodeId rule = reader.Member(finding, "rule_id", NodeKind::kString, "a string");
      NodeId entity = reader.Member(finding, "entity_id", NodeKind::kString, "a string");
      if (rule == kNoNode || entity == kNoNode) continue;
      ++counts[std::string(report.string(rule)) + "|" + std::string(report.string(entity))];
    }
    if (kind_of_entry != kNoNode && report.string(kind_of_entry) == "waivers") continue;
    baseline.fixtures_.emplace(NormalPath(std::string(report.string(path))), std::move(counts));
  }
  if (!reader.errors().empty()) return reader.errors();
  return baseline;
}

BaselineSummary Baseline::Apply(std::vector<FixtureResult>* results) const {
  BaselineSummary summary;
  summary.file = file_;
  for (FixtureResult& result : *results) {
    if (result.waiver_file || !result.errors.empty()) continue;
    auto entry = fixtures_.find(NormalPath(result.path));
    if (entry == fixtures_.end()) continue;
    std::map<std::string, int> left = entry->second;
    std::vector<Finding> kept;
    for (Finding& finding : result.findings) {
      auto held = left.find(Fingerprint(finding));
      if (held != left.end() && held->second > 0) {
        --held->second;
        result.unchanged.push_back(std::move(finding));
      } else {
        kept.push_back(std::move(finding));
      }
    }
    result.findings = std::move(kept);
    summary.unchanged += static_cast<int>(result.unchanged.size());
    for (const auto& [fingerprint, count] : left) summary.resolved += count;
  }
  return summary;
}

}  // namespace partnerpolicy::cli
