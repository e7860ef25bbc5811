// The runner's own checks, each proven by a deliberate fault it must catch.
#include "harness/kat/runner.h"

#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

#include "harness/kat/core_backend.h"
#include "tests/support/scratch_dir.h"

namespace tigress::kat {
namespace {

using Json = nlohmann::json;

std::filesystem::path Source(std::string_view rel) {
  return std::filesystem::path(TIGRESS_SOURCE_DIR) / rel;
}

Json Load(std::string_view rel) {
  std::ifstream in(Source(rel));
  return Json::parse(in);
}

const VectorResult* Find(const FileReport& r, std::string_view id) {
  for (const auto& v : r.results) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

// Seals correctly, then flips one bit of the last octet of the wire data.
class WrongByteBackend : public CoreBackend {
 public:
  BackendResult<std::string> PayloadSeal(const SealRequest& req) override {
    auto data = CoreBackend::PayloadSeal(req);
    if (!data) return data;
    Bytes raw = Base64Decode(*data).value();
    raw.back() ^= 1;
    return Base64Encode(raw);
  }
};

// Opens anything: returns an empty plaintext for every input.
class AcceptEverythingBackend : public CoreBackend {
 public:
  BackendResult<Bytes> PayloadOpen(const OpenRequest& /*req*/) override { return Bytes{}; }
};

// Rejects what the core rejects, but always with the same token.
class OneTokenBackend : public CoreBackend {
 public:
  BackendResult<Bytes> PayloadOpen(const OpenRequest& req) override {
    auto r = CoreBackend::PayloadOpen(req);
    if (!r) return Rejected("payload.crypto_failure", r.error().detail);
    return r;
  }
};

// Like an adapter: no catalogue tokens, no message parsing, no stripping.
class AdapterLikeBackend : public KatBackend {
 public:
  std::string Name() const override { return "adapter-like"; }
  bool ReportsErrorTokens() const override { return false; }
  BackendResult<std::string> PayloadSeal(const SealRequest& req) override {
    return Tokenless(core_.PayloadSeal(req));
  }
  BackendResult<Bytes> PayloadOpen(const OpenRequest& req) override {
    return Tokenless(core_.PayloadOpen(req));
  }
  BackendResult<ShareUrlFields> ShareUrlParse(std::string_view url) override {
    return Tokenless(core_.ShareUrlParse(url));
  }
  BackendResult<std::string> ShareUrlBuild(const ShareUrlBuildRequest& req) override {
    return Tokenless(core_.ShareUrlBuild(req));
  }

 private:
  template <class T>
  static BackendResult<T> Tokenless(BackendResult<T> r) {
    if (!r) return Rejected("", "adapter error 1001");
    return r;
  }
  CoreBackend core_;
};

// Drops the field path from message errors.
class VagueMessageBackend : public CoreBackend {
 public:
  BackendResult<Json> MessageParse(const MessageRequest& req) override {
    auto r = CoreBackend::MessageParse(req);
    if (!r) return Rejected(r.error().token, "something is wrong");
    return r;
  }
};

// Parses Share URLs but loses the vertical and one octet of the Secret.
class LossyUrlBackend : public CoreBackend {
 public:
  BackendResult<ShareUrlFields> ShareUrlParse(std::string_view url) override {
    auto r = CoreBackend::ShareUrlParse(url);
    if (r && r->vertical == "h") r->vertical.reset();
    if (r && r->secret && r->vertical == "a") r->secret->at(5) ^= 1;
    return r;
  }
};

// Parses Provisioning Information but drops its extra top-level keys.
class DropsExtraKeysBackend : public CoreBackend {
 public:
  BackendResult<Json> MessageParse(const MessageRequest& req) override {
    auto r = CoreBackend::MessageParse(req);
    if (r && req.message == "ProvisioningInfo") r->erase("x-extra");
    return r;
  }
};

TEST(VectorRunner, FailsAShareUrlParserThatLosesTheVerticalOrASecretOctet) {
  LossyUrlBackend backend;
  const FileReport r = RunVectorDocument(Load("vectors/share_url.json"), "urls", backend);
  const VectorResult* h = Find(r, "share-url-011-vertical-h");
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->verdict, Verdict::kFail);
  EXPECT_EQ(h->detail, "vertical absent but the vector expects 'h'");
  const VectorResult* a = Find(r, "share-url-010-vertical-a");
  ASSERT_NE(a, nullptr);
  EXPECT_EQ(a->verdict, Verdict::kFail);
  EXPECT_EQ(a->detail, "secret differs at octet 5 (got 16 octets, expected 16)");
}

TEST(VectorRunner, FailsAMessageParserThatDropsExtraTopLevelKeys) {
  DropsExtraKeysBackend backend;
  const FileReport r = RunVectorDocument(Load("vectors/messages.json"), "messages", backend);
  const VectorResult* v = Find(r, "messages-003-pi-extra-top-level-keys");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->verdict, Verdict::kFail);
  EXPECT_NE(v->detail.find("differs from expected"), std::string::npos) << v->detail;
}

TEST(VectorRunner, FailsABackendThatSealsOneWrongByte) {
  WrongByteBackend backend;
  const FileReport r = RunVectorDocument(Load("vectors/payload_aead.json"), "payload", backend);
  const VectorResult* kat1 = Find(r, "payload-aead-001-kat1");
  ASSERT_NE(kat1, nullptr);
  EXPECT_EQ(kat1->verdict, Verdict::kFail);
  EXPECT_NE(kat1->detail.find("seal: data differs at character 103"), std::string::npos)
      << kat1->detail;
  std::size_t failed = 0;
  for (const auto& v : r.results) {
    if (v.verdict == Verdict::kFail) ++failed;
  }
  EXPECT_EQ(failed, 10U);  // every roundtrip vector; the invalid ones still pass

  std::ostringstream out;
  EXPECT_EQ(RunVectorsCommand({Source("vectors/payload_aead.json").string()}, out, backend, false),
            1);
  EXPECT_NE(out.str().find("\nFAIL payload-aead-001-kat1: seal: data differs"), std::string::npos);
  EXPECT_TRUE(out.str().ends_with("\n39 passed, 10 failed, 0 skipped\n")) << out.str();
}

TEST(VectorRunner, FailsABackendThatAcceptsTamperedPayloads) {
  AcceptEverythingBackend backend;
  const FileReport r = RunVectorDocument(Load("vectors/payload_aead.json"), "payload", backend);
  const VectorResult* tampered = Find(r, "payload-aead-011-kat1-tampered");
  ASSERT_NE(tampered, nullptr);
  EXPECT_EQ(tampered->verdict, Verdict::kFail);
  EXPECT_NE(tampered->detail.find("accepted an invalid input; expected rejection "
                                  "payload.auth_failed"),
            std::string::npos);
  EXPECT_EQ(tampered->requirements, std::vector<std::string>{"PAYLOAD-11"});
  EXPECT_EQ(tampered->interpretations, std::vector<std::string>{"C-29"});
}

TEST(VectorRunner, FailsARejectionWithTheWrongToken) {
  OneTokenBackend backend;
  const FileReport r = RunVectorDocument(Load("vectors/payload_aead.json"), "payload", backend);
  const VectorResult* short_data = Find(r, "payload-aead-020-short-27-octets");
  ASSERT_NE(short_data, nullptr);
  EXPECT_EQ(short_data->verdict, Verdict::kFail);
  EXPECT_NE(short_data->detail.find("rejected with payload.crypto_failure"), std::string::npos)
      << short_data->detail;
  EXPECT_NE(short_data->detail.find("expected payload.too_short"), std::string::npos);
}

TEST(VectorRunner, AcceptsAnyRejectionFromABackendWithoutTokens) {
  AdapterLikeBackend backend;
  const FileReport payload =
      RunVectorDocument(Load("vectors/payload_aead.json"), "payload", backend);
  for (const auto& v : payload.results) EXPECT_EQ(v.verdict, Verdict::kPass) << v.id << v.detail;
  const FileReport urls = RunVectorDocument(Load("vectors/share_url.json"), "urls", backend);
  const Summary s = Summarize({urls});
  EXPECT_EQ(s.failed, 0U);
  EXPECT_EQ(s.unsupported, 3U);  // the three strip vectors
  EXPECT_EQ(s.skipped, 0U);      // unsupported is not skipped
}

TEST(VectorRunner, ReportsMessageVectorsUnsupportedByAnAdapter) {
  AdapterLikeBackend backend;
  std::ostringstream out;
  const int rc = RunVectorsCommand({Source("vectors/messages.json").string()}, out, backend, false);
  EXPECT_EQ(rc, 1);  // nothing ran
  EXPECT_NE(out.str().find("UNSUPPORTED messages-001-pi-carkey: adapter-like does not offer "
                           "message parsing"),
            std::string::npos)
      << out.str();
  EXPECT_NE(out.str().find("66 vectors unsupported by backend adapter-like\n"), std::string::npos);
  EXPECT_TRUE(out.str().ends_with("0 passed, 0 failed, 0 skipped, 66 unsupported\n"))
      << out.str();
}

TEST(VectorRunner, FailsAMessageErrorThatDoesNotNameTheField) {
  VagueMessageBackend backend;
  const FileReport r = RunVectorDocument(Load("vectors/messages.json"), "messages", backend);
  const VectorResult* v = Find(r, "messages-021-create-missing-payload-type");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->verdict, Verdict::kFail);
  EXPECT_NE(v->detail.find("does not name the field payload.type"), std::string::npos) << v->detail;
}

