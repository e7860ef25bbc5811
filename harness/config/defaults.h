// File: harness/config/defaults.h
//
// The harness's default time bounds in one place, in milliseconds. The
// runner's options, the command line's flags, a manifest's `ready` wait and
// a scenario's push window take their defaults from here, so a change is
// made once and the help text cannot disagree with the behaviour.
//
//   std::chrono::milliseconds call_timeout{kDefaultCallTimeoutMs};
#pragma once

#include <cstdint>

namespace tigress::harness {

// One adapter JSON-RPC call (a scenario step's `timeout` overrides it).
inline constexpr std::int64_t kDefaultCallTimeoutMs = 15'000;
// One known-answer call of `vectors --impl` (payload.seal, shareUrl.parse, ...).
inline constexpr std::int64_t kDefaultKatCallTimeoutMs = 10'000;
// One probe HTTP exchange (a scenario step's `timeout` overrides it).
inline constexpr std::int64_t kDefaultHttpTimeoutMs = 10'000;
// An adapter's start-up: hello, the contract probe and configure.
inline constexpr std::int64_t kDefaultStartTimeoutMs = 10'000;
// A manifest's `ready:` wait for a started process (`ready.timeout`).
inline constexpr std::int64_t kDefaultReadyTimeoutMs = 10'000;
// How long a push step waits for its notifications (`push.within`).
inline constexpr std::int64_t kDefaultPushWithinMs = 3'000;

}  // namespace tigress::harness
