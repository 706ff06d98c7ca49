// The lint checks over one policy directory. Uses the chunk listing for code facts and lines,
// PolicyRuntime::Read for declared metadata, policy_config for the TOML files, source_index
// for the cited sections and field_read_checks for the fields read. Columns are found in the
// text, since bytecode records lines only.
#include "partnerpolicy/policy_lint.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>
#include <tuple>

#include "catalog_lint.h"
#include "field_read_checks.h"
#include "linted_file.h"
#include "load_checks.h"
#include "lua/chunk_listing.h"
#include "partnerpolicy/engine.h"
#include "partnerpolicy/governs_matrix.h"
#include "partnerpolicy/policy_config.h"
#include "partnerpolicy/source_index.h"
#include "partnerpolicy/state_shape.h"

namespace partnerpolicy {
namespace {

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

// "; did you mean 'x'?" with the closest candidate, or nothing when none is close.
std::string DidYouMean(std::string_view wanted, const std::vector<std::string>& candidates) {
  std::string closest = Closest(wanted, candidates);
  return closest.empty() ? "" : "; did you mean '" + closest + "'?";
}

class Linter {
 public:
  explicit Linter(LintReport& report) : report_(report) {}

  void Add(SourceLocation where, Severity severity, std::string message, const char* check) {
    report_.problems.push_back(LintProblem{std::move(where), severity, std::move(message), check});
  }
  void AddError(SourceLocation where, std::string message, const char* check) {
    Add(std::move(where), Severity::kError, std::move(message), check);
  }

  // An error of the evaluator (TOML files, load failures) as a problem at its place.
  void FromError(const Error& error, const char* check, const LintedFile* file = nullptr) {
    SourceLocation where = error.where;
    if (file != nullptr && where.file == file->path() && where.column == 0) {
      where = file->At(where.line);
    }
    if (where.line < 1) where.line = 1;
    if (where.column < 1) where.column = 1;
    std::string message = error.message;
    if (!where.pointer.empty()) message += " (at " + where.pointer + ")";
    where.pointer.clear();
    AddError(std::move(where), std::move(message), check);
  }

  // Compiles the file; a syntax error is its one problem.
  bool Compile(LintedFile& file) {
    Result<ChunkFunction> chunk = ListChunk(file.text());
    if (!chunk.ok()) {
      Error error = chunk.errors()[0];
      PlaceLuaError(file, error);  // as loading places it
      FromError(error, "load", &file);
      return false;
    }
    file.chunk = chunk.take();
    file.table = FindReturnedTable(*file.chunk);
    return true;
  }

  // Global writes and reads of globals the sandbox lacks; returns the lines reported.
  std::set<int> CheckGlobals(const LintedFile& file, const std::vector<std::string>& global_names) {
    std::set<int> lines;
    std::set<std::pair<int, std::string>> reported;
    for (const FieldAccess& access : FieldAccesses(*file.chunk)) {
      if (!reported.insert({access.line, access.name}).second) continue;
      if (access.kind == FieldAccess::Kind::kGlobalWrite) {
        AddError(file.AtName(access.line, access.name),
                 "assignment to global '" + access.name +
                     "': declare it local (policies may not create globals)",
                 "global-write");
      } else if (access.kind == FieldAccess::Kind::kGlobalRead &&
                 !std::binary_search(global_names.begin(), global_names.end(), access.name)) {
        AddError(file.AtName(access.line, access.name),
                 "read of undefined global '" + access.name +
                     "': it is no local in scope, and the sandbox's globals are " +
                     Join(global_names),
                 "undefined-global");
      } else {
        continue;
      }
      lines.insert(access.line);
    }
    return lines;
  }

  // A chunk that raised while loading: one problem. When the chunk's own code at that line
  // writes or reads a global it may not (what makes a chunk raise most often), that problem says
  // it better than the Lua error.
  void LoadFailure(const LintedFile& file, const Error& failure,
                   const std::vector<std::string>& global_names) {
    std::set<int> lines = CheckGlobals(file, global_names);
    if (failure.where.file != file.path() || lines.count(failure.where.line) == 0) {
      FromError(failure, "load", &file);
    }
  }

  void CheckMetadata(const LintedFile& file, const PolicyReading& reading) {
    for (const MetadataProblem& problem : reading.problems) {
      FromError(MetadataError(file, problem), problem.unknown_field ? "unknown-field" : "metadata");
    }
  }

