// The shared HTTP client against a loopback TLS server (an OS-chosen port on
// 127.0.0.1) that records every request head and answers with what each test
// scripts. The probe-specific exchanges (100-continue, early answers, resets,
// timeouts) are covered by tests/harness/net/probe_client_test.cc.
#include "common/http_client.h"

#include <atomic>
#include <chrono>
#include <csignal>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unistd.h>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "pki/test_ca.h"
#include "protocol/text.h"
#include "tests/support/tls_listener.h"

namespace tigress::http {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// A request as the server saw it: the head (up to the blank line) and the
// body read by its Content-Length.
struct Seen {
  std::string head;
  std::string body;
};

// A TLS server on 127.0.0.1 that accepts connections until it is destroyed
// and answers every request on each with `respond(seen)` (keep-alive unless
// the answer says otherwise). Every wait is bounded.
class LoopbackTlsServer {
 public:
  using Respond = std::function<std::string(const Seen&)>;

  LoopbackTlsServer(const pki::TestPki& pki, Respond respond)
      : listener_(pki), respond_(std::move(respond)) {
    if (listener_.ok()) thread_ = std::thread([this] { Serve(); });
  }

  ~LoopbackTlsServer() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
  }

  LoopbackTlsServer(const LoopbackTlsServer&) = delete;
  LoopbackTlsServer& operator=(const LoopbackTlsServer&) = delete;

  bool ok() const { return listener_.ok(); }
  int port() const { return listener_.port(); }
  std::string Url(const std::string& path) const {
    return "https://localhost:" + std::to_string(port()) + path;
  }
  int connections() const { return connections_; }
  std::vector<Seen> requests() {
    std::lock_guard lock(mu_);
    return seen_;
  }

 private:
  void Serve() {
    while (!stop_) {
      int fd = listener_.Accept(std::chrono::milliseconds(50), std::chrono::seconds(2));
      if (fd < 0) continue;
      ++connections_;
      ServeConnection(fd);
      ::close(fd);
    }
  }

  void ServeConnection(int fd) {
    std::unique_ptr<SSL, decltype(&SSL_free)> ssl(SSL_new(listener_.ctx()), &SSL_free);
    SSL_set_fd(ssl.get(), fd);
    if (SSL_accept(ssl.get()) != 1) return;
    std::string buffer;
    while (!stop_) {
      Seen seen;
      if (!ReadRequest(ssl.get(), &buffer, &seen)) return;
      {
        std::lock_guard lock(mu_);
        seen_.push_back(seen);
      }
      const std::string answer = respond_(seen);
      SSL_write(ssl.get(), answer.data(), static_cast<int>(answer.size()));
      if (answer.find("Connection: close") != std::string::npos) return;
    }
  }

  static bool ReadRequest(SSL* ssl, std::string* buffer, Seen* seen) {
    char chunk[4096];
    std::size_t end = std::string::npos;
    while ((end = buffer->find("\r\n\r\n")) == std::string::npos) {
      int n = SSL_read(ssl, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer->append(chunk, static_cast<std::size_t>(n));
    }
    seen->head = buffer->substr(0, end + 4);
    buffer->erase(0, end + 4);
    std::size_t length = 0;
    const std::string lower = text::ToLowerAscii(seen->head);
    if (auto at = lower.find("\r\ncontent-length:"); at != std::string::npos) {
      length = std::stoul(lower.substr(at + 17));
    }
    while (buffer->size() < length) {
      int n = SSL_read(ssl, chunk, sizeof chunk);
      if (n <= 0) return false;
      buffer->append(chunk, static_cast<std::size_t>(n));
    }
    seen->body = buffer->substr(0, length);
    buffer->erase(0, length);
    return true;
  }

  test_support::LoopbackTlsListener listener_;
  Respond respond_;
  std::atomic<bool> stop_{false};
  std::atomic<int> connections_{0};
  std::mutex mu_;
  std::vector<Seen> seen_;
  std::thread thread_;
};

std::string Ok(const std::string& body = "ok") {
  return "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

class HttpClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // The server may still write (TLS session tickets) after a client has
    // gone; that must be an error return, not the end of the test binary.
    std::signal(SIGPIPE, SIG_IGN);
    auto pki = pki::MakeTestPki();
    ASSERT_TRUE(pki) << pki.error().Message();
    pki_ = *pki;
  }

