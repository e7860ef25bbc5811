// File: harness/cli/temp_dir.h
//
// `TempDir`: a fresh directory path under the system temp directory
// ("<prefix>-<pid>-<n>"), removed with everything in it when the object goes
// out of scope unless `keep` is set. The directory itself is not created:
// callers that need it create it, others (an extracted bundle) let the
// writer do so.
#pragma once

#include <atomic>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace tigress::harness {

class TempDir {
 public:
  TempDir(const std::string& prefix, bool keep) : keep_(keep) {
    static std::atomic<int> counter{0};
    path_ = std::filesystem::temp_directory_path() /
            (prefix + "-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  ~TempDir() {
    if (!keep_) {
      std::error_code ec;
      std::filesystem::remove_all(path_, ec);
    }
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  TempDir(TempDir&&) = delete;
  TempDir& operator=(TempDir&&) = delete;

  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  bool keep_;
};

}  // namespace tigress::harness
