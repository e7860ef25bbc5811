// File: reference/relay/relay_service.h
//
// `RelayService`: the whole TIGRESS relay as a pure function from an HTTP
// request to an HTTP response, over a MailboxStore (spec-catalog A.3-A.7,
// B.1, B.2, B.8; interpretations of part C). No sockets, no Asio: the Beast
// shell (https_server.h) feeds it plain structs, and unit tests call it
// directly with an injected clock.
//
//   auto store = MakeMemoryStore();
//   RelayOptions options;
//   options.public_url = "https://relay.example";
//   RelayService relay(*store, options);
//   HttpResponse r = relay.Handle({"POST", "/v1/m", {{"Mailbox-Device-Claim", claim},
//                                                   {"Mailbox-Request-ID", rid}}, body});
//
// The protocol headers are read under the names of `RelayOptions::revision`
// (protocol/revision.h): under sct-04 the claim is `Device-Claim`, and a
// request carrying only `Mailbox-Device-Claim` has no claim.
//
// Endpoints: POST /v1/m (create), GET|HEAD|POST|PUT|DELETE|PATCH /v1/m/<uuid>
// (preview, preview headers, secure read, update, delete, relinquish). A
// query string is ignored (C-34); other paths are 404, other methods on a
// known path 405 with `Allow` (quirk method-501: 501 for a method the relay
// does not implement, on any path).
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/messages.h"
#include "protocol/revision.h"
#include "protocol/text.h"
#include "reference/relay/faults.h"
#include "reference/relay/mailbox_quota.h"
#include "reference/relay/mailbox_store.h"
#include "reference/relay/preview.h"
#include "reference/relay/webhook_allow.h"

namespace tigress::relay {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// `FindHeader` looks `name` up case-insensitively; the first match wins.
using text::FindHeader;

struct HttpRequest {
  std::string method;  // "POST"
  std::string target;  // origin-form: "/v1/m/<id>?v=c"
  HeaderList headers;
  std::string body;
};

// The answer to a HEAD request is the answer GET would get, body included;
// the transport sends only its header section, with the Content-Length of
// that body (RFC 9110 §9.3.2).
struct HttpResponse {
  int status = 200;
  HeaderList headers;  // Content-Length is added by the transport
  std::string body;
};

// `IsImplementedMethod` tells whether the relay implements `method` on some
// resource: GET, HEAD, POST, PUT, DELETE, PATCH (case-sensitive, RFC 9110
// §9.1). Everything else is refused before routing under quirk method-501.
bool IsImplementedMethod(std::string_view method);

// `PushNotifier` delivers a push to a stored notification token. It must not
// block the caller (the webhook notifier queues to a worker thread). `body`
// is empty (a push only signals a change, PRIV-10) except under the
// push-with-payload fault.
class PushNotifier {
 public:
  virtual ~PushNotifier() = default;
  virtual void Notify(const NotificationToken& token, std::string_view body) = 0;
};

using Clock = std::function<std::chrono::system_clock::time_point()>;
using LogSink = std::function<void(std::string_view line)>;

struct RelayOptions {
  std::string public_url;                  // "https://host:port", no trailing slash
  std::vector<std::string> webhook_allow;  // https URLs push may call under (webhook_allow.h)
  std::size_t max_body = 65536;            // larger request bodies get 413
  std::chrono::seconds default_ttl = std::chrono::hours(24);  // when no expiration is given (C-16)
  // A create whose expiration lies further ahead is refused with 400 (C-23).
  std::chrono::seconds max_lifetime = std::chrono::days(31);
  // Live mailboxes per initiator claim (429 beyond), in total and their
  // octets (507 beyond).
  QuotaLimits quota;
  Clock clock;                       // default: system_clock::now
  LogSink log;                       // default: one line to stderr
  PushNotifier* notifier = nullptr;  // default: no push delivery
  Fault fault = Fault::kNone;
  QuirkSet quirks;
  Revision revision = kDefaultRevision;         // the draft whose header names are spoken (--spec)
  std::function<std::string()> new_mailbox_id;  // default: NewUuidV4 (tests may inject)
};

class RelayService {
 public:
  RelayService(MailboxStore& store, RelayOptions options);

  // `Handle` answers one request. It never throws; store failures become 500
  // with the detail logged, never returned.
  HttpResponse Handle(const HttpRequest& request);

  // `Sweep` deletes expired mailboxes (the periodic sweeper of C-22); the
  // number removed. Errors: those of the store.
  Result<std::size_t> Sweep();

  // `IsUsableToken` tells whether the relay will push to `token`: type
  // "webhook" and tokenData an https URL under one of the allowed URLs
  // (WebhookAllowList; an invalid --webhook-allow list turns push off).
  bool IsUsableToken(const NotificationToken& token) const;

  const RelayOptions& options() const { return options_; }

 private:
  struct Call;
  HttpResponse Dispatch(Call& call);
  HttpResponse Create(Call& call);
  HttpResponse Preview(Call& call, const std::string& id);
  // `ClaimHeader` is the revision's claim header of the request on mailbox
  // `id` ("" for create), lower-cased: claims compare as UUIDs, like mailbox
  // ids, so one device's claim in either case is one party. `RequestIdHeader` its
  // Mailbox-Request-ID (nullopt only when absent under quirk request-id-optional). Errors:
  // FieldMissing, UuidInvalid (not a UUID, or given more than once).
  Result<std::string> ClaimHeader(const Call& call, const std::string& id);
  Result<std::optional<std::string>> RequestIdHeader(const Call& call) const;
  // `RefusedAttestation` is the 400 of fault attestation-create-only when the
  // request on `endpoint` carries the revision's attestation header.
  std::optional<HttpResponse> RefusedAttestation(const Call& call, Endpoint endpoint) const;
  // `CheckPayload` is ValidatePayloadShape, or under quirk opaque-data a
  // known type and non-empty data.
  Result<void> CheckPayload(const Payload& p) const;
  HttpResponse ReadSecure(Call& call, const std::string& id);
  HttpResponse Update(Call& call, const std::string& id);
  HttpResponse Delete(Call& call, const std::string& id);
  HttpResponse Relinquish(Call& call, const std::string& id);
  HttpResponse StoreError(Call& call, const Error& e);
  // `Admit` reserves quota for mailbox `m`: nullopt, or the 429/507 to answer.
  std::optional<HttpResponse> Admit(const Mailbox& m, SysSeconds now);
  SysSeconds Now() const;
  std::optional<NotificationToken> Usable(const std::optional<NotificationToken>& t) const;

  MailboxStore& store_;
  RelayOptions options_;
  const RevisionInfo& revision_;
  WebhookAllowList webhook_allow_;
  MailboxQuota quota_;
  std::atomic<unsigned long long> sequence_{0};  // for Fault::kSequentialIds only
};

}  // namespace tigress::relay
