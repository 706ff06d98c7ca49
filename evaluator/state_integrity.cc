// The reference table below mirrors docs/state-format.md ("References checked by the host").
#include "state_integrity.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "email_address.h"
#include "partnerpolicy/date.h"
#include "state_consistency.h"

namespace partnerpolicy {
namespace {

struct Reference {
  std::string_view path;        // slash-separated from the root; "*" is every array element
  std::string_view collection;  // top-level array the value must be an id of
};

constexpr std::array kReferences = {
    Reference{"billing_accounts/*/associated_tenants/*/tenant", "tenants"},
    Reference{"users/*/tenant", "tenants"},
    Reference{"users/*/billing_roles/*/billing_account", "billing_accounts"},
    Reference{"credits/*/package", "benefit_packages"},
    Reference{"credits/*/azure_subscription", "azure_subscriptions"},
    Reference{"credits/*/assignments/*/user", "users"},
    Reference{"cloud_benefits/*/package", "benefit_packages"},
    Reference{"cloud_benefits/*/billing_account", "billing_accounts"},
    Reference{"cloud_benefits/*/redeemed_by", "users"},
    Reference{"cloud_benefits/*/tenant", "tenants"},
    Reference{"cloud_benefits/*/subscription", "subscriptions"},
    Reference{"subscriptions/*/benefit", "cloud_benefits"},
    Reference{"subscriptions/*/tenant", "tenants"},
    Reference{"subscriptions/*/assigned_users/*", "users"},
    Reference{"azure_subscriptions/*/tenant", "tenants"},
    Reference{"azure_subscriptions/*/credit", "credits"},
    Reference{"partner_id_links/*/account", "users"},
};

constexpr std::array kCollections = {std::string_view("billing_accounts"),
                                     std::string_view("tenants"),
                                     std::string_view("users"),
                                     std::string_view("benefit_packages"),
                                     std::string_view("credits"),
                                     std::string_view("cloud_benefits"),
                                     std::string_view("subscriptions"),
                                     std::string_view("azure_subscriptions"),
                                     std::string_view("partner_id_links")};

std::vector<std::string_view> Split(std::string_view path) {
  std::vector<std::string_view> parts;
  while (!path.empty()) {
    size_t slash = path.find('/');
    parts.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view{} : path.substr(slash + 1);
  }
  return parts;
}

// Calls visit(node) for every node the pattern reaches from `at`.
template <typename Visit>
void Walk(const Document& doc, NodeId at, const std::vector<std::string_view>& parts, size_t i,
          Visit&& visit) {
  if (at == kNoNode) return;
  if (i == parts.size()) {
    visit(at);
    return;
  }
  if (parts[i] == "*") {
    if (doc.kind(at) != NodeKind::kArray) return;
    for (uint32_t k = 0; k < doc.size(at); ++k) Walk(doc, doc.child(at, k), parts, i + 1, visit);
  } else {
    Walk(doc, doc.member(at, parts[i]), parts, i + 1, visit);
  }
}

// Members that hold dates (docs/state-format.md).
bool IsDateField(std::string_view key) {
  constexpr std::array kDateFields = {std::string_view("as_of"),
                                      std::string_view("vetting_submitted_on"),
                                      std::string_view("modernized_redemption_since"),
                                      std::string_view("purchased_on"),
                                      std::string_view("start"),
                                      std::string_view("end"),
                                      std::string_view("awarded_on"),
                                      std::string_view("activated_on"),
                                      std::string_view("on"),
                                      std::string_view("activate_by"),
                                      std::string_view("redeemed_on"),
                                      std::string_view("created_on")};
  return std::find(kDateFields.begin(), kDateFields.end(), key) != kDateFields.end();
}

Error At(const Document& doc, NodeId node, std::string message) {
  return Error{
      ErrorCode::kInvalidInput, std::move(message),
      SourceLocation{doc.source_name(), doc.line(node), doc.column(node), doc.pointer(node)}, ""};
}

}  // namespace

Errors CheckStateIntegrity(const Document& doc) {
  Errors errors;
  const NodeId root = doc.root();

  for (std::string_view name : kCollections) {
    NodeId collection = doc.member(root, name);
    if (collection == kNoNode || doc.kind(collection) != NodeKind::kArray) continue;
    std::unordered_set<std::string_view> seen;
    for (uint32_t i = 0; i < doc.size(collection); ++i) {
      NodeId id = doc.member(doc.child(collection, i), "id");
      if (id == kNoNode || doc.kind(id) != NodeKind::kString) continue;
      if (!seen.insert(doc.string(id)).second) {
        errors.push_back(At(doc, id,
                            "duplicate id \"" + std::string(doc.string(id)) + "\" in " +
                                std::string(name) + "; ids must be unique in a collection"));
      }
    }
  }

  for (const Reference& ref : kReferences) {
    NodeId collection = doc.member(root, ref.collection);
    Walk(doc, root, Split(ref.path), 0, [&](NodeId value) {
      if (doc.kind(value) != NodeKind::kString) return;
      if (collection != kNoNode && doc.find_by_id(collection, doc.string(value)) != kNoNode) {
        return;
      }
      errors.push_back(At(doc, value,
                          "\"" + std::string(doc.string(value)) + "\" is not the id of any " +
                              std::string(ref.collection) + " entry"));
    });
  }

  // The schema's "date" format is checked by a regular expression that allows 2026-02-29;
  // every date field must also be a real calendar day.
  for (NodeId n = 0; n < doc.node_count(); ++n) {
    if (doc.kind(n) != NodeKind::kString || doc.parent(n) == kNoNode) continue;
    if (doc.kind(doc.parent(n)) != NodeKind::kObject || !IsDateField(doc.key(n))) continue;
    if (!ParseDate(doc.string(n))) {
      errors.push_back(
          At(doc, n,
             "\"" + std::string(doc.string(n)) + "\" is not a calendar date; expected YYYY-MM-DD"));
    }
  }

  Walk(doc, root, Split("users/*/email"), 0, [&](NodeId value) {
    if (doc.kind(value) != NodeKind::kString) return;
    std::string problem;
    if (!EmailDomain(doc.string(value), &problem)) {
      errors.push_back(At(doc, value,
                          "e-mail address \"" + std::string(doc.string(value)) + "\" " + problem +
                              "; expected local@domain"));
    }
  });

  for (Error& error : CheckStateConsistency(doc)) errors.push_back(std::move(error));

  std::stable_sort(errors.begin(), errors.end(), [](const Error& a, const Error& b) {
    return std::tie(a.where.line, a.where.column) < std::tie(b.where.line, b.where.column);
  });
  return errors;
}

}  // namespace partnerpolicy
