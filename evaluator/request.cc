// Turning "credit=MC-1 user=bob@contoso.com --as alice" into entities of the state. Every error
// lists what would have been valid, so the next attempt can succeed.
#include "partnerpolicy/request.h"

#include <algorithm>
#include <charconv>

#include "email_address.h"

namespace partnerpolicy {
namespace {

Error UsageError(std::string message) {
  return Error{ErrorCode::kUsage, std::move(message), {}, ""};
}

std::string LowerAscii(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// The element of `collection` whose id is value, or (users) whose e-mail matches ignoring case.
NodeId FindEntity(const Document& state, NodeId collection, std::string_view value) {
  NodeId found = state.find_by_id(collection, value);
  if (found != kNoNode) return found;
  const std::string wanted = LowerAscii(value);
  for (uint32_t i = 0; i < state.size(collection); ++i) {
    NodeId element = state.child(collection, i);
    std::string_view email = state.string_member(element, "email");
    if (!email.empty() && LowerAscii(email) == wanted) return element;
  }
  return kNoNode;
}

std::string ValidIds(const Document& state, NodeId collection) {
  std::string list;
  for (uint32_t i = 0; i < state.size(collection); ++i) {
    std::string_view id = state.string_member(state.child(collection, i), "id");
    if (id.empty()) continue;
    if (!list.empty()) list += ", ";
    list += id;
  }
  return list.empty() ? "(none in this state)" : list;
}

}  // namespace

Result<std::vector<std::pair<std::string, std::string>>> ParseArguments(
    const std::vector<std::string>& words) {
  std::vector<std::pair<std::string, std::string>> arguments;
  for (const std::string& word : words) {
    size_t equals = word.find('=');
    if (equals == std::string::npos || equals == 0) {
      return UsageError("argument '" + word + "' is not of the form name=value");
    }
    arguments.emplace_back(word.substr(0, equals), word.substr(equals + 1));
  }
  return arguments;
}

Result<ResolvedRequest> ResolveRequest(const ActionRequest& request, const ActionCatalog& catalog,
                                       const Document& state) {
  const ActionSpec* spec = catalog.Find(request.action);
  if (spec == nullptr) {
    std::string names;
    for (const ActionSpec& a : catalog.actions) names += (names.empty() ? "" : ", ") + a.name;
    return UsageError("unknown action '" + request.action + "'; actions: " + names);
  }
  ResolvedRequest resolved;
  resolved.action = spec->name;
  Errors errors;

  NodeId users = state.member(state.root(), "users");
  if (!request.actor.empty()) {
    resolved.actor = users == kNoNode ? kNoNode : FindEntity(state, users, request.actor);
    if (resolved.actor == kNoNode) {
      errors.push_back(
          UsageError("--as '" + request.actor +
                     "' is not a user of this state; users: " + ValidIds(state, users)));
    }
  }

  for (const auto& [name, value] : request.arguments) {
    bool known = std::any_of(spec->params.begin(), spec->params.end(),
                             [&name = name](const ActionParam& p) { return p.name == name; });
    if (!known) {
      std::string names;
      for (const ActionParam& p : spec->params) names += (names.empty() ? "" : ", ") + p.name;
      errors.push_back(
          UsageError("'" + spec->name + "' has no parameter '" + name + "'; parameters: " + names));
    }
  }

  for (const ActionParam& param : spec->params) {
    const std::string* given = nullptr;
    int count = 0;
    for (const auto& [name, value] : request.arguments) {
      if (name == param.name) {
        given = &value;
        ++count;
      }
    }
    if (count > 1) {
      errors.push_back(UsageError("parameter '" + param.name + "' is given more than once"));
      continue;
    }
    if (given == nullptr) {
      if (param.subject) {
        errors.push_back(UsageError("'" + spec->name + "' needs " + param.name + "=..." +
                                    (param.help.empty() ? "" : " (" + param.help + ")")));
      } else if (!param.optional) {
        resolved.open.push_back(param.name);
      }
      continue;
    }
    std::string lua_name = param.name;
    std::replace(lua_name.begin(), lua_name.end(), '-', '_');
    RequestValue value;
    if (!param.entity.empty() && param.list) {
      NodeId collection = state.member(state.root(), param.entity);
      value.kind = RequestValue::Kind::kEntityList;
      std::string_view rest = *given;
      while (true) {
        size_t comma = rest.find(',');
        std::string_view id = rest.substr(0, comma);
        NodeId entity = collection == kNoNode ? kNoNode : FindEntity(state, collection, id);
        if (entity == kNoNode) {
          errors.push_back(UsageError(param.name + "=" + *given + ": '" + std::string(id) +
                                      "' names no entry of " + param.entity +
                                      "; valid: " + ValidIds(state, collection)));
        } else if (std::find(value.nodes.begin(), value.nodes.end(), entity) != value.nodes.end()) {
          errors.push_back(
              UsageError(param.name + "=" + *given + ": '" + std::string(id) + "' is given twice"));
        } else {
          value.nodes.push_back(entity);
        }
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    } else if (!param.entity.empty() && param.allow_new && *given == "new") {
      value.kind = RequestValue::Kind::kNewEntity;
    } else if (!param.entity.empty()) {
      NodeId collection = state.member(state.root(), param.entity);
      NodeId entity = collection == kNoNode ? kNoNode : FindEntity(state, collection, *given);
      if (entity != kNoNode) {
        value.kind = RequestValue::Kind::kEntity;
        value.node = entity;
      } else if (param.new_email && given->find('@') != std::string::npos) {
        std::string problem;
        if (!EmailDomain(*given, &problem)) {
          errors.push_back(UsageError(param.name + "=" + *given + ": the e-mail address " +
                                      problem + "; expected local@domain"));
          continue;
        }
        value.kind = RequestValue::Kind::kNewUser;
        value.text = *given;
      } else {
        errors.push_back(UsageError(param.name + "=" + *given + " names no entry of " +
                                    param.entity + "; valid: " + ValidIds(state, collection) +
                                    (param.new_email ? " (or a new user's e-mail address)" : "") +
                                    (param.allow_new ? " (or new)" : "")));
        continue;
      }
    } else if (param.type == "integer") {
      int64_t number = 0;
      auto [end, ec] = std::from_chars(given->data(), given->data() + given->size(), number);
      if (ec != std::errc() || end != given->data() + given->size()) {
        errors.push_back(UsageError(param.name + "=" + *given + ": expected a whole number"));
        continue;
      }
      value.kind = RequestValue::Kind::kInteger;
      value.integer = number;
    } else if (param.type == "date") {
      std::optional<Date> date = ParseDate(*given);
      if (!date) {
        errors.push_back(UsageError(param.name + "=" + *given + ": expected a date YYYY-MM-DD"));
        continue;
      }
      value.kind = RequestValue::Kind::kDate;
      value.date = *date;
    } else {
      value.kind = RequestValue::Kind::kString;
      value.text = *given;
    }
    resolved.params.emplace_back(std::move(lua_name), std::move(value));
  }
  if (request.actor.empty() && spec->actor == ActorRule::kRequired)
    resolved.open.push_back("actor");
  if (!errors.empty()) return errors;
  return resolved;
}

}  // namespace partnerpolicy
