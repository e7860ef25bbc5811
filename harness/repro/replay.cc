#include "harness/repro/replay.h"

#include <algorithm>
#include <cctype>
#include <fstream>
#include <initializer_list>
#include <sstream>

#include <nlohmann/json.hpp>

#include "harness/config/manifest.h"
#include "harness/process/private_file.h"
#include "harness/process/supervisor.h"
#include "harness/process/temp_dir.h"
#include "pki/test_ca.h"
#include "protocol/revision.h"
#include "protocol/text.h"
#include "protocol/uuid.h"

namespace tigress::harness {

namespace fs = std::filesystem;
using Json = nlohmann::json;

namespace {

std::string Cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) {
    out += p;
  }
  return out;
}

bool IsHex(char c) { return std::isxdigit(static_cast<unsigned char>(c)) != 0; }

// A UUID's text form starting at `i` (8-4-4-4-12 hex digits).
bool UuidAt(std::string_view s, std::size_t i) {
  static constexpr std::size_t kLen = 36;
  if (i + kLen > s.size()) {
    return false;
  }
  for (std::size_t k = 0; k < kLen; ++k) {
    const char c = s[i + k];
    const bool dash = k == 8 || k == 13 || k == 18 || k == 23;
    if (dash ? c != '-' : !IsHex(c)) {
      return false;
    }
  }
  // Not part of a longer hex run.
  return (i == 0 || !IsHex(s[i - 1])) && (i + kLen == s.size() || !IsHex(s[i + kLen]));
}

std::vector<std::string> Uuids(std::string_view s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    if (UuidAt(s, i)) {
      out.push_back(text::ToLowerAscii(s.substr(i, 36)));
      i += 36;
    } else {
      ++i;
    }
  }
  return out;
}

std::string Shorten(const std::string& s, std::size_t max = 60) {
  return s.size() <= max ? s : s.substr(0, max) + "…(" + std::to_string(s.size()) + " octets)";
}

std::string Show(const Json& j) {
  return Shorten(j.dump(-1, ' ', false, Json::error_handler_t::replace));
}

void JsonDiff(const Json& a, const Json& b, const std::string& path,
              std::vector<std::string>& out) {
  constexpr std::size_t kMax = 12;
  if (out.size() >= kMax) {
    return;
  }
  if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k)) {
        out.push_back(Cat({"body ", path, ".", k, ": ", Show(v), " -> absent"}));
      } else {
        JsonDiff(v, b[k], Cat({path, ".", k}), out);
      }
    }
    for (const auto& [k, v] : b.items()) {
      if (!a.contains(k) && out.size() < kMax) {
        out.push_back(Cat({"body ", path, ".", k, ": absent -> ", Show(v)}));
      }
    }
    return;
  }
  if (a.is_array() && b.is_array() && a.size() == b.size()) {
    for (std::size_t i = 0; i < a.size(); ++i) {
      JsonDiff(a[i], b[i], path + "[" + std::to_string(i) + "]", out);
    }
    return;
  }
  if (a != b) {
    out.push_back("body " + path + ": " + Show(a) + " -> " + Show(b));
  }
}

void LearnJson(const Json& a, const Json& b, IdMap& ids) {
  if (a.is_string() && b.is_string()) {
    ids.Learn(a.get<std::string>(), b.get<std::string>());
  } else if (a.is_object() && b.is_object()) {
    for (const auto& [k, v] : a.items()) {
      if (b.contains(k)) {
        LearnJson(v, b[k], ids);
      }
    }
  } else if (a.is_array() && b.is_array()) {
    for (std::size_t i = 0; i < std::min(a.size(), b.size()); ++i) {
      LearnJson(a[i], b[i], ids);
    }
  }
}

}  // namespace

std::string PathAndQuery(std::string_view url) {
  std::string_view rest = url;
  if (auto s = rest.find("://"); s != std::string_view::npos) {
    rest = rest.substr(s + 3);
    auto slash = rest.find_first_of("/?#");
    rest = slash == std::string_view::npos ? std::string_view() : rest.substr(slash);
  }
  rest = rest.substr(0, rest.find('#'));
  std::string out(rest);
  if (out.empty() || out.front() != '/') {
    out.insert(0, "/");
  }
  return out;
}

void IdMap::Learn(std::string_view recorded, std::string_view replayed) {
  Json a = Json::parse(recorded.begin(), recorded.end(), nullptr, false);
  Json b = Json::parse(replayed.begin(), replayed.end(), nullptr, false);
  if (!a.is_discarded() && !b.is_discarded() && (a.is_structured() || b.is_structured())) {
    LearnJson(a, b, *this);
    return;
  }
  const auto from = Uuids(recorded);
  const auto to = Uuids(replayed);
  if (from.size() != to.size()) {
    return;
  }
  for (std::size_t i = 0; i < from.size(); ++i) {
    ids_.emplace(from[i], to[i]);  // the first pairing wins
  }
}

