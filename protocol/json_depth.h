// File: protocol/json_depth.h
//
// A bound on how deeply JSON text may nest, checked before it is parsed.
// nlohmann::json parses iteratively, but copying, comparing and dumping a
// value recurse once per level: text nested 100000 deep from a peer (a
// relay's answer, a decrypted payload, an adapter's line) would overflow
// the stack of whoever touches the parsed value. Pure functions.
//
//   if (JsonNestingDepth(body) > kMaxJsonDepth) return MakeError(...);  // refuse, unparsed
//   Json j = Json::parse(body, nullptr, false);
#pragma once

#include <cstddef>
#include <string_view>

namespace tigress {

// `kMaxJsonDepth` is the deepest nesting of arrays and objects the project
// parses from another party; no protocol message comes near it.
inline constexpr std::size_t kMaxJsonDepth = 128;

// `JsonNestingDepth` is the deepest nesting of `[` and `{` in `text`, read
// as JSON text: brackets inside strings (escapes included) do not count.
// It stops counting once past `stop_after` (the result is then
// `stop_after + 1`), so hostile text costs one pass at most.
std::size_t JsonNestingDepth(std::string_view text, std::size_t stop_after = kMaxJsonDepth);

}  // namespace tigress
