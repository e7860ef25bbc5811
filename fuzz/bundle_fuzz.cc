// Fuzz target: the reproduction bundle reader (harness/repro/bundle.h). The
// input is an archive (tar, gzip-compressed or not) handed to ReadBundle
// through an in-memory file, and also bundle.json text for ParseBundleInfo.
// A bundle it accepts keeps the reading rules: safe member paths, at most
// kMaxBundleMembers members of at most kMaxBundleMemberBytes each, and the
// scenario and manifests bundle.json names are among the members.
#include <cstdlib>
#include <string>
#include <unistd.h>

#include "fuzz/fuzz_check.h"
#include "harness/repro/bundle.h"
#include <sys/mman.h>

namespace {

using namespace tigress::harness;

// One memfd per process, rewritten for every input: no file on disk.
int InputFile() {
  static const int fd = ::memfd_create("bundle-fuzz-input", 0);
  FUZZ_CHECK(fd >= 0, "memfd_create works");
  return fd;
}

void CheckBundle(const Bundle& b) {
  FUZZ_CHECK(b.members.size() <= kMaxBundleMembers, "a bundle has at most kMaxBundleMembers");
  for (const BundleMember& m : b.members) {
    FUZZ_CHECK(IsSafeMemberPath(m.path), "every member path is safe");
    FUZZ_CHECK(m.data.size() <= kMaxBundleMemberBytes, "every member is within the size cap");
  }
  FUZZ_CHECK(b.Find(b.info.scenario) != nullptr, "the scenario member is present");
  for (const BundleImplementation& impl : b.info.implementations) {
    FUZZ_CHECK(b.Find(impl.manifest) != nullptr, "every manifest member is present");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  (void)ParseBundleInfo(tigress::fuzz::Text(data, size));

  const int fd = InputFile();
  FUZZ_CHECK(::ftruncate(fd, 0) == 0, "the input file can be emptied");
  std::size_t off = 0;
  while (off < size) {
    const ssize_t n = ::pwrite(fd, data + off, size - off, static_cast<off_t>(off));
    FUZZ_CHECK(n > 0, "the input file can be written");
    off += static_cast<std::size_t>(n);
  }
  auto bundle = ReadBundle("/proc/self/fd/" + std::to_string(fd));
  if (bundle) CheckBundle(*bundle);
  return 0;
}
