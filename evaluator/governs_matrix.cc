// The governs matrix: names of parts of the state, their overlap, and the table of actions and
// rules (governs_matrix.h).
#include "partnerpolicy/governs_matrix.h"

#include <algorithm>

#include "partnerpolicy/source_index.h"

namespace partnerpolicy {
namespace {

bool IsWordChar(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; }

bool IsWord(std::string_view word) {
  return !word.empty() && word[0] >= 'a' && word[0] <= 'z' &&
         std::all_of(word.begin(), word.end(), IsWordChar);
}

// "credits.status" -> {"credits", "status"}; "users" -> {"users", ""}.
std::pair<std::string_view, std::string_view> Split(std::string_view name) {
  size_t dot = name.find('.');
  if (dot == std::string_view::npos) return {name, {}};
  return {name.substr(0, dot), name.substr(dot + 1)};
}

// " (did you mean 'x'?)" with the closest candidate, or nothing when none is close.
std::string DidYouMean(std::string_view wanted, const std::vector<std::string>& candidates) {
  std::string closest = Closest(wanted, candidates);
  return closest.empty() ? "" : " (did you mean '" + closest + "'?)";
}

}  // namespace

std::optional<std::string> StateFieldFormProblem(std::string_view name) {
  auto [collection, field] = Split(name);
  bool two_words = name.find('.') != std::string_view::npos;
  if (IsWord(collection) && (!two_words || IsWord(field))) return std::nullopt;
  return "'" + std::string(name) +
         "' is no part of the partner state: write <collection>.<field> (\"credits.status\", "
         "\"partner.membership\") or a whole collection (\"users\")";
}

std::optional<std::string> UnknownStateFieldProblem(std::string_view name,
                                                    const StateShape& shape) {
  if (shape.objects.empty()) return std::nullopt;
  auto [collection, field] = Split(name);
  const StateObject& root = shape.objects[0];
  std::vector<std::string> collections;
  for (const StateField& f : root.fields) {
    if (f.holds == StateField::Holds::kObject || f.holds == StateField::Holds::kObjectList) {
      collections.push_back(f.name);
    }
  }
  const StateField* top = root.Find(collection);
  if (top == nullptr || top->object < 0) {
    return std::string(name) + ": the partner state has no collection '" + std::string(collection) +
           "'" + DidYouMean(collection, collections);
  }
  if (field.empty()) return std::nullopt;
  const StateObject& object = shape.objects[top->object];
  if (object.Find(field) != nullptr) return std::nullopt;
  bool list = top->holds == StateField::Holds::kObjectList;
  return std::string(name) + ": the partner state's " + object.path + (list ? " have" : " has") +
         " no field '" + std::string(field) + "'" + DidYouMean(field, object.FieldNames());
}

std::string StatePartChangedAt(std::string_view pointer) {
  std::vector<std::string> tokens;
  size_t at = 0;
  while (at < pointer.size() && pointer[at] == '/') {
    size_t next = pointer.find('/', at + 1);
    std::string token(pointer.substr(
        at + 1, next == std::string_view::npos ? std::string_view::npos : next - at - 1));
    // RFC 6901 escapes; no state name has them, but a pointer may.
    for (size_t i = 0; (i = token.find('~', i)) != std::string::npos; ++i) {
      token.replace(i, 2, i + 1 < token.size() && token[i + 1] == '1' ? "/" : "~");
    }
    tokens.push_back(std::move(token));
    if (next == std::string_view::npos) break;
    at = next;
  }
  if (tokens.empty()) return "";
  if (tokens.size() == 1) return tokens[0];
  const std::string& second = tokens[1];
  bool element = second == "-" ||
                 (!second.empty() && std::all_of(second.begin(), second.end(),
                                                 [](char c) { return c >= '0' && c <= '9'; }));
  if (!element) return tokens[0] + "." + second;  // a field of an object such as partner
  if (tokens.size() == 2) return tokens[0];       // an element added, replaced or removed
  return tokens[0] + "." + tokens[2];
}

bool TouchesCover(const std::vector<std::string>& touches, std::string_view part) {
  std::string_view collection = part.substr(0, part.find('.'));
  return std::any_of(touches.begin(), touches.end(), [&](const std::string& touched) {
    return touched == part || touched == collection;
  });
}

std::vector<std::string> SharedFields(const std::vector<std::string>& touches,
                                      const std::vector<std::string>& constrains) {
  std::vector<std::string> shared;
  for (const std::string& touched : touches) {
    auto [touched_collection, touched_field] = Split(touched);
    for (const std::string& constrained : constrains) {
      auto [constrained_collection, constrained_field] = Split(constrained);
      if (touched_collection != constrained_collection) continue;
      if (touched_field.empty()) {
        shared.push_back(constrained);
      } else if (constrained_field.empty() || constrained_field == touched_field) {
        shared.push_back(touched);
      }
    }
  }
  std::sort(shared.begin(), shared.end());
  shared.erase(std::unique(shared.begin(), shared.end()), shared.end());
  return shared;
}

const char* SayName(Say say) {
  switch (say) {
    case Say::kDecides:
      return "decides";
    case Say::kInforms:
      return "informs";
    case Say::kNoSay:
      return "no say";
    case Say::kUnexplained:
      return "unexplained";
  }
  return "";
}

size_t GovernsMatrix::unexplained() const {
  size_t count = 0;
  for (const GovernsRow& row : rows) {
    count +=
        static_cast<size_t>(std::count_if(row.cells.begin(), row.cells.end(), [](const auto& c) {
          return c.say == Say::kUnexplained;
        }));
  }
  return count;
}

GovernsMatrix BuildGovernsMatrix(const ActionCatalog& actions,
                                 const std::vector<const PolicyInfo*>& rules) {
  std::vector<const PolicyInfo*> by_id = rules;
  std::stable_sort(by_id.begin(), by_id.end(),
                   [](const PolicyInfo* a, const PolicyInfo* b) { return a->id < b->id; });
  GovernsMatrix matrix;
  for (const ActionSpec& action : actions.actions) {
    GovernsRow& row = matrix.rows.emplace_back();
    row.action = &action;
    for (const PolicyInfo* rule : by_id) {
      GovernsCell cell;
      cell.rule = rule;
      cell.shared = SharedFields(action.touches, rule->constrains);
      if (rule->Governs(action.name)) {
        cell.reason = rule->InformsReason(action.name);
        cell.say = cell.reason != nullptr ? Say::kInforms : Say::kDecides;
      } else if ((cell.reason = rule->NoSayReason(action.name)) != nullptr) {
        cell.say = Say::kNoSay;
      } else if (!cell.shared.empty()) {
        cell.say = Say::kUnexplained;
      } else {
        continue;
      }
      row.cells.push_back(std::move(cell));
    }
  }
  std::sort(matrix.rows.begin(), matrix.rows.end(), [](const GovernsRow& a, const GovernsRow& b) {
    return a.action->name < b.action->name;
  });
  return matrix;
}

}  // namespace partnerpolicy
