// Which fields of the partner state a policy's code reads, and from which kind of object, found
// in its compiled chunk without running it (`partnerpolicy lint`, check unknown-state-field).
//
// A value-flow analysis over each function's instructions follows values from where they are
// known to come from through locals and temporaries, field reads (`credit.assignments`),
// indexing (`state.credits[1]`), `for ... in ipairs(list)` and `pairs(list)` loops and
// `pp.find(list, id)`. Paths through the function are joined: a register holds a known kind of
// object at an instruction only when it does on every path that reaches it. Values are known
// where they enter a function:
//   - a parameter or upvalue named `state` is the partner state, as in check(state, ctx),
//     alerts(state, ctx), decide's (req, state, ctx) and the helpers policies pass it to;
//   - a parameter or upvalue named `req` is a decide request: req.actor is a user, and req.X the
//     entity that the actions' parameter X names (RequestShape).
// Anything else is unknown, and reads from it are not listed: a value a helper library returns,
// one kept in a table of the policy's own, a closure's other upvalues, a parameter of another
// name. The names are this project's convention (docs/policy-api.md), not something Lua checks.
#pragma once

#include <string>
#include <vector>

#include "lua/chunk_listing.h"
#include "partnerpolicy/state_shape.h"

namespace partnerpolicy {

// One field of decide's `req`, named as policies read it (`key_licenses` for the parameter
// key-licenses).
struct RequestField {
  std::string name;
  int object = -1;          // the StateShape object kind of the entity, -1 when not an entity
                            // or when actions disagree about what the parameter is
  bool list = false;        // a list of such entities (`list = true`)
  bool may_be_new = false;  // may also be { is_new = true, email = ... } (`new`, `new_email`)
};
struct RequestShape {
  std::vector<RequestField> fields;
  int actor = -1;  // the object kind of req.actor (a user), -1 when unknown
};

struct StateFieldRead {
  int line = 0;
  std::string key;  // the field read
  // How the code names the table: the local or upvalue holding it ("credit"), else "".
  std::string local;
  int object = -1;          // the StateShape object kind read from
  bool may_be_new = false;  // the table may be a request's new entity instead
};

// Every read of a field named by a constant (`t.x`, `t["x"]`, `t:x(...)`) from a value known to
// be an object of the partner state, in every function of the chunk (the chunk first, then its
// functions depth-first), each function's in instruction order. Reads of fields the object
// kind lacks are listed too: finding them is the point.
std::vector<StateFieldRead> StateFieldReads(const ChunkFunction& chunk, const StateShape& shape,
                                            const RequestShape& request);

}  // namespace partnerpolicy
