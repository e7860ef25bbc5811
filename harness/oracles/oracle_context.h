// File: harness/oracles/oracle_context.h
//
// What every per-case check of the oracle table (oracles.h `OracleTable`)
// reads and where it writes. `OracleContext` is the case's transcript parsed
// once: per exchange its name, request target, claim, parsed JSON body, the
// mailbox it is about, the device that sent it and what it leaked; per case
// the Secrets, fragments and canaries as text to look for, and the claims and
// mailboxes the creates made. `Findings` collects what the checks report and
// caps each check's failures at kMaxFindingsPerCheck. Internal to
// harness/oracles: tests use it to run one table entry alone.
//
//   OracleContext ctx = BuildOracleContext(in);
//   Findings out;
//   CheckClaimsV4(ctx, out);
//   std::vector<Finding> all = out.Take();
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "harness/oracles/oracles.h"
#include "protocol/encoding.h"

namespace tigress::harness {

using Json = nlohmann::json;

// Leak kinds, as bits of ExchangeFacts::leaks.
inline constexpr unsigned kLeakSecret = 1;
inline constexpr unsigned kLeakFragment = 2;
inline constexpr unsigned kLeakPlaintext = 4;

// The device that sent an exchange: the initiator's claim is the one on a
// create; any other claim on a mailbox created in the case is a recipient's.
// Requests without a claim (a preview) belong to neither.
enum class Sender { kUnknown, kInitiator, kRecipient };

// "the initiator", "the recipient", or "" for kUnknown.
const char* SenderName(Sender s);

// A text to look for and what replaces it in excerpts ("[secret:hex]").
struct Needle {
  std::string text;
  std::string label;
};

// One place of a request: "request line", "header X-Foo", "body
// payload.data" (one per JSON string leaf) or "body" (the raw body), with
// its text.
struct Place {
  std::string name;
  std::string text;
};

struct ExchangeFacts {
  const har::Exchange* exchange = nullptr;
  std::string name;        // "exchange #n (METHOD /path)", n 1-based
  std::string target;      // request target ("/v1/m/…?v=c"), fragment kept
  std::string path;        // the target without query or fragment
  std::string claim;       // Mailbox-Device-Claim, "" when absent
  std::string request_id;  // Mailbox-Request-ID, "" when absent
  Json body;               // the request body parsed; discarded when not JSON
  bool is_create = false;  // POST …/m
  bool ok = false;         // answered 2xx
  // The mailbox named by the last path segment, lower-cased.
  std::string target_mailbox;
  // For a POST answered 2xx with a string urlLink: its mailbox id, lower-cased.
  std::optional<std::string> created_mailbox;
  // The mailbox the exchange is about: target_mailbox, or for a create the
  // mailbox its urlLink names.
  std::string mailbox;
  Sender sender = Sender::kUnknown;
  unsigned leaks = 0;  // kLeak* bits: what the request leaked
  // The leak findings of the request in the order found (uncapped).
  std::vector<Finding> leak_findings;
};

struct OracleContext {
  const OracleInput* in = nullptr;
  std::vector<ExchangeFacts> ex;
  std::vector<Needle> secret_needles;  // every encoding of every Secret, longest first
  std::vector<std::string> fragments;  // share-URL fragments of 8+ chars, percent-decoded
  std::vector<Needle> canary_needles;  // distinctive canaries, longest first
  // Claims in sorted order, each with the exchange that first sent it.
  std::map<std::string, std::size_t> claim_first_use;
  // Mailboxes created in the case with the exchange that created each (a
  // retried create counted once), and per claim the mailboxes it created.
  std::vector<std::pair<std::string, std::size_t>> created_ids;
  std::map<std::string, std::set<std::string>> created_by_claim;
  std::map<std::string, std::string> initiator_of;  // mailbox -> creating claim
};

// `BuildOracleContext` computes every fact above from `in` (whose transcript
// must be set); `in` must outlive the context.
OracleContext BuildOracleContext(const OracleInput& in);
OracleContext BuildOracleContext(const OracleInput&& in) = delete;  // would dangle

// `Findings` is what the checks of one case report, in order. Failing
// findings of one check name beyond kMaxFindingsPerCheck are dropped; the
// count goes on, so a check reports a pass only when nothing failed.
class Findings {
 public:
  void Fail(const std::string& check, const std::string& req, std::string message,
            std::string expected, std::string actual);
  void Fail(const Finding& f);
  // A passing finding when the check examined something and nothing failed.
  void PassIfClean(const std::string& check, const std::string& req, bool examined,
                   std::string message, const std::string& expected);
  // Findings a check capped on its own (secret-quality's per-rule caps).
  void Append(const std::vector<Finding>& more);
  std::size_t failures(const std::string& check) const;
  const std::vector<Finding>& all() const { return out_; }
  std::vector<Finding> Take() { return std::move(out_); }

 private:
  std::vector<Finding> out_;
  std::map<std::string, std::size_t> failures_;
};

// Text helpers the checks share.
// "exchange #n (METHOD /path)", n = i + 1.
std::string ExchangeName(std::size_t i, const har::Exchange& e);
std::string RequestTarget(std::string_view url);
std::string PathOnly(std::string_view url);
std::string LastSegment(const std::string& path);
// Each replaces every occurrence of each needle's text by its label.
std::string MaskAll(std::string text, const std::vector<Needle>& needles);
// An excerpt of `masked` around the first `marker`, control characters blanked.
std::string Excerpt(const std::string& masked, const std::string& marker);
// Every string leaf of `j` as a place "body PATH" (PATH from `path`).
void JsonLeaves(const Json& j, const std::string& path, std::vector<Place>& out);
// The payload.data / payload.type strings of a request body, "" when absent.
std::string PayloadData(const Json& body);
std::string PayloadType(const Json& body);
// The index in `secrets` of the Secret that opens the payload in `body`.
std::optional<std::size_t> OpeningSecret(const std::vector<Bytes>& secrets, const Json& body);
// "object" or "array" when `raw` is JSON text of that kind (plaintext where a
// ciphertext belongs), else nullptr.
const char* JsonTextKind(const Bytes& raw);

}  // namespace tigress::harness
