// Two real `tigress-device adapter` processes against the real
// `tigress-relay` over TLS on loopback, with a per-test CA from pki.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "harness/process/supervisor.h"
#include "protocol/encoding.h"
#include "protocol/revision.h"
#include "protocol/rfc3339.h"
#include "tests/support/adapter_process.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"
#include <sys/stat.h>

namespace tigress::device {
namespace {

namespace fs = std::filesystem;
using test_support::AdapterProcess;
using test_support::ChildProcess;
using test_support::PkiFiles;
using test_support::ScratchDir;

const std::string kDeviceBin = std::string(TIGRESS_BIN_DIR) + "/tigress-device";
const std::string kRelayBin = std::string(TIGRESS_BIN_DIR) + "/tigress-relay";

Json Info(int step) {
  return Json{{"format", "digitalwallet.carkey.ccc"}, {"content", {{"step", step}}}};
}

Json ShareParams(const std::string& delivery = "fragment",
                 const std::string& cipher = "AEAD_AES_256_GCM") {
  return Json{
      {"provisioningInfo", Info(1)},
      {"displayInformation",
       {{"title", "Car key"}, {"description", "Blue car"}, {"imageURL", "https://e.test/c.png"}}},
      // A day ahead: the reference relay refuses a lifetime over its
      // --max-lifetime (31 days by default; C-23 allows the refusal).
      {"expiration", FormatUtc(std::chrono::system_clock::now() + std::chrono::hours(24))},
      {"vertical", "c"},
      {"accessRights", "RWD"},
      {"cipher", cipher},
      {"secretDelivery", delivery}};
}

int ErrorCode(const Json& r) { return r.contains("error") ? r["error"]["code"].get<int>() : 0; }

class DeviceIntegrationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const std::string& bin : {kDeviceBin, kRelayBin}) {
      if (!fs::exists(bin)) GTEST_SKIP() << bin << " is not built";
    }
    auto pki = PkiFiles::Write(dir_.path());
    ASSERT_TRUE(pki) << pki.error().Message();
    pki_ = *pki;
    int port = 0;
    // The chosen port can be taken between probe and bind; try a few.
    for (int attempt = 0; attempt < 5 && !relay_; ++attempt) {
      // The relay needs its port up front for --public-url.
      Result<int> free_port = harness::FreeLoopbackPort();
      ASSERT_TRUE(free_port) << free_port.error().Message();
      port = *free_port;
      base_url_ = "https://localhost:" + std::to_string(port);
      fs::create_directories(dir_.path() / "relay-data");
      std::vector<std::string> argv{
          kRelayBin,      "--listen",   "127.0.0.1:" + std::to_string(port),
          "--tls-cert",   pki_.cert,    "--tls-key",
          pki_.key,       "--data-dir", (dir_.path() / "relay-data").string(),
          "--public-url", base_url_,    "--store",
          "memory"};
      argv.insert(argv.end(), relay_extra_.begin(), relay_extra_.end());
      auto started = ChildProcess::StartAndWaitReady(argv, dir_.path() / "relay.log");
      if (started) relay_ = std::move(*started);
    }
    ASSERT_TRUE(relay_) << "the relay did not start; see " << (dir_.path() / "relay.log");
  }

  // `flags` go before the subcommand (e.g. {"--spec", "sct-04"}).
  std::unique_ptr<AdapterProcess> StartDevice(
      const std::string& name, std::vector<std::pair<std::string, std::string>> env = {},
      std::vector<std::string> flags = {}) {
    flags.insert(flags.begin(), kDeviceBin);
    flags.emplace_back("adapter");
    auto p = AdapterProcess::Start(flags, env, dir_.path() / (name + ".log"));
    EXPECT_TRUE(p) << p.error().Message();
    if (!p) return nullptr;
    Json hello = (*p)->Call("hello", Json::object()).value();
    EXPECT_EQ(hello["result"]["name"], "tigress-device");
    return std::move(*p);
  }

  Json Configure(AdapterProcess& d, const std::string& ca) {
    return d.Call("configure", {{"caFile", ca}, {"relayBaseUrl", base_url_}}).value();
  }

  std::string StderrOf(const std::string& name) {
    std::ifstream in(dir_.path() / (name + ".log"));
    return std::string(std::istreambuf_iterator<char>(in), {});
  }

  ScratchDir dir_{"tigress-device"};
  std::vector<std::string> relay_extra_;  // more relay flags, set before SetUp
  PkiFiles pki_;
  std::string base_url_;
  std::unique_ptr<ChildProcess> relay_;
};

