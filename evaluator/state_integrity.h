// Checks a schema-valid partner state for what a schema cannot say: ids unique within each
// collection, every reference naming an entity that exists, e-mail addresses of the form
// local@domain.
#pragma once

#include "document.h"
#include "status.h"

namespace partnerpolicy {

// Every problem found, in document order; empty when the state is consistent.
// REQUIRES: doc passed the partner-state schema (collections are arrays of objects).
Errors CheckStateIntegrity(const Document& doc);

}  // namespace partnerpolicy
