// Looking actions up by name.
#include "partnerpolicy/action_catalog.h"

namespace partnerpolicy {

const ActionSpec* ActionCatalog::Find(std::string_view name) const {
  for (const ActionSpec& spec : actions) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

const ActionParam* ActionSpec::subject() const {
  for (const ActionParam& param : params) {
    if (param.subject) return &param;
  }
  return nullptr;
}

}  // namespace partnerpolicy
