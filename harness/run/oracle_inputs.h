// File: harness/run/oracle_inputs.h
//
// What a case's privacy oracles look for, collected while its steps run:
// the Secrets adapters return (and the share-URL fragments that carry them),
// plaintext planted in provisioningInfo, and the payload data and display
// text probe steps send (what a push notification must not carry, PRIV-10).
// Safe to use from parallel lanes.
//
//   OracleInputs inputs([&](const Bytes& s) { redaction.AddSecret(s); });
//   inputs.NoteSecrets(outcome.result);
//   OracleInput in;  inputs.FillInto(in);
#pragma once

#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/oracles/oracles.h"
#include "protocol/encoding.h"

namespace tigress::harness {

class OracleInputs {
 public:
  // `add_secret` (optional) also registers every Secret found in an adapter's
  // result with the run's redaction, so no report shows it.
  explicit OracleInputs(std::function<void(const Bytes&)> add_secret = {});

  // `NoteSecrets` takes an adapter's result: its base64 `secret`, and the
  // fragment of a `shareUrl` or `url` (kept as text, and its Secret).
  void NoteSecrets(const nlohmann::json& result);

  // `NoteCallParams` takes the parameters the harness sends to an adapter:
  // string leaves of 8 or more characters under `provisioningInfo` (but its
  // `format`) are canaries; a `shareUrl` handed to a recipient gives its
  // fragment and, percent-decoded, its Secret.
  void NoteCallParams(const nlohmann::json& params);

  // `NoteContent` takes a probe's request body: payload.data,
  // displayInformation.title and .description of 8 or more characters.
  void NoteContent(const std::optional<std::string>& body);

  // `PushForbidden` is every text a push must not carry: the noted content
  // and every encoding of every noted Secret.
  std::vector<std::string> PushForbidden() const;

  // `FillInto` sets the secrets, fragments and canaries of `in`.
  void FillInto(OracleInput& in) const;

 private:
  std::function<void(const Bytes&)> add_secret_;
  mutable std::mutex mu_;
  std::vector<Bytes> secrets_;
  std::vector<std::string> fragments_;
  std::vector<std::string> canaries_;
  std::vector<std::string> content_;
};

}  // namespace tigress::harness
