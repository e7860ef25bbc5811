#include "protocol/revision.h"

#include <gtest/gtest.h>

namespace tigress {
namespace {

TEST(RevisionTest, EachRevisionIsParsedByItsNameInAnyCase) {
  EXPECT_EQ(ParseRevision("http-00"), Revision::kHttp00);
  EXPECT_EQ(ParseRevision("SCT-04"), Revision::kSct04);
  EXPECT_FALSE(ParseRevision("sct-03").has_value());
  EXPECT_EQ(RevisionNames(), "http-00, sct-04");
  EXPECT_EQ(AllRevisions().front().id, kDefaultRevision);
}

TEST(RevisionTest, Sct04NamesTheClaimAndAttestationWithoutTheMailboxPrefix) {
  const RevisionInfo& sct = RevisionOf(Revision::kSct04);
  EXPECT_EQ(WireHeaderName(sct, "mailbox-device-claim"), "Device-Claim");
  EXPECT_EQ(WireHeaderName(sct, "Mailbox-Device-Attestation"), "Device-Attestation");
  EXPECT_EQ(WireHeaderName(sct, "Mailbox-Request-ID"), "Mailbox-Request-ID");
  EXPECT_EQ(WireHeaderName(sct, "Content-Type"), "Content-Type");
  const RevisionInfo& http = RevisionOf(Revision::kHttp00);
  EXPECT_EQ(WireHeaderName(http, "Mailbox-Device-Claim"), "Mailbox-Device-Claim");
}

TEST(RevisionTest, CanonicalNamesRoundTripTheWireNamesOfEachRevision) {
  for (const RevisionInfo& r : AllRevisions()) {
    for (std::string_view canonical :
         {"Mailbox-Device-Claim", "Mailbox-Device-Attestation", "Mailbox-Request-ID", "Accept"}) {
      EXPECT_EQ(CanonicalHeaderName(r, WireHeaderName(r, canonical)), canonical) << r.name;
    }
  }
}

TEST(RevisionTest, AnotherRevisionsClaimHeaderIsNeverTakenForThisRevisionsClaim) {
  const RevisionInfo& sct = RevisionOf(Revision::kSct04);
  EXPECT_EQ(CanonicalHeaderName(sct, "Mailbox-Device-Claim"), "Mailbox-Device-Claim (http-00)");
  const RevisionInfo& http = RevisionOf(Revision::kHttp00);
  EXPECT_EQ(CanonicalHeaderName(http, "device-claim"), "device-claim (sct-04)");
  EXPECT_EQ(CanonicalHeaderName(http, "Device-Attestation"), "Device-Attestation (sct-04)");
}

TEST(RevisionTest, ARequestsClaimHeaderTellsWhichRevisionItsSenderSpeaks) {
  EXPECT_EQ(ProtocolHeaderRevision("device-claim"), Revision::kSct04);
  EXPECT_EQ(ProtocolHeaderRevision("Mailbox-Device-Claim"), Revision::kHttp00);
  EXPECT_FALSE(ProtocolHeaderRevision("Mailbox-Request-ID").has_value());
  EXPECT_FALSE(ProtocolHeaderRevision("Host").has_value());
}

TEST(RevisionTest, TheHeaderListsFollowTheEndpointParameterTablesOfEachDraft) {
  const RevisionInfo& http = RevisionOf(Revision::kHttp00);
  const RevisionInfo& sct = RevisionOf(Revision::kSct04);
  EXPECT_TRUE(Contains(http.request_id_listed, Endpoint::kCreate));
  EXPECT_FALSE(Contains(http.request_id_listed, Endpoint::kReadSecure));
  EXPECT_FALSE(Contains(sct.request_id_listed, Endpoint::kCreate));
  EXPECT_FALSE(Contains(http.attestation_listed, Endpoint::kDelete));
  EXPECT_TRUE(Contains(sct.attestation_listed, Endpoint::kDelete));
  EXPECT_EQ(http.claim_must, sct.claim_must);
}

TEST(RevisionTest, ClaimAndAttestationNamesOfEveryRevisionAreRecognised) {
  EXPECT_TRUE(IsAnyClaimHeader("device-claim"));
  EXPECT_TRUE(IsAnyClaimHeader("Mailbox-Device-Claim"));
  EXPECT_FALSE(IsAnyClaimHeader("Device-Attestation"));
  EXPECT_TRUE(IsAnyAttestationHeader("Device-Attestation"));
  EXPECT_TRUE(IsAnyAttestationHeader("MAILBOX-DEVICE-ATTESTATION"));
  EXPECT_FALSE(IsAnyAttestationHeader("Mailbox-Request-ID"));
}

}  // namespace
}  // namespace tigress
