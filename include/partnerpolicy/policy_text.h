// A policy, library or effects file as the runtime and the analyses take it: its text and the
// name messages give it. Plain data depending only on the catalog's plain data, so that the runtime
// (lua/), the chunk analyses and coverage can all name it without including one another.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "partnerpolicy/message_catalog.h"

namespace partnerpolicy {

// A policy file's text and the name used in messages ("policies/credits/x.lua").
struct PolicyText {
  PolicyText() = default;
  PolicyText(std::string path, std::string lua, std::shared_ptr<const MessageCatalog> catalog = {})
      : display_path(std::move(path)), text(std::move(lua)), messages(std::move(catalog)) {}

  std::string display_path;
  std::string text;
  // The catalog beside the file (x.messages.toml for x.lua), or nullptr when it has none.
  std::shared_ptr<const MessageCatalog> messages;
};

}  // namespace partnerpolicy
