// File: harness/process/temp_dir.h
//
// `TempDir`: a new, private directory under the system temp directory,
// removed with everything in it when the object goes out of scope unless
// `keep` is set.
//
//   TIGRESS_ASSIGN_OR_RETURN(TempDir work, TempDir::Create("tigress-replay", false));
//   WriteFiles(work.path());
//
// The directory is made by mkdtemp: it exists when `Create` returns, its
// name ("<prefix>-XXXXXX") was free, and only the harness's user may enter it
// (mode 0700), so nothing else can have placed files in it.
#pragma once

#include <filesystem>
#include <string>

#include "protocol/result.h"

namespace tigress::harness {

class TempDir {
 public:
  // `Create` makes "<temp dir>/<prefix>-XXXXXX". Errors: kIoFailure naming
  // the template and the OS error (no temp directory, not writable).
  static Result<TempDir> Create(const std::string& prefix, bool keep);

  ~TempDir();
  TempDir(TempDir&& other) noexcept;
  TempDir& operator=(TempDir&& other) noexcept;
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  // `path` is the directory; empty once moved from.
  const std::filesystem::path& path() const { return path_; }

  // `Keep` leaves the directory in place when this object goes away.
  void Keep() { keep_ = true; }

 private:
  TempDir(std::filesystem::path path, bool keep);
  void Remove();

  std::filesystem::path path_;
  bool keep_;
};

}  // namespace tigress::harness
