#include "reference/device/adapter.h"

#include <cstdint>

#include "protocol/payload.h"
#include "protocol/share_url.h"
#include "reference/device/exchange.h"
#include "reference/device/state_file.h"

namespace tigress::device {
namespace {

Error Usage(std::string detail) { return MakeError(Errc::kDeviceUsage, std::move(detail)); }

Result<const Json*> Member(const Json& p, const char* key, bool required) {
  if (!p.contains(key) || p[key].is_null()) {
    if (required) return Usage(std::string("params.") + key + ": required field is missing");
    return static_cast<const Json*>(nullptr);
  }
  return &p[key];
}

Result<std::optional<std::string>> OptString(const Json& p, const char* key) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* v, Member(p, key, false));
  if (v == nullptr) return std::optional<std::string>();
  if (!v->is_string()) return Usage(std::string("params.") + key + ": expected a string");
  return std::optional<std::string>(v->get<std::string>());
}

Result<std::string> ReqString(const Json& p, const char* key) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* v, Member(p, key, true));
  if (!v->is_string()) return Usage(std::string("params.") + key + ": expected a string");
  return v->get<std::string>();
}

Result<Bytes> ReqBase64(const Json& p, const char* key) {
  TIGRESS_ASSIGN_OR_RETURN(std::string text, ReqString(p, key));
  auto bytes = Base64Decode(text);
  if (!bytes) return Usage(std::string("params.") + key + ": " + bytes.error().detail);
  return std::move(*bytes);
}

Result<std::optional<std::int64_t>> OptInteger(const Json& p, const char* key, std::int64_t min,
                                               std::int64_t max) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* v, Member(p, key, false));
  if (v == nullptr) return std::optional<std::int64_t>();
  if (!v->is_number_integer()) return Usage(std::string("params.") + key + ": expected an integer");
  std::int64_t n = v->get<std::int64_t>();
  if (n < min || n > max) {
    return Usage(std::string("params.") + key + ": must be between " + std::to_string(min) +
                 " and " + std::to_string(max));
  }
  return std::optional<std::int64_t>(n);
}

Result<bool> OptBool(const Json& p, const char* key) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* v, Member(p, key, false));
  if (v == nullptr) return false;
  if (!v->is_boolean()) return Usage(std::string("params.") + key + ": expected a boolean");
  return v->get<bool>();
}

Result<ProvisioningInfo> InfoParam(const Json& p) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* v, Member(p, "provisioningInfo", true));
  auto info = ProvisioningInfoFromJson(*v);
  if (!info) return Usage("params.provisioningInfo: " + info.error().detail);
  return std::move(*info);
}

Result<std::optional<NotificationToken>> NotifyParam(const Json& p) {
  TIGRESS_ASSIGN_OR_RETURN(const Json* v, Member(p, "notify", false));
  if (v == nullptr) return std::optional<NotificationToken>();
  if (!v->is_object()) return Usage("params.notify: expected an object");
  TIGRESS_ASSIGN_OR_RETURN(std::string type, ReqString(*v, "type"));
  TIGRESS_ASSIGN_OR_RETURN(std::string data, ReqString(*v, "tokenData"));
  return std::optional<NotificationToken>(NotificationToken{type, data});
}

Result<Cipher> CipherParam(const std::string& name) {
  auto c = ParseCipher(name);
  if (!c) return Usage("params.cipher: " + c.error().detail);
  return *c;
}

Json IdOf(const Json& request) {
  if (request.is_object() && request.contains("id")) {
    const Json& id = request["id"];
    if (id.is_string() || id.is_number() || id.is_null()) return id;
  }
  return nullptr;
}

Json Response(const Json& id) { return Json{{"jsonrpc", "2.0"}, {"id", id}}; }

Json RpcError(const Json& id, int code, const std::string& message) {
  Json r = Response(id);
  r["error"] = Json{{"code", code}, {"message", message}};
  return r;
}

}  // namespace

Json ErrorObject(const Error& e) {
  int code = RpcCodeFor(e);
  Json data{{"token", std::string(e.Token())}, {"detail", e.detail}};
  if (auto status = RelayStatus(e)) data["status"] = *status;
  return Json{{"code", code}, {"message", e.Message()}, {"data", data}};
}

AdapterSession::AdapterSession(TransportFactory factory, AdapterOptions options)
    : factory_(std::move(factory)), options_(std::move(options)) {}

std::string AdapterSession::HandleLine(std::string_view line) {
  Json request = Json::parse(line, nullptr, false);
  if (request.is_discarded())
    return RpcError(nullptr, kRpcParseError, "parse error: the line is not JSON").dump();
  return HandleRequest(request).dump();
}

