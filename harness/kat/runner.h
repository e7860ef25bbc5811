// File: harness/kat/runner.h
//
// The known-answer vector runner: takes parsed vector files, detects their
// family, runs every vector against a `KatBackend`, and reports one result per
// vector. Families (docs/vectors.md):
//   payload_aead, share_url, messages   our files (vectors/*.json), strict:
//                                       an unknown field fails its vector
//   Wycheproof AEAD                     files in Wycheproof's own AES-GCM layout
//                                       (`algorithm`, `testGroups` with keySize /
//                                       ivSize / tagSize); groups the protocol
//                                       cannot use are skipped and counted
//
//   CoreBackend core;
//   FileReport r = RunVectorFile("vectors/payload_aead.json", core);
//   for (const VectorResult& v : r.results) std::cout << VerdictName(v.verdict) << " " << v.id;
//
//   // the `tigress-harness vectors` / `tigress-kat` command:
//   int rc = RunVectorsCommand(DefaultVectorFiles("vectors"), std::cout, core, false);
//
// Units: runner.cc (reading a file, family dispatch, summary), families.h
// (tigress_file.cc, payload_family.cc, share_url_family.cc, message_family.cc,
// wycheproof_file.cc), vector_fields.h (typed field reads), outcome.h (the
// verdict rules the families share), render.cc (RunVectorsCommand's text).
#pragma once

#include <cstddef>
#include <filesystem>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/kat/kat_backend.h"

namespace tigress::kat {

enum class Verdict {
  kPass,         // the backend produced the expected output or rejection
  kFail,         // wrong output, wrong error, accepted an invalid input, or a broken backend
  kSkip,         // the vector uses a parameter the protocol does not (Wycheproof groups, AAD)
  kUnsupported,  // the backend does not offer the operation
};

// `VerdictName` is "PASS", "FAIL", "SKIP" or "UNSUPPORTED".
std::string_view VerdictName(Verdict v);

// `VectorResult` is the outcome of one vector.
struct VectorResult {
  std::string id;  // stable vector id, or "<file stem>#<tcId>"
  Verdict verdict = Verdict::kFail;
  std::string detail;                        // why (never a Secret or plaintext in full)
  std::vector<std::string> requirements;     // catalogue IDs ("PAYLOAD-11")
  std::vector<std::string> interpretations;  // part C entries its flags rest on ("C-29")
};

// `SkippedGroup` records a Wycheproof test group the runner did not run.
struct SkippedGroup {
  std::size_t group_index = 0;  // 0-based index in testGroups
  std::string reason;           // "ivSize 64 (the protocol uses 96-bit IVs)"
  std::size_t tests = 0;        // how many tests it held
};

// `FileReport` is the outcome of one vector file.
struct FileReport {
  std::string file;                   // label (path as given)
  std::string family;                 // "payload_aead", ..., "wycheproof_aead"
  std::vector<VectorResult> results;  // one per vector, in file order
  std::vector<SkippedGroup> skipped_groups;
  std::vector<std::string> errors;  // file-level format errors (each counts as a failure)
};

// `Summary` counts verdicts over one or more files.
struct Summary {
  std::size_t passed = 0;
  std::size_t failed = 0;       // FAIL verdicts plus file-level errors
  std::size_t skipped = 0;      // SKIP
  std::size_t unsupported = 0;  // UNSUPPORTED: the backend does not offer the operation
};

// `RunVectorDocument` runs one parsed vector file. `label` names it in
// messages and prefixes Wycheproof ids. Never throws; format problems become
// `errors` or FAIL results that name the field.
FileReport RunVectorDocument(const nlohmann::json& doc, std::string_view label,
                             KatBackend& backend);

// `RunVectorFile` reads and parses `path`, then `RunVectorDocument`. An
// unreadable or non-JSON file gives a report with one error naming it.
FileReport RunVectorFile(const std::filesystem::path& path, KatBackend& backend);

// `Summarize` adds up the verdicts of `reports`.
Summary Summarize(const std::vector<FileReport>& reports);

// `DefaultVectorFiles` lists `dir`/*.json except requirements*.json and
// *.schema.json, sorted by name.
std::vector<std::string> DefaultVectorFiles(const std::filesystem::path& dir);

// `RunVectorsCommand` runs `files` and prints, per file, a header line, one
// line per vector ("PASS payload-aead-001-kat1", "FAIL <id>: <detail>"), the
// skipped Wycheproof groups with their test counts, and finally
// "N passed, N failed, N skipped" (", N unsupported" when the backend did
// not offer some vectors' operations). `verbose` adds the detail and requirement
// IDs to PASS lines and lists each test of a skipped group. Returns 0 when
// nothing failed and at least one vector ran, 1 otherwise.
int RunVectorsCommand(const std::vector<std::string>& files, std::ostream& out, KatBackend& backend,
                      bool verbose);

}  // namespace tigress::kat
