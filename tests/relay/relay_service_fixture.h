// Shared fixture of the RelayService unit tests: a service over either store
// (the test parameter, "memory" or "sqlite") with a fixed clock, a recording
// push notifier and a captured log, plus helpers that build request bodies.
#pragma once

#include <filesystem>
#include <mutex>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "protocol/uuid.h"
#include "reference/relay/memory_store.h"
#include "reference/relay/relay_service.h"
#include "reference/relay/sqlite_store.h"
#include "tests/support/scratch_dir.h"

namespace tigress::relay::service_test {

using namespace std::chrono_literals;

class RecordingNotifier : public PushNotifier {
 public:
  void Notify(const NotificationToken& token, std::string_view body) override {
    calls.push_back(token.token_data);
    bodies.emplace_back(body);
  }
  std::vector<std::string> bodies;
  std::vector<std::string> calls;
};

inline std::string Data(std::uint8_t fill, std::size_t n = 40) {
  return Base64Encode(Bytes(n, fill));
}

inline Json PayloadJson(std::uint8_t fill) {
  return Json{{"type", "AEAD_AES_128_GCM"}, {"data", Data(fill)}};
}

inline Json DisplayJson() {
  return Json{{"title", "Car key"},
              {"description", "Shared by Alice"},
              {"imageURL", "https://img.test/car.png"}};
}

// Both stores run every service test: the service's behaviour must not
// depend on which one backs it.
class RelayServiceTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "memory") {
      store_ = MakeMemoryStore();
    } else {
      store_ = OpenSqliteStore((dir_.path() / "relay.sqlite3").string()).value();
    }
    now_ = std::chrono::sys_days{std::chrono::year{2026} / 11 / 28} + 12h;
    RelayOptions options;
    options.public_url = "https://relay.test/";
    options.webhook_allow = {"https://push.test/"};
    options.max_body = 4096;
    options.clock = [this] { return now_; };
    options.log = [this](std::string_view line) {
      std::lock_guard lock(log_mu_);
      log_ += std::string(line) + "\n";
    };
    options.notifier = &notifier_;
    options.fault = fault_;
    options.quirks = quirks_;
    options.revision = revision_;
    if (configure_) configure_(options);
    service_ = std::make_unique<RelayService>(*store_, options);
  }

  HttpResponse Call(std::string method, std::string target, HeaderList headers = {},
                    std::string body = {}) {
    return service_->Handle(
        HttpRequest{std::move(method), std::move(target), std::move(headers), std::move(body)});
  }
  static HeaderList Auth(const std::string& claim, std::optional<std::string> rid = NewUuidV4()) {
    HeaderList h{{"Mailbox-Device-Claim", claim}};
    if (rid) h.emplace_back("Mailbox-Request-ID", *rid);
    return h;
  }
  Json CreateBody(std::optional<std::string> rights = "RWD",
                  std::optional<std::string> expiration = std::nullopt, std::uint8_t fill = 1) {
    Json j{{"payload", PayloadJson(fill)}, {"displayInformation", DisplayJson()}};
    Json config = Json::object();
    if (rights) config["accessRights"] = *rights;
    config["expiration"] = expiration ? *expiration : FormatUtc(now_ + 1h);
    j["mailboxConfiguration"] = config;
    return j;
  }
  // Creates a mailbox as `initiator_` and returns its path "/v1/m/<id>".
  std::string CreateMailbox(std::optional<std::string> rights = "RWD") {
    return CreateFrom(CreateBody(rights));
  }
  // Creates a mailbox from the create body `body` as `initiator_` and returns
  // its path "/v1/m/<id>" ("" after a failed expectation when refused).
  std::string CreateFrom(const Json& body) {
    HttpResponse r = Call("POST", "/v1/m", Auth(initiator_), body.dump());
    EXPECT_EQ(r.status, 200) << r.body;
    return r.status == 200 ? PathOf(r) : "";
  }
  // The path "/v1/m/<id>" of the urlLink a create answered with.
  static std::string PathOf(const HttpResponse& created) {
    std::string url = Json::parse(created.body).at("urlLink").get<std::string>();
    return url.substr(std::string("https://relay.test").size());
  }
  HttpResponse Read(const std::string& path, const std::string& claim) {
    return Call("POST", path, Auth(claim));
  }
  HttpResponse Write(const std::string& path, const std::string& claim, std::uint8_t fill,
                     const std::string& rid = NewUuidV4()) {
    return Call("PUT", path, Auth(claim, rid), Json{{"payload", PayloadJson(fill)}}.dump());
  }
  std::string ReadData(const std::string& path, const std::string& claim) {
    HttpResponse r = Read(path, claim);
    if (r.status != 200) return "status " + std::to_string(r.status);
    return Json::parse(r.body).at("payload").at("data").get<std::string>();
  }
  std::size_t Count() { return store_->CountMailboxes().value(); }

  Fault fault_ = Fault::kNone;
  QuirkSet quirks_;
  Revision revision_ = kDefaultRevision;
  std::function<void(RelayOptions&)> configure_;  // set in a constructor: runs before SetUp builds
  test_support::ScratchDir dir_{"tigress-relay-service"};
  std::unique_ptr<MailboxStore> store_;
  std::chrono::system_clock::time_point now_;
  RecordingNotifier notifier_;
  std::mutex log_mu_;
  std::string log_;
  std::unique_ptr<RelayService> service_;
  std::string initiator_ = NewUuidV4();
  std::string recipient_ = NewUuidV4();
  std::string stranger_ = NewUuidV4();
};

}  // namespace tigress::relay::service_test
