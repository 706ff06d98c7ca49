// Loading a policy directory (Lua files + TOML settings) and running evaluations.
#include "partnerpolicy/engine.h"

#include <algorithm>
#include <fstream>
#include <mutex>
#include <sstream>

#include "content_hash.h"
#include "load_checks.h"
#include "lua/policy_runtime.h"
#include "partnerpolicy/directory_walk.h"
#include "partnerpolicy/governs_matrix.h"
#include "partnerpolicy/policy_config.h"

namespace partnerpolicy {
namespace {

// The bytes of a file. Errors: it cannot be read (kIo).
Result<std::string> ReadWholeFile(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) {
    return Error::Io({file.lexically_normal().string(), 0, 0, ""}, "cannot read");
  }
  return text.str();
}

Result<std::vector<PolicyText>> ReadPolicyTexts(const std::filesystem::path& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return Error::Io({dir.string(), 0, 0, ""}, "not a policy directory");
  }
  auto is_input = [](const std::filesystem::path& path) {
    std::string name = path.filename().string();
    return path.extension() == ".lua" || (name.size() > kCatalogSuffix.size() &&
                                          name.compare(name.size() - kCatalogSuffix.size(),
                                                       kCatalogSuffix.size(), kCatalogSuffix) == 0);
  };
  Result<std::vector<std::filesystem::path>> found = FilesUnder(dir, is_input);
  if (!found.ok()) return found.take_errors();
  std::vector<std::filesystem::path> files;
  std::vector<std::string> catalogs;  // display paths of the *.messages.toml files
  for (const std::filesystem::path& path : found.value()) {
    if (path.extension() == ".lua") {
      files.push_back(path);
    } else {
      catalogs.push_back(path.lexically_normal().string());
    }
  }
  std::sort(files.begin(), files.end());
  std::sort(catalogs.begin(), catalogs.end());
  std::vector<PolicyText> texts;
  Errors errors;
  for (const std::filesystem::path& file : files) {
    Result<std::string> text = ReadWholeFile(file);
    if (!text.ok()) return text.take_errors();
    texts.push_back(PolicyText{file.lexically_normal().string(), text.take(), nullptr});
    std::string catalog_path = CatalogPathFor(texts.back().display_path);
    auto catalog_it = std::lower_bound(catalogs.begin(), catalogs.end(), catalog_path);
    if (catalog_it == catalogs.end() || *catalog_it != catalog_path) continue;
    catalogs.erase(catalog_it);
    Result<std::string> bytes = ReadWholeFile(catalog_path);
    if (!bytes.ok()) return bytes.take_errors();
    Result<MessageCatalog> catalog = ParseMessageCatalog(bytes.take(), catalog_path);
    if (!catalog.ok()) {
      for (Error& error : catalog.take_errors()) errors.push_back(std::move(error));
      continue;
    }
    texts.back().messages = std::make_shared<const MessageCatalog>(catalog.take());
  }
  for (const std::string& orphan : catalogs) {
    errors.push_back(Error::InvalidPolicy(
        {orphan, 1, 1, ""}, "a message catalog with no Lua file beside it (its words belong to " +
                                orphan.substr(0, orphan.size() - kCatalogSuffix.size()) + ".lua)"));
  }
  if (!errors.empty()) return errors;
  if (texts.empty()) {
    return Error::InvalidPolicy({dir.string(), 0, 0, ""}, "no policies (*.lua) in this directory");
  }
  return texts;
}

