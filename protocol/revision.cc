#include "protocol/revision.h"

#include <array>

#include "protocol/text.h"

namespace tigress {
namespace {

constexpr EndpointSet Set(std::initializer_list<Endpoint> endpoints) {
  EndpointSet s = 0;
  for (Endpoint e : endpoints) s |= static_cast<std::uint8_t>(e);
  return s;
}

constexpr std::string_view kCanonicalRequestId = "Mailbox-Request-ID";
constexpr std::string_view kCanonicalClaim = "Mailbox-Device-Claim";
constexpr std::string_view kCanonicalAttestation = "Mailbox-Device-Attestation";

constexpr std::array<RevisionInfo, 2> kRevisions{{
    {.id = Revision::kHttp00,
     .name = "http-00",
     .draft = "draft-vinokurov-tigress-http-00",
     .tag = "[HTTP]",
     .repository = "github.com/dimmyvi/tigress (draft-vinokurov-tigress-http.md)",
     .request_id_header = kCanonicalRequestId,
     .claim_header = kCanonicalClaim,
     .attestation_header = kCanonicalAttestation,
     .request_id_listed =
         Set({Endpoint::kCreate, Endpoint::kUpdate, Endpoint::kDelete, Endpoint::kRelinquish}),
     .attestation_listed = Set({Endpoint::kCreate, Endpoint::kUpdate}),
     .claim_must = Set({Endpoint::kCreate, Endpoint::kReadSecure, Endpoint::kUpdate})},
    {.id = Revision::kSct04,
     .name = "sct-04",
     .draft = "draft-secure-credential-transfer-04",
     .tag = "[SCT04]",
     .repository = "github.com/dimmyvi/secure-credential-transfer "
                   "(draft-secure-credential-transfer-04/draft-secure-credential-transfer.txt)",
     .request_id_header = kCanonicalRequestId,
     .claim_header = "Device-Claim",
     .attestation_header = "Device-Attestation",
     .request_id_listed = 0,
     .attestation_listed = kAllDeviceEndpoints,
     .claim_must = Set({Endpoint::kCreate, Endpoint::kReadSecure, Endpoint::kUpdate})},
}};

}  // namespace

const RevisionInfo& RevisionOf(Revision r) {
  for (const RevisionInfo& info : kRevisions) {
    if (info.id == r) return info;
  }
  return kRevisions.front();
}

std::span<const RevisionInfo> AllRevisions() { return kRevisions; }

std::optional<Revision> ParseRevision(std::string_view name) {
  for (const RevisionInfo& info : kRevisions) {
    if (text::EqualsIgnoreCase(info.name, name)) return info.id;
  }
  return std::nullopt;
}

std::string RevisionHelp() {
  std::string out;
  for (const RevisionInfo& r : AllRevisions()) {
    out.append("\n  ").append(r.name).append(": ").append(r.draft);
    out.append(" (claim ").append(r.claim_header);
    out.append(", attestation ").append(r.attestation_header).append(")");
  }
  return out;
}

std::string RevisionNames() {
  std::string out;
  for (const RevisionInfo& info : kRevisions) {
    if (!out.empty()) out += ", ";
    out += info.name;
  }
  return out;
}

std::string WireHeaderName(const RevisionInfo& r, std::string_view canonical) {
  if (text::EqualsIgnoreCase(canonical, kCanonicalClaim)) return std::string(r.claim_header);
  if (text::EqualsIgnoreCase(canonical, kCanonicalAttestation)) {
    return std::string(r.attestation_header);
  }
  if (text::EqualsIgnoreCase(canonical, kCanonicalRequestId)) {
    return std::string(r.request_id_header);
  }
  return std::string(canonical);
}

std::string CanonicalHeaderName(const RevisionInfo& r, std::string_view wire) {
  if (text::EqualsIgnoreCase(wire, r.claim_header)) return std::string(kCanonicalClaim);
  if (text::EqualsIgnoreCase(wire, r.attestation_header)) {
    return std::string(kCanonicalAttestation);
  }
  if (text::EqualsIgnoreCase(wire, r.request_id_header)) return std::string(kCanonicalRequestId);
  // Another revision's name for a protocol header is not a protocol header
  // here. Under sct-04, http-00's "Mailbox-Device-Claim" is spelled like the
  // canonical claim, so it gets a name no field can have (a space and
  // parentheses are not token characters) and no oracle takes it for one.
  if (std::optional<Revision> other = ProtocolHeaderRevision(wire); other && *other != r.id) {
    return std::string(wire) + " (" + std::string(RevisionOf(*other).name) + ")";
  }
  return std::string(wire);
}

std::optional<Revision> ProtocolHeaderRevision(std::string_view wire) {
  std::optional<Revision> found;
  int users = 0;
  for (const RevisionInfo& info : kRevisions) {
    for (std::string_view name : {info.claim_header, info.attestation_header}) {
      if (text::EqualsIgnoreCase(wire, name)) {
        found = info.id;
        ++users;
      }
    }
  }
  if (users != 1) return std::nullopt;
  return found;
}

bool IsAnyClaimHeader(std::string_view name) {
  for (const RevisionInfo& info : kRevisions) {
    if (text::EqualsIgnoreCase(name, info.claim_header)) return true;
  }
  return false;
}

bool IsAnyAttestationHeader(std::string_view name) {
  for (const RevisionInfo& info : kRevisions) {
    if (text::EqualsIgnoreCase(name, info.attestation_header)) return true;
  }
  return false;
}

}  // namespace tigress
