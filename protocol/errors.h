// File: protocol/errors.h
//
// The error catalogue (errors.def) as a `std::error_code` enum, and `Error`:
// an error code plus a detail string naming what exactly was wrong.
//
//   tigress::Error e = tigress::MakeError(tigress::Errc::kFieldMissing,
//                                         "payload.type: required field is missing");
//   e.Token();    // "json.field_missing"
//   e.Message();  // "json.field_missing: payload.type: required field is missing"
//
// The token is the stable name of an error everywhere it leaves the process:
// in logs, reports, vector files and, for the reference relay, in the "error"
// member of its JSON error bodies (errors.def says why those wire tokens are
// catalogue entries rather than a list of their own).
#pragma once

#include <string>
#include <string_view>
#include <system_error>

namespace tigress {

// `Errc` lists every error of the project. Values are stable (see errors.def).
enum class Errc : int {
#define X(name, value, token, message) k##name = (value),
#include "protocol/errors.def"
#undef X
};

// `ErrorCategory` is the category of every `Errc` code; its name is "tigress".
const std::error_category& ErrorCategory();

// `make_error_code` lets `Errc` convert to `std::error_code`.
std::error_code make_error_code(Errc e);

// `ErrcToken` returns the canonical token of `e` ("payload.auth_failed"), or
// "unknown" for a value outside the catalogue.
std::string_view ErrcToken(Errc e);

// `Error` is what every fallible function of the project returns on failure:
// a catalogue code and a detail that names the file, line, field or URL part.
// The detail never contains a Secret, plaintext or full device claim.
struct Error {
  std::error_code code;
  std::string detail;

  // `Is` tells whether this error carries `e`.
  bool Is(Errc e) const { return code == make_error_code(e); }
  // `Token` is the canonical token of `code` ("url.bad_secret").
  std::string_view Token() const;
  // `Message` is "<token>: <detail>", or just the category message when the
  // detail is empty.
  std::string Message() const;
};

// `MakeError` builds an `Error` from a catalogue entry and a detail.
Error MakeError(Errc e, std::string detail = {});

}  // namespace tigress

template <>
struct std::is_error_code_enum<tigress::Errc> : std::true_type {};
