#include "tests/relay/relay_service_fixture.h"

namespace tigress::relay {
namespace {

using namespace service_test;
using ::testing::HasSubstr;

// ---- --spec: the relay reads the protocol headers under the revision's names ----

class RelaySpecTest : public RelayServiceTest {
 protected:
  void SetUpWith(Revision r, Fault f = Fault::kNone, QuirkSet q = {}) {
    revision_ = r;
    fault_ = f;
    quirks_ = q;
    RelayServiceTest::SetUp();
  }
  void SetUp() override {}

  const RevisionInfo& Spoken() const { return RevisionOf(revision_); }
  // What a device speaking revision `r` sends: its claim header, a fresh
  // Request-ID and, with `attest`, its attestation header.
  static HeaderList In(const RevisionInfo& r, const std::string& claim, bool attest = false) {
    HeaderList h{{std::string(r.claim_header), claim},
                 {std::string(r.request_id_header), NewUuidV4()}};
    if (attest) h.emplace_back(std::string(r.attestation_header), "opaque.attestation-value");
    return h;
  }
  HeaderList In(const std::string& claim, bool attest = false) const {
    return In(Spoken(), claim, attest);
  }
  // Creates a mailbox as `initiator_` in the spoken revision; its path.
  std::string CreateSpoken(bool attest = false) {
    HttpResponse r = Call("POST", "/v1/m", In(initiator_, attest), CreateBody().dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? PathOf(r) : "";
  }
  HttpResponse Update(const std::string& path, const std::string& claim, bool attest = false) {
    return Call("PUT", path, In(claim, attest), Json{{"payload", PayloadJson(7)}}.dump());
  }
};

INSTANTIATE_TEST_SUITE_P(Stores, RelaySpecTest, ::testing::Values("memory", "sqlite"));

const RevisionInfo& Other(const RevisionInfo& r) {
  return RevisionOf(r.id == Revision::kHttp00 ? Revision::kSct04 : Revision::kHttp00);
}

TEST_P(RelaySpecTest, UnderSct04EveryEndpointTakesTheDeviceClaimHeader) {
  SetUpWith(Revision::kSct04);
  std::string path = CreateSpoken();
  ASSERT_FALSE(path.empty());
  EXPECT_EQ(Call("POST", path, In(recipient_)).status, 200);
  EXPECT_EQ(Update(path, recipient_).status, 200);
  EXPECT_EQ(Call("PATCH", path, In(recipient_)).status, 200);
  EXPECT_EQ(Call("POST", path, In(stranger_)).status, 200);  // the new recipient binds
  EXPECT_EQ(Call("DELETE", path, In(initiator_)).status, 200);
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelaySpecTest, UnderSct04ACreateWithOnlyMailboxDeviceClaimIsRefusedAsOneWithoutAClaim) {
  SetUpWith(Revision::kSct04);
  std::string rid = NewUuidV4();
  HttpResponse http00_named =
      Call("POST", "/v1/m", {{"Mailbox-Device-Claim", initiator_}, {"Mailbox-Request-ID", rid}},
           CreateBody().dump());
  HttpResponse no_claim = Call("POST", "/v1/m", {{"Mailbox-Request-ID", rid}}, CreateBody().dump());
  EXPECT_EQ(http00_named.status, 400);
  EXPECT_EQ(http00_named.body, no_claim.body);
  EXPECT_EQ(Json::parse(http00_named.body).at("error"), "json.field_missing");
  EXPECT_THAT(http00_named.body, HasSubstr("Device-Claim: required header is missing"));
  EXPECT_EQ(Count(), 0u);
  // The refused create recorded no Request-ID: the same ID with the right
  // header creates a mailbox instead of answering 201.
  HttpResponse right =
      Call("POST", "/v1/m", {{"Device-Claim", initiator_}, {"Mailbox-Request-ID", rid}},
           CreateBody().dump());
  EXPECT_EQ(right.status, 200) << right.body;
  EXPECT_EQ(Count(), 1u);
}

TEST_P(RelaySpecTest, UnderSct04AReadWithOnlyMailboxDeviceClaimIsRefusedAndBindsNobody) {
  SetUpWith(Revision::kSct04);
  std::string path = CreateSpoken();
  HttpResponse r = Call("POST", path, In(RevisionOf(Revision::kHttp00), stranger_));
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(Call("POST", path, In(recipient_)).status, 200);
  EXPECT_EQ(Call("POST", path, In(stranger_)).status, 401);
}

TEST_P(RelaySpecTest, UnderSct04TheRequestIdIsEchoedUnderItsOneName) {
  SetUpWith(Revision::kSct04);
  HeaderList h = In(initiator_);
  HttpResponse r = Call("POST", "/v1/m", h, CreateBody().dump());
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(FindHeader(r.headers, "Mailbox-Request-ID"), h[1].second);
}

TEST_P(RelaySpecTest, UnderHttp00DeviceClaimAloneIsRefusedAndCreatesNothing) {
  SetUpWith(Revision::kHttp00);
  HttpResponse r =
      Call("POST", "/v1/m", In(RevisionOf(Revision::kSct04), initiator_), CreateBody().dump());
  EXPECT_EQ(r.status, 400);
  EXPECT_THAT(r.body, HasSubstr("Mailbox-Device-Claim: required header is missing"));
  EXPECT_EQ(Count(), 0u);
  EXPECT_FALSE(CreateSpoken().empty());
}

TEST_P(RelaySpecTest, TheAttestationIsAcceptedOnDeleteReadAndRelinquishByDefault) {
  for (const RevisionInfo& r : AllRevisions()) {
    SCOPED_TRACE(std::string(r.name));
    SetUpWith(r.id);
    std::string path = CreateSpoken(true);
    EXPECT_EQ(Call("POST", path, In(recipient_, true)).status, 200);
    EXPECT_EQ(Update(path, recipient_, true).status, 200);
    EXPECT_EQ(Call("PATCH", path, In(recipient_, true)).status, 200);
    EXPECT_EQ(Call("DELETE", path, In(initiator_, true)).status, 200);
  }
}

TEST_P(RelaySpecTest, AttestationCreateOnlyRefusesItOnDeleteReadAndRelinquishChangingNothing) {
  for (const RevisionInfo& r : AllRevisions()) {
    SCOPED_TRACE(std::string(r.name));
    SetUpWith(r.id, Fault::kAttestationCreateOnly);
    std::size_t before = Count();
    std::string path = CreateSpoken(true);  // create and update keep it
    ASSERT_EQ(Count(), before + 1);
    HttpResponse read = Call("POST", path, In(recipient_, true));
    EXPECT_EQ(read.status, 400);
    EXPECT_EQ(Json::parse(read.body).at("error"), "json.field_unknown");
    EXPECT_THAT(read.body, HasSubstr(std::string(r.attestation_header)));
    // The refused read bound nobody: the stranger becomes the recipient.
    EXPECT_EQ(Call("POST", path, In(stranger_)).status, 200);
    EXPECT_EQ(Update(path, stranger_, true).status, 200);
    EXPECT_EQ(Call("PATCH", path, In(stranger_, true)).status, 400);
    EXPECT_EQ(Call("POST", path, In(recipient_)).status, 401);  // still bound to the stranger
    EXPECT_EQ(Call("DELETE", path, In(initiator_, true)).status, 400);
    EXPECT_EQ(Count(), before + 1);
    EXPECT_EQ(Call("DELETE", path, In(initiator_)).status, 200);
  }
}

TEST_P(RelaySpecTest, AttestationCreateOnlyIgnoresTheOtherRevisionsAttestationName) {
  SetUpWith(Revision::kSct04, Fault::kAttestationCreateOnly);
  std::string path = CreateSpoken();
  HeaderList h = In(recipient_);
  h.emplace_back(std::string(Other(Spoken()).attestation_header), "opaque.attestation-value");
  EXPECT_EQ(Call("POST", path, h).status, 200);
}

TEST_P(RelaySpecTest, RequestIdOptionalAcceptsEveryRequestWithoutOne) {
  for (const RevisionInfo& r : AllRevisions()) {
    SCOPED_TRACE(std::string(r.name));
    SetUpWith(r.id, Fault::kNone, {Quirk::kRequestIdOptional});
    std::size_t before = Count();
    HeaderList init{{std::string(r.claim_header), initiator_}};
    HeaderList recip{{std::string(r.claim_header), recipient_}};
    HttpResponse first = Call("POST", "/v1/m", init, CreateBody().dump());
    ASSERT_EQ(first.status, 200) << first.body;
    EXPECT_FALSE(FindHeader(first.headers, "Mailbox-Request-ID"));
    // No ID, no duplicate detection: the same create again is a new mailbox.
    EXPECT_EQ(Call("POST", "/v1/m", init, CreateBody().dump()).status, 200);
    EXPECT_EQ(Count(), before + 2);
    std::string path = PathOf(first);
    EXPECT_EQ(Call("POST", path, recip).status, 200);
    std::string update = Json{{"payload", PayloadJson(9)}}.dump();
    EXPECT_EQ(Call("PUT", path, recip, update).status, 200);
    EXPECT_EQ(Call("PUT", path, recip, update).status, 200);
    EXPECT_EQ(Call("PATCH", path, recip).status, 200);
    EXPECT_EQ(Call("DELETE", path, init).status, 200);
    EXPECT_EQ(Count(), before + 1);
  }
}

TEST_P(RelaySpecTest, RequestIdOptionalStillRefusesAMalformedOrRepeatedId) {
  SetUpWith(Revision::kSct04, Fault::kNone, {Quirk::kRequestIdOptional});
  EXPECT_EQ(Call("POST", "/v1/m", {{"Device-Claim", initiator_}, {"Mailbox-Request-ID", "nope"}},
                 CreateBody().dump())
                .status,
            400);
  EXPECT_EQ(Call("POST", "/v1/m",
                 {{"Device-Claim", initiator_},
                  {"Mailbox-Request-ID", NewUuidV4()},
                  {"Mailbox-Request-ID", NewUuidV4()}},
                 CreateBody().dump())
                .status,
            400);
  EXPECT_EQ(Count(), 0u);
}

TEST_P(RelaySpecTest, WithoutTheQuirkACreateWithoutRequestIdIsRefusedInEitherRevision) {
  for (const RevisionInfo& r : AllRevisions()) {
    SCOPED_TRACE(std::string(r.name));
    SetUpWith(r.id);
    std::size_t before = Count();
    HttpResponse resp =
        Call("POST", "/v1/m", {{std::string(r.claim_header), initiator_}}, CreateBody().dump());
    EXPECT_EQ(resp.status, 400);
    EXPECT_THAT(resp.body, HasSubstr("Mailbox-Request-ID: required header is missing"));
    EXPECT_EQ(Count(), before);
  }
}

}  // namespace
}  // namespace tigress::relay
