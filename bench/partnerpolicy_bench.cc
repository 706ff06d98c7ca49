// partnerpolicy's benchmarks (Google Benchmark). scripts/bench.sh builds and runs them and turns
// their JSON output into the table in bench/README.md; bench/README.md says what each measures.
//
//   partnerpolicy_bench --work-dir DIR [--sizes 1000,10000,100000] [Google Benchmark flags]
//
// The states are generated here (bench/state_generator.h, seed 1) and written to DIR, because
// the whole-process benchmarks run the real binary on files. In-process figures are medians of
// repetitions; whole-process figures time the child from spawn to exit and read its peak memory
// from wait4.
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "lua/policy_runtime.h"
#include "partnerpolicy/engine.h"
#include "partnerpolicy/json_reader.h"
#include "partnerpolicy/partner_state.h"
#include "state_generator.h"

namespace partnerpolicy::bench {
namespace {

namespace fs = std::filesystem;

constexpr int kSmallFixtures = 2000;

[[noreturn]] void Die(const std::string& what) {
  std::fprintf(stderr, "partnerpolicy_bench: %s\n", what.c_str());
  std::exit(2);
}

template <typename T>
T Must(Result<T> result, const std::string& what) {
  if (!result.ok()) {
    std::string message = what + ":";
    for (const Error& error : result.errors()) message += "\n  " + error.ToString();
    Die(message);
  }
  return result.take();
}

std::string ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) Die("cannot read " + path.string());
  return text.str();
}

void WriteFile(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) Die("cannot write " + path.string());
}

// What a benchmark run needs: the policies, a loader, and the generated states on disk.
struct World {
  fs::path source = PARTNERPOLICY_SOURCE_DIR;  // the binary runs from here
  fs::path work;
  std::unique_ptr<PolicySet> policies;
  std::unique_ptr<StateLoader> loader;
  std::map<uint32_t, fs::path> state_files;  // by number of users
  fs::path small_dir;                        // kSmallFixtures states of 5 users each
};
World* world = nullptr;

fs::path StateFile(uint32_t users) {
  fs::path file = world->work / ("users-" + std::to_string(users) + ".json");
  if (!fs::exists(file)) {
    GeneratorOptions options;
    options.users = users;
    options.seed = 1;
    WriteFile(file, GeneratePartnerState(options));
  }
  return file;
}

// A loaded state, kept for the whole run (loading 100k users takes a while).
const PartnerState& LoadedState(uint32_t users) {
  static std::map<uint32_t, std::unique_ptr<PartnerState>> loaded;
  std::unique_ptr<PartnerState>& state = loaded[users];
  if (state == nullptr) {
    state = std::make_unique<PartnerState>(
        Must(world->loader->Load(world->state_files.at(users)), "loading a generated state"));
  }
  return *state;
}

// Every generated state names its evaluation date.
Date AsOf(const PartnerState& state) {
  if (!state.as_of) Die("a generated state has no as_of");
  return *state.as_of;
}

// --- 1. One decision in process --------------------------------------------------------------

// A complete request for `spec` on `state`: the subject is the collection's first entity, every
// other entity parameter the collection's last, values plain; the actor is the first partner
// admin. What a typical `can` asks.
ActionRequest TypicalRequest(const ActionSpec& spec, const Document& doc, Date as_of) {
  ActionRequest request;
  request.action = spec.name;
  NodeId users = doc.member(doc.root(), "users");
  for (uint32_t i = 0; i < doc.size(users); ++i) {
    NodeId user = doc.child(users, i);
    NodeId roles = doc.member(user, "partner_center_roles");
    for (uint32_t k = 0; k < doc.size(roles); ++k) {
      if (doc.string(doc.child(roles, k)) == "partner_admin" && request.actor.empty()) {
        request.actor = std::string(doc.string_member(user, "id"));
      }
    }
  }
  for (const ActionParam& param : spec.params) {
    std::string value;
    if (!param.entity.empty()) {
      NodeId collection = doc.member(doc.root(), param.entity);
      if (doc.size(collection) == 0) continue;
      NodeId pick = doc.child(collection, param.subject ? 0 : doc.size(collection) - 1);
      value = std::string(doc.string_member(pick, "id"));
    } else if (param.type == "integer") {
      value = "1";
    } else if (param.type == "date") {
      value = FormatDate(as_of);
    } else {
      continue;  // free text has no typical value; the rules then state conditions on it
    }
    request.arguments.emplace_back(param.name, value);
  }
  return request;
}