// The content hash of a loaded set (see PolicySet::content_hash). The Lua texts are the bytes the
// runtime compiled; the two TOML files are read once more here, as their reader keeps no copy of
// the bytes (a file replaced between the two reads would give a hash of the newer bytes).
Result<std::string> PolicySetHash(const std::filesystem::path& dir,
                                  const std::vector<PolicyText>& policies,
                                  const std::vector<PolicyText>& libraries,
                                  const std::vector<PolicyText>& effects) {
  std::filesystem::path base = dir.lexically_normal();
  if (!base.has_filename()) base = base.parent_path();  // "policies/" names "policies"
  auto relative = [&](const std::filesystem::path& file) {
    std::filesystem::path name = file.lexically_relative(base);
    return (name.empty() ? file : name).generic_string();
  };
  std::vector<HashedFile> files;
  for (const std::vector<PolicyText>* texts : {&policies, &libraries, &effects}) {
    for (const PolicyText& text : *texts) {
      files.push_back(HashedFile{relative(text.display_path), text.text});
      if (text.messages != nullptr) {
        files.push_back(HashedFile{relative(text.messages->file), text.messages->bytes});
      }
    }
  }
  std::vector<std::string> tomls;  // reserved: HashedFile views these bytes
  tomls.reserve(2);
  for (const char* name : {"policies.toml", "actions.toml"}) {
    std::error_code ec;
    std::filesystem::path path = dir / name;
    if (!std::filesystem::exists(path, ec)) continue;  // policies.toml is optional
    Result<std::string> bytes = ReadWholeFile(path);
    if (!bytes.ok()) return bytes.take_errors();
    tomls.push_back(bytes.take());
    files.push_back(HashedFile{name, tomls.back()});
  }
  return ContentHash(std::move(files));
}

int VerdictRank(Verdict verdict) {
  switch (verdict) {
    case Verdict::kDeny:
      return 0;
    case Verdict::kCondition:
      return 1;
    case Verdict::kAllow:
      return 2;
  }
  return 3;
}

// Trace entries (see trace.h).
RuleTrace NotRun(const PolicyInfo& rule, std::string reason) {
  RuleTrace step;
  step.rule_id = rule.id;
  step.not_run_reason = std::move(reason);
  return step;
}

RuleTrace Ran(const PolicyInfo& rule, const Document& state, const std::vector<NodeId>& reads,
              std::string conclusion, std::string message = "") {
  RuleTrace step;
  step.rule_id = rule.id;
  step.ran = true;
  step.looked_at = EntitiesRead(state, reads);
  step.conclusion = std::move(conclusion);
  step.message = std::move(message);
  return step;
}

// When tracing, has `runtime` record the nodes the next rule reads into `reads`, emptied first.
void StartReads(const EvaluationTrace* trace, PolicyRuntime* runtime, std::vector<NodeId>* reads) {
  if (trace == nullptr) return;
  reads->clear();
  runtime->RecordReads(reads);
}

std::string Counted(size_t count, const char* one, const char* many) {
  if (count == 0) return std::string("no ") + many;
  return std::to_string(count) + " " + (count == 1 ? one : many);
}

}  // namespace

Result<PolicyFiles> ReadPolicyFiles(const std::filesystem::path& dir) {
  Result<std::vector<PolicyText>> all = ReadPolicyTexts(dir);
  if (!all.ok()) return all.take_errors();
  // DIR/lib/ holds helper libraries shared by policies, not rules; DIR/effects/ the effects of
  // actions, not rules either. DIR/types/ holds the LuaCATS definitions editors read (`---@meta`
  // files: declarations with empty bodies, never run), so it is none of these: loading one would
  // fail for want of a rule table.
  PolicyFiles files;
  const std::string lib_prefix = (dir / "lib").lexically_normal().string() + "/";
  const std::string effects_prefix = (dir / "effects").lexically_normal().string() + "/";
  const std::string types_prefix = (dir / "types").lexically_normal().string() + "/";
  for (PolicyText& text : all.value()) {
    if (text.display_path.rfind(types_prefix, 0) == 0) continue;
    std::vector<PolicyText>& list = text.display_path.rfind(lib_prefix, 0) == 0 ? files.libraries
                                    : text.display_path.rfind(effects_prefix, 0) == 0
                                        ? files.effects
                                        : files.policies;
    list.push_back(std::move(text));
  }
  std::error_code ec;
  files.has_effects_dir = std::filesystem::is_directory(dir / "effects", ec);
  if (files.policies.empty() && files.libraries.empty()) {
    return Error::InvalidPolicy({dir.string(), 0, 0, ""}, "no policies (*.lua) in this directory");
  }
  return files;
}

struct PolicySet::SpareRuntime {
  std::mutex mutex;
  std::unique_ptr<PolicyRuntime> runtime;
};

