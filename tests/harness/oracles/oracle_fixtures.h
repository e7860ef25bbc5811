// File: tests/harness/oracles/oracle_fixtures.h
//
// Hand-made transcripts for the oracle tests: a clean two-share case that
// every check examines and passes, and one transcript per check that trips
// it. `RunEntry` runs one entry of the oracle table alone.
#pragma once

#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "harness/har/har.h"
#include "harness/oracles/oracle_context.h"
#include "harness/oracles/oracles.h"
#include "protocol/encoding.h"

namespace tigress::harness::testing {

inline const Bytes kSecret = HexDecode("857969e9a442eca809a4e2d335968bb3").value();
inline const Bytes kSecret2 = HexDecode("3c91e07a5fd2468b0e7719a4c2d85b6f").value();
inline const std::string kClaimA = "3b0c2a4e-1f0d-4c8e-9a51-6d2f7e8b9c01";
inline const std::string kClaimB = "9f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f";
inline const std::string kClaimC = "1e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
inline const std::string kClaimD = "2e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
inline const std::string kBox = "5d4c3b2a-1f0e-4d9c-8b7a-695847362514";
inline const std::string kOtherBox = "6e5d4c3b-2a1f-4e0d-9c8b-7a6958473625";
inline const std::string kCanary = "m1-canary-text";

// A create of `box` by `claim` answered 200 with its urlLink; its
// Request-ID is derived from `box`.
har::Exchange Create(const std::string& claim, const std::string& data,
                     const std::string& box = kBox);
// A POST by `claim` on `target` answered 200 (a recipient's read).
har::Exchange Read(const std::string& claim, const std::string& target = "/v1/m/" + kBox);
// `text` sealed under `key` (AES-128-GCM) with the IV in hex.
std::string Sealed(const std::string& iv_hex = "000102030405060708090a0b",
                   const std::string& text = "{\"format\":\"x\",\"content\":{}}",
                   const Bytes& key = kSecret);
// Adds `member` (`"name":value`) to a JSON object request body.
void AddMember(har::Exchange& e, const std::string& member);

std::vector<Finding> Failures(const std::vector<Finding>& all);
std::vector<Finding> Passes(const std::vector<Finding>& all);
// The requirement IDs the failures among `all` cite, each once.
std::set<std::string> FailedIds(const std::vector<Finding>& all);

// A transcript with the oracle input that goes with it.
struct OracleCase {
  std::string name;
  har::Transcript transcript;
  OracleInput base;  // transcript pointer unset
  OracleInput Input() const {
    OracleInput in = base;
    in.transcript = &transcript;
    return in;
  }
};

// Two shares, each with its own claims, Secret, token and attestation, a
// recipient reading the first: every table entry examines something and
// nothing fails.
OracleCase CleanCase();

// One case per table entry that trips it, named after the entry id, with
// the requirement IDs its failures cite.
struct TrippingCase {
  OracleCase c;
  std::vector<std::string> requirements;
};
std::vector<TrippingCase> TrippingCases();

// The findings of table entry `id` alone on `in`.
std::vector<Finding> RunEntry(std::string_view id, const OracleInput& in);

}  // namespace tigress::harness::testing
