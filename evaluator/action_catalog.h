// The actions `partnerpolicy can` decides and the parameters each takes (policies/actions.toml).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "status.h"

namespace partnerpolicy {

struct ActionParam {
  std::string name;        // as typed on the command line, e.g. "key-licenses"
  std::string entity;      // top-level collection the value is an id of ("credits"); or empty
  std::string type;        // when not an entity: "integer", "date" or "string"
  bool new_email = false;  // users only: an e-mail address not in the state is accepted
  bool allow_new = false;  // the word "new" names an entity the action would create
  bool list = false;       // several ids, comma-separated
  bool subject = false;    // the entity the action is about (see ActionSpec::subject)
  bool optional = false;   // the action can be done without it
  std::string help;
};

enum class ActorRule { kOptional, kRequired };

struct ActionSpec {
  std::string name;  // "credit.reassign"
  std::string summary;
  std::string example;  // arguments after the action name
  ActorRule actor = ActorRule::kOptional;
  std::vector<ActionParam> params;  // sorted by name
  SourceLocation where;             // its table in actions.toml

  // The parameter naming the entity the action is about: `partnerpolicy actions` lists the action
  // under each entity of its collection, and every request must give it. nullptr for actions on
  // the partner organisation itself (membership, verification). Every other parameter may be
  // left out of a request, which then asks about any value.
  const ActionParam* subject() const;
};

struct ActionCatalog {
  std::vector<ActionSpec> actions;  // sorted by name

  const ActionSpec* Find(std::string_view name) const;
};

}  // namespace partnerpolicy
