// Lint checks of the fields a policy's code reads that cannot exist: fields the partner state
// does not have (unknown-state-field, against its JSON Schema) and fields of ctx the host does
// not set (unknown-ctx-field). Both read compiled chunks (lua/chunk_listing.h,
// lua/state_reads.h), never run them; policy_lint.cc places the problems at their column and
// documents what each check can and cannot see.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "lua/chunk_listing.h"
#include "lua/policy_runtime.h"
#include "lua/state_reads.h"
#include "partnerpolicy/action_catalog.h"
#include "partnerpolicy/state_shape.h"

namespace partnerpolicy {

// A read of a field that does not exist: the line of the chunk, the field's name (the linter
// finds its column on that line), what is wrong in domain words, and the check's name.
struct UnknownFieldRead {
  int line = 0;
  std::string name;
  std::string message;
  const char* check = "";
};

// unknown-state-field over one policy directory. Reads of a value traced to an object of the
// state are checked against that kind of object; reads from tables of unknown origin only
// against every name that is no mistake to read anywhere (below), so a policy's own tables are
// not flagged.
class StateFieldCheck {
 public:
  // `actions` (null when actions.toml did not load) gives what decide's req holds; `readings`
  // the sandbox's globals and their fields; `libraries` the names helper libraries go by
  // (lib.<name>); `chunks` every loaded policy and library, whose field writes are known names.
  StateFieldCheck(StateShape shape, const ActionCatalog* actions, const PolicyReadings& readings,
                  const std::vector<std::string>& libraries,
                  const std::vector<const ChunkFunction*>& chunks);

  // The reads in `chunk` of fields that do not exist, each (line, field) once.
  std::vector<UnknownFieldRead> Check(const ChunkFunction& chunk) const;

 private:
  StateShape shape_;
  RequestShape request_;
  // Names a read may use on a table of unknown origin: every field of the state, every field a
  // policy or library writes (its own tables, the rule table, ctx.report's argument), the
  // fields of the sandbox's tables (string.format, pp.find, lib.text.join), and what the host
  // puts in ctx and req (docs/policy-api.md).
  std::set<std::string> known_;
  // Tables whose fields are no state fields (unknown ones are other checks' business): ctx and
  // its params, the sandbox's libraries and the helper libraries.
  std::set<std::string> not_state_;
};

// The fields of the ctx the host passes to check (params, as_of, report), alerts (params, as_of,
// alert, horizon) and decide (params, as_of), each once: params, as_of, report, alert, horizon.
// policies/types/policy_api.lua declares the same (tests/editor_support_test.cc).
const std::vector<std::string>& ContextFields();

// unknown-ctx-field: reads of ctx.X where the ctx the host passes to check, alerts and decide
// has no X (it has params, as_of, report, alert and horizon). ctx is known by its name, which
// every policy gives it (docs/policy-api.md); a function that names it otherwise is not checked.
std::vector<UnknownFieldRead> UnknownContextReads(const ChunkFunction& chunk);

}  // namespace partnerpolicy