TEST_F(DeviceIntegrationTest, TwoDevicesShareAndMakeThreeRoundTripsEachWayOverTls) {
  auto init = StartDevice("initiator");
  auto recip = StartDevice("recipient");
  ASSERT_TRUE(init && recip);
  ASSERT_EQ(Configure(*init, pki_.ca)["result"], Json::object());
  ASSERT_EQ(Configure(*recip, pki_.ca)["result"], Json::object());
  Json share = init->Call("initiator.share", ShareParams()).value();
  ASSERT_TRUE(share.contains("result")) << share.dump();
  std::string url = share["result"]["shareUrl"];
  EXPECT_EQ(url.rfind(base_url_ + "/v1/m/", 0), 0u) << url;
  Json accepted = recip->Call("recipient.accept", {{"shareUrl", url}}).value();
  ASSERT_TRUE(accepted.contains("result")) << accepted.dump();
  EXPECT_EQ(accepted["result"]["provisioningInfo"], Info(1));
  EXPECT_EQ(accepted["result"]["displayInformation"]["title"], "Car key");
  EXPECT_EQ(ErrorCode(recip->Call("receive", Json::object()).value()), 1004);
  EXPECT_EQ(ErrorCode(init->Call("receive", Json::object()).value()), 1004);

  auto send = [](AdapterProcess& d, int step) {
    Json r = d.Call("send", {{"provisioningInfo", Info(step)}}).value();
    EXPECT_EQ(r["result"], Json::object()) << r.dump();
  };
  auto expect_receive = [](AdapterProcess& d, int step) {
    Json r = d.Call("receive", {{"timeoutMs", 3000}}).value();
    EXPECT_EQ(r["result"]["provisioningInfo"], Info(step)) << r.dump();
  };
  send(*recip, 2);
  expect_receive(*init, 2);
  send(*init, 3);
  send(*init, 4);  // two in a row from the initiator: the newest wins
  expect_receive(*recip, 4);
  EXPECT_EQ(ErrorCode(recip->Call("receive", Json::object()).value()), 1004);
  send(*recip, 5);
  send(*recip, 6);  // two in a row from the recipient
  expect_receive(*init, 6);
  send(*init, 7);
  expect_receive(*recip, 7);
  send(*recip, 8);
  expect_receive(*init, 8);
  send(*init, 9);
  expect_receive(*recip, 9);

  EXPECT_EQ(recip->Call("close", Json::object()).value()["result"], Json::object());
  Json gone = init->Call("close", Json::object()).value();
  EXPECT_EQ(ErrorCode(gone), 1002);
  EXPECT_EQ(gone["error"]["data"]["status"], 404);
  EXPECT_EQ(init->Call("shutdown", Json::object()).value()["result"], Json::object());
  EXPECT_EQ(recip->Call("shutdown", Json::object()).value()["result"], Json::object());
  EXPECT_EQ(init->WaitExit(std::chrono::seconds(5)).value(), 0);
  EXPECT_EQ(recip->WaitExit(std::chrono::seconds(5)).value(), 0);

  // Neither log carries the Secret (the fragment) or a full claim header value.
  std::string fragment = url.substr(url.find('#') + 1);
  EXPECT_EQ(StderrOf("initiator").find(fragment), std::string::npos);
  EXPECT_EQ(StderrOf("recipient").find(fragment), std::string::npos);
  EXPECT_EQ(StderrOf("recipient").find("\"step\""), std::string::npos);
}

