// Checks that the fields of a partner state which describe the same fact agree: a count and the
// list it counts, a status and the history or dates that record it, a balance and its amount,
// two dates that must come in order, two entities that name each other. A rule reads one of
// them; when the other says the opposite, the rule would decide on half the story, so such a
// state is refused when it loads (docs/state-format.md, "Consistency checked by the host").
//
// Each problem names both places: the error's location is the first (file:line:col and JSON
// pointer), its message gives the JSON pointer of the second and what it says.
#pragma once

#include "partnerpolicy/document.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// Every contradiction found, in no particular order (CheckStateIntegrity sorts its errors).
// REQUIRES: doc passed the partner-state schema. References that name no entity are skipped
// here: CheckStateIntegrity reports them.
Errors CheckStateConsistency(const Document& doc);

}  // namespace partnerpolicy
