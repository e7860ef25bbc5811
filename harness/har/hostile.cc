// File: harness/har/hostile.cc
#include "harness/har/hostile.h"

#include <array>
#include <utility>

namespace tigress::harness {
namespace {

constexpr std::array<std::pair<HostileMode, std::string_view>, 7> kNames = {{
    {HostileMode::kOff, "off"},
    {HostileMode::kFlipBit, "flip-bit"},
    {HostileMode::kTruncate, "truncate"},
    {HostileMode::kReplayOlder, "replay-older"},
    {HostileMode::kSwapMailbox, "swap-mailbox"},
    {HostileMode::kRequestIdMismatch, "request-id-mismatch"},
    {HostileMode::kUntrustedCert, "untrusted-cert"},
}};

}  // namespace

std::string_view HostileModeName(HostileMode mode) {
  for (const auto& [m, name] : kNames) {
    if (m == mode) {
      return name;
    }
  }
  return "off";  // unreachable for a valid enumerator
}

std::optional<HostileMode> ParseHostileMode(std::string_view name) {
  for (const auto& [m, n] : kNames) {
    if (n == name) {
      return m;
    }
  }
  return std::nullopt;
}

}  // namespace tigress::harness
