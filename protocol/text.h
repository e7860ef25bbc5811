// File: protocol/text.h
//
// Small text helpers every component needs once: ASCII case-insensitive
// comparison (HTTP header names, tokens), header lookup in an ordered header
// list, lenient percent-decoding and HTML escaping. Pure functions.
//
//   if (text::EqualsIgnoreCase(name, "Content-Type")) ...
//   std::optional<std::string> id = text::FindHeader(headers, "Mailbox-Request-ID");
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace tigress::text {

// An ordered list of header fields as received (names keep their case,
// repeated fields stay separate entries).
using HeaderList = std::vector<std::pair<std::string, std::string>>;

// `EqualsIgnoreCase` compares ASCII case-insensitively (RFC 9110 §5.1 field
// names, tokens); other octets must match exactly.
bool EqualsIgnoreCase(std::string_view a, std::string_view b);

// `StartsWithIgnoreCase` is EqualsIgnoreCase on the first prefix.size() octets.
bool StartsWithIgnoreCase(std::string_view s, std::string_view prefix);

// `ToLowerAscii` lowercases A-Z only.
std::string ToLowerAscii(std::string_view s);

// `FindHeader` is the value of the first field named `name` (any case).
std::optional<std::string> FindHeader(const HeaderList& headers, std::string_view name);

// `HeaderValues` is every value of fields named `name`, in order.
std::vector<std::string> HeaderValues(const HeaderList& headers, std::string_view name);

// `PercentDecode` undoes every well-formed %XX escape and keeps any other
// octet, a malformed escape included ("%zz" stays "%zz"): the harness looks
// for leaked values in whatever a peer sent, so it must not give up on a
// malformed escape. '+' is not a space here.
std::string PercentDecode(std::string_view s);

// `EditDistance` is the Levenshtein distance between `a` and `b` (octets).
std::size_t EditDistance(std::string_view a, std::string_view b);

// `Nearest` is the candidate closest to `word` by EditDistance when it is
// close enough to be a likely misspelling (at most a third of the longer
// word's length, and at least 1 edit away); nullopt otherwise. For "did you
// mean" hints.
std::optional<std::string> Nearest(std::string_view word,
                                   const std::vector<std::string_view>& candidates);

// `HtmlEscape` replaces & < > " ' with character references; the result is
// safe in element content and in quoted attribute values.
std::string HtmlEscape(std::string_view s);

}  // namespace tigress::text