TEST_F(DeviceIntegrationTest, SeparateSecretDeliveryAndRelinquishLetASecondRecipientIn) {
  auto init = StartDevice("initiator");
  auto first = StartDevice("first");
  auto second = StartDevice("second");
  ASSERT_TRUE(init && first && second);
  Configure(*init, pki_.ca);
  Configure(*first, pki_.ca);
  Configure(*second, pki_.ca);
  Json share =
      init->Call("initiator.share", ShareParams("separate", "AEAD_AES_128_GCM")).value()["result"];
  std::string url = share["shareUrl"];
  EXPECT_EQ(url.find('#'), std::string::npos);
  ASSERT_TRUE(share.contains("secret"));
  EXPECT_EQ(Base64Decode(share["secret"].get<std::string>()).value().size(), 16u);
  Json accepted =
      first->Call("recipient.accept", {{"shareUrl", url}, {"secret", share["secret"]}}).value();
  ASSERT_TRUE(accepted.contains("result")) << accepted.dump();
  Json blocked =
      second->Call("recipient.accept", {{"shareUrl", url}, {"secret", share["secret"]}}).value();
  EXPECT_EQ(ErrorCode(blocked), 1002);
  EXPECT_EQ(blocked["error"]["data"]["status"], 401);
  EXPECT_EQ(first->Call("recipient.relinquish", Json::object()).value()["result"], Json::object());
  Json taken =
      second->Call("recipient.accept", {{"shareUrl", url}, {"secret", share["secret"]}}).value();
  ASSERT_TRUE(taken.contains("result")) << taken.dump();
  EXPECT_EQ(second->Call("send", {{"provisioningInfo", Info(2)}}).value()["result"],
            Json::object());
  EXPECT_EQ(init->Call("receive", {{"timeoutMs", 3000}}).value()["result"]["provisioningInfo"],
            Info(2));
  EXPECT_EQ(init->Call("close", Json::object()).value()["result"], Json::object());
}

TEST_F(DeviceIntegrationTest, ARelayCertificateFromAnotherCaGives1003) {
  ScratchDir other_dir("tigress-other-ca");
  PkiFiles other = PkiFiles::Write(other_dir.path()).value();
  auto init = StartDevice("initiator");
  ASSERT_TRUE(init);
  Configure(*init, other.ca);
  Json r = init->Call("initiator.share", ShareParams()).value();
  EXPECT_EQ(ErrorCode(r), 1003) << r.dump();
  EXPECT_TRUE(r["error"]["data"]["detail"].is_string());
  // The accept-untrusted-cert fault is what lets the same call through.
  auto faulty = StartDevice("faulty", {{"TIGRESS_DEVICE_FAULT", "accept-untrusted-cert"}});
  ASSERT_TRUE(faulty);
  Configure(*faulty, other.ca);
  EXPECT_TRUE(faulty->Call("initiator.share", ShareParams()).value().contains("result"));
}

TEST_F(DeviceIntegrationTest, RequestIdReuseFaultMakesTheRealRelayDropUpdates) {
  auto init = StartDevice("initiator", {{"TIGRESS_DEVICE_FAULT", "request-id-reuse"}});
  auto recip = StartDevice("recipient");
  ASSERT_TRUE(init && recip);
  Configure(*init, pki_.ca);
  Configure(*recip, pki_.ca);
  std::string url = init->Call("initiator.share", ShareParams()).value()["result"]["shareUrl"];
  ASSERT_TRUE(recip->Call("recipient.accept", {{"shareUrl", url}}).value().contains("result"));
  // The relay takes the update for a duplicate of the create (201, not stored).
  EXPECT_EQ(init->Call("send", {{"provisioningInfo", Info(2)}}).value()["result"], Json::object());
  EXPECT_EQ(ErrorCode(recip->Call("receive", Json::object()).value()), 1004);
}

