// File: tests/device/fake_relay.h
//
// An in-memory relay behind the `Transport` interface, for unit tests of the
// device and the adapter session: CreateMailbox, ReadSecureContent,
// UpdateMailbox, DeleteMailbox and RelinquishMailbox with claim binding,
// Request-ID echo and last-ID-per-claim duplicates (201). It records every
// request, and hooks let a test act as a hostile relay (drop a response,
// change the echo, tamper with the payload, force a status). It reads the
// headers under the names of `revision`: a request without that revision's
// claim header is 400.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "protocol/revision.h"
#include "reference/device/transport.h"

namespace tigress::device::testing {

class FakeRelay {
 public:
  struct Mailbox {
    std::string payload_json;  // the stored {type, data} object
    std::string display_json;
    std::string expiration;
    std::string rights;
    std::string initiator;
    std::optional<std::string> recipient;
    std::map<std::string, std::string> last_request_id;  // per claim
    std::map<std::string, std::string> last_body;  // body of the last success, per claim (for 201s)
  };

  explicit FakeRelay(std::string base = "https://relay.test:8443") : base_(std::move(base)) {}

  Result<HttpResponse> Handle(const HttpRequest& request);

  const std::string& base() const { return base_; }
  Revision revision = kDefaultRevision;  // whose header names are read
  std::vector<HttpRequest> requests;     // every request received, in order
  std::map<std::string, Mailbox> mailboxes;

  // Hostile hooks. `drop_next_response`: process the next request, then
  // report a transport failure instead of the response.
  int drop_next_responses = 0;
  std::function<void(HttpResponse&)> mutate_response;  // applied to every response
  bool create_201_without_body = false;

 private:
  HttpResponse Process(const HttpRequest& request);
  std::string base_;
  int next_id_ = 1;
};

// `FakeTransport` forwards to a FakeRelay and records the options it was made with.
class FakeTransport final : public Transport {
 public:
  explicit FakeTransport(FakeRelay& relay) : relay_(relay) {}
  Result<HttpResponse> Send(const HttpRequest& request) override { return relay_.Handle(request); }

 private:
  FakeRelay& relay_;
};

// `FakeFactory` makes FakeTransports on `relay` and stores the last options.
TransportFactory FakeFactory(FakeRelay& relay, std::shared_ptr<TransportOptions> seen = nullptr);

}  // namespace tigress::device::testing