std::string IdMap::Apply(std::string_view original) const {
  std::string text(original);
  for (const auto& [from, to] : origins_) {
    for (auto at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
      text.replace(at, from.size(), to);
    }
  }
  if (ids_.empty()) {
    return text;
  }
  std::string out;
  for (std::size_t i = 0; i < text.size();) {
    if (UuidAt(text, i)) {
      auto it = ids_.find(text::ToLowerAscii(text.substr(i, 36)));
      out += it == ids_.end() ? text.substr(i, 36) : it->second;
      i += 36;
    } else {
      out += text[i++];
    }
  }
  return out;
}

std::string IdMap::Claim(const std::string& recorded) {
  if (recorded.size() == 36 && UuidAt(recorded, 0)) {
    return recorded;
  }
  auto it = claims_.find(recorded);
  if (it == claims_.end()) {
    it = claims_.emplace(recorded, NewUuidV4()).first;
  }
  return it->second;
}

HttpRequest IdMap::MapRequest(const har::Exchange& e, const std::string& base_url) {
  HttpRequest r;
  r.method = e.method;
  std::string base = base_url;
  while (!base.empty() && base.back() == '/') {
    base.pop_back();
  }
  const std::string path = PathAndQuery(e.url);
  if (e.url.size() > path.size() && e.url.find("://") != std::string::npos) {
    const std::string origin = e.url.substr(0, e.url.find('/', e.url.find("://") + 3));
    const std::string to = base.substr(0, base.find('/', base.find("://") + 3));
    if (!origin.empty() && origin != to) {
      origins_.emplace(origin, to);
    }
  }
  r.url = base + Apply(path);
  for (const auto& [k, v] : e.request_headers) {
    const std::string name = text::ToLowerAscii(k);
    if (name == "host" || name == "content-length" || name == "connection" ||
        name == "transfer-encoding" || name == "accept-encoding" || name.starts_with(':')) {
      continue;
    }
    r.headers.emplace_back(k, IsAnyClaimHeader(name) ? Claim(v) : Apply(v));
  }
  if (!e.request_body.empty()) {
    r.body = Apply(e.request_body);
  }
  return r;
}

ExchangeDiff CompareExchange(const har::Exchange& recorded, const HttpRequest& sent,
                             const Result<HttpResponse>& replayed, IdMap& ids) {
  ExchangeDiff d;
  if (!replayed) {
    d.differences.push_back(
        "no response (" + replayed.error().Message() + "); recorded " +
        (recorded.status == 0 ? "none either" : std::to_string(recorded.status)));
    if (recorded.status == 0) {
      d.differences.clear();
    }
    return d;
  }
  ids.Learn(recorded.response_body, replayed->body);
  if (recorded.status != replayed->status) {
    d.differences.push_back("status " + std::to_string(recorded.status) + " -> " +
                            std::to_string(replayed->status));
  }
  const auto rid_recorded = text::FindHeader(recorded.request_headers, "mailbox-request-id");
  const auto rid_sent = text::FindHeader(sent.headers, "mailbox-request-id");
  if (rid_recorded && rid_sent) {
    const bool was =
        text::FindHeader(recorded.response_headers, "mailbox-request-id") == rid_recorded;
    const bool is = text::FindHeader(replayed->headers, "mailbox-request-id") == rid_sent;
    if (was != is) {
      d.differences.push_back(std::string("Mailbox-Request-ID echo: ") + (was ? "yes" : "no") +
                              " -> " + (is ? "yes" : "no"));
    }
  }
  const std::string expected = ids.Apply(recorded.response_body);
  Json a = Json::parse(expected, nullptr, false);
  Json b = Json::parse(replayed->body, nullptr, false);
  const bool a_json = !a.is_discarded() && !expected.empty();
  const bool b_json = !b.is_discarded() && !replayed->body.empty();
  if (a_json && b_json) {
    JsonDiff(a, b, "$", d.differences);
  } else if (a_json != b_json) {
    d.differences.push_back(std::string("body: ") + (a_json ? "JSON" : "not JSON") + " -> " +
                            (b_json ? "JSON" : "not JSON"));
  } else if (expected != replayed->body) {
    d.differences.push_back("body text differs (" + std::to_string(expected.size()) + " -> " +
                            std::to_string(replayed->body.size()) + " octets)");
  }
  return d;
}

