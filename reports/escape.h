// File: reports/escape.h
//
// Escaping for every output format the reports write. Text in results comes
// from implementations under test and is hostile by assumption: it may hold
// markup, quotes, control characters, terminal escape sequences and invalid
// UTF-8. Every writer passes every piece of text through one of these.
//
//   HtmlEscape("<script>\"x\"&'y'")  == "&lt;script&gt;&quot;x&quot;&amp;&#39;y&#39;"
//   XmlEscape("a\x01b")             == "a\uFFFDb"   (XML 1.0 forbids U+0001 even escaped)
//   MarkdownCell("a|b\nc")          == "a\\|b c"
#pragma once

#include <string>
#include <string_view>

namespace tigress::reports {

// `SanitizeUtf8` replaces every byte that is not part of a well-formed UTF-8
// sequence (overlongs, surrogates and code points above U+10FFFF included)
// with U+FFFD.
std::string SanitizeUtf8(std::string_view text);

// `HtmlEscape` sanitizes UTF-8 and escapes & < > " ' so that the result is safe
// both as element text and inside a quoted attribute value. C0 controls other
// than tab, LF and CR, DEL and C1 controls become U+FFFD.
std::string HtmlEscape(std::string_view text);

// `XmlEscape` is `HtmlEscape` with XML 1.0's character rules: characters XML
// cannot carry at all (C0 controls except tab/LF/CR, U+FFFE, U+FFFF) become
// U+FFFD; & < > " ' are escaped as entities valid in XML.
std::string XmlEscape(std::string_view text);

// `MarkdownInline` escapes text for inline Markdown (GFM): backslash-escapes
// \ ` * _ [ ] ~ |, turns < > & into entities (no raw HTML gets through) and
// folds line breaks into spaces. Not meant for the start of a line.
std::string MarkdownInline(std::string_view text);

// `MarkdownCell` is `MarkdownInline` for a table cell (also escapes '|').
std::string MarkdownCell(std::string_view text);

// `MarkdownCode` renders text as an inline code span that is safe inside a
// table cell: the backtick fence is longer than any backtick run inside, '|'
// is escaped, line breaks fold into spaces and control characters become
// U+FFFD. (Code spans are literal, so no entity escaping is needed.)
std::string MarkdownCode(std::string_view text);

// `PercentEncodePath` percent-encodes everything except unreserved characters
// (A-Z a-z 0-9 - . _ ~) and '/', so that a relative path is safe as an href
// and can never become a scheme ("javascript:" -> "javascript%3A").
std::string PercentEncodePath(std::string_view path);

// `TerminalSafe` replaces control characters (ESC included) with '?' so that
// text printed to a terminal cannot move the cursor or change colours.
std::string TerminalSafe(std::string_view text);

// `OneLine` folds CR/LF runs into single spaces and truncates to `max_chars`
// code points (appending "…" when cut).
std::string OneLine(std::string_view text, std::size_t max_chars = 160);

}  // namespace tigress::reports