TEST_F(DeviceIntegrationTest, RequestIdRetryGetsTheOriginalUrlLinkFromTheRealRelay) {
  auto init = StartDevice("initiator");
  auto recip = StartDevice("recipient");
  ASSERT_TRUE(init && recip);
  Configure(*init, pki_.ca);
  Configure(*recip, pki_.ca);
  Json p = ShareParams();
  p["requestIdRetry"] = true;
  Json share = init->Call("initiator.share", p).value();
  ASSERT_TRUE(share.contains("result")) << share.dump();
  std::string url = share["result"]["shareUrl"];
  ASSERT_TRUE(recip->Call("recipient.accept", {{"shareUrl", url}}).value().contains("result"));
  Json sent =
      recip->Call("send", {{"provisioningInfo", Info(2)}, {"requestIdRetry", true}}).value();
  EXPECT_EQ(sent["result"], Json::object()) << sent.dump();
  EXPECT_EQ(init->Call("receive", {{"timeoutMs", 3000}}).value()["result"]["provisioningInfo"],
            Info(2));
  EXPECT_NE(StderrOf("initiator").find("requestIdRetry"), std::string::npos);
}

TEST_F(DeviceIntegrationTest, AdapterAnswersContractErrorsOnItsStdio) {
  auto d = StartDevice("device");
  ASSERT_TRUE(d);
  Json parse = Json::parse(d->SendRaw("{oops").value());
  EXPECT_EQ(parse["error"]["code"], -32700);
  EXPECT_TRUE(parse["id"].is_null());
  EXPECT_EQ(ErrorCode(d->Call("tigress.probe.unknownMethod", Json::object()).value()), -32601);
  EXPECT_EQ(ErrorCode(d->Call("configure", {{"caFile", 42}}).value()), -32602);
}