TEST(VectorRunner, FailsAVectorWithAnUnknownField) {
  CoreBackend core;
  Json doc = Load("vectors/payload_aead.json");
  doc["tests"][0]["nonceHex"] = "00";
  const FileReport r = RunVectorDocument(doc, "payload", core);
  EXPECT_EQ(r.results[0].verdict, Verdict::kFail);
  EXPECT_EQ(r.results[0].detail, "vector format: unknown field 'nonceHex'");
  EXPECT_EQ(r.results[1].verdict, Verdict::kPass);
}

TEST(VectorRunner, FailsAVectorWhoseExpectedOutputIsWrong) {
  CoreBackend core;
  Json doc = Load("vectors/payload_aead.json");
  // Keep the vector self-consistent (data = iv || ct || tag) but wrong.
  std::string tag = doc["tests"][1]["tagHex"];
  tag[0] = tag[0] == '0' ? '1' : '0';
  doc["tests"][1]["tagHex"] = tag;
  Bytes wire = HexDecode(doc["tests"][1]["ivHex"].get<std::string>() +
                         doc["tests"][1]["ciphertextHex"].get<std::string>() + tag)
                   .value();
  doc["tests"][1]["dataBase64"] = Base64Encode(wire);
  doc["tests"][2]["error"] = "payload.auth_failed";  // kat3 is valid: ignored
  doc["tests"][12]["error"] = "payload.too_short";   // really auth_failed
  const FileReport r = RunVectorDocument(doc, "payload", core);
  EXPECT_EQ(r.results[1].verdict, Verdict::kFail);
  EXPECT_NE(r.results[1].detail.find("seal: data differs"), std::string::npos);
  EXPECT_EQ(r.results[12].verdict, Verdict::kFail);
  EXPECT_NE(r.results[12].detail.find("expected payload.too_short"), std::string::npos);
}

