#include "harness/scenario/vars.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <ctime>

#include "protocol/encoding.h"

namespace tigress::harness {

std::optional<nlohmann::json> JsonPathGet(const nlohmann::json& doc, std::string_view path) {
  const nlohmann::json* cur = &doc;
  std::size_t i = 0;
  while (i < path.size()) {
    if (path[i] == '.') {
      ++i;
      continue;
    }
    if (path[i] == '[') {
      std::size_t close = path.find(']', i);
      if (close == std::string_view::npos) {
        return std::nullopt;
      }
      std::size_t idx = 0;
      auto [p, ec] = std::from_chars(path.data() + i + 1, path.data() + close, idx);
      if (ec != std::errc() || p != path.data() + close) {
        return std::nullopt;
      }
      if (!cur->is_array() || idx >= cur->size()) {
        return std::nullopt;
      }
      cur = &(*cur)[idx];
      i = close + 1;
      continue;
    }
    std::size_t end = path.find_first_of(".[", i);
    if (end == std::string_view::npos) {
      end = path.size();
    }
    std::string key(path.substr(i, end - i));
    if (!cur->is_object()) {
      return std::nullopt;
    }
    auto it = cur->find(key);
    if (it == cur->end()) {
      return std::nullopt;
    }
    cur = &*it;
    i = end;
  }
  return *cur;
}

bool IsGenerator(std::string_view expr) {
  return expr == "fresh_uuid" || expr.rfind("uuid:", 0) == 0 || expr.rfind("b64:", 0) == 0 ||
         expr.rfind("time:", 0) == 0;
}

std::string VarRoot(std::string_view expr) {
  if (IsGenerator(expr)) {
    return {};
  }
  std::size_t end = expr.find_first_of(".[");
  return std::string(expr.substr(0, end));
}

std::vector<std::string> FindVarRefs(std::string_view text) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while ((pos = text.find("${", pos)) != std::string_view::npos) {
    std::size_t close = text.find('}', pos + 2);
    if (close == std::string_view::npos) {
      out.emplace_back(text.substr(pos + 2));  // unterminated: reported as undefined
      break;
    }
    out.emplace_back(text.substr(pos + 2, close - pos - 2));
    pos = close + 1;
  }
  return out;
}

VarContext::VarContext(std::uint64_t seed) : rng_(seed) {}

void VarContext::Set(const std::string& name, nlohmann::json value) {
  values_[name] = std::move(value);
}

bool VarContext::Has(const std::string& name) const { return values_.contains(name); }

std::string VarContext::NewUuid() {
  std::uint64_t hi = rng_();
  std::uint64_t lo = rng_();
  hi = (hi & 0xFFFFFFFFFFFF0FFFULL) | 0x0000000000004000ULL;  // version 4
  lo = (lo & 0x3FFFFFFFFFFFFFFFULL) | 0x8000000000000000ULL;  // RFC 4122 variant
  Bytes octets(16);
  for (int i = 0; i < 8; ++i) {
    octets[static_cast<std::size_t>(i)] = static_cast<std::uint8_t>(hi >> (56 - 8 * i));
    octets[static_cast<std::size_t>(8 + i)] = static_cast<std::uint8_t>(lo >> (56 - 8 * i));
  }
  std::string hex = HexEncode(octets);
  return hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
         hex.substr(16, 4) + "-" + hex.substr(20);
}

VarContext VarContext::Child(int index) {
  VarContext child(rng_());
  child.values_ = values_;
  child.named_uuids_ = named_uuids_;
  child.named_b64_ = named_b64_;
  child.named_time_ = named_time_;
  child.values_["i"] = index;
  child.values_["uuid"] = child.NewUuid();
  return child;
}

