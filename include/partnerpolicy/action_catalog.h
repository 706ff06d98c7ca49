// The actions `partnerpolicy can` decides and the parameters each takes (policies/actions.toml).
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/status.h"

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
  // Left open, it does not stop the action's effect: the effect chooses a value that meets what
  // the rules ask of it (a product key never redeemed), and plan applies that. Other open
  // parameters make the effect an error, since the state after the action depends on them.
  bool chosen_by_effect = false;
  std::string help;
};

enum class ActorRule { kOptional, kRequired };

struct ActionSpec {
  std::string name;  // "credit.reassign"
  std::string summary;
  std::string example;  // arguments after the action name
  ActorRule actor = ActorRule::kOptional;
  std::vector<ActionParam> params;  // sorted by name
  // The parts of the partner state the action's effect may change ("credits.assignments";
  // "users" when it may add or remove users: see governs_matrix.h), as declared, each with
  // where it is written in actions.toml. declares_touches is false when the action has no
  // `touches` key (loading accepts that; lint does not); `touches = []` declares no effect.
  std::vector<std::string> touches;
  std::vector<SourceLocation> touches_where;  // same size as touches
  bool declares_touches = false;
  SourceLocation where;  // the action's table header in actions.toml

  // The parameter naming the entity the action is about: `partnerpolicy actions` lists the action
  // under each entity of its collection, and every request must give it. nullptr for actions on
  // the partner organisation itself (membership, verification). Every other parameter may be
  // left out of a request, which then asks about any value.
  const ActionParam* subject() const;
};

struct ActionCatalog {
  std::vector<ActionSpec> actions;  // sorted by name

  // The action of that name, or nullptr; points into `actions`.
  const ActionSpec* Find(std::string_view name) const;
};

}  // namespace partnerpolicy
