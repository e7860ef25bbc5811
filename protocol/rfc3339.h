// File: protocol/rfc3339.h
//
// Timestamps. The protocol's wire form is exactly `YYYY-MM-DDThh:mm:ssZ` (UTC,
// whole seconds). Parsing also accepts general RFC 3339: fractional seconds
// (truncated) and numeric offsets (converted to UTC).
//
//   auto t = ParseRfc3339("2026-11-28T12:00:00.5+01:00").value();
//   FormatUtc(t) == "2026-11-28T11:00:00Z"
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "protocol/result.h"

namespace tigress {

using SysSeconds = std::chrono::sys_seconds;

// `FormatUtc` renders `t` (truncated to seconds) as `YYYY-MM-DDThh:mm:ssZ`.
std::string FormatUtc(std::chrono::system_clock::time_point t);

// `ParseRfc3339` parses an RFC 3339 date-time. Errors: kTimestampInvalid,
// naming what was wrong (month 13, missing offset, ...).
Result<SysSeconds> ParseRfc3339(std::string_view text);

// `ParseStrictUtc` accepts only the exact wire form. Errors: kTimestampNotStrict
// for a valid RFC 3339 value in another form, kTimestampInvalid otherwise.
Result<SysSeconds> ParseStrictUtc(std::string_view text);

}  // namespace tigress