Json AdapterSession::HandleRequest(const Json& request) {
  Json id = IdOf(request);
  if (!request.is_object() || !request.contains("jsonrpc") || request["jsonrpc"] != "2.0" ||
      !request.contains("method") || !request["method"].is_string()) {
    return RpcError(id, kRpcInvalidRequest,
                    "invalid request: needs jsonrpc \"2.0\" and a string method");
  }
  std::string method = request["method"].get<std::string>();
  Json params = request.contains("params") ? request["params"] : Json::object();
  if (params.is_null()) params = Json::object();
  if (!params.is_object())
    return RpcError(id, kRpcInvalidParams, "invalid params: params must be an object");
  bool known = true;
  Result<Json> result = Json::object();
  try {
    result = Dispatch(method, params, &known);
  } catch (const std::exception& e) {
    // Nothing below is expected to throw; a JSON type error or allocation
    // failure must still produce exactly one response line.
    return RpcError(id, kRpcInternal, std::string("internal error: ") + e.what());
  }
  if (!known) return RpcError(id, kRpcMethodNotFound, "method not found: " + method);
  if (result && device_ && options_.state_file && method != "configure" && method != "hello") {
    if (auto saved = SaveStateFile(*options_.state_file, {device_->state(), ca_file_}); !saved) {
      result = saved.error();
    }
  }
  if (options_.log) {
    options_.log("adapter: " + method +
                 (result ? " ok"
                         : " -> " + std::to_string(RpcCodeFor(result.error())) + " " +
                               result.error().Message()));
  }
  Json r = Response(id);
  if (result) {
    r["result"] = std::move(*result);
  } else {
    r["error"] = ErrorObject(result.error());
  }
  return r;
}

Result<Device*> AdapterSession::RequireDevice(std::string_view method) {
  if (!device_)
    return MakeError(Errc::kDeviceNotReady, std::string(method) + ": call configure first");
  return device_.get();
}

