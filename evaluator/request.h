// A request to decide an action, as given ("credit=MC-1 user=bob@contoso.com") and as resolved
// against a partner state (ids become entities; numbers are checked).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "action_catalog.h"
#include "date.h"
#include "document.h"
#include "status.h"

namespace partnerpolicy {

struct ActionRequest {
  std::string action;
  std::string actor;  // user id or e-mail given with --as; empty when not given
  std::vector<std::pair<std::string, std::string>> arguments;  // name=value in given order
};

// Splits "name=value" words into arguments. Errors name the word that has no '='.
Result<std::vector<std::pair<std::string, std::string>>> ParseArguments(
    const std::vector<std::string>& words);

struct RequestValue {
  enum class Kind { kEntity, kNewUser, kInteger, kDate, kString };
  Kind kind = Kind::kString;
  NodeId node = kNoNode;  // kEntity
  int64_t integer = 0;    // kInteger
  Date date;              // kDate
  std::string text;       // kNewUser (the e-mail), kString
};

struct ResolvedRequest {
  std::string action;
  NodeId actor = kNoNode;
  // Lua-facing names ('-' replaced by '_') and values, in declaration order.
  std::vector<std::pair<std::string, RequestValue>> params;
};

// Checks the request against the catalog and the state. Errors (kUsage) for an unknown action
// (listing the actions), an unknown or missing parameter (listing the parameters), an id that
// names no entity (listing the valid ids), a malformed integer or date, a missing --as when
// the action needs one.
Result<ResolvedRequest> ResolveRequest(const ActionRequest& request, const ActionCatalog& catalog,
                                       const Document& state);

}  // namespace partnerpolicy