Result<PolicySet> PolicySet::Load(const std::filesystem::path& dir, const Budgets& budgets) {
  Result<PolicyFiles> files = ReadPolicyFiles(dir);
  if (!files.ok()) return files.take_errors();
  std::vector<PolicyText> texts = std::move(files.value().policies);
  std::vector<PolicyText> libraries = std::move(files.value().libraries);
  std::vector<PolicyText> effects = std::move(files.value().effects);
  Result<std::unique_ptr<PolicyRuntime>> runtime =
      PolicyRuntime::Create(texts, budgets, libraries, nullptr, effects);
  if (!runtime.ok()) return runtime.take_errors();

  // Order by rule id so every report and every evaluation walks the rules the same way.
  std::vector<PolicyInfo> declared = runtime.value()->declared();
  std::vector<size_t> order(declared.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  // Among policies of one id, the first in file order comes first: the others repeat it.
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::tie(declared[a].id, a) < std::tie(declared[b].id, b);
  });
  PolicySet set;
  set.budgets_ = budgets;
  set.libraries_ = std::move(libraries);
  set.effect_files_ = std::move(effects);
  set.effects_ = runtime.value()->effects();
  set.has_effects_ = files.value().has_effects_dir;
  Errors errors;
  for (size_t k = 0; k < order.size(); ++k) {
    const PolicyInfo& info = declared[order[k]];
    if (k > 0 && set.policies_.back().id == info.id) {
      SourceLocation first = ListedFile(set.texts_.back()).FieldLocation({"id"});
      errors.push_back(DuplicateRuleIdError(ListedFile(texts[order[k]]), info.id, first));
      continue;
    }
    set.policies_.push_back(info);
    set.texts_.push_back(texts[order[k]]);
  }

  Result<PolicyConfig> config = ReadPolicyConfig(dir / "policies.toml");
  if (!config.ok()) return config.take_errors();
  Errors settings_errors = ApplySettings(config.value(), set.policies_);
  errors.insert(errors.end(), settings_errors.begin(), settings_errors.end());

  Result<ActionCatalog> actions = ReadActionCatalog(dir / "actions.toml");
  if (!actions.ok()) return actions.take_errors();
  set.actions_ = actions.take();
  for (size_t k = 0; k < set.policies_.size(); ++k) {
    for (const std::string& action : set.policies_[k].actions) {
      if (set.actions_.Find(action) == nullptr) {
        errors.push_back(
            UndeclaredActionError(ListedFile(set.texts_[k]), action, dir / "actions.toml"));
      }
    }
  }
  if (set.has_effects_) {
    // The runtime already refused two effects for one action, and any effects file that fails.
    Errors effect_errors =
        CheckEffects(set.actions_, runtime.value()->effects(), dir, set.effect_files_, true);
    errors.insert(errors.end(), effect_errors.begin(), effect_errors.end());
  }
  if (!errors.empty()) return errors;
  Result<std::string> hash = PolicySetHash(dir, set.texts_, set.libraries_, set.effect_files_);
  if (!hash.ok()) return hash.take_errors();
  set.content_hash_ = hash.take();
  set.directory_ = dir.string();
  runtime.value()->Reorder(order);
  set.spare_ = std::make_shared<SpareRuntime>();
  set.spare_->runtime = runtime.take();
  return set;
}

Result<PolicySet> PolicySet::WithSettings(const PolicyConfig& overrides) const {
  PolicySet set = *this;
  Errors errors = ApplySettings(overrides, set.policies_);
  if (!errors.empty()) return errors;
  return set;
}

std::unique_ptr<PolicyRuntime> PolicySet::TakeSpareRuntime() const {
  if (spare_ == nullptr) return nullptr;
  std::lock_guard<std::mutex> lock(spare_->mutex);
  return std::move(spare_->runtime);
}

const EffectInfo* PolicySet::FindEffect(std::string_view action) const {
  for (const EffectInfo& effect : effects_) {
    if (effect.action == action) return &effect;
  }
  return nullptr;
}

const PolicyInfo* PolicySet::Find(std::string_view rule_id) const {
  for (const PolicyInfo& info : policies_) {
    if (info.id == rule_id) return &info;
  }
  return nullptr;
}

