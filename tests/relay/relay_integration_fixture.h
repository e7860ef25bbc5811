// Shared fixture of the relay integration tests, which drive the real
// tigress-relay binary over TLS on loopback with the project's HTTP client
// trusting only the test PKI's CA: starts the relay on a scratch directory
// with a fresh PKI, and builds the protocol's request headers and bodies.
#pragma once

#include <fstream>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "common/http_client.h"
#include "protocol/messages.h"
#include "protocol/rfc3339.h"
#include "protocol/uuid.h"
#include "reference/relay/https_server.h"
#include "tests/support/relay_process.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/tls_clients.h"
#include "tests/support/wait_for.h"

namespace tigress::relay::integration_test {

using test_support::ChildProcess;
using test_support::HttpsClient;
using test_support::PkiFiles;
using test_support::RawTlsConnection;
using test_support::ScratchDir;
using test_support::WaitFor;
using ::testing::HasSubstr;
using ::testing::Not;
using Headers = std::vector<std::pair<std::string, std::string>>;

inline const std::string kRelayBin = std::string(TIGRESS_BIN_DIR) + "/tigress-relay";

inline Headers Auth(const std::string& claim, const std::string& rid = NewUuidV4()) {
  return {{"Mailbox-Device-Claim", claim}, {"Mailbox-Request-ID", rid}};
}

inline std::string CreateBody(std::uint8_t fill = 1, std::optional<Json> token = std::nullopt) {
  Json j{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", Base64Encode(Bytes(40, fill))}}},
         {"displayInformation",
          {{"title", "Hotel room 12"},
           {"description", "From Bob"},
           {"imageURL", "https://i.test/k.png"}}},
         {"mailboxConfiguration",
          {{"accessRights", "RWD"},
           {"expiration", FormatUtc(std::chrono::system_clock::now() + std::chrono::hours(1))}}}};
  if (token) j["notificationToken"] = *token;
  return j.dump();
}

inline std::string UpdateBody(std::uint8_t fill, std::optional<Json> token = std::nullopt) {
  Json j{{"payload", {{"type", "AEAD_AES_128_GCM"}, {"data", Base64Encode(Bytes(40, fill))}}}};
  if (token) j["notificationToken"] = *token;
  return j.dump();
}

class RelayIntegrationTest : public ::testing::Test {
 public:
  void SetUp() override { pki_ = PkiFiles::Write(dir_.path()).value(); }

  std::vector<std::string> Args(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args{kRelayBin,
                                  "--listen",
                                  "127.0.0.1:0",
                                  "--tls-cert",
                                  pki_.cert,
                                  "--tls-key",
                                  pki_.key,
                                  "--public-url",
                                  "https://localhost:8443",
                                  "--data-dir",
                                  (dir_.path() / "data").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::unique_ptr<ChildProcess> StartRelay(const std::vector<std::string>& extra = {}) {
    auto relay = ChildProcess::StartAndWaitReady(Args(extra), dir_.path() / "relay.stderr");
    EXPECT_TRUE(relay) << (relay ? "" : relay.error().Message());
    return relay ? std::move(*relay) : nullptr;
  }
  std::string Stderr() {
    std::ifstream in(dir_.path() / "relay.stderr");
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  // "/v1/m/<id>" of a urlLink.
  static std::string PathOf(const std::string& create_body) {
    std::string url = Json::parse(create_body).at("urlLink").get<std::string>();
    return url.substr(url.find("/v1/m/"));
  }

  ScratchDir dir_{"tigress-relay"};
  PkiFiles pki_;
};

}  // namespace tigress::relay::integration_test
