// FUZZ_CHECK's failure path, shared by the libFuzzer and the corpus-driver builds.
#include "fuzz/fuzz_check.h"

#include <cstdio>
#include <cstdlib>

namespace tigress::fuzz {

void Fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz invariant violated: %s (%s:%d)\n", what, file, line);
  std::abort();
}

}  // namespace tigress::fuzz