Result<Json> AdapterSession::Dispatch(const std::string& method, const Json& params, bool* known) {
  if (method == "hello") {
    Json features = {"aes-128-gcm", "aes-256-gcm", "relinquish", "attestation", "request-id-retry"};
    if (options_.state_file) features.push_back("persistent-state");
    return Json{{"name", kDeviceName},
                {"version", kDeviceVersion},
                {"features", features},
                {"spec", RevisionOf(options_.revision).name}};
  }
  if (method == "configure") return Configure(params);
  if (method == "initiator.share") return Share(params);
  if (method == "recipient.accept") return Accept(params);
  if (method == "recipient.relinquish") {
    TIGRESS_ASSIGN_OR_RETURN(Device * d, RequireDevice(method));
    TIGRESS_RETURN_IF_ERROR(d->Relinquish());
    return Json::object();
  }
  if (method == "send") {
    TIGRESS_ASSIGN_OR_RETURN(Device * d, RequireDevice(method));
    TIGRESS_ASSIGN_OR_RETURN(ProvisioningInfo info, InfoParam(params));
    TIGRESS_ASSIGN_OR_RETURN(std::optional<NotificationToken> notify, NotifyParam(params));
    TIGRESS_ASSIGN_OR_RETURN(bool retry, OptBool(params, "requestIdRetry"));
    TIGRESS_RETURN_IF_ERROR(d->Send(info, notify, retry));
    return Json::object();
  }
  if (method == "receive") {
    TIGRESS_ASSIGN_OR_RETURN(Device * d, RequireDevice(method));
    TIGRESS_ASSIGN_OR_RETURN(std::optional<std::int64_t> timeout,
                             OptInteger(params, "timeoutMs", 0, 600000));
    std::optional<std::chrono::milliseconds> t;
    if (timeout) t = std::chrono::milliseconds(*timeout);
    TIGRESS_ASSIGN_OR_RETURN(ProvisioningInfo info, d->Receive(t));
    return Json{{"provisioningInfo", ToJson(info)}};
  }
  if (method == "close") {
    TIGRESS_ASSIGN_OR_RETURN(Device * d, RequireDevice(method));
    TIGRESS_RETURN_IF_ERROR(d->Close());
    return Json::object();
  }
  if (method == "payload.seal") {
    TIGRESS_ASSIGN_OR_RETURN(std::string name, ReqString(params, "cipher"));
    TIGRESS_ASSIGN_OR_RETURN(Cipher cipher, CipherParam(name));
    TIGRESS_ASSIGN_OR_RETURN(Bytes key, ReqBase64(params, "key"));
    TIGRESS_ASSIGN_OR_RETURN(Bytes iv, ReqBase64(params, "iv"));
    TIGRESS_ASSIGN_OR_RETURN(Bytes plaintext, ReqBase64(params, "plaintext"));
    auto data = SealData(cipher, key, iv, plaintext);
    if (!data) return Usage("payload.seal: " + data.error().Message());
    return Json{{"data", *data}};
  }
  if (method == "payload.open") {
    TIGRESS_ASSIGN_OR_RETURN(std::string name, ReqString(params, "cipher"));
    TIGRESS_ASSIGN_OR_RETURN(Bytes key, ReqBase64(params, "key"));
    TIGRESS_ASSIGN_OR_RETURN(std::string data, ReqString(params, "data"));
    // An unknown type, a key of the wrong length, bad base64, short data or
    // a failed tag are all integrity failures (1001) by the contract.
    TIGRESS_ASSIGN_OR_RETURN(Cipher cipher, ParseCipher(name));
    TIGRESS_ASSIGN_OR_RETURN(Bytes plaintext, OpenData(cipher, key, data));
    return Json{{"plaintext", Base64Encode(plaintext)}};
  }
  if (method == "shareUrl.parse") {
    TIGRESS_ASSIGN_OR_RETURN(std::string url, ReqString(params, "url"));
    TIGRESS_ASSIGN_OR_RETURN(ShareUrl u, ParseShareUrl(url));
    Json r{{"relayHost", u.relay_host}, {"apiVersion", u.api_version}, {"mailboxId", u.mailbox_id}};
    if (u.vertical) r["vertical"] = *u.vertical;
    if (u.secret) r["secret"] = Base64Encode(*u.secret);
    return r;
  }
  if (method == "shareUrl.build") {
    TIGRESS_ASSIGN_OR_RETURN(std::string base, ReqString(params, "relayBaseUrl"));
    TIGRESS_ASSIGN_OR_RETURN(std::string id, ReqString(params, "mailboxId"));
    TIGRESS_ASSIGN_OR_RETURN(std::optional<std::string> vertical, OptString(params, "vertical"));
    std::optional<Bytes> secret;
    if (params.contains("secret") && !params["secret"].is_null()) {
      TIGRESS_ASSIGN_OR_RETURN(secret, ReqBase64(params, "secret"));
    }
    TIGRESS_ASSIGN_OR_RETURN(std::string link, MailboxUrl(base, id));
    TIGRESS_ASSIGN_OR_RETURN(std::string url, BuildShareUrl(link, vertical, secret));
    return Json{{"url", url}};
  }
  if (method == "shutdown") {
    shutdown_ = true;
    return Json::object();
  }
  if (method == "device.state") {
    Json r{{"fault", FaultName(options_.fault)}, {"configured", device_ != nullptr}};
    if (device_) {
      const DeviceState& s = device_->state();
      r["role"] = s.role == Role::kInitiator   ? "initiator"
                  : s.role == Role::kRecipient ? "recipient"
                                               : "none";
      r["closed"] = s.closed;
      r["claim"] = Redact(s.claim);
      r["written"] = s.written.size();
      r["returned"] = s.returned.size();
    }
    return r;
  }
  if (method == "device.faults") {
    Json list = Json::array();
    for (const FaultInfo& f : AllFaults()) {
      list.push_back({{"name", f.name}, {"requirements", f.requirements}, {"effect", f.effect}});
    }
    return Json{{"faults", list}};
  }
  *known = false;
  return Json::object();
}

Result<Json> AdapterSession::Configure(const Json& params) {
  TIGRESS_ASSIGN_OR_RETURN(std::string ca_file, ReqString(params, "caFile"));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::string> base, OptString(params, "relayBaseUrl"));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::string> fault_name, OptString(params, "fault"));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::int64_t> retries,
                           OptInteger(params, "retries", 0, 5));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::int64_t> timeout,
                           OptInteger(params, "requestTimeoutMs", 100, 120000));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::int64_t> poll,
                           OptInteger(params, "pollIntervalMs", 1, 10000));
  if (fault_name) {
    TIGRESS_ASSIGN_OR_RETURN(options_.fault, ParseFault(*fault_name));
  }
  if (base) {
    auto parsed = ParseShareUrl(*base + "/v1/m/00000000-0000-4000-8000-000000000000");
    if (!parsed) return Usage("params.relayBaseUrl: " + parsed.error().detail);
  }
  TransportOptions topts;
  topts.ca_file = ca_file;
  topts.verify_peer = options_.fault != Fault::kAcceptUntrustedCert;
  if (timeout) topts.timeout = std::chrono::milliseconds(*timeout);
  TIGRESS_ASSIGN_OR_RETURN(std::unique_ptr<Transport> transport, factory_(topts));
  DeviceOptions dopts;
  dopts.fault = options_.fault;
  dopts.revision = options_.revision;
  dopts.relay_base_url = base;
  dopts.retries = static_cast<int>(retries.value_or(1));
  if (poll) dopts.poll_interval = std::chrono::milliseconds(*poll);
  dopts.sleep = options_.sleep;
  dopts.now = options_.now;
  dopts.log = options_.log;
  device_.reset();
  transport_ = std::move(transport);
  device_ = std::make_unique<Device>(*transport_, std::move(dopts), memory_);
  ca_file_ = ca_file;
  if (options_.state_file && std::filesystem::exists(*options_.state_file)) {
    // A restarted process: continue the share the previous one left.
    TIGRESS_ASSIGN_OR_RETURN(StateFile saved, LoadStateFile(*options_.state_file));
    device_->set_state(std::move(saved.state));
    if (options_.log)
      options_.log("adapter: continuing the share in " + options_.state_file->filename().string());
  }
  return Json::object();
}

