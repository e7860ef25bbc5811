#include "reference/relay/faults.h"

#include <string>

namespace tigress::relay {
namespace {

const std::vector<FaultInfo> kFaults = {
    {Fault::kNoRequestIdEcho, "no-request-id-echo", "never echo Mailbox-Request-ID (REPLAY-01)"},
    {Fault::kDuplicateReprocessed, "duplicate-reprocessed",
     "process a duplicate Mailbox-Request-ID again instead of 201 (REPLAY-02..04)"},
    {Fault::kDuplicateCreateNoBody, "duplicate-create-no-body",
     "answer a duplicate create with 201 and an empty body (REPLAY-12, C-05)"},
    {Fault::kBindAnyClaim, "bind-any-claim",
     "let any claim read, update and delete; nobody is refused (RELAY-31, RELAY-56)"},
    {Fault::kNotFoundAs401, "not-found-as-401",
     "answer 401 instead of 404 for unknown mailboxes (RELAY-59, C-44)"},
    {Fault::kNoExpiry, "no-expiry", "never enforce or sweep expiration (RELAY-45, SEC-07)"},
    {Fault::kAcceptPastExpiration, "accept-past-expiration",
     "accept an already-past expiration (the mailbox gets the default lifetime) (RELAY-47, C-23)"},
    {Fault::kIgnoreAccessRights, "ignore-access-rights",
     "do not enforce accessRights (RELAY-12, RELAY-48)"},
    {Fault::kSequentialIds, "sequential-ids",
     "mailbox ids are a predictable counter (RELAY-04, SEC-06)"},
    {Fault::kUrlLinkWithoutVersion, "urllink-without-version",
     "urlLink is <public-url>/m/<id> without /v1 (RELAY-02, C-26)"},
    {Fault::kPreviewUnescaped, "preview-unescaped",
     "insert display information into the preview unescaped, javascript: URLs kept (SEC-10)"},
    {Fault::kPreviewLeaksPayload, "preview-leaks-payload",
     "put payload data into the preview HTML (RELAY-28)"},
    {Fault::kDeleteKeepsMailbox, "delete-keeps-mailbox",
     "answer 200 to delete but keep the mailbox (RELAY-22)"},
    {Fault::kExpirationNotStrict, "expiration-not-strict",
     "return expiration as 2026-01-01T00:00:00.000+00:00 instead of the wire form (RELAY-29, "
     "C-24)"},
    {Fault::kPushToWriter, "push-to-writer",
     "notify the writer instead of the other party (RELAY-50, C-37)"},
    {Fault::kBadJson500, "bad-json-500",
     "answer malformed JSON bodies with 500 instead of 400 (RELAY-10)"},
    {Fault::kNoBodyLimit, "no-body-limit", "accept request bodies of any size (RELAY-55)"},
    {Fault::kPlainHttp, "plain-http", "serve plain HTTP instead of TLS on the port (SEC-01)"},
    {Fault::kAllowTls10, "allow-tls10", "accept TLS 1.0 and 1.1 with weak ciphers (SEC-03, C-43)"},
    {Fault::kSetCookie, "set-cookie", "every response sets a tracking cookie (PRIV-04)"},
    {Fault::kPushWithPayload, "push-with-payload",
     "a push notification carries the new payload as its JSON body (PRIV-10)"},
    {Fault::kRefuseCreates, "refuse-creates",
     "answer every create with 400 {\"error\": \"Invalid or missing Device-Claim header\"} "
     "(RELAY-01)"},
    {Fault::kDuplicateClaimAny, "duplicate-claim-any",
     "with two Mailbox-Device-Claim header lines, authorise the request if any value is a "
     "party's claim (RELAY-66, SEC-04)"},
    {Fault::kMethod500, "method-500",
     "answer a method the relay does not implement (BREW, get, TRACE...) with 500 (RELAY-61, "
     "C-46)"},
    {Fault::kHead500, "head-500", "answer HEAD on a mailbox with 500 (RELAY-61, RELAY-62)"},
    {Fault::kAttestationCreateOnly, "attestation-create-only",
     "answer 400 to a delete, secure read or relinquish that carries the device attestation "
     "header (C-10; sct-04 §6.3.2, §6.5.2, §6.6.2)"},
};

const std::vector<QuirkInfo> kQuirks = {
    {Quirk::kMethod501, "method-501",
     "answer a method the relay does not implement (BREW, get, TRACE, OPTIONS, CONNECT...) with "
     "501 on any path",
     "RFC 9110 §9.1, RFC 9112 §3"},
    {Quirk::kHead405, "head-405", "answer HEAD on a mailbox with 405 and Allow", "RFC 9110 §9.1"},
    {Quirk::kEarly413Close, "early-413-close",
     "over-limit Content-Length: answer 413 right after the header section and close without "
     "reading the body",
     "RFC 9110 §15.5.14"},
    {Quirk::kAnyRequestId, "any-request-id",
     "accept any non-empty Mailbox-Request-ID, not only UUIDs (the Device Claim must still be "
     "one)",
     "draft §5.1"},
    {Quirk::kOpaqueData, "opaque-data",
     "check payload data only for being a non-empty string (no base64 or length check)",
     "draft §8.1.3"},
    {Quirk::kTrailingSlash, "trailing-slash",
     "treat /v1/m/ and /v1/m/<id>/ as /v1/m and /v1/m/<id>", "RFC 9110 §4.2.3"},
    {Quirk::kLargeHeaders, "large-headers", "accept header sections up to 1 MiB (default 16 KiB)",
     "RFC 9110 §5.4"},
    {Quirk::kOgImageAnyScheme, "og-image-any-scheme",
     "keep an imageURL of any scheme (javascript:, data:) in og:image, HTML-escaped, under the "
     "same script-forbidding CSP",
     "draft §6.4"},
    {Quirk::kRequestIdOptional, "request-id-optional",
     "accept a request without Mailbox-Request-ID on every endpoint (no duplicate detection "
     "for it, nothing echoed)",
     "sct-04 §6: no endpoint lists the Request-ID as a parameter"},
};

// The one lookup behind ParseFault and ParseQuirk: `Info` is FaultInfo or
// QuirkInfo, `member` the enumerator field.
template <typename Info, typename Value>
Result<Value> Lookup(const std::vector<Info>& table, Value Info::*member, std::string_view flag,
                     std::string_view what, std::string_view name) {
  std::string known;
  for (const Info& row : table) {
    if (row.name == name) return row.*member;
    known += known.empty() ? "" : ", ";
    known += row.name;
  }
  return MakeError(Errc::kFieldInvalid, std::string(flag) + ": unknown " + std::string(what) +
                                            " '" + std::string(name) + "' (known: " + known + ")");
}

}  // namespace

const std::vector<FaultInfo>& AllFaults() { return kFaults; }

const std::vector<QuirkInfo>& AllQuirks() { return kQuirks; }

Result<Fault> ParseFault(std::string_view name) {
  return Lookup(kFaults, &FaultInfo::fault, "--fault", "fault", name);
}

Result<Quirk> ParseQuirk(std::string_view name) {
  return Lookup(kQuirks, &QuirkInfo::quirk, "--quirk", "quirk", name);
}

}  // namespace tigress::relay