Evaluator::Evaluator(const PolicySet& policies) : policies_(&policies) {}
Evaluator::Evaluator(const PolicySet& policies, LineCoverage* coverage)
    : policies_(&policies), coverage_(coverage) {}
Evaluator::~Evaluator() = default;
Evaluator::Evaluator(Evaluator&&) noexcept = default;
Evaluator& Evaluator::operator=(Evaluator&&) noexcept = default;

Result<PolicyRuntime*> Evaluator::Runtime() const {
  if (runtime_ != nullptr) return runtime_.get();
  // The spare was loaded without a coverage sink: an evaluator that records coverage loads its
  // own, so loading counts as covered.
  if (coverage_ == nullptr) runtime_ = policies_->TakeSpareRuntime();
  if (runtime_ == nullptr) {
    Result<std::unique_ptr<PolicyRuntime>> made =
        PolicyRuntime::Create(policies_->texts(), policies_->budgets(), policies_->libraries(),
                              coverage_, policies_->effect_files());
    if (!made.ok()) return made.take_errors();
    runtime_ = made.take();
  }
  return runtime_.get();
}

Result<std::vector<Finding>> Evaluator::Check(const PartnerState& state, Date as_of) const {
  Result<PolicyRuntime*> runtime = Runtime();
  if (!runtime.ok()) return runtime.take_errors();
  std::vector<Finding> all;
  const std::vector<PolicyInfo>& policies = policies_->policies();
  if (trace_ != nullptr) trace_->rules.clear();
  std::vector<NodeId> reads;
  for (size_t i = 0; i < policies.size(); ++i) {
    if (!policies[i].has_check) {
      if (trace_ != nullptr) trace_->rules.push_back(NotRun(policies[i], "has no state check"));
      continue;
    }
    StartReads(trace_, runtime.value(), &reads);
    Result<std::vector<Finding>> found =
        runtime.value()->RunCheck(i, policies[i], state.document, as_of);
    runtime.value()->RecordReads(nullptr);
    if (!found.ok()) {
      runtime_.reset();  // a budget stop may have left the sandbox anywhere
      return found.take_errors();
    }
    if (trace_ != nullptr) {
      trace_->rules.push_back(Ran(policies[i], state.document, reads,
                                  Counted(found.value().size(), "finding", "findings")));
    }
    for (Finding& f : found.value()) all.push_back(std::move(f));
  }
  std::stable_sort(all.begin(), all.end(), [](const Finding& a, const Finding& b) {
    return std::make_tuple(-static_cast<int>(a.severity), std::cref(a.rule_id), a.line, a.column,
                           std::cref(a.message)) < std::make_tuple(-static_cast<int>(b.severity),
                                                                   std::cref(b.rule_id), b.line,
                                                                   b.column, std::cref(b.message));
  });
  return all;
}

Result<Decision> Evaluator::Decide(const PartnerState& state, const ActionRequest& request,
                                   Date as_of) const {
  Result<ResolvedRequest> resolved = ResolveRequest(request, policies_->actions(), state.document);
  if (!resolved.ok()) return resolved.take_errors();
  Result<PolicyRuntime*> runtime = Runtime();
  if (!runtime.ok()) return runtime.take_errors();
  Decision decision;
  decision.action = resolved.value().action;
  decision.open = resolved.value().open;
  const std::vector<PolicyInfo>& policies = policies_->policies();
  if (trace_ != nullptr) trace_->rules.clear();
  std::vector<NodeId> reads;
  for (size_t i = 0; i < policies.size(); ++i) {
    if (!policies[i].Governs(decision.action)) {
      if (trace_ != nullptr) {
        trace_->rules.push_back(NotRun(policies[i], "does not decide " + decision.action));
      }
      continue;
    }
    StartReads(trace_, runtime.value(), &reads);
    Result<std::optional<RuleDecision>> said =
        runtime.value()->RunDecide(i, policies[i], resolved.value(), state.document, as_of);
    runtime.value()->RecordReads(nullptr);
    if (!said.ok()) {
      runtime_.reset();  // a budget stop may have left the sandbox anywhere
      return said.take_errors();
    }
    if (trace_ != nullptr) {
      const std::optional<RuleDecision>& say = said.value();
      trace_->rules.push_back(Ran(policies[i], state.document, reads,
                                  say ? VerdictName(say->verdict) : "no say",
                                  say ? say->message : ""));
    }
    if (!said.value()) {
      decision.silent.push_back(policies[i].id);
      continue;
    }
    if (said.value()->verdict == Verdict::kDeny) {
      // A rule that declares it only informs on an action is trusted, by lint and the matrix,
      // never to deny it; a denial breaks that promise and must not pass as a decision.
      if (const std::string* informs = policies[i].InformsReason(decision.action)) {
        return Error{ErrorCode::kInvalidPolicy,
                     policies[i].id + " denied " + decision.action +
                         ", which its informs says it never denies (\"" + *informs +
                         "\"): drop informs[\"" + decision.action + "\"] or the denial",
                     {policies[i].file, 0, 0, ""},
                     ""};
      }
      decision.allowed = false;
    }
    decision.rules.push_back(std::move(*said.value()));
  }
  std::stable_sort(decision.rules.begin(), decision.rules.end(),
                   [](const RuleDecision& a, const RuleDecision& b) {
                     return std::make_tuple(VerdictRank(a.verdict), std::cref(a.rule_id)) <
                            std::make_tuple(VerdictRank(b.verdict), std::cref(b.rule_id));
                   });
  return decision;
}

