// The probe client against a tiny loopback TLS server that behaves exactly as
// each test needs: answering before the body, closing early, cutting a
// response short.
#include "harness/net/probe_client.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <unistd.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/ssl.h>

#include "pki/test_ca.h"
#include "protocol/text.h"
#include "tests/support/scratch_dir.h"
#include "tests/support/tls_listener.h"

namespace tigress::harness {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using ::testing::Not;

constexpr std::size_t kTwelveMiB = std::size_t{12} * 1024 * 1024;

void WriteAll(SSL* ssl, const std::string& data) {
  std::size_t done = 0;
  while (done < data.size()) {
    int n = SSL_write(ssl, data.data() + done, static_cast<int>(data.size() - done));
    if (n <= 0) {
      return;
    }
    done += static_cast<std::size_t>(n);
  }
}

// Reads up to `n` octets; returns how many arrived.
std::size_t ReadAtMost(SSL* ssl, std::size_t n) {
  std::size_t got = 0;
  char buf[65536];
  while (got < n) {
    int r = SSL_read(ssl, buf, static_cast<int>(std::min(n - got, sizeof buf)));
    if (r <= 0) {
      break;
    }
    got += static_cast<std::size_t>(r);
  }
  return got;
}

// A TLS server on 127.0.0.1 that serves one connection: it reads the request
// head (up to the blank line) and hands the connection to `respond`, with the
// body octets that came along with the head, then closes the socket without
// reading anything more. Every wait is bounded.
class OneShotTlsServer {
 public:
  using Respond = std::function<void(SSL* ssl, const std::string& early_body)>;

  OneShotTlsServer(const pki::TestPki& pki, Respond respond)
      : listener_(pki), respond_(std::move(respond)) {
    if (listener_.ok()) {
      thread_ = std::thread([this] { Serve(); });
    }
  }

  ~OneShotTlsServer() {
    if (thread_.joinable()) {
      thread_.join();
    }
  }

  OneShotTlsServer(const OneShotTlsServer&) = delete;
  OneShotTlsServer& operator=(const OneShotTlsServer&) = delete;

  bool ok() const { return listener_.ok(); }
  std::string url() const {
    return "https://localhost:" + std::to_string(listener_.port()) + "/v1/m";
  }

  // The request head as received, once the connection has been served.
  std::string Head() {
    if (thread_.joinable()) {
      thread_.join();
    }
    return head_;
  }

 private:
  void Serve() {
    int fd = listener_.Accept(std::chrono::seconds(5), std::chrono::seconds(5));
    if (fd < 0) {
      return;
    }
    SSL* ssl = SSL_new(listener_.ctx());
    SSL_set_fd(ssl, fd);
    if (SSL_accept(ssl) == 1) {
      std::string got;
      char buf[4096];
      while (got.find("\r\n\r\n") == std::string::npos && got.size() < 65536) {
        int n = SSL_read(ssl, buf, sizeof buf);
        if (n <= 0) {
          break;
        }
        got.append(buf, static_cast<std::size_t>(n));
      }
      auto end = got.find("\r\n\r\n");
      head_ = end == std::string::npos ? got : got.substr(0, end + 4);
      respond_(ssl, end == std::string::npos ? "" : got.substr(end + 4));
    }
    SSL_free(ssl);
    ::close(fd);
  }

  test_support::LoopbackTlsListener listener_;
  Respond respond_;
  std::thread thread_;
  std::string head_;
};

class ProbeClientTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto pki = pki::MakeTestPki();
    ASSERT_TRUE(pki) << pki.error().Message();
    pki_ = *pki;
    std::ofstream(dir_ / "ca.pem") << pki_.ca_cert_pem;
  }
  HttpRequest Post(const OneShotTlsServer& server, std::string body) {
    HttpRequest req;
    req.method = "POST";
    req.url = server.url();
    req.headers = {{"Content-Type", "application/json"}};
    req.body = std::move(body);
    req.timeout = std::chrono::seconds(5);
    return req;
  }

  ProbeClient Probe() { return ProbeClient((dir_ / "ca.pem").string()); }

  test_support::ScratchDir scratch_{"tigress-probe"};
  const fs::path dir_ = scratch_.path();
  pki::TestPki pki_;
};

constexpr char k413[] =
    "HTTP/1.1 413 Payload Too Large\r\nContent-Type: text/plain\r\nContent-Length: 9\r\n"
    "Connection: close\r\n\r\ntoo large";

TEST_F(ProbeClientTest, ALargeBodyAsksToContinueAndGetsTheEarly413) {
  OneShotTlsServer server(pki_, [](SSL* ssl, const std::string&) { WriteAll(ssl, k413); });
  ASSERT_TRUE(server.ok());
  const auto start = std::chrono::steady_clock::now();
  auto resp = Probe().Send(Post(server, std::string(kTwelveMiB, 'x')));
  const auto took = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 413);
  EXPECT_EQ(resp->body, "too large");
  EXPECT_THAT(text::ToLowerAscii(server.Head()), HasSubstr("\r\nexpect: 100-continue\r\n"));
  EXPECT_THAT(server.Head(), HasSubstr("Content-Length: 12582912\r\n"));
  EXPECT_LT(took, std::chrono::seconds(4)) << "the 413 ended the exchange, not a timeout";
}

