// End-to-end: `tigress-harness replay` sends a transcript recorded against the
// real reference relay to freshly started relays, and reports exactly the
// differences that deliberate relay faults introduce.
#include <chrono>
#include <filesystem>
#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "harness/config/manifest.h"
#include "harness/net/probe_client.h"
#include "harness/process/supervisor.h"
#include "pki/test_ca.h"
#include "protocol/encoding.h"
#include "protocol/rfc3339.h"
#include "protocol/uuid.h"
#include "tests/harness/harness_run_fixture.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using Json = nlohmann::json;
using e2e::ReadFile;

Json HeadersJson(const std::vector<std::pair<std::string, std::string>>& hs) {
  Json a = Json::array();
  for (const auto& [k, v] : hs) {
    a.push_back(Json{{"name", k}, {"value", v}});
  }
  return a;
}

HttpRequest Req(std::string method, std::string url,
                std::vector<std::pair<std::string, std::string>> headers = {},
                std::optional<std::string> body = std::nullopt) {
  HttpRequest r;
  r.method = std::move(method);
  r.url = std::move(url);
  r.headers = std::move(headers);
  r.body = std::move(body);
  return r;
}

// The output line of exchange `n` ("[n/4] ...") and the lines under it.
std::string ExchangeLines(const std::string& out, int n) {
  const std::string tag = "[" + std::to_string(n) + "/";
  auto at = out.find(tag);
  if (at == std::string::npos) {
    return "";
  }
  auto end = out.find("\n[", at + 1);
  return out.substr(at, end == std::string::npos ? std::string::npos : end - at);
}

class ReplayE2e : public e2e::HarnessRunTest {
 protected:
  ReplayE2e() : HarnessRunTest("tigress-replay-e2e") {}

  void SetUp() override {
    HarnessRunTest::SetUp();
    fs::create_directories(dir_ / "relay");
  }

  fs::path ReferenceWith(const std::string& name, const std::string& fault) {
    if (fault.empty()) return ReferenceAs(name);
    const std::string relay = "\"{bindir}/tigress-relay\", ";
    return ReferenceAs(name, {{relay, relay + "\"--fault\", \"" + fault + "\", "}});
  }

  // Records create, the recipient's binding read, a second recipient's read
  // and the preview against the real reference relay, as a HAR whose claims
  // are shortened the way transcripts show them.
  fs::path Record() {
    auto m = LoadManifest(e2e::kReferenceManifest);
    EXPECT_TRUE(m);
    auto pki = pki::MakeTestPki();
    auto port = FreeLoopbackPort();
    EXPECT_TRUE(pki && port);
    Placeholders ph;
    ph.port = std::to_string(*port);
    ph.ca = (dir_ / "ca.pem").string();
    ph.cert = (dir_ / "cert.pem").string();
    ph.key = (dir_ / "key.pem").string();
    ph.workdir = (dir_ / "relay").string();
    ph.bindir = TIGRESS_BIN_DIR;
    std::ofstream(ph.ca) << pki->ca_cert_pem;
    std::ofstream(ph.cert) << pki->server_cert_pem;
    std::ofstream(ph.key) << pki->server_key_pem;
    ph.public_url = Expand(m->relay->base_url, ph);
    ph.push_url = "https://127.0.0.1:9/push";  // as harness/repro/replay.cc does
    ProcessSpec ps;
    ps.name = "recorded relay";
    ps.argv = ExpandCommand(m->relay->command, ph);
    ps.workdir = ph.workdir;
    ps.stderr_path = dir_ / "relay.stderr";
    ps.stdout_path = dir_ / "relay.stdout";
    ps.ready = m->relay->ready;
    auto relay = Process::Start(ps);
    EXPECT_TRUE(relay);
    EXPECT_TRUE((*relay)->WaitReady());
    ProbeClient probe(ph.ca);
    const std::string init = NewUuidV4();
    const std::string recip = NewUuidV4();
    const std::string other = NewUuidV4();
    Json entries = Json::array();
    auto exchange = [&](HttpRequest req) {
      auto resp = probe.Send(req);
      EXPECT_TRUE(resp) << resp.error().Message();
      auto shown = req.headers;
      for (auto& [k, v] : shown) {
        if (k == "Mailbox-Device-Claim") {
          v = Redact(v);
        }
      }
      Json request{{"method", req.method}, {"url", req.url}, {"headers", HeadersJson(shown)}};
      if (req.body) {
        request["postData"] = Json{{"mimeType", "application/json"}, {"text", *req.body}};
      }
      entries.push_back(Json{{"request", request},
                             {"response", Json{{"status", resp->status},
                                               {"headers", HeadersJson(resp->headers)},
                                               {"content", Json{{"text", resp->body}}}}}});
      return *resp;
    };
    const std::string base = ph.public_url;
    HttpResponse created = exchange(Req(
        "POST", base + "/v1/m",
        {{"Mailbox-Device-Claim", init},
         {"Mailbox-Request-ID", NewUuidV4()},
         {"Content-Type", "application/json"}},
        R"({"payload":{"type":"AEAD_AES_128_GCM","data":"AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8gISIjJCUmJygpKissLS4vMDEyMzQ1Njc4OTo7"},)"
        R"("displayInformation":{"title":"Car key","description":"Front door",)"
        R"("imageURL":"https://example.com/car.png"},"mailboxConfiguration":)"
        // An hour ahead: within any relay's maximum lifetime (C-23).
        R"({"accessRights":"RWD","expiration":")" +
            FormatUtc(std::chrono::system_clock::now() + std::chrono::hours(1)) + R"("}})"));
    EXPECT_EQ(created.status, 200) << created.body;
    const std::string link = Json::parse(created.body)["urlLink"].get<std::string>();
    EXPECT_EQ(exchange(Req("POST", link,
                           {{"Mailbox-Device-Claim", recip}, {"Mailbox-Request-ID", NewUuidV4()}}))
                  .status,
              200);
    EXPECT_EQ(exchange(Req("POST", link,
                           {{"Mailbox-Device-Claim", other}, {"Mailbox-Request-ID", NewUuidV4()}}))
                  .status,
              401);
    exchange(Req("GET", link));
    (*relay)->Stop();
    const fs::path har = dir_ / "transcript.har";
    std::ofstream(har) << Json{{"log",
                                Json{{"version", "1.2"},
                                     {"creator", {{"name", "replay_e2e_test"}, {"version", "1"}}},
                                     {"entries", entries}}}}
                              .dump(2);
    // The claims are not in the transcript in full.
    EXPECT_EQ(ReadFile(har).find(recip), std::string::npos);
    return har;
  }

  int Replay(const fs::path& har, const fs::path& manifest, const std::string& tag) {
    return RunHarness({"replay", har.string(), "--relay", manifest.string()}, tag,
                      std::chrono::seconds(60));
  }
};

