#include <filesystem>

#include "harness/kat/families.h"

namespace tigress::kat {
namespace {

using Json = nlohmann::json;

constexpr std::string_view kAes128 = "AEAD_AES_128_GCM";
constexpr std::string_view kAes256 = "AEAD_AES_256_GCM";

// A test group's parameters, in bits.
struct GroupSizes {
  int key = 0;
  int iv = 0;
  int tag = 0;
};

// Why the protocol cannot use a group, or empty when it can.
std::string SkipReason(const std::string& algorithm, const GroupSizes& s) {
  if (algorithm != "AES-GCM") {
    return "algorithm '" + algorithm + "' (the protocol uses AES-GCM only)";
  }
  if (s.key != 128 && s.key != 256) {
    return "keySize " + std::to_string(s.key) + " (the protocol uses 128 or 256)";
  }
  if (s.iv != 96) return "ivSize " + std::to_string(s.iv) + " (the protocol uses 96-bit IVs)";
  if (s.tag != 128) return "tagSize " + std::to_string(s.tag) + " (the protocol uses 128-bit tags)";
  return {};
}

// A valid test: sealing must give the wire data and opening the message.
Outcome JudgeValid(const BackendResult<std::string>& sealed, const BackendResult<Bytes>& opened,
                   const std::string& data, const Bytes& msg) {
  if (!sealed) return Unexpected(sealed.error());
  if (*sealed != data) return Fail("seal: " + Mismatch("data", *sealed, data));
  if (!opened) return Unexpected(opened.error());
  if (*opened != msg)
    return Fail("open: " + Mismatch("plaintext", ToString(*opened), ToString(msg)));
  return Pass("sealed and opened");
}

// A test of a usable group, after its id and result have been read.
Outcome RunUsableTest(VectorFields& f, const std::string& result, const GroupSizes& s,
                      KatBackend& backend) {
  const Bytes key = f.Hex("key");
  const Bytes iv = f.Hex("iv");
  const Bytes aad = f.Hex("aad");
  const Bytes msg = f.Hex("msg");
  const Bytes ct = f.Hex("ct");
  const Bytes tag = f.Hex("tag");
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
  if (!aad.empty()) return {Verdict::kSkip, "non-empty aad (the protocol uses none, C-29)"};
  if (key.size() * 8 != static_cast<std::size_t>(s.key) ||
      iv.size() * 8 != static_cast<std::size_t>(s.iv) ||
      tag.size() * 8 != static_cast<std::size_t>(s.tag)) {
    return {Verdict::kSkip, "key, iv or tag length differs from the group's sizes"};
  }
  const std::string cipher(s.key == 128 ? kAes128 : kAes256);
  Bytes wire = iv;
  wire.insert(wire.end(), ct.begin(), ct.end());
  wire.insert(wire.end(), tag.begin(), tag.end());
  const std::string data = Base64Encode(wire);
  auto opened = backend.PayloadOpen({cipher, key, data});
  if (result == "valid") {
    return JudgeValid(backend.PayloadSeal({cipher, key, iv, msg}), opened, data, msg);
  }
  if (result == "invalid") {
    Outcome o = ExpectRejected(opened, "", "", backend);
    if (o.verdict == Verdict::kFail && opened) o = Fail("opened an invalid ciphertext");
    return o;
  }
  if (result == "acceptable") {
    if (!opened && opened.error().kind != BackendError::Kind::kRejected) {
      return Unexpected(opened.error());
    }
    return opened ? Pass("acceptable: accepted")
                  : Pass("acceptable: rejected (" + Describe(opened.error()) + ")");
  }
  return Fail("vector format: result '" + result + "' is not valid, invalid or acceptable");
}

// One test of group `gi`; `reason` is the group's skip reason, if any.
VectorResult RunTest(const Json& t, const std::string& stem, std::size_t gi,
                     const std::string& reason, const GroupSizes& s, KatBackend& backend) {
  VectorResult v;
  VectorFields f(t);
  v.id = stem + "#" + std::to_string(f.Int("tcId"));
  const std::string result = f.Str("result");
  v.requirements = {"PAYLOAD-02", "PAYLOAD-05", result == "invalid" ? "PAYLOAD-11" : "PAYLOAD-06"};
  v.interpretations = {"C-29"};
  if (!reason.empty()) {
    v.verdict = Verdict::kSkip;
    v.detail = "testGroups[" + std::to_string(gi) + "]: " + reason;
    return v;
  }
  Outcome o = RunUsableTest(f, result, s, backend);
  v.verdict = o.verdict;
  v.detail = std::move(o.detail);
  return v;
}

}  // namespace

void RunWycheproofFile(const Json& doc, std::string_view label, KatBackend& backend,
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
    VectorFields gf(g);
    GroupSizes s;
    s.key = gf.Int("keySize");
    s.iv = gf.Int("ivSize");
    s.tag = gf.Int("tagSize");
    const bool has_tests = g.is_object() && g.contains("tests") && g["tests"].is_array();
    if (!gf.Ok() || !has_tests) {
      report.errors.emplace_back(
          "testGroups[" + std::to_string(gi) +
          "]: " + (gf.Ok() ? std::string("tests: expected an array") : gf.FirstProblem()));
      continue;
    }
    const Json& tests = g["tests"];
    const std::string reason = SkipReason(algorithm, s);
    if (!reason.empty()) report.skipped_groups.push_back({gi, reason, tests.size()});
    for (const Json& t : tests) report.results.push_back(RunTest(t, stem, gi, reason, s, backend));
  }
}

}  // namespace tigress::kat