namespace {

Result<har::Transcript> LoadTranscript(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    return MakeError(Errc::kIoFailure, file.string() + ": cannot read");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  auto transcript = har::ReadHar(ss.str());
  if (!transcript) {
    return MakeError(Errc::kTranscriptInvalid, file.string() + ": " + transcript.error().detail);
  }
  return std::move(*transcript);
}

Result<Manifest> LoadRelayManifest(const fs::path& file) {
  TIGRESS_ASSIGN_OR_RETURN(Manifest m, LoadManifest(file));
  if (!m.relay) {
    return MakeError(Errc::kManifestInvalid, m.name + " provides no relay");
  }
  return m;
}

// The relay a replay talks to: its own directory, certificate and port.
struct ReplayRelay {
  TempDir dir;
  std::string ca_file;
  std::string base_url;
  std::unique_ptr<Process> process;
};

Result<ReplayRelay> StartRelay(const Manifest& m, const ReplayOptions& opt) {
  auto tmp = TempDir::Create("tigress-replay", opt.keep);
  std::error_code ec;
  if (tmp) {
    fs::create_directories(tmp->path() / "relay.work", ec);
  }
  auto pki = pki::MakeTestPki();
  auto port = FreeLoopbackPort();
  if (!tmp || !pki || !port || ec) {
    return MakeError(Errc::kIoFailure, "cannot prepare the relay's directory, certificate or port");
  }
  const fs::path work = tmp->path();
  Placeholders ph;
  ph.root = m.root.string();
  ph.port = std::to_string(*port);
  ph.ca = (work / "ca.pem").string();
  ph.cert = (work / "server-cert.pem").string();
  ph.key = (work / "server-key.pem").string();
  ph.workdir = (work / "relay.work").string();
  ph.bindir = opt.bindir.string();
  std::ofstream(ph.ca) << pki->ca_cert_pem;
  std::ofstream(ph.cert) << pki->server_cert_pem;
  TIGRESS_RETURN_IF_ERROR(WritePrivateFile(ph.key, pki->server_key_pem));
  ph.public_url = Expand(m.relay->base_url, ph);
  // A replay has no push receiver, but a manifest may pass {push_url} to an
  // option that refuses an empty URL (the reference relay's --webhook-allow):
  // a loopback URL on the discard port, which nothing answers.
  ph.push_url = "https://127.0.0.1:9/push";
  ProcessSpec ps = LaunchSpecFor(m, LaunchRole::kRelay, ph);
  ps.stderr_path = work / "relay.stderr.log";
  ps.stdout_path = work / "relay.stdout.log";
  ps.port = *port;
  ReplayRelay relay{std::move(*tmp), ph.ca, ph.public_url, nullptr};
  auto process = Process::Start(ps);
  Result<void> ready = process ? (*process)->WaitReady() : Result<void>(process.error());
  if (process) {
    relay.process = std::move(*process);
  }
  if (!ready) {
    if (relay.process) {
      relay.process->Stop();
    }
    return Error{ready.error().code, "the relay did not start: " + ready.error().detail};
  }
  return relay;
}

// Sends every exchange and prints how each answer compares; the number of
// answers that differ.
int ReplayExchanges(const std::vector<har::Exchange>& entries, const ReplayRelay& relay,
                    const ReplayOptions& opt, std::ostream& out) {
  ProbeClient probe(relay.ca_file);
  IdMap ids;
  int differing = 0;
  for (std::size_t i = 0; i < entries.size(); ++i) {
    const har::Exchange& e = entries[i];
    HttpRequest req = ids.MapRequest(e, relay.base_url);
    req.timeout = opt.http_timeout;
    auto resp = probe.Send(req);
    ExchangeDiff d = CompareExchange(e, req, resp, ids);
    out << "[" << i + 1 << "/" << entries.size() << "] " << e.method << " " << PathAndQuery(e.url)
        << ": " << (d.same() ? "same" : "DIFFERS") << "\n";
    for (const auto& line : d.differences) {
      out << "      " << line << "\n";
    }
    differing += d.same() ? 0 : 1;
  }
  return differing;
}

}  // namespace

Result<int> RunReplay(const ReplayOptions& opt, std::ostream& out) {
  TIGRESS_ASSIGN_OR_RETURN(har::Transcript transcript, LoadTranscript(opt.transcript));
  TIGRESS_ASSIGN_OR_RETURN(Manifest m, LoadRelayManifest(opt.relay_manifest));
  TIGRESS_ASSIGN_OR_RETURN(ReplayRelay relay, StartRelay(m, opt));
  const std::vector<har::Exchange>& entries = transcript.exchanges;
  out << "tigress-harness: replaying " << entries.size() << " exchange(s) of "
      << opt.transcript.string() << " against " << m.name << " at " << relay.base_url << "\n";
  const int differing = ReplayExchanges(entries, relay, opt, out);
  out << "\ntigress-harness: " << differing << " of " << entries.size()
      << " exchange(s) differ\n";
  relay.process->Stop();
  if (opt.keep) {
    out << "relay work directory and logs: " << relay.dir.path().string() << "\n";
  }
  return differing == 0 ? 0 : 1;
}

}  // namespace tigress::harness
