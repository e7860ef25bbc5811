// The recording proxy against the real reference relay on loopback, with the
// real test CA and the libcurl probe client as the device.
#include "harness/net/proxy.h"

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include <gtest/gtest.h>

#include "harness/net/probe_client.h"
#include "harness/process/supervisor.h"
#include "pki/test_ca.h"
#include "tests/support/scratch_dir.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;

class ProxyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(dir_ / "relay");
    auto pki = pki::MakeTestPki();
    ASSERT_TRUE(pki) << pki.error().Message();
    std::ofstream(dir_ / "ca.pem") << pki->ca_cert_pem;
    std::ofstream(dir_ / "cert.pem") << pki->server_cert_pem;
    std::ofstream(dir_ / "key.pem") << pki->server_key_pem;
  }
  void TearDown() override {
    if (relay_) relay_->Stop();
    if (HasFailure()) scratch_.Keep();
  }

  std::string Path(const char* name) { return (dir_ / name).string(); }

  // Starts the reference relay; returns its base URL.
  std::string StartRelay() {
    auto port = FreeLoopbackPort();
    EXPECT_TRUE(port);
    ProcessSpec ps;
    ps.name = "relay";
    ps.argv = {std::string(TIGRESS_BIN_DIR) + "/tigress-relay",
               "--listen",
               "127.0.0.1:" + std::to_string(*port),
               "--tls-cert",
               Path("cert.pem"),
               "--tls-key",
               Path("key.pem"),
               "--data-dir",
               (dir_ / "relay").string(),
               "--public-url",
               "https://localhost:" + std::to_string(*port),
               "--store",
               "memory"};
    ps.workdir = dir_ / "relay";
    ps.stdout_path = dir_ / "relay.stdout";
    ps.stderr_path = dir_ / "relay.stderr";
    ps.ready.kind = ReadySpec::Kind::kStdout;
    ps.ready.token = "READY";
    ps.port = *port;
    auto p = Process::Start(ps);
    EXPECT_TRUE(p) << p.error().Message();
    if (!p) return "https://localhost:1";
    relay_ = std::move(*p);
    auto ready = relay_->WaitReady();
    EXPECT_TRUE(ready) << ready.error().Message();
    return "https://localhost:" + std::to_string(*port);
  }

  test_support::ScratchDir scratch_{
      "tigress-proxy-" +
      std::string(::testing::UnitTest::GetInstance()->current_test_info()->name())};
  const fs::path dir_ = scratch_.path();
  std::unique_ptr<Process> relay_;
};

TEST_F(ProxyTest, ForwardsToTheRelayAndRecordsWhatItSaw) {
  const std::string relay = StartRelay();
  auto proxy = RecordingProxy::Start({Path("cert.pem"), Path("key.pem"), Path("ca.pem"), relay});
  ASSERT_TRUE(proxy) << proxy.error().Message();
  ProbeClient probe(Path("ca.pem"));
  HttpRequest req;
  req.method = "POST";
  req.url = (*proxy)->base_url() + "/v1/m?v=c";
  req.headers = {{"Mailbox-Device-Claim", "3b0c2a4e-1f0d-4c8e-9a51-6d2f7e8b9c01"},
                 {"Mailbox-Request-ID", "9f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f"},
                 {"Content-Type", "application/json"}};
  req.body = "{}";
  auto resp = probe.Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 400);  // a create without its fields, answered by the relay itself
  (*proxy)->Stop();
  har::Transcript t = (*proxy)->Transcript();
  ASSERT_EQ(t.exchanges.size(), 1u);
  EXPECT_EQ((*proxy)->ExchangeCount(), 1u);
  const har::Exchange& e = t.exchanges[0];
  EXPECT_EQ(e.method, "POST");
  EXPECT_EQ(e.url, relay + "/v1/m?v=c");
  EXPECT_EQ(e.request_body, "{}");
  EXPECT_EQ(e.status, 400);
  EXPECT_EQ(e.response_body, resp->body);
  EXPECT_TRUE(e.error.empty());
}

