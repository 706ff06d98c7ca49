// Arbitrary bytes as one of the TOML files partnerpolicy reads: policies.toml (with its settings
// applied to the bundled policies), actions.toml, sources.toml or a waiver file. The input's
// length picks the reader, so every input is read once (four parses per input would quarter the
// fuzzing speed) and a mutation that adds a byte tries the same text as another kind of file.
// The bytes go through a real file so the size check and the read are covered too.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <fstream>
#include <string>
#include <vector>

#include "fuzz_support.h"
#include "partnerpolicy/engine.h"
#include "partnerpolicy/policy_config.h"
#include "partnerpolicy/waivers.h"

using namespace partnerpolicy;

namespace {

// One file per fuzzing process, in memory when /dev/shm exists (libFuzzer -jobs runs several).
std::filesystem::path ScratchFile() {
  std::filesystem::path dir = std::filesystem::exists("/dev/shm")
                                  ? std::filesystem::path("/dev/shm")
                                  : std::filesystem::temp_directory_path();
  return dir / ("partnerpolicy-fuzz-toml-" + std::to_string(getpid()) + ".toml");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Result<PolicySet> bundled = PolicySet::Load(fuzz::SourcePath("policies"));
  const PolicySet& policies = fuzz::SetupOrDie(bundled, "loading the bundled policies");
  static const std::filesystem::path file = ScratchFile();
  {
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    FUZZ_EXPECT(out.good());
  }

  switch (size % 4) {
    case 0: {
      Result<PolicyConfig> config = ReadPolicyConfig(file);
      if (!config.ok()) {
        fuzz::ExpectReportableErrors(config);
        break;
      }
      std::vector<PolicyInfo> infos = policies.policies();
      for (const Error& error : ApplySettings(config.value(), infos)) {
        FUZZ_EXPECT(!error.message.empty());
      }
      break;
    }
    case 1: {
      Result<ActionCatalog> catalog = ReadActionCatalog(file);
      if (!catalog.ok()) fuzz::ExpectReportableErrors(catalog);
      break;
    }
    case 2: {
      Result<SourceIndex> sources = ReadSourceIndex(file);
      if (!sources.ok()) fuzz::ExpectReportableErrors(sources);
      break;
    }
    default: {
      Result<WaiverSet> waivers = WaiverSet::Read(file, policies.policies());
      if (!waivers.ok()) {
        fuzz::ExpectReportableErrors(waivers);
        break;
      }
      for (const Waiver& waiver : waivers.value().waivers()) {
        FUZZ_EXPECT(policies.Find(waiver.rule_id) != nullptr);
      }
    }
  }
  return 0;
}
