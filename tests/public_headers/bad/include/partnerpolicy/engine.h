// A public header that includes a third-party and an internal header and hands out a
// third-party type (tools/check_public_headers.py must name each line). Naming nlohmann::json in
// a comment is fine; in the code it is not.
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "evaluator_internal.h"

namespace partnerpolicy {

// The policy set's settings as JSON.
nlohmann::json SettingsJson();

}  // namespace partnerpolicy