void BM_Decide(benchmark::State& bench, const ActionSpec* spec, uint32_t users) {
  const PartnerState& state = LoadedState(users);
  Evaluator evaluator(*world->policies);
  ActionRequest request = TypicalRequest(*spec, state.document, AsOf(state));
  std::string label = request.action;
  for (const auto& [name, value] : request.arguments) label += " " + name + "=" + value;
  // The first call loads the sandbox; every later one reuses it.
  Result<Decision> first = evaluator.Decide(state, request, AsOf(state));
  if (!first.ok()) {
    bench.SkipWithError((label + ": " + first.errors()[0].ToString()).c_str());
    return;
  }
  for (auto _ : bench) {
    Result<Decision> decision = evaluator.Decide(state, request, AsOf(state));
    benchmark::DoNotOptimize(decision);
  }
  bench.SetLabel(label + (first.value().allowed ? " (allowed)" : " (denied)"));
}

// --- 2. check of the whole catalog, by phase and by rule ---------------------------------------

void BM_ParseNlohmann(benchmark::State& bench, uint32_t users) {
  std::string text = ReadFile(world->state_files.at(users));
  for (auto _ : bench) {
    nlohmann::json parsed = nlohmann::json::parse(text);
    benchmark::DoNotOptimize(parsed);
  }
  bench.counters["file_bytes"] = static_cast<double>(text.size());
}

void BM_ParseDocument(benchmark::State& bench, uint32_t users) {
  std::string text = ReadFile(world->state_files.at(users));
  for (auto _ : bench) {
    Result<Document> parsed = ParseJson(text, "state.json");
    benchmark::DoNotOptimize(parsed);
  }
}

// Parsing, schema validation and integrity checks: everything before a policy runs.
void BM_LoadState(benchmark::State& bench, uint32_t users) {
  std::string text = ReadFile(world->state_files.at(users));
  for (auto _ : bench) {
    Result<PartnerState> state = world->loader->LoadText(text, "state.json");
    if (!state.ok()) bench.SkipWithError(state.errors()[0].ToString().c_str());
    benchmark::DoNotOptimize(state);
  }
}

// Every rule's state check, as `check` runs it: a new evaluator (its sandbox included).
void BM_RunPolicies(benchmark::State& bench, uint32_t users) {
  const PartnerState& state = LoadedState(users);
  size_t findings = 0;
  for (auto _ : bench) {
    Evaluator evaluator(*world->policies);
    Result<std::vector<Finding>> found = evaluator.Check(state, AsOf(state));
    if (!found.ok()) bench.SkipWithError(found.errors()[0].ToString().c_str());
    findings = found.ok() ? found.value().size() : 0;
  }
  bench.counters["findings"] = static_cast<double>(findings);
}

// One rule's state check alone, to see each rule's growth.
void BM_Rule(benchmark::State& bench, size_t index, uint32_t users) {
  const PartnerState& state = LoadedState(users);
  const PolicySet& set = *world->policies;
  std::unique_ptr<PolicyRuntime> runtime =
      Must(PolicyRuntime::Create(set.texts(), set.budgets(), set.libraries()), "a sandbox");
  for (auto _ : bench) {
    Result<std::vector<Finding>> found =
        runtime->RunCheck(index, set.policies()[index], state.document, AsOf(state));
    if (!found.ok()) bench.SkipWithError(found.errors()[0].ToString().c_str());
    benchmark::DoNotOptimize(found);
  }
}

// --- Whole processes -------------------------------------------------------------------------

struct ChildRun {
  double seconds = 0;
  double peak_rss_bytes = 0;
  int exit_code = -1;
};

// Runs `argv` (output discarded, in `directory`) and waits for it: wall time from spawn to exit,
// its peak resident memory (wait4) and its exit code.
ChildRun SpawnAndWait(std::vector<std::string> words, const std::string& directory) {
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addchdir_np(&actions, directory.c_str());
  ChildRun run;
  auto start = std::chrono::steady_clock::now();
  pid_t pid = 0;
  if (posix_spawn(&pid, argv[0], &actions, nullptr, argv.data(), environ) != 0) {
    Die(std::string("cannot start ") + argv[0]);
  }
  int status = 0;
  struct rusage usage {};
  wait4(pid, &status, 0, &usage);
  run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  posix_spawn_file_actions_destroy(&actions);
  run.peak_rss_bytes = static_cast<double>(usage.ru_maxrss) * 1024.0;
  run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return run;
}

