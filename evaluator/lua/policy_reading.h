// What loading a policy set into the Lua runtime finds: each policy's metadata and its problems,
// each action's effect, the libraries and effects files that did not load, and the names a
// policy may read. Plain data, read by the runtime's pieces (runtime_internals.h) and by its
// users through policy_runtime.h.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "partnerpolicy/policy.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// A problem with a policy's metadata, and the field it concerns: `field` is a field of the rule
// table ("title"; "" for the table as a whole), `key` a key inside it ("section" of "source", a
// parameter's name in "params", an action in "decide") or empty.
struct MetadataProblem {
  std::string field;
  std::string key;
  std::string message;         // e.g. "'title' is required and must be a non-empty string"
  bool unknown_field = false;  // `field` is not a field a rule table may have
};

// One policy as PolicyRuntime::Read found it.
struct PolicyReading {
  PolicyInfo info;                        // what could be read (id empty when unreadable)
  std::vector<MetadataProblem> problems;  // missing, malformed or unknown metadata
  std::optional<Error> failure;           // the chunk did not compile or run (file:line)
};

struct PolicyReadings {
  std::vector<PolicyReading> policies;    // in the order given
  Errors library_errors;                  // helper libraries that did not load
  Errors effect_errors;                   // effects files that did not load
  std::vector<EffectInfo> effects;        // of the files that loaded, sorted by action
  std::vector<std::string> global_names;  // what a policy may read as a global, sorted
  // The fields of those globals that are tables, and of the helper libraries, as dotted names
  // ("math.floor", "pp.allow", "lib.text", "lib.text.join"), sorted.
  std::vector<std::string> global_fields;
};

}  // namespace partnerpolicy
