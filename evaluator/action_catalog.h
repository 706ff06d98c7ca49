// The actions `partnerpolicy can` decides and the parameters each takes (policies/actions.toml).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace partnerpolicy {

struct ActionParam {
  std::string name;        // as typed on the command line, e.g. "key-licenses"
  std::string entity;      // top-level collection the value is an id of ("credits"); or empty
  std::string type;        // when not an entity: "integer", "date" or "string"
  bool new_email = false;  // users only: an e-mail address not in the state is accepted
  bool optional = false;
  std::string help;
};

enum class ActorRule { kOptional, kRequired };

struct ActionSpec {
  std::string name;  // "credit.reassign"
  std::string summary;
  std::string example;  // arguments after the action name
  ActorRule actor = ActorRule::kOptional;
  std::vector<ActionParam> params;  // in declaration order
};

struct ActionCatalog {
  std::vector<ActionSpec> actions;  // sorted by name

  const ActionSpec* Find(std::string_view name) const;
};

}  // namespace partnerpolicy
