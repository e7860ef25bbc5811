#include "tests/device/fake_relay.h"

#include <cstdio>

#include "protocol/messages.h"

namespace tigress::device::testing {
namespace {

HttpResponse Status(int status, std::string body = {}) {
  HttpResponse r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

}  // namespace

Result<HttpResponse> FakeRelay::Handle(const HttpRequest& request) {
  requests.push_back(request);
  HttpResponse response = Process(request);
  const std::string_view rid = RevisionOf(revision).request_id_header;
  for (const auto& [name, value] : request.headers) {
    if (name == rid) response.headers.emplace_back(rid, value);
  }
  if (mutate_response) mutate_response(response);
  if (drop_next_responses > 0) {
    --drop_next_responses;
    return MakeError(Errc::kTransportFailure,
                     request.method + " " + request.url + ": connection dropped (fake)");
  }
  return response;
}

HttpResponse FakeRelay::Process(const HttpRequest& request) {
  const RevisionInfo& spoken = RevisionOf(revision);
  std::string claim, request_id;
  for (const auto& [name, value] : request.headers) {
    if (name == spoken.claim_header) claim = value;
    if (name == spoken.request_id_header) request_id = value;
  }
  if (claim.empty()) return Status(400);
  std::string path = request.url.substr(base_.size());
  std::size_t q = path.find('?');
  if (q != std::string::npos) path.resize(q);
  if (request.method == "POST" && path == "/v1/m") {
    auto create = ParseCreateMailboxRequest(request.body);
    if (!create) return Status(400);
    char id[40];
    std::snprintf(id, sizeof id, "00000000-0000-4000-8000-%012d", next_id_++);
    Mailbox m;
    m.payload_json = ToJson(create->payload).dump();
    m.display_json = ToJson(create->display_information).dump();
    m.expiration = create->mailbox_configuration && create->mailbox_configuration->expiration
                       ? *create->mailbox_configuration->expiration
                       : "2030-01-01T00:00:00Z";
    m.rights = create->mailbox_configuration
                   ? create->mailbox_configuration->access_rights.value_or("RD")
                   : "RD";
    m.initiator = claim;
    // A duplicate create by the same claim and Request-ID answers 201.
    for (auto& [other_id, other] : mailboxes) {
      if (other.initiator == claim && other.last_request_id[claim] == request_id) {
        return Status(201, create_201_without_body ? "" : other.last_body[claim]);
      }
    }
    std::string body =
        Json{{"urlLink", base_ + "/v1/m/" + id}, {"isPushNotificationSupported", false}}.dump();
    m.last_request_id[claim] = request_id;
    m.last_body[claim] = body;
    mailboxes[id] = m;
    return Status(200, body);
  }
  if (path.rfind("/v1/m/", 0) != 0) return Status(404);
  auto it = mailboxes.find(path.substr(6));
  if (it == mailboxes.end()) return Status(404);
  Mailbox& m = it->second;
  bool bound = claim == m.initiator || (m.recipient && claim == *m.recipient);
  if (request.method == "POST") {
    if (!bound) {
      if (m.recipient) return Status(401);
      m.recipient = claim;
    }
    return Status(200, Json{{"payload", Json::parse(m.payload_json)},
                            {"displayInformation", Json::parse(m.display_json)},
                            {"expiration", m.expiration}}
                           .dump());
  }
  if (!bound) return Status(401);
  if (m.last_request_id[claim] == request_id && request.method != "DELETE") return Status(201);
  if (request.method == "PUT") {
    auto update = ParseUpdateMailboxRequest(request.body);
    if (!update) return Status(400);
    m.payload_json = ToJson(update->payload).dump();
    m.last_request_id[claim] = request_id;
    return Status(200, R"({"isPushNotificationSupported":false})");
  }
  if (request.method == "DELETE") {
    mailboxes.erase(it);
    return Status(200);
  }
  if (request.method == "PATCH") {
    if (!m.recipient || claim != *m.recipient) return Status(401);
    m.recipient.reset();
    m.last_request_id[claim] = request_id;
    return Status(200);
  }
  return Status(405);
}

TransportFactory FakeFactory(FakeRelay& relay, std::shared_ptr<TransportOptions> seen) {
  return [&relay, seen](const TransportOptions& options) -> Result<std::unique_ptr<Transport>> {
    if (seen) *seen = options;
    return std::unique_ptr<Transport>(new FakeTransport(relay));
  };
}

}  // namespace tigress::device::testing
