#include "reference/device/adapter.h"

#include <filesystem>

#include <gtest/gtest.h>

#include "protocol/payload.h"
#include "reference/device/exchange.h"
#include "tests/device/fake_relay.h"
#include "tests/support/scratch_dir.h"

namespace tigress::device {
namespace {

using testing::FakeFactory;
using testing::FakeRelay;

Json Request(int id, const std::string& method, Json params = Json::object()) {
  return Json{{"jsonrpc", "2.0"}, {"id", id}, {"method", method}, {"params", std::move(params)}};
}

Json Call(AdapterSession& s, const std::string& method, Json params = Json::object()) {
  return Json::parse(s.HandleLine(Request(7, method, std::move(params)).dump()));
}

int ErrorCode(const Json& response) {
  return response.contains("error") ? response["error"]["code"].get<int>() : 0;
}

Json ShareParamsJson() {
  return Json{
      {"provisioningInfo", {{"format", "digitalwallet.carkey.ccc"}, {"content", {{"step", 1}}}}},
      {"displayInformation",
       {{"title", "t"}, {"description", "d"}, {"imageURL", "https://e.test/i.png"}}},
      {"expiration", "2030-01-01T00:00:00Z"},
      {"vertical", "c"},
      {"secretDelivery", "fragment"}};
}

class AdapterTest : public ::testing::Test {
 protected:
  AdapterSession MakeSession(Fault fault = Fault::kNone) {
    AdapterOptions o;
    o.fault = fault;
    o.sleep = [](std::chrono::milliseconds) {};
    return AdapterSession(FakeFactory(relay_, seen_), o);
  }
  void Configure(AdapterSession& s) {
    ASSERT_EQ(
        Call(s, "configure", {{"caFile", "/ca.pem"}, {"relayBaseUrl", relay_.base()}})["result"],
        Json::object());
  }
  FakeRelay relay_;
  std::shared_ptr<TransportOptions> seen_ = std::make_shared<TransportOptions>();
};

TEST_F(AdapterTest, HelloNamesTheDeviceAndOnlyWorkingFeatures) {
  AdapterSession s = MakeSession();
  Json r = Call(s, "hello");
  EXPECT_EQ(r["jsonrpc"], "2.0");
  EXPECT_EQ(r["id"], 7);
  EXPECT_EQ(r["result"]["name"], "tigress-device");
  EXPECT_EQ(r["result"]["features"],
            Json({"aes-128-gcm", "aes-256-gcm", "relinquish", "attestation", "request-id-retry"}));
}

TEST_F(AdapterTest, AStateFileLetsARestartedAdapterContinueTheShare) {
  test_support::ScratchDir dir("tigress-adapter-state");
  const std::filesystem::path file = dir.path() / "state.json";
  AdapterOptions o;
  o.sleep = [](std::chrono::milliseconds) {};
  o.state_file = file;
  std::string mailbox;
  {
    AdapterSession first(FakeFactory(relay_, seen_), o);
    EXPECT_EQ(Call(first, "hello")["result"]["features"].back(), "persistent-state");
    Configure(first);
    ASSERT_TRUE(Call(first, "initiator.share", ShareParamsJson()).contains("result"));
    ASSERT_TRUE(std::filesystem::exists(file));
    EXPECT_EQ(std::filesystem::status(file).permissions() & std::filesystem::perms::all,
              std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  }
  AdapterSession second(FakeFactory(relay_, seen_), o);
  Configure(second);
  const std::size_t before = relay_.requests.size();
  Json sent =
      Call(second, "send", {{"provisioningInfo", {{"format", "f"}, {"content", Json::object()}}}});
  EXPECT_TRUE(sent.contains("result")) << sent.dump();
  ASSERT_EQ(relay_.requests.size(), before + 1);
  EXPECT_EQ(relay_.requests.back().method, "PUT");

  AdapterSession forgetful = MakeSession();  // no state file: nothing to continue
  Configure(forgetful);
  EXPECT_EQ(ErrorCode(Call(forgetful, "send",
                           {{"provisioningInfo", {{"format", "f"}, {"content", Json::object()}}}})),
            kRpcInvalidParams);
}

TEST_F(AdapterTest, AnswersContractErrorsForBadLines) {
  AdapterSession s = MakeSession();
  Json parse = Json::parse(s.HandleLine("{not json"));
  EXPECT_EQ(ErrorCode(parse), kRpcParseError);
  EXPECT_TRUE(parse["id"].is_null());
  EXPECT_EQ(ErrorCode(Call(s, "tigress.probe.unknownMethod")), kRpcMethodNotFound);
  EXPECT_EQ(ErrorCode(Json::parse(s.HandleLine(R"({"id":3,"method":"hello"})"))),
            kRpcInvalidRequest);
  EXPECT_EQ(ErrorCode(Json::parse(
                s.HandleLine(R"({"jsonrpc":"2.0","id":3,"method":"hello","params":[1]})"))),
            kRpcInvalidParams);
  EXPECT_EQ(ErrorCode(Call(s, "configure", {{"caFile", 5}})), kRpcInvalidParams);
  EXPECT_EQ(ErrorCode(Call(s, "send", {{"provisioningInfo", {{"format", "f"}, {"content", {}}}}})),
            kRpcInvalidParams);  // before configure and share
  EXPECT_EQ(Json::parse(s.HandleLine(R"({"jsonrpc":"2.0","id":"abc","method":"hello"})"))["id"],
            "abc");
}

TEST_F(AdapterTest, RunsAShareBetweenTwoSessions) {
  AdapterSession init = MakeSession();
  AdapterSession recip = MakeSession();
  Configure(init);
  Configure(recip);
  Json share = Call(init, "initiator.share", ShareParamsJson());
  ASSERT_TRUE(share.contains("result")) << share.dump();
  EXPECT_FALSE(share["result"].contains("secret"));
  Json accepted = Call(recip, "recipient.accept", {{"shareUrl", share["result"]["shareUrl"]}});
  ASSERT_TRUE(accepted.contains("result")) << accepted.dump();
  EXPECT_EQ(accepted["result"]["provisioningInfo"]["content"]["step"], 1);
  EXPECT_EQ(accepted["result"]["displayInformation"]["title"], "t");
  EXPECT_EQ(accepted["result"]["expiration"], "2030-01-01T00:00:00Z");
  EXPECT_EQ(ErrorCode(Call(recip, "receive")), kRpcNoNewMessage);
  Json info{{"format", "digitalwallet.carkey.ccc"}, {"content", {{"step", 2}}}};
  EXPECT_EQ(Call(recip, "send", {{"provisioningInfo", info}})["result"], Json::object());
  EXPECT_EQ(Call(init, "receive", {{"timeoutMs", 500}})["result"]["provisioningInfo"], info);
  EXPECT_EQ(Call(recip, "close")["result"], Json::object());
  Json again = Call(init, "close");
  EXPECT_EQ(ErrorCode(again), kRpcRelayRefused);
  EXPECT_EQ(again["error"]["data"]["status"], 404);
  EXPECT_EQ(Call(init, "shutdown")["result"], Json::object());
  EXPECT_TRUE(init.shutdown_requested());
}

TEST_F(AdapterTest, SeparateDeliveryReturnsTheSecretAndAcceptTakesIt) {
  AdapterSession init = MakeSession();
  AdapterSession recip = MakeSession();
  Configure(init);
  Configure(recip);
  Json p = ShareParamsJson();
  p["secretDelivery"] = "separate";
  p["cipher"] = "AEAD_AES_128_GCM";
  Json share = Call(init, "initiator.share", p)["result"];
  ASSERT_TRUE(share.contains("secret"));
  EXPECT_EQ(Base64Decode(share["secret"].get<std::string>()).value().size(), 16u);
  EXPECT_EQ(ErrorCode(Call(recip, "recipient.accept", {{"shareUrl", share["shareUrl"]}})),
            kRpcInvalidParams);
  Json ok = Call(recip, "recipient.accept",
                 {{"shareUrl", share["shareUrl"]}, {"secret", share["secret"]}});
  EXPECT_TRUE(ok.contains("result")) << ok.dump();
  EXPECT_EQ(Call(recip, "recipient.relinquish")["result"], Json::object());
}

TEST_F(AdapterTest, RequestIdRetryExtensionIsAcceptedAndTyped) {
  AdapterSession s = MakeSession();
  Configure(s);
  Json p = ShareParamsJson();
  p["requestIdRetry"] = "yes";
  EXPECT_EQ(ErrorCode(Call(s, "initiator.share", p)), kRpcInvalidParams);
  p["requestIdRetry"] = true;
  EXPECT_TRUE(Call(s, "initiator.share", p).contains("result"));
  EXPECT_EQ(relay_.requests.size(),
            2u);  // the create and its resend; the refused call sent nothing
}

TEST_F(AdapterTest, StateAndFaultsExtensionsRedactTheClaim) {
  AdapterSession s = MakeSession(Fault::kIvReuse);
  Configure(s);
  ASSERT_TRUE(Call(s, "initiator.share", ShareParamsJson()).contains("result"));
  Json st = Call(s, "device.state")["result"];
  EXPECT_EQ(st["fault"], "iv-reuse");
  EXPECT_EQ(st["role"], "initiator");
  EXPECT_EQ(st["written"], 1);
  EXPECT_LT(st["claim"].get<std::string>().find("(36 chars)"), 10u);
  Json faults = Call(s, "device.faults")["result"]["faults"];
  EXPECT_EQ(faults.size(), AllFaults().size());
  EXPECT_EQ(faults[0]["name"], "iv-reuse");
}

TEST_F(AdapterTest, TransportFailuresAnswer1003WithDetail) {
  AdapterSession s = MakeSession();
  Configure(s);
  relay_.drop_next_responses = 2;
  Json r = Call(s, "initiator.share", ShareParamsJson());
  EXPECT_EQ(ErrorCode(r), kRpcTransport);
  EXPECT_TRUE(r["error"]["data"]["detail"].is_string());
}

TEST_F(AdapterTest, KnownAnswerMethodsSealOpenParseAndBuild) {
  AdapterSession s = MakeSession();
  Bytes key(32, 1), iv(12, 2);
  Json sealed = Call(s, "payload.seal",
                     {{"cipher", "AEAD_AES_256_GCM"},
                      {"key", Base64Encode(key)},
                      {"iv", Base64Encode(iv)},
                      {"plaintext", Base64Encode(ToBytes("hi"))}});
  std::string data = sealed["result"]["data"];
  EXPECT_EQ(data, SealData(Cipher::kAes256Gcm, key, iv, ToBytes("hi")).value());
  Json opened = Call(s, "payload.open",
                     {{"cipher", "AEAD_AES_256_GCM"}, {"key", Base64Encode(key)}, {"data", data}});
  EXPECT_EQ(opened["result"]["plaintext"], Base64Encode(ToBytes("hi")));
  Bytes raw = Base64Decode(data).value();
  raw.back() ^= 1;
  EXPECT_EQ(ErrorCode(Call(s, "payload.open",
                           {{"cipher", "AEAD_AES_256_GCM"},
                            {"key", Base64Encode(key)},
                            {"data", Base64Encode(raw)}})),
            kRpcIntegrity);
  EXPECT_EQ(
      ErrorCode(Call(s, "payload.open",
                     {{"cipher", "AEAD_AES_128_GCM"}, {"key", Base64Encode(key)}, {"data", data}})),
      kRpcIntegrity);
  EXPECT_EQ(ErrorCode(Call(s, "payload.seal",
                           {{"cipher", "AES128"},
                            {"key", Base64Encode(key)},
                            {"iv", Base64Encode(iv)},
                            {"plaintext", ""}})),
            kRpcInvalidParams);
  Json parsed = Call(s, "shareUrl.parse",
                     {{"url",
                       "https://relay.example.com:8443/v1/m/"
                       "2bba630e-519b-11ec-bf63-0242ac130002?v=c#hXlr6aRC7KgJpOLTNZaLsw=="}});
  EXPECT_EQ(parsed["result"], Json({{"relayHost", "relay.example.com:8443"},
                                    {"apiVersion", "v1"},
                                    {"mailboxId", "2bba630e-519b-11ec-bf63-0242ac130002"},
                                    {"vertical", "c"},
                                    {"secret", "hXlr6aRC7KgJpOLTNZaLsw=="}}));
  EXPECT_EQ(ErrorCode(Call(s, "shareUrl.parse", {{"url", "http://x/v1/m/1"}})), kRpcInvalidParams);
  Json built = Call(s, "shareUrl.build",
                    {{"relayBaseUrl", "https://relay.example.com"},
                     {"mailboxId", "2bba630e-519b-11ec-bf63-0242ac130002"},
                     {"vertical", "h"},
                     {"secret", "hXlr6aRC7KgJpOLTNZaLsw=="}});
  EXPECT_EQ(built["result"]["url"],
            "https://relay.example.com/v1/m/"
            "2bba630e-519b-11ec-bf63-0242ac130002?v=h#hXlr6aRC7KgJpOLTNZaLsw==");
}

TEST_F(AdapterTest, AcceptUntrustedCertFaultSwitchesVerificationOff) {
  AdapterSession clean = MakeSession();
  Configure(clean);
  EXPECT_TRUE(seen_->verify_peer);
  EXPECT_EQ(seen_->ca_file, "/ca.pem");
  AdapterSession faulty = MakeSession(Fault::kAcceptUntrustedCert);
  Configure(faulty);
  EXPECT_FALSE(seen_->verify_peer);
  AdapterSession by_param = MakeSession();
  Call(by_param, "configure", {{"caFile", "/ca.pem"}, {"fault", "accept-untrusted-cert"}});
  EXPECT_FALSE(seen_->verify_peer);
  EXPECT_EQ(ErrorCode(Call(by_param, "configure", {{"caFile", "/ca.pem"}, {"fault", "bogus"}})),
            kRpcInvalidParams);
}

TEST_F(AdapterTest, ErrorsNeverCarryTheSecret) {
  AdapterSession init = MakeSession();
  Configure(init);
  Json share = Call(init, "initiator.share", ShareParamsJson())["result"];
  std::string url = share["shareUrl"];
  std::string fragment = url.substr(url.find('#') + 1);
  relay_.mutate_response = [](HttpResponse& r) { r.headers.clear(); };
  AdapterSession recip = MakeSession();
  Configure(recip);
  Json r = Call(recip, "recipient.accept", {{"shareUrl", url}});
  EXPECT_EQ(ErrorCode(r), kRpcProtocol);
  EXPECT_EQ(r.dump().find(fragment), std::string::npos);
}

}  // namespace
}  // namespace tigress::device
