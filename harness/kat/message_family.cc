#include "harness/kat/families.h"

namespace tigress::kat {

Outcome RunMessageVector(const nlohmann::json& t, VectorFields& f, const std::string& result,
                         const std::string& token, KatBackend& backend) {
  if (auto u = f.UnknownField({"id", "comment", "flags", "requirements", "message", "strict",
                               "body", "result", "expected", "error", "field"})) {
    return Fail("vector format: unknown field '" + *u + "'");
  }
  MessageRequest req;
  req.message = f.Str("message");
  req.body = f.Str("body");
  req.strict = f.OptBool("strict");
  const std::string field = f.OptStr("field").value_or("");
  const bool valid = result == "valid";
  if (valid && (!t.contains("expected") || !t["expected"].is_object())) {
    return Fail("vector format: expected: required object is missing");
  }
  if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
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

}  // namespace tigress::kat
