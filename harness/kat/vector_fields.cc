#include "harness/kat/vector_fields.h"

#include <algorithm>

namespace tigress::kat {

std::string VectorFields::Str(std::string_view key) {
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

std::optional<std::string> VectorFields::OptStr(std::string_view key) {
  if (!Has(key)) return std::nullopt;
  return Str(key);
}

Bytes VectorFields::Hex(std::string_view key) {
  const std::string s = Str(key);
  if (!Ok()) return {};
  auto b = HexDecode(s);
  if (!b) {
    Problem(key, b.error().detail);
    return {};
  }
  return *b;
}

std::optional<Bytes> VectorFields::OptBase64(std::string_view key) {
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

bool VectorFields::OptBool(std::string_view key) {
  const auto it = t_.find(key);
  if (it == t_.end()) return false;
  if (!it->is_boolean()) {
    Problem(key, "expected a boolean");
    return false;
  }
  return it->get<bool>();
}

int VectorFields::Int(std::string_view key) {
  const auto it = t_.find(key);
  if (it == t_.end() || !it->is_number_integer()) {
    Problem(key, "expected an integer");
    return 0;
  }
  return it->get<int>();
}

std::vector<std::string> VectorFields::StrList(std::string_view key) {
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

std::optional<std::string> VectorFields::UnknownField(
    std::initializer_list<std::string_view> allowed) const {
  for (const auto& [key, value] : t_.items()) {
    if (std::find(allowed.begin(), allowed.end(), key) == allowed.end()) return key;
  }
  return std::nullopt;
}

void VectorFields::Problem(std::string_view key, std::string_view what) {
  if (error_.empty()) error_ = std::string(key) + ": " + std::string(what);
}

}  // namespace tigress::kat