  // Declared parameters against the fields the code reads.
  void CheckParams(const LintedFile& file, const PolicyReading& reading) {
    for (const MetadataProblem& problem : reading.problems) {
      if (problem.field == "params") return;  // reported as metadata; names unreliable
    }
    const PolicyInfo& info = reading.info;
    std::vector<FieldAccess> accesses = FieldAccesses(*file.chunk);
    std::set<std::string> read;
    for (const FieldAccess& access : accesses) {
      if (access.kind == FieldAccess::Kind::kFieldRead) read.insert(access.name);
    }
    for (const Parameter& param : info.params) {
      if (read.count(param.name) != 0) continue;
      Add(file.FieldLocation({"params", param.name}), Severity::kWarning,
          "parameter '" + param.name + "' is declared but no code reads it (ctx.params." +
              param.name + ")",
          "unused-param");
    }
    std::vector<std::string> declared;
    for (const Parameter& param : info.params) declared.push_back(param.name);
    std::set<std::pair<int, std::string>> reported;
    for (const FieldAccess& access : accesses) {
      if (access.kind != FieldAccess::Kind::kFieldRead || access.object != "params" ||
          info.FindParam(access.name) != nullptr ||
          !reported.insert({access.line, access.name}).second) {
        continue;
      }
      std::string hint = declared.empty()
                             ? "it declares none"
                             : "declared: " + Join(declared) + DidYouMean(access.name, declared);
      AddError(file.AtName(access.line, access.name),
               "params." + access.name + " is read but the policy does not declare '" +
                   access.name + "' in params (" + hint + ")",
               "undeclared-param");
    }
  }

  // unknown-state-field and unknown-ctx-field (field_read_checks.h), at their columns.
  void AddUnknownFieldReads(const LintedFile& file, const std::vector<UnknownFieldRead>& reads) {
    for (const UnknownFieldRead& read : reads) {
      AddError(file.AtName(read.line, read.name), read.message, read.check);
    }
  }

  // Every action says what its effect touches, in names the schema has (when lint has one).
  void CheckTouches(const ActionCatalog& actions, const StateShape* shape) {
    for (const ActionSpec& action : actions.actions) {
      if (!action.declares_touches) {
        AddError(action.where,
                 "action '" + action.name +
                     "' does not say what its effect changes: add touches = "
                     "[\"<collection>.<field>\", ...], the parts of the partner state it "
                     "changes (\"users\" when it adds or removes users; [] for none)",
                 "touches");
      }
      for (size_t i = 0; shape != nullptr && i < action.touches.size(); ++i) {
        if (std::optional<std::string> problem =
                UnknownStateFieldProblem(action.touches[i], *shape)) {
          AddError(action.touches_where[i], "touches: " + *problem, "touches");
        }
      }
    }
  }

  // The rule says what it constrains, in names the schema has (when lint has one), each no_say
  // reason explains a pair that exists, and each informs entry names an action the rule decides.
  void CheckConstrains(const LintedFile& file, const PolicyInfo& info, const ActionCatalog& actions,
                       const std::string& actions_file, const StateShape* shape) {
    if (!info.declares_constrains) {
      AddError(file.FieldLocation({}),
               "the rule does not say what it constrains: add constrains = "
               "{ \"<collection>.<field>\", ... }, the parts of the partner state whose values "
               "or changes it limits",
               "constrains");
    }
    for (size_t i = 0; shape != nullptr && i < info.constrains.size(); ++i) {
      if (std::optional<std::string> problem =
              UnknownStateFieldProblem(info.constrains[i], *shape)) {
        AddError(file.EntryLocation({"constrains"}, info.constrains[i]), "constrains: " + *problem,
                 "constrains");
      }
    }
    for (const ActionReason& entry : info.no_say) {
      const ActionSpec* action = actions.Find(entry.action);
      SourceLocation where = file.FieldLocation({"no_say", entry.action});
      if (action == nullptr) {
        AddError(where,
                 "no_say names '" + entry.action + "', which " + actions_file + " does not declare",
                 "no-say");
      } else if (info.Governs(entry.action)) {
        Add(where, Severity::kWarning,
            "no_say[\"" + entry.action + "\"] gives a reason for not deciding " + entry.action +
                ", which the rule decides: drop the reason",
            "no-say");
      } else if (SharedFields(action->touches, info.constrains).empty()) {
        Add(where, Severity::kWarning,
            "no_say[\"" + entry.action + "\"] explains nothing: " + entry.action +
                " touches nothing the rule constrains; drop the reason, or add what it shares "
                "to constrains",
            "no-say");
      }
    }
    for (const ActionReason& entry : info.informs) {
      SourceLocation where = file.FieldLocation({"informs", entry.action});
      if (actions.Find(entry.action) == nullptr) {
        AddError(
            where,
            "informs names '" + entry.action + "', which " + actions_file + " does not declare",
            "no-say");
      } else if (!info.Governs(entry.action)) {
        AddError(where,
                 "informs[\"" + entry.action + "\"] says the rule never denies " + entry.action +
                     ", which it does not decide: add decide[\"" + entry.action +
                     "\"], or drop the entry",
                 "no-say");
      }
    }
  }

