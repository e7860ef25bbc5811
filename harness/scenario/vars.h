// File: harness/scenario/vars.h
//
// Scenario variables: `${name}` references inside strings of a scenario,
// resolved while a case runs. Pure logic, no I/O.
//
//   VarContext ctx(/*seed=*/42);
//   ctx.Set("share", {{"shareUrl", "https://localhost:4433/v1/m/..."}});
//   Interpolate(json("${share.shareUrl}"), ctx)   // the URL (JSON type kept)
//   Interpolate(json("id=${uuid:claim}"), ctx)    // "id=<stable uuid named claim>"
//
// Expressions:
//   name / name.path[0].field  a saved value (or a builtin such as relay.base_url)
//   fresh_uuid                 a new v4 UUID at every use
//   uuid:NAME                  one v4 UUID per NAME, the same for the whole case
//   b64:N                      base64 of N pseudo-random octets (seeded)
//   b64:N:NAME                 the same, drawn once per NAME for the whole case
//   time:+S / time:-S          UTC now plus/minus S seconds, YYYY-MM-DDThh:mm:ssZ
//   time:+S:NAME               the same, taken once per NAME for the whole case
//                              (a later step compares with what was sent even
//                              when the clock ticked in between)
//   i, uuid                    inside a `parallel` repeat: the iteration index and
//                              a UUID fresh for that iteration
// All randomness comes from the case seed, so a rerun with the same seed
// sends the same claims and request IDs.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "protocol/result.h"

namespace tigress::harness {

// `JsonPathGet` follows a dotted path with optional [n] indices ("a.b[0].c")
// inside `doc`; nullopt when any part is missing. The empty path is `doc`.
std::optional<nlohmann::json> JsonPathGet(const nlohmann::json& doc, std::string_view path);

// `VarRoot` is the variable name an expression depends on ("share" for
// "share.shareUrl"), or empty for generators (fresh_uuid, uuid:x, b64:n, time:+s).
std::string VarRoot(std::string_view expr);

// `FindVarRefs` lists the expressions of every `${...}` in `text`.
std::vector<std::string> FindVarRefs(std::string_view text);

// `IsGenerator` is true for the expressions that need no variable.
bool IsGenerator(std::string_view expr);

// `VarContext` holds the values of one case (or one parallel iteration).
class VarContext {
 public:
  explicit VarContext(std::uint64_t seed);

  void Set(const std::string& name, nlohmann::json value);
  bool Has(const std::string& name) const;

  // `Eval` evaluates one expression (without `${}`). Errors:
  // kVariableUndefined naming the expression.
  Result<nlohmann::json> Eval(std::string_view expr);

  // `NewUuid` draws a v4 UUID from the case's generator.
  std::string NewUuid();

  // `Child` is a copy for one parallel iteration, with `i` and `uuid` set and
  // its own generator stream derived from this one.
  VarContext Child(int index);

  const std::map<std::string, nlohmann::json>& values() const { return values_; }

 private:
  Result<nlohmann::json> EvalB64(std::string_view expr);   // b64:N[:NAME]
  Result<nlohmann::json> EvalTime(std::string_view expr);  // time:±S[:NAME]

  std::map<std::string, nlohmann::json> values_;
  std::map<std::string, std::string> named_uuids_;
  std::map<std::string, std::string> named_b64_;
  std::map<std::string, std::string> named_time_;
  std::mt19937_64 rng_;
};

// `Interpolate` resolves every `${...}` in every string of `templ`. A string
// that is exactly one reference takes the referenced value with its JSON type;
// otherwise values are spliced in as text (strings raw, others as JSON).
Result<nlohmann::json> Interpolate(const nlohmann::json& templ, VarContext& ctx);

// `InterpolateString` is `Interpolate` for a string that must stay a string.
Result<std::string> InterpolateString(std::string_view templ, VarContext& ctx);

// `FormatUtcSeconds` formats seconds since the epoch as YYYY-MM-DDThh:mm:ssZ.
std::string FormatUtcSeconds(std::int64_t epoch_seconds);

}  // namespace tigress::harness