std::string FormatUtcSeconds(std::int64_t epoch_seconds) {
  auto t = static_cast<std::time_t>(epoch_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

Result<nlohmann::json> VarContext::EvalB64(std::string_view expr) {
  std::size_t n = 0;
  auto digits = expr.substr(4);
  // b64:N:name is drawn once per name, so a later step can compare with it.
  std::string name;
  if (auto colon = digits.find(':'); colon != std::string_view::npos) {
    name = std::string(digits.substr(colon + 1));
    digits = digits.substr(0, colon);
    auto it = named_b64_.find(name + ":" + std::string(digits));
    if (it != named_b64_.end()) {
      return it->second;
    }
  }
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || p != digits.data() + digits.size() || n > (1U << 24)) {
    return MakeError(Errc::kVariableUndefined,
                     "${" + std::string(expr) + "}: b64:N needs a byte count");
  }
  Bytes b(n);
  for (auto& octet : b) {
    octet = static_cast<std::uint8_t>(rng_() & 0xFF);
  }
  std::string text = Base64Encode(b);
  if (!name.empty()) {
    named_b64_[name + ":" + std::string(digits)] = text;
  }
  return text;
}

Result<nlohmann::json> VarContext::EvalTime(std::string_view expr) {
  auto off = expr.substr(5);
  std::string name;
  if (auto colon = off.find(':'); colon != std::string_view::npos) {
    name = std::string(off.substr(colon + 1));
    off = off.substr(0, colon);
    if (auto it = named_time_.find(name); it != named_time_.end()) {
      return it->second;
    }
  }
  std::int64_t secs = 0;
  bool neg = !off.empty() && off.front() == '-';
  if (!off.empty() && (off.front() == '+' || off.front() == '-')) {
    off.remove_prefix(1);
  }
  auto [p, ec] = std::from_chars(off.data(), off.data() + off.size(), secs);
  if (ec != std::errc() || p != off.data() + off.size()) {
    return MakeError(Errc::kVariableUndefined,
                     "${" + std::string(expr) + "}: time:+S needs seconds");
  }
  auto now = std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
                 .count();
  std::string text = FormatUtcSeconds(now + (neg ? -secs : secs));
  if (!name.empty()) {
    named_time_[name] = text;
  }
  return text;
}

Result<nlohmann::json> VarContext::Eval(std::string_view expr) {
  if (expr == "fresh_uuid") {
    return NewUuid();
  }
  if (expr.rfind("uuid:", 0) == 0) {
    std::string name(expr.substr(5));
    auto it = named_uuids_.find(name);
    if (it == named_uuids_.end()) {
      it = named_uuids_.emplace(name, NewUuid()).first;
    }
    return it->second;
  }
  if (expr.rfind("b64:", 0) == 0) {
    return EvalB64(expr);
  }
  if (expr.rfind("time:", 0) == 0) {
    return EvalTime(expr);
  }
  std::string root = VarRoot(expr);
  auto it = values_.find(root);
  if (it == values_.end()) {
    return MakeError(Errc::kVariableUndefined,
                     "${" + std::string(expr) + "}: no variable '" + root + "'");
  }
  auto v = JsonPathGet(it->second, expr.substr(root.size()));
  if (!v) {
    return MakeError(Errc::kVariableUndefined,
                     "${" + std::string(expr) + "}: '" + root +
                         "' has no such field (value: " + it->second.dump().substr(0, 200) + ")");
  }
  return *v;
}

Result<std::string> InterpolateString(std::string_view templ, VarContext& ctx) {
  std::string out;
  std::size_t pos = 0;
  while (pos < templ.size()) {
    std::size_t start = templ.find("${", pos);
    if (start == std::string_view::npos) {
      out.append(templ.substr(pos));
      break;
    }
    out.append(templ.substr(pos, start - pos));
    std::size_t close = templ.find('}', start + 2);
    if (close == std::string_view::npos) {
      return MakeError(Errc::kVariableUndefined, "unterminated ${ in '" + std::string(templ) + "'");
    }
    TIGRESS_ASSIGN_OR_RETURN(nlohmann::json v,
                             ctx.Eval(templ.substr(start + 2, close - start - 2)));
    out += v.is_string() ? v.get<std::string>() : v.dump();
    pos = close + 1;
  }
  return out;
}

Result<nlohmann::json> Interpolate(const nlohmann::json& templ, VarContext& ctx) {
  if (templ.is_string()) {
    const auto& s = templ.get_ref<const std::string&>();
    if (s.size() > 3 && s.rfind("${", 0) == 0 && s.back() == '}' &&
        s.find("${", 2) == std::string::npos && s.find('}') == s.size() - 1) {
      return ctx.Eval(std::string_view(s).substr(2, s.size() - 3));
    }
    TIGRESS_ASSIGN_OR_RETURN(std::string r, InterpolateString(s, ctx));
    return nlohmann::json(std::move(r));
  }
  if (templ.is_object()) {
    nlohmann::json out = nlohmann::json::object();
    for (const auto& [k, v] : templ.items()) {
      TIGRESS_ASSIGN_OR_RETURN(out[k], Interpolate(v, ctx));
    }
    return out;
  }
  if (templ.is_array()) {
    nlohmann::json out = nlohmann::json::array();
    for (const auto& v : templ) {
      TIGRESS_ASSIGN_OR_RETURN(nlohmann::json r, Interpolate(v, ctx));
      out.push_back(std::move(r));
    }
    return out;
  }
  return templ;
}

}  // namespace tigress::harness
