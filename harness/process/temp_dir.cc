#include "harness/process/temp_dir.h"

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <utility>
#include <vector>

namespace tigress::harness {

Result<TempDir> TempDir::Create(const std::string& prefix, bool keep) {
  std::error_code ec;
  const std::filesystem::path base = std::filesystem::temp_directory_path(ec);
  if (ec) {
    return MakeError(Errc::kIoFailure, "no temporary directory: " + ec.message());
  }
  const std::string pattern = (base / (prefix + "-XXXXXX")).string();
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');
  if (::mkdtemp(name.data()) == nullptr) {
    return MakeError(Errc::kIoFailure,
                     "cannot create a directory " + pattern + ": " + std::strerror(errno));
  }
  return TempDir(std::filesystem::path(name.data()), keep);
}

TempDir::TempDir(std::filesystem::path path, bool keep) : path_(std::move(path)), keep_(keep) {}

TempDir::~TempDir() { Remove(); }

TempDir::TempDir(TempDir&& other) noexcept
    : path_(std::exchange(other.path_, {})), keep_(other.keep_) {}

TempDir& TempDir::operator=(TempDir&& other) noexcept {
  if (this != &other) {
    Remove();
    path_ = std::exchange(other.path_, {});
    keep_ = other.keep_;
  }
  return *this;
}

void TempDir::Remove() {
  if (!keep_ && !path_.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
}

}  // namespace tigress::harness
