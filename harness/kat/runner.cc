#include "harness/kat/runner.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <initializer_list>
#include <optional>
#include <sstream>

namespace tigress::kat {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kAes128 = "AEAD_AES_128_GCM";
constexpr std::string_view kAes256 = "AEAD_AES_256_GCM";

struct Outcome {
  Verdict verdict = Verdict::kFail;
  std::string detail;
};

Outcome Pass(std::string detail = {}) { return {Verdict::kPass, std::move(detail)}; }
Outcome Fail(std::string detail) { return {Verdict::kFail, std::move(detail)}; }

// Reads typed fields of one vector object and keeps the first problem, so a
// malformed vector fails with a message naming the field instead of throwing.
class Reader {
 public:
  explicit Reader(const Json& t) : t_(t) {}

  bool Has(std::string_view key) const { return t_.contains(key); }
  const std::string& FirstProblem() const { return error_; }
  bool Ok() const { return error_.empty(); }

  std::string Str(std::string_view key) {
    const auto it = t_.find(key);
    if (it == t_.end()) {
      Problem(key, "required field is missing");
      return {};
    }
    if (!it->is_string()) {
      Problem(key, "expected a string");
      return {};
    }
    return it->get<std::string>();
  }

  std::optional<std::string> OptStr(std::string_view key) {
    if (!Has(key)) return std::nullopt;
    return Str(key);
  }

  Bytes Hex(std::string_view key) {
    const std::string s = Str(key);
    if (!Ok()) return {};
    auto b = HexDecode(s);
    if (!b) {
      Problem(key, b.error().detail);
      return {};
    }
    return *b;
  }

  std::optional<Bytes> OptBase64(std::string_view key) {
    if (!Has(key)) return std::nullopt;
    const std::string s = Str(key);
    if (!Ok()) return Bytes{};
    auto b = Base64Decode(s);
    if (!b) {
      Problem(key, b.error().detail);
      return Bytes{};
    }
    return *b;
  }

  bool OptBool(std::string_view key) {
    const auto it = t_.find(key);
    if (it == t_.end()) return false;
    if (!it->is_boolean()) {
      Problem(key, "expected a boolean");
      return false;
    }
    return it->get<bool>();
  }

  int Int(std::string_view key) {
    const auto it = t_.find(key);
    if (it == t_.end() || !it->is_number_integer()) {
      Problem(key, "expected an integer");
      return 0;
    }
    return it->get<int>();
  }

