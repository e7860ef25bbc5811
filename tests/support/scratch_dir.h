// File: tests/support/scratch_dir.h
//
// One private scratch directory per test (or per benchmark run): the
// product's harness::TempDir (mkdtemp under the temp directory, mode 0700),
// removed with everything in it when the object goes away.
//
//   ScratchDir dir("tigress-relay");
//   std::ofstream(dir.path() / "ca.pem") << pem;
//   ...
//   if (HasFailure()) dir.Keep();   // leave the logs of a failed test behind
#pragma once

#include <filesystem>
#include <string_view>

#include "harness/process/temp_dir.h"

namespace tigress::test_support {

class ScratchDir {
 public:
  // Makes <tmp>/<prefix>-XXXXXX. Characters of `prefix` outside
  // [A-Za-z0-9._-] become '_' (a parameterised test's name has '/'), so any
  // test name can be part of it. Aborts with a message on stderr when no
  // directory can be made: no test can run without one.
  explicit ScratchDir(std::string_view prefix = "tigress-test");
  // The destructor removes the tree unless `Keep` was called; never throws.
  ScratchDir(const ScratchDir&) = delete;
  ScratchDir& operator=(const ScratchDir&) = delete;

  const std::filesystem::path& path() const { return dir_.path(); }

  // `Keep` leaves the directory in place when this object is destroyed.
  void Keep() { dir_.Keep(); }

 private:
  harness::TempDir dir_;
};

}  // namespace tigress::test_support