// Runs the partnerpolicy binary with `arguments` from the source directory, output discarded.
// Linux counts a child's memory from before its exec as the child's peak, and this process
// holds the generated states; so a fresh, small copy of this program (--measure-child) starts
// the binary and reports what it measured.
ChildRun RunBinary(const std::vector<std::string>& arguments) {
  std::vector<std::string> words = {"/proc/self/exe", "--measure-child", PARTNERPOLICY_BINARY};
  words.insert(words.end(), arguments.begin(), arguments.end());
  int pipe_ends[2];
  if (pipe(pipe_ends) != 0) Die("cannot make a pipe");
  std::vector<char*> argv;
  for (std::string& word : words) argv.push_back(word.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, pipe_ends[1], 1);
  posix_spawn_file_actions_addclose(&actions, pipe_ends[0]);
  pid_t pid = 0;
  if (posix_spawn(&pid, "/proc/self/exe", &actions, nullptr, argv.data(), environ) != 0) {
    Die("cannot start the measuring copy of this program");
  }
  posix_spawn_file_actions_destroy(&actions);
  close(pipe_ends[1]);
  std::string report;
  char buffer[256];
  ssize_t n = 0;
  while ((n = read(pipe_ends[0], buffer, sizeof buffer)) > 0) report.append(buffer, n);
  close(pipe_ends[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  ChildRun run;
  std::istringstream in(report);
  if (!(in >> run.seconds >> run.peak_rss_bytes >> run.exit_code)) {
    Die("the measuring copy of this program reported nothing");
  }
  return run;
}

// `check FILE`, the whole process: wall time and peak memory against the file's size.
void BM_CheckProcess(benchmark::State& bench, uint32_t users) {
  const fs::path& file = world->state_files.at(users);
  double peak = 0;
  for (auto _ : bench) {
    ChildRun run = RunBinary({"check", file.string(), "--format", "json"});
    if (run.exit_code != 0 && run.exit_code != 1) bench.SkipWithError("check failed");
    bench.SetIterationTime(run.seconds);
    peak = std::max(peak, run.peak_rss_bytes);
  }
  bench.counters["peak_rss_bytes"] = peak;
  bench.counters["file_bytes"] = static_cast<double>(fs::file_size(file));
}

// `check -j N` over kSmallFixtures small states.
void BM_CheckDirectory(benchmark::State& bench, int jobs) {
  for (auto _ : bench) {
    ChildRun run = RunBinary(
        {"check", world->small_dir.string(), "-j", std::to_string(jobs), "--format", "json"});
    if (run.exit_code != 0 && run.exit_code != 1) bench.SkipWithError("check failed");
    bench.SetIterationTime(run.seconds);
  }
  bench.counters["fixtures_per_second"] = benchmark::Counter(
      static_cast<double>(kSmallFixtures) * static_cast<double>(bench.iterations()),
      benchmark::Counter::kIsRate);
}

// One `can` on the example fixture, the whole process: what an admin waits for.
void BM_ColdStartCan(benchmark::State& bench) {
  for (auto _ : bench) {
    ChildRun run = RunBinary({"can", "credit.reassign", "--state", "fixtures/examples/contoso.json",
                              "credit=MC-1", "user=carol", "--as", "alice"});
    if (run.exit_code != 0) bench.SkipWithError("can did not allow the example request");
    bench.SetIterationTime(run.seconds);
  }
}

std::vector<uint32_t> ParseSizes(const std::string& list) {
  std::vector<uint32_t> sizes;
  std::stringstream in(list);
  std::string item;
  while (std::getline(in, item, ',')) sizes.push_back(static_cast<uint32_t>(std::stoul(item)));
  if (sizes.empty()) Die("--sizes needs a comma-separated list of user counts");
  return sizes;
}

void RegisterAll(const std::vector<uint32_t>& sizes) {
  const PolicySet& set = *world->policies;
  // The decision benchmark uses the 10k-user state, or the largest one below it.
  uint32_t decide_users = sizes.front();
  for (uint32_t users : sizes) {
    if (users <= 10000) decide_users = users;
  }
  for (const ActionSpec& spec : set.actions().actions) {
    benchmark::RegisterBenchmark(("decide/" + spec.name).c_str(), BM_Decide, &spec, decide_users)
        ->Repetitions(5)
        ->ReportAggregatesOnly(true);
  }
  for (uint32_t users : sizes) {
    std::string n = std::to_string(users);
    auto phase = [&](const char* name, auto function) {
      benchmark::RegisterBenchmark((std::string(name) + "/" + n).c_str(), function, users)
          ->Unit(benchmark::kMillisecond)
          ->Repetitions(3)
          ->ReportAggregatesOnly(true);
    };
    phase("parse_nlohmann", BM_ParseNlohmann);
    phase("parse_document", BM_ParseDocument);
    phase("load_state", BM_LoadState);
    phase("run_policies", BM_RunPolicies);
    benchmark::RegisterBenchmark(("check_process/" + n).c_str(), BM_CheckProcess, users)
        ->Unit(benchmark::kMillisecond)
        ->UseManualTime()
        ->Iterations(3);
    for (size_t i = 0; i < set.policies().size(); ++i) {
      if (!set.policies()[i].has_check) continue;
      benchmark::RegisterBenchmark(("rule/" + set.policies()[i].id + "/" + n).c_str(), BM_Rule, i,
                                   users)
          ->Unit(benchmark::kMicrosecond)
          ->Repetitions(3)
          ->ReportAggregatesOnly(true);
    }
  }
  for (int jobs : {1, 2}) {
    benchmark::RegisterBenchmark(("check_directory/jobs:" + std::to_string(jobs)).c_str(),
                                 BM_CheckDirectory, jobs)
        ->Unit(benchmark::kMillisecond)
        ->UseManualTime()
        ->Iterations(3);
  }
  benchmark::RegisterBenchmark("cold_start_can", BM_ColdStartCan)
      ->Unit(benchmark::kMillisecond)
      ->UseManualTime()
      ->Iterations(50)
      ->Repetitions(3)
      ->ReportAggregatesOnly(true);
}

}  // namespace
}  // namespace partnerpolicy::bench

