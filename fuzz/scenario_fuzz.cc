// Fuzz target: the scenario loader (harness/scenario/scenario.h,
// LoadScenarioString). A scenario it accepts has an id, names only
// requirements the catalogue knows and only known features; every step and
// expectation of it can be walked and described.
#include <functional>
#include <span>
#include <string>

#include "fuzz/fuzz_check.h"
#include "harness/config/manifest.h"
#include "harness/scenario/scenario.h"

namespace {

using tigress::harness::Step;

// Stands in for the catalogue: requirement ids look like "RELAY-01".
bool KnownRequirement(const std::string& id) {
  return !id.empty() && id.front() >= 'A' && id.front() <= 'Z' && id.find('-') != std::string::npos;
}

void Walk(std::span<const Step> steps) {
  for (const Step& s : steps) {
    for (const auto& e : s.expect) {
      (void)tigress::harness::ExpectationToString(e);
    }
    Walk(s.Inner());
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::function<bool(const std::string&)> known = KnownRequirement;
  auto s = tigress::harness::LoadScenarioString(std::string(tigress::fuzz::Text(data, size)),
                                                "scenarios/fuzz/input.yaml", known);
  if (!s) return 0;
  FUZZ_CHECK(!s->id.empty(), "an accepted scenario has an id");
  for (const std::string& r : s->requirements) {
    FUZZ_CHECK(KnownRequirement(r), "an accepted scenario names only known requirements");
  }
  for (const std::string& f : s->features) {
    FUZZ_CHECK(tigress::harness::CheckFeatureName(f).empty(),
               "an accepted scenario needs only known features");
  }
  Walk(s->steps);
  return 0;
}
