#include "reports/escape.h"

#include <algorithm>
#include <cstdint>

#include "protocol/text.h"

namespace tigress::reports {
namespace {

constexpr char32_t kReplacement = 0xFFFD;

void AppendUtf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Decodes one code point at `i` and advances `i`; a malformed sequence yields
// U+FFFD and consumes exactly one byte, so decoding always makes progress.
char32_t Decode(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<std::uint8_t>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  std::size_t len = 0;
  char32_t cp = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2, cp = b0 & 0x1F, min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3, cp = b0 & 0x0F, min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4, cp = b0 & 0x07, min = 0x10000;
  } else {
    ++i;
    return kReplacement;
  }
  if (i + len > s.size()) {
    ++i;
    return kReplacement;
  }
  for (std::size_t k = 1; k < len; ++k) {
    const auto b = static_cast<std::uint8_t>(s[i + k]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return kReplacement;
    }
    cp = (cp << 6) | (b & 0x3F);
  }
  if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
    ++i;
    return kReplacement;
  }
  i += len;
  return cp;
}

bool IsControl(char32_t cp) {
  return (cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r') || (cp >= 0x7F && cp <= 0x9F);
}

template <class Fn>
std::string Map(std::string_view text, Fn&& fn) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (std::size_t i = 0; i < text.size();) fn(out, Decode(text, i));
  return out;
}

// `text` as valid UTF-8 in which control characters (and, for XML, the
// noncharacters U+FFFE and U+FFFF) are U+FFFD: what is left for escaping is
// the markup characters, which are all ASCII.
std::string Printable(std::string_view text, bool xml) {
  return Map(text, [xml](std::string& out, char32_t cp) {
    if (IsControl(cp) || (xml && (cp == 0xFFFE || cp == 0xFFFF))) cp = kReplacement;
    AppendUtf8(out, cp);
  });
}

}  // namespace

std::string SanitizeUtf8(std::string_view text) {
  return Map(text, [](std::string& out, char32_t cp) { AppendUtf8(out, cp); });
}

std::string HtmlEscape(std::string_view text) { return text::HtmlEscape(Printable(text, false)); }

// text::HtmlEscape's references (&amp; &lt; &gt; &quot; &#39;) are all valid in XML.
std::string XmlEscape(std::string_view text) { return text::HtmlEscape(Printable(text, true)); }

std::string MarkdownInline(std::string_view text) {
  return Map(text, [](std::string& out, char32_t cp) {
    switch (cp) {
      case '&':
        out += "&amp;";
        return;
      case '<':
        out += "&lt;";
        return;
      case '>':
        out += "&gt;";
        return;
      case '\r':
      case '\n':
      case '\t':
        if (!out.empty() && out.back() != ' ') out.push_back(' ');
        return;
      // Only what can start emphasis, code, links, strikethrough or a cell
      // boundary mid-line; escaping more makes the text unreadable.
      case '\\':
      case '`':
      case '*':
      case '_':
      case '[':
      case ']':
      case '~':
      case '|':
        out.push_back('\\');
        out.push_back(static_cast<char>(cp));
        return;
      default:
        break;
    }
    AppendUtf8(out, IsControl(cp) ? kReplacement : cp);
  });
}

std::string MarkdownCell(std::string_view text) { return MarkdownInline(text); }

std::string MarkdownCode(std::string_view text) {
  std::string body = Map(text, [](std::string& out, char32_t cp) {
    if (cp == '\r' || cp == '\n' || cp == '\t') {
      if (!out.empty() && out.back() != ' ') out.push_back(' ');
      return;
    }
    if (cp == '|') {
      out += "\\|";
      return;
    }
    AppendUtf8(out, IsControl(cp) ? kReplacement : cp);
  });
  std::size_t longest = 0;
  std::size_t run = 0;
  for (char c : body) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  const std::string fence(longest + 1, '`');
  // A space pad keeps a leading/trailing backtick from merging with the fence.
  const bool pad = !body.empty() && (body.front() == '`' || body.back() == '`');
  return fence + (pad ? " " : "") + body + (pad ? " " : "") + fence;
}

std::string PercentEncodePath(std::string_view path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (char ch : path) {
    const auto c = static_cast<unsigned char>(ch);
    const bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                            (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
                            c == '~' || c == '/';
    if (unreserved) {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 0x0F]);
    }
  }
  return out;
}

std::string TerminalSafe(std::string_view text) {
  return Map(text, [](std::string& out, char32_t cp) {
    if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F)) {
      out.push_back('?');
    } else {
      AppendUtf8(out, cp);
    }
  });
}

std::string OneLine(std::string_view text, std::size_t max_chars) {
  std::string out;
  std::size_t count = 0;
  for (std::size_t i = 0; i < text.size();) {
    char32_t cp = Decode(text, i);
    if (cp == '\r' || cp == '\n') {
      if (out.empty() || out.back() == ' ') continue;
      cp = ' ';
    }
    if (count == max_chars) {
      out += "…";
      break;
    }
    AppendUtf8(out, cp);
    ++count;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

}  // namespace tigress::reports