TEST(VectorRunner, FailsAnInconsistentRoundtripVector) {
  CoreBackend core;
  Json doc = Load("vectors/payload_aead.json");
  doc["tests"][0]["ciphertextHex"] = "00";
  const FileReport r = RunVectorDocument(doc, "payload", core);
  EXPECT_EQ(r.results[0].verdict, Verdict::kFail);
  EXPECT_NE(r.results[0].detail.find("dataBase64 is not base64(ivHex || ciphertextHex || tagHex)"),
            std::string::npos);
}

TEST(VectorRunner, ReportsUndefinedFlagsAndWrongCountsAsFormatErrors) {
  CoreBackend core;
  Json doc = Load("vectors/share_url.json");
  doc["tests"][3]["flags"].push_back("NoSuchFlag");
  doc["numberOfTests"] = 1;
  doc["surprise"] = true;
  const FileReport r = RunVectorDocument(doc, "urls", core);
  EXPECT_EQ(r.results[3].verdict, Verdict::kFail);
  EXPECT_EQ(r.results[3].detail, "vector format: flag 'NoSuchFlag' is not defined in notes");
  ASSERT_EQ(r.errors.size(), 2U);
  EXPECT_EQ(r.errors[0], "unknown top-level field 'surprise'");
  EXPECT_NE(r.errors[1].find("numberOfTests"), std::string::npos);
  EXPECT_EQ(Summarize({r}).failed, 3U);
}

TEST(VectorRunner, NamesTheLineOfAFileThatIsNotJson) {
  test_support::ScratchDir dir("tigress-kat");
  const auto path = dir.path() / "kat_broken.json";
  {
    std::ofstream f(path);
    f << "{\n  \"family\": \"payload_aead\",\n  \"tests\": [,]\n}\n";
  }
  CoreBackend core;
  const FileReport r = RunVectorFile(path, core);
  ASSERT_EQ(r.errors.size(), 1U);
  EXPECT_NE(r.errors[0].find("line 3: not valid JSON"), std::string::npos) << r.errors[0];
  std::ostringstream out;
  EXPECT_EQ(RunVectorsCommand({path.string()}, out, core, false), 1);
  EXPECT_NE(out.str().find("ERROR " + path.string() + ": line 3"), std::string::npos);
}

