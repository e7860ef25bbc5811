// File: reports/redaction.h
//
// `RedactionGuard`: the last line of defence against a Secret reaching a
// report. Evidence is redacted where it is recorded; in addition the runner
// registers every sensitive value here (Share URL Secrets, planted plaintext
// canaries, device claims) and every writer replaces any occurrence with
// "[REDACTED]" before the text leaves the process.
//
//   RedactionGuard guard;
//   guard.AddSecret(secret_bytes);      // all encodings of the key
//   guard.Add("canary-plaintext-7f3a"); // an exact string
//   std::string safe = guard.Apply(text);
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "protocol/encoding.h"
#include "reports/results.h"

namespace tigress::reports {

// The text that replaces a registered value.
inline constexpr std::string_view kRedacted = "[REDACTED]";

class RedactionGuard {
 public:
  // Values shorter than this are refused by `Add`: replacing them everywhere
  // would shred a report while protecting nothing of value.
  static constexpr std::size_t kMinLength = 6;

  // `Add` registers an exact string. Returns false (and registers nothing)
  // when it is shorter than `kMinLength`.
  bool Add(std::string_view sensitive);

  // `AddSecret` registers every encoding a Secret can travel in: standard and
  // URL-safe base64, padded and unpadded; percent-encoded standard base64
  // (upper- and lower-case hex digits); lower- and upper-case hex; and the raw
  // octets when they are printable text.
  void AddSecret(ByteView secret);

  // `Apply` replaces every occurrence of every registered value with
  // `kRedacted`. Longer values are replaced first, so a value that contains
  // another is removed whole.
  std::string Apply(std::string_view text) const;

  // `ApplyTo` redacts every text field of a run in place (case fields,
  // assertions, evidence, attachments, command line), so that escaping done
  // by a writer later cannot split a registered value.
  void ApplyTo(RunResult& run) const;

  bool empty() const { return values_.empty(); }
  std::size_t size() const { return values_.size(); }

 private:
  std::vector<std::string> values_;  // kept sorted longest first, unique
};

}  // namespace tigress::reports
