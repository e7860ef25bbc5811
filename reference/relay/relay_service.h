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
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "protocol/messages.h"
#include "protocol/text.h"
#include "reference/relay/mailbox_store.h"

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

// Deliberate spec violations, one at a time, so that the harness can prove
// its negative checks fail on a relay that breaks the rule (issue 3). Never
// on by default.
enum class Fault {
  kNone,
  kNoRequestIdEcho,        // REPLAY-01: never echo Mailbox-Request-ID
  kDuplicateReprocessed,   // REPLAY-02..04: duplicates are processed again
  kDuplicateCreateNoBody,  // REPLAY-12/C-05: 201 to a duplicate create has an empty body
  kBindAnyClaim,           // RELAY-31/56, SEC-04: any claim reads, nobody is refused
  kNotFoundAs401,          // RELAY-59/C-44: unknown mailbox answers 401
  kNoExpiry,               // RELAY-45, SEC-07: expiration is never enforced
  kAcceptPastExpiration,   // RELAY-47/C-23: a past expiration is accepted
  kIgnoreAccessRights,     // RELAY-12/48: accessRights are not enforced
  kSequentialIds,          // RELAY-04/05, SEC-06: mailbox ids are a counter
  kUrlLinkWithoutVersion,  // RELAY-02/C-26: urlLink is <public-url>/m/<id>
  kPreviewUnescaped,       // SEC-10: display information inserted raw, javascript: kept
  kPreviewLeaksPayload,    // RELAY-28, PRIV: payload data appears in the preview
  kDeleteKeepsMailbox,     // RELAY-22: delete answers 200 but keeps the mailbox
  kExpirationNotStrict,    // RELAY-29/C-24: read returns a non-wire timestamp form
  kPushToWriter,           // RELAY-50/C-37: the writer is notified, not the other party
  kBadJson500,             // RELAY-10, robustness: malformed JSON answers 500
  kNoBodyLimit,            // RELAY-55: no request body limit (transport)
  kPlainHttp,              // SEC-01: serves plain HTTP instead of TLS (transport)
  kAllowTls10,             // SEC-03/C-43: accepts TLS 1.0 and weak ciphers (transport)
  kSetCookie,              // PRIV-04: every response sets a tracking cookie
  kPushWithPayload,        // PRIV-10: a push carries the new payload
  kRefuseCreates,          // RELAY-01: every create is refused with 400
  kDuplicateClaimAny,      // RELAY-66, SEC-04: of two claim lines, any party's one authorises
  kMethod500,              // RELAY-61, C-46: a method the relay does not implement answers 500
  kHead500,                // RELAY-61, RELAY-62: HEAD on a mailbox answers 500
};

struct FaultInfo {
  Fault fault;
  std::string_view name;         // "--fault" value, e.g. "no-request-id-echo"
  std::string_view description;  // one line for --help and docs
};

// `AllFaults` lists every fault except kNone, in declaration order.
const std::vector<FaultInfo>& AllFaults();
// `ParseFault` maps a --fault value to a Fault. Errors: kFieldInvalid listing
// the known names.
Result<Fault> ParseFault(std::string_view name);

// Legal but unusual behaviours, each allowed by the draft or the HTTP RFCs,
// that the reference relay does not show by default. They let the harness
// prove that it gives no FAIL to a relay that makes the other choice. Any
// number may be on at once; each changes only the behaviour it names.
enum class Quirk {
  kMethod501,         // a method the relay does not implement gets 501 (RFC 9110 §9.1)
  kHead405,           // HEAD on a mailbox gets 405 with Allow (RFC 9110 §9.1)
  kEarly413Close,     // over-limit Content-Length: 413 then close, body unread (transport)
  kAnyRequestId,      // any non-empty Mailbox-Request-ID is accepted (draft §5.1 SHOULD)
  kOpaqueData,        // payload data is only checked to be a non-empty string
  kTrailingSlash,     // /v1/m/ and /v1/m/<id>/ mean /v1/m and /v1/m/<id> (RFC 9110 §4.2.3)
  kLargeHeaders,      // header sections up to 1 MiB are accepted (transport, RFC 9110 §5.4)
  kOgImageAnyScheme,  // og:image keeps an imageURL of any scheme, escaped
};

