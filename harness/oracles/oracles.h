// File: harness/oracles/oracles.h
//
// Privacy and replay oracles: checks run over a case's recorded transcript
// (harness/har/har.h, every exchange the relay saw through the recording proxy)
// after the case's steps. Pure logic: no I/O. Each check yields `Finding`s
// that the runner turns into reports::Assertion entries citing the
// requirement (docs/oracles.md lists every check, its requirement and the
// deliberate fault that proves it). The checks form a table (`OracleTable`)
// of functions over one parsed context (oracle_context.h).
//
//   OracleInput in;
//   in.transcript = &proxy->Transcript();
//   in.secrets = {secret};                 // what the adapters returned
//   in.canaries = {"m1-3b0c…"};            // plaintext planted in provisioningInfo
//   for (const Finding& f : RunOracles(in)) { ... catalog.Judge(f.requirement, f.ok, ...) }
//
// A check that found nothing to examine (no payloads, no claims) yields no
// finding; one that examined something and found no violation yields one
// passing finding; each violation yields a failing one (at most
// `kMaxFindingsPerCheck` per check) naming the exchange (#n, 1-based, in
// arrival order), the place (request line, header name, JSON path) and an
// excerpt with the Secret masked as "[secret:<encoding>]" and claims
// shortened.
#pragma once

#include <array>
#include <map>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "harness/har/har.h"
#include "protocol/encoding.h"