TEST_F(ProxyTest, AnswersBadGatewayAndRecordsWhyWhenTheRelayIsDown) {
  auto port = FreeLoopbackPort();
  ASSERT_TRUE(port);
  auto proxy = RecordingProxy::Start({Path("cert.pem"), Path("key.pem"), Path("ca.pem"),
                                      "https://localhost:" + std::to_string(*port)});
  ASSERT_TRUE(proxy) << proxy.error().Message();
  ProbeClient probe(Path("ca.pem"));
  HttpRequest req;
  req.url = (*proxy)->base_url() + "/v1/m/x";
  auto resp = probe.Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 502);
  (*proxy)->Stop();
  auto t = (*proxy)->Transcript();
  ASSERT_EQ(t.exchanges.size(), 1u);
  EXPECT_EQ(t.exchanges[0].status, 0);
  EXPECT_NE(t.exchanges[0].error.find("cannot reach the relay"), std::string::npos);
}

TEST_F(ProxyTest, KeepsPushesApartAndNeverForwardsThem) {
  auto port = FreeLoopbackPort();  // no relay listens: a forwarded push would get 502
  ASSERT_TRUE(port);
  auto proxy = RecordingProxy::Start({Path("cert.pem"), Path("key.pem"), Path("ca.pem"),
                                      "https://localhost:" + std::to_string(*port)});
  ASSERT_TRUE(proxy) << proxy.error().Message();
  EXPECT_EQ((*proxy)->push_url(), (*proxy)->base_url() + "/.tigress-push/");
  ProbeClient probe(Path("ca.pem"));
  HttpRequest req;
  req.method = "POST";
  req.url = (*proxy)->push_url() + "init-1";
  req.body = "";
  auto resp = probe.Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 204);
  req.url = (*proxy)->base_url() + "/v1/m/x";
  ASSERT_TRUE(probe.Send(req));
  (*proxy)->Stop();
  const auto pushes = (*proxy)->Pushes();
  ASSERT_EQ(pushes.size(), 1u);
  EXPECT_EQ(pushes[0].method, "POST");
  EXPECT_EQ(pushes[0].url, (*proxy)->push_url() + "init-1");
  EXPECT_TRUE(pushes[0].request_body.empty());
  const auto t = (*proxy)->Transcript();
  ASSERT_EQ(t.exchanges.size(), 1u) << "the push is not in the transcript";
  EXPECT_NE(t.exchanges[0].url.find("/v1/m/x"), std::string::npos);
}

TEST_F(ProxyTest, HostileModeReplacesTheRequestIdEcho) {
  const std::string relay = StartRelay();
  auto proxy = RecordingProxy::Start({Path("cert.pem"), Path("key.pem"), Path("ca.pem"), relay});
  ASSERT_TRUE(proxy);
  ASSERT_TRUE((*proxy)->SetHostile(HostileMode::kRequestIdMismatch));
  ProbeClient probe(Path("ca.pem"));
  HttpRequest req;
  req.method = "POST";
  req.url = (*proxy)->base_url() + "/v1/m";
  req.headers = {{"Mailbox-Device-Claim", "3b0c2a4e-1f0d-4c8e-9a51-6d2f7e8b9c01"},
                 {"Mailbox-Request-ID", "9f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f"},
                 {"Content-Type", "application/json"}};
  req.body =
      R"({"payload":{"type":"AEAD_AES_128_GCM","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="},)"
      R"("displayInformation":{"title":"T","description":"D","imageURL":"https://example.com/i.png"}})";
  auto resp = probe.Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  ASSERT_EQ(resp->status, 200) << resp->body;
  std::string echo;
  for (const auto& [k, v] : resp->headers) {
    if (k == "Mailbox-Request-ID" || k == "mailbox-request-id") echo = v;
  }
  EXPECT_FALSE(echo.empty());
  EXPECT_NE(echo, "9f1e2d3c-4b5a-4c6d-8e7f-0a1b2c3d4e5f");
  (*proxy)->Stop();
  EXPECT_EQ((*proxy)->Transcript().exchanges.at(0).error, "hostile: request-id-mismatch");
}

}  // namespace
}  // namespace tigress::harness
