// A policy, library or effects file as the runtime and the analyses take it: its text and the
// name messages give it. Plain data with no dependency, so that the runtime (lua/), the chunk
// analyses and coverage can all name it without including one another.
#pragma once

#include <string>

namespace partnerpolicy {

// A policy file's text and the name used in messages ("policies/credits/x.lua").
struct PolicyText {
  std::string display_path;
  std::string text;
};

}  // namespace partnerpolicy