TEST_F(ReplayE2e, AFreshReferenceRelayAnswersLikeTheRecordingOnceIdsAndClaimsAreMapped) {
  const fs::path har = Record();
  const int rc = Replay(har, ReferenceWith("reference", ""), "same");
  EXPECT_EQ(rc, 0) << Stdout("same") << Stderr("same");
  EXPECT_THAT(Stdout("same"), HasSubstr("[3/4] POST /v1/m/"));
  EXPECT_THAT(Stdout("same"), HasSubstr("0 of 4 exchange(s) differ"));
}

TEST_F(ReplayE2e, ARelayThatBindsAnyClaimDiffersAtTheSecondRecipient) {
  const fs::path har = Record();
  const int rc = Replay(har, ReferenceWith("faulty", "bind-any-claim"), "bind");
  EXPECT_EQ(rc, 1) << Stdout("bind");
  const std::string out = Stdout("bind");
  EXPECT_THAT(ExchangeLines(out, 1), HasSubstr("POST /v1/m: same"));
  EXPECT_THAT(ExchangeLines(out, 2), HasSubstr(": same"));
  EXPECT_THAT(ExchangeLines(out, 3), HasSubstr(": DIFFERS\n      status 401 -> 200"));
  EXPECT_THAT(ExchangeLines(out, 4), HasSubstr("GET /v1/m/"));
  EXPECT_THAT(out, HasSubstr("1 of 4 exchange(s) differ"));
}

TEST_F(ReplayE2e, ARelayThatDropsTheRequestIdEchoIsShownAndABadTranscriptIsAnError) {
  const fs::path har = Record();
  EXPECT_EQ(Replay(har, ReferenceWith("faulty", "no-request-id-echo"), "echo"), 1);
  EXPECT_THAT(Stdout("echo"), HasSubstr("Mailbox-Request-ID echo: yes -> no"));
  std::ofstream(dir_ / "bad.har") << R"({"log": {"entries": [{"request": {}}]}})";
  EXPECT_EQ(Replay(dir_ / "bad.har", ReferenceWith("reference", ""), "bad"), 2);
  EXPECT_THAT(Stderr("bad"), HasSubstr("log.entries[0].request"));
}

}  // namespace
}  // namespace tigress::harness
