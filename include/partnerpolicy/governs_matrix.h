// Which rule governs which action. Each rule declares the parts of the partner state whose values
// or changes it limits (`constrains` in its rule table, PolicyInfo::constrains); each action the
// parts its effect may change (`touches` in actions.toml, ActionSpec::touches). Where an action
// touches what a rule constrains, the rule must have its say on the action: decide it
// (`decide[action]`), or state in one line why it has nothing to say (`no_say[action]`). A rule
// that decides an action only to inform (it never denies it: facts on an allowed action) says so,
// with why, in `informs[action]`; the engine refuses a denial of such an action. A pair
// with neither is unexplained: the rule may let the action break what it protects, and `lint`
// reports it (ungoverned-action). `partnerpolicy rules --matrix` prints the whole table.
//
// A part of the state is named "<collection>.<field>" ("credits.assignments": that field of every
// element of a top-level list; "partner.membership": a field of the partner), or by the
// collection alone ("users": every field of its elements, and elements added or removed).
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "partnerpolicy/action_catalog.h"
#include "partnerpolicy/policy.h"
#include "partnerpolicy/state_shape.h"

namespace partnerpolicy {

// Why `name` cannot name a part of the state, or nullopt when its form is right: one or two
// words of lower-case letters, digits and '_', joined by a dot. Shared by loading (policy
// metadata, actions.toml) and lint, so both say it the same way.
std::optional<std::string> StateFieldFormProblem(std::string_view name);

// Why `name` (of the right form) names no part of `shape`, with the closest name, in the words of
// lint's unknown-state-field ("credits.stauts: the partner state's credits[] have no field
// 'stauts' (did you mean 'status'?)"); nullopt when it does. The collection must be a top-level
// list of objects or an object (partner).
std::optional<std::string> UnknownStateFieldProblem(std::string_view name, const StateShape& shape);

// The parts both lists name, each as the narrower of the two names that meet ("credits" and
// "credits.status" share "credits.status"; "users" and "users" share "users"), sorted, unique.
std::vector<std::string> SharedFields(const std::vector<std::string>& touches,
                                      const std::vector<std::string>& constrains);

// The part of the partner state a JSON Patch path changes, in the names `touches` uses: an
// element's field of a top-level list ("/credits/2/assignments/-" -> "credits.assignments"), a
// list's elements ("/users/-", "/users/3" -> "users"), or a field of an object ("/partner/
// membership/end" -> "partner.membership"). Empty for the whole document.
std::string StatePartChangedAt(std::string_view pointer);

// Whether an action that declares `touches` may change `part` (StatePartChangedAt): touches
// names it or its whole collection.
bool TouchesCover(const std::vector<std::string>& touches, std::string_view part);

// How a rule stands to an action.
enum class Say {
  kDecides,      // the rule decides the action (whatever they share)
  kInforms,      // the rule decides the action only to inform, never denying it, and says why
  kNoSay,        // the rule gives a reason for having no say on it
  kUnexplained,  // the action touches what the rule constrains, and the rule does neither
};
const char* SayName(Say say);  // "decides", "informs", "no say", "unexplained"

struct GovernsCell {
  const PolicyInfo* rule = nullptr;
  Say say = Say::kDecides;
  const std::string* reason = nullptr;  // kNoSay, kInforms: the rule's reason
  std::vector<std::string> shared;      // what the action touches and the rule constrains
};

struct GovernsRow {
  const ActionSpec* action = nullptr;
  // The rules that decide the action (or inform on it), give a reason for not deciding it, or
  // leave it unexplained, by rule id; a rule with none of these (nothing shared) is not listed.
  std::vector<GovernsCell> cells;
};

struct GovernsMatrix {
  std::vector<GovernsRow> rows;  // one per action, by name
  size_t unexplained() const;
};

// The matrix of `actions` and `rules` (both outlive it). A rule that both decides an action and
// gives a reason for not deciding it counts as deciding it (lint warns about the reason).
GovernsMatrix BuildGovernsMatrix(const ActionCatalog& actions,
                                 const std::vector<const PolicyInfo*>& rules);

}  // namespace partnerpolicy
