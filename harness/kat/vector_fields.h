// File: harness/kat/vector_fields.h
//
// `VectorFields` reads the typed fields of one vector object and keeps the
// first problem, so a malformed vector fails with a message naming the field
// ("keyHex: expected a string") instead of throwing. Internal to harness/kat:
// the family evaluators share it.
//
//   VectorFields f(test);
//   const Bytes key = f.Hex("keyHex");
//   const std::string op = f.Str("operation");
//   if (!f.Ok()) return Fail("vector format: " + f.FirstProblem());
#pragma once

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/encoding.h"

namespace tigress::kat {

class VectorFields {
 public:
  // `t` must outlive the reader.
  explicit VectorFields(const nlohmann::json& t) : t_(t) {}

  bool Has(std::string_view key) const { return t_.contains(key); }
  // `FirstProblem` is "<key>: <what>" of the first failed read, else empty.
  const std::string& FirstProblem() const { return error_; }
  bool Ok() const { return error_.empty(); }

  // Each reader returns an empty value and records a problem when the field
  // is missing (where required) or of the wrong type.
  std::string Str(std::string_view key);                    // required string
  std::optional<std::string> OptStr(std::string_view key);  // nullopt when absent
  Bytes Hex(std::string_view key);                          // required hex string
  std::optional<Bytes> OptBase64(std::string_view key);     // nullopt when absent
  bool OptBool(std::string_view key);                       // false when absent
  int Int(std::string_view key);                            // required integer
  std::vector<std::string> StrList(std::string_view key);   // empty when absent

  // `UnknownField` returns the first key not in `allowed`, for the strict families.
  std::optional<std::string> UnknownField(std::initializer_list<std::string_view> allowed) const;

 private:
  void Problem(std::string_view key, std::string_view what);

  const nlohmann::json& t_;
  std::string error_;
};

}  // namespace tigress::kat