TEST_F(ProbeClientTest, ALargeBodyIsSentAfter100Continue) {
  std::string received;
  OneShotTlsServer server(pki_, [&received](SSL* ssl, const std::string& early_body) {
    WriteAll(ssl, "HTTP/1.1 100 Continue\r\n\r\n");
    received = early_body;
    char buf[65536];
    while (received.size() < kTwelveMiB) {
      int n = SSL_read(ssl, buf, sizeof buf);
      if (n <= 0) {
        break;
      }
      received.append(buf, static_cast<std::size_t>(n));
    }
    const std::string size = std::to_string(received.size());
    WriteAll(ssl, "HTTP/1.1 200 OK\r\nContent-Length: " + std::to_string(size.size()) +
                      "\r\nConnection: close\r\n\r\n" + size);
  });
  ASSERT_TRUE(server.ok());
  auto resp = Probe().Send(Post(server, std::string(kTwelveMiB, 'y')));
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, std::to_string(kTwelveMiB));
  EXPECT_TRUE(resp->transport_note.empty()) << resp->transport_note;
  EXPECT_EQ(received, std::string(kTwelveMiB, 'y'));
}

TEST_F(ProbeClientTest, AResponseThatArrivedSurvivesAResetDuringTheUpload) {
  // The caller turns 100-continue off, so the body is on its way when the
  // server answers; it then closes with most of the body unread (a reset),
  // and the probe's next write fails.
  OneShotTlsServer server(pki_, [](SSL* ssl, const std::string&) {
    WriteAll(ssl, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
  });
  ASSERT_TRUE(server.ok());
  HttpRequest req = Post(server, std::string(kTwelveMiB, 'z'));
  req.headers.emplace_back("Expect", "");
  auto resp = Probe().Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 200);
  EXPECT_EQ(resp->body, "ok");
  EXPECT_THAT(resp->transport_note,
              HasSubstr("connection closed by the server while the request body was being sent"));
  EXPECT_THAT(text::ToLowerAscii(server.Head()), Not(HasSubstr("100-continue")));
}

TEST_F(ProbeClientTest, AServerThatClosesWithoutAnsweringIsAnError) {
  OneShotTlsServer server(pki_, [](SSL*, const std::string&) {});
  ASSERT_TRUE(server.ok());
  auto resp = Probe().Send(Post(server, "{}"));
  ASSERT_FALSE(resp) << "status " << resp->status;
  EXPECT_TRUE(resp.error().Is(Errc::kHttpTransport)) << resp.error().Message();
}

TEST_F(ProbeClientTest, ABodyBelowOneMiBCarriesNoExpect) {
  const std::size_t size = kExpectContinueThreshold - 1;
  std::size_t received = 0;
  OneShotTlsServer server(pki_, [&](SSL* ssl, const std::string& early_body) {
    received = early_body.size() + ReadAtMost(ssl, size - early_body.size());
    WriteAll(ssl, "HTTP/1.1 201 Created\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
  });
  ASSERT_TRUE(server.ok());
  auto resp = Probe().Send(Post(server, std::string(size, 'a')));
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 201);
  EXPECT_EQ(resp->body, "ok");
  EXPECT_EQ(received, size);
  EXPECT_TRUE(resp->transport_note.empty()) << resp->transport_note;
  EXPECT_THAT(text::ToLowerAscii(server.Head()), Not(HasSubstr("expect")));
}

TEST_F(ProbeClientTest, ABodyOfExactlyOneMiBAsksToContinue) {
  OneShotTlsServer server(pki_, [](SSL* ssl, const std::string&) { WriteAll(ssl, k413); });
  ASSERT_TRUE(server.ok());
  auto resp = Probe().Send(Post(server, std::string(kExpectContinueThreshold, 'b')));
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 413);
  EXPECT_THAT(text::ToLowerAscii(server.Head()), HasSubstr("\r\nexpect: 100-continue\r\n"));
}

TEST_F(ProbeClientTest, TheCallersOwnExpectIsSentAsIs) {
  OneShotTlsServer server(pki_, [](SSL* ssl, const std::string&) {
    WriteAll(ssl, "HTTP/1.1 417 Expectation Failed\r\nContent-Length: 0\r\n\r\n");
  });
  ASSERT_TRUE(server.ok());
  HttpRequest req = Post(server, "{}");
  req.headers.emplace_back("Expect", "teapot");
  auto resp = Probe().Send(req);
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 417);
  const std::string head = text::ToLowerAscii(server.Head());
  EXPECT_THAT(head, HasSubstr("\r\nexpect: teapot\r\n"));
  EXPECT_EQ(head.find("expect:"), head.rfind("expect:")) << "one Expect header only";
}

TEST_F(ProbeClientTest, AResponseCutShortIsReturnedWithANote) {
  OneShotTlsServer server(pki_, [](SSL* ssl, const std::string&) {
    WriteAll(ssl, "HTTP/1.1 400 Bad Request\r\nContent-Length: 100\r\n\r\nshort");
  });
  ASSERT_TRUE(server.ok());
  auto resp = Probe().Send(Post(server, "{}"));
  ASSERT_TRUE(resp) << resp.error().Message();
  EXPECT_EQ(resp->status, 400);
  EXPECT_EQ(resp->body, "short");
  EXPECT_THAT(resp->transport_note, HasSubstr("before the whole response body arrived"));
}

TEST_F(ProbeClientTest, ATimeoutIsAnErrorEvenAfterAStatus) {
  OneShotTlsServer server(pki_, [](SSL* ssl, const std::string&) {
    WriteAll(ssl, "HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nslow");
    std::this_thread::sleep_for(std::chrono::milliseconds(1500));
  });
  ASSERT_TRUE(server.ok());
  HttpRequest req = Post(server, "{}");
  req.timeout = std::chrono::milliseconds(500);
  auto resp = Probe().Send(req);
  ASSERT_FALSE(resp) << "status " << resp->status;
  EXPECT_TRUE(resp.error().Is(Errc::kHttpTransport));
  EXPECT_THAT(text::ToLowerAscii(resp.error().Message()), HasSubstr("timeout"));
}

}  // namespace
}  // namespace tigress::harness
