// Checks a schema-valid partner state for what a schema cannot say: ids unique within each
// collection, every reference naming an entity that exists, dates that are calendar days,
// e-mail addresses of the form local@domain, and fields that must agree agreeing
// (CheckStateConsistency).
#pragma once

#include "partnerpolicy/document.h"
#include "partnerpolicy/status.h"

namespace partnerpolicy {

// Every problem found, in document order; empty when the state is consistent.
// REQUIRES: doc passed the partner-state schema (collections are arrays of objects).
Errors CheckStateIntegrity(const Document& doc);

}  // namespace partnerpolicy
