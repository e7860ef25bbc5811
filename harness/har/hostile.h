// File: harness/har/hostile.h
//
// The hostile modes of the recording proxy (harness/net/proxy.h): how a
// relay's answers are tampered with before they reach the devices, as the
// names scenarios write in a `hostile:` step.
//
//   auto mode = ParseHostileMode("flip-bit");   // HostileMode::kFlipBit
//   HostileModeName(*mode) == "flip-bit"
#pragma once

#include <optional>
#include <string_view>

namespace tigress::harness {

// `HostileMode` is one of the proxy's behaviours; see
// RecordingProxy::SetHostile for what each does to an answer.
enum class HostileMode {
  kOff,                // "off": forward faithfully
  kFlipBit,            // "flip-bit"
  kTruncate,           // "truncate"
  kReplayOlder,        // "replay-older"
  kSwapMailbox,        // "swap-mailbox"
  kRequestIdMismatch,  // "request-id-mismatch"
  kUntrustedCert,      // "untrusted-cert"
};

// `HostileModeName` is the mode's scenario name (the quoted names above).
std::string_view HostileModeName(HostileMode mode);

// `ParseHostileMode` is the mode named exactly `name` (case-sensitive), or
// nullopt for any other text.
std::optional<HostileMode> ParseHostileMode(std::string_view name);

}  // namespace tigress::harness
