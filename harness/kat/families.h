// File: harness/kat/families.h
//
// The per-family evaluators behind `RunVectorDocument` (runner.h). Internal
// to harness/kat.
//
//   RunTigressFile      our families (payload_aead, share_url, messages):
//                       checks the file's top level, then runs each vector
//                       through the family's Run*Vector
//   RunWycheproofFile   Wycheproof's AES-GCM layout: groups the protocol
//                       cannot use are skipped and counted
//
// A Run*Vector evaluates one vector of a strict family whose common fields
// (id, requirements, flags, result, error) `RunTigressFile` has already read:
// `result` is "valid" or "invalid" and `token` the expected error token of an
// invalid vector. An unknown field fails the vector.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "harness/kat/kat_backend.h"
#include "harness/kat/outcome.h"
#include "harness/kat/runner.h"
#include "harness/kat/vector_fields.h"

namespace tigress::kat {

// payload_aead: roundtrip, seal and open.
Outcome RunPayloadVector(VectorFields& f, const std::string& result, const std::string& token,
                         KatBackend& backend);
// share_url: parse, build and strip.
Outcome RunShareUrlVector(VectorFields& f, const std::string& result, const std::string& token,
                          KatBackend& backend);
// messages: parse `body` and compare the serialisation with `expected` of `t`.
Outcome RunMessageVector(const nlohmann::json& t, VectorFields& f, const std::string& result,
                         const std::string& token, KatBackend& backend);

// `RunTigressFile` runs a document whose `family` is one of ours into `report`.
void RunTigressFile(const nlohmann::json& doc, const std::string& family, KatBackend& backend,
                    FileReport& report);
// `RunWycheproofFile` runs a document with `testGroups` into `report`; `label`'s
// stem prefixes the vector ids ("<stem>#<tcId>").
void RunWycheproofFile(const nlohmann::json& doc, std::string_view label, KatBackend& backend,
                       FileReport& report);

}  // namespace tigress::kat