Result<std::vector<JsonPatchOperation>> Evaluator::Effect(const PartnerState& state,
                                                          const ActionRequest& request,
                                                          Date as_of) const {
  Result<ResolvedRequest> resolved = ResolveRequest(request, policies_->actions(), state.document);
  if (!resolved.ok()) return resolved.take_errors();
  for (const std::string& open : resolved.value().open) {
    if (open == "actor") continue;  // effects do without one (nothing is recorded as done by)
    const ActionSpec* spec = policies_->actions().Find(request.action);
    const ActionParam* param = nullptr;
    for (const ActionParam& p : spec->params) {
      if (p.name == open) param = &p;
    }
    if (param != nullptr && param->chosen_by_effect) continue;  // req.<name> is nil: it chooses
    return Error{ErrorCode::kUsage,
                 request.action + " needs " + open + "=... to compute its effect" +
                     (param != nullptr && !param->help.empty() ? " (" + param->help + ")" : "") +
                     ": the state after the action depends on it",
                 {},
                 ""};
  }
  Result<PolicyRuntime*> runtime = Runtime();
  if (!runtime.ok()) return runtime.take_errors();
  const std::vector<EffectInfo>& effects = runtime.value()->effects();
  auto effect = std::find_if(effects.begin(), effects.end(), [&](const EffectInfo& e) {
    return e.action == resolved.value().action;
  });
  // With effects/, PolicySet::Load made sure that every action has its effect.
  if (!policies_->has_effects() || effect == effects.end()) {
    return Error{ErrorCode::kUsage,
                 "the policies in " + policies_->directory() +
                     " have no effects/ directory, so no action can be applied to a state",
                 {},
                 ""};
  }
  Result<std::vector<JsonPatchOperation>> patch = runtime.value()->RunEffect(
      static_cast<size_t>(effect - effects.begin()), resolved.value(), state.document, as_of);
  if (!patch.ok()) {
    runtime_.reset();  // a budget stop may have left the sandbox anywhere
    return patch;
  }
  // The governs matrix (and so lint's ungoverned-action) trusts `touches`: an effect that changes
  // more than its action declares could slip past every rule that constrains the rest.
  const ActionSpec* spec = policies_->actions().Find(resolved.value().action);
  for (const JsonPatchOperation& op : patch.value()) {
    if (spec == nullptr || !spec->declares_touches) break;
    std::string part = StatePartChangedAt(op.path);
    if (TouchesCover(spec->touches, part)) continue;
    return Error{ErrorCode::kInvalidPolicy,
                 "the effect of " + spec->name + " changes " + op.path + " (" + part +
                     "), which its touches in actions.toml does not list: add \"" + part +
                     "\" there, so that every rule constraining it must decide " + spec->name,
                 {effect->file, effect->line, 0, ""},
                 ""};
  }
  return patch;
}