namespace tigress::harness {

inline constexpr std::size_t kMaxFindingsPerCheck = 5;

// Every requirement an oracle can cite (the table's and iv-unique's), for
// coverage: an oracle's check counts as asserting it. coverage_test holds it
// equal to the IDs the sources of harness/oracles/ name, oracle_table_test to
// the IDs the table's entries declare plus iv-unique's.
inline constexpr std::array<std::string_view, 22> kOracleRequirements = {
    "INIT-01",    "INIT-02",  "INIT-04",   "INIT-13",  "INIT-14",  "PAYLOAD-04",
    "PAYLOAD-15", "PRIV-01",  "PRIV-02",   "PRIV-04",  "PRIV-05",  "PRIV-06",
    "PRIV-07",    "PRIV-08",  "PRIV-09",   "RECIP-01", "RECIP-02", "RECIP-03",
    "RECIP-16",   "RELAY-04", "REPLAY-11", "URL-08"};

struct Finding {
  std::string check;        // the check's name (docs/oracles.md)
  std::string requirement;  // requirement ID from vectors/requirements.json
  bool ok = false;
  std::string message;  // where, with masked excerpt
  std::string expected;
  std::string actual;
};

struct OracleInput {
  const har::Transcript* transcript = nullptr;
  std::vector<Bytes> secrets;          // Secrets the adapters returned in the case
  std::vector<std::string> fragments;  // share-URL fragments as returned (text after '#')
  std::vector<std::string> canaries;   // plaintext planted in Provisioning Information (>= 8 chars)
  std::vector<std::string> personal_data;  // identifying strings displayInformation must not hold
  std::string relay_stderr;                // the relay's stderr during the case
};

// `SecretEncodings` is every text form a Secret is looked for in, with its
// name: standard and URL-safe base64 (padded, unpadded), lower/upper hex,
// percent-encoded standard base64 (upper- and lower-case escapes).
std::vector<std::pair<std::string, std::string>> SecretEncodings(ByteView secret);

struct OracleContext;  // oracle_context.h: the transcript parsed once
class Findings;        // oracle_context.h: the findings of one case, capped per check

// One entry of the per-case oracle table: a function that reads the case's
// context and reports findings under `checks` (Finding::check) citing
// `requirements`. An entry names several checks when their findings
// interleave (per exchange or per value) and must stay in that order.
struct OracleCheck {
  std::string_view id;
  std::vector<std::string_view> checks;
  std::vector<std::string_view> requirements;
  void (*run)(const OracleContext&, Findings&);
};

// `OracleTable` is every per-case check, in the order `RunOracles` runs them
// and reports their findings (docs/oracles.md describes each):
//   request-leaks          secret-never-sent (PRIV-01): no Secret encoding in a request or
//                          the relay's stderr; fragment-never-sent (RECIP-01): no '#' and no
//                          share-URL fragment text in a request target (reported there, not
//                          as PRIV-01); plaintext-never-sent (PRIV-02): no canary in a request
//                          or the relay's stderr, no payload `data` that decodes to JSON text
//   claims-v4              (PRIV-06) every Mailbox-Device-Claim is a version-4 UUID
//   initiator-claim-fresh  (INIT-01) no claim creates two mailboxes
//   recipient-claim-fresh  (RECIP-03) a recipient's claim is used on one mailbox and
//                          created none
// the leak checks again for the device that sent the request (the
// initiator's claim is the one on a create; another claim on a mailbox of
// the case is a recipient's; a request without a claim is neither's):
//   initiator-sends-no-secret (INIT-13)  no Secret leak in an initiator request
//   recipient-strips-fragment (URL-08)   no fragment or Secret leak in a recipient request
//   recipient-sends-no-secret (RECIP-02) no Secret or canary leak in a recipient request
// then:
//   token-fresh            (PRIV-07) no notification token on two mailboxes; the device
//                          that sent it also fails initiator-identifiers (INIT-14) or
//                          recipient-token-fresh (RECIP-16)
//   no-cookies             (PRIV-05) no Cookie request header; (PRIV-04) no Set-Cookie
//                          response header
//   display-not-identifying (PRIV-09) displayInformation (but imageURL) holds no e-mail
//                          address, phone number or declared personal data; the
//                          initiator's also fails initiator-identifiers (INIT-14), whose
//                          pass this entry reports
//   attestation-fresh      (PRIV-08) no Mailbox-Device-Attestation on two mailboxes, none
//                          identifying; the initiator's reuse fails INIT-14
//   create-well-formed     (INIT-02) every create carries claim and Request-ID headers, a
//                          JSON content type, payload.type/data, displayInformation
//                          title/description/imageURL and mailboxConfiguration.expiration,
//                          all strings; expiration-utc (INIT-04) that expiration is
//                          YYYY-MM-DDThh:mm:ssZ and later than the create's arrival
//   request-id-fresh       (REPLAY-11) creates, updates, deletes and relinquishes carry a
//                          UUID Request-ID that repeats only on a retry (same method,
//                          target, claim and body)
//   mailbox-ids-random     (RELAY-04) created mailbox ids are v4 UUIDs without a run of 8
//                          equal hex digits, and distinct
//   secret-quality         (PAYLOAD-15) `SecretQualityFindings` over `ShareSecrets(in)`
// The run-wide iv-unique (PAYLOAD-04) is `IvLedger`, not in the table.
const std::vector<OracleCheck>& OracleTable();

// `RunOracles` runs the table's checks over one case and returns their
// findings in table order.
std::vector<Finding> RunOracles(const OracleInput& in);

// One share's Secret and how a finding names it ("the Secret of mailbox
// 5d4c3b2a… (created at exchange #1)"); the label never holds the Secret.
struct ShareSecret {
  Bytes secret;
  std::string label;
};

// `ShareSecrets` is the Secret of every share a device made in the case: for
// each create in the transcript answered 2xx with a urlLink (one entry per
// mailbox, so a retried create counts once), the known Secret in `in.secrets`
// that opens its payload. A create no known Secret opens is left out. Only
// the transcript's creates count because `in.secrets` also holds Secrets the
// harness chose itself (known-answer keys handed to a recipient in a Share
// URL), which say nothing about a device's RNG; the harness's own HTTP steps
// do not pass through the recording proxy. A Secret shorter than 16 octets
// opens no AES-GCM payload, so it never appears here.
std::vector<ShareSecret> ShareSecrets(const OracleInput& in);

// `SecretQualityFindings` is the check secret-quality (PAYLOAD-15: the Secret
// is a fresh key from a strong RNG, >= 128 bits) over a list of Secrets with
// one entry per share: pass the Secret of a share once, even when it was seen
// several times (an adapter's `secret` and its Share URL), or it reads as
// reused. It is a pure function, so the same call serves one case
// (`ShareSecrets`) or a whole run (the shares of every case together). The
// first overload names Secrets "Secret #n" (1-based), the second by label.
//
// Each failing finding has check "secret-quality", requirement PAYLOAD-15, a
// message starting "rule <name>: " and names Secrets, offsets, lengths and
// counts only, never Secret octets. The rules, with the chance that random
// keys trip them:
//   short             a Secret of fewer than 16 octets (128 bits).
//   repeated-octets   a run of `run` or more equal octets (zeros or any one
//                     value) in a Secret; the longest run is reported. For a
//                     random 16-octet key about 13 * 2^-24 (7.7e-7), 32
//                     octets 29 * 2^-24 (1.7e-6).
//   identical         two entries hold the same Secret (reuse across shares).
//   shared-substring  two different Secrets hold the same `sub` or more octets
//                     at the same offset; the longest such run is reported.
//                     Per pair of random 16-octet keys about 13 * 2^-32
//                     (3.0e-9), 32 octets 29 * 2^-32 (6.8e-9).
//   bit-balance       over the distinct Secrets, when they hold at least 128
//                     bits: the number of one bits K in B bits differs from
//                     B/2 by more than 5 standard deviations (5 * sqrt(B)/2);
//                     for random keys about 5.7e-7.
// `run` and `sub` are 4 for the few Secrets of a case. They grow by one while
// the expected number of chance matches over the whole list (the sum of the
// per-Secret, or per-pair, figures above) exceeds 2^-16, so a long list
// keeps the false-alarm bound: `run` becomes 5 from 20 Secrets of 16 octets
// (9 of 32), `sub` from 101 of 16 octets (68 of 32); 1000 random Secrets use
// 5 for both. Each rule reports at most kMaxFindingsPerCheck violations. With
// no Secret there is no finding; with no violation one passing finding.
std::vector<Finding> SecretQualityFindings(std::span<const Bytes> secrets);
std::vector<Finding> SecretQualityFindings(std::span<const ShareSecret> shares);

// `IvLedger` is the run-wide replay oracle iv-unique (PAYLOAD-04): every
// (key, IV) pair across all payload writes of a run is unique. The key of a
// payload is the known Secret that opens it (else the mailbox it was written
// to); the IV is the first 12 octets of `data`. The same `data` sent again (a
// retry) is not a reuse. Not thread-safe: callers serialise `Add`.
class IvLedger {
 public:
  // `Add` records the payload writes of one case and returns its findings
  // (reuses against earlier cases name them).
  std::vector<Finding> Add(const std::string& case_id, const OracleInput& in);

 private:
  struct Seen {
    std::string case_id;
    std::size_t exchange = 0;
    std::string data;
  };
  std::map<std::string, Seen> seen_;  // key id + IV (hex) -> first use
};

}  // namespace tigress::harness
