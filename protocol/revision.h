// File: protocol/revision.h
//
// The draft revisions this project can speak and judge, as data. Everything
// that differs between two revisions on the wire (header names, which
// endpoint's Request Parameters list which header) is a field of
// `RevisionInfo`; code asks the table instead of branching on a revision.
//
//   const RevisionInfo& r = RevisionOf(Revision::kSct04);
//   r.claim_header                                  // "Device-Claim"
//   WireHeaderName(r, "Mailbox-Device-Claim")       // "Device-Claim"
//   CanonicalHeaderName(r, "device-claim")          // "Mailbox-Device-Claim"
//   ParseRevision("sct-04")                         // Revision::kSct04
//
// The canonical names are http-00's (draft-vinokurov-tigress-http-00 §5):
// scenarios, oracles and reports always use them, and only the wire is
// spoken in the revision under test. Mailbox-Request-ID has one name in
// every revision.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace tigress {

enum class Revision { kHttp00, kSct04 };

// The five endpoints that carry device headers (the preview GET carries
// none), as bits of an `EndpointSet`.
enum class Endpoint : std::uint8_t {
  kCreate = 1,      // POST /v1/m
  kUpdate = 2,      // PUT /v1/m/{id}
  kDelete = 4,      // DELETE /v1/m/{id}
  kReadSecure = 8,  // POST /v1/m/{id}
  kRelinquish = 16  // PATCH /v1/m/{id}
};
using EndpointSet = std::uint8_t;
inline constexpr EndpointSet kAllDeviceEndpoints = 31;

constexpr bool Contains(EndpointSet set, Endpoint e) {
  return (set & static_cast<std::uint8_t>(e)) != 0;
}

struct RevisionInfo {
  Revision id;
  std::string_view name;        // "http-00": what --spec and the manifest's `spec:` take
  std::string_view draft;       // "draft-vinokurov-tigress-http-00"
  std::string_view tag;         // the catalogue's source tag for it: "[HTTP]", "[SCT04]"
  std::string_view repository;  // where the text is published
  std::string_view request_id_header;
  std::string_view claim_header;
  std::string_view attestation_header;
  // Endpoints whose "Header parameters" list the Request-ID as Required
  // (http-00 §6.1.2, §6.2.2, §6.3.2, §6.6.2; none in sct-04, where only §5.1's
  // "All requests ... will have" speaks of it).
  EndpointSet request_id_listed;
  // Endpoints whose "Header parameters" list the attestation (http-00: create
  // and update; sct-04: all five).
  EndpointSet attestation_listed;
  // Endpoints §5.2 says MUST carry the claim (create, read, update in both;
  // delete and relinquish list it Required, interpretation C-09).
  EndpointSet claim_must;
};

// `kDefaultRevision` is the revision a run tests unless told otherwise.
inline constexpr Revision kDefaultRevision = Revision::kHttp00;

// `RevisionOf` is the table row of `r`.
const RevisionInfo& RevisionOf(Revision r);

// `AllRevisions` is every row, default first.
std::span<const RevisionInfo> AllRevisions();

// `ParseRevision` accepts a row's `name` ("http-00", "sct-04"), ASCII case
// insensitively; nullopt for anything else.
std::optional<Revision> ParseRevision(std::string_view name);

// `RevisionNames` is "http-00, sct-04": the accepted values, for messages.
std::string RevisionNames();

// `RevisionHelp` is one line per revision, each starting "\n  ":
// "http-00: draft-vinokurov-tigress-http-00 (claim Mailbox-Device-Claim,
// attestation Mailbox-Device-Attestation)", for a --spec option's help.
std::string RevisionHelp();

// `WireHeaderName` is the name revision `r` uses for the canonical header
// `canonical` (any case); a name that is not one of the three protocol
// headers is returned unchanged.
std::string WireHeaderName(const RevisionInfo& r, std::string_view canonical);

// `CanonicalHeaderName` is the canonical name of the wire header `wire` (any
// case) under revision `r`; a name that is no protocol header of `r` is
// returned unchanged. Another revision's claim or attestation name becomes
// "<name> (<revision>)", e.g. "Mailbox-Device-Claim (http-00)" under sct-04:
// it is not that revision's claim, and no oracle may take it for one.
std::string CanonicalHeaderName(const RevisionInfo& r, std::string_view wire);

// `ProtocolHeaderRevision` is the revision whose claim or attestation header
// is named `wire` (any case), when only one revision uses that name; nullopt
// for shared names (Mailbox-Request-ID) and for other headers. It tells
// which revision a peer speaks from one request.
std::optional<Revision> ProtocolHeaderRevision(std::string_view wire);

// `IsAnyClaimHeader` / `IsAnyAttestationHeader` are true for the claim
// (attestation) header name of any revision, in any case: what evidence
// redacts and replay recognises whatever revision recorded it.
bool IsAnyClaimHeader(std::string_view name);
bool IsAnyAttestationHeader(std::string_view name);

}  // namespace tigress