int main(int argc, char** argv) {
  using namespace partnerpolicy;
  using namespace partnerpolicy::bench;
  if (argc >= 3 && std::string(argv[1]) == "--measure-child") {
    // See RunBinary: start argv[2...] from the source directory and report what it took.
    ChildRun run =
        SpawnAndWait(std::vector<std::string>(argv + 2, argv + argc), PARTNERPOLICY_SOURCE_DIR);
    std::printf("%.9f %.0f %d\n", run.seconds, run.peak_rss_bytes, run.exit_code);
    return 0;
  }
  benchmark::Initialize(&argc, argv);
  std::string work;
  std::string sizes = "1000,10000,100000";
  for (int i = 1; i < argc; ++i) {
    std::string flag = argv[i];
    if (flag == "--work-dir" && i + 1 < argc) {
      work = argv[++i];
    } else if (flag == "--sizes" && i + 1 < argc) {
      sizes = argv[++i];
    } else {
      Die("unknown argument '" + flag + "' (expected --work-dir DIR [--sizes N,N,...])");
    }
  }
  if (work.empty()) Die("--work-dir DIR is required (generated states are written there)");

  World state;
  world = &state;
  state.work = work;
  fs::create_directories(state.work);
  state.policies = std::make_unique<PolicySet>(
      Must(PolicySet::Load(state.source / "policies"), "loading the bundled policies"));
  state.loader = std::make_unique<StateLoader>(
      Must(StateLoader::Create(state.source / "schemas/partner-state.schema.json"), "the schema"));
  std::vector<uint32_t> users = ParseSizes(sizes);
  for (uint32_t n : users) state.state_files[n] = StateFile(n);
  state.small_dir = state.work / "small";
  if (!fs::exists(state.small_dir / ("state-" + std::to_string(kSmallFixtures) + ".json"))) {
    fs::create_directories(state.small_dir);
    for (int k = 1; k <= kSmallFixtures; ++k) {
      GeneratorOptions options;
      options.users = 5;
      options.seed = static_cast<uint64_t>(k);
      WriteFile(state.small_dir / ("state-" + std::to_string(k) + ".json"),
                GeneratePartnerState(options));
    }
  }
  RegisterAll(users);
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
