// A request to decide an action, as given ("credit=MC-1 user=bob@contoso.com") and as resolved
// against a partner state (ids become entities; numbers are checked).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "partnerpolicy/action_catalog.h"
#include "partnerpolicy/date.h"
#include "partnerpolicy/document.h"
#include "partnerpolicy/status.h"

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
  enum class Kind { kEntity, kEntityList, kNewEntity, kNewUser, kInteger, kDate, kString };
  Kind kind = Kind::kString;
  NodeId node = kNoNode;      // kEntity
  std::vector<NodeId> nodes;  // kEntityList, in the order given
  int64_t integer = 0;        // kInteger
  Date date;                  // kDate
  std::string text;           // kNewUser (the e-mail), kString
};

struct ResolvedRequest {
  std::string action;
  NodeId actor = kNoNode;
  // Lua-facing names ('-' replaced by '_') and values of the parameters given, in catalog order.
  std::vector<std::pair<std::string, RequestValue>> params;
  // What the request leaves open, so the answer holds for any value of it: names of required
  // parameters not given (as typed, e.g. "user"), and "actor" when the action's actor matters
  // and --as is not given. Policies see these as nil and answer with conditions.
  std::vector<std::string> open;
};

// Checks the request against the catalog and the state. Errors (kUsage) for an unknown action
// (listing the actions), an unknown parameter (listing the parameters), a missing subject, an id
// that names no entity (listing the valid ids), a malformed integer or date. Other parameters
// and the actor may be left out (see ResolvedRequest::open).
Result<ResolvedRequest> ResolveRequest(const ActionRequest& request, const ActionCatalog& catalog,
                                       const Document& state);

}  // namespace partnerpolicy
