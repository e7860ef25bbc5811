// File: tests/support/scratch_dir.h
//
// One private scratch directory per test (or per benchmark run): created
// fresh with mkdtemp under $TMPDIR (or /tmp), mode 0700, and removed with
// everything in it when the object goes away.
//
//   ScratchDir dir("tigress-relay");
//   std::ofstream(dir.path() / "ca.pem") << pem;
//   ...
//   if (HasFailure()) dir.Keep();   // leave the logs of a failed test behind
#pragma once

#include <filesystem>
#include <string_view>

namespace tigress::test_support {

class ScratchDir {
 public:
  // Makes <tmp>/<prefix>-XXXXXX. Characters of `prefix` outside
  // [A-Za-z0-9._-] become '_' (a parameterised test's name has '/'), so any
  // test name can be part of it. Aborts with a message on stderr when no
  // directory can be made: no test can run without one.
  explicit ScratchDir(std::string_view prefix = "tigress-test");
  ~ScratchDir();  // removes the tree unless `Keep` was called; never throws
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return path_; }

  // `Keep` leaves the directory in place when this object is destroyed.
  void Keep() { keep_ = true; }

 private:
  std::filesystem::path path_;
  bool keep_ = false;
};

}  // namespace tigress::test_support
