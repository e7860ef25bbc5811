#include "harness/run/oracle_inputs.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace tigress::harness {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using Json = nlohmann::json;

TEST(OracleInputs, TakesSecretsAndShareUrlFragmentsFromAnAdaptersResult) {
  std::vector<Bytes> registered;
  OracleInputs inputs([&](const Bytes& b) { registered.push_back(b); });
  inputs.NoteSecrets(Json{{"secret", "AAECAwQFBgcICQoLDA0ODw=="},
                          {"url", "https://relay.example/v1/m/1#EBESExQVFhcYGRobHB0eHw"}});
  inputs.NoteSecrets(Json::array({"not", "an", "object"}));
  OracleInput in;
  inputs.FillInto(in);
  EXPECT_EQ(in.secrets.size(), 2u);
  EXPECT_EQ(registered.size(), 2u) << "every Secret is also redacted from the reports";
  EXPECT_THAT(in.fragments, ElementsAre("EBESExQVFhcYGRobHB0eHw"));
  EXPECT_EQ(in.secrets[0].front(), 0x00);
  EXPECT_EQ(in.secrets[1].front(), 0x10);
}

TEST(OracleInputs, PlantedProvisioningInfoAndPercentEncodedShareUrlsInCallParameters) {
  std::vector<Bytes> registered;
  OracleInputs inputs([&](const Bytes& b) { registered.push_back(b); });
  inputs.NoteCallParams(Json{
      {"provisioningInfo",
       {{"format", "long-format-name"}, {"content", "planted-canary-text"}, {"short", "tiny"}}},
      {"shareUrl", "https://relay.example/v1/m/1#AAECAwQFBgcICQoLDA0ODw%3D%3D"},
      {"title", "not provisioning info at all"}});
  OracleInput in;
  inputs.FillInto(in);
  EXPECT_THAT(in.canaries, ElementsAre("planted-canary-text"));
  EXPECT_THAT(in.fragments, ElementsAre("AAECAwQFBgcICQoLDA0ODw%3D%3D"));
  ASSERT_EQ(in.secrets.size(), 1u) << "the fragment is percent-decoded before base64";
  EXPECT_EQ(in.secrets[0].size(), 16u);
  EXPECT_TRUE(registered.empty()) << "what the harness sends is not a device's Secret";
}

TEST(OracleInputs, APushMustNotCarryProbeContentOrAnyEncodingOfASecret) {
  OracleInputs inputs;
  inputs.NoteContent(std::string(
      R"({"payload":{"data":"payload-data-1"},"displayInformation":{"title":"short","description":"a long description"}})"));
  inputs.NoteContent(std::string("not json"));
  inputs.NoteContent(std::nullopt);
  inputs.NoteSecrets(Json{{"secret", "AAECAwQFBgcICQoLDA0ODw=="}});
  const std::vector<std::string> forbidden = inputs.PushForbidden();
  EXPECT_THAT(forbidden, Contains("payload-data-1"));
  EXPECT_THAT(forbidden, Contains("a long description"));
  EXPECT_THAT(forbidden, ::testing::Not(Contains("short")));
  EXPECT_THAT(forbidden, Contains("AAECAwQFBgcICQoLDA0ODw"));
  EXPECT_THAT(forbidden, Contains("000102030405060708090a0b0c0d0e0f"));
}

}  // namespace
}  // namespace tigress::harness