Result<Json> AdapterSession::Share(const Json& params) {
  TIGRESS_ASSIGN_OR_RETURN(Device * d, RequireDevice("initiator.share"));
  ShareParams sp;
  TIGRESS_ASSIGN_OR_RETURN(sp.info, InfoParam(params));
  TIGRESS_ASSIGN_OR_RETURN(const Json* display, Member(params, "displayInformation", true));
  auto di = DisplayInformationFromJson(*display, "params.displayInformation");
  if (!di) return Usage(di.error().detail);
  sp.display = std::move(*di);
  TIGRESS_ASSIGN_OR_RETURN(sp.vertical, OptString(params, "vertical"));
  TIGRESS_ASSIGN_OR_RETURN(sp.expiration, ReqString(params, "expiration"));
  TIGRESS_ASSIGN_OR_RETURN(sp.access_rights, OptString(params, "accessRights"));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::string> cipher, OptString(params, "cipher"));
  if (cipher) {
    TIGRESS_ASSIGN_OR_RETURN(sp.cipher, CipherParam(*cipher));
  }
  TIGRESS_ASSIGN_OR_RETURN(sp.notify, NotifyParam(params));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::string> delivery,
                           OptString(params, "secretDelivery"));
  if (delivery && *delivery != "fragment" && *delivery != "separate") {
    return Usage("params.secretDelivery: '" + *delivery + "' is not fragment or separate");
  }
  sp.delivery =
      delivery && *delivery == "separate" ? SecretDelivery::kSeparate : SecretDelivery::kFragment;
  TIGRESS_ASSIGN_OR_RETURN(sp.request_id_retry, OptBool(params, "requestIdRetry"));
  TIGRESS_ASSIGN_OR_RETURN(sp.attest, OptBool(params, "attest"));
  TIGRESS_ASSIGN_OR_RETURN(ShareResult r, d->Share(sp));
  Json out{{"shareUrl", r.share_url}};
  if (r.secret) out["secret"] = Base64Encode(*r.secret);
  return out;
}

Result<Json> AdapterSession::Accept(const Json& params) {
  TIGRESS_ASSIGN_OR_RETURN(Device * d, RequireDevice("recipient.accept"));
  AcceptParams ap;
  TIGRESS_ASSIGN_OR_RETURN(ap.share_url, ReqString(params, "shareUrl"));
  TIGRESS_ASSIGN_OR_RETURN(std::optional<std::string> secret, OptString(params, "secret"));
  if (secret) {
    // Standard base64 by the contract; URL-safe or unpadded is tolerated (URL-09).
    auto key = Base64DecodeLenient(*secret);
    if (!key) return Usage("params.secret: " + key.error().detail);
    if (key->size() != 16 && key->size() != 32) {
      return Usage("params.secret: decodes to " + std::to_string(key->size()) +
                   " octets, not 16 or 32");
    }
    ap.secret = std::move(*key);
  }
  TIGRESS_ASSIGN_OR_RETURN(ap.notify, NotifyParam(params));
  TIGRESS_ASSIGN_OR_RETURN(ap.initiator_claim, OptString(params, "initiatorClaim"));
  if (!ap.initiator_claim) ap.initiator_claim = options_.initiator_claim;
  TIGRESS_ASSIGN_OR_RETURN(ap.attest, OptBool(params, "attest"));
  TIGRESS_ASSIGN_OR_RETURN(AcceptResult r, d->Accept(ap));
  return Json{{"displayInformation", ToJson(r.display)},
              {"provisioningInfo", ToJson(r.info)},
              {"expiration", r.expiration}};
}

}  // namespace tigress::device
