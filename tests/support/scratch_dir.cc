#include "tests/support/scratch_dir.h"

#include <cstdio>
#include <cstdlib>
#include <string>

namespace tigress::test_support {
namespace {

std::string Sanitised(std::string_view prefix) {
  std::string out(prefix);
  for (char& c : out) {
    const bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                       c == '.' || c == '_' || c == '-';
    if (!plain) c = '_';
  }
  return out.empty() ? "tigress-test" : out;
}

harness::TempDir CreateOrAbort(std::string_view prefix) {
  auto dir = harness::TempDir::Create(Sanitised(prefix), false);
  if (!dir) {
    // No test can run without its directory.
    std::fprintf(stderr, "ScratchDir: %s\n", dir.error().Message().c_str());
    std::abort();
  }
  return std::move(*dir);
}

}  // namespace

ScratchDir::ScratchDir(std::string_view prefix) : dir_(CreateOrAbort(prefix)) {}

}  // namespace tigress::test_support