Result<std::vector<Alert>> Evaluator::Alerts(const PartnerState& state, Date as_of,
                                             Date horizon) const {
  Result<PolicyRuntime*> runtime = Runtime();
  if (!runtime.ok()) return runtime.take_errors();
  std::vector<Alert> all;
  const std::vector<PolicyInfo>& policies = policies_->policies();
  if (trace_ != nullptr) trace_->rules.clear();
  std::vector<NodeId> reads;
  for (size_t i = 0; i < policies.size(); ++i) {
    if (!policies[i].has_alerts) {
      if (trace_ != nullptr) trace_->rules.push_back(NotRun(policies[i], "raises no alerts"));
      continue;
    }
    StartReads(trace_, runtime.value(), &reads);
    Result<std::vector<Alert>> raised =
        runtime.value()->RunAlerts(i, policies[i], state.document, as_of, horizon);
    runtime.value()->RecordReads(nullptr);
    if (!raised.ok()) {
      runtime_.reset();  // a budget stop may have left the sandbox anywhere
      return raised.take_errors();
    }
    if (trace_ != nullptr) {
      size_t within = 0;
      for (const Alert& alert : raised.value()) within += alert.on <= horizon ? 1 : 0;
      trace_->rules.push_back(
          Ran(policies[i], state.document, reads, Counted(within, "alert", "alerts")));
    }
    for (Alert& alert : raised.value()) {
      if (alert.on <= horizon) all.push_back(std::move(alert));
    }
  }
  std::stable_sort(all.begin(), all.end(), [](const Alert& a, const Alert& b) {
    return std::make_tuple(a.on.days, -static_cast<int>(a.severity), std::cref(a.rule_id), a.line,
                           a.column, std::cref(a.message)) <
           std::make_tuple(b.on.days, -static_cast<int>(b.severity), std::cref(b.rule_id), b.line,
                           b.column, std::cref(b.message));
  });
  return all;
}

Result<std::vector<Evaluator::ActionLine>> Evaluator::ListActions(const PartnerState& state,
                                                                  const std::string& actor,
                                                                  const std::string& entity_id,
                                                                  Date as_of) const {
  const Document& doc = state.document;
  NodeId partner = doc.member(doc.root(), "partner");
  const std::string partner_id(partner == kNoNode ? "" : doc.string_member(partner, "id"));

  // Collections in the order the state lists them, the partner first.
  std::vector<std::string> collections = {"partner"};
  for (uint32_t i = 0; i < doc.size(doc.root()); ++i) {
    std::string key(doc.key(doc.child(doc.root(), i)));
    if (doc.kind(doc.child(doc.root(), i)) == NodeKind::kArray) collections.push_back(key);
  }

  std::vector<ActionLine> lines;
  bool entity_found = entity_id.empty();
  for (const std::string& collection : collections) {
    std::vector<std::string> ids;
    if (collection == "partner") {
      ids.push_back(partner_id);
    } else {
      NodeId array = doc.member(doc.root(), collection);
      for (uint32_t i = 0; i < doc.size(array); ++i) {
        ids.emplace_back(doc.string_member(doc.child(array, i), "id"));
      }
    }
    for (const std::string& id : ids) {
      if (!entity_id.empty() && id != entity_id) continue;
      entity_found = true;
      for (const ActionSpec& spec : policies_->actions().actions) {
        const ActionParam* subject = spec.subject();
        const std::string& subject_collection = subject ? subject->entity : "partner";
        if (subject_collection != collection) continue;
        ActionLine line;
        line.collection = collection;
        line.entity_id = id;
        line.request.action = spec.name;
        line.request.actor = actor;
        if (subject != nullptr) line.request.arguments.emplace_back(subject->name, id);
        Result<Decision> decision = Decide(state, line.request, as_of);
        if (!decision.ok()) return decision.take_errors();
        line.decision = decision.take();
        lines.push_back(std::move(line));
      }
    }
  }
  if (!entity_found) {
    return Error{ErrorCode::kUsage,
                 "--entity '" + entity_id + "' is the id of no entity in this state",
                 {},
                 ""};
  }
  return lines;
}

}  // namespace partnerpolicy
