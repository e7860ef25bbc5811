#include "harness/kat/adapter_kat_backend.h"

namespace tigress::harness {

using Json = nlohmann::json;
using namespace std::chrono_literals;

Result<std::unique_ptr<AdapterKatBackend>> AdapterKatBackend::Start(
    const Manifest& manifest, const std::filesystem::path& bindir,
    const std::filesystem::path& workdir) {
  if (!manifest.device) {
    return MakeError(Errc::kManifestInvalid,
                     manifest.path.string() + ": the manifest provides no device");
  }
  std::unique_ptr<AdapterKatBackend> b(new AdapterKatBackend());
  b->name_ = manifest.name;
  Placeholders ph;
  ph.root = manifest.root.string();
  ph.workdir = (workdir / "device.work").string();
  ph.bindir = bindir.string();
  ProcessSpec ps = LaunchSpecFor(manifest, LaunchRole::kDevice, ph);
  ps.stderr_path = workdir / "device.stderr.log";
  TIGRESS_ASSIGN_OR_RETURN(b->process_, Process::Start(ps));
  Process* proc = b->process_.get();
  b->client_ =
      std::make_unique<AdapterClient>(proc->stdin_fd(), proc->stdout_fd(), "device", [proc] {
        proc->WaitExit(1s);
        return proc->ExitDescription() + "; stderr tail: " + proc->StderrTail(400);
      });
  TIGRESS_RETURN_IF_ERROR(ContractProbe(*b->client_, 10s));
  return b;
}

AdapterKatBackend::~AdapterKatBackend() {
  if (client_ && !client_->broken()) {
    client_->Call("shutdown", Json::object(), 2s);
  }
  if (process_) {
    process_->WaitExit(1s);
    process_->Stop();
  }
}

kat::BackendResult<Json> AdapterKatBackend::Call(const std::string& method, const Json& params) {
  RpcOutcome out = client_->Call(method, params, timeout_);
  switch (out.kind) {
    case RpcOutcome::Kind::kResult:
      return kat::BackendResult<Json>(boost::system::in_place_value, out.result);
    case RpcOutcome::Kind::kError:
      if (out.code == -32601) {
        return kat::Unsupported(method + " is not implemented (-32601)");
      }
      return kat::Rejected("", method + ": error " + std::to_string(out.code) + " " + out.message);
    default:
      return kat::Broken(out.detail);
  }
}

namespace {

kat::BackendResult<std::string> StringField(const Json& j, const char* name,
                                            const std::string& method) {
  if (!j.is_object() || !j.contains(name) || !j[name].is_string()) {
    return kat::Broken(method + ": the result has no string '" + name +
                       "': " + j.dump().substr(0, 200));
  }
  return j[name].get<std::string>();
}

}  // namespace

kat::BackendResult<std::string> AdapterKatBackend::PayloadSeal(const kat::SealRequest& req) {
  auto r = Call("payload.seal", Json{{"cipher", req.cipher},
                                     {"key", Base64Encode(req.key)},
                                     {"iv", Base64Encode(req.iv)},
                                     {"plaintext", Base64Encode(req.plaintext)}});
  if (!r) {
    return r.error();
  }
  return StringField(*r, "data", "payload.seal");
}

kat::BackendResult<Bytes> AdapterKatBackend::PayloadOpen(const kat::OpenRequest& req) {
  auto r = Call("payload.open",
                Json{{"cipher", req.cipher}, {"key", Base64Encode(req.key)}, {"data", req.data}});
  if (!r) {
    return r.error();
  }
  auto text = StringField(*r, "plaintext", "payload.open");
  if (!text) {
    return text.error();
  }
  auto bytes = Base64Decode(*text);
  if (!bytes) {
    return kat::Broken("payload.open: plaintext is not base64: " + bytes.error().Message());
  }
  return *bytes;
}

kat::BackendResult<kat::ShareUrlFields> AdapterKatBackend::ShareUrlParse(std::string_view url) {
  auto r = Call("shareUrl.parse", Json{{"url", std::string(url)}});
  if (!r) {
    return r.error();
  }
  const Json& j = *r;
  if (!j.is_object()) {
    return kat::Broken("shareUrl.parse: the result is not an object");
  }
  kat::ShareUrlFields f;
  auto str = [&](const char* k) -> std::optional<std::string> {
    if (j.contains(k) && j[k].is_string()) {
      return j[k].get<std::string>();
    }
    return std::nullopt;
  };
  f.relay_host = str("relayHost").value_or("");
  f.api_version = str("apiVersion").value_or("");
  f.mailbox_id = str("mailboxId").value_or("");
  f.vertical = str("vertical");
  if (auto s = str("secret")) {
    auto b = Base64Decode(*s);
    if (!b) {
      return kat::Broken("shareUrl.parse: secret is not standard base64");
    }
    f.secret = *b;
  }
  return f;
}

kat::BackendResult<std::string> AdapterKatBackend::ShareUrlBuild(
    const kat::ShareUrlBuildRequest& req) {
  Json params{{"relayBaseUrl", req.relay_base_url}, {"mailboxId", req.mailbox_id}};
  if (req.vertical) {
    params["vertical"] = *req.vertical;
  }
  if (req.secret) {
    params["secret"] = Base64Encode(*req.secret);
  }
  auto r = Call("shareUrl.build", params);
  if (!r) {
    return r.error();
  }
  return StringField(*r, "url", "shareUrl.build");
}

}  // namespace tigress::harness
