// The checks loading and lint share (load_checks.h). Places in Lua text come from LintedFile over
// the chunk listing (lua/chunk_listing.h); a file is listed only when an error needs a place.
#include "load_checks.h"

#include <algorithm>

namespace partnerpolicy {
namespace {

// The token a Lua syntax error names: "unexpected symbol near '}'" gives "}"; "" when none is
// quoted ("near <eof>").
std::string NearToken(const std::string& message) {
  const std::string near = " near '";
  size_t from = message.rfind(near);
  if (from == std::string::npos) return "";
  from += near.size();
  size_t to = message.rfind('\'');
  return to > from ? message.substr(from, to - from) : "";
}

const PolicyText* FindText(const std::vector<PolicyText>& texts, const std::string& file) {
  for (const PolicyText& text : texts) {
    if (text.display_path == file) return &text;
  }
  return nullptr;
}

}  // namespace

LintedFile ListedFile(const PolicyText& text) {
  LintedFile file(text);
  Result<ChunkFunction> chunk = ListChunk(text);
  if (chunk.ok()) {
    file.chunk = chunk.take();
    file.table = FindReturnedTable(*file.chunk);
  }
  return file;
}

void PlaceLuaError(const LintedFile& file, Error& error) {
  if (error.where.file != file.path() || error.where.line < 1 || error.where.column > 0) return;
  int column = 0;
  std::string token = NearToken(error.message);
  if (!token.empty()) {
    int first = file.TextColumn(error.where.line, token);
    if (first > 0 && file.TextColumn(error.where.line, token, static_cast<size_t>(first)) == 0) {
      column = first;
    }
  }
  // Lua reports a runtime error (and most syntax errors) by line only: the first non-blank
  // column of that line is the nearest place that is certainly right.
  error.where.column = column > 0 ? column : file.FirstColumn(error.where.line);
}

void PlaceLuaErrors(const std::vector<const std::vector<PolicyText>*>& texts, Errors& errors) {
  for (Error& error : errors) {
    if (error.where.line < 1 || error.where.column > 0) continue;
    for (const std::vector<PolicyText>* list : texts) {
      if (const PolicyText* text = FindText(*list, error.where.file)) {
        PlaceLuaError(LintedFile(*text), error);
        break;
      }
    }
  }
}

Error MetadataError(const LintedFile& file, const MetadataProblem& problem) {
  std::vector<std::string> path;
  if (!problem.field.empty()) path.push_back(problem.field);
  if (!problem.key.empty()) path.push_back(problem.key);
  return Error::InvalidPolicy(file.FieldLocation(path), problem.message);
}

Error DuplicateRuleIdError(const LintedFile& file, const std::string& id,
                           const SourceLocation& first) {
  return Error::InvalidPolicy(file.FieldLocation({"id"}),
                              "rule id '" + id + "' is already declared by " + first.file + ":" +
                                  std::to_string(first.line));
}

Error UndeclaredActionError(const LintedFile& file, const std::string& action,
                            const std::filesystem::path& actions_file) {
  return Error::InvalidPolicy(file.FieldLocation({"decide", action}),
                              "decides '" + action + "', which " +
                                  actions_file.lexically_normal().string() + " does not declare");
}

SourceLocation EffectLocation(const LintedFile& file, const EffectInfo& effect) {
  return file.At(effect.line, file.KeyColumn(effect.line, effect.action));
}

Errors CheckEffects(const ActionCatalog& catalog, const std::vector<EffectInfo>& effects,
                    const std::filesystem::path& dir, const std::vector<PolicyText>& effect_texts,
                    bool every_file_loaded) {
  Errors errors;
  const std::string actions_file = (dir / "actions.toml").lexically_normal().string();
  for (const ActionSpec& spec : catalog.actions) {
    if (!every_file_loaded) break;
    bool found = std::any_of(effects.begin(), effects.end(),
                             [&](const EffectInfo& e) { return e.action == spec.name; });
    if (found) continue;
    SourceLocation where = spec.where;
    if (where.file.empty()) where.file = actions_file;
    errors.push_back(Error::InvalidPolicy(
        where, "action '" + spec.name + "' has no effect: give it one in a file of " +
                   (dir / "effects").lexically_normal().string() +
                   "/ (an empty list of operations when it changes nothing recorded)"));
  }
  for (const EffectInfo& effect : effects) {
    if (catalog.Find(effect.action) != nullptr) continue;
    const PolicyText* text = FindText(effect_texts, effect.file);
    SourceLocation where = text != nullptr ? EffectLocation(LintedFile(*text), effect)
                                           : SourceLocation{effect.file, effect.line, 0, ""};
    errors.push_back(Error::InvalidPolicy(where, "an effect for '" + effect.action + "', which " +
                                                     actions_file + " does not declare"));
  }
  return errors;
}

}  // namespace partnerpolicy
