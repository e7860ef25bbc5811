#include "protocol/revision.h"
#include "tests/relay/relay_integration_fixture.h"

namespace tigress::relay {
namespace {

using namespace integration_test;

// ---- --spec on the real binary ----

TEST_F(RelayIntegrationTest, UnderSpecSct04ACreateAndAReadWithDeviceClaimSucceedOverTls) {
  auto relay = StartRelay({"--spec", "sct-04"});
  ASSERT_TRUE(relay);
  HttpsClient client(pki_.pki.ca_cert_pem);
  std::string initiator = NewUuidV4();
  std::string recipient = NewUuidV4();
  std::string rid = NewUuidV4();
  auto created =
      client
          .Send("POST", relay->BaseUrl() + "/v1/m",
                {{"Device-Claim", initiator}, {"Mailbox-Request-ID", rid}}, CreateBody(3))
          .value();
  ASSERT_EQ(created.status, 200) << created.body;
  EXPECT_EQ(created.Header("Mailbox-Request-ID"), rid);
  std::string url = relay->BaseUrl() + PathOf(created.body);
  auto read = client
                  .Send("POST", url,
                        {{"Device-Claim", recipient},
                         {"Mailbox-Request-ID", NewUuidV4()},
                         {"Device-Attestation", "opaque.attestation-value"}})
                  .value();
  ASSERT_EQ(read.status, 200) << read.body;
  EXPECT_EQ(Json::parse(read.body).at("payload").at("data"), Base64Encode(Bytes(40, 3)));
  // http-00's claim name is no claim here: refused, nothing created.
  auto refused =
      client.Send("POST", relay->BaseUrl() + "/v1/m", Auth(NewUuidV4()), CreateBody()).value();
  EXPECT_EQ(refused.status, 400);
  EXPECT_THAT(refused.body, HasSubstr("Device-Claim"));
  EXPECT_THAT(Stderr(), HasSubstr("draft-secure-credential-transfer-04"));
}

TEST_F(RelayIntegrationTest, AnUnknownSpecExitsWith2NamingTheAcceptedValues) {
  auto bad = ChildProcess::Run(Args({"--spec", "http-01"})).value();
  EXPECT_EQ(bad.first, 2);
  EXPECT_THAT(bad.second, HasSubstr("--spec: unknown revision 'http-01'"));
  EXPECT_THAT(bad.second, HasSubstr(RevisionNames()));
  auto help = ChildProcess::Run({kRelayBin, "--help"}).value();
  EXPECT_EQ(help.first, 0);
  EXPECT_THAT(help.second, HasSubstr("--spec"));
  for (const RevisionInfo& r : AllRevisions()) {
    EXPECT_THAT(help.second, HasSubstr(std::string(r.name) + ": " + std::string(r.draft)));
  }
}

}  // namespace
}  // namespace tigress::relay