  // Every (action, rule) pair where the action touches what the rule constrains and the rule
  // neither decides it nor gives a reason (governs_matrix.h), at the constrains entry it meets.
  void CheckUngoverned(const std::vector<std::pair<const LintedFile*, const PolicyInfo*>>& rules,
                       const ActionCatalog& actions) {
    std::vector<const PolicyInfo*> infos;
    for (const auto& [file, info] : rules) infos.push_back(info);
    GovernsMatrix matrix = BuildGovernsMatrix(actions, infos);
    for (const GovernsRow& row : matrix.rows) {
      for (const GovernsCell& cell : row.cells) {
        if (cell.say != Say::kUnexplained) continue;
        const LintedFile* file = nullptr;
        for (const auto& [f, info] : rules) {
          if (info == cell.rule) file = f;
        }
        std::string shared;
        for (size_t i = 0; i < cell.shared.size(); ++i) {
          shared += (i == 0 ? "" : i + 1 == cell.shared.size() ? " and " : ", ") + cell.shared[i];
        }
        // The constrains entry the first shared part comes from: itself, or its collection.
        std::string entry = cell.shared.front();
        if (std::find(cell.rule->constrains.begin(), cell.rule->constrains.end(), entry) ==
            cell.rule->constrains.end()) {
          entry = entry.substr(0, entry.find('.'));
        }
        const std::string& action = row.action->name;
        AddError(file->EntryLocation({"constrains"}, entry),
                 action + " touches " + shared + ", which the rule constrains, but the rule " +
                     "neither decides " + action + " nor says why it has no say on it: add " +
                     "decide[\"" + action + "\"], or no_say[\"" + action +
                     "\"] = \"<why not, in one line>\"",
                 "ungoverned-action");
      }
    }
  }

  void CheckSource(const LintedFile& file, const PolicyInfo& info, const SourceIndex& index) {
    if (info.source.seed.empty() || info.source.section.empty()) return;  // metadata problem
    const SeedSections* seed = index.Find(info.source.seed);
    if (seed == nullptr) {
      std::vector<std::string> names;
      for (const SeedSections& s : index.seeds) names.push_back(s.seed);
      std::string hint = DidYouMean(info.source.seed, names);
      AddError(
          file.FieldLocation({"source", "seed"}),
          "source seed '" + info.source.seed + "' is no seed document in " + index.origin + hint,
          "source");
      return;
    }
    if (std::find(seed->sections.begin(), seed->sections.end(), info.source.section) !=
        seed->sections.end()) {
      return;
    }
    std::string hint = DidYouMean(info.source.section, seed->sections);
    AddError(file.FieldLocation({"source", "section"}),
             "section '" + info.source.section + "' is no section heading of " + seed->seed +
                 " (in " + index.origin + ")" + hint,
             "source");
  }

 private:
  LintReport& report_;
};

// The source index: the seed documents with --seeds, else DIR/sources.toml.
std::optional<SourceIndex> LoadSourceIndex(const std::filesystem::path& dir,
                                           const LintOptions& options, Linter& linter) {
  if (!options.seeds.empty()) return std::nullopt;  // read by the caller (an error stops lint)
  std::filesystem::path path = dir / "sources.toml";
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    linter.Add(SourceLocation{path.string(), 1, 1, ""}, Severity::kWarning,
               "no index of the seed documents, so sources are not checked: generate it with "
               "tools/index_seeds.py, or pass --seeds DIR",
               "source");
    return std::nullopt;
  }
  Result<SourceIndex> index = ReadSourceIndex(path);
  if (!index.ok()) {
    for (const Error& error : index.errors()) linter.FromError(error, "source");
    return std::nullopt;
  }
  return index.take();
}

}  // namespace

