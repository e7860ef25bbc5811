#include "reference/relay/relay_service.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <iostream>
#include <mutex>

#include "protocol/payload.h"
#include "protocol/text.h"
#include "protocol/uuid.h"

namespace tigress::relay {
namespace {

constexpr std::string_view kJson = "application/json";
constexpr std::string_view kPathPrefix = "/v1/m";

// For logs: the first 8 characters of an id, never a full claim or id.
std::string Short(std::string_view id) {
  std::string out;
  for (char c : id.substr(0, 8)) {
    out += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '?';
  }
  return out.empty() ? "-" : out;
}

std::string SafeToken(std::string_view s) {
  std::string out;
  for (char c : s.substr(0, 16)) out += std::isalpha(static_cast<unsigned char>(c)) ? c : '?';
  return out;
}

std::mutex& StderrMutex() {
  static std::mutex mu;
  return mu;
}

}  // namespace

bool IsImplementedMethod(std::string_view method) {
  for (std::string_view m : {"GET", "HEAD", "POST", "PUT", "DELETE", "PATCH"}) {
    if (method == m) return true;
  }
  return false;
}

// Per-request context: what every response needs (the echo) and what the
// log line reports.
struct RelayService::Call {
  const HttpRequest& request;
  std::optional<std::string> request_id;  // as received, echoed verbatim
  std::string log_id = "-";
};

RelayService::RelayService(MailboxStore& store, RelayOptions options)
    : store_(store),
      options_(std::move(options)),
      revision_(RevisionOf(options_.revision)),
      quota_(options_.quota) {
  if (!options_.clock) options_.clock = [] { return std::chrono::system_clock::now(); };
  if (!options_.log) {
    options_.log = [](std::string_view line) {
      std::lock_guard lock(StderrMutex());
      std::cerr << line << '\n' << std::flush;
    };
  }
  if (!options_.new_mailbox_id) options_.new_mailbox_id = [] { return NewUuidV4(); };
  // main refuses a bad list before starting; a library caller gets push off.
  if (auto allow = WebhookAllowList::Parse(options_.webhook_allow)) {
    webhook_allow_ = std::move(*allow);
  } else {
    options_.log("relay: push disabled: " + allow.error().detail);
  }
  while (!options_.public_url.empty() && options_.public_url.back() == '/')
    options_.public_url.pop_back();
}

SysSeconds RelayService::Now() const {
  if (options_.fault == Fault::kNoExpiry) return SysSeconds::min();
  return std::chrono::floor<std::chrono::seconds>(options_.clock());
}

bool RelayService::IsUsableToken(const NotificationToken& token) const {
  return token.type == "webhook" && webhook_allow_.Allows(token.token_data);
}

std::optional<NotificationToken> RelayService::Usable(
    const std::optional<NotificationToken>& t) const {
  if (t && IsUsableToken(*t)) return t;
  return std::nullopt;
}

Result<std::size_t> RelayService::Sweep() {
  if (options_.fault == Fault::kNoExpiry) return std::size_t{0};
  SysSeconds now = std::chrono::floor<std::chrono::seconds>(options_.clock());
  quota_.Expire(now);
  return store_.SweepExpired(now);
}

namespace {

HttpResponse JsonResponse(int status, const Json& body) {
  HttpResponse r;
  r.status = status;
  r.headers.emplace_back("Content-Type", std::string(kJson));
  // Replace rather than throw on invalid UTF-8: nothing on the request path throws.
  r.body = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  return r;
}

// Errors carry the catalogue token and a detail naming the field or header;
// never a claim, payload or display value.
HttpResponse ErrorResponse(int status, std::string_view token, std::string_view detail) {
  return JsonResponse(status, Json{{"error", token}, {"detail", detail}});
}

HttpResponse ErrorResponse(int status, const Error& e) {
  return ErrorResponse(status, e.Token(), e.detail);
}

HttpResponse EmptyResponse(int status, std::string body = {}) {
  HttpResponse r;
  r.status = status;
  if (!body.empty()) {
    r.headers.emplace_back("Content-Type", std::string(kJson));
    r.body = std::move(body);
  }
  return r;
}

HttpResponse NotFound() {
  return ErrorResponse(404, ErrcToken(Errc::kMailboxNotFound), "no such mailbox");
}
HttpResponse Unauthorized() {
  return ErrorResponse(401, ErrcToken(Errc::kClaimUnauthorized),
                       "the device claim may not perform this operation");
}

HttpResponse MethodNotAllowed(std::string_view allow) {
  HttpResponse r =
      ErrorResponse(405, ErrcToken(Errc::kMethodNotAllowed), "method not allowed on this resource");
  r.headers.emplace_back("Allow", std::string(allow));
  return r;
}

// Every value of header `name`, in the order the lines came.
std::vector<std::string> AllValues(const HttpRequest& request, std::string_view name) {
  return text::HeaderValues(request.headers, name);
}

// A header that must appear once and be a UUID of any version (C-25), or
// (`uuid` false) anything but blank. Errors: FieldMissing or UuidInvalid
// naming the header.
Result<std::string> RequiredHeader(const HttpRequest& request, std::string_view name, bool uuid) {
  std::vector<std::string> values = AllValues(request, name);
  if (values.empty() || (!uuid && values.front().find_first_not_of(" \t") == std::string::npos)) {
    return MakeError(Errc::kFieldMissing, std::string(name) + ": required header is missing");
  }
  // Two claims (or Request-IDs) are ambiguous: a proxy in front may act on
  // the other one than we would, so neither is honoured.
  if (values.size() > 1) {
    return MakeError(Errc::kUuidInvalid, std::string(name) + ": given more than once");
  }
  if (uuid && !IsUuid(values.front())) {
    return MakeError(Errc::kUuidInvalid, std::string(name) + ": not a UUID");
  }
  return values.front();
}

}  // namespace

HttpResponse RelayService::Handle(const HttpRequest& request) {
  Call call{request, FindHeader(request.headers, revision_.request_id_header)};
  HttpResponse response;
  try {
    response = Dispatch(call);
  } catch (const std::exception& e) {
    // A bug, not an input problem: answer 500 and keep serving.
    options_.log(std::string("relay: internal error on ") + call.log_id + ": " + e.what());
    response = ErrorResponse(500, ErrcToken(Errc::kRelayInternal), "internal error");
  }
  if (call.request_id && options_.fault != Fault::kNoRequestIdEcho) {
    response.headers.emplace_back(std::string(revision_.request_id_header), *call.request_id);
  }
  response.headers.emplace_back("Cache-Control", "no-store");
  response.headers.emplace_back("X-Content-Type-Options", "nosniff");
  if (options_.fault == Fault::kSetCookie) {
    response.headers.emplace_back("Set-Cookie",
                                  "visitor=7f3a9c21e4b05d68; Path=/; Max-Age=31536000");
  }
  options_.log("relay: " + SafeToken(request.method) + " " + call.log_id + " " +
               std::to_string(response.status));
  return response;
}

HttpResponse RelayService::Dispatch(Call& call) {
  const HttpRequest& request = call.request;
  std::string_view path = request.target;
  if (std::size_t q = path.find('?'); q != std::string_view::npos) path = path.substr(0, q);
  if (std::size_t f = path.find('#'); f != std::string_view::npos) path = path.substr(0, f);

  if (options_.fault != Fault::kNoBodyLimit && request.body.size() > options_.max_body) {
    return ErrorResponse(413, ErrcToken(Errc::kBodyTooLarge),
                         "request body exceeds " + std::to_string(options_.max_body) + " octets");
  }
  const std::string& m = request.method;
  const bool head_refused = options_.quirks.Has(Quirk::kHead405);
  // A method no resource here implements is refused before routing, so the
  // answer cannot depend on whether the path names a mailbox.
  if (!IsImplementedMethod(m)) {
    if (options_.fault == Fault::kMethod500) {
      return ErrorResponse(500, ErrcToken(Errc::kRelayInternal), "method handler failed");
    }
    if (options_.quirks.Has(Quirk::kMethod501)) {
      return ErrorResponse(501, ErrcToken(Errc::kMethodNotImplemented), "method not implemented");
    }
  }
  if (options_.quirks.Has(Quirk::kTrailingSlash) && path.size() > kPathPrefix.size() &&
      path.substr(0, kPathPrefix.size() + 1) == "/v1/m/" && path.back() == '/') {
    path.remove_suffix(1);
  }
  if (path == kPathPrefix) {
    call.log_id = "m";
    if (request.method != "POST") return MethodNotAllowed("POST");
    return Create(call);
  }
  if (path.size() <= kPathPrefix.size() + 1 || path.substr(0, kPathPrefix.size() + 1) != "/v1/m/") {
    return ErrorResponse(404, ErrcToken(Errc::kNoRoute), "no such resource");
  }
  std::string_view raw_id = path.substr(kPathPrefix.size() + 1);
  call.log_id = Short(raw_id);
  if (!IsUuid(raw_id))
    return ErrorResponse(404, ErrcToken(Errc::kMailboxNotFound), "mailbox id is not a UUID");
  std::string id = text::ToLowerAscii(raw_id);
  if (m == "GET") return Preview(call, id);
  if (m == "HEAD") {
    if (options_.fault == Fault::kHead500) {
      return ErrorResponse(500, ErrcToken(Errc::kRelayInternal), "preview handler failed");
    }
    if (!head_refused) return Preview(call, id);
  }
  if (m == "POST") return ReadSecure(call, id);
  if (m == "PUT") return Update(call, id);
  if (m == "DELETE") return Delete(call, id);
  if (m == "PATCH") return Relinquish(call, id);
  return MethodNotAllowed(head_refused ? "GET, POST, PUT, DELETE, PATCH"
                                       : "GET, HEAD, POST, PUT, DELETE, PATCH");
}

Result<std::string> RelayService::ClaimHeader(const Call& call, const std::string& id) {
  if (options_.fault == Fault::kDuplicateClaimAny) {
    std::vector<std::string> values = AllValues(call.request, revision_.claim_header);
    if (values.size() > 1) {
      std::string chosen = values.front();
      if (!id.empty()) {
        // The fault: whichever line names a party of this mailbox is honoured.
        Result<std::optional<Mailbox>> mailbox = store_.Get(id, Now());
        if (mailbox && *mailbox) {
          for (const std::string& v : values) {
            if (PartyOf(**mailbox, text::ToLowerAscii(v)) != Party::kNone) {
              chosen = v;
              break;
            }
          }
        }
      }
      if (!IsUuid(chosen)) {
        return MakeError(Errc::kUuidInvalid, std::string(revision_.claim_header) + ": not a UUID");
      }
      return text::ToLowerAscii(chosen);
    }
  }
  TIGRESS_ASSIGN_OR_RETURN(std::string claim,
                           RequiredHeader(call.request, revision_.claim_header, true));
  return text::ToLowerAscii(claim);
}

Result<std::optional<std::string>> RelayService::RequestIdHeader(const Call& call) const {
  if (options_.quirks.Has(Quirk::kRequestIdOptional) &&
      AllValues(call.request, revision_.request_id_header).empty()) {
    return std::optional<std::string>();
  }
  TIGRESS_ASSIGN_OR_RETURN(std::string rid,
                           RequiredHeader(call.request, revision_.request_id_header,
                                          !options_.quirks.Has(Quirk::kAnyRequestId)));
  return std::optional<std::string>(std::move(rid));
}

std::optional<HttpResponse> RelayService::RefusedAttestation(const Call& call,
                                                             Endpoint endpoint) const {
  constexpr EndpointSet kRefused = static_cast<EndpointSet>(Endpoint::kDelete) |
                                   static_cast<EndpointSet>(Endpoint::kReadSecure) |
                                   static_cast<EndpointSet>(Endpoint::kRelinquish);
  if (options_.fault != Fault::kAttestationCreateOnly || !Contains(kRefused, endpoint) ||
      AllValues(call.request, revision_.attestation_header).empty()) {
    return std::nullopt;
  }
  return ErrorResponse(400, ErrcToken(Errc::kFieldUnknown),
                       std::string(revision_.attestation_header) + ": not accepted here");
}

Result<void> RelayService::CheckPayload(const Payload& p) const {
  if (!options_.quirks.Has(Quirk::kOpaqueData)) return ValidatePayloadShape(p);
  // The relay "SHALL not look into data": only the type stays ours to check.
  TIGRESS_RETURN_IF_ERROR(ParseCipher(p.type));
  if (p.data.empty()) return MakeError(Errc::kFieldInvalid, "payload.data: is empty");
  return {};
}

HttpResponse RelayService::StoreError(Call& call, const Error& e) {
  options_.log("relay: store failure on " + call.log_id + ": " + e.Message());
  return ErrorResponse(500, ErrcToken(Errc::kStoreFailure), "internal storage error");
}

std::optional<HttpResponse> RelayService::Admit(const Mailbox& m, SysSeconds now) {
  switch (quota_.Reserve(m, now)) {
    case QuotaVerdict::kAdmitted:
      return std::nullopt;
    case QuotaVerdict::kClaimFull:
      return ErrorResponse(429, ErrcToken(Errc::kClaimQuotaExceeded),
                           "this device claim holds " + std::to_string(options_.quota.per_claim) +
                               " live mailboxes, the most the relay allows");
    case QuotaVerdict::kStoreFull:
      break;
  }
  options_.log("relay: store full, create refused");
  return ErrorResponse(507, ErrcToken(Errc::kStoreFull),
                       "the relay holds as many mailboxes as it allows");
}

HttpResponse RelayService::Create(Call& call) {
  const HttpRequest& request = call.request;
  if (options_.fault == Fault::kRefuseCreates) {
    return JsonResponse(400, Json{{"error", "Invalid or missing Device-Claim header"}});
  }
  Result<std::string> claim = ClaimHeader(call, "");
  if (!claim) return ErrorResponse(400, claim.error());
  Result<std::optional<std::string>> rid = RequestIdHeader(call);
  if (!rid) return ErrorResponse(400, rid.error());

  Result<CreateMailboxRequest> body = ParseCreateMailboxRequest(request.body);
  if (!body) {
    if (options_.fault == Fault::kBadJson500 && body.error().Is(Errc::kJsonInvalid)) {
      return ErrorResponse(500, ErrcToken(Errc::kRelayInternal), "parser crashed");
    }
    return ErrorResponse(400, body.error());
  }
  if (auto shape = CheckPayload(body->payload); !shape) {
    return ErrorResponse(400, shape.error().Token(), "payload: " + shape.error().detail);
  }
  SysSeconds now = std::chrono::floor<std::chrono::seconds>(options_.clock());
  Mailbox m;
  m.access_rights = "RD";
  m.expiration = now + options_.default_ttl;
  if (body->mailbox_configuration) {
    const MailboxConfiguration& config = *body->mailbox_configuration;
    if (config.access_rights) {
      if (auto ok = ValidateAccessRights(*config.access_rights); !ok)
        return ErrorResponse(400, ok.error());
      m.access_rights = *config.access_rights;
    }
    if (config.expiration) {
      Result<SysSeconds> exp = ParseRfc3339(*config.expiration);
      if (!exp) {
        if (options_.fault != Fault::kAcceptPastExpiration) {
          return ErrorResponse(400, exp.error().Token(),
                               "mailboxConfiguration.expiration: " + exp.error().detail);
        }
      } else if (*exp <= now && options_.fault != Fault::kAcceptPastExpiration) {
        return ErrorResponse(400, ErrcToken(Errc::kFieldInvalid),
                             "mailboxConfiguration.expiration: is not in the future");
      } else if (*exp - now > options_.max_lifetime) {
        // C-23 allows refusing or clamping a distant expiration; a refusal
        // tells the initiator now, a clamp only on its next read.
        return ErrorResponse(400, ErrcToken(Errc::kFieldInvalid),
                             "mailboxConfiguration.expiration: more than " +
                                 std::to_string(options_.max_lifetime.count()) +
                                 " s ahead (the relay's maximum lifetime)");
      } else {
        m.expiration = *exp;
      }
    }
  }
  if (options_.fault == Fault::kAcceptPastExpiration && m.expiration <= now) {
    m.expiration = now + options_.default_ttl;
  }
  if (options_.fault == Fault::kSequentialIds) {
    char buf[40];
    std::snprintf(buf, sizeof buf, "00000000-0000-4000-8000-%012llx", ++sequence_);
    m.id = buf;
  } else {
    m.id = options_.new_mailbox_id();
  }
  m.initiator_claim = *claim;
  m.payload = body->payload;
  m.display = body->display_information;
  m.initiator_token = Usable(body->notification_token);

  CreateMailboxResponse out;
  out.url_link = options_.public_url +
                 (options_.fault == Fault::kUrlLinkWithoutVersion ? "/m/" : "/v1/m/") + m.id;
  out.is_push_notification_supported = m.initiator_token.has_value();
  std::string response_body = ToJson(out).dump(-1, ' ', false, Json::error_handler_t::replace);

  RequestKey key{*claim, *rid};
  if (options_.fault == Fault::kDuplicateReprocessed) key.request_id.reset();
  if (auto refused = Admit(m, now)) return *refused;
  Result<StoreOutcome> r = store_.Create(m, key, response_body);
  if (!r || r->status != StoreStatus::kOk) quota_.Release(m.id);
  if (!r) return StoreError(call, r.error());
  if (r->status == StoreStatus::kDuplicate) {
    if (options_.fault == Fault::kDuplicateCreateNoBody) return EmptyResponse(201);
    call.log_id = "m(dup)";
    return EmptyResponse(201, r->recorded_body);
  }
  call.log_id = Short(m.id);
  HttpResponse resp;
  resp.status = 200;
  resp.headers.emplace_back("Content-Type", std::string(kJson));
  resp.body = std::move(response_body);
  return resp;
}

HttpResponse RelayService::Preview(Call& call, const std::string& id) {
  Result<std::optional<Mailbox>> m = store_.Get(id, Now());
  if (!m) return StoreError(call, m.error());
  if (!*m) return NotFound();
  HttpResponse r;
  r.status = 200;
  r.headers.emplace_back("Content-Type", "text/html; charset=utf-8");
  r.headers.emplace_back("Content-Security-Policy", std::string(kPreviewCsp));
  r.headers.emplace_back("Referrer-Policy", "no-referrer");
  std::string extra;
  if (options_.fault == Fault::kPreviewLeaksPayload)
    extra = "<!-- " + (*m)->payload.data + " -->\n";
  r.body = internal::RenderPreviewHtml((*m)->display, options_.fault != Fault::kPreviewUnescaped,
                                       options_.quirks.Has(Quirk::kOgImageAnyScheme), extra);
  return r;
}

HttpResponse RelayService::ReadSecure(Call& call, const std::string& id) {
  if (auto refused = RefusedAttestation(call, Endpoint::kReadSecure)) return *refused;
  const HttpRequest& request = call.request;
  Result<std::string> claim = ClaimHeader(call, id);
  if (!claim) return ErrorResponse(400, claim.error());
  // The read body is optional (C-13); one that does not parse is ignored
  // rather than refused, since A.6.5 defines no 400.
  std::optional<NotificationToken> token;
  if (!request.body.empty()) {
    if (auto body = ParseReadSecureContentRequest(request.body))
      token = Usable(body->notification_token);
  }
  Result<StoreOutcome> r = StoreOutcome{};
  if (options_.fault == Fault::kBindAnyClaim) {
    Result<std::optional<Mailbox>> m = store_.Get(id, Now());
    if (!m) return StoreError(call, m.error());
    StoreOutcome o;
    o.status = *m ? StoreStatus::kOk : StoreStatus::kNotFound;
    o.mailbox = *m;
    r = o;
  } else {
    char right = options_.fault == Fault::kIgnoreAccessRights ? kNoRightCheck : 'R';
    r = store_.ReadAndBind(id, *claim, Now(), right, token);
  }
  if (!r) return StoreError(call, r.error());
  switch (r->status) {
    case StoreStatus::kNotFound:
      return options_.fault == Fault::kNotFoundAs401 ? Unauthorized() : NotFound();
    case StoreStatus::kUnauthorized:
    case StoreStatus::kDuplicate:
      return Unauthorized();
    case StoreStatus::kOk:
      break;
  }
  const Mailbox& m = *r->mailbox;
  ReadSecureContentResponse out{m.payload, m.display, FormatUtc(m.expiration)};
  if (options_.fault == Fault::kExpirationNotStrict) {
    out.expiration = out.expiration.substr(0, 19) + ".000+00:00";
  }
  return JsonResponse(200, ToJson(out));
}

HttpResponse RelayService::Update(Call& call, const std::string& id) {
  const HttpRequest& request = call.request;
  Result<std::string> claim = ClaimHeader(call, id);
  if (!claim) return ErrorResponse(400, claim.error());
  Result<std::optional<std::string>> rid = RequestIdHeader(call);
  if (!rid) return ErrorResponse(400, rid.error());
  Result<UpdateMailboxRequest> body = ParseUpdateMailboxRequest(request.body);
  if (!body) {
    if (options_.fault == Fault::kBadJson500 && body.error().Is(Errc::kJsonInvalid)) {
      return ErrorResponse(500, ErrcToken(Errc::kRelayInternal), "parser crashed");
    }
    return ErrorResponse(400, body.error());
  }
  if (auto shape = CheckPayload(body->payload); !shape) {
    return ErrorResponse(400, shape.error().Token(), "payload: " + shape.error().detail);
  }
  std::optional<NotificationToken> token = Usable(body->notification_token);
  RequestKey key{*claim, *rid};
  if (options_.fault == Fault::kDuplicateReprocessed) key.request_id.reset();
  char right = options_.fault == Fault::kIgnoreAccessRights ? kNoRightCheck : 'W';

  Result<StoreOutcome> r = StoreOutcome{};
  if (options_.fault == Fault::kBindAnyClaim) {
    // Anyone may write: update as the initiator would, whoever calls.
    Result<std::optional<Mailbox>> m = store_.Get(id, Now());
    if (!m) return StoreError(call, m.error());
    if (!*m) return NotFound();
    key.claim = (*m)->initiator_claim;
    key.request_id.reset();
    r = store_.Update(id, key, Now(), kNoRightCheck, body->payload, std::nullopt, "");
  } else {
    if (!quota_.Fits(id, PayloadBytes(body->payload))) {
      options_.log("relay: store full, update refused");
      return ErrorResponse(507, ErrcToken(Errc::kStoreFull),
                           "the relay holds as many octets as it allows");
    }
    r = store_.Update(id, key, Now(), right, body->payload, token, "");
  }
  if (!r) return StoreError(call, r.error());
  if (r->status == StoreStatus::kOk) quota_.Resize(id, PayloadBytes(body->payload));
  switch (r->status) {
    case StoreStatus::kNotFound:
      return options_.fault == Fault::kNotFoundAs401 ? Unauthorized() : NotFound();
    case StoreStatus::kUnauthorized:
      return Unauthorized();
    case StoreStatus::kDuplicate:
    case StoreStatus::kOk:
      break;
  }
  const Mailbox& m = *r->mailbox;
  bool writer_is_initiator = r->party == Party::kInitiator;
  if (r->status == StoreStatus::kDuplicate) {
    // No state change; the body still tells the writer whether it gets pushes.
    const auto& mine = writer_is_initiator ? m.initiator_token : m.recipient_token;
    return JsonResponse(201, ToJson(UpdateMailboxResponse{mine.has_value()}));
  }
  const std::optional<NotificationToken>& own =
      writer_is_initiator ? m.initiator_token : m.recipient_token;
  const std::optional<NotificationToken>& other =
      writer_is_initiator ? m.recipient_token : m.initiator_token;
  bool other_is_bound = writer_is_initiator ? m.recipient_claim.has_value() : true;
  if (options_.notifier != nullptr) {
    const std::string push_body = options_.fault == Fault::kPushWithPayload
                                      ? Json{{"payload", ToJson(m.payload)}}.dump()
                                      : std::string();
    if (options_.fault == Fault::kPushToWriter) {
      if (own) options_.notifier->Notify(*own, push_body);
    } else if (other && other_is_bound) {
      options_.notifier->Notify(*other, push_body);
    }
  }
  return JsonResponse(200, ToJson(UpdateMailboxResponse{own.has_value()}));
}

HttpResponse RelayService::Delete(Call& call, const std::string& id) {
  if (auto refused = RefusedAttestation(call, Endpoint::kDelete)) return *refused;
  Result<std::string> claim = ClaimHeader(call, id);
  if (!claim) return ErrorResponse(400, claim.error());
  Result<std::optional<std::string>> rid = RequestIdHeader(call);
  if (!rid) return ErrorResponse(400, rid.error());
  RequestKey key{*claim, *rid};
  char right = options_.fault == Fault::kIgnoreAccessRights ? kNoRightCheck : 'D';

  Result<StoreOutcome> r = StoreOutcome{};
  if (options_.fault == Fault::kDeleteKeepsMailbox || options_.fault == Fault::kBindAnyClaim) {
    Result<std::optional<Mailbox>> m = store_.Get(id, Now());
    if (!m) return StoreError(call, m.error());
    StoreOutcome o;
    o.status = !*m ? StoreStatus::kNotFound
               : (options_.fault == Fault::kBindAnyClaim || PartyOf(**m, *claim) != Party::kNone)
                   ? StoreStatus::kOk
                   : StoreStatus::kUnauthorized;
    if (options_.fault == Fault::kBindAnyClaim && o.status == StoreStatus::kOk) {
      key.claim = (*m)->initiator_claim;
      r = store_.Delete(id, key, Now(), kNoRightCheck, "");
      if (r && r->status == StoreStatus::kOk) quota_.Release(id);
    } else {
      r = o;
    }
  } else {
    r = store_.Delete(id, key, Now(), right, "");
    if (r && r->status == StoreStatus::kOk) quota_.Release(id);
  }
  if (!r) return StoreError(call, r.error());
  switch (r->status) {
    case StoreStatus::kNotFound:
      return options_.fault == Fault::kNotFoundAs401 ? Unauthorized() : NotFound();
    case StoreStatus::kUnauthorized:
    case StoreStatus::kDuplicate:
      return Unauthorized();
    case StoreStatus::kOk:
      break;
  }
  return EmptyResponse(200);
}

HttpResponse RelayService::Relinquish(Call& call, const std::string& id) {
  if (auto refused = RefusedAttestation(call, Endpoint::kRelinquish)) return *refused;
  Result<std::string> claim = ClaimHeader(call, id);
  if (!claim) return ErrorResponse(400, claim.error());
  Result<std::optional<std::string>> rid = RequestIdHeader(call);
  if (!rid) return ErrorResponse(400, rid.error());
  RequestKey key{*claim, *rid};
  if (options_.fault == Fault::kDuplicateReprocessed) key.request_id.reset();
  Result<StoreOutcome> r = store_.Relinquish(id, key, Now(), "");
  if (!r) return StoreError(call, r.error());
  switch (r->status) {
    case StoreStatus::kNotFound:
      return options_.fault == Fault::kNotFoundAs401 ? Unauthorized() : NotFound();
    case StoreStatus::kUnauthorized:
      return Unauthorized();
    case StoreStatus::kDuplicate:
      return EmptyResponse(201, "{}");
    case StoreStatus::kOk:
      break;
  }
  return EmptyResponse(200);
}

}  // namespace tigress::relay
