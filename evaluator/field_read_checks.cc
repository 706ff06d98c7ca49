// unknown-state-field and unknown-ctx-field (field_read_checks.h).
#include "field_read_checks.h"

#include <algorithm>
#include <filesystem>
#include <iterator>
#include <map>
#include <utility>

#include "partnerpolicy/source_index.h"

namespace partnerpolicy {
namespace {

// Fields the host sets on req (policy_runtime.cc: PushRequest) and on the new entities a request
// may name, and `n` of table.pack. Those of ctx are ContextFields().
constexpr const char* kHostFields[] = {"action", "actor", "is_new", "email", "n"};

// " (did you mean 'x'?)" with the closest candidate, or nothing when none is close.
std::string DidYouMean(std::string_view wanted, const std::vector<std::string>& candidates) {
  std::string closest = Closest(wanted, candidates);
  return closest.empty() ? "" : " (did you mean '" + closest + "'?)";
}

// The last part of a dotted name: "lib.text.join" -> "join".
std::string LastPart(const std::string& dotted) {
  size_t dot = dotted.rfind('.');
  return dot == std::string::npos ? dotted : dotted.substr(dot + 1);
}

// What req holds in decide, from the actions' parameters: a parameter's entity when every
// action that has a parameter of that name agrees on it.
RequestShape ShapeOfRequests(const ActionCatalog& actions, const StateShape& shape) {
  RequestShape request;
  request.actor = shape.ElementOf("users");
  std::map<std::string, RequestField> fields;
  for (const ActionSpec& action : actions.actions) {
    for (const ActionParam& param : action.params) {
      RequestField field;
      field.name = param.name;
      std::replace(field.name.begin(), field.name.end(), '-', '_');
      field.object = param.entity.empty() ? -1 : shape.ElementOf(param.entity);
      field.list = param.list;
      field.may_be_new = param.new_email || param.allow_new;
      auto [it, inserted] = fields.emplace(field.name, field);
      if (inserted) continue;
      if (it->second.object != field.object || it->second.list != field.list) {
        it->second.object = -1;
      }
      it->second.may_be_new = it->second.may_be_new || field.may_be_new;
    }
  }
  for (auto& [name, field] : fields) request.fields.push_back(std::move(field));
  return request;
}

}  // namespace

StateFieldCheck::StateFieldCheck(StateShape shape, const ActionCatalog* actions,
                                 const PolicyReadings& readings,
                                 const std::vector<std::string>& libraries,
                                 const std::vector<const ChunkFunction*>& chunks) {
  if (actions != nullptr) request_ = ShapeOfRequests(*actions, shape);
  known_.insert(shape.field_names.begin(), shape.field_names.end());
  known_.insert(std::begin(kHostFields), std::end(kHostFields));
  known_.insert(ContextFields().begin(), ContextFields().end());
  for (const RequestField& field : request_.fields) known_.insert(field.name);
  for (const std::string& name : readings.global_names) known_.insert(name);
  for (const std::string& name : readings.global_fields) known_.insert(LastPart(name));
  for (const ChunkFunction* chunk : chunks) {
    for (const FieldAccess& access : FieldAccesses(*chunk)) {
      if (access.kind == FieldAccess::Kind::kFieldWrite) known_.insert(access.name);
    }
  }
  not_state_ = {"ctx", "params", "lib"};
  not_state_.insert(readings.global_names.begin(), readings.global_names.end());
  not_state_.insert(libraries.begin(), libraries.end());
  shape_ = std::move(shape);
}

// Two ways to know a field does not exist: a read from a value the flow analysis traced to an
// object of the state (lua/state_reads.h), of a field that kind of object lacks; and, for
// tables of unknown origin, a field no object of the state has and no code of the directory
// writes either.
std::vector<UnknownFieldRead> StateFieldCheck::Check(const ChunkFunction& chunk) const {
  std::vector<UnknownFieldRead> found;
  std::set<std::pair<int, std::string>> reported;
  for (const StateFieldRead& read : StateFieldReads(chunk, shape_, request_)) {
    const StateObject& object = shape_.objects[read.object];
    if (!object.closed || object.Find(read.key) != nullptr) continue;
    if (read.may_be_new && (read.key == "is_new" || read.key == "email")) continue;
    if (!reported.insert({read.line, read.key}).second) continue;
    std::string table = !read.local.empty() ? read.local
                        : read.object == 0  ? std::string("state")
                                            : object.path;
    bool list = object.path.size() > 2 && object.path.substr(object.path.size() - 2) == "[]";
    std::string owner = read.object == 0
                            ? "the partner state has"
                            : "the partner state's " + object.path + (list ? " have" : " has");
    found.push_back({read.line, read.key,
                     table + "." + read.key + ": " + owner + " no field '" + read.key + "'" +
                         DidYouMean(read.key, object.FieldNames()),
                     "unknown-state-field"});
  }
  for (const FieldAccess& access : FieldAccesses(chunk)) {
    if (access.kind != FieldAccess::Kind::kFieldRead || known_.count(access.name) != 0 ||
        not_state_.count(access.object) != 0 ||
        !reported.insert({access.line, access.name}).second) {
      continue;
    }
    if (access.object == "req") {  // decide's request: its fields are the actions' parameters
      std::vector<std::string> names = {"action", "actor"};
      for (const RequestField& field : request_.fields) names.push_back(field.name);
      found.push_back({access.line, access.name,
                       "req." + access.name + ": no action has a parameter '" + access.name + "'" +
                           DidYouMean(access.name, names),
                       "unknown-state-field"});
      continue;
    }
    std::string table = access.object.empty() ? "" : access.object + ".";
    found.push_back({access.line, access.name,
                     table + access.name + ": no object of the partner state has a field '" +
                         access.name + "', and no policy or helper library sets one" +
                         DidYouMean(access.name, shape_.field_names),
                     "unknown-state-field"});
  }
  return found;
}

// What policy_runtime.cc sets (PushContext, CheckTrampoline, AlertsTrampoline;
// docs/policy-api.md). Reading another field gives nil, which a comparison takes silently:
// `ctx.as_off < credit.end_day` raises, but `if ctx.horizn then` just never holds.
const std::vector<std::string>& ContextFields() {
  static const std::vector<std::string> fields = {"params", "as_of", "report", "alert", "horizon"};
  return fields;
}

std::vector<UnknownFieldRead> UnknownContextReads(const ChunkFunction& chunk) {
  const std::vector<std::string>& fields = ContextFields();
  std::string listed;  // "params, as_of, ...", the same in every message
  for (const std::string& field : fields) listed += (listed.empty() ? "" : ", ") + field;
  std::vector<UnknownFieldRead> found;
  std::set<std::pair<int, std::string>> reported;
  for (const FieldAccess& access : FieldAccesses(chunk)) {
    if (access.kind != FieldAccess::Kind::kFieldRead || access.object != "ctx" ||
        std::find(fields.begin(), fields.end(), access.name) != fields.end() ||
        !reported.insert({access.line, access.name}).second) {
      continue;
    }
    std::string closest = Closest(access.name, fields);
    found.push_back({access.line, access.name,
                     "ctx." + access.name + ": ctx has no field '" + access.name + "' (it has " +
                         listed + ")" +
                         (closest.empty() ? "" : "; did you mean '" + closest + "'?"),
                     "unknown-ctx-field"});
  }
  return found;
}

}  // namespace partnerpolicy
