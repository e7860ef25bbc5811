#include "reports/escape.h"

#include <random>
#include <string>

#include <gtest/gtest.h>

namespace tigress::reports {
namespace {

const std::string kHostile =
    "<script>alert('x')</script>\"&amp;<img src=x onerror=alert(1)>\x1b[31m\x01\xff|`*_";

// True when `s` is well-formed UTF-8 (checked independently of escape.cc).
bool ValidUtf8(const std::string& s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (n == 0 || i + n > s.size()) return false;
    for (std::size_t k = 1; k < n; ++k) {
      if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return false;
    }
    i += n;
  }
  return true;
}

TEST(HtmlEscape, NeutralisesMarkupAndQuotes) {
  EXPECT_EQ(HtmlEscape("<b>\"x\" & 'y'</b>"), "&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;");
  const std::string out = HtmlEscape(kHostile);
  EXPECT_EQ(out.find('<'), std::string::npos);
  EXPECT_EQ(out.find('>'), std::string::npos);
  EXPECT_EQ(out.find('"'), std::string::npos);
  EXPECT_EQ(out.find('\''), std::string::npos);
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_NE(out.find("&amp;amp;"), std::string::npos);  // existing entities are escaped again
  EXPECT_TRUE(ValidUtf8(out));
}

TEST(HtmlEscape, KeepsValidUnicodeAndReplacesInvalidBytes) {
  EXPECT_EQ(HtmlEscape("Grüße ‖ 🔑"), "Grüße ‖ 🔑");
  EXPECT_EQ(HtmlEscape("a\xff"
                       "b"),
            "a\xEF\xBF\xBD"
            "b");
  // Overlong '/' (C0 AF), a lone surrogate (ED A0 80) and a truncated sequence.
  for (const std::string bad : {"\xC0\xAF", "\xED\xA0\x80", "\xE2\x80"}) {
    const std::string out = HtmlEscape(bad);
    EXPECT_TRUE(ValidUtf8(out));
    EXPECT_NE(out.find("\xEF\xBF\xBD"), std::string::npos);
    EXPECT_EQ(out.find('/'), std::string::npos);
  }
}

TEST(XmlEscape, ReplacesCharactersXmlCannotCarry) {
  EXPECT_EQ(XmlEscape(std::string("a\x01"
                                  "b\x00"
                                  "c",
                                  5)),
            "a\xEF\xBF\xBD"
            "b\xEF\xBF\xBD"
            "c");
  EXPECT_EQ(XmlEscape("tab\tnl\n"), "tab\tnl\n");
  EXPECT_EQ(XmlEscape("\xEF\xBF\xBF"), "\xEF\xBF\xBD");  // U+FFFF
  EXPECT_EQ(XmlEscape("]]><x a='1'/>"), "]]&gt;&lt;x a=&#39;1&#39;/&gt;");
}

TEST(Markdown, CellCannotBreakTheTableOrInjectHtml) {
  const std::string cell = MarkdownCell("a|b\nc <script> [link](javascript:x)");
  EXPECT_EQ(cell.find('\n'), std::string::npos);
  EXPECT_EQ(cell.find('<'), std::string::npos);
  for (std::size_t i = 0; i < cell.size(); ++i) {
    if (cell[i] == '|' || cell[i] == '[' || cell[i] == ']') {
      ASSERT_GT(i, 0u);
      EXPECT_EQ(cell[i - 1], '\\') << cell;
    }
  }
}

TEST(Markdown, CodeSpanFenceOutgrowsBackticksInside) {
  EXPECT_EQ(MarkdownCode("run --x"), "`run --x`");
  EXPECT_EQ(MarkdownCode("a`b"), "``a`b``");
  EXPECT_EQ(MarkdownCode("`x`"), "`` `x` ``");
  EXPECT_EQ(MarkdownCode("a|b\nc"), "`a\\|b c`");
}

TEST(PercentEncodePath, CannotProduceASchemeOrBreakAnAttribute) {
  EXPECT_EQ(PercentEncodePath("cases/a b/transcript.har"), "cases/a%20b/transcript.har");
  EXPECT_EQ(PercentEncodePath("javascript:alert(1)"), "javascript%3Aalert%281%29");
  EXPECT_EQ(PercentEncodePath("x\"onload=y"), "x%22onload%3Dy");
}

TEST(TerminalSafe, RemovesEscapeSequencesAndControls) {
  EXPECT_EQ(TerminalSafe("ok\x1b[2J\r\nx"), "ok?[2J??x");
  EXPECT_EQ(TerminalSafe("Grüße"), "Grüße");
}

TEST(OneLine, FoldsLineBreaksAndTruncatesOnCodePoints) {
  EXPECT_EQ(OneLine("a\r\nb\n\nc"), "a b c");
  EXPECT_EQ(OneLine("ääääää", 3), "äää…");
  EXPECT_EQ(OneLine("abc", 3), "abc");
}

TEST(SanitizeUtf8, LeavesValidTextAlone) {
  EXPECT_EQ(SanitizeUtf8("plain ‖ text"), "plain ‖ text");
  EXPECT_TRUE(ValidUtf8(SanitizeUtf8(kHostile)));
}

TEST(Escaping, RandomBytesAlwaysGiveValidSafeText) {
  std::mt19937 rng(20261128);  // fixed seed: reproducible
  std::uniform_int_distribution<int> byte(0, 255);
  std::uniform_int_distribution<int> length(0, 64);
  for (int round = 0; round < 3000; ++round) {
    std::string input(static_cast<std::size_t>(length(rng)), '\0');
    for (char& c : input) c = static_cast<char>(byte(rng));
    const std::string html = HtmlEscape(input);
    const std::string xml = XmlEscape(input);
    const std::string cell = MarkdownCell(input);
    const std::string term = TerminalSafe(input);
    ASSERT_TRUE(ValidUtf8(html) && ValidUtf8(xml) && ValidUtf8(cell) && ValidUtf8(term)) << round;
    ASSERT_EQ(html.find_first_of("<>\"'"), std::string::npos) << round;
    ASSERT_EQ(xml.find_first_of(std::string("<>\"'\0\x01\x1b", 7)), std::string::npos) << round;
    ASSERT_EQ(cell.find_first_of("<>\n\r"), std::string::npos) << round;
    ASSERT_EQ(term.find('\x1b'), std::string::npos) << round;
  }
}

}  // namespace
}  // namespace tigress::reports