  Client Trusting(bool keep_alive = false) {
    return Client({.trust = {.ca_pem = pki_.ca_cert_pem}, .keep_alive = keep_alive});
  }

  pki::TestPki pki_;
};

TEST_F(HttpClientTest, TheRequestGoesOutAsWrittenWithNothingAdded) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok("done"); });
  ASSERT_TRUE(server.ok());
  Request req{.method = "PUT",
              .url = server.Url("/v1/m/abc#not-sent"),
              .headers = {{"X-First", "1"}, {"X-Second", "2"}},
              .body = std::string("{\"a\":1}")};
  auto resp = Trusting().Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "done");
  EXPECT_TRUE(resp->transport_note.empty()) << resp->transport_note;
  ASSERT_EQ(server.requests().size(), 1U);
  const Seen seen = server.requests()[0];
  EXPECT_THAT(seen.head, StartsWith("PUT /v1/m/abc HTTP/1.1\r\n"));
  EXPECT_THAT(seen.head, HasSubstr("\r\nX-First: 1\r\nX-Second: 2\r\n"));
  EXPECT_THAT(seen.head, HasSubstr("\r\nContent-Length: 7\r\n"));
  const std::string lower = text::ToLowerAscii(seen.head);
  EXPECT_THAT(lower, Not(HasSubstr("content-type")));
  EXPECT_THAT(lower, Not(HasSubstr("expect")));
  EXPECT_EQ(seen.body, "{\"a\":1}");
}

TEST_F(HttpClientTest, AnEmptyHeaderValueIsSentEmpty) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  auto resp = Trusting().Send({.url = server.Url("/"), .headers = {{"X-Empty", ""}}});
  ASSERT_TRUE(resp) << resp.error().Message();
  ASSERT_EQ(server.requests().size(), 1U);
  EXPECT_THAT(server.requests()[0].head, HasSubstr("\r\nX-Empty:"));
}

TEST_F(HttpClientTest, ABodyIsSentOnlyWhenTheRequestHasOne) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  Client client = Trusting();
  ASSERT_TRUE(client.Send({.method = "PATCH", .url = server.Url("/a")}));
  ASSERT_TRUE(client.Send({.method = "PATCH", .url = server.Url("/b"), .body = std::string()}));
  const std::vector<Seen> seen = server.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_THAT(text::ToLowerAscii(seen[0].head), Not(HasSubstr("content-length")));
  EXPECT_THAT(seen[1].head, HasSubstr("\r\nContent-Length: 0\r\n"));
}

TEST_F(HttpClientTest, ALargeBodyAsksToContinueOnlyWhenTheThresholdIsSet) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  Client client = Trusting();
  Request req{.method = "POST", .url = server.Url("/"), .body = std::string(64, 'x')};
  ASSERT_TRUE(client.Send(req));
  req.expect_continue_from = 64;
  ASSERT_TRUE(client.Send(req));
  const std::vector<Seen> seen = server.requests();
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_THAT(text::ToLowerAscii(seen[0].head), Not(HasSubstr("expect")));
  EXPECT_THAT(text::ToLowerAscii(seen[1].head), HasSubstr("\r\nexpect: 100-continue\r\n"));
  EXPECT_EQ(seen[1].body, std::string(64, 'x'));
}

TEST_F(HttpClientTest, ResponseHeadersKeepTheirOrderCaseAndRepeats) {
  LoopbackTlsServer server(pki_, [](const Seen&) {
    return std::string(
        "HTTP/1.1 201 Created\r\nX-B: two\r\nx-a:  one \r\nX-B: three\r\nContent-Length: "
        "0\r\n\r\n");
  });
  ASSERT_TRUE(server.ok());
  auto resp = Trusting().Send({.url = server.Url("/")});
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->http_version, "HTTP/1.1");
  const text::HeaderList expected = {
      {"X-B", "two"}, {"x-a", "one "}, {"X-B", "three"}, {"Content-Length", "0"}};
  EXPECT_EQ(resp->headers, expected);
}

