// Fuzz target: the manifest loader (harness/config/manifest.h,
// LoadManifestString). A manifest it accepts has a valid name, a non-empty
// command for each role it declares, only known features, and commands that
// expand with every placeholder.
#include <string>

#include "fuzz/fuzz_check.h"
#include "harness/config/manifest.h"

namespace {

using tigress::harness::RoleSpec;

bool IsManifestName(const std::string& name) {
  if (name.empty()) return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  }
  return true;
}

void CheckRole(const std::optional<RoleSpec>& role, const tigress::harness::Placeholders& ph) {
  if (!role) return;
  FUZZ_CHECK(!role->command.empty(), "a declared role has a command");
  const auto argv = tigress::harness::ExpandCommand(role->command, ph);
  FUZZ_CHECK(argv.size() == role->command.size(), "expanding keeps one argument per argument");
  (void)tigress::harness::Expand(role->base_url, ph);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  auto m = tigress::harness::LoadManifestString(std::string(tigress::fuzz::Text(data, size)),
                                                "/fuzz/implementations/input.yaml");
  if (!m) return 0;
  FUZZ_CHECK(IsManifestName(m->name), "an accepted manifest's name is [a-z0-9-]+");
  FUZZ_CHECK(m->relay || m->device, "an accepted manifest starts a relay or a device");
  for (const std::string& f : m->features) {
    FUZZ_CHECK(tigress::harness::CheckFeatureName(f).empty(),
               "an accepted manifest declares only known features");
  }
  const tigress::harness::Placeholders ph{.root = m->root.string(),
                                          .port = "40123",
                                          .cert = "/c.pem",
                                          .key = "/k.pem",
                                          .ca = "/ca.pem",
                                          .workdir = "/w",
                                          .public_url = "https://localhost:40123",
                                          .bindir = "/b",
                                          .push_url = "https://127.0.0.1:1/push/"};
  CheckRole(m->relay, ph);
  CheckRole(m->device, ph);
  for (const auto& [name, value] : m->env) {
    (void)tigress::harness::Expand(value, ph);
  }
  return 0;
}