size_t LintReport::errors() const {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(), [](const auto& p) {
    return p.severity == Severity::kError;
  }));
}

size_t LintReport::warnings() const {
  return static_cast<size_t>(std::count_if(problems.begin(), problems.end(), [](const auto& p) {
    return p.severity == Severity::kWarning;
  }));
}

Result<LintReport> LintPolicyDirectory(const std::filesystem::path& dir,
                                       const LintOptions& options) {
  Result<PolicyFiles> files = ReadPolicyFiles(dir);
  if (!files.ok()) return files.take_errors();
  std::optional<SourceIndex> seeds;
  if (!options.seeds.empty()) {
    Result<SourceIndex> index = IndexSeedDocuments(options.seeds);
    if (!index.ok()) return index.take_errors();
    seeds = index.take();
  }
  std::optional<StateShape> shape;
  if (!options.schema.empty()) {
    Result<StateShape> read_shape = ReadStateShape(options.schema);
    if (!read_shape.ok()) return read_shape.take_errors();
    shape = read_shape.take();
  }
  Result<PolicyReadings> read = PolicyRuntime::Read(files.value().policies, options.budgets,
                                                    files.value().libraries, files.value().effects);
  if (!read.ok()) return read.take_errors();
  const PolicyReadings& readings = read.value();

  LintReport report;
  report.policies = files.value().policies.size();
  report.libraries = files.value().libraries.size();
  Linter linter(report);
  if (!seeds) seeds = LoadSourceIndex(dir, options, linter);
  if (seeds) report.sources = seeds->origin;

  // The files that compile and load, for the checks that need every file's code first.
  std::vector<const LintedFile*> loaded;
  const std::vector<PolicyText>& library_texts = files.value().libraries;
  std::vector<LintedFile> library_files(library_texts.begin(), library_texts.end());
  for (LintedFile& file : library_files) {
    if (!linter.Compile(file)) continue;
    auto failed = std::find_if(readings.library_errors.begin(), readings.library_errors.end(),
                               [&](const Error& e) { return e.where.file == file.path(); });
    if (failed != readings.library_errors.end()) {
      linter.LoadFailure(file, *failed, readings.global_names);
      continue;
    }
    linter.CheckGlobals(file, readings.global_names);
    loaded.push_back(&file);
  }

  // Effects files (DIR/effects/), checked as libraries are: each loads, writes no global, reads
  // no field the state or ctx lacks.
  const std::vector<PolicyText>& effect_texts = files.value().effects;
  std::vector<LintedFile> effect_files(effect_texts.begin(), effect_texts.end());
  for (LintedFile& file : effect_files) {
    if (!linter.Compile(file)) continue;
    auto failed = std::find_if(readings.effect_errors.begin(), readings.effect_errors.end(),
                               [&](const Error& e) { return e.where.file == file.path(); });
    if (failed != readings.effect_errors.end()) {
      linter.LoadFailure(file, *failed, readings.global_names);
      continue;
    }
    linter.CheckGlobals(file, readings.global_names);
    loaded.push_back(&file);
  }

  // Policies, and what the cross-file checks need: where each readable id is declared.
  std::vector<PolicyInfo> declared;
  std::map<std::string, SourceLocation> id_places;
  bool all_ids_known = true;
  const std::vector<PolicyText>& texts = files.value().policies;
  std::vector<LintedFile> policy_files(texts.begin(), texts.end());
  for (size_t i = 0; i < texts.size(); ++i) {
    const PolicyReading& reading = readings.policies[i];
    LintedFile& file = policy_files[i];
    if (!linter.Compile(file)) {
      all_ids_known = false;
      continue;
    }
    if (reading.failure) {
      linter.LoadFailure(file, *reading.failure, readings.global_names);
      all_ids_known = false;
      continue;
    }
    linter.CheckMetadata(file, reading);
    linter.CheckGlobals(file, readings.global_names);
    linter.CheckParams(file, reading);
    if (seeds) linter.CheckSource(file, reading.info, *seeds);
    loaded.push_back(&file);
    if (reading.info.id.empty()) {
      all_ids_known = false;
      continue;
    }
    auto [first, inserted] = id_places.emplace(reading.info.id, file.FieldLocation({"id"}));
    if (!inserted) {
      linter.FromError(DuplicateRuleIdError(file, reading.info.id, first->second), "duplicate-id");
      continue;
    }
    declared.push_back(reading.info);
    declared.back().file = file.path();
  }

  // policies.toml, checked as loading checks it. When a policy's id is unknown, settings of
  // rules no readable policy declares may be that policy's: not reported twice.
  Result<PolicyConfig> config = ReadPolicyConfig(dir / "policies.toml");
  if (!config.ok()) {
    for (const Error& error : config.errors()) linter.FromError(error, "settings");
  } else {
    PolicyConfig settings = config.take();
    if (!all_ids_known) {
      std::erase_if(settings.rules,
                    [&](const RuleSettings& rule) { return id_places.count(rule.rule_id) == 0; });
    }
    std::vector<PolicyInfo> applied = declared;
    for (const Error& error : ApplySettings(settings, applied)) {
      linter.FromError(error, "settings");
    }
  }

  for (const LintedFile* file : loaded) {
    linter.AddUnknownFieldReads(*file, UnknownContextReads(*file->chunk));
  }
  Result<ActionCatalog> actions = ReadActionCatalog(dir / "actions.toml");
  if (actions.ok()) {
    std::vector<std::pair<const LintedFile*, const PolicyInfo*>> rules;
    for (size_t i = 0; i < texts.size(); ++i) {
      if (!policy_files[i].chunk || readings.policies[i].failure) continue;
      rules.emplace_back(&policy_files[i], &readings.policies[i].info);
    }
    const StateShape* names = shape ? &*shape : nullptr;
    linter.CheckTouches(actions.value(), names);
    for (const auto& [file, info] : rules) {
      linter.CheckConstrains(*file, *info, actions.value(), (dir / "actions.toml").string(), names);
    }
    linter.CheckUngoverned(rules, actions.value());
  }
  if (shape) {
    std::vector<std::string> libraries;
    for (const PolicyText& library : files.value().libraries) {
      libraries.push_back(std::filesystem::path(library.display_path).stem().string());
    }
    std::vector<const ChunkFunction*> chunks;
    for (const LintedFile* file : loaded) chunks.push_back(&*file->chunk);
    StateFieldCheck check(std::move(*shape), actions.ok() ? &actions.value() : nullptr, readings,
                          libraries, chunks);
    for (const LintedFile* file : loaded)
      linter.AddUnknownFieldReads(*file, check.Check(*file->chunk));
  }
  if (!actions.ok()) {
    for (const Error& error : actions.errors()) linter.FromError(error, "actions");
  } else {
    if (files.value().has_effects_dir) {
      // Every action has its effect (unless an effects file that failed may hold it), every
      // effect its action, as loading requires.
      for (const Error& error :
           CheckEffects(actions.value(), readings.effects, dir, files.value().effects,
                        readings.effect_errors.empty())) {
        linter.FromError(error, "effects");
      }
    }
    for (size_t i = 0; i < texts.size(); ++i) {
      const PolicyInfo& info = readings.policies[i].info;
      if (!policy_files[i].chunk || readings.policies[i].failure) continue;
      for (const std::string& action : info.actions) {
        if (actions.value().Find(action) != nullptr) continue;
        linter.FromError(UndeclaredActionError(policy_files[i], action, dir / "actions.toml"),
                         "actions");
      }
    }
  }

  for (const std::vector<PolicyText>* list :
       {&files.value().policies, &files.value().libraries, &files.value().effects}) {
    for (const PolicyText& text : *list) {
      for (LintProblem& problem : CheckMessageCatalog(text)) {
        report.problems.push_back(std::move(problem));
      }
    }
  }

  std::stable_sort(report.problems.begin(), report.problems.end(),
                   [](const LintProblem& a, const LintProblem& b) {
                     return std::tie(a.where.file, a.where.line, a.where.column, a.check) <
                            std::tie(b.where.file, b.where.line, b.where.column, b.check);
                   });
  return report;
}

}  // namespace partnerpolicy
