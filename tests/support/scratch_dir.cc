#include "tests/support/scratch_dir.h"

#include <cstdio>
#include <cstdlib>
#include <string>
#include <system_error>
#include <unistd.h>

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

}  // namespace

ScratchDir::ScratchDir(std::string_view prefix) {
  std::error_code ec;
  std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) base = "/tmp";
  std::string templ = (base / (Sanitised(prefix) + "-XXXXXX")).string();
  // mkdtemp both picks an unused name and creates the directory 0700, so two
  // tests (or two runs of one) never share a directory or race for one.
  if (::mkdtemp(templ.data()) == nullptr) {
    std::perror(("ScratchDir: mkdtemp " + templ).c_str());
    std::abort();
  }
  path_ = templ;
}

ScratchDir::~ScratchDir() {
  if (keep_) return;
  std::error_code ec;
  std::filesystem::remove_all(path_, ec);
}

}  // namespace tigress::test_support