TEST(VectorRunner, ReportsMalformedDocumentsWithoutThrowing) {
  CoreBackend core;
  const Json ours = Json::parse(R"({"family": "payload_aead", "schemaVersion": 1,
      "numberOfTests": 5, "notes": {}, "tests": [1, "x", {"id": 5},
      {"id": "a", "flags": "x", "requirements": [], "result": "valid"},
      {"id": "b", "flags": [], "requirements": [], "result": "valid", "operation": "open",
       "cipher": "AEAD_AES_128_GCM", "keyHex": "zz", "dataBase64": ""}]})");
  FileReport r;
  ASSERT_NO_THROW(r = RunVectorDocument(ours, "bad.json", core));
  ASSERT_EQ(r.results.size(), 5U);
  for (const auto& v : r.results) EXPECT_EQ(v.verdict, Verdict::kFail) << v.id;
  EXPECT_EQ(r.results[0].detail, "vector format: not an object");
  EXPECT_EQ(r.results[2].detail, "vector format: id: expected a string");
  EXPECT_EQ(r.results[3].detail, "vector format: flags: expected an array of strings");
  EXPECT_EQ(r.results[4].detail, "vector format: keyHex: not a hex digit at offset 0");

  const Json wycheproof = Json::parse(R"({"algorithm": "AES-GCM", "testGroups": [1,
      {"keySize": "x", "ivSize": 96, "tagSize": 128, "tests": []},
      {"keySize": 128, "ivSize": 96, "tagSize": 128, "tests": [1, {"tcId": 2}]}]})");
  ASSERT_NO_THROW(r = RunVectorDocument(wycheproof, "wp.json", core));
  EXPECT_EQ(r.errors.size(), 2U);
  ASSERT_EQ(r.results.size(), 2U);
  EXPECT_EQ(r.results[1].id, "wp#2");
  EXPECT_EQ(r.results[1].verdict, Verdict::kFail);
  EXPECT_NE(r.results[1].detail.find("vector format"), std::string::npos);
}

TEST(VectorRunner, RefusesAFileOfAnUnknownFamily) {
  CoreBackend core;
  const FileReport r =
      RunVectorDocument(Json{{"family", "hpke"}, {"tests", Json::array()}}, "x.json", core);
  ASSERT_EQ(r.errors.size(), 1U);
  EXPECT_EQ(r.errors[0], "family 'hpke' is not payload_aead, share_url or messages");
}

TEST(VectorRunner, SkipsWycheproofFilesOfOtherAlgorithms) {
  CoreBackend core;
  Json doc = Load("tests/kat/fixtures/wycheproof_style_aes_gcm.json");
  doc["algorithm"] = "CHACHA20-POLY1305";
  const FileReport r = RunVectorDocument(doc, "chacha.json", core);
  EXPECT_EQ(r.skipped_groups.size(), 5U);
  const Summary s = Summarize({r});
  EXPECT_EQ(s.passed, 0U);
  EXPECT_EQ(s.skipped, 14U);
}

TEST(VectorRunner, FailsAWycheproofBackendThatAcceptsAModifiedTag) {
  AcceptEverythingBackend backend;
  const FileReport r = RunVectorDocument(Load("tests/kat/fixtures/wycheproof_style_aes_gcm.json"),
                                         "wp.json", backend);
  const VectorResult* v = Find(r, "wp#4");
  ASSERT_NE(v, nullptr);
  EXPECT_EQ(v->verdict, Verdict::kFail);
  EXPECT_EQ(v->requirements.back(), "PAYLOAD-11");
}

TEST(VectorRunner, VerboseOutputListsRequirementsAndInterpretations) {
  CoreBackend core;
  std::ostringstream out;
  RunVectorsCommand({Source("vectors/payload_aead.json").string()}, out, core, true);
  EXPECT_NE(out.str().find("PASS payload-aead-011-kat1-tampered: rejected: payload.auth_failed: "
                           "GCM tag does not verify [PAYLOAD-11 C-29]"),
            std::string::npos)
      << out.str();
}

}  // namespace
}  // namespace tigress::kat