  std::vector<std::string> StrList(std::string_view key) {
    std::vector<std::string> out;
    const auto it = t_.find(key);
    if (it == t_.end()) return out;
    if (!it->is_array()) {
      Problem(key, "expected an array of strings");
      return out;
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        Problem(key, "expected an array of strings");
        return out;
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  // Returns the first key not in `allowed`, for the strict families.
  std::optional<std::string> UnknownField(std::initializer_list<std::string_view> allowed) const {
    for (const auto& [key, value] : t_.items()) {
      if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) return key;
    }
    return std::nullopt;
  }

 private:
  void Problem(std::string_view key, std::string_view what) {
    if (error_.empty()) error_ = std::string(key) + ": " + std::string(what);
  }

  const Json& t_;
  std::string error_;
};

// Says where two values first differ without printing either in full: the
// values may be Secrets or plaintexts.
std::string Mismatch(std::string_view what, std::string_view got, std::string_view want) {
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  return what == "plaintext" || what == "secret"
             ? std::string(what) + " differs at octet " + std::to_string(i) + " (got " +
                   std::to_string(got.size()) + " octets, expected " + std::to_string(want.size()) +
                   ")"
             : std::string(what) + " differs at character " + std::to_string(i) + " (got " +
                   std::to_string(got.size()) + " characters, expected " +
                   std::to_string(want.size()) + ")";
}

// A Share URL with its fragment (the Secret) redacted, for messages.
std::string RedactUrl(std::string_view url) {
  const auto hash = url.find('#');
  if (hash == std::string_view::npos) return std::string(url);
  return std::string(url.substr(0, hash + 1)) + Redact(url.substr(hash + 1));
}

std::string Describe(const BackendError& e) {
  return e.token.empty() ? e.detail : e.token + ": " + e.detail;
}

// Turns a backend error on a vector that should have succeeded into a verdict.
Outcome Unexpected(const BackendError& e) {
  switch (e.kind) {
    case BackendError::Kind::kUnsupported:
      return {Verdict::kUnsupported, e.detail};
    case BackendError::Kind::kBroken:
      return Fail("backend failed: " + e.detail);
    case BackendError::Kind::kRejected:
      break;
  }
  return Fail("rejected a valid input: " + Describe(e));
}

// True when `detail` names `field` as an error path: "<field>:" at the start
// or after a space ("plaintext: content: expected an object").
bool NamesField(std::string_view detail, std::string_view field) {
  const std::string needle = std::string(field) + ":";
  for (std::size_t pos = detail.find(needle); pos != std::string_view::npos;
       pos = detail.find(needle, pos + 1)) {
    if (pos == 0 || detail[pos - 1] == ' ') return true;
  }
  return false;
}

template <class T>
Outcome ExpectRejected(const BackendResult<T>& r, const std::string& token,
                       const std::string& field, const KatBackend& backend) {
  if (r) return Fail("accepted an invalid input; expected rejection " + token);
  const BackendError& e = r.error();
  if (e.kind != BackendError::Kind::kRejected) return Unexpected(e);
  if (backend.ReportsErrorTokens()) {
    if (!token.empty() && e.token != token)
      return Fail("rejected with " + Describe(e) + "; expected " + token);
    if (!field.empty() && !NamesField(e.detail, field)) {
      return Fail("error '" + Describe(e) + "' does not name the field " + field);
    }
  }
  return Pass("rejected: " + Describe(e));
}

// ---- payload_aead ---------------------------------------------------------

Outcome RunPayload(Reader& r, const std::string& result, const std::string& token,
                   KatBackend& backend) {
  if (auto f = r.UnknownField({"id", "comment", "flags", "requirements", "operation", "result",
                               "cipher", "keyHex", "ivHex", "plaintextHex", "ciphertextHex",
                               "tagHex", "dataBase64", "error"})) {
    return Fail("vector format: unknown field '" + *f + "'");
  }
  const std::string op = r.Str("operation");
  const std::string cipher = r.Str("cipher");
  const Bytes key = r.Hex("keyHex");
  const bool valid = result == "valid";
  if (op == "roundtrip") {
    const Bytes iv = r.Hex("ivHex");
    const Bytes pt = r.Hex("plaintextHex");
    const Bytes ct = r.Hex("ciphertextHex");
    const Bytes tag = r.Hex("tagHex");
    const std::string data = r.Str("dataBase64");
    if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
    if (!valid) return Fail("vector format: a roundtrip vector must be valid");
    Bytes wire = iv;
    wire.insert(wire.end(), ct.begin(), ct.end());
    wire.insert(wire.end(), tag.begin(), tag.end());
    if (Base64Encode(wire) != data) {
      return Fail("vector format: dataBase64 is not base64(ivHex || ciphertextHex || tagHex)");
    }
    auto sealed = backend.PayloadSeal({cipher, key, iv, pt});
    if (!sealed) return Unexpected(sealed.error());
    if (*sealed != data) return Fail("seal: " + Mismatch("data", *sealed, data));
    auto opened = backend.PayloadOpen({cipher, key, data});
    if (!opened) return Unexpected(opened.error());
    if (*opened != pt)
      return Fail("open: " + Mismatch("plaintext", ToString(*opened), ToString(pt)));
    return Pass("sealed and opened");
  }
  if (op == "seal") {
    const Bytes iv = r.Hex("ivHex");
    const Bytes pt = r.Hex("plaintextHex");
    const std::string data = valid ? r.Str("dataBase64") : std::string();
    if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
    auto sealed = backend.PayloadSeal({cipher, key, iv, pt});
    if (!valid) return ExpectRejected(sealed, token, {}, backend);
    if (!sealed) return Unexpected(sealed.error());
    if (*sealed != data) return Fail("seal: " + Mismatch("data", *sealed, data));
    return Pass("sealed");
  }
  if (op == "open") {
    const std::string data = r.Str("dataBase64");
    const Bytes pt = valid ? r.Hex("plaintextHex") : Bytes();
    if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
    auto opened = backend.PayloadOpen({cipher, key, data});
    if (!valid) return ExpectRejected(opened, token, {}, backend);
    if (!opened) return Unexpected(opened.error());
    if (*opened != pt)
      return Fail("open: " + Mismatch("plaintext", ToString(*opened), ToString(pt)));
    return Pass("opened");
  }
  if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
  return Fail("vector format: operation '" + op + "' is not roundtrip, seal or open");
}

// ---- share_url -------------------------------------------------------------

Outcome CompareField(std::string_view what, const std::string& got, const std::string& want) {
  if (got == want) return Pass();
  std::string detail(what);
  detail += " is '" + got + "', expected '" + want + "'";
  return Fail(std::move(detail));
}

Outcome CompareOptional(std::string_view what, const std::optional<std::string>& got,
                        const std::optional<std::string>& want) {
  if (got.has_value() != want.has_value()) {
    return Fail(std::string(what) + (got ? " present ('" + *got + "') but the vector has none"
                                         : " absent but the vector expects '" + *want + "'"));
  }
  if (got) return CompareField(what, *got, *want);
  return Pass();
}

Outcome RunShareUrl(Reader& r, const std::string& result, const std::string& token,
                    KatBackend& backend) {
  if (auto f = r.UnknownField({"id", "comment", "flags", "requirements", "operation", "result",
                               "url", "relayHost", "apiVersion", "mailboxId", "vertical",
                               "secretBase64", "relayBaseUrl", "strippedUrl", "error"})) {
    return Fail("vector format: unknown field '" + *f + "'");
  }
  const std::string op = r.Str("operation");
  const bool valid = result == "valid";
  if (op == "parse") {
    const std::string url = r.Str("url");
    ShareUrlFields want;
    std::optional<Bytes> want_secret;
    if (valid) {
      want.relay_host = r.Str("relayHost");
      want.api_version = r.Str("apiVersion");
      want.mailbox_id = r.Str("mailboxId");
      want.vertical = r.OptStr("vertical");
      want_secret = r.OptBase64("secretBase64");
    }
    if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
    auto got = backend.ShareUrlParse(url);
    if (!valid) return ExpectRejected(got, token, {}, backend);
    if (!got) return Unexpected(got.error());
    for (Outcome o : {CompareField("relayHost", got->relay_host, want.relay_host),
                      CompareField("apiVersion", got->api_version, want.api_version),
                      CompareField("mailboxId", got->mailbox_id, want.mailbox_id),
                      CompareOptional("vertical", got->vertical, want.vertical)}) {
      if (o.verdict != Verdict::kPass) return o;
    }
    if (got->secret.has_value() != want_secret.has_value()) {
      return Fail(got->secret ? "secret present but the vector has none"
                              : "secret absent but the vector has one");
    }
    if (got->secret && *got->secret != *want_secret) {
      return Fail(Mismatch("secret", ToString(*got->secret), ToString(*want_secret)));
    }
    return Pass("parsed");
  }
  if (op == "build") {
    ShareUrlBuildRequest req;
    req.relay_base_url = r.Str("relayBaseUrl");
    req.mailbox_id = r.Str("mailboxId");
    req.vertical = r.OptStr("vertical");
    req.secret = r.OptBase64("secretBase64");
    const std::string want = valid ? r.Str("url") : std::string();
    if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
    auto got = backend.ShareUrlBuild(req);
    if (!valid) return ExpectRejected(got, token, {}, backend);
    if (!got) return Unexpected(got.error());
    if (*got != want) {
      return Fail("built '" + RedactUrl(*got) + "'; " + Mismatch("url", *got, want));
    }
    return Pass("built");
  }
  if (op == "strip") {
    const std::string url = r.Str("url");
    const std::string want = valid ? r.Str("strippedUrl") : std::string();
    if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
    auto got = backend.ShareUrlStripFragment(url);
    if (!valid) return ExpectRejected(got, token, {}, backend);
    if (!got) return Unexpected(got.error());
    if (*got != want) return Fail("stripped to '" + RedactUrl(*got) + "', expected '" + want + "'");
    return Pass("stripped");
  }
  if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
  return Fail("vector format: operation '" + op + "' is not parse, build or strip");
}

// ---- messages --------------------------------------------------------------

Outcome RunMessage(const Json& t, Reader& r, const std::string& result, const std::string& token,
                   KatBackend& backend) {
  if (auto f = r.UnknownField({"id", "comment", "flags", "requirements", "message", "strict",
                               "body", "result", "expected", "error", "field"})) {
    return Fail("vector format: unknown field '" + *f + "'");
  }
  MessageRequest req;
  req.message = r.Str("message");
  req.body = r.Str("body");
  req.strict = r.OptBool("strict");
  const std::string field = r.OptStr("field").value_or("");
  const bool valid = result == "valid";
  if (valid && (!t.contains("expected") || !t["expected"].is_object())) {
    return Fail("vector format: expected: required object is missing");
  }
  if (!r.Ok()) return Fail("vector format: " + r.FirstProblem());
  auto got = backend.MessageParse(req);
  if (!valid) return ExpectRejected(got, token, field, backend);
  if (!got) return Unexpected(got.error());
  if (*got != t["expected"]) {
    std::string dump = got->dump();
    if (dump.size() > 200) dump = dump.substr(0, 200) + "...";
    return Fail("serialised to " + dump + ", which differs from expected");
  }
  return Pass("parsed and serialised back");
}

// ---- file level --------------------------------------------------------------

std::vector<std::string> Interpretations(const Json& notes, const std::vector<std::string>& flags,
                                         std::string* undefined_flag) {
  std::vector<std::string> out;
  for (const auto& flag : flags) {
    const auto it = notes.find(flag);
    if (it == notes.end()) {
      if (undefined_flag->empty()) *undefined_flag = flag;
      continue;
    }
    if (it->is_object() && it->contains("interpretation") && (*it)["interpretation"].is_string()) {
      auto ref = (*it)["interpretation"].get<std::string>();
      if (std::find(out.begin(), out.end(), ref) == out.end()) out.push_back(std::move(ref));
    }
  }
  return out;
}

void RunOurFamily(const Json& doc, const std::string& family, KatBackend& backend,
                  FileReport& report) {
  for (const auto& [key, value] : doc.items()) {
    static constexpr std::array<std::string_view, 8> kTop = {
        "family", "schemaVersion", "source",     "header",
        "notes",  "numberOfTests", "retiredIds", "tests"};
    if (std::find(kTop.begin(), kTop.end(), key) == kTop.end()) {
      report.errors.emplace_back("unknown top-level field '" + key + "'");
    }
  }
  if (!doc.contains("schemaVersion") || doc["schemaVersion"] != 1) {
    report.errors.emplace_back("schemaVersion must be 1");
  }
  const Json empty = Json::object();
  const Json& notes = doc.contains("notes") && doc["notes"].is_object() ? doc["notes"] : empty;
  if (!doc.contains("tests") || !doc["tests"].is_array()) {
    report.errors.emplace_back("tests: required array is missing");
    return;
  }
  const Json& tests = doc["tests"];
  if (!doc.contains("numberOfTests") || doc["numberOfTests"] != tests.size()) {
    report.errors.emplace_back("numberOfTests does not match the " + std::to_string(tests.size()) +
                               " tests");
  }
  std::size_t index = 0;
  for (const Json& t : tests) {
    VectorResult v;
    const std::string where = "tests[" + std::to_string(index++) + "]";
    if (!t.is_object()) {
      v.id = where;
      v.detail = "vector format: not an object";
      report.results.push_back(std::move(v));
      continue;
    }
    Reader r(t);
    v.id = r.Str("id");
    if (v.id.empty()) v.id = where;
    v.requirements = r.StrList("requirements");
    const auto flags = r.StrList("flags");
    std::string undefined_flag;
    v.interpretations = Interpretations(notes, flags, &undefined_flag);
    const std::string result = r.Str("result");
    const std::string token = result == "invalid" ? r.Str("error") : std::string();
    Outcome o;
    if (!r.Ok()) {
      o = Fail("vector format: " + r.FirstProblem());
    } else if (!undefined_flag.empty()) {
      o = Fail("vector format: flag '" + undefined_flag + "' is not defined in notes");
    } else if (result != "valid" && result != "invalid") {
      o = Fail("vector format: result '" + result + "' is not valid or invalid");
    } else if (family == "payload_aead") {
      o = RunPayload(r, result, token, backend);
    } else if (family == "share_url") {
      o = RunShareUrl(r, result, token, backend);
    } else {
      o = RunMessage(t, r, result, token, backend);
    }
    v.verdict = o.verdict;
    v.detail = std::move(o.detail);
    report.results.push_back(std::move(v));
  }
}

// Wycheproof AEAD layout: run what the protocol can use, skip the rest.
void RunWycheproof(const Json& doc, std::string_view label, KatBackend& backend,
                   FileReport& report) {
  const std::string stem = std::filesystem::path(label).stem().string();
  const std::string algorithm = doc.contains("algorithm") && doc["algorithm"].is_string()
                                    ? doc["algorithm"].get<std::string>()
                                    : std::string();
  const Json& groups = doc["testGroups"];
  if (!groups.is_array()) {
    report.errors.emplace_back("testGroups: expected an array");
    return;
  }
  for (std::size_t gi = 0; gi < groups.size(); ++gi) {
    const Json& g = groups[gi];
    Reader gr(g);
    const int key_size = gr.Int("keySize");
    const int iv_size = gr.Int("ivSize");
    const int tag_size = gr.Int("tagSize");
    const bool has_tests = g.is_object() && g.contains("tests") && g["tests"].is_array();
    if (!gr.Ok() || !has_tests) {
      report.errors.emplace_back(
          "testGroups[" + std::to_string(gi) +
          "]: " + (gr.Ok() ? std::string("tests: expected an array") : gr.FirstProblem()));
      continue;
    }
    const Json& tests = g["tests"];
    std::string reason;
    if (algorithm != "AES-GCM") {
      reason = "algorithm '" + algorithm + "' (the protocol uses AES-GCM only)";
    } else if (key_size != 128 && key_size != 256) {
      reason = "keySize " + std::to_string(key_size) + " (the protocol uses 128 or 256)";
    } else if (iv_size != 96) {
      reason = "ivSize " + std::to_string(iv_size) + " (the protocol uses 96-bit IVs)";
    } else if (tag_size != 128) {
      reason = "tagSize " + std::to_string(tag_size) + " (the protocol uses 128-bit tags)";
    }
    if (!reason.empty()) {
      report.skipped_groups.push_back({gi, reason, tests.size()});
    }
    for (const Json& t : tests) {
      VectorResult v;
      Reader r(t);
      v.id = stem + "#" + std::to_string(r.Int("tcId"));
      const std::string result = r.Str("result");
      v.requirements = {"PAYLOAD-02", "PAYLOAD-05",
                        result == "invalid" ? "PAYLOAD-11" : "PAYLOAD-06"};
      v.interpretations = {"C-29"};
      if (!reason.empty()) {
        v.verdict = Verdict::kSkip;
        v.detail = "testGroups[" + std::to_string(gi) + "]: " + reason;
        report.results.push_back(std::move(v));
        continue;
      }
      const Bytes key = r.Hex("key");
      const Bytes iv = r.Hex("iv");
      const Bytes aad = r.Hex("aad");
      const Bytes msg = r.Hex("msg");
      const Bytes ct = r.Hex("ct");
      const Bytes tag = r.Hex("tag");
      Outcome o;
      if (!r.Ok()) {
        o = Fail("vector format: " + r.FirstProblem());
      } else if (!aad.empty()) {
        o = {Verdict::kSkip, "non-empty aad (the protocol uses none, C-29)"};
      } else if (key.size() * 8 != static_cast<std::size_t>(key_size) ||
                 iv.size() * 8 != static_cast<std::size_t>(iv_size) ||
                 tag.size() * 8 != static_cast<std::size_t>(tag_size)) {
        o = {Verdict::kSkip, "key, iv or tag length differs from the group's sizes"};
      } else {
        const std::string cipher(key_size == 128 ? kAes128 : kAes256);
        Bytes wire = iv;
        wire.insert(wire.end(), ct.begin(), ct.end());
        wire.insert(wire.end(), tag.begin(), tag.end());
        const std::string data = Base64Encode(wire);
        auto opened = backend.PayloadOpen({cipher, key, data});
        if (result == "valid") {
          auto sealed = backend.PayloadSeal({cipher, key, iv, msg});
          if (!sealed) {
            o = Unexpected(sealed.error());
          } else if (*sealed != data) {
            o = Fail("seal: " + Mismatch("data", *sealed, data));
          } else if (!opened) {
            o = Unexpected(opened.error());
          } else if (*opened != msg) {
            o = Fail("open: " + Mismatch("plaintext", ToString(*opened), ToString(msg)));
          } else {
            o = Pass("sealed and opened");
          }
        } else if (result == "invalid") {
          o = ExpectRejected(opened, "", "", backend);
          if (o.verdict == Verdict::kFail && opened) o = Fail("opened an invalid ciphertext");
        } else if (result == "acceptable") {
          o = opened ? Pass("acceptable: accepted")
                     : Pass("acceptable: rejected (" + Describe(opened.error()) + ")");
          if (!opened && opened.error().kind != BackendError::Kind::kRejected) {
            o = Unexpected(opened.error());
          }
        } else {
          o = Fail("vector format: result '" + result + "' is not valid, invalid or acceptable");
        }
      }
      v.verdict = o.verdict;
      v.detail = std::move(o.detail);
      report.results.push_back(std::move(v));
    }
  }
}

}  // namespace

std::string_view VerdictName(Verdict v) {
  switch (v) {
    case Verdict::kPass:
      return "PASS";
    case Verdict::kFail:
      return "FAIL";
    case Verdict::kSkip:
      return "SKIP";
    case Verdict::kUnsupported:
      return "UNSUPPORTED";
  }
  return "FAIL";
}

FileReport RunVectorDocument(const nlohmann::json& doc, std::string_view label,
                             KatBackend& backend) {
  FileReport report;
  report.file = std::string(label);
  if (!doc.is_object()) {
    report.errors.emplace_back("the file is not a JSON object");
    return report;
  }
  if (doc.contains("family")) {
    if (!doc["family"].is_string()) {
      report.errors.emplace_back("family: expected a string");
      return report;
    }
    report.family = doc["family"].get<std::string>();
    if (report.family != "payload_aead" && report.family != "share_url" &&
        report.family != "messages") {
      report.errors.emplace_back("family '" + report.family +
                                 "' is not payload_aead, share_url or messages");
      return report;
    }
    RunOurFamily(doc, report.family, backend, report);
    return report;
  }
  if (doc.contains("testGroups")) {
    report.family = "wycheproof_aead";
    RunWycheproof(doc, label, backend, report);
    return report;
  }
  report.errors.emplace_back(
      "neither a tigress vector file (no 'family') nor a Wycheproof AEAD file (no 'testGroups')");
  return report;
}

FileReport RunVectorFile(const std::filesystem::path& path, KatBackend& backend) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    FileReport report;
    report.file = path.string();
    report.errors.emplace_back("cannot open the file");
    return report;
  }
  std::stringstream buffer;
  buffer << in.rdbuf();
  const std::string text = buffer.str();
  const Json doc = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded()) {
    FileReport report;
    report.file = path.string();
    // Locate the error as line:column for the message.
    try {
      [[maybe_unused]] const Json unused = Json::parse(text);
    } catch (const Json::parse_error& e) {
      const std::size_t offset = e.byte == 0 ? 0 : e.byte - 1;
      const std::size_t line =
          1 + static_cast<std::size_t>(std::count(
                  text.begin(),
                  text.begin() + static_cast<std::ptrdiff_t>(std::min(offset, text.size())), '\n'));
      report.errors.emplace_back("line " + std::to_string(line) + ": not valid JSON (byte " +
                                 std::to_string(e.byte) + ")");
      return report;
    }
    report.errors.emplace_back("not valid JSON");
    return report;
  }
  return RunVectorDocument(doc, path.string(), backend);
}

