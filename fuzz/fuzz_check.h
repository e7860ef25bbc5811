// File: fuzz/fuzz_check.h
//
// What every fuzz target shares: the libFuzzer entry point's declaration and
// `FUZZ_CHECK`, which stops the process (abort) when an invariant of the code
// under test does not hold, so that libFuzzer and the corpus driver
// (fuzz/driver.cc) both report the input as a crash.
//
//   extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
//     std::string_view text = fuzz::Text(data, size);
//     FUZZ_CHECK(Parse(text).ok() || !text.empty(), "empty input parses");
//     return 0;
//   }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace tigress::fuzz {

// `Fail` prints "fuzz invariant violated: <what> (<file>:<line>)" and aborts.
[[noreturn]] void Fail(const char* what, const char* file, int line);

// `Text` views the input as characters.
inline std::string_view Text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};  // NOLINT: octets read as chars
}

}  // namespace tigress::fuzz

#define FUZZ_CHECK(cond, what)                                    \
  do {                                                            \
    if (!(cond)) ::tigress::fuzz::Fail(what, __FILE__, __LINE__); \
  } while (false)
