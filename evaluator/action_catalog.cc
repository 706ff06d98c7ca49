// Looking actions up by name.
#include "action_catalog.h"

namespace partnerpolicy {

const ActionSpec* ActionCatalog::Find(std::string_view name) const {
  for (const ActionSpec& spec : actions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

}  // namespace partnerpolicy
