// File: protocol/uuid.h
//
// UUID text form (RFC 4122 / 9562): 8-4-4-4-12 hex digits. Mailbox ids, device
// claims and request IDs are UUIDs; ours are version 4 from the CSPRNG.
//
//   std::string claim = NewUuidV4();        // "3b0c…-4…-[89ab]…"
//   IsUuidV4(claim) == true
//   ValidateUuid("2bba630e-519b-11ec-bf63-0242ac130002", UuidRule::kAny)   // ok (v1)
//   ValidateUuid("2bba630e-519b-11ec-bf63-0242ac130002", UuidRule::kV4)    // kUuidNotV4
#pragma once

#include <string>
#include <string_view>

#include "protocol/result.h"

namespace tigress {

enum class UuidRule {
  kAny,  // any canonical UUID with the RFC 4122 variant (10xx)
  kV4,   // additionally version nibble 4
};

// `IsUuid` tells whether `s` is 36 characters 8-4-4-4-12 of hex digits (either
// case) with the RFC 4122 variant bits.
bool IsUuid(std::string_view s);
// `IsUuidV4` is `IsUuid` plus version 4.
bool IsUuidV4(std::string_view s);
// `UuidVersion` is the version nibble (0-15) of a syntactically valid UUID, -1 otherwise.
int UuidVersion(std::string_view s);

// `ValidateUuid` checks `s` under `rule`. Errors: kUuidInvalid (shape or
// variant), kUuidNotV4 (rule kV4 and another version). `what` names the value
// in the detail ("Mailbox-Device-Claim").
Result<void> ValidateUuid(std::string_view s, UuidRule rule, std::string_view what = "uuid");

// `NewUuidV4` is a fresh lower-case version-4 UUID from the CSPRNG. It aborts
// the process if the CSPRNG fails (there is no safe fallback).
std::string NewUuidV4();

}  // namespace tigress