Summary Summarize(const std::vector<FileReport>& reports) {
  Summary s;
  for (const auto& r : reports) {
    s.failed += r.errors.size();
    for (const auto& v : r.results) {
      switch (v.verdict) {
        case Verdict::kPass:
          ++s.passed;
          break;
        case Verdict::kFail:
          ++s.failed;
          break;
        case Verdict::kSkip:
          ++s.skipped;
          break;
        case Verdict::kUnsupported:
          ++s.skipped;
          ++s.unsupported;
          break;
      }
    }
  }
  return s;
}

std::vector<std::string> DefaultVectorFiles(const std::filesystem::path& dir) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    const std::string name = entry.path().filename().string();
    if (!entry.is_regular_file(ec) || !name.ends_with(".json")) continue;
    if (name.starts_with("requirements") || name.ends_with(".schema.json")) continue;
    out.push_back(entry.path().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

int RunVectorsCommand(const std::vector<std::string>& files, std::ostream& out, KatBackend& backend,
                      bool verbose) {
  std::vector<FileReport> reports;
  for (const auto& file : files) {
    FileReport r = RunVectorFile(file, backend);
    out << "== " << r.file << " (" << (r.family.empty() ? "unknown family" : r.family) << ", "
        << r.results.size() << " vectors, backend " << backend.Name() << ")\n";
    for (const auto& e : r.errors) out << "ERROR " << r.file << ": " << e << "\n";
    for (const auto& v : r.results) {
      const bool in_skipped_group =
          v.verdict == Verdict::kSkip && v.detail.starts_with("testGroups[");
      if (in_skipped_group && !verbose) continue;
      out << VerdictName(v.verdict) << " " << v.id;
      if (v.verdict != Verdict::kPass || verbose) {
        if (!v.detail.empty()) out << ": " << v.detail;
      }
      if (verbose && !v.requirements.empty()) {
        out << " [";
        for (std::size_t i = 0; i < v.requirements.size(); ++i) {
          out << (i > 0 ? " " : "") << v.requirements[i];
        }
        for (const auto& c : v.interpretations) out << " " << c;
        out << "]";
      }
      out << "\n";
    }
    std::size_t skipped_tests = 0;
    for (const auto& g : r.skipped_groups) {
      out << "SKIP " << r.file << " testGroups[" << g.group_index << "]: " << g.reason << ": "
          << g.tests << (g.tests == 1 ? " test\n" : " tests\n");
      skipped_tests += g.tests;
    }
    if (!r.skipped_groups.empty()) {
      out << "skipped " << r.skipped_groups.size() << " groups (" << skipped_tests
          << " tests) the protocol does not use\n";
    }
    reports.push_back(std::move(r));
  }
  const Summary s = Summarize(reports);
  if (s.unsupported > 0) {
    out << s.unsupported << " vectors unsupported by backend " << backend.Name() << "\n";
  }
  out << s.passed << " passed, " << s.failed << " failed, " << s.skipped << " skipped\n";
  return s.failed == 0 && s.passed > 0 ? 0 : 1;
}

}  // namespace tigress::kat