TEST_F(HttpClientTest, KeepAliveReusesOneConnection) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  Client client = Trusting(/*keep_alive=*/true);
  for (int i = 0; i < 3; ++i) {
    auto resp = client.Send({.url = server.Url("/" + std::to_string(i))});
    ASSERT_TRUE(resp) << resp.error().Message();
  }
  EXPECT_EQ(server.requests().size(), 3U);
  EXPECT_EQ(server.connections(), 1);
}

TEST_F(HttpClientTest, WithoutKeepAliveEverySendOpensAFreshConnection) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  Client client = Trusting();
  for (int i = 0; i < 2; ++i) {
    auto resp = client.Send({.url = server.Url("/")});
    ASSERT_TRUE(resp) << resp.error().Message();
  }
  EXPECT_EQ(server.connections(), 2);
}

TEST_F(HttpClientTest, AServerFromAnotherCaIsRefusedUnlessVerificationIsOff) {
  auto other = pki::MakeTestPki();
  ASSERT_TRUE(other) << other.error().Message();
  LoopbackTlsServer server(*other, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  auto refused = Trusting().Send({.url = server.Url("/")});
  ASSERT_FALSE(refused) << "status " << refused->status;
  EXPECT_TRUE(refused.error().Is(Errc::kHttpTransport));
  EXPECT_THAT(refused.error().detail, StartsWith("GET " + server.Url("/") + ": "));
  Client lax({.trust = {.ca_pem = pki_.ca_cert_pem, .verify_peer = false}});
  auto accepted = lax.Send({.url = server.Url("/")});
  ASSERT_TRUE(accepted) << accepted.error().Message();
  EXPECT_EQ(accepted->status, 200);
}

TEST_F(HttpClientTest, WithoutACaNothingIsTrustedUnlessTheSystemStoreIsAskedFor) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  auto refused = Client({}).Send({.url = server.Url("/")});
  ASSERT_FALSE(refused) << "status " << refused->status;
  EXPECT_TRUE(refused.error().Is(Errc::kHttpTransport));
  // The system's store does not hold the run's test CA either.
  auto system = Client({.trust = {.system_store = true}}).Send({.url = server.Url("/")});
  EXPECT_FALSE(system);
}

TEST_F(HttpClientTest, RedactedErrorsNameTheUrlWithoutItsQuery) {
  int port = 0;
  {
    // A port the OS chose and nobody listens on any more.
    LoopbackTlsServer gone(pki_, [](const Seen&) { return Ok(); });
    ASSERT_TRUE(gone.ok());
    port = gone.port();
  }
  const std::string base = "https://localhost:" + std::to_string(port) + "/v1/m";
  Client client({.trust = {.ca_pem = pki_.ca_cert_pem}, .redact_query = true});
  auto resp = client.Send({.method = "POST", .url = base + "?secret=hunter2"});
  ASSERT_FALSE(resp) << "status " << resp->status;
  EXPECT_TRUE(resp.error().Is(Errc::kHttpTransport));
  EXPECT_THAT(resp.error().detail, StartsWith("POST " + base + ": "));
  EXPECT_THAT(resp.error().detail, Not(HasSubstr("hunter2")));
}

TEST_F(HttpClientTest, PlainHttpIsRefusedUnlessAllowed) {
  auto resp = Trusting().Send({.url = "http://127.0.0.1:1/"});
  ASSERT_FALSE(resp) << "status " << resp->status;
  EXPECT_THAT(resp.error().detail, HasSubstr("not supported"));
}

TEST_F(HttpClientTest, ConnectOnlyOpensTheConnectionAndSendsNothing) {
  LoopbackTlsServer server(pki_, [](const Seen&) { return Ok(); });
  ASSERT_TRUE(server.ok());
  auto resp =
      Trusting().Send({.url = server.Url("/"), .connect_only = std::chrono::milliseconds(50)});
  ASSERT_FALSE(resp);
  EXPECT_THAT(resp.error().detail, StartsWith("connect only: "));
  EXPECT_EQ(server.connections(), 1);
  EXPECT_TRUE(server.requests().empty());
}

}  // namespace
}  // namespace tigress::http