struct QuirkInfo {
  Quirk quirk;
  std::string_view name;         // "--quirk" value, e.g. "method-501"
  std::string_view description;  // one line for --help
  std::string_view allowed_by;   // the rule that allows it, e.g. "RFC 9110 §9.1"
};

// `AllQuirks` lists every quirk in declaration order.
const std::vector<QuirkInfo>& AllQuirks();
// `ParseQuirk` maps a --quirk value to a Quirk. Errors: kFieldInvalid listing
// the known names.
Result<Quirk> ParseQuirk(std::string_view name);

// The quirks switched on; empty by default.
class QuirkSet {
 public:
  QuirkSet() = default;
  QuirkSet(std::initializer_list<Quirk> quirks) {
    for (Quirk q : quirks) Add(q);
  }
  void Add(Quirk q) { bits_ |= Bit(q); }
  bool Has(Quirk q) const { return (bits_ & Bit(q)) != 0; }
  bool Empty() const { return bits_ == 0; }

 private:
  static unsigned Bit(Quirk q) { return 1u << static_cast<unsigned>(q); }
  unsigned bits_ = 0;
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
  std::vector<std::string> webhook_allow;  // https URL prefixes push may call
  std::size_t max_body = 65536;            // larger request bodies get 413
  std::chrono::seconds default_ttl = std::chrono::hours(24);  // when no expiration is given (C-16)
  Clock clock;                                                // default: system_clock::now
  LogSink log;                                                // default: one line to stderr
  PushNotifier* notifier = nullptr;                           // default: no push delivery
  Fault fault = Fault::kNone;
  QuirkSet quirks;
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
  // "webhook" and tokenData an https URL under one of the allowed prefixes.
  bool IsUsableToken(const NotificationToken& token) const;

  const RelayOptions& options() const { return options_; }

 private:
  struct Call;
  HttpResponse Dispatch(Call& call);
  HttpResponse Create(Call& call);
  HttpResponse Preview(Call& call, const std::string& id);
  // `ClaimHeader` is the Mailbox-Device-Claim of the request on mailbox `id`
  // ("" for create); `RequestIdHeader` its Mailbox-Request-ID. Errors:
  // FieldMissing, UuidInvalid (not a UUID, or given more than once).
  Result<std::string> ClaimHeader(const Call& call, const std::string& id);
  Result<std::string> RequestIdHeader(const Call& call) const;
  // `CheckPayload` is ValidatePayloadShape, or under quirk opaque-data a
  // known type and non-empty data.
  Result<void> CheckPayload(const Payload& p) const;
  HttpResponse ReadSecure(Call& call, const std::string& id);
  HttpResponse Update(Call& call, const std::string& id);
  HttpResponse Delete(Call& call, const std::string& id);
  HttpResponse Relinquish(Call& call, const std::string& id);
  HttpResponse StoreError(Call& call, const Error& e);
  SysSeconds Now() const;
  std::optional<NotificationToken> Usable(const std::optional<NotificationToken>& t) const;

  MailboxStore& store_;
  RelayOptions options_;
  std::atomic<unsigned long long> sequence_{0};  // for Fault::kSequentialIds only
};

// `RenderPreview` is the OpenGraph HTML of A.6.4 for `d`: og:title,
// og:description and og:image, all HTML-escaped, no script. og:image is
// present for http/https URLs only, or (`any_image_scheme`, quirk
// og-image-any-scheme) for any non-empty imageURL. Exposed for tests.
std::string RenderPreview(const DisplayInformation& d, bool any_image_scheme = false);

// The Content-Security-Policy sent with every preview.
inline constexpr std::string_view kPreviewCsp =
    "default-src 'none'; img-src https:; style-src 'none'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'";

}  // namespace tigress::relay