TEST_F(DeviceIntegrationTest, CliWalksAShareAcrossInvocationsWithA0600StateFile) {
  fs::path dir = dir_.path();
  for (int step : {1, 2, 3})
    std::ofstream(dir / ("m" + std::to_string(step) + ".json")) << Info(step).dump();
  std::string istate = (dir / "initiator.json").string();
  std::string rstate = (dir / "recipient.json").string();
  auto run = [](std::vector<std::string> argv) {
    argv.insert(argv.begin(), kDeviceBin);
    return ChildProcess::Run(argv, std::chrono::seconds(20)).value();
  };
  auto [rc, out] =
      run({"share", "--relay", base_url_, "--ca", pki_.ca, "--info", (dir / "m1.json").string(),
           "--vertical", "c", "--secret-delivery", "separate", "--state", istate});
  ASSERT_EQ(rc, 0) << out;
  std::istringstream lines(out);
  std::string url, secret;
  std::getline(lines, url);
  std::getline(lines, secret);
  EXPECT_EQ(url.find('#'), std::string::npos);
  EXPECT_EQ(Base64Decode(secret).value().size(), 32u);
  struct stat st {};
  ASSERT_EQ(stat(istate.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto accepted = run({"accept", url, "--secret", secret, "--ca", pki_.ca, "--state", rstate});
  ASSERT_EQ(accepted.first, 0) << accepted.second;
  EXPECT_EQ(Json::parse(accepted.second)["provisioningInfo"], Info(1));
  ASSERT_EQ(stat(rstate.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_EQ(run({"receive", "--state", rstate}).first, 3);  // nothing new yet
  ASSERT_EQ(run({"send", "--info", (dir / "m2.json").string(), "--state", rstate}).first, 0);
  auto got = run({"receive", "--timeout-ms", "2000", "--state", istate});
  ASSERT_EQ(got.first, 0) << got.second;
  EXPECT_EQ(Json::parse(got.second), Info(2));
  EXPECT_EQ(run({"receive", "--state", istate}).first, 3);  // returned before
  ASSERT_EQ(run({"send", "--info", (dir / "m3.json").string(), "--state", istate}).first, 0);
  auto third = run({"receive", "--state", rstate});
  ASSERT_EQ(third.first, 0) << third.second;
  EXPECT_EQ(Json::parse(third.second), Info(3));
  ASSERT_EQ(run({"close", "--state", rstate}).first, 0);
  auto after = run({"receive", "--state", istate});
  EXPECT_EQ(after.first, 1);
  EXPECT_NE(after.second.find("HTTP 404"), std::string::npos) << after.second;
  EXPECT_EQ(run({"share", "--relay", base_url_}).first, 2);  // missing required flags
}

// ---- --spec sct-04 on both real binaries ----

class DeviceSct04IntegrationTest : public DeviceIntegrationTest {
 protected:
  void SetUp() override {
    relay_extra_ = {"--spec", "sct-04"};
    DeviceIntegrationTest::SetUp();
  }
};

TEST_F(DeviceSct04IntegrationTest, TwoSct04AdaptersShareThroughASct04Relay) {
  const std::vector<std::string> sct04{"--spec", "sct-04"};
  auto init = StartDevice("initiator", {}, sct04);
  auto recip = StartDevice("recipient", {}, sct04);
  ASSERT_TRUE(init && recip);
  EXPECT_EQ(init->Call("hello", Json::object()).value()["result"]["spec"], "sct-04");
  ASSERT_EQ(Configure(*init, pki_.ca)["result"], Json::object());
  ASSERT_EQ(Configure(*recip, pki_.ca)["result"], Json::object());
  Json params = ShareParams();
  params["attest"] = true;
  Json share = init->Call("initiator.share", params).value();
  ASSERT_TRUE(share.contains("result")) << share.dump();
  Json accepted =
      recip->Call("recipient.accept", {{"shareUrl", share["result"]["shareUrl"]}, {"attest", true}})
          .value();
  ASSERT_TRUE(accepted.contains("result")) << accepted.dump();
  EXPECT_EQ(accepted["result"]["provisioningInfo"], Info(1));
  ASSERT_TRUE(recip->Call("send", {{"provisioningInfo", Info(2)}}).value().contains("result"));
  Json got = init->Call("receive", {{"timeoutMs", 2000}}).value();
  ASSERT_TRUE(got.contains("result")) << got.dump();
  EXPECT_EQ(got["result"]["provisioningInfo"], Info(2));
  EXPECT_EQ(init->Call("close", Json::object()).value()["result"], Json::object());
}

TEST_F(DeviceSct04IntegrationTest, AnHttp00AdapterGetsA400FromASct04Relay) {
  auto init = StartDevice("initiator");
  ASSERT_TRUE(init);
  EXPECT_EQ(init->Call("hello", Json::object()).value()["result"]["spec"], "http-00");
  ASSERT_EQ(Configure(*init, pki_.ca)["result"], Json::object());
  Json share = init->Call("initiator.share", ShareParams()).value();
  EXPECT_EQ(ErrorCode(share), 1002) << share.dump();
  EXPECT_EQ(share["error"]["data"]["status"], 400) << share.dump();
}

TEST_F(DeviceSct04IntegrationTest, TheCliTakesSpecAndRefusesAnUnknownOne) {
  std::string info = (dir_.path() / "m1.json").string();
  std::ofstream(info) << Info(1).dump();
  std::string state = (dir_.path() / "initiator.json").string();
  auto shared = ChildProcess::Run({kDeviceBin, "--spec", "sct-04", "share", "--relay", base_url_,
                                   "--ca", pki_.ca, "--info", info, "--state", state},
                                  std::chrono::seconds(20))
                    .value();
  EXPECT_EQ(shared.first, 0) << shared.second;
  auto bad = ChildProcess::Run({kDeviceBin, "--spec", "sct-4", "close", "--state", state}).value();
  EXPECT_EQ(bad.first, 2);
  EXPECT_NE(bad.second.find("--spec: unknown revision 'sct-4' (accepted: " + RevisionNames()),
            std::string::npos)
      << bad.second;
  auto closed =
      ChildProcess::Run({kDeviceBin, "--spec", "sct-04", "close", "--state", state}).value();
  EXPECT_EQ(closed.first, 0) << closed.second;
}

}  // namespace
}  // namespace tigress::device
